"""Pilot tests of the app-level bookmark flow: mark with a note, list, jump with re-anchoring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import on
from textual.app import App
from textual.widgets import Input, OptionList
from tui_helpers import until

from tuireader.core.bookmarks.store import Bookmark, BookmarkStore
from tuireader.core.paths import seeds_dir
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.flows.bookmarks import BookmarkFlow
from tuireader.ui.messages import OpenDocument
from tuireader.ui.screens.bookmarks import BookmarksScreen


class ReaderStub(App[None]):
    """Stands in for TuiReaderApp: records the OpenDocument messages and gutter marks."""

    def __init__(self, store: BookmarkStore) -> None:
        """Wrap a BookmarkFlow around the store, recording opened documents and marks."""
        super().__init__()
        self.opened: list[tuple[Path, int | None, Any, str | None]] = []
        self.marks: dict[Path, set[int]] = {}
        self.flow = BookmarkFlow(self, store, on_marks=self._record_marks)

    def _record_marks(self, path: Path, marks: list[Bookmark]) -> None:
        """Keep the marked lines reported for a document."""
        self.marks[path] = {mark.line for mark in marks}

    @on(OpenDocument)
    def record_open(self, message: OpenDocument) -> None:
        """Record what the flow asked to open instead of opening a reader."""
        self.opened.append((message.path, message.line, message.highlight, message.notice))


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    """A 30-line plain-text essay with one distinct sentence per line."""
    path = tmp_path / "essay.txt"
    path.write_text("\n".join(f"Sentence number {n} of the essay." for n in range(1, 31)) + "\n")
    return path


async def test_mark_with_note_then_jump_back_after_edit(doc: Path) -> None:
    """A noted mark is saved; after an edit above it the jump follows the text and says so."""
    store = BookmarkStore()
    app = ReaderStub(store)
    async with app.run_test() as pilot:
        app.flow.mark(doc, 12, "Sentence number 12 of the essay.")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"key point", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (mark,) = store.list()
        assert (mark.line, mark.note) == (12, "key point")
        assert app.marks[doc] == {12}
        # The document gains lines above the mark; the jump follows the text and says so.
        doc.write_text("New intro.\nMore.\n" + doc.read_text())
        app.flow.open_list(doc)
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("enter")
        await until(pilot, lambda: app.opened, "the jump")
    ((path, line, highlight, notice),) = app.opened
    assert (path, line, highlight) == (doc.resolve(), 14, (14, 14))
    assert notice == "Bookmark moved: line 12 is now line 14"
    assert store.get(mark.id).line == 14  # saved, so the next jump is silent
    assert app.marks[doc] == {14}


async def test_escape_in_note_dialog_marks_nothing(doc: Path) -> None:
    """Escape in the note dialog adds no bookmark."""
    store = BookmarkStore()
    app = ReaderStub(store)
    async with app.run_test() as pilot:
        app.flow.mark(doc, 3)
        await pilot.pause()
        await pilot.press("escape")
        await app.workers.wait_for_complete()
    assert store.list() == []


async def test_missing_file_warns_and_does_not_open(doc: Path) -> None:
    """Jumping to a bookmark whose file was deleted warns, naming it, and opens nothing."""
    store = BookmarkStore()
    store.add(doc, 5)
    doc.unlink()
    app = ReaderStub(store)
    async with app.run_test() as pilot:
        app.flow.jump(store.list()[0])
        await app.workers.wait_for_complete()
        await pilot.pause()
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
    assert app.opened == []
    assert len(warnings) == 1 and doc.name in warnings[0]


async def test_refresh_marks_reanchors_document(doc: Path) -> None:
    """Refreshing marks after a line is inserted moves the gutter marks down by one."""
    store = BookmarkStore()
    store.add(doc, 5)
    store.add(doc, 9)
    doc.write_text("Inserted.\n" + doc.read_text())
    app = ReaderStub(store)
    async with app.run_test() as pilot:
        app.flow.refresh_marks(doc)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.marks[doc] == {6, 10}


def test_read_only_store_has_startup_warning(tmp_path: Path) -> None:
    """A bookmarks file that is not valid gives a startup warning naming the file."""
    target = tmp_path / "bm.yaml"
    target.write_text("- not a mapping\n")
    flow = BookmarkFlow(App(), BookmarkStore(target))
    assert flow.startup_warning is not None and str(target) in flow.startup_warning


async def test_uncertain_bookmark_is_kept_and_candidates_named(tmp_path: Path) -> None:
    """A weak match: opening the document names the candidates; the jump keeps the old line."""
    doc = tmp_path / "plan.txt"
    lines = [f"Paragraph {n} about harbour {n * 7} and lanterns." for n in range(30)]
    lines[14] = "Call the harbour master about the broken lantern before Friday."
    doc.write_text("\n".join(lines) + "\n")
    store = BookmarkStore()
    mark = store.add(doc, 15)
    lines[13:16] = ["New above.", "Ring the harbour office about a lantern, maybe.", "New below."]
    doc.write_text("\n".join(lines) + "\n")
    app = ReaderStub(store)
    async with app.run_test() as pilot:
        app.flow.refresh_marks(doc)
        await app.workers.wait_for_complete()
        await pilot.pause()
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1
        assert "uncertain" in warnings[0] and "line 15 “Ring the harbour" in warnings[0]
        app.flow.open_list(doc)
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "place uncertain" in prompt and "maybe line 15" in prompt
        await pilot.press("escape")
        await pilot.pause()
        app.flow.jump(mark)
        await app.workers.wait_for_complete()
        await pilot.pause()
    ((_, line, _, notice),) = app.opened
    assert line == 15 and notice is not None and "uncertain" in notice
    assert store.get(mark.id) == mark  # never rewritten from a weak match


async def test_missing_file_warning_is_clean_and_names_both_keys(tmp_path: Path) -> None:
    """The "is missing" warning shows no escape sequence from the file name, and names the
    key of the bookmarks list in the library (Ctrl+B) as well as in the reader (B)."""
    doc = tmp_path / "odd\x1b]52;c;aGk=\x07name.txt"
    doc.write_text("one\ntwo\nthree\n")
    store = BookmarkStore()
    store.add(doc, 2)
    doc.unlink()
    app = ReaderStub(store)
    async with app.run_test() as pilot:
        app.flow.jump(store.list()[0])
        await app.workers.wait_for_complete()
        await pilot.pause()
        warnings = [str(n.message) for n in app._notifications if n.severity == "warning"]
    assert len(warnings) == 1 and "name.txt" in warnings[0], warnings
    assert "\x1b" not in warnings[0] and "\x07" not in warnings[0]
    assert "Ctrl+B" in warnings[0]


async def test_enter_on_a_missing_file_keeps_the_list_open_to_relocate(
    doc: Path, tmp_path: Path
) -> None:
    """Enter on a mark whose file moved: the list stays, says to press r; r with the new
    path, then Enter opens the document at the mark."""
    store = BookmarkStore()
    mark = store.add(doc, 5)
    moved = tmp_path / "moved essay.txt"
    doc.rename(moved)
    app = ReaderStub(store)
    async with app.run_test(size=(100, 30)) as pilot:
        app.flow.open_list()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        await pilot.press("enter")
        await until(pilot, lambda: mark.id in screen.missing, "the missing file to be noticed")
        assert app.screen is screen and app.opened == []
        prompt = str(screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "document missing: press r to give its new path" in prompt
        warnings = [str(n.message) for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1 and doc.name in warnings[0] and "Press r" in warnings[0]
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, NoteScreen), "the new-path dialog")
        app.screen.query_one(Input).value = str(moved)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: app.screen is screen and not screen.missing,
            "the bookmark to be relocated",
        )
        prompt = str(screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "document missing" not in prompt
        await pilot.press("enter")
        await until(pilot, lambda: app.opened, "the jump")
    ((path, line, _, _),) = app.opened
    assert (path, line) == (moved.resolve(), 5)


async def test_jump_to_a_seed_marked_in_another_install_opens_this_installs_seed() -> None:
    """A seed mark naming another venv's copy opens the bundled seed here, at the mark."""
    seed = next(p for p in sorted(seeds_dir().iterdir()) if p.suffix == ".txt")
    first = BookmarkStore()
    first.add(seed, 5)
    other = "/old/venv/lib/python3.12/site-packages/tuireader/_data/seeds"
    text = first.path.read_text(encoding="utf-8")
    first.path.write_text(text.replace(str(seed.resolve()), f"{other}/{seed.name}"), "utf-8")
    store = BookmarkStore(first.path)
    (mark,) = store.list()
    assert str(mark.path).startswith(other)
    app = ReaderStub(store)
    async with app.run_test() as pilot:
        app.flow.open_list()
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: app.opened, "the jump")
    ((path, line, _, _),) = app.opened
    assert (path, line) == (seed, 5)
