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
    python bench/relevance_bench.py --kinds word_forms typo --no-fzf

The queries depend on the seed alone (``--seed``, default 7): the figures of one
seed compare from run to run; run with ``PYTHONHASHSEED=0`` for identical tie order.
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

from _relevance_corpus import LANGUAGES, Doc, Passage, endings_of, generate

from tuireader.core.search import hangul
from tuireader.core.search.text import fold, words

KINDS = {
    "typo": ["en", "de", "ru", "ko"],
    "exact_run": ["ja", "zh"],
    "word_forms": ["en", "de", "ru"],
    "initials": ["ko"],
    "phrase": ["en", "de", "ru"],
    "exclude": ["en", "ru"],
    "filter": LANGUAGES,
}

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
            endings = endings_of(language, stem)
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
    parser.add_argument(
        "--kinds", nargs="+", choices=list(KINDS), default=list(KINDS), help="kinds of query to ask"
    )
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
        # Every kind's queries are made (the same ones whatever --kinds says), then chosen.
        queries = [query for query in queries if query.kind in args.kinds]
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
