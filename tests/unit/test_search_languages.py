"""Hangul jamo and initials, CJK bigrams, stems and language guesses (the pure parts)."""

from __future__ import annotations

import pytest

from tuireader.core.search import cjk, hangul, stemming
from tuireader.core.search.text import fold, word_spans, words


def test_a_syllable_comes_apart_into_jamo_so_one_wrong_key_is_one_edit() -> None:
    """A syllable comes apart into jamo so one wrong key is one edit."""
    from rapidfuzz.distance import OSA

    assert hangul.to_jamo("데비안") == "ᄃ" + "ᅦ" + "ᄇ" + "ᅵ" + "ᄋ" + "ᅡ" + "ᆫ"
    # 데비안 typed with ㅐ for ㅔ: a whole syllable apart, one jamo apart.
    assert (
        OSA.distance("데비안", "대비안")
        == 1
        == OSA.distance(hangul.to_jamo("데비안"), hangul.to_jamo("대비안"))
    )
    assert OSA.distance(hangul.to_jamo("한국어"), hangul.to_jamo("한국엉")) == 1
    assert hangul.to_jamo("plain") == "plain"
    assert hangul.jamo_typos(hangul.to_jamo("데비안")) == 1
    assert hangul.jamo_typos(hangul.to_jamo("가")) == 0


def test_initials_of_a_word_and_an_initials_query() -> None:
    """Initials of a word and an initials query."""
    assert hangul.initials("데비안") == "ᄃᄇᄋ"
    assert hangul.initials("데비안을").startswith(hangul.initials("데비안"))
    typed = fold("ㄷㅂㅇ")
    assert hangul.initials_query(typed) == "ᄃᄇᄋ"
    assert hangul.initials_query("ㄷㅂㅇ") == "ᄃᄇᄋ"
    assert hangul.initials_query("ㄷ") is None
    assert hangul.initials_query("데비") is None
    assert hangul.initials_query("db") is None


def test_cjk_runs_become_overlapping_pairs_and_spans_merge() -> None:
    """Cjk runs become overlapping pairs and spans merge."""
    assert cjk.bigrams("東京都庁") == ["東京", "京都", "都庁"]
    assert cjk.bigrams("猫") == ["猫"]
    assert cjk.bigrams("") == []
    assert word_spans("x 東京都") == [(0, 1), (2, 4), (3, 5)]
    assert cjk.index_terms("東京都") == {"東京", "京都", "東", "京", "都"}
    assert cjk.merge_spans([(6, 8), (5, 7), (10, 12)]) == ((5, 8), (10, 12))


@pytest.mark.parametrize(
    ("language", "query", "text"),
    [
        ("en", "installing", "installed"),
        ("en", "packages", "package"),
        ("de", "schlechte", "schlechtesten"),
        ("ru", "основан", "основал"),
    ],
)
def test_other_forms_of_a_word_share_its_stem(language: str, query: str, text: str) -> None:
    """Other forms of a word share its stem."""
    assert stemming.stem(fold(query), language) == stemming.stem(fold(text), language)


def test_no_stem_without_a_stemmer_or_for_short_words() -> None:
    """No stem without a stemmer or for short words."""
    assert stemming.stem("東京都庁", "ja") is None
    assert stemming.stem("cat", "en") is None
    assert not stemming.has_stemmer("ja")
    assert stemming.has_stemmer("en")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en-GB", "en"),
        ("English", "en"),
        ("pt_BR", "pt"),
        ("Deutsch", "de"),
        ("", None),
        ("x", None),
    ],
)
def test_language_tags_and_names_normalise(value: str, code: str | None) -> None:
    """Language tags and names normalise."""
    assert stemming.normalize_language(value) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The history of the war was written in the spring, and it is not over.", "en"),
        ("Der Krieg ist nicht vorbei, und die Geschichte des Landes ist auf dem Weg.", "de"),
        ("Он сказал, что это было не так, и по дороге к дому было тихо.", "ru"),
        ("La guerre est finie et les hommes sont dans la ville avec le roi.", "fr"),
        ("東京の空は青かった。私はそれを見ていた。", "ja"),
        ("他们在北京的大学里学习中文和历史。", "zh"),
        ("데비안은 자유 소프트웨어로 만든 운영 체제입니다.", "ko"),
        ("12345 67890", None),
    ],
)
def test_a_texts_language_is_guessed_from_its_script_and_common_words(
    text: str, code: str | None
) -> None:
    """A texts language is guessed from its script and common words."""
    assert stemming.detect_language(words(text)) == code


def test_script_of_a_word() -> None:
    """Script of a word."""
    assert stemming.script_of("haus") == "latin"
    assert stemming.script_of("дом") == "cyrillic"
    assert stemming.script_of("데비안") == "hangul"
    assert stemming.script_of("東京") == "cjk"
    assert stemming.script_of("123") == "other"
