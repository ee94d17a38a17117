"""Highlights when their document changed: an end rewritten, both ends gone, file deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.bookmarks.highlights import (
    highlight_fields,
    locate_highlight,
    reanchor_highlight,
)
from tuireader.core.bookmarks.marking import add_highlight
from tuireader.core.bookmarks.reanchor import GONE, MISSING, SAME
from tuireader.core.bookmarks.schema import Bookmark
from tuireader.core.bookmarks.store import BookmarkError, BookmarkStore
from tuireader.core.piped import NOT_BOOKMARKABLE, spool_dir

TEXT = """Harbour Notes

The keeper climbed the stairs every evening at dusk.

Gulls circled the lamp while the tide came in.

A ship's bell rang twice across the dark water.

Morning brought fog and the smell of salt.
"""
LINES = TEXT.splitlines()
NEW_FIRST = "Totally different opening words now stand here."
NEW_LAST = "Nothing about bells remains in this line at all."


@pytest.fixture
def highlight(tmp_path: Path) -> Bookmark:
    """A highlight of lines 5-7 (gulls ... bell) of a small document."""
    doc = tmp_path / "harbour.txt"
    doc.write_text(TEXT, encoding="utf-8")
    return add_highlight(BookmarkStore(tmp_path / "marks.yaml"), doc, 5, 7)


def test_a_range_given_backwards_is_the_same_highlight() -> None:
    """Selecting from line 7 up to line 5 stores what selecting 5 down to 7 does."""
    assert highlight_fields(LINES, 7, 5) == highlight_fields(LINES, 5, 7)
    assert highlight_fields(LINES, 7, 5).quote == "\n".join(LINES[4:7])


def test_last_line_rewritten_the_range_follows_the_first(highlight: Bookmark) -> None:
    """Only the last line changed beyond recognition: same start, same length."""
    edited = [*LINES[:6], NEW_LAST, *LINES[7:]]
    found = locate_highlight(edited, highlight)
    assert found.confident
    assert (found.anchor.line, found.end_line) == (5, 7)
    assert found.anchor.text == LINES[4]


def test_first_line_rewritten_the_range_follows_the_last(highlight: Bookmark) -> None:
    """Only the first line changed beyond recognition: the range is placed from its last line."""
    edited = ["Preface", "", *LINES[:4], NEW_FIRST, *LINES[5:]]
    found = locate_highlight(edited, highlight)
    assert found.confident
    assert (found.anchor.status, found.anchor.line, found.end_line) == ("moved", 7, 9)
    assert found.anchor.text == NEW_FIRST


def test_both_ends_rewritten_the_highlight_is_gone_and_nothing_is_saved(
    highlight: Bookmark,
) -> None:
    """Neither end found: status gone, and no field is offered for saving."""
    edited = [*LINES[:4], NEW_FIRST, "", NEW_LAST, *LINES[7:]]
    found = locate_highlight(edited, highlight)
    assert (found.anchor.status, found.confident) == (GONE, False)
    anchor, changes = reanchor_highlight(highlight, edited)
    assert (anchor.status, changes) == (GONE, {})


def test_a_deleted_document_leaves_the_highlight_missing_and_unchanged(
    highlight: Bookmark,
) -> None:
    """The file deleted: status missing at the stored line, nothing to save."""
    highlight.path.unlink()
    anchor, changes = reanchor_highlight(highlight)
    assert (anchor.status, anchor.line, changes) == (MISSING, 5, {})


def test_a_touched_file_with_the_same_text_changes_only_its_fingerprint(
    highlight: Bookmark,
) -> None:
    """A new file fingerprint but identical text: only 'fingerprint' is to be saved."""
    anchor, changes = reanchor_highlight(highlight, fingerprint="another-fingerprint")
    assert (anchor.status, anchor.line) == (SAME, 5)
    assert changes == {"fingerprint": "another-fingerprint"}


def test_unchanged_lines_and_fingerprint_give_nothing_to_save(highlight: Bookmark) -> None:
    """The document as it was: found in place, no change offered."""
    anchor, changes = reanchor_highlight(highlight, LINES, highlight.fingerprint)
    assert (anchor.status, anchor.line, changes) == (SAME, 5, {})


def test_a_hand_written_highlight_without_a_quote_is_found_by_its_snippet(
    highlight: Bookmark,
) -> None:
    """A highlight whose 'quote' was removed from the YAML is still found by its snippet."""
    moved = ["Preface", "", *LINES]
    found = locate_highlight(moved, highlight.replace(quote=""))
    assert found.confident
    assert found.anchor.line == 7
    assert found.anchor.text == LINES[4]


def test_highlighting_a_missing_document_is_one_clear_error(tmp_path: Path) -> None:
    """A document that is not there: BookmarkError with the reader's one-line reason."""
    store = BookmarkStore(tmp_path / "marks.yaml")
    missing = tmp_path / "gone.txt"
    with pytest.raises(BookmarkError) as caught:
        add_highlight(store, missing, 1, 2)
    assert str(caught.value) == f"{missing}: no such file or directory"
    assert store.list() == []


def test_piped_text_cannot_be_highlighted(tmp_path: Path) -> None:
    """Text read from a pipe (spooled, deleted on close) is refused with the advice to save it."""
    spooled = spool_dir() / "stdin-1.txt"
    spooled.parent.mkdir(parents=True)
    spooled.write_text(TEXT, encoding="utf-8")
    store = BookmarkStore(tmp_path / "marks.yaml")
    with pytest.raises(BookmarkError) as caught:
        add_highlight(store, spooled, 5, 7)
    assert str(caught.value) == NOT_BOOKMARKABLE
    assert store.list() == []


def test_a_highlight_of_given_lines_is_titled_by_file_name_when_undescribable(
    tmp_path: Path,
) -> None:
    """Lines passed by the reader for a file the library cannot describe: titled by its name."""
    odd = tmp_path / "dump.bin"
    odd.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    mark = add_highlight(BookmarkStore(tmp_path / "marks.yaml"), odd, 5, 7, lines=LINES)
    assert (mark.title, mark.line, mark.end_line) == ("dump.bin", 5, 7)
    assert mark.quote == "\n".join(LINES[4:7])
