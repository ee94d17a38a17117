"""``tuireader bookmarks check``: re-anchor every bookmark against the files as they are now.

Each bookmark gets a status (``same``, ``moved``, ``uncertain``, ``gone``), its
old and new line and a short note.  Only with ``fix`` are confident results
(same or moved) saved; uncertain and gone bookmarks are never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuireader.core.bookmarks.reanchor import MISSING, Anchor, Candidate, fingerprint_file
from tuireader.core.bookmarks.schema import Bookmark
from tuireader.core.bookmarks.store import BookmarkStore, read_document_lines
from tuireader.core.bookmarks.sync import located_path
from tuireader.core.sanitize import strip_control
from tuireader.core.textload import DocumentError


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What re-anchoring says about one bookmark."""

    bookmark: Bookmark
    status: str
    """``same``, ``moved``, ``uncertain`` or ``gone`` (a missing file is ``gone``)."""
    new_line: int
    note: str
    candidates: tuple[Candidate, ...] = field(default=())
    saved: bool = False
    """Whether the new place was written (only with ``fix``)."""

    def to_json(self) -> dict[str, Any]:
        """The fields ``bookmarks check --json`` prints."""
        return {
            "id": self.bookmark.id,
            "path": str(self.bookmark.path),
            "title": self.bookmark.title,
            "status": self.status,
            "line": self.bookmark.line,
            "new_line": self.new_line,
            "note": self.note,
            "snippet": self.bookmark.snippet,
            "candidates": [
                {"line": c.line, "text": c.text, "score": c.score} for c in self.candidates
            ],
            "saved": self.saved,
        }

    def summary(self) -> str:
        """One line of the report: id, status, title:old->new and note, control codes removed."""
        mark = self.bookmark
        where = f"{mark.line}" + (f"->{self.new_line}" if self.new_line != mark.line else "")
        saved = "  (saved)" if self.saved else ""
        title = " ".join(mark.title.split())
        note = " ".join(self.note.split())
        return strip_control(f"{mark.id}  {self.status:9}  {title}:{where}  {note}{saved}")


def _note(anchor: Anchor) -> str:
    """A short explanation of an anchor for the report."""
    if anchor.status == MISSING:
        return "document missing: give its new path with 'bookmarks relocate ID PATH'"
    if anchor.status == "uncertain":
        return f"{anchor.why}; kept at line {anchor.old_line}. {anchor.candidate_text()}"
    if anchor.status == "gone":
        return f"{anchor.why}; kept at line {anchor.old_line}"
    if anchor.status == "moved":
        return f"{anchor.why}: line {anchor.old_line} is now line {anchor.line}"
    return anchor.why or "unchanged"


def _documents(store: BookmarkStore) -> Iterator[tuple[Path, list[Bookmark]]]:
    """The bookmarks grouped by where their document is now (``located_path``), in file order."""
    groups: dict[Path, list[Bookmark]] = {}
    found: dict[Path, Path] = {}
    for bookmark in store.list():
        if bookmark.path not in found:
            found[bookmark.path] = located_path(bookmark)
        groups.setdefault(found[bookmark.path], []).append(bookmark)
    yield from groups.items()


def check_bookmarks(store: BookmarkStore, fix: bool = False) -> list[CheckResult]:
    """Re-anchor every bookmark in ``store``; with ``fix`` save the confident ones."""
    results: list[CheckResult] = []
    for path, group in _documents(store):
        lines: list[str] | None
        try:
            fingerprint: str | None = fingerprint_file(path)
            lines = read_document_lines(path)
        except DocumentError:
            fingerprint, lines = None, None
        for bookmark in group:
            if fingerprint is None:
                anchor = Anchor(MISSING, bookmark.line, bookmark.line)
            elif fix:
                anchor = store.reanchor(bookmark, lines, fingerprint)
            else:
                anchor = store.locate(bookmark, lines, fingerprint)
            status = "gone" if anchor.status == MISSING else anchor.status
            saved = False
            if fix and anchor.confident:
                now = store.get(bookmark.id)
                saved = now is not None and now != bookmark
            results.append(
                CheckResult(bookmark, status, anchor.line, _note(anchor), anchor.candidates, saved)
            )
    return results
