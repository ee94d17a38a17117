"""Merging another bookmarks file into this one without losing or doubling a mark.

Used by ``tuireader bookmarks merge OTHER.yaml`` (for example the conflict copy
a sync tool leaves).  Two marks are the same mark when they have the same id
and the same document, or the same document and the same lines (made apart on
two machines).  A mark only in the other file is added; for a mark in both,
differing notes are both kept (joined) and the tags are united.  The same
id on a different document is a different mark: it is added with a new id.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tuireader.core.bookmarks.schema import (
    Bookmark,
    BookmarkFileError,
    new_id,
    read_bookmark_file,
)
from tuireader.core.bookmarks.store import BookmarkStore

NOTE_SEPARATOR = "\n\n"
"""Between two notes of the same mark kept by a merge."""


@dataclass
class MergeReport:
    """What a merge did: marks added, marks whose note or tags grew, marks already there."""

    added: list[Bookmark] = field(default_factory=list)
    updated: list[Bookmark] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        """One line for the user."""
        return (
            f"added {len(self.added)}, merged notes or tags of {len(self.updated)}, "
            f"{self.unchanged} already present"
        )


def same_document(first: Bookmark, second: Bookmark) -> bool:
    """Whether two marks are on the same document (same path or same text fingerprint)."""
    if first.path == second.path:
        return True
    return bool(first.text_fingerprint) and first.text_fingerprint == second.text_fingerprint


def same_place(first: Bookmark, second: Bookmark) -> bool:
    """Whether two marks cover the same lines of the same document, as the same kind."""
    return same_document(first, second) and (first.line, first.end_line) == (
        second.line,
        second.end_line,
    )


def _joined_note(ours: str, theirs: str) -> str:
    """Both notes, unless one already holds the other."""
    if not theirs or theirs in ours:
        return ours
    if not ours or ours in theirs:
        return theirs
    return ours + NOTE_SEPARATOR + theirs


def _combine(ours: Bookmark, theirs: Bookmark) -> Bookmark:
    """Our mark with their note and tags added."""
    tags = tuple(dict.fromkeys((*ours.tags, *theirs.tags)))
    return ours.replace(note=_joined_note(ours.note, theirs.note), tags=tags)


def _counterpart(marks: Sequence[Bookmark], other: Bookmark) -> int | None:
    """Index of our mark that is ``other`` (same id and document, else same place)."""
    for index, mark in enumerate(marks):
        if mark.id == other.id and same_document(mark, other):
            return index
    for index, mark in enumerate(marks):
        if same_place(mark, other):
            return index
    return None


def merge_marks(ours: list[Bookmark], theirs: Sequence[Bookmark]) -> MergeReport:
    """Merge ``theirs`` into ``ours`` (changed in place) and report what changed."""
    report = MergeReport()
    for other in theirs:
        index = _counterpart(ours, other)
        if index is None:
            taken = {mark.id for mark in ours}
            added = other if other.id not in taken else other.replace(id=new_id(taken))
            ours.append(added)
            report.added.append(added)
            continue
        combined = _combine(ours[index], other)
        if (combined.note, combined.tags) == (ours[index].note, ours[index].tags):
            report.unchanged += 1
        else:
            ours[index] = combined
            report.updated.append(combined)
    return report


def merge_file(store: BookmarkStore, other: Path) -> MergeReport:
    """Merge the bookmarks file ``other`` into ``store`` (under its lock, written atomically).

    Raises ``BookmarkFileError`` when ``other`` cannot be read or is the store's own file.
    """
    source = Path(other).expanduser()
    if source.exists() and store.path.exists() and os.path.samefile(source, store.path):
        raise BookmarkFileError(f"{source}: that is the bookmarks file itself")
    if not source.exists():
        raise BookmarkFileError(f"{source}: no such file")
    theirs = read_bookmark_file(source).bookmarks
    return store.transform(lambda ours: merge_marks(ours, theirs))
