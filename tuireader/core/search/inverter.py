"""Passages into postings: the one tokenise-and-invert step of every index build.

Both the single-process build (``index_file.IndexWriter``) and the worker
processes (``parallel.read_chunk``) feed passages to an ``Inverter``, which
keeps, for each folded word (``text.fold``), the increasing numbers of the
passages holding it.  The words are those of ``text.raw_words``, folded; only
the way they are found is tuned for speed, since this runs once per passage of
every document:

* a passage of ASCII text is cut on its UTF-8 bytes (which the build writes
  anyway): one ``bytes.translate`` lowers letters and blanks everything but
  letters and digits, then ``split`` gives the folded words, the same as
  ``raw_words`` and ``fold`` give, several times faster;
* every word form met is remembered with the ``append`` of its postings, so a
  passage costs a set of its words, a set difference (the new forms, rare
  after the first pages) and one append per distinct word.

With numpy installed (the optional ``fast`` extra), ``new_inverter`` gives a
``GroupingInverter``: a passage then costs one C-level ``extend`` of its word
ids, and the (word, passage) pairs are grouped by one numpy sort per batch,
which spares the per-word appends (a third of a worker's time).  Both give the
same words and postings (tests compare them).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

from tuireader.core.search.text import fold, raw_words

_ASCII_FOLD = bytes(
    byte + 32 if 65 <= byte <= 90 else byte if 97 <= byte <= 122 or 48 <= byte <= 57 else 32
    for byte in range(256)
)
"""Byte table: ASCII letters lowered, digits kept, every other byte a space."""

Append = Callable[[int], None]
GROUP_PAIRS = 1 << 24
"""(word, passage) pairs a ``GroupingInverter`` holds before grouping them (8 bytes each)."""


class Inverter:
    """Folded words met in passages, each with the numbers of the passages holding it."""

    def __init__(self) -> None:
        """No passage yet."""
        self.passages = 0
        """Passages added (the next passage's number)."""
        self.words: list[str] = []
        """Folded words, in the order first met (a word's id is its place here)."""
        self.postings: list[array[int]] = []
        """Per word id: the increasing numbers of the passages holding it."""
        self._ids: dict[str, int] = {}
        self._appends: list[Append] = []
        self._ascii: dict[bytes, Append] = {}
        self._raw: dict[str, Append] = {}

    def word_id(self, folded: str) -> int:
        """The id of a folded word, registering it when new."""
        word_id = self._ids.get(folded)
        if word_id is None:
            word_id = self._ids[folded] = len(self.words)
            self.words.append(folded)
            postings = array("I")
            self.postings.append(postings)
            self._appends.append(postings.append)
        return word_id

    def add(self, text: str, data: bytes) -> None:
        """Add the next passage: its text and the same text in UTF-8."""
        number = self.passages
        self.passages = number + 1
        if text.isascii():
            forms = set(data.translate(_ASCII_FOLD).split())
            ascii_forms = self._ascii
            new = forms.difference(ascii_forms)
            if new:
                appends = self._appends
                for form in new:
                    ascii_forms[form] = appends[self.word_id(form.decode("ascii"))]
            for append in map(ascii_forms.__getitem__, forms):
                append(number)
            return
        raw_forms = set(raw_words(text))
        known = self._raw
        new_raw = raw_forms.difference(known)
        if new_raw:
            appends = self._appends
            for raw in new_raw:
                known[raw] = appends[self.word_id(fold(raw))]
        # Two forms may fold to one word (Café, café): each word's append once.
        for append in set(map(known.__getitem__, raw_forms)):
            append(number)

    def settle(self) -> None:
        """Bring ``postings`` up to date (a ``GroupingInverter`` groups late)."""

    def merge(
        self, passages: int, words: Iterable[str], ends: array[int], numbers: array[int]
    ) -> None:
        """Add ``passages`` passages inverted elsewhere (a worker's ``Inverter.flat``).

        Word ``i`` of ``words`` is held by the passages ``numbers[ends[i-1]:ends[i]]``,
        numbered from 0 there; here they follow the passages already added.
        """
        numbers = shifted(numbers, self.passages)
        self.passages += passages
        postings = self.postings
        known = self._ids.get
        start = 0
        for word, end in zip(words, ends, strict=True):
            word_id = known(word)
            if word_id is None:
                word_id = self.word_id(word)
            postings[word_id].extend(numbers[start:end])
            start = end

    def flat(self) -> tuple[array[int], array[int]]:
        """Every word's postings end to end, and the end of each word's in them."""
        numbers = array("I")
        ends = array("Q")
        for postings in self.postings:
            numbers.extend(postings)
            ends.append(len(numbers))
        return numbers, ends


def shifted(numbers: array[int], base: int) -> array[int]:
    """``numbers`` (an ``I`` array) with ``base`` added to each, in a few C-speed steps.

    The array's bytes are read as one big integer whose 32-bit lanes are the
    numbers; adding ``base`` times ``0x…000000010000000100000001`` adds ``base`` to
    every lane at once.  No lane carries into the next as long as every sum stays
    below 2**32, which passage numbers (stored as 32 bits) do.
    """
    count = len(numbers)
    if base == 0 or count == 0:
        return numbers
    order = sys.byteorder
    width = numbers.itemsize
    lanes = int.from_bytes((1).to_bytes(width, order) * count, order)
    total = int.from_bytes(numbers.tobytes(), order) + base * lanes
    result = array(numbers.typecode)
    result.frombytes(total.to_bytes(width * count, order))
    return result


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
    return Inverter() if numpy is None else GroupingInverter(numpy)


class GroupingInverter(Inverter):
    """An ``Inverter`` that records each passage's word ids and groups them with numpy.

    A passage's words are recorded as they come, repeats and all; the sort that
    groups the pairs also drops the repeats.

    ``postings`` is up to date only after ``settle`` (``merge`` and ``flat`` settle).
    """

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
        self._grouped = False
        """Whether any pair was grouped into ``postings`` yet."""

    def add(self, text: str, data: bytes) -> None:
        """Add the next passage: its text and the same text in UTF-8."""
        self.passages += 1
        pending = self._pending
        if text.isascii():
            forms = data.translate(_ASCII_FOLD).split()
            ids = self._ids_ascii
            size = len(pending)
            try:
                pending.extend(map(ids.__getitem__, forms))
            except KeyError:  # a new word: register the passage's new ones, then again
                del pending[size:]
                for form in forms:
                    if form not in ids:
                        ids[form] = self.word_id(form.decode("ascii"))
                pending.extend(map(ids.__getitem__, forms))
            self._counts.append(len(forms))
        else:
            raw_forms = set(raw_words(text))
            known = self._ids_raw
            for raw in raw_forms.difference(known):
                known[raw] = self.word_id(fold(raw))
            size = len(pending)
            pending.extend(map(known.__getitem__, raw_forms))
            self._counts.append(len(pending) - size)
        if len(self._pending) >= GROUP_PAIRS:
            self.settle()

    def _grouped_pending(self) -> tuple[Any, Any]:
        """The pending pairs grouped: passage numbers word after word, and per word a count."""
        np = self._np
        ids = np.frombuffer(self._pending, dtype=np.uint32)
        keys = ids.astype(np.uint64)
        keys <<= np.uint64(32)
        first = self._first
        numbers = np.arange(first, first + len(self._counts), dtype=np.uint64)
        keys |= np.repeat(numbers, np.frombuffer(self._counts, dtype=np.uint32))
        keys.sort()  # by word, then passage
        if len(keys) > 1:  # a word said twice in a passage: keep one pair
            keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        counts = np.bincount(keys >> np.uint64(32), minlength=len(self.words))
        self._pending = array("I")
        self._counts = array("I")
        self._first = self.passages
        return keys.astype(np.uint32), counts

    def settle(self) -> None:
        """Group the pending pairs into ``postings``."""
        if not self._counts:
            return
        numbers, counts = self._grouped_pending()
        self._grouped = True
        data = numbers.tobytes()
        width = numbers.itemsize
        postings = self.postings
        start = 0
        for word_id in self._np.flatnonzero(counts).tolist():
            end = start + int(counts[word_id]) * width
            postings[word_id].frombytes(data[start:end])
            start = end

    def merge(
        self, passages: int, words: Iterable[str], ends: array[int], numbers: array[int]
    ) -> None:
        """As ``Inverter.merge``, after grouping what is pending."""
        self.settle()
        super().merge(passages, words, ends, numbers)
        self._first = self.passages

    def flat(self) -> tuple[array[int], array[int]]:
        """As ``Inverter.flat``; straight from numpy when nothing was grouped before."""
        if self._grouped or not self._counts:
            self.settle()
            return super().flat()
        np = self._np
        grouped, counts = self._grouped_pending()
        numbers = array("I")
        numbers.frombytes(grouped.tobytes())
        ends = array("Q")
        ends.frombytes(np.cumsum(counts, dtype=np.uint64).tobytes())
        return numbers, ends
