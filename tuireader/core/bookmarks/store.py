"""Bookmarks in one YAML file a person can read, edit, back up and sync.

The file (``$XDG_DATA_HOME/tuireader/bookmarks.yaml`` unless ``--bookmarks``
or ``bookmarks:`` in config.yaml says otherwise) holds ``version: 2`` and a
list of ``bookmarks``; ``schema.py`` describes each mark's keys (a highlight
adds ``end_line`` and ``quote``).

Every change is made under a lock file beside the YAML file: the file is read
again, the one change is applied to what is on disk, and the result is written
atomically.  So two tuireader processes changing bookmarks at once both keep
their changes, and keys tuireader does not know (at the top level or in a
bookmark) survive.  A file that cannot be parsed or does not match the schema
is never written: the store opens read-only and ``error`` says why in one line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from tuireader.core import paths
from tuireader.core.bookmarks.highlights import locate_highlight, reanchor_highlight
from tuireader.core.bookmarks.identity import text_fingerprint
from tuireader.core.bookmarks.reanchor import (
    GONE,
    MISSING,
    MOVED,
    SAME,
    UNCERTAIN,
    Anchor,
    context_of,
    count_copies,
    fingerprint_file,
    make_snippet,
    reanchor,
)
from tuireader.core.bookmarks.schema import (
    SCHEMA_VERSION,
    Bookmark,
    BookmarkError,
    BookmarkFile,
    BookmarkFileError,
    new_id,
    normalise_path,
    parse_bookmark_bytes,
    read_bookmark_bytes,
    render_bookmark_file,
)
from tuireader.core.bookmarks.tags import hashtags, retag
from tuireader.core.formats.registry import format_of
from tuireader.core.piped import NOT_BOOKMARKABLE, is_piped
from tuireader.core.sanitize import strip_control
from tuireader.core.storage import atomic_write_text
from tuireader.core.textload import DocumentError

__all__ = [
    "GONE",
    "MISSING",
    "MOVED",
    "SAME",
    "SCHEMA_VERSION",
    "UNCERTAIN",
    "Anchor",
    "Bookmark",
    "BookmarkError",
    "BookmarkFileError",
    "BookmarkStore",
    "normalise_path",
    "resolve_bookmarks_file",
]

LOCK_TIMEOUT = 10.0
BLANK_SNAP_LINES = 50
"""How far from a blank marked line to look for the text to mark instead."""


def resolve_bookmarks_file(given: str | Path | None = None, configured: Path | None = None) -> Path:
    """The bookmarks file: ``--bookmarks``, then ``bookmarks:`` in config.yaml, then the default."""
    if given:
        return Path(given).expanduser()
    if configured:
        return Path(configured).expanduser()
    return paths.default_bookmarks_file()


def now_iso() -> str:
    """The current local time as ISO 8601 with offset, to the second."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------- reading documents


def read_document_lines(path: Path) -> list[str]:
    """The clean lines of a document; raises ``DocumentError`` for an unusable file."""
    return list(format_of(path).text_lines(path))


def _snippet(text: str) -> str:
    """The stored form of a marked line's text."""
    return make_snippet(strip_control(text))


def _snap_line(lines: list[str], line: int) -> int:
    """Move a mark on a blank line to the next line with text (or the previous one)."""
    if lines[line - 1].strip():
        return line
    for index in range(line, min(len(lines), line - 1 + BLANK_SNAP_LINES)):
        if lines[index].strip():
            return index + 1
    for index in range(line - 2, max(-1, line - 1 - BLANK_SNAP_LINES), -1):
        if lines[index].strip():
            return index + 1
    return line


def _document_title(path: Path) -> str:
    """The title the library would show for ``path``."""
    from tuireader.core.library import describe

    try:
        return describe(path).title
    except DocumentError:
        return path.name


# ---------------------------------------------------------------- the store


_Result = TypeVar("_Result")
Mutation = Callable[[list[Bookmark]], _Result]
"""A change to the list of bookmarks read from disk; its result is the change's result."""
LineList = list[str]
"""A document's lines (an alias: inside ``BookmarkStore`` the name ``list`` is a method)."""


class BookmarkStore:
    """The bookmarks file: read it, list bookmarks, and change it safely.

    Reading never raises: an unusable file makes the store read-only with
    ``error`` set.  Changes raise ``BookmarkFileError`` when the file is
    read-only (or turned bad meanwhile) and ``BookmarkError`` for a bad request.
    """

    def __init__(self, path: Path | None = None, *, load: bool = True) -> None:
        """Open the store on path (default: the default bookmarks file) and read it.

        With ``load=False`` the file is read on first use instead (or by an explicit
        ``reload``, e.g. from a worker thread, so an app does not wait for it).
        """
        self.path = Path(path) if path is not None else paths.default_bookmarks_file()
        if self.path.is_symlink():
            # Write through a symlink (e.g. into a synced folder) instead of replacing it.
            self.path = self.path.resolve()
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.error: str | None = None
        self._bookmarks: list[Bookmark] = []
        self._stamp: tuple[int, int, int] | None = None
        self._parsed: tuple[bytes, BookmarkFile] | None = None
        self._positions: dict[str, int] = {}
        if load:
            self.reload()

    # -- reading

    @property
    def read_only(self) -> bool:
        """True while the file is unusable; no change is written until it is fixed."""
        return self.error is not None

    def _file_stamp(self) -> tuple[int, int, int] | None:
        """Identity of the file on disk, to notice changes by others."""
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def _read(self) -> BookmarkFile:
        """Read and check the file; unchanged bytes reuse the last parse (exact, by digest)."""
        data = read_bookmark_bytes(self.path) or b""
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if self._parsed is not None and self._parsed[0] == digest:
            cached = self._parsed[1]
            return BookmarkFile(list(cached.bookmarks), dict(cached.top))
        parsed = parse_bookmark_bytes(data, self.path)
        self._parsed = (digest, BookmarkFile(list(parsed.bookmarks), dict(parsed.top)))
        return parsed

    def reload(self) -> None:
        """Read the file again; sets ``error`` (read-only) if it is unusable."""
        stamp = self._file_stamp()
        try:
            data = self._read()
        except BookmarkFileError as error:
            self.error = str(error)
            self._bookmarks = []
        else:
            self.error = None
            self._bookmarks = data.bookmarks
        self._stamp = stamp

    def refresh(self) -> bool:
        """Reload if the file changed on disk since it was read; True if it did."""
        if self._file_stamp() == self._stamp:
            return False
        self.reload()
        return True

    def list(self, path: Path | None = None) -> list[Bookmark]:
        """All bookmarks in file order, or those of the document at ``path``."""
        self.refresh()
        if path is None:
            return list(self._bookmarks)
        target = normalise_path(path)
        return [bookmark for bookmark in self._bookmarks if bookmark.path == target]

    def get(self, bookmark_id: str) -> Bookmark | None:
        """The bookmark with this id, if any."""
        self.refresh()
        return next((b for b in self._bookmarks if b.id == bookmark_id), None)

    def lines_for(self, path: Path) -> set[int]:
        """The bookmarked lines of one document (for the reader's gutter)."""
        return {bookmark.line for bookmark in self.list(path)}

    # -- changing

    def _change(self, mutate: Mutation[_Result]) -> _Result:
        """Apply one change to the file as it is on disk now, under the lock, atomically."""
        if self.read_only:
            self.reload()
            if self.read_only:
                raise BookmarkFileError(f"bookmarks are read-only: {self.error}")
        import filelock  # imported on first write: it is not needed to start the app

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with filelock.FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT):
                self._remove_stale_temp_files()
                try:
                    data = self._read()
                except BookmarkFileError as error:
                    self.error = str(error)
                    self._bookmarks = []
                    self._stamp = self._file_stamp()
                    raise
                result = mutate(data.bookmarks)
                text = render_bookmark_file(data)
                atomic_write_text(self.path, text)
                # What we wrote is what we know: the next change skips parsing it again.
                digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
                self._parsed = (digest, BookmarkFile(list(data.bookmarks), dict(data.top)))
                self._bookmarks = data.bookmarks
                self._stamp = self._file_stamp()
                return result
        except filelock.Timeout:
            raise BookmarkError(f"{self.lock_path}: another tuireader holds the lock") from None
        except OSError as error:
            raise BookmarkError(f"{self.path}: {error.strerror or error}") from None

    def _remove_stale_temp_files(self) -> None:
        """Delete temp files of writes that were killed (safe: we hold the writers' lock)."""
        for stray in self.path.parent.glob(f".{glob.escape(self.path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                stray.unlink()

    def add(
        self,
        path: Path,
        line: int,
        *,
        note: str = "",
        tags: Iterable[str] = (),
        title: str | None = None,
        lines: LineList | None = None,
        snap: bool = True,
    ) -> Bookmark:
        """Bookmark ``line`` of the document at ``path`` and return the new bookmark.

        ``lines`` may pass the document's current lines when the caller has them.
        A mark on a blank line moves to the nearest line with text when ``snap``.
        Raises ``BookmarkError`` for a missing/unreadable file or a line outside it.
        """
        document = normalise_path(path)
        if is_piped(document):
            raise BookmarkError(NOT_BOOKMARKABLE)
        try:
            if lines is None:
                lines = read_document_lines(document)
            fingerprint = fingerprint_file(document)
        except DocumentError as error:
            raise BookmarkError(str(error)) from None
        if not lines:
            raise BookmarkError(f"{document}: the document is empty")
        if line < 1 or line > len(lines):
            raise BookmarkError(f"{document}: line {line} is outside the document (1-{len(lines)})")
        if snap:
            line = _snap_line(lines, line)
        before, after = context_of(lines, line)
        copies = count_copies(lines, lines[line - 1])
        template = Bookmark(
            id="",
            path=document,
            title=title if title is not None else _document_title(document),
            line=line,
            snippet=_snippet(lines[line - 1]),
            fingerprint=fingerprint,
            note=note.strip(),
            tags=tuple(_clean_tags([*tags, *hashtags(note)])),
            created=now_iso(),
            before=strip_control(before),
            after=strip_control(after),
            text_fingerprint=text_fingerprint(lines),
            copies=copies,
        )
        return self.append(template)

    def append(self, template: Bookmark) -> Bookmark:
        """Store ``template`` (a mark or highlight) with a fresh id; returns what was stored."""

        def mutate(bookmarks: list[Bookmark]) -> Bookmark:
            bookmark = template.replace(id=new_id(b.id for b in bookmarks))
            bookmarks.append(bookmark)
            return bookmark

        return self._change(mutate)

    def transform(self, mutate: Mutation[_Result]) -> _Result:
        """Apply ``mutate`` to the marks as on disk now, under the lock; write atomically."""
        return self._change(mutate)

    def _update(self, bookmark_id: str, **changes: Any) -> Bookmark:
        """Change fields of one bookmark, as stored on disk now."""

        def mutate(bookmarks: list[Bookmark]) -> Bookmark:
            for index, bookmark in enumerate(bookmarks):
                if bookmark.id == bookmark_id:
                    bookmarks[index] = bookmark.replace(**changes)
                    return bookmarks[index]
            raise BookmarkError(f"no bookmark with id {bookmark_id!r}")

        return self._change(mutate)

    def edit(
        self,
        bookmark_id: str,
        *,
        note: str | None = None,
        tags: Iterable[str] | None = None,
        title: str | None = None,
    ) -> Bookmark:
        """Change the note, tags or title of a bookmark; returns the changed bookmark.

        ``#tags`` in a new note become tags (and those its old note named, dropped).
        """
        changes: dict[str, Any] = {}
        if note is not None:
            changes["note"] = note.strip()
            old = self.get(bookmark_id)
            if old is not None and tags is None:
                tags = retag(old.tags, old.note, note)
        if tags is not None:
            changes["tags"] = tuple(_clean_tags(tags))
        if title is not None:
            changes["title"] = title.strip()
        return self._update(bookmark_id, **changes)

    def remove(self, bookmark_id: str) -> Bookmark:
        """Delete a bookmark and return it (pass it to ``restore`` to undo)."""

        def mutate(bookmarks: list[Bookmark]) -> Bookmark:
            for index, bookmark in enumerate(bookmarks):
                if bookmark.id == bookmark_id:
                    self._positions[bookmark_id] = index
                    return bookmarks.pop(index)
            raise BookmarkError(f"no bookmark with id {bookmark_id!r}")

        return self._change(mutate)

    def restore(self, bookmark: Bookmark) -> Bookmark:
        """Put back a removed bookmark with its id (a fresh id if that one is taken meanwhile)."""

        def mutate(bookmarks: list[Bookmark]) -> Bookmark:
            taken = {b.id for b in bookmarks}
            restored = bookmark if bookmark.id not in taken else bookmark.replace(id=new_id(taken))
            # Back where it was, or among the others in the order they were made.
            position = self._positions.pop(bookmark.id, None)
            if position is None or position > len(bookmarks):
                position = next(
                    (i for i, b in enumerate(bookmarks) if b.created > restored.created),
                    len(bookmarks),
                )
            bookmarks.insert(position, restored)
            return restored

        return self._change(mutate)

    def relocate(self, bookmark_id: str, new_path: Path) -> Bookmark:
        """Point a bookmark at a document's new path (after the file moved)."""
        target = normalise_path(new_path)
        if not target.is_file():
            raise BookmarkError(f"{target}: no such file")
        return self._update(bookmark_id, path=target)

    # -- re-anchoring

    def locate(
        self, bookmark: Bookmark, lines: LineList | None = None, fingerprint: str | None = None
    ) -> Anchor:
        """Where ``bookmark`` points now (changes nothing), maybe in a copy's lines."""
        return self._locate(bookmark, lines, fingerprint)[0]

    def _locate(
        self, bookmark: Bookmark, lines: LineList | None, fingerprint: str | None = None
    ) -> tuple[Anchor, str | None]:
        """``locate`` plus the document's current fingerprint (``None`` if unreadable)."""
        try:
            if fingerprint is None:
                fingerprint = fingerprint_file(bookmark.path)
            if fingerprint == bookmark.fingerprint:
                text = bookmark.snippet
                if lines is not None and bookmark.line <= len(lines):
                    text = lines[bookmark.line - 1]
                return Anchor(SAME, bookmark.line, bookmark.line, text), fingerprint
            if lines is None:
                lines = read_document_lines(bookmark.path)
        except DocumentError:
            return Anchor(MISSING, bookmark.line, bookmark.line), None
        if bookmark.is_highlight:
            return locate_highlight(lines, bookmark).anchor, fingerprint
        anchor = reanchor(
            lines, bookmark.snippet, bookmark.line, bookmark.before, bookmark.after, bookmark.copies
        )
        return anchor, fingerprint

    def reanchor(
        self,
        bookmark: Bookmark,
        lines: LineList | None = None,
        fingerprint: str | None = None,
    ) -> Anchor:
        """Locate ``bookmark`` and, if found for sure, save its new line, text and context.

        An uncertain or gone bookmark keeps its old line, text and fingerprint, so
        it keeps saying so.  Nothing is saved when the store is read-only.
        """
        if bookmark.is_highlight:
            anchor, saved = reanchor_highlight(bookmark, lines, fingerprint)
            if saved and not self.read_only:
                with contextlib.suppress(BookmarkError):
                    self._update(bookmark.id, **saved)
            return anchor
        anchor, fingerprint = self._locate(bookmark, lines, fingerprint)
        if not anchor.confident or fingerprint is None or self.read_only:
            return anchor
        changes: dict[str, Any] = {"line": anchor.line, "fingerprint": fingerprint}
        if anchor.text.strip():
            changes["snippet"] = _snippet(anchor.text)
        if lines is not None and anchor.line <= len(lines):
            before, after = context_of(lines, anchor.line)
            changes.update(before=strip_control(before), after=strip_control(after))
            changes["copies"] = count_copies(lines, lines[anchor.line - 1])
        if any(getattr(bookmark, key) != value for key, value in changes.items()):
            with contextlib.suppress(BookmarkError):
                self._update(bookmark.id, **changes)
        return anchor

    def reanchor_document(self, path: Path, lines: LineList | None = None) -> dict[str, Anchor]:
        """Re-anchor every bookmark of one document (e.g. when it is opened); by id."""
        found = self.list(path)
        if not found:
            return {}
        document = normalise_path(path)
        try:
            fingerprint = fingerprint_file(document)
            stale = any(b.fingerprint != fingerprint or b.before is None for b in found)
            if lines is None and stale:
                lines = read_document_lines(document)
        except DocumentError:
            return {b.id: Anchor(MISSING, b.line, b.line) for b in found}
        return {bookmark.id: self.reanchor(bookmark, lines, fingerprint) for bookmark in found}


def _clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as single words without control characters, duplicates dropped."""
    result: list[str] = []
    for tag in tags:
        for word in strip_control(str(tag)).replace(",", " ").split():
            if word not in result:
                result.append(word)
    return result
