"""The tokenise-and-invert step with numpy: ``Inverter``'s results, grouped by sorting.

Only used when numpy is installed (the optional ``fast`` extra; see
``new_inverter``).  Instead of one ``append`` per (word, passage) pair:

* a passage costs one C-level ``extend`` of its words' ids, repeats and all;
* now and then (``GROUP_PAIRS``) the pending pairs are grouped by one
  numpy sort of ``word << 32 | passage`` keys, which also drops the repeats,
  into a *batch*: the words present, how many passages each, and the passage
  numbers word after word;
* a chunk read by a worker (``merge``) becomes a batch as it is;
* the writer takes the postings in vocabulary order (``sizes``, ``pieces``)
  straight from the batches: a sort of the batches' (word, batch) segments and
  a numpy gather, with no Python loop per word.

Batches follow one another in passage order, so each word's numbers, taken
batch after batch, increase.  ``postings`` (one array per word, as
``Inverter`` keeps) is only filled by ``settle``.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import filterfalse
from types import ModuleType
from typing import Any

from tuireader.core.search.inverter import _ASCII_FOLD, Inverter
from tuireader.core.search.text import fold, raw_words

WRITE_NUMBERS = 1 << 22
"""Passage numbers gathered for each piece ``pieces`` gives."""
GROUP_PAIRS = 1 << 22
"""(word, passage) pairs a ``GroupingInverter`` holds before grouping them (about 25 bytes
each while grouping)."""


@dataclass(frozen=True, slots=True)
class _Batch:
    """Grouped pairs: the words present, and their passage numbers in ``GroupingInverter``."""

    ids: Any
    """Word ids (numpy ``uint32``)."""
    counts: Any
    """Per word: how many passage numbers (numpy ``int64``)."""
    start: int
    """Where the batch's numbers start, word after word, in the inverter's numbers."""


class GroupingInverter(Inverter):
    """An ``Inverter`` that records word ids and groups them with numpy (module docstring)."""

    def __init__(self, numpy: ModuleType) -> None:
        """No passage yet; ``numpy`` is the numpy module."""
        super().__init__()
        self._np: Any = numpy
        self._ids_ascii: dict[bytes, int] = {}
        self._ids_raw: dict[str, int] = {}
        self._pending = array("I")
        """Word ids of the passages not grouped yet, passage after passage."""
        self._counts = array("I")
        """Per passage not grouped yet: how many of ``_pending`` are its."""
        self._first = 0
        """Number of the first passage not grouped yet."""
        self._batches: list[_Batch] = []
        self._numbers = bytearray()
        """The batches' passage numbers (native ``uint32``)."""
        self._sorted: tuple[list[int], tuple[int, int], tuple[Any, Any, Any]] | None = None
        """The last ``_segments``: for which order (its length, the batches), what it gave."""

    def word_id(self, folded: str) -> int:
        """The id of a folded word, registering it when new (its postings come later)."""
        word_id = self._ids.get(folded)
        if word_id is None:
            word_id = self._ids[folded] = len(self.words)
            self.words.append(folded)
        return word_id

    def add(self, text: str, data: bytes) -> None:
        """Add the next passage: its text and the same text in UTF-8."""
        self.passages += 1
        pending = self._pending
        size = len(pending)
        if text.isascii():
            forms = data.translate(_ASCII_FOLD).split()
            ids = self._ids_ascii
            try:
                pending.extend(map(ids.__getitem__, forms))
            except KeyError:  # a new word: register the passage's new ones, then again
                del pending[size:]
                for form in forms:
                    if form not in ids:
                        ids[form] = self.word_id(form.decode("ascii"))
                pending.extend(map(ids.__getitem__, forms))
        else:
            raw_forms = set(raw_words(text))
            known = self._ids_raw
            for raw in raw_forms.difference(known):
                known[raw] = self.word_id(fold(raw))
            pending.extend(map(known.__getitem__, raw_forms))
        self._counts.append(len(pending) - size)
        if len(pending) >= GROUP_PAIRS:
            self._group()

    def _grouped_pending(self) -> tuple[Any, Any]:
        """The pending pairs grouped: passage numbers word after word, per word a count."""
        np = self._np
        ids = np.frombuffer(self._pending, dtype=np.uint32)
        keys = ids.astype(np.uint64)
        keys <<= np.uint64(32)
        first = self._first
        numbers = np.arange(first, first + len(self._counts), dtype=np.uint64)
        keys |= np.repeat(numbers, np.frombuffer(self._counts, dtype=np.uint32))
        keys.sort()  # by word, then passage
        if len(keys) > 1:  # a word said twice in a passage: one pair
            keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        counts = np.bincount(keys >> np.uint64(32), minlength=len(self.words))
        self._pending = array("I")
        self._counts = array("I")
        self._first = self.passages
        return keys.astype(np.uint32), counts

    def _group(self) -> None:
        """Turn the pending pairs into a batch."""
        if not self._counts:
            return
        numbers, counts = self._grouped_pending()
        ids = self._np.flatnonzero(counts)
        self._add_batch(ids.astype(self._np.uint32), counts[ids], numbers.tobytes())

    def _add_batch(self, ids: Any, counts: Any, numbers: bytes) -> None:
        """Record a batch whose numbers are ``numbers``."""
        self._batches.append(_Batch(ids, counts, len(self._numbers) // 4))
        self._numbers += numbers

    def merge(
        self, passages: int, words: Iterable[str], ends: array[int], numbers: array[int]
    ) -> None:
        """As ``Inverter.merge``: the chunk becomes a batch."""
        np = self._np
        self._group()
        words = list(words)
        if len(words) != len(ends):
            raise ValueError("one end per word expected")
        ids = self._ids
        for word in filterfalse(ids.__contains__, words):
            self.word_id(word)
        word_ids = np.fromiter(map(ids.__getitem__, words), dtype=np.uint32, count=len(words))
        counts = np.diff(np.frombuffer(ends, dtype=np.uint64), prepend=np.uint64(0))
        shifted = np.frombuffer(numbers, dtype=np.uint32) + np.uint32(self.passages)
        self._add_batch(word_ids, counts.astype(np.int64), shifted.tobytes())
        self.passages += passages
        self._first = self.passages

    def settle(self) -> None:
        """Fill ``postings`` from the batches (one Python step per word per batch)."""
        self._group()
        postings = self.postings
        while len(postings) < len(self.words):
            postings.append(array("I"))
        data = memoryview(self._numbers)
        for batch in self._batches:
            start = batch.start * 4
            for word_id, count in zip(batch.ids.tolist(), batch.counts.tolist(), strict=True):
                postings[word_id].frombytes(data[start : start + count * 4])
                start += count * 4
        data.release()
        self._batches = []
        self._numbers = bytearray()

    def flat(self) -> tuple[array[int], array[int]]:
        """As ``Inverter.flat``; straight from numpy when the passages form one batch."""
        if self._batches or any(self.postings):
            self.settle()
            return super().flat()
        np = self._np
        if self._counts:
            grouped, counts = self._grouped_pending()
        else:
            grouped, counts = np.zeros(0, np.uint32), np.zeros(len(self.words), np.int64)
        numbers = array("I")
        numbers.frombytes(grouped.tobytes())
        ends = array("Q")
        ends.frombytes(np.cumsum(counts, dtype=np.uint64).tobytes())
        return numbers, ends

    def _segments(self, order: list[int]) -> tuple[Any, Any, Any]:
        """Every (word, batch) run of numbers in writing order: its word's rank, start, length."""
        self._group()
        last = self._sorted
        sizes = (len(order), len(self._batches))
        if last is None or last[0] is not order or last[1] != sizes:
            last = self._sorted = order, sizes, self._sorted_segments(order)
        return last[2]

    def _sorted_segments(self, order: list[int]) -> tuple[Any, Any, Any]:
        """What ``_segments`` gives, computed."""
        np = self._np
        if not self._batches:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty
        rank = np.empty(len(self.words), np.int64)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int64)
        ranks = np.concatenate([rank[batch.ids] for batch in self._batches])
        counts = np.concatenate([batch.counts for batch in self._batches])
        starts = np.concatenate(
            [batch.start + np.cumsum(batch.counts) - batch.counts for batch in self._batches]
        )
        # Stable: runs of one word stay in batch (passage) order.
        place = np.argsort(ranks, kind="stable")
        return ranks[place], starts[place], counts[place]

    def sizes(self, order: list[int]) -> Iterable[int]:
        """As ``Inverter.sizes``."""
        if any(self.postings):
            self.settle()
            return super().sizes(order)
        np = self._np
        ranks, _, counts = self._segments(order)
        sizes: list[int] = np.bincount(ranks, weights=counts, minlength=len(order)).tolist()
        return map(int, sizes)

    def pieces(self, order: list[int]) -> Iterator[bytes]:
        """As ``Inverter.pieces``: gathered by numpy, about ``WRITE_NUMBERS`` at a time."""
        if any(self.postings):
            self.settle()
            yield from super().pieces(order)
            return
        np = self._np
        _, starts, counts = self._segments(order)
        numbers = np.frombuffer(self._numbers, dtype=np.uint32)
        ends = np.cumsum(counts)
        first = 0
        while first < len(counts):
            base = int(ends[first - 1]) if first else 0
            last = int(np.searchsorted(ends, base + WRITE_NUMBERS, side="right"))
            last = max(last, first + 1)
            out_starts = ends[first:last] - counts[first:last]
            index = np.repeat(starts[first:last] - out_starts, counts[first:last])
            index += np.arange(base, int(ends[last - 1]), dtype=np.int64)
            yield numbers[index].tobytes()
            first = last


_NUMPY: list[ModuleType | None] = []


def numpy_module() -> ModuleType | None:
    """numpy when installed (imported on first use), else None."""
    if not _NUMPY:
        try:
            import numpy
        except ImportError:
            _NUMPY.append(None)
        else:
            _NUMPY.append(numpy)
    return _NUMPY[0]


def new_inverter() -> Inverter:
    """The quickest inverter available: a ``GroupingInverter`` when numpy is installed."""
    numpy = numpy_module()
    if numpy is None:
        return Inverter()
    return GroupingInverter(numpy)
