"""Finding the vocabulary words within a few typos of a query word, quickly.

Typos are counted with rapidfuzz's OSA distance (a swap of two letters is one
edit), searched only among vocabulary words of a close length sharing a first or
second letter with the query word: the words of a few ``(length, slot, letter)``
buckets.  ``TypoIndex.matches`` returns exactly the words such a full scan of the
buckets finds (``TypoIndex.scan``), but checks only a few of them with rapidfuzz:

Each edit (insertion, deletion, substitution, swap) takes at most one distinct
letter out of a word and brings at most one new one in.  So a word within ``k``
edits of the query lacks at most ``k`` of the query's distinct letters and holds
at most ``k`` letters the query lacks (fewer when the lengths differ: a longer
word needs insertions, which remove nothing).  Each bucket keeps, per word, which
of the vocabulary's 32 commonest letters it holds (four bytes, eight letters a
byte); the two counts are worked out for a whole bucket at once with
``bytes.translate`` and integer addition (in C), and only the words passing them
are measured.  Letters outside those 32 are left out of the counts, which keeps
them lower bounds: no match is ever filtered out.
"""

from __future__ import annotations

import bisect
import operator
from collections import Counter
from collections.abc import Sequence

_Key = tuple[int, int, str]
"""(length, slot, letter): words of that length with that first (0) or second (1) letter."""

GROUPS = 4
"""Bytes of letter-presence bits per word (eight tracked letters each)."""
SATURATE = 3
"""Per-byte counts are capped here (the filter never needs more than ``MAX_FILTERED``)."""
MAX_FILTERED = 2
"""Typos up to this many are prefiltered by letters; more are scanned in full."""
SAMPLE_EVERY = 64
"""Every this-many-th vocabulary word is counted to choose the tracked letters."""


def _popcount_table() -> list[int]:
    """Set bits of each byte value, capped at ``SATURATE``."""
    return [min(SATURATE, value.bit_count()) for value in range(256)]


_POP = _popcount_table()
_PASS: dict[tuple[int, int], bytes] = {
    (lack, extra): bytes(
        1 if (value & 15) <= lack and (value >> 4) <= extra else 0 for value in range(256)
    )
    for lack in range(MAX_FILTERED + 1)
    for extra in range(MAX_FILTERED + 1)
}
"""(allowed lacking letters, allowed extra letters) -> 1 for a passing packed count."""


class TypoIndex:
    """Vocabulary words bucketed for typo search, with letter-presence signatures."""

    def __init__(self, words: Sequence[str]) -> None:
        """Bucket and sign ``words`` (the sorted vocabulary; a word's position is its id)."""
        self._words = words
        sample = Counter("".join(words[::SAMPLE_EVERY]))
        tracked = [
            char
            for char, _ in sorted(sample.items(), key=lambda item: (-item[1], item[0]))
            if ord(char) < 256 and char != "?"
        ][: 8 * GROUPS]
        self._bit = {char: (number // 8, 1 << (number % 8)) for number, char in enumerate(tracked)}
        self._encode = [_encoding(self._bit, group) for group in range(GROUPS)]
        self._buckets: dict[_Key, list[int]] = {}
        """Bucket -> the ids of its words."""
        self._signatures: dict[_Key, list[bytes]] = {}
        self._tables: dict[int, bytes] = {}
        # Grouped by length with C-level calls (sorts are stable: vocabulary order within).
        lengths = list(map(len, words))
        order = sorted(range(len(words)), key=lengths.__getitem__)
        if len(order) < 2:  # (``itemgetter`` of a single index gives no tuple)
            if order and lengths[0]:
                self._add_size(lengths[0], list(words), order)
            return
        pick = operator.itemgetter(*order)
        ordered_lengths = pick(lengths)
        ordered_words = pick(words)
        start = 0
        while start < len(order):
            size = ordered_lengths[start]
            end = bisect.bisect_right(ordered_lengths, size, start)
            if size:
                self._add_size(size, ordered_words[start:end], order[start:end])
            start = end

    def _add_size(self, size: int, words: Sequence[str], ids: list[int]) -> None:
        """Bucket the words of one length (in vocabulary order) and sign them."""
        joined = "".join(words)
        signature = _signatures(joined.encode("latin-1", "replace"), size, self._encode)
        for slot in (0, 1):
            if size <= slot:
                # A one-letter word has no second letter: it sits under (1, 1, "").
                self._buckets[size, slot, ""] = ids
                self._signatures[size, slot, ""] = signature
                continue
            letters = joined[slot::size]
            order = sorted(range(len(ids)), key=letters.__getitem__)
            if order == list(range(len(ids))):
                ids_at, signature_at = ids, signature
            else:  # each letter's words together (slot 0 of a sorted vocabulary already is)
                pick = operator.itemgetter(*order)  # two words at least: it gives tuples
                letters = "".join(pick(letters))
                ids_at = list(pick(ids))
                signature_at = [bytes(pick(group)) for group in signature]
            start = 0
            while start < len(letters):
                letter = letters[start]
                end = letters.rfind(letter) + 1
                key = (size, slot, letter)
                self._buckets[key] = ids_at[start:end]
                self._signatures[key] = [group[start:end] for group in signature_at]
                start = end

    def keys(self, word: str, typos: int) -> list[_Key]:
        """The buckets searched for ``word``: close lengths, a first or second letter shared."""
        length = len(word)
        letters = dict.fromkeys((word[0], word[1]))
        return [
            key
            for size in range(max(1, length - typos), length + typos + 1)
            for slot in (0, 1)
            for letter in letters
            if (key := (size, slot, letter)) in self._buckets
        ]

    def scan(self, word: str, typos: int) -> dict[int, int]:
        """Word id -> OSA distance (1..typos) of every bucketed word near ``word``, in full."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        found: dict[int, int] = {}
        vocabulary = self._words
        for key in self.keys(word, typos):
            ids = self._buckets[key]
            words = [vocabulary[word_id] for word_id in ids]
            matches = process.extract(
                word, words, scorer=OSA.distance, score_cutoff=typos, limit=None
            )
            for _, distance, position in matches:
                if distance:
                    found[ids[position]] = distance
        return found

    def matches(self, word: str, typos: int) -> dict[int, int]:
        """The same as ``scan``, measuring only the words the letter counts let through."""
        if typos > MAX_FILTERED or len(word) < 2:
            return self.scan(word, typos)
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        masks = [0] * GROUPS
        for char in set(word):
            place = self._bit.get(char)
            if place is not None:
                masks[place[0]] |= place[1]
        tables = [self._table(mask) for mask in masks]
        length = len(word)
        chosen: dict[int, None] = {}
        for key in self.keys(word, typos):
            size = key[0]
            lack = typos - max(0, size - length)
            extra = typos - max(0, length - size)
            ids = self._buckets[key]
            total = 0
            for signature, table in zip(self._signatures[key], tables, strict=True):
                total += int.from_bytes(signature.translate(table), "little")
            passing = total.to_bytes(len(ids), "little").translate(_PASS[lack, extra])
            at = passing.find(1)
            while at >= 0:
                chosen[ids[at]] = None
                at = passing.find(1, at + 1)
        if not chosen:
            return {}
        numbers = list(chosen)
        vocabulary = self._words
        matches = process.extract(
            word,
            [vocabulary[word_id] for word_id in numbers],
            scorer=OSA.distance,
            score_cutoff=typos,
            limit=None,
        )
        return {numbers[position]: distance for _, distance, position in matches if distance}

    def _table(self, mask: int) -> bytes:
        """A signature byte -> packed (lacking letters, extra letters) for a query's ``mask``."""
        table = self._tables.get(mask)
        if table is None:
            pop = _POP
            table = bytes(
                pop[mask & ~value & 255] + 16 * pop[value & ~mask & 255] for value in range(256)
            )
            self._tables[mask] = table
        return table


def _encoding(bits: dict[str, tuple[int, int]], group: int) -> bytes:
    """A ``bytes.translate`` table: a tracked letter of ``group`` -> its bit, others -> 0."""
    table = bytearray(256)
    for char, (owner, bit) in bits.items():
        if owner == group:
            table[ord(char)] = bit
    return bytes(table)


def _signatures(joined: bytes, size: int, encode: list[bytes]) -> list[bytes]:
    """Per group, one byte per word of ``joined`` (words of ``size`` bytes): its tracked letters."""
    spans = [1]
    while spans[-1] * 2 <= size:
        spans.append(spans[-1] * 2)
    signature: list[bytes] = []
    for table in encode:
        bits = int.from_bytes(joined.translate(table), "little")
        # Byte p becomes the OR of bytes p .. p + size - 1: word i's letters at i * size.
        for span in spans[:-1]:
            bits |= bits >> (8 * span)
        if size > spans[-1]:
            bits |= bits >> (8 * (size - spans[-1]))
        signature.append(bits.to_bytes(len(joined), "little")[::size])
    return signature
