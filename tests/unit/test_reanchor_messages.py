"""What a re-anchored bookmark tells the user, word for word."""

from __future__ import annotations

from tuireader.core.bookmarks.reanchor import (
    GONE,
    MISSING,
    MOVED,
    SAME,
    UNCERTAIN,
    Anchor,
    Candidate,
)


def test_candidates_are_named_with_their_lines_and_shortened_text() -> None:
    """Each candidate: its line and its text, spaces collapsed, cut to 40 characters."""
    exact = "x" * 40
    long = "word " * 12
    anchor = Anchor(
        UNCERTAIN,
        7,
        7,
        candidates=(Candidate(70, "a   spaced\tline", 90.0), Candidate(9, exact, 80.0),
                    Candidate(3, long, 70.0)),
    )  # fmt: skip
    assert anchor.candidate_text() == (
        f"Maybe line 70 “a spaced line” or line 9 “{exact}” or line 3 “{long[:39]}…”."
    )


def test_no_candidates_say_so() -> None:
    """An anchor offering nothing says no similar line was found."""
    assert Anchor(GONE, 4, 4).candidate_text() == "No similar line found."


def test_each_status_has_its_notice() -> None:
    """Moved, gone, uncertain and missing marks each explain themselves; same says nothing."""
    offer = (Candidate(12, "the line", 88.0),)
    assert Anchor(SAME, 3, 3).notice is None
    assert Anchor(MOVED, 9, 3).notice == "Bookmark moved: line 3 is now line 9"
    assert Anchor(GONE, 3, 3).notice == "Bookmarked text not found; opened at line 3."
    assert Anchor(GONE, 3, 3, candidates=offer).notice == (
        "Bookmarked text not found; opened at line 3. Maybe line 12 “the line”."
    )
    assert Anchor(UNCERTAIN, 3, 3, candidates=offer).notice == (
        "Bookmark uncertain: line 3 changed; kept there. Maybe line 12 “the line”."
    )
    assert Anchor(MISSING, 3, 3).notice == (
        "Bookmarked file is missing; point the bookmark at its new path"
    )
