"""Export highlights and bookmarks as a Readwise CSV import file.

Columns (Readwise's CSV import): Highlight, Title, Author, URL, Note, Location,
Date.  Location is the first line number; Date is when the mark was made
(``YYYY-MM-DD HH:MM:SS``); URL is the document's ``file://`` address.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from tuireader.core.bookmarks.export import (
    document_about,
    group_by_document,
    passage_of,
    read_lines_or_none,
)
from tuireader.core.bookmarks.schema import Bookmark
from tuireader.core.sanitize import strip_control

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")
MAX_HIGHLIGHT_CHARS = 8191
"""Readwise's longest highlight; longer text is cut."""


def readwise_date(created: str) -> str:
    """An ISO 8601 time as Readwise's ``YYYY-MM-DD HH:MM:SS`` (empty when unreadable)."""
    try:
        return dt.datetime.fromisoformat(created).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return ""


def export_readwise(bookmarks: Sequence[Bookmark]) -> str:
    """The CSV text: a header row, then one row per mark, grouped by document."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for path, group in group_by_document(bookmarks).items():
        about = document_about(path)
        lines = read_lines_or_none(path)
        for bookmark in group:
            passage = passage_of(bookmark, lines)
            text = "\n".join(line.strip() for line in passage.lines).strip()
            writer.writerow(
                (
                    strip_control(text)[:MAX_HIGHLIGHT_CHARS],
                    strip_control(bookmark.title),
                    about.author or "",
                    path.as_uri(),
                    strip_control(bookmark.note),
                    passage.line,
                    readwise_date(bookmark.created),
                )
            )
    return out.getvalue()
