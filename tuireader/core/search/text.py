"""Words for search: how text is cut into words and how words are compared.

A word is a run of letters and digits.  Chinese and Japanese do not separate
words with spaces: a run of ideographs and kana is cut into overlapping pairs
of characters (``core.search.cjk``), which stand for its words.  Words are
compared folded: case-folded and without accents (``Café`` and ``cafe`` are one
word), while Hangul syllables and the Cyrillic й stay whole.  The same functions
serve the index builder and the query, so both always agree.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import islice

from tuireader.core.scripts import NO_SPACE_CLASS as _CJK
from tuireader.core.search.cjk import bigrams, index_terms

WORD_RE = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+")
"""A word, or a whole run of CJK characters (cut into pairs by ``words``)."""
_CJK_RE = re.compile(f"[{_CJK}]+")
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

_BREVE = "\u0306"
"""Kept after a Cyrillic и: й is a letter of its own, not и with an accent."""
_FOLDED: dict[str, str] = {}
_FOLD_CACHE_MAX = 500_000


def fold(word: str) -> str:
    """The comparison form of a word: case-folded, accents removed, Hangul kept whole."""
    if word.isascii():
        return word.lower()
    cached = _FOLDED.get(word)
    if cached is not None:
        return cached
    if _CJK_RE.fullmatch(word):
        # Kana keep their voicing marks (で is not て); only width is unified.
        folded = unicodedata.normalize("NFKC", word)
        if len(_FOLDED) < _FOLD_CACHE_MAX:
            _FOLDED[word] = folded
        return folded
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    stripped = "".join(
        char
        for index, char in enumerate(decomposed)
        if not unicodedata.combining(char)
        or (char == _BREVE and index and decomposed[index - 1] == "\u0438")
    )
    folded = unicodedata.normalize("NFC", stripped)
    if len(_FOLDED) < _FOLD_CACHE_MAX:
        _FOLDED[word] = folded
    return folded


def raw_words(text: str) -> list[str]:
    """What a text puts in the index: its words as written (not folded).

    A CJK run gives its character pairs and its single characters (so that a
    one-character query still finds it).
    """
    if text.isascii():
        return _ASCII_WORD_RE.findall(text)
    found: list[str] = []
    for word in WORD_RE.findall(text):
        if _CJK_RE.fullmatch(word):
            found += index_terms(word)
        else:
            found.append(word)
    return found


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order, CJK runs as their character pairs."""
    if text.isascii():
        return _ASCII_WORD_RE.findall(text.lower())
    found: list[str] = []
    for word in WORD_RE.findall(text):
        if _CJK_RE.fullmatch(word):
            found += bigrams(fold(word))
        else:
            found.append(fold(word))
    return found


def word_spans(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` in ``text`` of each word of ``words(text)``, in order.

    With ``limit``, only (at least) the first ``limit`` words' spans are sure to be given.
    """
    if text.isascii():
        return [match.span() for match in islice(_ASCII_WORD_RE.finditer(text), limit)]
    found: list[tuple[int, int]] = []
    for match in WORD_RE.finditer(text):
        start, end = match.span()
        if end - start > 1 and _CJK_RE.fullmatch(match.group()):
            found += [(at, at + 2) for at in range(start, end - 1)]
        else:
            found.append((start, end))
        if limit is not None and len(found) >= limit:
            break
    return found


def is_cjk(word: str) -> bool:
    """Whether ``word`` is CJK characters only (matched exactly, never fuzzily)."""
    return _CJK_RE.fullmatch(word) is not None


def max_typos(word: str) -> int:
    """How many typos (edits) a query word may contain: 0, 1 or 2, by its length."""
    length = len(word)
    if length <= 2 or is_cjk(word):
        return 0
    if length <= 5:
        return 1
    return 2
