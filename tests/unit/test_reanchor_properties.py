"""Property tests of re-anchoring: a kept line is found after any edits elsewhere."""

from __future__ import annotations

from hypothesis import assume, example, given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from tuireader.core.bookmarks.reanchor import MOVED, SAME, make_snippet, reanchor

LOOK_ALIKE = 60.0
"""Lines at least this similar to the marked one are left out of the property."""

words = st.text(alphabet="abcdefghijklmnop ", min_size=0, max_size=40)
_WORDS = [
    "lantern",
    "harbour",
    "quietly",
    "northern",
    "keeper",
    "storm",
    "ledger",
    "violet",
    "copper",
    "meadow",
    "thistle",
    "orchard",
    "granite",
    "whisper",
    "saffron",
    "marble",
]
# A distinctive line (short or repetitive lines are found with their neighbours' help:
# another property): four to eight different words.
marked_text = st.lists(st.sampled_from(_WORDS), min_size=4, max_size=8, unique=True).map(" ".join)
# An edit: (insert?, where as a fraction of the document, how many lines).
edits = st.lists(st.tuples(st.booleans(), st.floats(0, 1), st.integers(1, 700)), max_size=6)


def _apply(lines: list[str], kept: int, changes: list[tuple[bool, float, int]]) -> int:
    """Insert or delete blocks of lines in place, never the kept line; its new index."""
    for insert, where, count in changes:
        at = round(where * len(lines))
        if insert:
            # Numbered filler lines (digits only: nothing like the marked text).
            lines[at:at] = [f"{number} {count}" if number % 5 else "" for number in range(count)]
            if at <= kept:
                kept += count
            continue
        before = lines[max(0, at - count) : at]
        if at <= kept:  # delete above the kept line
            start = max(0, min(at, kept) - count)
            del lines[start : min(at, kept)]
            kept -= min(at, kept) - start
        else:  # delete below it
            del lines[at : at + len(before)]
    return kept


@given(st.lists(words, max_size=60), edits, marked_text, st.floats(0, 1), edits)
# Moved 350 lines up, with the old place near the end: found only by looking far above.
@example([], [(True, 0.0, 800)], "the marked line", 0.5, [(False, 0.45, 350)])
# Moved 350 lines down from near the top: found only by looking far below.
@example([], [(True, 0.0, 800)], "the marked line", 0.05, [(True, 0.01, 350)])
def test_a_kept_line_is_always_found(
    document: list[str],
    first: list[tuple[bool, float, int]],
    marked: str,
    position: float,
    changes: list[tuple[bool, float, int]],
) -> None:
    """After insertions and deletions elsewhere, re-anchoring lands on the kept line.

    The conditions: the line is in the document once, and no other line looks like it.
    """
    lines = list(document)
    _apply(lines, 0, first)  # the document as marked: up to a few thousand lines
    kept = round(position * len(lines))
    lines.insert(kept, marked)
    old_line = kept + 1
    kept = _apply(lines, kept, changes)
    target = make_snippet(marked)
    copies = [i for i, line in enumerate(lines) if make_snippet(line) == target]
    others = (line for line in lines if make_snippet(line) != target)
    # A look-alike line may rightly win: not this property's business.
    assume(all(fuzz.ratio(make_snippet(line), target) < LOOK_ALIKE for line in others))
    assume(len(copies) == 1)  # exact copies are offered as uncertain: another property
    anchor = reanchor(lines, marked, old_line)
    assert (anchor.line, anchor.score) == (kept + 1, 100.0)
    assert make_snippet(lines[anchor.line - 1]) == target
    assert anchor.status == (SAME if anchor.line == old_line else MOVED)
