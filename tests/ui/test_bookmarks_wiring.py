"""Pilot tests of bookmarks in the real app: m, B, Enter, d, u, gutter marks, restart, bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_waits import until
from textual.pilot import Pilot

from tuireader.core import paths
from tuireader.core.bookmarks.store import BookmarkStore
from tuireader.core.config import Config
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.dialogs.help import HelpScreen
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.screens.bookmarks import BookmarksScreen
from tuireader.ui.screens.library import LibraryScreen
from tuireader.ui.screens.reader import ReaderScreen

MARKER = "▍"


async def settle(pilot: Pilot[int]) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def reader_ready(pilot: Pilot[int]) -> ReaderScreen:
    """Wait until a reader is on screen with its index complete."""

    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, ReaderScreen) and screen.index.done and not screen.view.pending

    await until(pilot, ready, "the reader")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def marked_rows(reader: ReaderScreen) -> dict[int, str]:
    """1-based source line -> drawn text, for each row of the pane showing a gutter marker."""
    view = reader.view
    found: dict[int, str] = {}
    for y, (line, _) in enumerate(view._layout()):
        text = view.render_line(y).text
        if MARKER in text:
            found[line + 1] = text
    return found


async def test_mark_list_jump_delete_undo_then_restart(seed_article: Path) -> None:
    """m, B, enter, d and u work in the app, and the mark survives a restart."""
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        await pilot.press("space")
        await pilot.pause()
        target = reader.first_visible_line()
        assert target > 1
        assert reader.index.read_line(target - 1).strip()

        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"camp south", "enter")
        await settle(pilot)
        (bookmark,) = BookmarkStore().list()
        assert (bookmark.line, bookmark.note) == (target, "camp south")
        assert bookmark.path == seed_article.resolve()
        assert target in marked_rows(reader)

        await pilot.press("g")
        assert reader.top_line == 1
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        assert [b.id for b in app.screen.shown] == [bookmark.id]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is reader
        assert reader.top_line == target
        assert reader.highlight == (target, target)

        await pilot.press("B")
        await pilot.pause()
        await pilot.press("d")
        await settle(pilot)
        assert BookmarkStore().list() == []
        assert reader.view._marks == set()  # the gutter follows while the list is open
        await pilot.press("u")
        await settle(pilot)
        assert [b.id for b in BookmarkStore().list()] == [bookmark.id]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is reader
        assert target in marked_rows(reader)

    # A new app (same files): the bookmark is there, drawn, and Ctrl+B in the library jumps.
    again = TuiReaderApp([seed_article.parent])
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, LibraryScreen)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(again.screen, BookmarksScreen)
        assert [b.note for b in again.screen.shown] == ["camp south"]
        await pilot.press("enter")
        reader = await reader_ready(pilot)
        assert reader.document.path == seed_article.resolve()
        assert reader.top_line == target
        assert target in marked_rows(reader)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(again.screen, LibraryScreen)


async def test_opening_a_document_draws_its_marks(seed_article: Path) -> None:
    """Opening a document shows gutter marks for its saved bookmarks."""
    BookmarkStore().add(seed_article, 9, note="before")
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        assert 9 in marked_rows(reader)


@pytest.mark.parametrize(
    "original",
    [
        b"version: 1\nbookmarks:\n  - id: [unclosed\n",
        b"editor:\n  theme: dark\nplugins: [a, b]\n",  # another program's YAML
    ],
    ids=["corrupt", "foreign"],
)
async def test_corrupt_bookmarks_file_is_read_only_and_untouched(
    seed_article: Path, tmp_path: Path, original: bytes
) -> None:
    """A corrupt or foreign bookmarks file: one warning, m and B cannot change it, bytes kept."""
    target = paths.default_bookmarks_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(original)
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(pilot)
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1
        assert str(target) in warnings[0] and "read-only" in warnings[0]
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)  # no note dialog: nothing can be written
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        assert app.screen.has_class("-read-only")
        await pilot.press("escape")
        await settle(pilot)
    assert target.read_bytes() == original


def test_bookmarks_file_precedence(tmp_path: Path) -> None:
    """The bookmarks file is the --bookmarks one, else the configured one, else the default."""
    given, configured = tmp_path / "given.yaml", tmp_path / "configured.yaml"
    config = Config(bookmarks=configured)
    assert TuiReaderApp(config=config, bookmarks=given).bookmarks_path == given
    assert TuiReaderApp(config=config).bookmarks_path == configured
    assert TuiReaderApp().bookmarks_path == paths.default_bookmarks_file()


async def test_help_lists_the_bookmark_keys(seed_article: Path) -> None:
    """The help table lists the bookmark, all-bookmarks and undo-delete keys."""
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(100, 40)) as pilot:
        await reader_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table")
        rows = [
            " | ".join(str(cell) for cell in table.get_row_at(i))  # type: ignore[attr-defined]
            for i in range(table.row_count)  # type: ignore[attr-defined]
        ]
        text = "\n".join(rows)
        assert "Bookmark this place" in text
        assert "All bookmarks" in text
        assert "Undo delete" in text


async def test_mark_on_a_reflowed_markdown_line_is_drawn(tmp_path: Path) -> None:
    """A mark on a Markdown line reflowed into the paragraph's first row is drawn on that row."""
    doc = tmp_path / "notes.md"
    doc.write_text(
        "# Notes\n\nA short first line\nthen a second\nand a third.\n\nAfter the paragraph.\n"
    )
    BookmarkStore().add(doc, 4, note="inside the paragraph")
    app = TuiReaderApp(start_file=doc)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        assert reader.view.wrapped(3) == []  # line 4 was reflowed into line 3's row
        rows = marked_rows(reader)
        assert list(rows) == [3]
        assert "then a second" in rows[3]


async def test_m_marks_what_the_reader_is_looking_at(seed_article: Path) -> None:
    """m marks a highlighted passage on screen, else the first line that starts on screen."""
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        # Line 9 is a long paragraph: scroll so only its tail shows at the top.
        reader.go_to_line(9)
        reader.view.scroll_rows(2)
        await pilot.pause()
        top_line, top_row = reader.view._layout()[0]
        assert (top_line + 1, top_row) == (9, 2)
        assert reader.first_visible_line() == 11
        # A highlighted passage on screen (e.g. a search hit) wins over the top line.
        app.open_document(seed_article, 15, highlight=(17, 17))
        await settle(pilot)
        assert reader.top_line == 15
        assert reader.first_visible_line() == 17
