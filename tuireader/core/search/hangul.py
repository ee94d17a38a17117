"""Hangul for search: syllables taken apart into jamo, and initial-consonant queries.

A Hangul syllable is an initial consonant, a vowel and an optional final
consonant (데 = ㄷ + ㅔ).  Comparing words syllable by syllable makes one mistyped
key a whole wrong syllable; comparing their jamo makes it one typo, as it is.

Korean users also search by initial consonants alone, as on their phones and in
their IDEs: ``ㄷㅂㅇ`` finds 데비안 (ㄷ from 데, ㅂ from 비, ㅇ from 안).

Works on folded words (``text.fold``), where a typed compatibility consonant
such as ``ㄷ`` (U+3137) has become the conjoining initial ``ᄃ`` (U+1103); both
forms are accepted.
"""

from __future__ import annotations

import unicodedata

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3
_PER_INITIAL = 21 * 28
"""Syllables per initial consonant (21 vowels x 28 finals, counting none)."""
CHOSEONG_FIRST = 0x1100
CHOSEONG_LAST = 0x1112
_COMPAT_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
"""Compatibility consonants that can start a syllable, in choseong order."""
_TO_CHOSEONG = {ord(char): CHOSEONG_FIRST + number for number, char in enumerate(_COMPAT_INITIALS)}


def is_syllable(char: str) -> bool:
    """Whether ``char`` is a precomposed Hangul syllable (가-힣)."""
    return SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


def has_hangul(word: str) -> bool:
    """Whether ``word`` holds at least one Hangul syllable."""
    return any(SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST for char in word)


def to_jamo(word: str) -> str:
    """``word`` with each Hangul syllable written as its two or three conjoining jamo."""
    if not has_hangul(word):
        return word
    return unicodedata.normalize("NFD", word)


def initials(word: str) -> str:
    """The initial consonant (conjoining) of each syllable of ``word``; other characters kept."""
    return "".join(
        chr(CHOSEONG_FIRST + (ord(char) - SYLLABLE_FIRST) // _PER_INITIAL)
        if SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST
        else char
        for char in word
    )


def initials_query(word: str) -> str | None:
    """The initials a query word of only initial consonants asks for (conjoining form), else None.

    ``ㄷㅂㅇ`` and ``ᄃᄇᄋ`` both give ``ᄃᄇᄋ``; a single consonant is not an initials
    query (it is too vague to be one).
    """
    if len(word) < 2:
        return None
    converted = word.translate(_TO_CHOSEONG)
    if all(CHOSEONG_FIRST <= ord(char) <= CHOSEONG_LAST for char in converted):
        return converted
    return None


def jamo_typos(jamo: str) -> int:
    """How many typos a Hangul query word may contain, by its length in jamo."""
    length = len(jamo)
    if length <= 3:
        return 0
    if length <= 8:
        return 1
    return 2


def jamo_quality(distance: int, query_jamo: str, word_jamo: str) -> float:
    """Match quality (below 1.0) of a vocabulary word ``distance`` jamo edits from the query."""
    return max(0.3, 1.0 - 1.5 * distance / max(len(query_jamo), len(word_jamo)))
