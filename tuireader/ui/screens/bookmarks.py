"""The bookmarks list: filter, jump, delete with undo, edit notes, point at a moved file.

``BookmarksScreen`` dismisses with the chosen ``Bookmark`` (or ``None``); the
caller re-anchors it (``BookmarkStore.reanchor``) and opens the document.  A
bookmark whose document is missing is not chosen: the list stays open and
says to press ``r`` and give the document's new path.
After every change it posts ``BookmarksChanged`` so the app can
refresh the reader's gutter marks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuireader.core.bookmarks.filtering import filter_bookmarks
from tuireader.core.bookmarks.store import (
    GONE,
    Anchor,
    Bookmark,
    BookmarkError,
    BookmarkStore,
    normalise_path,
)
from tuireader.core.bookmarks.sync import located_path
from tuireader.core.sanitize import display_text, strip_control
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.keys import with_ids
from tuireader.ui.messages import BookmarksChanged

SNIPPET_CHARS = 160
MISSING_NOTE = "⚠ document missing: press r to give its new path (d deletes the bookmark)"


@dataclass(frozen=True)
class Undo:
    """One change ``u`` can take back: a deleted bookmark, or a bookmark before its note edit."""

    kind: Literal["delete", "edit"]
    bookmark: Bookmark


def _doubt(anchor: Anchor) -> str:
    """One line saying a bookmark was not found for sure, naming the likely lines."""
    lines = [str(candidate.line) for candidate in anchor.candidates]
    maybe = f"; maybe line {' or '.join(lines)}" if lines else ""
    what = "text not found" if anchor.status == GONE else "place uncertain"
    return f"⚠ {what} since the document changed{maybe}"


def _reachable(bookmark: Bookmark) -> bool:
    """Whether a bookmark's document can be opened: its file, or a bundled seed's copy here."""
    try:
        return located_path(bookmark).is_file()
    except OSError:
        return False


def _prompt(
    bookmark: Bookmark, show_title: bool, doubt: Anchor | None = None, missing: bool = False
) -> Content:
    """Two or three lines describing a bookmark; document text is data, never markup."""
    head: list[str | tuple[str, str]] = []
    if show_title:
        head += [(display_text(bookmark.title), "bold"), "  "]
    if bookmark.is_highlight:
        head.append((f"lines {bookmark.line}-{bookmark.last_line}", "$text-muted"))
    else:
        head.append((f"line {bookmark.line}", "$text-muted"))
    for tag in bookmark.tags:
        head += ["  ", (f"#{display_text(tag)}", "$text-accent")]
    snippet = " ".join(strip_control(bookmark.text).split())
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[: SNIPPET_CHARS - 1] + "…"
    quote: list[str | tuple[str, str]] = [("❝ ", "$text-accent")] if bookmark.is_highlight else []
    parts: list[str | tuple[str, str]] = [*head, "\n", *quote, (snippet or "(blank line)", "")]
    if bookmark.note:
        note = display_text(" ".join(bookmark.note.split()))
        parts += ["\n", ("✎ ", "$text-accent"), (note, "italic")]
    if missing:
        parts += ["\n", (MISSING_NOTE, "$text-warning")]
    elif doubt is not None:
        parts += ["\n", (_doubt(doubt), "$text-warning")]
    return Content.assemble(*parts)


class BookmarksScreen(ModalScreen[Bookmark | None]):
    """A modal list of bookmarks: this document or all, with a fuzzy filter."""

    DEFAULT_CSS = """
    BookmarksScreen {
        align: center middle;
    }
    BookmarksScreen > #bookmarks-dialog {
        width: 90%;
        max-width: 120;
        height: 85%;
        padding: 0 1;
        background: $surface;
        border: round $primary;
    }
    BookmarksScreen #bookmarks-heading {
        color: $text-accent;
        text-style: bold;
        padding: 0 1;
    }
    BookmarksScreen #bookmarks-error {
        color: $text-error;
        padding: 0 1;
        display: none;
    }
    BookmarksScreen.-read-only #bookmarks-error {
        display: block;
    }
    BookmarksScreen #bookmarks-list {
        height: 1fr;
        border: none;
        background: $surface;
    }
    BookmarksScreen #bookmarks-empty {
        color: $text-muted;
        padding: 1 1;
        display: none;
    }
    BookmarksScreen.-empty #bookmarks-empty {
        display: block;
    }
    BookmarksScreen #bookmarks-help {
        color: $text-muted;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = with_ids("bookmarks", [
        Binding("escape", "close", "Close", show=False),
        Binding("slash", "focus_filter", "Filter", show=False),
        Binding("a", "toggle_scope", "This document / all", show=False),
        Binding("d,delete", "delete", "Delete", show=False),
        Binding("u", "undo", "Undo delete", show=False),
        Binding("e", "edit_note", "Edit note", show=False),
        Binding("r", "relocate", "New path", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("up", "cursor_up", show=False),
    ])  # fmt: skip

    def __init__(
        self,
        store: BookmarkStore,
        document: Path | None = None,
        undo: list[Undo] | None = None,
        doubts: Mapping[str, Anchor] | None = None,
        elsewhere: frozenset[str] = frozenset(),
    ) -> None:
        """Show ``store``'s bookmarks; with ``document``, start with that document's marks.

        ``undo`` is the session's undo list (kept by the caller, so ``u`` still
        undoes after the dialog was closed and opened again); ``doubts`` the
        bookmarks (by id) last found uncertain or gone, shown with their candidates;
        ``elsewhere`` the ids of marks whose file is gone but whose text is open at
        another path (the caller opens that copy).
        """
        super().__init__()
        self.store = store
        self.document = normalise_path(document) if document is not None else None
        self.show_all = self.document is None or not store.list(self.document)
        self.shown: list[Bookmark] = []
        self._undo: list[Undo] = undo if undo is not None else []
        self.doubts: Mapping[str, Anchor] = doubts if doubts is not None else {}
        self._write_lock = asyncio.Lock()
        self.elsewhere = elsewhere
        self.missing: set[str] = set()
        """Ids of the bookmarks found missing when chosen (shown with what to do)."""

    # -- layout

    def compose(self) -> ComposeResult:
        """Heading, error line, filter, list, empty note and key help."""
        with Vertical(id="bookmarks-dialog"):
            yield Static(id="bookmarks-heading")
            yield Static(id="bookmarks-error")
            yield Input(
                placeholder="/ to filter by title, note, text or #tag", id="bookmarks-filter"
            )
            # The empty note goes above the (then empty) list, which keeps the focus: letters
            # stay commands (u undoes the last delete) instead of going to the filter.
            yield Static(id="bookmarks-empty")
            yield OptionList(id="bookmarks-list")
            yield Static(id="bookmarks-help")

    def on_mount(self) -> None:
        """Fill the list and focus it (letters are commands there; / starts filtering)."""
        self._show_state()
        self.refresh_list()
        self.query_one("#bookmarks-list", OptionList).focus()

    # -- state

    @property
    def highlighted(self) -> Bookmark | None:
        """The bookmark under the cursor."""
        index = self.query_one("#bookmarks-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def _show_state(self) -> None:
        """Show the read-only error and the key help for the current mode."""
        error = self.store.error
        self.set_class(error is not None, "-read-only")
        self.query_one("#bookmarks-error", Static).update(
            Content(f"Read-only until fixed: {error}") if error else Content("")
        )
        keys = "Enter jump · / filter · a this document/all · Esc close"
        if error is None:
            keys = (
                "Enter jump · / filter · a this/all · e note · d delete · u undo · r new path · Esc"
            )
        self.query_one("#bookmarks-help", Static).update(Content(keys))

    def refresh_list(self, keep: str | None = None) -> None:
        """Rebuild the list from the store, scope and filter, keeping the cursor if possible."""
        current = keep or (self.highlighted.id if self.highlighted else None)
        scope = None if self.show_all or self.document is None else self.document
        query = self.query_one("#bookmarks-filter", Input).value
        self.shown = filter_bookmarks(self.store.list(scope), query)
        options = self.query_one("#bookmarks-list", OptionList)
        entries: list[Option | None] = []
        for bookmark in self.shown:
            if entries:
                entries.append(None)  # a divider between bookmarks
            doubt = self.doubts.get(bookmark.id)
            missing = bookmark.id in self.missing
            prompt = _prompt(bookmark, self.show_all, doubt, missing)
            entries.append(Option(prompt, id=bookmark.id))
        options.set_options(entries)
        if self.shown:
            ids = [bookmark.id for bookmark in self.shown]
            options.highlighted = ids.index(current) if current in ids else 0
        where = "all documents" if self.show_all else "this document"
        total = len(self.store.list(scope))
        count = f"{len(self.shown)} of {total}" if query.strip() else f"{total}"
        self.query_one("#bookmarks-heading", Static).update(
            Content(f"Bookmarks — {where} ({count})")
        )
        self.set_class(not self.shown, "-empty")
        if not self.shown:
            if query.strip():
                empty = "Nothing matches the filter."
            elif total == 0 and not self.show_all:
                empty = "No bookmarks in this document. Press a to see all."
            else:
                empty = "No bookmarks yet. Press m in the reader to mark a line."
            self.query_one("#bookmarks-empty", Static).update(Content(empty))

    # -- events

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the user types."""
        event.stop()
        self.refresh_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter jumps to the best match."""
        event.stop()
        self._choose(self.highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on a bookmark jumps to it."""
        event.stop()
        self._choose(next((b for b in self.shown if b.id == event.option_id), None))

    def _choose(self, bookmark: Bookmark | None) -> None:
        """Close the list with the chosen bookmark, once its document is known to be there."""
        if bookmark is not None:
            self._choose_if_found(bookmark)

    @work(group="bookmarks-choose", exclusive=True)
    async def _choose_if_found(self, bookmark: Bookmark) -> None:
        """Dismiss with ``bookmark``; if its document is missing, stay and say what to do."""
        if bookmark.id not in self.elsewhere and not await asyncio.to_thread(_reachable, bookmark):
            self.missing.add(bookmark.id)
            self.refresh_list(keep=bookmark.id)
            self.query_one("#bookmarks-list", OptionList).focus()
            self.notify(
                f"{display_text(bookmark.path)} is missing. Press r to give its new path, "
                "or d to delete the bookmark.",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(bookmark)

    # -- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letters are commands only in the list (in the filter they are typed); no edits when
        the file is read-only."""
        if action in ("toggle_scope", "delete", "undo", "edit_note", "relocate", "focus_filter"):
            if isinstance(self.focused, Input):
                return False
            if action != "toggle_scope" and action != "focus_filter" and self.store.read_only:
                return False
        return True

    def action_close(self) -> None:
        """Escape: leave the filter, or close the list."""
        if isinstance(self.focused, Input):
            self.query_one("#bookmarks-list", OptionList).focus()
            return
        self.dismiss(None)

    def action_focus_filter(self) -> None:
        """Start filtering."""
        self.query_one("#bookmarks-filter", Input).focus()

    def action_cursor_down(self) -> None:
        """Move the list cursor (also while typing a filter)."""
        self.query_one("#bookmarks-list", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Move the list cursor up (also while typing a filter)."""
        self.query_one("#bookmarks-list", OptionList).action_cursor_up()

    def action_toggle_scope(self) -> None:
        """Switch between this document's bookmarks and all bookmarks."""
        if self.document is None:
            self.notify("Showing all bookmarks (no document open).")
            return
        self.show_all = not self.show_all
        self.refresh_list()

    def action_delete(self) -> None:
        """Delete the highlighted bookmark (u undoes)."""
        bookmark = self.highlighted
        if bookmark is not None:
            self._write(
                lambda: self.store.remove(bookmark.id),
                lambda removed: self._deleted(removed),
            )

    def _deleted(self, removed: Bookmark) -> None:
        """Remember a deletion for undo and say so."""
        self._undo.append(Undo("delete", removed))
        self.notify(f"Deleted bookmark at line {removed.line}. Press u to undo.")

    def action_undo(self) -> None:
        """Undo this session's last delete or note edit (also after the list was closed)."""
        if not self._undo:
            self.notify("Nothing to undo.")
            return
        entry = self._undo.pop()
        old = entry.bookmark
        if entry.kind == "delete":
            change: Callable[[], Bookmark] = lambda: self.store.restore(old)  # noqa: E731
            said = f"Restored the bookmark at line {old.line}."
        else:
            change = lambda: self.store.edit(old.id, note=old.note, tags=old.tags)  # noqa: E731
            said = f"Note of line {old.line} put back."

        def done(result: Bookmark) -> None:
            self.refresh_list(keep=result.id)
            self.notify(said)

        self._write(change, done, on_error=lambda: self._undo.append(entry))

    def action_edit_note(self) -> None:
        """Edit the highlighted bookmark's note in a small dialog."""
        bookmark = self.highlighted
        if bookmark is None:
            return

        def save(note: str | None) -> None:
            if note is not None and note != bookmark.note:
                self._write(
                    lambda: self.store.edit(bookmark.id, note=note),
                    lambda _: self._undo.append(Undo("edit", bookmark)),
                )

        self.app.push_screen(
            NoteScreen(f"Note for line {bookmark.line}", bookmark.note, context=bookmark.snippet),
            save,
        )

    def action_relocate(self) -> None:
        """Point the highlighted bookmark at its document's new path."""
        bookmark = self.highlighted
        if bookmark is None:
            return

        shown = display_text(bookmark.path)

        def save(path: str | None) -> None:
            if path and path != shown and Path(path).expanduser() != bookmark.path:
                self._write(
                    lambda: self.store.relocate(bookmark.id, Path(path)),
                    lambda moved: self.missing.discard(moved.id),
                )

        self.app.push_screen(
            NoteScreen(
                "New path of the document",
                shown,
                context=bookmark.title,
                placeholder="/path/to/the/moved/file",
            ),
            save,
        )

    # -- writing

    @work(group="bookmarks-write")
    async def _write(
        self,
        change: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        on_error: Callable[[], None] | None = None,
    ) -> None:
        """Run one store change in a thread (file lock + fsync), one at a time, then refresh."""
        async with self._write_lock:
            try:
                result = await asyncio.to_thread(change)
            except BookmarkError as error:
                if on_error is not None:
                    on_error()
                self.notify(display_text(error), severity="error", markup=False)
                self._show_state()
                return
        if done is not None:
            done(result)
        self.refresh_list()
        self.post_message(BookmarksChanged(self.store))
