"""Pilot tests that the messages screens post do what they say (ui/messages.py -> the app)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_helpers import SEED, reader_ready

from tuireader.ui.app import TuiReaderApp
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.messages import (
    MarkLine,
    OpenDocument,
    OpenSearch,
    ShowBookmarks,
    StepHit,
)
from tuireader.ui.screens.bookmarks import BookmarksScreen
from tuireader.ui.screens.library import LibraryScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.screens.search import SearchScreen


@pytest.fixture
def numbered(tmp_path: Path) -> Path:
    """A 300-line text file: ``line N`` on line N."""
    path = tmp_path / "numbered.txt"
    path.write_text("".join(f"line {n}\n" for n in range(1, 301)))
    return path


async def library_loaded(pilot: Pilot[int]) -> LibraryScreen:
    """The library screen once its scan worker is over."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen) and not screen.scanning
    return screen


async def test_open_document_from_the_library_opens_the_reader_there(
    tmp_path: Path, numbered: Path
) -> None:
    """OpenDocument posted by the library screen opens the reader at that line, highlighted."""
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    app = TuiReaderApp([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        library = await library_loaded(pilot)
        library.post_message(OpenDocument(numbered, 140, highlight=(140, 140), notice="here"))
        reader = await reader_ready(pilot)
        assert reader.document.path == numbered
        assert reader.top_line == 140
        assert reader.highlight == (140, 140)
        assert reader.view.render_line(0).text.strip() == "line 140"
        assert "here" in [n.message for n in app._notifications]
        await pilot.press("q")
        assert app.screen is library


async def test_open_document_with_words_shows_the_passage_in_the_open_reader(
    numbered: Path,
) -> None:
    """OpenDocument with words moves the reader already showing the file and styles the words."""
    app = TuiReaderApp(start_file=numbered)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        reader.post_message(OpenDocument(numbered, 200, highlight=(200, 201), words=("200",)))
        await pilot.pause()
        assert app.screen is reader  # the same reader, moved: no new screen
        assert reader.highlight == (200, 201)
        assert reader.highlight_words == ("200",)
        # The passage comes with a little context above it.
        assert 190 <= reader.top_line < 200


async def test_open_document_for_a_missing_file_reports_and_stays(
    numbered: Path, tmp_path: Path
) -> None:
    """OpenDocument for a file that is gone shows an error and keeps the reader open."""
    app = TuiReaderApp(start_file=numbered)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        reader.post_message(OpenDocument(tmp_path / "gone.txt"))
        await pilot.pause()
        assert app.screen is reader
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "gone.txt" in errors[0]


async def test_show_bookmarks_opens_the_list_for_the_document(numbered: Path) -> None:
    """ShowBookmarks opens the bookmarks list scoped to the document it names."""
    app = TuiReaderApp(start_file=numbered)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        await app.workers.wait_for_complete()
        app.bookmark_flow.store.add(numbered, 7, note="seven")
        reader.post_message(ShowBookmarks(numbered))
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, BookmarksScreen)
        assert listing.document == numbered.resolve()
        assert [mark.line for mark in listing.shown] == [7]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is reader
        assert reader.top_line == 7 and reader.highlight == (7, 7)


async def test_mark_line_asks_for_a_note_then_bookmarks_the_line(numbered: Path) -> None:
    """MarkLine opens the note dialog; Enter saves a bookmark on that line and marks the gutter."""
    app = TuiReaderApp(start_file=numbered)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        await app.workers.wait_for_complete()
        reader.post_message(MarkLine(numbered, 12, "line 12"))
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"twelve", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (mark,) = app.bookmark_flow.store.list()
        assert (mark.line, mark.note) == (12, "twelve")
        assert reader._marks == {12}


async def test_m_key_posts_mark_line_for_the_line_on_screen(numbered: Path) -> None:
    """Pressing m in the reader reaches the bookmark flow through MarkLine (the note dialog)."""
    app = TuiReaderApp(start_file=numbered)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        reader.go_to_line(33)
        await pilot.press("m")
        dialog = app.screen
        assert isinstance(dialog, NoteScreen)
        assert dialog._dialog_title == "Bookmark line 33"
        assert dialog._dialog_context == "line 33"
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert app.bookmark_flow.store.list() == []


async def test_open_search_opens_the_overlay_and_step_hit_without_search_says_so(
    numbered: Path,
) -> None:
    """OpenSearch shows the search overlay; StepHit before any search explains what to do."""
    app = TuiReaderApp(start_file=numbered)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        reader.post_message(StepHit(1))
        await pilot.pause()
        assert app.screen is reader
        assert any("No search yet" in n.message for n in app._notifications)
        reader.post_message(OpenSearch(numbered))
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is reader


async def test_library_scanned_hands_the_library_to_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the library scan ends (LibraryScanned), the search flow is told the library's paths."""
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    app = TuiReaderApp([folder, tmp_path / "numbered.txt"])
    told: list[list[Path]] = []
    monkeypatch.setattr(app.search_flow, "library_known", lambda paths: told.append(list(paths)))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await library_loaded(pilot)
        assert told == [[folder, tmp_path / "numbered.txt"]]
        assert screen.scanning is False
        assert not isinstance(app.screen, ReaderScreen)
