"""Exporting marks when the document moved on: deleted, rewritten, or edited out of recognition."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tuireader.core.bookmarks.export import export_markdown, passage_of
from tuireader.core.bookmarks.marking import add_highlight
from tuireader.core.bookmarks.readwise import export_readwise
from tuireader.core.bookmarks.schema import Bookmark
from tuireader.core.bookmarks.store import BookmarkStore

TEXT = """Harbour Notes

The keeper climbed the stairs every evening at dusk.

Gulls circled the lamp while the tide came in.

A ship's bell rang twice across the dark water.

Morning brought fog and the smell of salt.
"""
GULLS = "Gulls circled the lamp while the tide came in."
BELL = "A ship's bell rang twice across the dark water."


@pytest.fixture
def marked(tmp_path: Path) -> tuple[Path, Bookmark, Bookmark]:
    """A document with a bookmark on line 5 and a highlight of lines 5-7."""
    doc = tmp_path / "harbour.txt"
    doc.write_text(TEXT, encoding="utf-8")
    store = BookmarkStore(tmp_path / "marks.yaml")
    bookmark = store.add(doc, 5, note="the gulls", tags=["birds"])
    highlight = add_highlight(store, doc, 5, 7)
    return doc, bookmark, highlight


def test_marks_of_a_deleted_document_export_their_stored_text(
    marked: tuple[Path, Bookmark, Bookmark],
) -> None:
    """Document gone: each mark is quoted from the file, at its stored line, saying why."""
    doc, bookmark, highlight = marked
    doc.unlink()
    day = bookmark.created[:10]
    link = f"[harbour.txt]({doc.as_uri()}#L5)"
    assert export_markdown([bookmark, highlight]) == (
        "# Bookmarks\n\n## Harbour\n\n"
        f"> {GULLS}\n\nthe gulls\n\n"
        f"— line 5 ({link}) · tags: birds · marked {day} · document not found\n\n"
        f"> {GULLS}\n>\n> {BELL}\n\n"
        f"— lines 5-7 ({link}) · marked {day} · document not found\n"
    )


def test_marks_whose_text_was_removed_say_so(marked: tuple[Path, Bookmark, Bookmark]) -> None:
    """Marked lines deleted: the stored text is exported, "text no longer in the document"."""
    _, bookmark, highlight = marked
    lines = ["Harbour Notes", "", "Only fog now, and nothing else at all.", "", "The end."]
    for mark in (bookmark, highlight):
        passage = passage_of(mark, lines)
        assert passage.remark == "text no longer in the document"
        assert (passage.line, passage.end_line) == (mark.line, mark.last_line)
        assert passage.lines == mark.text.splitlines()


def test_a_mark_with_two_near_copies_is_kept_where_it_was(
    tmp_path: Path, marked: tuple[Path, Bookmark, Bookmark]
) -> None:
    """The line edited into two near copies: the stored text and line, 'place uncertain'."""
    doc, bookmark, _ = marked
    highlight = add_highlight(BookmarkStore(tmp_path / "more.yaml"), doc, 5, 5)
    lines = TEXT.splitlines()
    edited = [
        *lines[:4],
        "Gulls circled the lamp while the tide came in!",
        "",
        "Gulls circled the lamp as the tide came in.",
        *lines[5:],
    ]
    for mark in (bookmark, highlight):
        passage = passage_of(mark, edited)
        assert passage.remark == "text changed; place uncertain"
        assert (passage.line, passage.lines[0]) == (5, GULLS)


def test_a_mark_without_a_creation_time_has_no_marked_date(
    marked: tuple[Path, Bookmark, Bookmark],
) -> None:
    """A hand-written mark with no 'created' exports without a 'marked' part."""
    doc, bookmark, _ = marked
    out = export_markdown([bookmark.replace(created="", tags=())])
    assert out.endswith(f"— line 5 ([harbour.txt]({doc.as_uri()}#L5))\n")


def test_readwise_rows_of_a_deleted_document_keep_the_stored_text(
    marked: tuple[Path, Bookmark, Bookmark],
) -> None:
    """Readwise CSV for a deleted document: stored text and line, no author; a bad time left out."""
    doc, bookmark, highlight = marked
    doc.unlink()
    marks = [bookmark, highlight.replace(created="not a time")]
    rows = list(csv.DictReader(io.StringIO(export_readwise(marks))))
    assert [(r["Highlight"], r["Location"], r["Author"], r["Note"]) for r in rows] == [
        (GULLS, "5", "", "the gulls"),
        (f"{GULLS}\n\n{BELL}", "5", "", ""),
    ]
    assert rows[0]["Date"] == bookmark.created[:19].replace("T", " ")
    assert rows[1]["Date"] == ""  # an unreadable time is left out, not guessed
