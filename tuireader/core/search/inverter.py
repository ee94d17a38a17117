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

With numpy installed (the optional ``fast`` extra), ``grouping.new_inverter``
gives a ``grouping.GroupingInverter`` instead, which does the same with C-level loops
and numpy sorts.  Both give the same words and postings (tests compare them).
"""

from __future__ import annotations

import sys
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, chain, filterfalse

from tuireader.core.search.text import fold, raw_words

_ASCII_FOLD = bytes(
    byte + 32 if 65 <= byte <= 90 else byte if 97 <= byte <= 122 or 48 <= byte <= 57 else 32
    for byte in range(256)
)
"""Byte table: ASCII letters lowered, digits kept, every other byte a space."""

Append = Callable[[int], None]
PIECE_WORDS = 1 << 14
"""Words whose postings ``Inverter.pieces`` gives at a time."""


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

    def sizes(self, order: list[int]) -> Iterable[int]:
        """How many passages hold each word, for the word ids in ``order``."""
        return map(len, map(self.postings.__getitem__, order))

    def pieces(self, order: list[int]) -> Iterator[bytes]:
        """The words' postings (native 32-bit numbers), word ids in ``order``, in pieces."""
        postings = self.postings
        for first in range(0, len(order), PIECE_WORDS):
            yield b"".join(map(postings.__getitem__, order[first : first + PIECE_WORDS]))

    def merge(
        self, passages: int, words: Iterable[str], ends: array[int], numbers: array[int]
    ) -> None:
        """Add ``passages`` passages inverted elsewhere (a worker's ``Inverter.flat``).

        Word ``i`` of ``words`` is held by the passages ``numbers[ends[i-1]:ends[i]]``,
        numbered from 0 there; here they follow the passages already added.
        """
        words = list(words)
        if len(words) != len(ends):
            raise ValueError("one end per word expected")
        numbers = shifted(numbers, self.passages)
        self.passages += passages
        ids = self._ids
        for word in filterfalse(ids.__contains__, words):
            self.word_id(word)
        # C-level loops: each word's postings extended by its slice of ``numbers``.
        targets = map(self.postings.__getitem__, map(ids.__getitem__, words))
        pieces = map(numbers.__getitem__, map(slice, chain((0,), ends), ends))
        deque(map(array.extend, targets, pieces), maxlen=0)

    def flat(self) -> tuple[array[int], array[int]]:
        """Every word's postings end to end, and the end of each word's in them."""
        numbers = array("I")
        deque(map(numbers.extend, self.postings), maxlen=0)
        ends = array("Q", accumulate(map(len, self.postings)))
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
