"""Language guessing and stemming at the edges: other scripts, odd metadata, no stemmer at all."""

from __future__ import annotations

import sys

import pytest

from tuireader.core.search import stemming
from tuireader.core.search.stemming import (
    LanguageSample,
    detect_language,
    has_stemmer,
    metadata_language,
    script_of,
    stem,
)


@pytest.mark.parametrize(
    ("word", "script"),
    [
        ("λόγος", "greek"),
        ("բառ", "armenian"),
        ("שלום", "hebrew"),
        ("سلام", "arabic"),
        ("नमस्ते", "devanagari"),
        ("வணக்கம்", "tamil"),
        ("ḥadīth", "latin"),  # Latin Extended Additional first
        ("12abc", "latin"),  # digits skipped, the first letter decides
        ("123", "other"),
        ("", "other"),
    ],
)
def test_script_of_names_the_script_of_the_first_letter(word: str, script: str) -> None:
    """Each script is told by its first letter; digits are passed over."""
    assert script_of(word) == script


@pytest.mark.parametrize(
    ("words", "language"),
    [
        (["λόγος", "και", "του"], "el"),
        (["բառ", "և"], "hy"),
        (["שלום", "עולם"], "yi"),
        (["سلام", "عليكم"], None),  # Arabic script: Arabic, Persian, Urdu... not guessed
        (["नमस्ते", "दुनिया"], None),
        (["12", "34"], None),
    ],
)
def test_languages_decided_by_script_alone(words: list[str], language: str | None) -> None:
    """Greek, Armenian and Hebrew script each give their stemmer's language; shared scripts none."""
    assert detect_language(words) == language


def test_a_full_language_sample_takes_no_more_words() -> None:
    """Once full, a sample ignores further passages: the guess is of the first words only."""

    class Small(LanguageSample):
        WORDS = 4

    sample = Small()
    sample.add("the cat and the")
    assert sample.full
    sample.add("der die und das ist nicht ein eine der die und das")
    assert sample.guess() == "en"


def test_metadata_language_skips_an_unknown_name_for_a_known_one() -> None:
    """``language: Klingon`` is passed over; ``lang: de-AT`` then gives German."""
    assert metadata_language({"language": "Klingon", "lang": "de-AT"}) == "de"
    assert metadata_language({"language": "Klingon", "lang": 7}) is None


def test_without_any_stemmer_library_words_get_no_stems(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither PyStemmer nor snowballstemmer importable: no stems, no error, search goes on."""
    monkeypatch.setitem(sys.modules, "Stemmer", None)
    monkeypatch.setitem(sys.modules, "snowballstemmer", None)
    monkeypatch.setattr(stemming, "_stemmers", {})
    assert stem("installing", "en") is None
    assert has_stemmer("en") is False
    assert has_stemmer("xx") is False


def _detect_language_word_by_language(words: list[str]) -> str | None:
    """The guess as first written: every word tried against every language's stop words."""
    from collections import Counter

    scripts: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for word, count in Counter(words).items():
        scripts[script_of(word)] += count
        for code, stops in stemming._STOPWORDS.items():
            if word in stops:
                hits[code] += count
    scripts.pop("other", None)
    if not scripts:
        return None
    if scripts["kana"]:
        return "ja"
    script = scripts.most_common(1)[0][0]
    fixed = {"hangul": "ko", "cjk": "zh", "greek": "el", "armenian": "hy", "hebrew": "yi"}
    if script in fixed:
        return fixed[script]
    if script not in ("latin", "cyrillic"):
        return None
    candidates = [code for code in hits if stemming.language_script(code) == script]
    if not candidates:
        return "ru" if script == "cyrillic" else None
    best = max(candidates, key=lambda code: (hits[code], code == stemming.DEFAULT_LANGUAGE))
    return best if hits[best] >= 2 else None


def test_language_guess_by_stop_word_table_is_the_word_by_language_one() -> None:
    """The stop-word table (word -> languages) guesses as trying each language did, ties too."""
    import random

    rng = random.Random(11)
    stops = sorted({word for words in stemming._STOPWORDS.values() for word in words})
    shared = [w for w in stops if sum(w in s for s in stemming._STOPWORDS.values()) > 1]
    assert shared  # words that are stop words of several languages (the ties)
    pool = [*stops, *shared * 3, "river", "kettle", "λόγος", "москва", "12"]
    guesses = set()
    for _ in range(600):
        words = [rng.choice(pool) for _ in range(rng.randint(0, 12))]
        guess = detect_language(words)
        assert guess == _detect_language_word_by_language(words), words
        guesses.add(guess)
    assert len(guesses) > 5
