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

from tuireader.core.bookmarks.store import (
    GONE,
    MISSING,
    UNCERTAIN,
    Anchor,
    Bookmark,
    BookmarkError,
    BookmarkStore,
)
from tuireader.core.piped import NOT_BOOKMARKABLE, is_piped
from tuireader.core.sanitize import display_text
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.messages import OpenDocument
from tuireader.ui.screens.bookmarks import BookmarksScreen, Undo

MarksCallback = Callable[[Path, set[int]], None]
"""Called with a document and its bookmarked lines whenever they may have changed."""


class BookmarkFlow:
    """Mark, list and jump to bookmarks for an app that handles ``OpenDocument``."""

    def __init__(
        self, app: App[Any], store: BookmarkStore, on_marks: MarksCallback | None = None
    ) -> None:
        """Work for app on store; on_marks hears of a document's marked lines."""
        self.app = app
        self.store = store
        self.on_marks = on_marks
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

    def open_list(self, document: Path | None = None) -> None:
        """``B``: show the bookmarks (this document first); Enter jumps to the chosen one."""

        def chosen(bookmark: Bookmark | None) -> None:
            if bookmark is not None:
                self.jump(bookmark)
            if document is not None:
                self._report_marks(document)

        screen = BookmarksScreen(self.store, document, self.undo, self.doubts)
        self.app.push_screen(screen, chosen)

    def jump(self, bookmark: Bookmark) -> None:
        """Re-anchor ``bookmark`` (in a worker) and open its document there."""
        self.app.run_worker(self._jump(bookmark), group="bookmarks-jump", exclusive=True)

    async def _jump(self, bookmark: Bookmark) -> None:
        """Find the marked text again, then open the document with a notice if it moved."""
        anchor = await asyncio.to_thread(self.store.reanchor, bookmark)
        self._note_doubts({bookmark.id: anchor})
        if anchor.status == MISSING:
            self.app.notify(
                f"{display_text(bookmark.path)} is missing. "
                "In the bookmarks list (B), press r to give its new path.",
                severity="warning",
                markup=False,
            )
            return
        self._report_marks(bookmark.path)
        self._told.add((bookmark.id, anchor.status))
        self.app.post_message(
            OpenDocument(
                bookmark.path,
                anchor.line,
                highlight=(anchor.line, anchor.line),
                notice=anchor.notice,
            )
        )

    def refresh_marks(self, path: Path, lines: list[str] | None = None) -> None:
        """Re-anchor a document's bookmarks (e.g. when it is opened) and report its marked lines.

        ``lines`` may pass the document's current lines to avoid reading it again.
        """
        self.app.run_worker(self._refresh(path, lines), group="bookmarks-marks", exclusive=True)

    async def _refresh(self, path: Path, lines: list[str] | None) -> set[int]:
        """Re-anchor in a thread, then report."""
        anchors = await asyncio.to_thread(self.store.reanchor_document, path, lines)
        self._note_doubts(anchors)
        self._tell_doubts(anchors)
        return self._report_marks(path)

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
        """Send a document's bookmarked lines to ``on_marks``."""
        marks = self.store.lines_for(path)
        if self.on_marks is not None:
            self.on_marks(path, marks)
        return marks
