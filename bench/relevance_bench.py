"""Multilingual relevance of tuireader's search, per kind of query, beside fzf's.

Builds a seeded corpus of Markdown documents (front matter: title, author,
language) in six scripts and languages, English, German, Russian, Korean,
Japanese and Chinese, from small built-in lexicons: real function words and
inflection endings on generated stems (so word forms behave as in the
language), common Hangul syllables, kanji, kana and hanzi.  Then it asks
queries of each kind, each with the set of passages that answer it:

* ``typo``: two or three distinctive words of a passage, each with one typo
  (for Hangul one wrong jamo: a vowel of a syllable replaced);
* ``exact_run``: a run of four to six Japanese or Chinese characters taken from
  a passage (every passage holding the run answers);
* ``word_forms``: distinctive words of a passage in other forms of the same word;
* ``initials``: Korean words given by their initial consonants only (ㄷㅂㅇ);
* ``phrase``: a quoted run of words of a passage, plus one of its words;
* ``exclude``: a word with ``-other``: passages with the word but not the other;
* ``filter``: a word with ``title:``, ``author:``, ``in:`` or ``lang:``.

It prints MRR@10 (mean of 1/rank of the first answering passage, 0 beyond 10)
and recall@10 (share of queries answered within the first 10 hits) per kind
and per language, for tuireader and for ``fzf --filter`` on the same queries
(phrases as ``'a\\ b``, exclusions as ``!word``; fzf has no field filters)
when fzf is installed.  Usage:

    python bench/relevance_bench.py                 # default corpus
    python bench/relevance_bench.py --docs 8 --queries 10   # quick run
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tuireader.core.search import hangul
from tuireader.core.search.text import fold, words

LATIN_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "br",
    "dr",
    "fr",
    "gr",
    "kl",
    "pl",
    "st",
    "tr",
    "sh",
    "ch",
]
LATIN_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "oo"]
CYR_ONSETS = [
    "б",
    "в",
    "г",
    "д",
    "ж",
    "з",
    "к",
    "л",
    "м",
    "н",
    "п",
    "р",
    "с",
    "т",
    "ф",
    "х",
    "ш",
    "бр",
    "гр",
    "др",
    "кр",
    "пр",
    "ст",
    "тр",
]
CYR_VOWELS = ["а", "о", "у", "ы", "э", "е", "и", "я"]
ENDINGS = {
    "en": ["", "s", "ed", "ing"],
    "de": ["", "e", "en", "er", "es", "em"],
    "ru": ["а", "ы", "е", "у", "ой", "ами", "ах"],
}
VERB_ENDINGS = {"ru": ["ал", "ала", "али", "ать", "ан", "ано"]}
"""Russian stems are nouns or verbs (a noun and a verb of one root have different stems)."""
FUNCTION = {
    "en": "the of and to in that was it for with as his on at by had not are but from",
    "de": "der die und das ist nicht ein eine zu den mit sich des auf dem auch es im sie",
    "ru": "и в не на что с он как по но это из за от к то же так было",
}
HANGUL = (
    "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추"
    "거너더러머버서어저처커터퍼허기니디리미비시이지치키티피히개내대래매배새애재채"
    "강남당랑망방상앙장창한국민정선영진성현준혜경숙철용석원"
)
PARTICLES = ["", "", "은", "는", "이", "가", "을", "를", "에", "에서", "의", "도"]
KANJI = (
    "日本人大年中出生時行見月分後前間東京都会社国家事業者長自手上下方田部学高市"
    "地場合開発立理物入気道山川新動電実体作化当法全明意問題思通信体私言食話語読"
    "書聞外内外海空雨雪風花林森村町駅店夜朝昼夕春夏秋冬色青赤白黒金銀"
)
KANA = "のはをにがでとも"
KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロ"
HANZI = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会"
    "自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开"
    "手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进"
)
LANGUAGES = ["en", "de", "ru", "ko", "ja", "zh"]
KINDS = {
    "typo": ["en", "de", "ru", "ko"],
    "exact_run": ["ja", "zh"],
    "word_forms": ["en", "de", "ru"],
    "initials": ["ko"],
    "phrase": ["en", "de", "ru"],
    "exclude": ["en", "ru"],
    "filter": LANGUAGES,
}


@dataclass(slots=True)
class Passage:
    """A generated passage: where it is and what it says."""

    number: int
    doc: int
    line: int
    text: str
    words: list[str]
    forms: list[tuple[str, int]]
    """(stem, ending number) of each inflected word placed in it."""


@dataclass(slots=True)
class Doc:
    """A generated document."""

    path: Path
    title: str
    author: str
    language: str


def _word(rng: random.Random, onsets: list[str], vowels: list[str], syllables: int) -> str:
    """A pseudo-word of ``syllables`` onset+vowel syllables (plus a final consonant)."""
    body = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
    return body + rng.choice(onsets)[-1]


def _stems(rng: random.Random, language: str, count: int) -> list[str]:
    """Distinct generated stems for a Latin- or Cyrillic-script language."""
    onsets, vowels = (CYR_ONSETS, CYR_VOWELS) if language == "ru" else (LATIN_ONSETS, LATIN_VOWELS)
    found: dict[str, None] = {}
    while len(found) < count:
        found[_word(rng, onsets, vowels, rng.choice((2, 2, 3)))] = None
    return list(found)


def _alphabetic(rng: random.Random, language: str, stems: list[str]) -> tuple[str, list, list]:
    """A passage of function words and inflected stems; returns text, its words, its forms."""
    function = FUNCTION[language].split()
    out: list[str] = []
    forms: list[tuple[str, int]] = []
    for _ in range(rng.randint(28, 40)):
        if rng.random() < 0.45:
            out.append(rng.choice(function))
        else:
            # Zipf-like: a few stems are common, most are rare.
            stem = stems[min(len(stems) - 1, int(rng.paretovariate(0.7)) - 1)]
            endings = _endings(language, stem)
            ending = rng.randrange(len(endings))
            forms.append((stem, ending))
            out.append(stem + endings[ending])
    text = " ".join(out)
    return text[0].upper() + text[1:] + ".", out, forms


def _endings(language: str, stem: str) -> list[str]:
    """The endings a stem takes (Russian: a verb's or a noun's, fixed per stem)."""
    if language in VERB_ENDINGS and sum(map(ord, stem)) % 3 == 0:
        return VERB_ENDINGS[language]
    return ENDINGS[language]


def _hangul(rng: random.Random) -> tuple[str, list, list]:
    """A passage of Korean-like words (2-4 common syllables, often with a particle)."""
    out = [
        "".join(rng.choice(HANGUL) for _ in range(rng.choice((2, 3, 3, 4)))) + rng.choice(PARTICLES)
        for _ in range(rng.randint(20, 30))
    ]
    return " ".join(out) + ".", out, []


def _japanese(rng: random.Random) -> tuple[str, list, list]:
    """A passage of kanji compounds, katakana words and particles, in sentences."""
    pieces = []
    for _ in range(rng.randint(3, 5)):
        for _ in range(rng.randint(4, 7)):
            if rng.random() < 0.2:
                pieces.append("".join(rng.choice(KATAKANA) for _ in range(rng.randint(3, 5))))
            else:
                pieces.append("".join(rng.choice(KANJI) for _ in range(rng.choice((2, 2, 3)))))
            pieces.append(rng.choice(KANA))
        pieces.append("。")
    return "".join(pieces), [], []


def _chinese(rng: random.Random) -> tuple[str, list, list]:
    """A passage of two-character words in clauses."""
    clauses = [
        "".join(rng.choice(HANZI) + rng.choice(HANZI) for _ in range(rng.randint(3, 7)))
        for _ in range(rng.randint(4, 7))
    ]
    return "，".join(clauses) + "。", [], []


def generate(folder: Path, docs: int, passages: int, seed: int) -> tuple[list[Doc], list[Passage]]:
    """Write the corpus under ``folder``; return its documents and passages."""
    rng = random.Random(seed)
    shutil.rmtree(folder, ignore_errors=True)
    stems = {language: _stems(rng, language, 3000) for language in ENDINGS}
    authors = {
        language: [_word(rng, LATIN_ONSETS, LATIN_VOWELS, 2).title() for _ in range(4)]
        for language in LANGUAGES
    }
    all_docs: list[Doc] = []
    all_passages: list[Passage] = []
    for language in LANGUAGES:
        (folder / language).mkdir(parents=True)
        for number in range(docs):
            title = f"{_word(rng, LATIN_ONSETS, LATIN_VOWELS, 3).title()} {language} {number}"
            author = authors[language][number % 4]
            path = folder / language / f"book{number:03d}.md"
            head = ["---", f"title: {title}", f"author: {author}", f"language: {language}", "---"]
            lines = [*head, ""]
            doc_number = len(all_docs)
            all_docs.append(Doc(path, title, author, language))
            for _ in range(passages):
                if language in ENDINGS:
                    text, found, forms = _alphabetic(rng, language, stems[language])
                else:
                    text, found, forms = {"ko": _hangul, "ja": _japanese, "zh": _chinese}[language](
                        rng
                    )
                all_passages.append(
                    Passage(len(all_passages), doc_number, len(lines) + 1, text, found, forms)
                )
                lines += [text, ""]
            path.write_text("\n".join(lines), encoding="utf-8")
    return all_docs, all_passages


# ---------------------------------------------------------------- queries


@dataclass(slots=True)
class Query:
    """A query, its kind and language, the passages answering it and fzf's version of it."""

    kind: str
    language: str
    text: str
    answers: set[int]
    fzf: str


def _typo(rng: random.Random, word: str) -> str:
    """One random edit of a word (a Hangul word: one vowel jamo replaced)."""
    if hangul.has_hangul(word):
        at = rng.choice([i for i, char in enumerate(word) if hangul.is_syllable(char)])
        code = ord(word[at]) - 0xAC00
        vowel = (code // 28) % 21
        other = rng.choice([v for v in range(21) if v != vowel])
        changed = chr(0xAC00 + (code // 588) * 588 + other * 28 + code % 28)
        return word[:at] + changed + word[at + 1 :]
    letters = "абвгдежзиклмнопрстуфхцчшыэюя" if "а" <= word[0] <= "я" else "abcdefghiklmnoprstuvwz"
    kind = rng.choice(("delete", "insert", "substitute", "swap"))
    at = rng.randrange(1, len(word) - 1)
    if kind == "delete":
        return word[:at] + word[at + 1 :]
    if kind == "insert":
        return word[:at] + rng.choice(letters) + word[at:]
    if kind == "substitute":
        return word[:at] + rng.choice(letters.replace(word[at], "")) + word[at + 1 :]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


class QueryMaker:
    """Makes queries of each kind with their answers, from the generated corpus."""

    def __init__(self, docs: list[Doc], passages: list[Passage], seed: int) -> None:
        """Index the corpus's words for finding answers."""
        self.rng = random.Random(seed + 1)
        self.docs = docs
        self.passages = passages
        self.folded = [set(words(p.text)) for p in passages]
        self.df: dict[str, int] = defaultdict(int)
        for found in self.folded:
            for word in found:
                self.df[word] += 1
        self.stem_sets = [{stem for stem, _ in p.forms} for p in passages]
        self.by_language: dict[str, list[Passage]] = defaultdict(list)
        for passage in passages:
            self.by_language[docs[passage.doc].language].append(passage)

    def _having(self, test: object) -> set[int]:
        """Numbers of passages for which ``test(passage)`` holds."""
        return {p.number for p in self.passages if test(p)}  # type: ignore[operator]

    def _rare(self, passage: Passage, minimum: int, count: int) -> list[str]:
        """The ``count`` rarest distinct words of a passage of at least ``minimum`` characters."""
        found = {w.strip(".") for w in passage.words if len(w.strip(".")) >= minimum}
        return sorted(found, key=lambda w: (self.df[fold(w)], w))[:count]

    def make(self, kind: str, language: str) -> Query | None:
        """One query of ``kind`` in ``language`` (None when the drawn passage does not fit)."""
        passage = self.rng.choice(self.by_language[language])
        return getattr(self, f"_{kind}")(passage, language)  # type: ignore[no-any-return]

    def _typo(self, passage: Passage, language: str) -> Query | None:
        chosen = self._rare(passage, 3 if language == "ko" else 5, self.rng.choice((2, 3)))
        folded = {fold(w) for w in chosen}
        text = " ".join(_typo(self.rng, word) for word in chosen)
        answers = {n for n, found in enumerate(self.folded) if folded <= found}
        return Query("typo", language, text, answers, text)

    def _exact_run(self, passage: Passage, language: str) -> Query | None:
        pieces = [
            piece for piece in passage.text.replace("，", "。").split("。") if len(piece) >= 6
        ]
        if not pieces:
            return None
        piece = self.rng.choice(pieces)
        size = self.rng.randint(4, 6)
        start = self.rng.randrange(len(piece) - size + 1)
        run = piece[start : start + size]
        answers = self._having(lambda p: run in p.text)
        return Query("exact_run", language, run, answers, run)

    def _word_forms(self, passage: Passage, language: str) -> Query | None:
        stems = sorted({stem for stem, _ in passage.forms}, key=lambda s: (self._stem_df(s), s))
        chosen = stems[: self.rng.choice((2, 3))]
        query = []
        for stem in chosen:
            endings = _endings(language, stem)
            used = {ending for s, ending in passage.forms if s == stem}
            other = [i for i in range(len(endings)) if i not in used]
            query.append(stem + endings[self.rng.choice(other)])
        want = set(chosen)
        answers = {n for n, stems_in in enumerate(self.stem_sets) if want <= stems_in}
        text = " ".join(query)
        return Query("word_forms", language, text, answers, text)

    def _stem_df(self, stem: str) -> int:
        return sum(1 for found in self.stem_sets if stem in found)

    def _initials(self, passage: Passage, language: str) -> Query | None:
        long_words = [w for w in passage.words if len(w) >= 3]
        chosen = sorted(set(long_words), key=lambda w: (self.df[fold(w)], w))[:2]
        if len(chosen) < 2:
            return None
        wanted = [hangul.initials(word[:3]) for word in chosen]
        compat = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
        text = " ".join("".join(compat[ord(c) - 0x1100] for c in want) for want in wanted)

        def answers(p: Passage) -> bool:
            heads = [hangul.initials(w) for w in p.words]
            return all(any(h.startswith(want) for h in heads) for want in wanted)

        return Query("initials", language, text, self._having(answers), text)

    def _phrase(self, passage: Passage, language: str) -> Query | None:
        plain = [w.strip(".") for w in passage.words]
        size = self.rng.choice((2, 3))
        starts = [
            i for i in range(len(plain) - size) if any(len(w) > 4 for w in plain[i : i + size])
        ]
        if not starts:
            return None
        at = self.rng.choice(starts)
        phrase = plain[at : at + size]
        extra = self._rare(passage, 5, 1)[0]
        key = " " + " ".join(fold(w) for w in phrase) + " "

        def answers(p: Passage) -> bool:
            return (
                key in " " + " ".join(words(p.text)) + " " and fold(extra) in self.folded[p.number]
            )

        text = '"' + " ".join(phrase) + '" ' + extra
        fzf = "'" + "\\ ".join(phrase) + " " + extra
        return Query("phrase", language, text, self._having(answers), fzf)

    def _exclude(self, passage: Passage, language: str) -> Query | None:
        common = [w for w in self.folded[passage.number] if 8 <= self.df[w] <= 300 and len(w) >= 3]
        if not common:
            return None
        word = self.rng.choice(sorted(common))
        holding = [n for n, found in enumerate(self.folded) if word in found]
        together: dict[str, int] = defaultdict(int)
        for n in holding:
            for other in self.folded[n]:
                if other != word and len(other) >= 3 and self.df[other] < len(self.passages) // 20:
                    together[other] += 1
        if not together:
            return None
        excluded = max(sorted(together), key=lambda w: together[w])
        answers = {n for n in holding if excluded not in self.folded[n]}
        return Query("exclude", language, f"{word} -{excluded}", answers, f"{word} !{excluded}")

    def _filter(self, passage: Passage, language: str) -> Query | None:
        doc = self.docs[passage.doc]
        if language in ("ja", "zh"):
            runs = _runs(passage.text, 2)
            if not runs:
                return None
            run = self.rng.choice(runs)
            word, holds = run, (lambda p: run in p.text)
        else:
            shortest = 2 if language == "ko" else 4
            found = [
                w for w in self.folded[passage.number] if self.df[w] >= 3 and len(w) >= shortest
            ]
            if not found:
                return None
            word = self.rng.choice(sorted(found))
            holds = lambda p: word in self.folded[p.number]  # noqa: E731
        how = self.rng.choice(("title", "author", "in", "lang"))
        if how == "title":
            name = doc.title.split()[0]
            flag, keep = f"title:{name}", (lambda d: name in d.title.split())
        elif how == "author":
            flag, keep = f"author:{doc.author}", (lambda d: d.author == doc.author)
        elif how == "in":
            flag, keep = f"in:{language}/{doc.path.name}", (lambda d: d.path == doc.path)
        else:
            flag, keep = f"lang:{language}", (lambda d: d.language == language)
        answers = self._having(lambda p: keep(self.docs[p.doc]) and holds(p))
        return Query("filter", language, f"{word} {flag}", answers, word)


def _runs(text: str, size: int) -> list[str]:
    """Runs of ``size`` ideographs or kana in a text (no punctuation)."""
    return [
        text[i : i + size]
        for i in range(len(text) - size + 1)
        if all(unicodedata.category(c) == "Lo" for c in text[i : i + size])
    ]


# ---------------------------------------------------------------- running


def _engine(folder: Path) -> object:
    """tuireader's index over the corpus (built without the cache)."""
    from tuireader.core.search import index as module

    return module.SearchIndex.build([folder], use_cache=False)


def _rank(ranked: list[int], answers: set[int]) -> float:
    """1/rank of the first answer within the first 10, else 0."""
    for position, number in enumerate(ranked[:10], 1):
        if number in answers:
            return 1.0 / position
    return 0.0


def run_tuireader(folder: Path, passages: list[Passage], docs: list[Doc], queries: list[Query]):
    """Ranked passage numbers and seconds per query, from tuireader."""
    started = time.perf_counter()
    index = _engine(folder)
    print(f"tuireader index: {len(passages):,} passages in {time.perf_counter() - started:.1f} s")
    where = {(str(docs[p.doc].path), p.line): p.number for p in passages}
    results = []
    for query in queries:
        started = time.perf_counter()
        hits = index.search(query.text, limit=10)  # type: ignore[attr-defined]
        elapsed = time.perf_counter() - started
        results.append(([where.get((str(hit.path), hit.line), -1) for hit in hits], elapsed))
    return results


def run_fzf(folder: Path, passages: list[Passage], queries: list[Query]):
    """Ranked passage numbers and seconds per query from ``fzf --filter``, or None."""
    fzf = shutil.which("fzf")
    if fzf is None:
        return None
    lines = folder / "passages.tsv"
    lines.write_text("".join(f"{p.number}\t{p.text}\n" for p in passages), encoding="utf-8")
    results = []
    for query in queries:
        started = time.perf_counter()
        with open(lines, "rb") as source:
            done = subprocess.run(
                [fzf, "--filter", query.fzf, "--delimiter", "\t", "--nth", "2.."],
                stdin=source,
                capture_output=True,
                check=False,
            )
        elapsed = time.perf_counter() - started
        out = done.stdout.decode("utf-8", "replace").splitlines()[:10]
        results.append(([int(line.split("\t", 1)[0]) for line in out], elapsed))
    return results


def report(queries: list[Query], mine, theirs) -> dict[str, float]:
    """Print MRR@10 and recall@10 per kind and language; return tuireader's MRR per kind."""
    header = f"{'kind':<11} {'lang':<5} {'n':>4}  {'MRR@10':>7} {'R@10':>6} {'median ms':>9}"
    if theirs is not None:
        header += f"   {'fzf MRR':>7} {'fzf R@10':>8} {'fzf ms':>7}"
    print(header)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, query in enumerate(queries):
        groups[(query.kind, query.language)].append(number)
        groups[(query.kind, "all")].append(number)
    per_kind = {}
    for (kind, language), members in groups.items():
        row = f"{kind:<11} {language:<5} {len(members):>4}"
        for results in (mine, theirs):
            if results is None:
                continue
            ranks = [_rank(results[n][0], queries[n].answers) for n in members]
            mrr = statistics.fmean(ranks)
            recall = statistics.fmean(1.0 if rank else 0.0 for rank in ranks)
            ms = 1000 * statistics.median(results[n][1] for n in members)
            row += (
                f"  {mrr:7.3f} {recall:6.3f} {ms:9.1f}"
                if results is mine
                else (f"   {mrr:7.3f} {recall:8.3f} {ms:7.1f}")
            )
            if results is mine and language == "all":
                per_kind[kind] = mrr
        print(row)
    return per_kind


def main() -> int:
    """Generate the corpus and queries, run both engines, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=30, help="documents per language")
    parser.add_argument("--passages", type=int, default=100, help="passages per document")
    parser.add_argument("--queries", type=int, default=40, help="queries per kind and language")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-fzf", action="store_true", help="skip fzf")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="relevance-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        docs, passages = generate(folder, args.docs, args.passages, args.seed)
        maker = QueryMaker(docs, passages, args.seed)
        queries: list[Query] = []
        for kind, languages in KINDS.items():
            for language in languages:
                made = 0
                for _ in range(args.queries * 5):
                    query = maker.make(kind, language)
                    if query is not None and query.answers:
                        queries.append(query)
                        made += 1
                        if made >= args.queries:
                            break
        mine = run_tuireader(folder, passages, docs, queries)
        theirs = None if args.no_fzf else run_fzf(Path(tmp), passages, queries)
        if theirs is None and not args.no_fzf:
            print("fzf is not installed: its columns are left out")
        per_kind = report(queries, mine, theirs)
        worst = min(per_kind.values())
        print(f"lowest MRR@10 over kinds: {worst:.3f} (goal 0.97)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
