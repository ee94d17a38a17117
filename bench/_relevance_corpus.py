"""The relevance bench's corpus: seeded documents in six languages and scripts.

Markdown documents (front matter: title, author, language) in English, German,
Russian, Korean, Japanese and Chinese, from small built-in lexicons: real
function words and inflection endings on generated stems (so word forms behave
as in the language), common Hangul syllables, kanji, kana and hanzi.  Used by
``relevance_bench.py``.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

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
            endings = endings_of(language, stem)
            ending = rng.randrange(len(endings))
            forms.append((stem, ending))
            out.append(stem + endings[ending])
    text = " ".join(out)
    return text[0].upper() + text[1:] + ".", out, forms


def endings_of(language: str, stem: str) -> list[str]:
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
