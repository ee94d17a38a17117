"""The build's tokenise-and-invert step: the same words as ``text.raw_words`` and ``fold``."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from tuireader.core.search import grouping
from tuireader.core.search.grouping import GroupingInverter, new_inverter, numpy_module
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


def _grouping() -> Inverter:
    """A ``GroupingInverter`` (the test is skipped without numpy)."""
    numpy = numpy_module()
    if numpy is None:
        pytest.skip("numpy is not installed")
    return GroupingInverter(numpy)


KINDS = pytest.mark.parametrize("make", [Inverter, _grouping], ids=["python", "numpy"])


def _inverted(inverter: Inverter) -> dict[str, list[int]]:
    """An inverter's words and postings as a plain dict."""
    inverter.settle()
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


@KINDS
def test_inverter_finds_the_words_raw_words_and_fold_give(make: Callable[[], Inverter]) -> None:
    """ASCII passages (cut on bytes) and the others (cut by regex) give the reference words."""
    texts = _texts(3, 400)
    assert any(text.isascii() for text in texts) and not all(text.isascii() for text in texts)
    inverter = make()
    for text in texts:
        inverter.add(text, text.encode("utf-8", "surrogatepass"))
    assert inverter.passages == len(texts)
    assert _inverted(inverter) == _reference(texts)


@KINDS
def test_merged_inverters_equal_one_over_all_passages(make: Callable[[], Inverter]) -> None:
    """Chunks inverted apart and merged in order, between passages added, give one inverter's."""
    texts = _texts(4, 300)
    whole = Inverter()
    for text in texts:
        whole.add(text, text.encode())
    merged = make()
    for start in range(0, len(texts), 70):
        merged.add(texts[start], texts[start].encode())  # pairs pending when a merge comes
        part = make()
        for text in texts[start + 1 : start + 70]:
            part.add(text, text.encode())
        numbers, ends = part.flat()
        merged.merge(part.passages, part.words, ends, numbers)
    assert merged.passages == whole.passages
    assert _inverted(merged) == _inverted(whole)


def _by_word(inverter: Inverter) -> dict[str, list[int]]:
    """Each word's postings as ``flat`` gives them."""
    numbers, ends = inverter.flat()
    starts = [0, *ends[:-1]]
    return {
        word: numbers[start:end].tolist()
        for word, start, end in zip(inverter.words, starts, ends, strict=True)
    }


@pytest.mark.parametrize("batch", [1, 7, 1 << 24])
def test_grouping_inverter_gives_the_python_inverters_postings(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Grouped in one numpy sort or in many small batches: the plain inverter's postings."""
    monkeypatch.setattr(grouping, "GROUP_PAIRS", batch)
    texts = [*_texts(6, 500), "the the THE The", "", "--", "a a b", *_texts(7, 50)]
    plain, grouped = Inverter(), _grouping()
    for text in texts:
        plain.add(text, text.encode("utf-8", "surrogatepass"))
        grouped.add(text, text.encode("utf-8", "surrogatepass"))
    assert grouped.passages == plain.passages == len(texts)
    expected = _by_word(plain)
    assert _by_word(grouped) == expected == _reference(texts)


def test_new_inverter_is_the_grouping_one_only_with_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """numpy installed: the grouping inverter; missing: the plain one."""
    monkeypatch.setattr(grouping, "_NUMPY", [None])
    assert type(new_inverter()) is Inverter
    monkeypatch.setattr(grouping, "_NUMPY", [])
    expected = Inverter if numpy_module() is None else GroupingInverter
    assert type(new_inverter()) is expected


@pytest.mark.parametrize("piece", [1, 5, 1 << 22])
def test_grouping_inverter_writes_the_python_inverters_postings(
    piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sizes and postings in vocabulary order, passages added and chunks merged in turn."""
    monkeypatch.setattr(grouping, "GROUP_PAIRS", 40)
    monkeypatch.setattr(grouping, "WRITE_NUMBERS", piece)
    texts = _texts(8, 400)
    plain, grouped = Inverter(), _grouping()
    for start in range(0, len(texts), 90):
        for text in texts[start : start + 30]:
            plain.add(text, text.encode())
            grouped.add(text, text.encode())
        part = _grouping()
        for text in texts[start + 30 : start + 90]:
            part.add(text, text.encode())
        numbers, ends = part.flat()
        plain.merge(part.passages, part.words, ends, numbers)
        grouped.merge(part.passages, part.words, ends, numbers)
    assert grouped.passages == plain.passages == len(texts)
    assert sorted(grouped.words) == sorted(plain.words)
    plain_order = sorted(range(len(plain.words)), key=plain.words.__getitem__)
    order = sorted(range(len(grouped.words)), key=grouped.words.__getitem__)
    assert list(grouped.sizes(order)) == list(plain.sizes(plain_order))
    expected = b"".join(plain.pieces(plain_order))
    pieces = list(grouped.pieces(order))
    assert b"".join(pieces) == expected
    assert len(pieces) > 1 if piece < 10 else len(pieces) == 1
    assert _inverted(grouped) == _inverted(plain) == _reference(texts)
