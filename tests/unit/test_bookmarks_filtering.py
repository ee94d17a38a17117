"""The bookmarks list's filter (core/bookmarks/filtering.py), without a terminal."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.bookmarks.filtering import bookmark_haystack, filter_bookmarks
from tuireader.core.bookmarks.schema import Bookmark


def _mark(number: int, snippet: str, note: str = "", tags: tuple[str, ...] = ()) -> Bookmark:
    """A bookmark on line ``number`` of a fixed document."""
    return Bookmark(
        id=f"b{number}",
        path=Path("/lib/fox.md"),
        title="The Fox Book",
        line=number,
        snippet=snippet,
        fingerprint="x",
        note=note,
        tags=tags,
    )


MARKS = [
    _mark(3, "The quick brown fox jumps.", note="Dickens would approve", tags=("animals",)),
    _mark(5, "A lazy dog sleeps."),
    _mark(9, "Waves crash on the rocks.", note="salt"),
]


def test_haystack_holds_title_note_snippet_and_tags() -> None:
    """The searched text names every field the filter promises, tags with a #."""
    text = bookmark_haystack(MARKS[0])
    for part in ("The Fox Book", "Dickens would approve", "quick brown fox", "#animals"):
        assert part in text


def test_empty_query_keeps_all_in_order() -> None:
    """No query (or spaces) keeps every bookmark, as a new list."""
    assert filter_bookmarks(MARKS, "") == MARKS
    assert filter_bookmarks(MARKS, "  ") == MARKS
    assert filter_bookmarks(MARKS, "") is not MARKS


def test_matches_tag_note_and_snippet() -> None:
    """A tag, a note and words of the snippet each find their bookmark."""
    assert [b.line for b in filter_bookmarks(MARKS, "#animals")] == [3]
    assert [b.line for b in filter_bookmarks(MARKS, "salt")] == [9]
    assert [b.line for b in filter_bookmarks(MARKS, "waves crash")] == [9]


def test_typos_tolerated_and_nonsense_matches_nothing() -> None:
    """A misspelling still matches; unrelated words match none."""
    assert [b.line for b in filter_bookmarks(MARKS, "lazy dgo")][:1] == [5]
    assert filter_bookmarks(MARKS, "zebra xylophone") == []


def test_best_match_first() -> None:
    """The bookmark whose text matches exactly outranks a partial match."""
    found = filter_bookmarks(MARKS, "fox jumps")
    assert found and found[0].line == 3
