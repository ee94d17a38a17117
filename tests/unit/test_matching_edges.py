"""Edges of re-anchoring's matching: the 300-line window, the first and last lines, repeats.

The expected values follow the documented rules of ``tuireader.core.bookmarks.matching``:
lines within ``NEAR_LINES`` (300) of the old place, both ends included, are compared in
full and kept at a similarity of at least ``MIN_TEXT`` (0.5); lines further away are
compared cut to the snippet's length and kept only when they start with the snippet or
are more alike (0.6).  Similarities are rapidfuzz ratios: 2 * common / total length.
"""

from __future__ import annotations

from collections.abc import Sequence

from tuireader.core.bookmarks.matching import NEAR_LINES, Slot, _indexes, find_slots, gather

TARGET = "abcdefghij"
HALF = "abcdefQRSTUVW"
"""Like TARGET at 2 * 6 / 23 = 0.52: kept when compared in full, not when far away (< 0.6)."""
LONG = "abcdefghij " + "k" * 29
"""Starts with TARGET but reads 2 * 10 / 50 = 0.4 like it: found only by the far prefix test."""
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
