"""Re-anchoring decisions, one row per rule: the exact anchor each small edit gives.

The documents are built so that every similarity is known by hand:

* filler lines are distinct runs of capital letters with no spaces, so they share
  no character with the marked line (lower case with spaces) or with its two
  neighbours (digits): their text and context similarities are 0;
* the marked line's neighbours are the digit lines ``BEFORE`` and ``AFTER``;
* an edit replaces ``k`` of the marked line's ``n`` characters with ``X`` (a
  character it does not hold), so its similarity is exactly ``1 - k/n``; an
  appended tail of ``t`` new characters gives ``2n / (2n + t)``.

Candidate scores follow the documented weights (matching.py): with context
0.5 text + 0.35 context + 0.15 distance, without 0.75 text + 0.25 distance,
distance ``1 / (1 + lines away / max(20, lines / 20))``.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tuireader.core.bookmarks.reanchor import (
    GONE,
    MOVED,
    SAME,
    UNCERTAIN,
    Anchor,
    AnchorStatus,
    Candidate,
    context_of,
    count_copies,
    fingerprint_bytes,
    fingerprint_file,
    make_snippet,
    reanchor,
)

TARGET = "the keeper wrote the storm into his logbook at dawn"
"""The marked line: 51 characters, informative."""
BEFORE = "3141592653"
AFTER = "2718281828"
SIZE = 40
MARK = 20
"""The marked line (1-based) in the document as marked: BEFORE on 19, AFTER on 21."""


def _filler(seed: int) -> str:
    """A line of 14 capital letters, different for each seed (no spaces, no digits)."""
    chooser = random.Random(seed)
    return "".join(chooser.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(14))


def _fillers(count: int, start: int = 0) -> list[str]:
    return [_filler(start + n) for n in range(count)]


def _marked(size: int = SIZE, mark: int = MARK) -> list[str]:
    """The document as marked: fillers, with BEFORE, TARGET, AFTER around line ``mark``."""
    lines = _fillers(size)
    lines[mark - 2 : mark + 1] = [BEFORE, TARGET, AFTER]
    return lines


def _replace(text: str, old: str) -> str:
    """``text`` with ``old`` replaced by as many X (similarity 1 - len(old)/len(text))."""
    assert old in text
    return text.replace(old, "X" * len(old), 1)


def _weighted(text: float, context: float | None, away: int, size: int) -> float:
    """A candidate's documented score, 0-100 rounded to one decimal."""
    distance = 1.0 / (1.0 + away / max(20.0, size / 20))
    if context is None:  # the same sum, term by term, so that it rounds the same way
        total = 0.75 * text + 0.0 * 0.0 + 0.25 * distance
    else:
        total = 0.5 * text + 0.35 * context + 0.15 * distance
    return round(total * 100, 1)


@dataclass(frozen=True)
class Row:
    """One decision: the document now, the stored mark, and the anchor expected."""

    lines: list[str]
    old_line: int
    expected: Anchor
    before: str | None = BEFORE
    after: str | None = AFTER
    copies: int = 1
    snippet: str = TARGET


def _kept(
    status: AnchorStatus, lines: list[str], old_line: int, why: str, score: float, *offer: Candidate
) -> Anchor:
    """An anchor kept at ``old_line``; ``score`` is the first candidate's text similarity."""
    text = lines[min(old_line, len(lines)) - 1] if lines else ""
    return Anchor(status, old_line, old_line, text, score, offer, why)


def _at(lines: list[str], line: int, old_line: int, why: str, score: float = 100.0) -> Anchor:
    """A confident anchor at ``line``: same when it is ``old_line``, moved otherwise."""
    status: AnchorStatus = SAME if line == old_line else MOVED
    return Anchor(status, line, old_line, lines[line - 1], score, why=why)


ROWS: dict[str, Callable[[], Row]] = {}


def row(function: Callable[[], Row]) -> Callable[[], Row]:
    """Register a row under its function's name."""
    ROWS[function.__name__.removeprefix("_")] = function
    return function


N = len(TARGET)
EDIT_3 = _replace(TARGET, "his")  # 1 - 3/51 = 0.941: above DISTINCT (0.9)
EDIT_5 = _replace(TARGET, "storm")  # 1 - 5/51 = 0.902: just above DISTINCT
EDIT_6 = _replace(TARGET, "keeper")  # 1 - 6/51 = 0.882: between CLOSE_EDIT (0.85) and DISTINCT
EDIT_8 = _replace(TARGET, "the keep")  # 1 - 8/51 = 0.843: below CLOSE_EDIT


# --- in place -----------------------------------------------------------------------------


@row
def _unchanged() -> Row:
    lines = _marked()
    return Row(lines, MARK, Anchor(SAME, MARK, MARK, TARGET))


@row
def _in_place_one_neighbour_replaced() -> Row:
    """Half the context (0.5) is enough for an informative line in its old place."""
    lines = _marked()
    lines[MARK] = _filler(100)
    return Row(lines, MARK, Anchor(SAME, MARK, MARK, TARGET))


@row
def _in_place_both_neighbours_replaced() -> Row:
    """No context left: taken anyway, as its text is once in the document (as marked)."""
    lines = _marked()
    lines[MARK - 2], lines[MARK] = _filler(100), _filler(101)
    why = "its text, once in the document as when marked"
    return Row(lines, MARK, _at(lines, MARK, MARK, why))


@row
def _in_place_without_context() -> Row:
    """A bookmark without context (an old file) in its place: same, whatever the neighbours."""
    lines = _marked()
    lines[MARK - 2], lines[MARK] = _filler(100), _filler(101)
    return Row(lines, MARK, Anchor(SAME, MARK, MARK, TARGET), before=None, after=None)


@row
def _in_place_with_only_one_context_line() -> Row:
    """Context is used only when both lines were kept: one alone counts as none."""
    lines = _marked()
    lines[MARK - 2], lines[MARK] = _filler(100), _filler(101)
    return Row(lines, MARK, Anchor(SAME, MARK, MARK, TARGET), after=None)


@row
def _in_place_with_only_the_after_line() -> Row:
    lines = _marked()
    lines[MARK - 2], lines[MARK] = _filler(100), _filler(101)
    return Row(lines, MARK, Anchor(SAME, MARK, MARK, TARGET), before=None)


@row
def _past_the_end_of_a_shortened_document() -> Row:
    """The document now ends with the marked line: the mark moved up to it."""
    lines = _marked()[:MARK]
    return Row(lines, MARK + 5, Anchor(MOVED, MARK, MARK + 5, TARGET))


@row
def _short_line_in_place_with_one_neighbour_replaced() -> Row:
    """`* * *` needs its neighbours (0.9): with one of them replaced it is not taken."""
    lines = _marked()
    lines[MARK - 1], lines[MARK] = "* * *", _filler(100)
    offer = Candidate(MARK, "* * *", _weighted(1.0, 0.5, 0, SIZE))
    return Row(
        lines, MARK, _kept(UNCERTAIN, lines, MARK, "no clear match", 100.0, offer), snippet="* * *"
    )


@row
def _short_line_in_place_with_both_neighbours_nearly_kept() -> Row:
    """Both neighbours edited by one digit (0.9 each): enough for `* * *` in its place."""
    lines = _marked()
    lines[MARK - 2 : MARK + 1] = [BEFORE[:-1] + "0", "* * *", AFTER[:-1] + "0"]
    return Row(lines, MARK, Anchor(SAME, MARK, MARK, "* * *"), snippet="* * *")


# --- moved with its neighbours --------------------------------------------------------------


@row
def _moved_down_with_its_neighbours() -> Row:
    lines = _fillers(5, 200) + _marked()
    return Row(lines, MARK, _at(lines, MARK + 5, MARK, "found with its neighbours"))


@row
def _moved_up_with_its_neighbours() -> Row:
    lines = _marked()
    del lines[2:7]
    return Row(lines, MARK, _at(lines, MARK - 5, MARK, "found with its neighbours"))


def _far(size: int, mark: int, to: int) -> list[str]:
    """A ``size``-line document where the block marked at ``mark`` now sits at line ``to``."""
    lines = _fillers(size)
    lines[to - 2 : to + 1] = [BEFORE, TARGET, AFTER]
    return lines


@row
def _moved_far_below() -> Row:
    """Moved 680 lines down (beyond the near window of 300): still found with its neighbours."""
    lines = _far(800, MARK, 700)
    return Row(lines, MARK, _at(lines, 700, MARK, "found with its neighbours"))


@row
def _moved_far_above() -> Row:
    """Moved 680 lines up: found by searching above the old line too."""
    lines = _far(800, 700, MARK)
    return Row(lines, 700, _at(lines, MARK, 700, "found with its neighbours"))


# --- the neighbours closed up (the line deleted or moved) -----------------------------------


def _closed_up() -> list[str]:
    """The document as marked with the marked line taken out: BEFORE, AFTER on 19, 20."""
    lines = _marked()
    del lines[MARK - 1]
    return lines


@row
def _deleted() -> Row:
    lines = _closed_up()
    return Row(lines, MARK, _kept(GONE, lines, MARK, "deleted: its neighbours closed up", 0.0))


@row
def _deleted_offering_only_close_look_alikes() -> Row:
    """Deleted: a line at 0.94 elsewhere is offered, one at 0.84 is not (DISTINCT is 0.9)."""
    lines = _closed_up()
    lines[34], lines[9] = EDIT_3, EDIT_8
    offer = Candidate(35, EDIT_3, _weighted(1 - 3 / N, 0.0, 35 - MARK, len(lines)))
    why = "deleted: its neighbours closed up"
    return Row(lines, MARK, _kept(GONE, lines, MARK, why, 100 * (1 - 3 / N), offer))


@row
def _deleted_one_of_two_copies() -> Row:
    """Two copies when marked, one left: ours is the one deleted (the other is offered)."""
    lines = _closed_up()
    lines[33] = TARGET
    offer = Candidate(34, TARGET, _weighted(1.0, 0.0, 34 - MARK, len(lines)))
    why = "deleted: its neighbours closed up"
    return Row(lines, MARK, _kept(GONE, lines, MARK, why, 100.0, offer), copies=2)


@row
def _moved_alone_its_place_closed_up() -> Row:
    """The only copy moved away from its neighbours: taken where it is now."""
    lines = _closed_up()
    lines.insert(34, TARGET)
    return Row(lines, MARK, _at(lines, 35, MARK, "moved; its old place closed up"))


@row
def _moved_alone_three_letters() -> Row:
    """Three letters are enough to trust a single copy (`a b c`)."""
    lines = _marked()
    lines[MARK - 1] = "a b c"
    del lines[MARK - 1]
    lines.insert(34, "a b c")
    return Row(lines, MARK, _at(lines, 35, MARK, "moved; its old place closed up"), snippet="a b c")


@row
def _moved_alone_two_letters() -> Row:
    """Two letters (`a b`) say nothing: the copy is offered, not taken."""
    lines = _marked()
    del lines[MARK - 1]
    lines.insert(34, "a b")
    offer = Candidate(35, "a b", _weighted(1.0, 0.0, 35 - MARK, len(lines)))
    why = "its place closed up"
    return Row(lines, MARK, _kept(UNCERTAIN, lines, MARK, why, 100.0, offer), snippet="a b")


@row
def _closed_up_two_copies_as_marked() -> Row:
    """Two copies when marked, both elsewhere now: either may be ours, nearest offered first."""
    lines = _closed_up()
    lines[33], lines[4] = TARGET, TARGET
    offer = (
        Candidate(34, TARGET, _weighted(1.0, 0.0, 34 - MARK, len(lines))),
        Candidate(5, TARGET, _weighted(1.0, 0.0, MARK - 5, len(lines))),
    )
    return Row(
        lines, MARK, _kept(UNCERTAIN, lines, MARK, "its place closed up", 100.0, *offer), copies=2
    )


# --- the neighbours still around one line (its slot) ---------------------------------------


@row
def _edited_in_place() -> Row:
    lines = _marked()
    lines[MARK - 1] = EDIT_5
    return Row(lines, MARK, _at(lines, MARK, MARK, "line edited in place", 100 * (1 - 5 / N)))


@row
def _edited_in_place_and_moved() -> Row:
    lines = _fillers(3, 300) + _marked()
    lines[MARK + 2] = EDIT_5
    return Row(lines, MARK, _at(lines, MARK + 3, MARK, "line edited in place", 100 * (1 - 5 / N)))


@row
def _edited_in_place_to_half() -> Row:
    """Exactly half alike (26 characters kept of 51, 27 new): still the line, edited."""
    lines = _marked()
    lines[MARK - 1] = TARGET[:26] + "X" * 27  # 2 * 26 / (51 + 53) = 0.5
    return Row(lines, MARK, _at(lines, MARK, MARK, "line edited in place", 50.0))


@row
def _place_holds_other_text() -> Row:
    """Just under half alike: the slot holds other text, nothing else looks like it."""
    lines = _marked()
    lines[MARK - 1] = TARGET[:26] + "X" * 28  # 52 / 105 < 0.5
    return Row(lines, MARK, _kept(UNCERTAIN, lines, MARK, "its place holds other text", 0.0))


@row
def _place_holds_other_text_look_alike_offered() -> Row:
    lines = _marked()
    lines[MARK - 1], lines[34] = _filler(100), EDIT_3
    offer = Candidate(35, EDIT_3, _weighted(1 - 3 / N, 0.0, 35 - MARK, len(lines)))
    why = "its place holds other text"
    return Row(lines, MARK, _kept(UNCERTAIN, lines, MARK, why, 100 * (1 - 3 / N), offer))


@row
def _edited_in_place_with_an_exact_copy_elsewhere() -> Row:
    """Edited here, and the exact text elsewhere: not taken; the exact copy is offered first."""
    lines = _marked()
    lines[MARK - 1], lines[34] = EDIT_5, TARGET
    offer = (
        Candidate(35, TARGET, _weighted(1.0, 0.0, 35 - MARK, len(lines))),
        Candidate(MARK, EDIT_5, _weighted(1 - 5 / N, 1.0, 0, len(lines))),
    )
    why = "its place holds other text"
    return Row(lines, MARK, _kept(UNCERTAIN, lines, MARK, why, 100.0, *offer))


@row
def _edited_in_place_with_the_block_copied_far_away() -> Row:
    """Edited here, and the whole block, unchanged, 380 lines on: either may be ours."""
    lines = _far(500, MARK, 400)
    lines[MARK - 2 : MARK + 1] = [BEFORE, EDIT_5, AFTER]
    offer = (
        Candidate(400, TARGET, _weighted(1.0, 1.0, 400 - MARK, len(lines))),
        Candidate(MARK, EDIT_5, _weighted(1 - 5 / N, 1.0, 0, len(lines))),
    )
    why = "its place holds other text"
    return Row(lines, MARK, _kept(UNCERTAIN, lines, MARK, why, 100.0, *offer))


@row
def _repeated_passage_moved() -> Row:
    """The passage (line and neighbours) twice: distance alone does not choose."""
    lines = _marked()
    lines[28:31] = [BEFORE, TARGET, AFTER]
    lines = _fillers(2, 400) + lines
    offer = (
        Candidate(MARK + 2, TARGET, _weighted(1.0, 1.0, 2, len(lines))),
        Candidate(32, TARGET, _weighted(1.0, 1.0, 32 - MARK, len(lines))),
    )
    return Row(
        lines, MARK, _kept(UNCERTAIN, lines, MARK, "no clear match", 100.0, *offer), copies=2
    )


# --- bookmarks without context: text and distance -------------------------------------------


def _without(lines: list[str], old_line: int, expected: Anchor, snippet: str = TARGET) -> Row:
    return Row(lines, old_line, expected, before=None, after=None, snippet=snippet)


@row
def _no_context_moved() -> Row:
    lines = _fillers(3, 500) + _marked()
    return _without(lines, MARK, _at(lines, MARK + 3, MARK, "found by its text"))


@row
def _no_context_edited_and_moved() -> Row:
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 2] = EDIT_3
    return _without(lines, MARK, _at(lines, MARK + 3, MARK, "found by its text", 100 * (1 - 3 / N)))


@row
def _no_context_edited_below_distinct() -> Row:
    """0.88 alike, alone, near: taken on its combined score."""
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 2] = EDIT_6
    why = "best match by text, context and place"
    return _without(lines, MARK, _at(lines, MARK + 3, MARK, why, 100 * (1 - 6 / N)))


@row
def _no_context_look_alike_below_close_edit() -> Row:
    """0.84 alike (under CLOSE_EDIT): offered, not taken."""
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 2] = EDIT_8
    offer = Candidate(MARK + 3, EDIT_8, _weighted(1 - 8 / N, None, 3, len(lines)))
    return _without(
        lines, MARK, _kept(UNCERTAIN, lines, MARK, "no clear match", 100 * (1 - 8 / N), offer)
    )


@row
def _no_context_the_nearer_of_two_copies_far_apart() -> Row:
    """Two copies, one next to the old line and one far: the near one leads clearly."""
    lines = _fillers(60)
    lines[MARK], lines[58] = TARGET, TARGET
    why = "best match by text, context and place"
    return _without(lines, MARK, _at(lines, MARK + 1, MARK, why))


@row
def _no_context_two_copies_equally_far() -> Row:
    """Two copies 3 lines above and below: uncertain, the earlier offered first."""
    lines = _fillers(SIZE)
    lines[MARK - 4], lines[MARK + 2] = TARGET, TARGET
    score = _weighted(1.0, None, 3, SIZE)
    offer = Candidate(MARK - 3, TARGET, score), Candidate(MARK + 3, TARGET, score)
    return _without(lines, MARK, _kept(UNCERTAIN, lines, MARK, "no clear match", 100.0, *offer))


@row
def _no_context_two_copies_nearer_first() -> Row:
    """Copies 3 lines above and 2 below: too close to call; the nearer offered first."""
    lines = _fillers(SIZE)
    lines[MARK - 4], lines[MARK + 1] = TARGET, TARGET
    offer = (
        Candidate(MARK + 2, TARGET, _weighted(1.0, None, 2, SIZE)),
        Candidate(MARK - 3, TARGET, _weighted(1.0, None, 3, SIZE)),
    )
    return _without(lines, MARK, _kept(UNCERTAIN, lines, MARK, "no clear match", 100.0, *offer))


@row
def _no_context_nothing_alike() -> Row:
    lines = _fillers(SIZE)
    return _without(lines, MARK, _kept(GONE, lines, MARK, "no similar line", 0.0))


@row
def _no_context_nothing_alike_at_line_one() -> Row:
    lines = _fillers(SIZE)
    return _without(lines, 1, _kept(GONE, lines, 1, "no similar line", 0.0))


@row
def _empty_document() -> Row:
    return Row([], 5, Anchor(GONE, 1, 5, "", 0.0, (), "no similar line"))


# --- with context, away from the old neighbours ----------------------------------------------


@row
def _context_kept_nothing_alike() -> Row:
    lines = _fillers(SIZE)
    return Row(lines, MARK, _kept(GONE, lines, MARK, "no similar line", 0.0))


@row
def _edited_among_new_neighbours() -> Row:
    """Edited (0.94) and both neighbours new: only an exact copy is taken on text alone."""
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 1 : MARK + 4] = [_filler(600), EDIT_3, _filler(601)]
    offer = Candidate(MARK + 3, EDIT_3, _weighted(1 - 3 / N, 0.0, 3, len(lines)))
    return Row(
        lines, MARK, _kept(UNCERTAIN, lines, MARK, "no clear match", 100 * (1 - 3 / N), offer)
    )


@row
def _edited_with_one_neighbour_kept() -> Row:
    """Edited (0.94) with one neighbour kept (context 0.5): found by its text."""
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 2 : MARK + 4] = [EDIT_3, _filler(601)]
    return Row(lines, MARK, _at(lines, MARK + 3, MARK, "found by its text", 100 * (1 - 3 / N)))


@row
def _edited_close_with_its_block_far_away() -> Row:
    """0.88 alike with both neighbours, 680 lines on: the best by text, context and place."""
    lines = _far(800, MARK, 700)
    lines[699] = EDIT_6
    why = "best match by text, context and place"
    return Row(lines, MARK, _at(lines, 700, MARK, why, 100 * (1 - 6 / N)))


@row
def _edited_close_with_one_neighbour_near() -> Row:
    """0.88 alike, one neighbour kept, 3 lines on: 0.441 + 0.175 + 0.130 reaches CONFIDENT."""
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 2 : MARK + 4] = [EDIT_6, _filler(601)]
    why = "best match by text, context and place"
    return Row(lines, MARK, _at(lines, MARK + 3, MARK, why, 100 * (1 - 6 / N)))


@row
def _edited_close_with_one_neighbour_further() -> Row:
    """The same 10 lines on: 0.441 + 0.175 + 0.100 is under CONFIDENT (0.74): offered."""
    lines = _fillers(10, 500) + _marked()
    lines[MARK + 9 : MARK + 11] = [EDIT_6, _filler(601)]
    offer = Candidate(MARK + 10, EDIT_6, _weighted(1 - 6 / N, 0.5, 10, len(lines)))
    return Row(
        lines, MARK, _kept(UNCERTAIN, lines, MARK, "no clear match", 100 * (1 - 6 / N), offer)
    )


@row
def _short_line_moved_with_neighbours_nearly_kept() -> Row:
    """`* * *` moved, its neighbours edited by a digit each (0.9): told by its context."""
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 1 : MARK + 4] = [BEFORE[:-1] + "0", "* * *", AFTER[:-1] + "0"]
    why = "best match by text, context and place"
    return Row(lines, MARK, _at(lines, MARK + 3, MARK, why), snippet="* * *")


# --- blank marks ---------------------------------------------------------------------------


@row
def _blank_line() -> Row:
    """A mark on a blank line cannot be searched for: it keeps its place."""
    lines = _marked()
    lines[4] = ""
    return Row(lines, 5, Anchor(SAME, 5, 5), snippet="  ")


@row
def _blank_line_at_the_end() -> Row:
    lines = _marked()
    return Row(lines, SIZE, Anchor(SAME, SIZE, SIZE), snippet="")


@row
def _blank_line_past_the_end() -> Row:
    """The document got shorter than the blank mark's line: gone, opened at the last line."""
    lines = _marked()
    return Row(lines, SIZE + 5, Anchor(GONE, SIZE, SIZE + 5), snippet="")


# --- more rows: the edges of each rule --------------------------------------------------------


@row
def _unchanged_first_line() -> Row:
    """The first line has no line before it: its stored context is '' and the line after."""
    lines = [TARGET, AFTER, *_fillers(10)]
    return Row(lines, 1, Anchor(SAME, 1, 1, TARGET), before="")


@row
def _moved_near_with_a_copy_of_the_block_pasted_far_away() -> Row:
    """Moved a little with its neighbours, as often nearby as when marked: taken there,
    although a copy of the whole block now stands 480 lines on."""
    lines = _fillers(3, 700) + _far(600, MARK, 500)
    lines[MARK + 1 : MARK + 4] = [BEFORE, TARGET, AFTER]
    return Row(lines, MARK, _at(lines, MARK + 3, MARK, "found with its neighbours"))


@row
def _moved_far_with_a_look_alike_near() -> Row:
    """Moved far with its neighbours; a look-alike near the old place does not matter."""
    lines = _far(800, MARK, 700)
    lines[MARK - 1] = EDIT_8
    return Row(lines, MARK, _at(lines, 700, MARK, "found with its neighbours"))


@row
def _edited_in_place_to_half_with_the_block_copied_far_away() -> Row:
    """Half alike in place still counts as our line edited: the far copy is not taken."""
    lines = _far(500, MARK, 400)
    half = TARGET[:26] + "X" * 27
    lines[MARK - 2 : MARK + 1] = [BEFORE, half, AFTER]
    offer = (
        Candidate(400, TARGET, _weighted(1.0, 1.0, 400 - MARK, len(lines))),
        Candidate(MARK, half, _weighted(0.5, 1.0, 0, len(lines))),
    )
    why = "its place holds other text"
    return Row(lines, MARK, _kept(UNCERTAIN, lines, MARK, why, 100.0, *offer))


@row
def _edited_in_place_among_many_look_alikes() -> Row:
    """The slot's line is scored even when more than 30 closer look-alikes crowd the search."""
    lines = _marked(80)
    half = TARGET[:26] + "X" * 27
    lines[MARK - 1] = half
    for n in range(35):  # 0.84 alike each, all different
        lines[30 + n] = TARGET[: n % 20] + "Y" * 8 + TARGET[n % 20 + 8 :]
    return Row(lines, MARK, _at(lines, MARK, MARK, "line edited in place", 50.0))


@row
def _repeated_passage_far_apart() -> Row:
    """Two copies of the passage, 1 and 100 lines from the old place: distance alone
    (0.15 x (0.95 - 0.17) = 0.12, over MARGIN) still does not choose."""
    lines = _marked(140)
    lines[MARK - 2 : MARK + 1] = [_filler(800), _filler(801), _filler(802)]
    lines[MARK - 1 : MARK + 2] = [BEFORE, TARGET, AFTER]
    lines[MARK + 98 : MARK + 101] = [BEFORE, TARGET, AFTER]
    offer = (
        Candidate(MARK + 1, TARGET, _weighted(1.0, 1.0, 1, len(lines))),
        Candidate(MARK + 100, TARGET, _weighted(1.0, 1.0, 100, len(lines))),
    )
    return Row(
        lines, MARK, _kept(UNCERTAIN, lines, MARK, "no clear match", 100.0, *offer), copies=2
    )


@row
def _edited_close_with_one_neighbour_and_a_weak_look_alike() -> Row:
    """A weak look-alike (0.61) far behind does not stop the clear leader."""
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 2 : MARK + 4] = [EDIT_6, _filler(601)]
    lines[35] = TARGET[:31] + "X" * 20
    why = "best match by text, context and place"
    return Row(lines, MARK, _at(lines, MARK + 3, MARK, why, 100 * (1 - 6 / N)))


@row
def _no_context_moved_with_a_weak_look_alike() -> Row:
    """Exact, and the only other similar line far weaker (0.61): found by its text."""
    lines = _fillers(3, 500) + _marked()
    lines[35] = TARGET[:31] + "X" * 20
    return _without(lines, MARK, _at(lines, MARK + 3, MARK, "found by its text"))


NINETY = TARGET.replace("logb", "XXXX")[:-2]
"""Four characters replaced, two cut: 2 x 45 / (51 + 49) = exactly 0.9 (DISTINCT)."""
EIGHTY_FIVE = TARGET + "Y" * 18
"""Eighteen characters added: 2 x 51 / (51 + 69) = exactly 0.85 (CLOSE_EDIT)."""


@row
def _no_context_edited_to_exactly_distinct() -> Row:
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 2] = NINETY
    return _without(lines, MARK, _at(lines, MARK + 3, MARK, "found by its text", 90.0))


@row
def _no_context_edited_to_exactly_close_edit() -> Row:
    lines = _fillers(3, 500) + _marked()
    lines[MARK + 2] = EIGHTY_FIVE
    why = "best match by text, context and place"
    return _without(lines, MARK, _at(lines, MARK + 3, MARK, why, 85.0))


@row
def _deleted_offering_a_look_alike_at_exactly_distinct() -> Row:
    lines = _closed_up()
    lines[34] = NINETY
    offer = Candidate(35, NINETY, _weighted(0.9, 0.0, 35 - MARK, len(lines)))
    why = "deleted: its neighbours closed up"
    return Row(lines, MARK, _kept(GONE, lines, MARK, why, 90.0, offer))


@row
def _one_of_two_copies_deleted_with_its_neighbours() -> Row:
    """Two copies when marked; ours deleted with both neighbours: the other is offered,
    never taken (it may not be ours)."""
    lines = _marked(60)
    lines[44] = TARGET
    del lines[MARK - 2 : MARK + 1]
    offer = Candidate(42, TARGET, _weighted(1.0, 0.0, 42 - MARK, len(lines)))
    return Row(lines, MARK, _kept(UNCERTAIN, lines, MARK, "no clear match", 100.0, offer), copies=2)


@row
def _two_copies_ours_keeps_a_neighbour() -> Row:
    """Two copies, ours moved keeping one neighbour (0.5), the other with none: ours leads."""
    lines = _marked(60)
    lines[44] = TARGET
    lines = _fillers(3, 500) + lines
    lines[MARK + 3] = _filler(601)
    why = "best match by text, context and place"
    return Row(lines, MARK, _at(lines, MARK + 3, MARK, why), copies=2)


@row
def _one_of_two_copies_left_with_a_neighbour() -> Row:
    """Two copies when marked, one left keeping one neighbour of ours: found by its text."""
    lines = _marked(60)
    lines = _fillers(3, 500) + lines
    lines[MARK + 3] = _filler(601)
    return Row(lines, MARK, _at(lines, MARK + 3, MARK, "found by its text"), copies=2)


@row
def _no_context_at_exactly_confident() -> Row:
    """0.86 alike, 62 lines on in 760 (scale 38): 0.75 x 0.86 + 0.25 x 0.38 = 0.74, CONFIDENT."""
    lines = _fillers(760)
    edited = TARGET[:43] + "X" * 6  # 2 x 43 / (51 + 49) = 0.86
    lines[99 + 62] = edited
    why = "best match by text, context and place"
    return _without(lines, 100, _at(lines, 100 + 62, 100, why, 86.0))


@row
def _no_context_twelve_letters_moved() -> Row:
    """Twelve letters and digits (MIN_DISTINCT_CHARS) are enough to be found by text alone."""
    lines = _fillers(SIZE)
    lines[MARK + 2] = "keeper of logs"
    return _without(lines, MARK, _at(lines, MARK + 3, MARK, "found by its text"), "keeper of logs")


@row
def _no_context_eleven_letters_moved() -> Row:
    """Eleven are not: the line is offered, not taken."""
    lines = _fillers(SIZE)
    lines[MARK + 2] = "keeper of log"
    offer = Candidate(MARK + 3, "keeper of log", _weighted(1.0, None, 3, SIZE))
    expected = _kept(UNCERTAIN, lines, MARK, "no clear match", 100.0, offer)
    return _without(lines, MARK, expected, "keeper of log")


@row
def _no_context_moved_with_a_look_alike_at_exactly_015_below() -> Row:
    """A line 0.15 below the best (0.85 against 1.0) comes close: not taken on text alone,
    but the exact line, nearer, still leads clearly on its combined score."""
    lines = _fillers(3, 500) + _marked()
    lines[38] = EIGHTY_FIVE
    why = "best match by text, context and place"
    return _without(lines, MARK, _at(lines, MARK + 3, MARK, why))


# --- the first line: no line before it (stored as '') -----------------------------------------


def _first(lines: list[str], old_line: int, expected: Anchor) -> Row:
    return Row(lines, old_line, expected, before="", snippet="* * *")


@row
def _short_first_line_unchanged() -> Row:
    """Nothing before it, as when marked, and the same line after: `* * *` is in place."""
    lines = ["* * *", AFTER, *_fillers(10)]
    return _first(lines, 1, Anchor(SAME, 1, 1, "* * *"))


@row
def _short_first_line_with_its_next_line_replaced() -> Row:
    """Nothing before it still agrees (1.0), the next line does not: 0.5, not enough."""
    lines = ["* * *", *_fillers(11)]
    offer = Candidate(1, "* * *", _weighted(1.0, 0.5, 0, len(lines)))
    return _first(lines, 1, _kept(UNCERTAIN, lines, 1, "no clear match", 100.0, offer))


@row
def _short_first_line_under_a_new_title() -> Row:
    """A line now stands where there was nothing: a new neighbour, not the old one."""
    lines = ["TITLE", "* * *", AFTER, *_fillers(10)]
    offer = Candidate(2, "* * *", _weighted(1.0, 0.5, 1, len(lines)))
    return _first(lines, 1, _kept(UNCERTAIN, lines, 1, "no clear match", 100.0, offer))


@pytest.mark.parametrize("name", list(ROWS))
def test_decision(name: str) -> None:
    """Each row's document and stored mark give exactly the expected anchor."""
    case = ROWS[name]()
    anchor = reanchor(case.lines, case.snippet, case.old_line, case.before, case.after, case.copies)
    assert replace(anchor, score=case.expected.score) == case.expected
    assert anchor.score == pytest.approx(case.expected.score)


def test_copies_default_to_one() -> None:
    """Without ``copies`` a mark had one copy: a moved block is found with its neighbours."""
    lines = _fillers(5, 200) + _marked()
    anchor = reanchor(lines, TARGET, MARK, BEFORE, AFTER)
    assert anchor == _at(lines, MARK + 5, MARK, "found with its neighbours")


def test_copies_are_lines_with_the_same_text_whatever_the_spaces() -> None:
    """``count_copies`` counts the lines whose compared form (spaces collapsed) is the mark's."""
    lines = [TARGET, "  " + TARGET.replace(" ", "  \t"), TARGET + " at last", "x " + TARGET, ""]
    assert count_copies(lines, TARGET) == 2
    assert count_copies(lines, "at last") == 1  # none: still at least one (the mark's own)
    assert count_copies(lines, "   ") == 1
    assert count_copies(["Notes", "Notes", " Notes "], "Notes") == 3


def test_context_is_the_nearest_line_with_text_each_side() -> None:
    """Blank lines are skipped (up to six); the context is collapsed, cut to 120, trimmed."""
    long = "word " * 40  # collapsed and cut at 120 characters: ends with a space, trimmed
    lines = ["first", "", "", long, "marked", "", "  after   this  ", "last"]
    assert context_of(lines, 5) == (long[:119], "after this")
    assert context_of(lines, 1) == ("", long[:119])
    assert context_of(lines, 8) == ("after this", "")
    assert context_of(["top", "", "marked"], 3) == ("top", "")
    far = ["above", *[""] * 6, "marked", *[""] * 5, "below"]
    assert context_of(far, 8) == ("", "below")  # six blank lines: out of reach above


def test_an_unchanged_line_reads_exactly_its_snippet() -> None:
    """The form of a snippet is the snippet itself (a cut after a word drops the space),
    so an unchanged line always reads exactly its stored snippet, however long or odd."""
    odd = [" " * 1500 + "word " * 200, "word " * 400, "\t a \t b \t" * 300, "x" * 2000]
    for line in odd:
        assert make_snippet(make_snippet(line)) == make_snippet(line)
        assert reanchor([line], make_snippet(line), 1) == Anchor(SAME, 1, 1, line)
    assert make_snippet(odd[0]) == ("word " * 20).strip()  # the first 1,600 characters only


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_fingerprinting_a_file_leaves_no_file_open(tmp_path: Path) -> None:
    """Each fingerprint closes its file (a bookmarks check fingerprints every document)."""
    path = tmp_path / "doc.txt"
    path.write_text("text\n", encoding="utf-8")
    before = len(os.listdir("/proc/self/fd"))
    prints = {fingerprint_file(path) for _ in range(20)}
    assert len(os.listdir("/proc/self/fd")) == before
    assert prints == {fingerprint_bytes(b"text\n")}
