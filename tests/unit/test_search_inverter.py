"""The build's tokenise-and-invert step: the same words as ``text.raw_words`` and ``fold``."""

from __future__ import annotations

import random

from tuireader.core.search.inverter import Inverter
from tuireader.core.search.text import fold, raw_words

PIECES = [
    "River", "KETTLE", "garden's", "co-op", "snake_case", "x86_64", "42", "Café", "café",
    "naïve", "Ærø", "Straße", "Москва", "йод", "데비안을", "東京都庁舎", "ひらがな", "e\u0301",
    "tab\there", "new\nline", "—", "«quoted»", "ｆｕｌｌ", "2024-12-03", "a.b,c;d", "",
]


def _reference(texts: list[str]) -> dict[str, list[int]]:
    """Each folded word's passages, computed the plain way."""
    postings: dict[str, list[int]] = {}
    for number, text in enumerate(texts):
        for word in sorted({fold(raw) for raw in raw_words(text)}):
            postings.setdefault(word, []).append(number)
    return postings


def _inverted(inverter: Inverter) -> dict[str, list[int]]:
    """An inverter's words and postings as a plain dict."""
    return {
        word: postings.tolist()
        for word, postings in zip(inverter.words, inverter.postings, strict=True)
    }


def _texts(seed: int, count: int) -> list[str]:
    """Passages mixing ASCII-only ones and ones with accents, CJK, Hangul and Cyrillic."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        pool = PIECES if rng.random() < 0.5 else [piece for piece in PIECES if piece.isascii()]
        texts.append(" ".join(rng.choice(pool) for _ in range(rng.randint(0, 12))))
    return texts


def test_inverter_finds_the_words_raw_words_and_fold_give() -> None:
    """ASCII passages (cut on bytes) and the others (cut by regex) give the reference words."""
    texts = _texts(3, 400)
    assert any(text.isascii() for text in texts) and not all(text.isascii() for text in texts)
    inverter = Inverter()
    for text in texts:
        inverter.add(text, text.encode("utf-8", "surrogatepass"))
    assert inverter.passages == len(texts)
    assert _inverted(inverter) == _reference(texts)


def test_merged_inverters_equal_one_over_all_passages() -> None:
    """Chunks inverted apart and merged in order give what one inverter gives."""
    texts = _texts(4, 300)
    whole = Inverter()
    for text in texts:
        whole.add(text, text.encode())
    merged = Inverter()
    for start in range(0, len(texts), 70):
        part = Inverter()
        for text in texts[start : start + 70]:
            part.add(text, text.encode())
        numbers, ends = part.flat()
        merged.merge(part.passages, part.words, ends, numbers)
    assert merged.passages == whole.passages
    assert _inverted(merged) == _inverted(whole)
