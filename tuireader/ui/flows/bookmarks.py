"""The app's bookmark actions in one place: mark (``m``), list (``B``), jump, gutter marks.

The app creates one ``BookmarkFlow`` and calls it from its key bindings; file
work (hashing, re-anchoring, locked writes) runs in workers off the UI thread.
It opens documents by posting ``OpenDocument`` to the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App

from tuireader.core.bookmarks.marking import add_highlight
from tuireader.core.bookmarks.store import (
    GONE,
    MISSING,
    UNCERTAIN,
    Anchor,
    Bookmark,
    BookmarkError,
    BookmarkStore,
)
from tuireader.core.bookmarks.sync import moved_marks, reanchor_located
from tuireader.core.piped import NOT_BOOKMARKABLE, is_piped
from tuireader.core.sanitize import display_text
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.messages import OpenDocument
from tuireader.ui.screens.bookmarks import BookmarksScreen, Undo

MarksCallback = Callable[[Path, list[Bookmark]], None]
"""Called with a document and its marks (bookmarks, highlights) whenever they may have changed."""


class BookmarkFlow:
    """Mark, list and jump to bookmarks for an app that handles ``OpenDocument``."""

    def __init__(
        self, app: App[Any], store: BookmarkStore, on_marks: MarksCallback | None = None
    ) -> None:
        """Work for app on store; on_marks hears of a document's marked lines."""
        self.app = app
        self.store = store
        self.on_marks = on_marks
        self.moved: dict[Path, list[Bookmark]] = {}
        """Marks found by text fingerprint for a document at another path (see ``sync``)."""
        self.undo: list[Undo] = []
        """This session's deletes and note edits, newest last (``u`` in the list)."""
        self.doubts: dict[str, Anchor] = {}
        """Bookmarks (by id) last found uncertain or gone: the list shows their candidates."""
        self._told: set[tuple[str, str]] = set()
        """(bookmark id, status) pairs already reported this session."""

    @property
    def startup_warning(self) -> str | None:
        """The one-line problem with the bookmarks file, to show once at start (or ``None``)."""
        if self.store.error is None:
            return None
        return f"Bookmarks are read-only: {self.store.error}"

    def mark(self, path: Path, line: int, text: str = "", lines: list[str] | None = None) -> None:
        """``m``: ask for an optional note, then bookmark ``line`` of ``path``.

        ``text`` (the line's text) is shown in the dialog for context; ``lines``
        (the document's source lines, if the reader has them) saves reading the
        file again.  Enter saves (an empty note is fine); Escape marks nothing.
        A blank line is marked at the next line with text.
        """
        if self.store.read_only:
            warning = display_text(self.startup_warning or "")
            self.app.notify(warning, severity="error", markup=False)
            return
        if is_piped(path):
            self.app.notify(f"Not bookmarked: {NOT_BOOKMARKABLE}", severity="warning", markup=False)
            return

        def add(note: str | None) -> None:
            if note is not None:
                self.app.run_worker(
                    self._add(path, line, note, lines), group="bookmarks", exclusive=False
                )

        self.app.push_screen(
            NoteScreen(
                f"Bookmark line {line}", context=text, help_text="Enter to mark · Esc to cancel"
            ),
            add,
        )

    async def _add(
        self, path: Path, line: int, note: str, lines: list[str] | None
    ) -> Bookmark | None:
        """Write the new bookmark in a thread and tell the user."""
        try:
            bookmark = await asyncio.to_thread(self.store.add, path, line, note=note, lines=lines)
        except BookmarkError as error:
            self.app.notify(display_text(error), severity="error", markup=False)
            return None
        self.app.notify(
            f"Bookmarked line {bookmark.line}"
            + (" with a note" if note else "")
            + ". B lists your bookmarks."
        )
        self._report_marks(path)
        return bookmark

    def mark_range(self, path: Path, start: int, end: int, text: str = "") -> None:
        """``v``..``m``: ask for an optional note, then highlight lines ``start``..``end``."""
        if self.store.read_only:
            self.app.notify(self.startup_warning or "", severity="error", markup=False)
            return

        def add(note: str | None) -> None:
            if note is not None:
                self.app.run_worker(
                    self._add_highlight(path, start, end, note), group="bookmarks", exclusive=False
                )

        self.app.push_screen(
            NoteScreen(
                f"Highlight lines {start}-{end}",
                context=text,
                help_text="Enter to highlight · Esc to cancel",
            ),
            add,
        )

    async def _add_highlight(self, path: Path, start: int, end: int, note: str) -> Bookmark | None:
        """Write the new highlight in a thread and tell the user."""
        try:
            mark = await asyncio.to_thread(add_highlight, self.store, path, start, end, note=note)
        except BookmarkError as error:
            self.app.notify(str(error), severity="error", markup=False)
            return None
        self.app.notify(
            f"Highlighted lines {mark.line}-{mark.last_line}"
            + (" with a note" if note else "")
            + ". B lists them; y copies a selection."
        )
        self._report_marks(path)
        return mark

    def open_list(self, document: Path | None = None) -> None:
        """``B``: show the bookmarks (this document first); Enter jumps to the chosen one."""

        def chosen(bookmark: Bookmark | None) -> None:
            if bookmark is not None:
                self.jump(bookmark)
            if document is not None:
                self._report_marks(document)

        elsewhere = frozenset(mark.id for marks in self.moved.values() for mark in marks)
        screen = BookmarksScreen(self.store, document, self.undo, self.doubts, elsewhere)
        self.app.push_screen(screen, chosen)

    def jump(self, bookmark: Bookmark) -> None:
        """Re-anchor ``bookmark`` (in a worker) and open its document there."""
        self.app.run_worker(self._jump(bookmark), group="bookmarks-jump", exclusive=True)

    async def _jump(self, bookmark: Bookmark) -> None:
        """Find the marked text again, then open the document with a notice if it moved."""
        path, anchor = await asyncio.to_thread(reanchor_located, self.store, bookmark)
        self._note_doubts({bookmark.id: anchor})
        copy = next((p for p, marks in self.moved.items() if bookmark in marks), None)
        if anchor.status == MISSING and copy is not None:
            # Its file is gone, but the same text is open at another path: go there.
            last = bookmark.last_line
            self.app.post_message(OpenDocument(copy, bookmark.line, (bookmark.line, last)))
            return
        if anchor.status == MISSING:
            self.app.notify(
                f"{display_text(bookmark.path)} is missing. In the bookmarks list "
                "(B in the reader, Ctrl+B in the library), press r to give its new path.",
                severity="warning",
                markup=False,
            )
            return
        self._report_marks(path)
        self._told.add((bookmark.id, anchor.status))
        last = anchor.line + bookmark.last_line - bookmark.line
        self.app.post_message(
            OpenDocument(
                path,
                anchor.line,
                highlight=(anchor.line, last),
                notice=anchor.notice,
            )
        )

    def refresh_marks(self, path: Path, lines: list[str] | None = None) -> None:
        """Re-anchor a document's bookmarks (e.g. when it is opened) and report its marked lines.

        ``lines`` may pass the document's current lines to avoid reading it again.
        """
        self.app.run_worker(self._refresh(path, lines), group="bookmarks-marks", exclusive=True)

    async def _refresh(self, path: Path, lines: list[str] | None) -> set[int]:
        """Re-anchor in a thread, find marks made on a copy elsewhere, then report."""
        anchors = await asyncio.to_thread(self.store.reanchor_document, path, lines)
        self._note_doubts(anchors)
        self._tell_doubts(anchors)
        self.moved[path] = await asyncio.to_thread(moved_marks, self.store, path, lines)
        return self._report_marks(path)

    def marks_of(self, path: Path) -> list[Bookmark]:
        """A document's marks: by path, and those found by its text fingerprint."""
        return self.store.list(path) + self.moved.get(path, [])
    def _note_doubts(self, anchors: dict[str, Anchor]) -> None:
        """Remember which bookmarks are uncertain or gone now (and forget those found again)."""
        for ident, anchor in anchors.items():
            if anchor.status in (UNCERTAIN, GONE):
                self.doubts[ident] = anchor
            else:
                self.doubts.pop(ident, None)

    def _tell_doubts(self, anchors: dict[str, Anchor]) -> None:
        """Say which bookmarks could not be found for sure (once per session each)."""
        doubtful = [
            (ident, anchor)
            for ident, anchor in anchors.items()
            if anchor.status in (UNCERTAIN, GONE) and (ident, anchor.status) not in self._told
        ]
        for ident, anchor in doubtful:
            self._told.add((ident, anchor.status))
            self.app.notify(
                f"{anchor.notice} B lists your bookmarks.",
                title="Bookmark kept in place",
                severity="warning",
                timeout=12,
                markup=False,
            )

    def _report_marks(self, path: Path) -> set[int]:
        """Send a document's marks to ``on_marks``; returns the marked lines."""
        marks = self.marks_of(path)
        if self.on_marks is not None:
            self.on_marks(path, marks)
        return {mark.line for mark in marks}
