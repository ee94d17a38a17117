"""Matching a query word against the index's vocabulary: exactly, with typos, as a prefix.

Hangul words are compared by their jamo, a query of initial consonants only
(ㄷㅂㅇ) matches words by their syllables' initials, and other forms of a word
match a little below an exact or one-typo match (``core.search.vocab_match``).
A word form is found by the Snowball stem of a language, so it holds only in
documents of that language: ``Matches.limited`` says which (an English stem
never joins two German words).

Typos are counted with rapidfuzz's OSA distance (a swap of two letters is one
edit), searched only among vocabulary words of a close length sharing a first or
second letter with the query word (``core.search.typos``).  The word being
typed (the query's last one) also matches longer words it begins.  Each match
has a quality (1.0: exact).
"""

from __future__ import annotations

import bisect
import heapq
import operator
import threading
from dataclasses import dataclass, field

from tuireader.core.search import hangul
from tuireader.core.search.index_file import IndexData
from tuireader.core.search.stemming import forms_language
from tuireader.core.search.text import STOPWORDS, is_cjk, max_typos
from tuireader.core.search.typos import TypoIndex
from tuireader.core.search.vocab_match import STEM_QUALITY, VocabularyMatcher

MAX_VARIANTS = 40
"""Vocabulary words kept per query word (the best ones)."""
REMEMBERED_WORDS = 2048
"""Query words whose matches are remembered (all forgotten at once beyond)."""


@dataclass(slots=True)
class Matches:
    """The vocabulary words matching a query word, and where the word-form matches hold."""

    quality: dict[int, float] = field(default_factory=dict)
    """Vocabulary id -> best match quality (1.0 exact), a word form counted at its best."""
    limited: dict[int, tuple[frozenset[str], float]] = field(default_factory=dict)
    """Vocabulary id -> (the languages in whose documents its word-form match holds, its
    quality in documents of other languages: 0.0 when it does not match there at all).
    Only word-form matches that do not hold in every language of the library are here."""

    def quality_in(self, language: str) -> dict[int, float]:
        """The matches that hold in a document of ``language``, with their quality there."""
        if not self.limited:
            return self.quality
        found = dict(self.quality)
        for word_id, (languages, elsewhere) in self.limited.items():
            if language not in languages:
                if elsewhere:
                    found[word_id] = elsewhere
                else:
                    del found[word_id]
        return found


class Vocabulary:
    """The words of an index, with their passage counts and a typo-tolerant lookup."""

    def __init__(self, data: IndexData) -> None:
        """Look words up in ``data``'s vocabulary."""
        self._data = data
        self._ids = {word: number for number, word in enumerate(data.words)}
        self._typos: TypoIndex | None = None
        self._remembered: dict[tuple[str, bool], Matches] = {}
        self._lock = threading.Lock()
        self._matcher = VocabularyMatcher(data.words, self.df)
        self.languages = sorted({forms_language(entry.language) for entry in data.documents})
        """The languages whose word forms are matched: the documents' (``forms_language``)."""

    def word_id(self, word: str) -> int | None:
        """The id of a folded word, or None when no passage holds it."""
        return self._ids.get(word)

    def df(self, word_id: int) -> int:
        """How many passages hold the word."""
        offsets = self._data.post_offsets
        return offsets[word_id + 1] - offsets[word_id]

    def variants(self, word: str, prefix: bool) -> dict[int, float]:
        """Vocabulary words matching a query word, with their best match quality."""
        return self.match(word, prefix).quality

    def match(self, word: str, prefix: bool) -> Matches:
        """Vocabulary words matching a query word, with their match quality.

        ``prefix``: the word is being typed, so longer words it begins match too.
        Remembered: typing a query asks again for its earlier words at every key.
        """
        key = (word, prefix)
        found = self._remembered.get(key)
        if found is None:
            found = self._variants(word, prefix)
            if len(self._remembered) >= REMEMBERED_WORDS:
                self._remembered.clear()
            self._remembered[key] = found
        return Matches(dict(found.quality), dict(found.limited))

    def _variants(self, word: str, prefix: bool) -> Matches:
        """``match``, worked out."""
        if hangul.initials_query(word) is not None:
            return Matches(self._matcher.initials(word))
        found: dict[int, float] = {}
        exact = self._ids.get(word)
        if exact is not None:
            found[exact] = 1.0
        typos = 0 if word in STOPWORDS or hangul.has_hangul(word) else max_typos(word)
        if typos:
            self._add_typos(word, typos, found)
        for word_id, quality in self._matcher.hangul(word).items():
            if quality > found.get(word_id, 0.0):
                found[word_id] = quality
        if prefix and len(word) >= 2 and not is_cjk(word):
            self._add_prefixed(word, found)
        limited: dict[int, tuple[frozenset[str], float]] = {}
        every = set(self.languages)
        for word_id, languages in self._matcher.stems(word, self.languages).items():
            elsewhere = found.get(word_id, 0.0)
            if elsewhere >= STEM_QUALITY:
                continue
            found[word_id] = STEM_QUALITY
            if not every <= languages:
                limited[word_id] = (frozenset(languages), elsewhere)
        if len(found) > MAX_VARIANTS:
            best = sorted(found.items(), key=lambda item: (-item[1], -self.df(item[0])))
            found = dict(best[:MAX_VARIANTS])
            limited = {word_id: item for word_id, item in limited.items() if word_id in found}
        return Matches(found, limited)

    def _add_typos(self, word: str, typos: int, found: dict[int, float]) -> None:
        """Add the words within ``typos`` edits of ``word`` to ``found``."""
        vocab = self._data.words
        length = len(word)
        for word_id, distance in self._typo_index().matches(word, typos).items():
            quality = max(0.3, 1.0 - 1.5 * distance / max(length, len(vocab[word_id])))
            if quality > found.get(word_id, 0.0):
                found[word_id] = quality

    def _add_prefixed(self, word: str, found: dict[int, float]) -> None:
        """Add the (commonest) longer words beginning with ``word`` to ``found``."""
        vocab = self._data.words
        low = bisect.bisect_right(vocab, word)
        high = bisect.bisect_left(vocab, word + "\U0010ffff", low)
        extra: range | list[int] = range(low, high)
        if high - low > MAX_VARIANTS:
            # The commonest (ties: first in order), with the counts taken in one slice.
            ends = self._data.post_offsets[low : high + 1].tolist()
            counts = list(map(operator.sub, ends[1:], ends[:-1]))
            best = heapq.nlargest(MAX_VARIANTS, range(high - low), key=counts.__getitem__)
            extra = [low + at for at in best]
        for word_id in extra:
            quality = 0.55 + 0.35 * len(word) / len(vocab[word_id])
            if quality > found.get(word_id, 0.0):
                found[word_id] = quality

    def _typo_index(self) -> TypoIndex:
        """The vocabulary bucketed for typo search (``core.search.typos``), built on first use."""
        with self._lock:
            if self._typos is None:
                self._typos = TypoIndex(self._data.words)
            return self._typos
