"""Pilot tests for the bookmarks list and the note dialog, in a tiny host app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import on
from textual.app import App
from textual.widgets import Input, OptionList, Static
from tui_helpers import until

from tuireader.core.bookmarks.store import Bookmark, BookmarkStore
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.messages import BookmarksChanged
from tuireader.ui.screens.bookmarks import BookmarksScreen


class HostApp(App[None]):
    """Pushes one screen and records what it dismissed with and the messages it sent."""

    def __init__(self, screen_factory: Any) -> None:
        """Keep the factory for the screen to push on mount."""
        super().__init__()
        self.screen_factory = screen_factory
        self.results: list[Any] = []
        self.changes = 0

    def on_mount(self) -> None:
        """Push the screen, recording what it is dismissed with."""
        self.push_screen(self.screen_factory(), self.results.append)

    @on(BookmarksChanged)
    def count_change(self, message: BookmarksChanged) -> None:
        """Count the Changed messages the screen sends."""
        self.changes += 1


@pytest.fixture
def docs(tmp_path: Path) -> tuple[Path, Path]:
    """Two documents."""
    first = tmp_path / "fox.md"
    first.write_text(
        "# The Fox Book\n\nThe quick brown fox jumps.\n\nA lazy dog sleeps.\n\nOwls at night.\n",
        encoding="utf-8",
    )
    second = tmp_path / "sea.txt"
    second.write_text("Sea stories\n\nWaves crash on the rocks.\n", encoding="utf-8")
    return first, second


@pytest.fixture
def store(docs: tuple[Path, Path]) -> BookmarkStore:
    """A store with three bookmarks in two documents."""
    first, second = docs
    store = BookmarkStore()
    store.add(first, 3, note="Dickens would approve", tags=["animals"])
    store.add(first, 5)
    store.add(second, 3, note="salt")
    return store


def _list(app: App[Any]) -> OptionList:
    return app.screen.query_one("#bookmarks-list", OptionList)


def _lines_shown(app: App[Any]) -> list[int]:
    screen = app.screen
    assert isinstance(screen, BookmarksScreen)
    return [bookmark.line for bookmark in screen.shown]


async def test_lists_this_document_then_all_and_jumps(
    store: BookmarkStore, docs: tuple[Path, Path]
) -> None:
    """Lists this document's marks, 'a' toggles to all, enter returns the chosen mark."""
    app = HostApp(lambda: BookmarksScreen(store, docs[0]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert _lines_shown(app) == [3, 5]
        heading = app.screen.query_one("#bookmarks-heading", Static)
        assert "this document (2)" in str(heading.render())
        await pilot.press("a")
        assert len(_lines_shown(app)) == 3
        await pilot.press("a", "down", "enter")
        await until(pilot, lambda: app.results, "the chosen mark")
    (chosen,) = app.results
    assert isinstance(chosen, Bookmark)
    assert (chosen.path, chosen.line) == (docs[0].resolve(), 5)


async def test_fuzzy_filter_with_typo_then_enter(
    store: BookmarkStore, docs: tuple[Path, Path]
) -> None:
    """'/' focuses the filter, a typo still finds the note, and enter returns that mark."""
    app = HostApp(lambda: BookmarksScreen(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(_lines_shown(app)) == 3
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"dikens")  # typo for the note "Dickens"; 'd' and 'e' are typed
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        assert [b.note for b in screen.shown] == ["Dickens would approve"]
        await pilot.press("enter")
        await until(pilot, lambda: app.results, "the chosen mark")
    assert app.results[0].note == "Dickens would approve"


async def test_delete_and_undo(store: BookmarkStore, docs: tuple[Path, Path]) -> None:
    """'d' deletes from list and file, 'u' restores with the same id, each sending Changed."""
    original = [b.id for b in store.list()]
    app = HostApp(lambda: BookmarksScreen(store, docs[0]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _lines_shown(app) == [5]
        assert len(BookmarkStore(store.path).list()) == 2  # written to the file
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _lines_shown(app) == [3, 5]
        assert [b.id for b in BookmarkStore(store.path).list()] == original
        assert app.changes == 2
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_edit_note(store: BookmarkStore, docs: tuple[Path, Path]) -> None:
    """'e' edits a mark's note in the file and the list; escape in the dialog changes nothing."""
    app = HostApp(lambda: BookmarksScreen(store, docs[0]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "e")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"sleepy", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        assert BookmarkStore(store.path).list(docs[0])[1].note == "sleepy"
        assert "sleepy" in str(_list(app).get_option_at_index(1).prompt)
        # Escape in the note dialog changes nothing.
        await pilot.press("e", "x", "escape")
        await pilot.pause()
        assert BookmarkStore(store.path).list(docs[0])[1].note == "sleepy"


async def test_read_only_file_shows_error_and_refuses_edits(tmp_path: Path) -> None:
    """A corrupt file shows a read-only error naming it, and d/u/e leave its bytes unchanged."""
    target = tmp_path / "bm.yaml"
    content = b"version: 1\nbookmarks: [\n"
    target.write_bytes(content)
    store = BookmarkStore(target)
    app = HostApp(lambda: BookmarksScreen(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-read-only")
        error = str(screen.query_one("#bookmarks-error", Static).render())
        assert "Read-only" in error and str(target) in error
        await pilot.press("d", "u", "e")
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
    assert target.read_bytes() == content


async def test_empty_store_says_how_to_mark() -> None:
    """With no bookmarks the screen shows the empty state telling the user to press m."""
    app = HostApp(lambda: BookmarksScreen(BookmarkStore()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-empty")
        text = str(app.screen.query_one("#bookmarks-empty", Static).render())
        assert "Press m" in text


async def test_note_screen_returns_text_or_none() -> None:
    """The note dialog returns the typed text on enter and None on escape."""
    app = HostApp(lambda: NoteScreen("Mark line 3", context="The quick brown fox."))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"a note", "enter")
        await pilot.pause()
    assert app.results == ["a note"]
    app = HostApp(lambda: NoteScreen("Mark line 3"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("x", "escape")
        await pilot.pause()
    assert app.results == [None]


async def test_relocate_moved_document(store: BookmarkStore, docs: tuple[Path, Path]) -> None:
    """'r' relocates a mark whose document was moved to the new path given."""
    moved = docs[1].with_name("sea-moved.txt")
    docs[1].rename(moved)
    app = HostApp(lambda: BookmarksScreen(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "r")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        field = app.screen.query_one(Input)
        field.value = str(moved)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    (relocated,) = BookmarkStore(store.path).list(moved)
    assert relocated.note == "salt"


async def test_deleting_last_bookmark_shows_empty_state(tmp_path: Path) -> None:
    """Control sequences in notes are not shown; deleting the last mark shows empty state."""
    doc = tmp_path / "one.txt"
    doc.write_text("only line\n", encoding="utf-8")
    store = BookmarkStore()
    store.add(doc, 1, note="\x1b[31mred\x1b[0m")
    app = HostApp(lambda: BookmarksScreen(store, doc))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "\x1b" not in str(_list(app).get_option_at_index(0).prompt)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.has_class("-empty")
        assert store.list() == []
