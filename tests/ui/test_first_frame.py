"""The first screen: what start-up leaves out changes nothing the user sees or can do.

Started on a file, the reader is the app's first screen (no blank screen under it);
the library keeps its table through resizes that do not change the columns.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_waits import library_loaded, until
from textual.widgets import Footer
from tui_helpers import SEED, reader_ready

from tuireader.core.state import ReadingState
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.reader import ReaderScreen


def _long_text(folder: Path, name: str = "long.txt", lines: int = 300) -> Path:
    """A plain text file of numbered lines, longer than any test screen."""
    path = folder / name
    path.write_text("".join(f"line {n} of {name}\n" for n in range(1, lines + 1)))
    return path


async def test_reader_on_a_file_is_the_first_screen_and_complete(tmp_path: Path) -> None:
    """The reader is the only screen; its keys work at once and the footer shows its keys."""
    app = TuiReaderApp(start_file=_long_text(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j")  # before anything was waited for
        reader = await reader_ready(pilot)
        assert app.screen_stack == [reader]
        assert reader.top_line == 3
        await until(pilot, lambda: reader.query_one(Footer).children, "the footer's keys")
        keys = {key.key for key in reader.query_one(Footer).query("FooterKey")}
        assert {"q", "t", "m", "slash"} <= keys
        await pilot.press("q")
    assert app.return_code == 0


async def test_another_document_replaces_the_first_reader(tmp_path: Path) -> None:
    """Opening another document from the first reader switches to it; q still quits."""
    first, second = _long_text(tmp_path), _long_text(tmp_path, "other.txt")
    app = TuiReaderApp(start_file=first)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        app.open_document(second, 40)
        await until(
            pilot,
            lambda: isinstance(app.screen, ReaderScreen) and app.screen is not reader,
            "the second document",
        )
        other = await reader_ready(pilot)
        assert app.screen_stack == [other]
        assert other.document.path == second.absolute()
        assert other.top_line == 40
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_start_file_that_cannot_be_read_still_ends_with_its_error(tmp_path: Path) -> None:
    """A file that is no document: the error is reported and the app ends with status 2."""
    binary = tmp_path / "data.bin"
    binary.write_bytes(b"\x00\x01" * 200)
    app = TuiReaderApp(start_file=binary)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.return_value is not None, "the app to end")
    assert app.return_value == 2  # what ``run_app`` returns as the exit status


async def test_library_resize_keeps_or_refits_the_columns(tmp_path: Path) -> None:
    """A height-only resize keeps the table as it is; a wider screen widens the titles."""
    folder = tmp_path / "lib"
    folder.mkdir()
    for n in range(30):
        _long_text(folder, f"doc{n:02}.txt", lines=5)
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    app = TuiReaderApp([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await library_loaded(pilot)
        table = screen.table
        title = table.ordered_columns[0]
        rows = [table.get_row_at(row) for row in range(table.row_count)]
        assert len(rows) == 31 and title.width == 33
        await pilot.press("j", "j")
        await pilot.resize_terminal(100, 40)
        await until(pilot, lambda: screen.size.height == 40, "the taller screen")
        assert table.ordered_columns[0] is title  # not rebuilt
        assert [table.get_row_at(row) for row in range(table.row_count)] == rows
        assert table.cursor_row == 2
        await pilot.resize_terminal(140, 40)
        await until(pilot, lambda: screen.size.width == 140, "the wider screen")
        assert table.ordered_columns[0].width == 70
        assert [str(table.get_row_at(row)[0]) for row in range(table.row_count)] == [
            str(row[0]) for row in rows
        ]


async def test_first_layout_knows_the_scroll_range_before_the_index_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lines of the file's start are known before the first layout: the scroll bar is
    in the first frame, not added (re-wrapping every line) when the index first reports."""
    monkeypatch.setattr(ReaderScreen, "_index_file", lambda self: None)  # the scan never reports
    app = TuiReaderApp(start_file=_long_text(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await until(pilot, lambda: reader.view.size.height > 0, "the first layout")
        view = reader.view
        assert view.line_count > view.size.height  # the head's lines, with no scan at all
        assert view.virtual_size.height > view.size.height
        assert view.show_vertical_scrollbar  # laid out with it from the start


async def test_opening_at_the_remembered_line_records_no_jump(tmp_path: Path) -> None:
    """Reopened where it was left, going back (Backspace) has nowhere to go: the place a
    document opens at is not a jump, even with its first lines known at once."""
    path = _long_text(tmp_path)
    ReadingState().record(path, 40, 300, 0.13)
    app = TuiReaderApp(start_file=path)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        assert reader.top_line == 40
        await pilot.press("backspace")
        await pilot.press("j")  # processed after the back step (keys are handled in order)
        assert reader.top_line == 41
        await pilot.press("q")
    assert app.return_code == 0
