"""Finding a document's marks when its path differs (another machine, a moved folder).

Marks keep the document's ``text_fingerprint`` (the hash of its normalised
text).  A mark whose own path no longer exists belongs to any document with
the same text fingerprint: the same book, somewhere else.  Nothing is
rewritten, so a bookmarks file synced between two machines does not flip its
paths back and forth.  Marks on the bundled seeds name the install they were
made in (``…/site-packages/tuireader/_data/seeds/NAME``); ``located_path``
finds the same seed in this install.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from tuireader.core.bookmarks.identity import file_text_fingerprint, text_fingerprint
from tuireader.core.bookmarks.reanchor import MISSING, Anchor, fingerprint_file
from tuireader.core.bookmarks.schema import Bookmark, normalise_path
from tuireader.core.bookmarks.store import BookmarkStore, read_document_lines
from tuireader.core.paths import seeds_dir
from tuireader.core.textload import DocumentError

_INSTALLED_SEEDS = ("tuireader", "_data", "seeds")
"""The tail of the seeds folder's path in an installed package."""


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


def located_path(mark: Bookmark) -> Path:
    """Where a mark's document is now: its own path, or this install's copy of a bundled seed.

    A mark whose path is gone and named a bundled seed of another install
    (``…/tuireader/_data/seeds/NAME``, or any ``…/seeds/NAME`` with the same
    text fingerprint) is found at the seed of that name here.
    """
    path = mark.path
    if os.path.lexists(path) or path.parent.name != "seeds":
        return path
    seed = seeds_dir() / path.name
    if not seed.is_file():
        return path
    if tuple(path.parent.parts[-3:]) == _INSTALLED_SEEDS:
        return seed
    try:
        same = bool(mark.text_fingerprint) and file_text_fingerprint(seed) == mark.text_fingerprint
    except DocumentError:
        return path
    return seed if same else path


def reanchor_located(store: BookmarkStore, mark: Bookmark) -> tuple[Path, Anchor]:
    """Re-anchor ``mark`` where its document is now (``located_path``): that path and where."""
    path = located_path(mark)
    if path == mark.path:
        return path, store.reanchor(mark)
    try:
        fingerprint = fingerprint_file(path)
        lines = read_document_lines(path)
    except DocumentError:
        return mark.path, Anchor(MISSING, mark.line, mark.line)
    return path, store.reanchor(mark, lines, fingerprint)
