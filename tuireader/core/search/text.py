"""Words for search: how text is cut into words and how words are compared.

A word is a run of letters and digits; each CJK ideograph or kana is a word by
itself (those scripts do not separate words with spaces).  Words are compared
folded: case-folded and without accents (``Café`` and ``cafe`` are one word),
while Hangul syllables stay whole.  The same functions serve the index builder
and the query, so both always agree.
"""

from __future__ import annotations

import re
import unicodedata

from tuireader.core.scripts import NO_SPACE_CLASS as _CJK

WORD_RE = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
"""A word: one CJK character, or a run of other letters and digits."""
_CJK_RE = re.compile(f"[{_CJK}]")
_ASCII_WORD_RE = re.compile("[A-Za-z0-9]+")
"""The same as ``WORD_RE`` on ASCII text, and more than twice as fast."""

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)
"""Very common English words: matched, but weighed little and highlighted only in phrases."""

_FOLDED: dict[str, str] = {}
_FOLD_CACHE_MAX = 500_000


def fold(word: str) -> str:
    """The comparison form of a word: case-folded, accents removed, Hangul kept whole."""
    if word.isascii():
        return word.lower()
    cached = _FOLDED.get(word)
    if cached is not None:
        return cached
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = unicodedata.normalize("NFC", stripped)
    if len(_FOLDED) < _FOLD_CACHE_MAX:
        _FOLDED[word] = folded
    return folded


def raw_words(text: str) -> list[str]:
    """The words of ``text`` as written (not folded), in order."""
    if text.isascii():
        return _ASCII_WORD_RE.findall(text)
    return WORD_RE.findall(text)


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    if text.isascii():
        return _ASCII_WORD_RE.findall(text.lower())
    return [fold(word) for word in WORD_RE.findall(text)]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, folded word)`` for each word of ``text``, in order."""
    return [(match.start(), match.end(), fold(match.group())) for match in WORD_RE.finditer(text)]


def is_cjk(word: str) -> bool:
    """Whether ``word`` is a single CJK character (matched exactly, never fuzzily)."""
    return len(word) == 1 and _CJK_RE.fullmatch(word) is not None


def max_typos(word: str) -> int:
    """How many typos (edits) a query word may contain: 0, 1 or 2, by its length."""
    length = len(word)
    if length <= 2 or is_cjk(word):
        return 0
    if length <= 5:
        return 1
    return 2
