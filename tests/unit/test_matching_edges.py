"""Edges of re-anchoring's matching: the 300-line window, the first and last lines, repeats.

The expected values follow the documented rules of ``tuireader.core.bookmarks.matching``:
lines within ``NEAR_LINES`` (300) of the old place, both ends included, are compared in
full and kept at a similarity of at least ``MIN_TEXT`` (0.5); lines further away are
compared cut to the snippet's length and kept only when they start with the snippet or
are more alike (0.6).  Similarities are rapidfuzz ratios: 2 * common / total length.
"""

from __future__ import annotations

from collections.abc import Sequence

from tuireader.core.bookmarks.matching import (
    LIMIT,
    NEAR_LINES,
    Slot,
    _indexes,
    find_slots,
    gather,
    near_copies,
)

TARGET = "abcdefghij"
HALF = "abcdefQRSTUVW"
"""Like TARGET at 2 * 6 / 23 = 0.52: kept when compared in full, not when far away (< 0.6)."""
LONG = "abcdefghij " + "k" * 29
"""Starts with TARGET but reads 2 * 10 / 50 = 0.4 like it: found only by the far prefix test."""
SIXTY = "abcdefVWXY"
"""Like TARGET at 2 * 6 / 20 = 0.6 exactly: kept anywhere, even far away."""
WEAK = "abzzzzzzzz"
"""Like TARGET at 2 * 2 / 20 = 0.2: never a candidate."""
FILLER = "zz"
"""Nothing like TARGET (ratio 0) nor like the context lines."""


def neighbour(lines: Sequence[str], index: int, step: int) -> str:
    """The nearest line with text from ``index`` in direction ``step`` ('' if none)."""
    position = index + step
    while 0 <= position < len(lines):
        if lines[position].strip():
            return lines[position].strip()
        position += step
    return ""


def test_window_edges_both_ways_are_compared_in_full() -> None:
    """A line exactly NEAR_LINES above or below the old place is near; one line further is not."""
    old = 350
    lines = [FILLER] * 701
    for index in (old - NEAR_LINES - 1, old - NEAR_LINES, old + NEAR_LINES, old + NEAR_LINES + 1):
        lines[index] = HALF
    assert NEAR_LINES == 300
    assert _indexes(lines, TARGET, old) == {old - NEAR_LINES, old + NEAR_LINES}


def test_first_and_last_lines_are_compared_in_full() -> None:
    """A document inside the window: its first and last lines are near lines too."""
    lines = [HALF] + [FILLER] * 8 + [HALF]
    assert _indexes(lines, TARGET, 0) == {0, 9}
    assert _indexes(lines, TARGET, 9) == {0, 9}


def test_far_search_only_when_the_window_leaves_lines_out() -> None:
    """A long line starting with the snippet is found far away, but not when every line is near."""
    inside = [FILLER] * 5 + [LONG] + [FILLER] * 5
    assert _indexes(inside, TARGET, 5) == set()
    outside = [FILLER] * (NEAR_LINES + 2)
    outside[NEAR_LINES + 1] = LONG  # one line past the window below old = 0
    outside[3] = LONG  # inside the window, yet found by the far search too
    assert _indexes(outside, TARGET, 0) == {3, NEAR_LINES + 1}
    above = [LONG] + [FILLER] * (NEAR_LINES + 1)  # the window from old = 301 starts at line 1
    assert _indexes(above, TARGET, NEAR_LINES + 1) == {0}


def test_gather_goes_on_past_a_line_below_min_text() -> None:
    """A candidate too unlike the snippet is skipped; later candidates are still scored."""
    lines = [FILLER] * 10
    lines[7] = TARGET
    matches = gather(lines, TARGET, 7, None, neighbour, extra=[0, 1])
    assert [m.index for m in matches] == [7]
    assert matches[0].text == 1.0
    assert matches[0].distance == 1.0
    assert matches[0].total == 1.0  # 0.75 * 1 + 0.25 * 1, no context weight


def test_gather_keeps_a_line_exactly_at_min_text() -> None:
    """A similarity of exactly 0.5 (5 common of 10 + 10 characters) is a candidate."""
    lines = [FILLER, "abcdeVWXYZ", FILLER]
    matches = gather(lines, TARGET, 1, None, neighbour)
    assert [(m.index, m.text) for m in matches] == [(1, 0.5)]


def test_slot_at_the_first_line_of_a_document() -> None:
    """The line before the mark is the document's first line: the slot is still found."""
    lines = ["before line here", "edited mark", "after line here", FILLER, FILLER]
    assert find_slots(lines, 1, ("before line here", "after line here"), neighbour) == [Slot(1, 0)]
    closed = ["before line here", "after line here", FILLER]
    assert find_slots(closed, 1, ("before line here", "after line here"), neighbour) == [
        Slot(None, 0)
    ]


def test_slot_with_the_following_neighbour_on_the_last_line() -> None:
    """The neighbour after the mark is the document's last line."""
    lines = [FILLER, FILLER, "before line here", "edited mark", "after line here"]
    assert find_slots(lines, 3, ("before line here", "after line here"), neighbour) == [Slot(3, 2)]


def test_no_slot_when_the_document_ends_before_the_following_neighbour() -> None:
    """Only blank lines after the mark: the following neighbour is gone, so there is no slot."""
    lines = [FILLER, "before line here", "edited mark", "", ""]
    assert find_slots(lines, 2, ("before line here", "after line here"), neighbour) == []


def test_repeated_neighbours_give_every_slot_in_order() -> None:
    """Neighbours that repeat match equally at each place: every place is a slot."""
    context = ("before line here", "after line here")
    lines = [
        "before line here",
        "mark one",
        "after line here",
        FILLER,
        "before line here",
        "mark two",
        "after line here",
    ]
    assert find_slots(lines, 0, context, neighbour) == [Slot(1, 0), Slot(5, 4)]
    assert find_slots(lines, 6, context, neighbour) == [Slot(1, 0), Slot(5, 4)]


def test_slot_window_edges() -> None:
    """The line before the slot is looked for within NEAR_LINES of the old place, ends included."""
    context = ("before line here", "after line here")
    old = 350
    for before, found in (
        (old - NEAR_LINES, True),
        (old - NEAR_LINES - 1, False),
        (old + NEAR_LINES, True),
        (old + NEAR_LINES + 1, False),
    ):
        lines = [FILLER] * 710
        lines[before], lines[before + 1], lines[before + 2] = (
            "before line here",
            "x",
            "after line here",
        )
        expected = [Slot(before + 1, before)] if found else []
        assert find_slots(lines, old, context, neighbour) == expected, before


def test_far_lines_need_sixty_percent() -> None:
    """Far away a line is kept at 0.6 (the far cut-off, inclusive), never at 0.2; near too."""
    old = 350
    lines = [FILLER] * 701
    lines[old - NEAR_LINES - 10] = SIXTY
    lines[old + NEAR_LINES + 10] = WEAK
    lines[old + 5] = WEAK
    assert _indexes(lines, TARGET, old) == {old - NEAR_LINES - 10}


def test_at_most_limit_fuzzy_candidates() -> None:
    """Many lines alike but none the same: only LIMIT (30) come from the fuzzy search."""
    assert LIMIT == 30
    lines = [HALF] * 40
    assert len(_indexes(lines, TARGET, 20)) == LIMIT


def test_near_copies_window_edges_and_first_line() -> None:
    """Exact copies within NEAR_LINES (ends included), the first line among them."""
    old = 350
    lines = [FILLER] * 701
    for index in (
        0,
        old - NEAR_LINES - 1,
        old - NEAR_LINES,
        old + NEAR_LINES,
        old + NEAR_LINES + 1,
    ):
        lines[index] = TARGET
    assert near_copies(lines, TARGET, old) == [old - NEAR_LINES, old + NEAR_LINES]
    assert near_copies(lines, TARGET, 0) == [0, old - NEAR_LINES - 1, old - NEAR_LINES]


def test_near_copies_compare_the_snippet_form() -> None:
    """Leading blanks and doubled inner spaces do not hide a copy (the snippet form is equal)."""
    lines = ["  abc def ghi", "abc  def ghi", "abc def gh", FILLER]
    assert near_copies(lines, "abc def ghi", 1) == [0, 1]


def test_no_slot_without_the_line_before() -> None:
    """The following neighbour alone (no line like the one before) is no slot."""
    lines = [FILLER, "after line here", FILLER]
    assert find_slots(lines, 1, ("before line here", "after line here"), neighbour) == []


def test_best_slot_wins_by_more_than_the_tie() -> None:
    """Exact neighbours (2.0) beat close ones (1 + 14/15 = 1.93, more than 0.03 behind)."""
    context = ("before line here", "after line here")
    lines = ["before line here", "mark", "after line herx", FILLER, "before line here", "mark"]
    lines += ["after line here"]
    assert find_slots(lines, 0, context, neighbour) == [Slot(5, 4)]
