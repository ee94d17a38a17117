"""Finding a document's marks when its path differs (another machine, a moved folder).

Marks keep the document's ``text_fingerprint`` (the hash of its normalised
text).  A mark whose own path no longer exists belongs to any document with
the same text fingerprint: the same book, somewhere else.  Nothing is
rewritten, so a bookmarks file synced between two machines does not flip its
paths back and forth.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from tuireader.core.bookmarks.identity import file_text_fingerprint, text_fingerprint
from tuireader.core.bookmarks.schema import Bookmark, normalise_path
from tuireader.core.bookmarks.store import BookmarkStore
from tuireader.core.textload import DocumentError


def moved_marks(
    store: BookmarkStore, path: Path, lines: Sequence[str] | None = None
) -> list[Bookmark]:
    """Marks made on a copy of ``path`` elsewhere: their path is gone, their text is this one.

    ``lines`` may pass the document's lines (else the file is read, and only
    when there is a mark whose path is gone).
    """
    document = normalise_path(path)
    orphans = [
        mark
        for mark in store.list()
        if mark.text_fingerprint and mark.path != document and not os.path.lexists(mark.path)
    ]
    if not orphans:
        return []
    try:
        fingerprint = (
            text_fingerprint(lines) if lines is not None else file_text_fingerprint(document)
        )
    except DocumentError:
        return []
    return [mark for mark in orphans if mark.text_fingerprint == fingerprint]


def marks_for_document(
    store: BookmarkStore, path: Path, lines: Sequence[str] | None = None
) -> list[Bookmark]:
    """The marks of the document at ``path``: by path, then those found by text fingerprint."""
    return store.list(path) + moved_marks(store, path, lines)
