"""Reading positions: the top line and its row come back; G and the scrollbar reach the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_waits import until
from textual.pilot import Pilot

from tuireader.core.state import ReadingState
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.reader import ReaderScreen


@pytest.fixture
def wrapped_doc(tmp_path: Path) -> Path:
    """600 numbered lines of varied length, many wrapping over several rows."""
    lines = [
        " ".join(["word"] * (4 + (number * 13) % 60)) + f" END{number + 1}"
        for number in range(600)
    ]
    path = tmp_path / "wrapped.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def _reader(pilot: Pilot[int]) -> ReaderScreen:
    """The reader once its index is complete and no jump waits."""
    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        return isinstance(screen, ReaderScreen) and screen.index.done and not screen.view.pending

    await until(pilot, ready, "the reader")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def _first_row_text(reader: ReaderScreen) -> str:
    """The text of the top row of the pane."""
    return reader.view.render_line(0).text.strip()


async def test_position_comes_back_with_its_wrapped_row(wrapped_doc: Path) -> None:
    """Left on the 3rd row of a wrapped line 41: reopened there, the same row on top."""
    app = TuiReaderApp(start_file=wrapped_doc)
    async with app.run_test(size=(90, 24)) as pilot:
        reader = await _reader(pilot)
        await pilot.press(*"41", "g")
        assert len(reader.view.wrapped(40)) >= 3, "line 41 wraps over several rows"
        await pilot.press("j", "j")
        assert (reader.top_line, reader.view.sub) == (41, 2)
        shown = _first_row_text(reader)
        await pilot.press("q")
    saved = ReadingState().position(wrapped_doc)
    assert saved is not None and (saved.line, saved.row) == (41, 2)
    app = TuiReaderApp(start_file=wrapped_doc)
    async with app.run_test(size=(90, 24)) as pilot:
        reader = await _reader(pilot)
        assert (reader.top_line, reader.view.sub) == (41, 2)
        assert _first_row_text(reader) == shown


@pytest.mark.parametrize("size", [(60, 20), (140, 40)])
async def test_other_width_brings_the_same_line_to_the_top(
    wrapped_doc: Path, size: tuple[int, int]
) -> None:
    """Saved at line 241 (first row), reopened narrower or wider: line 241 at the top."""
    app = TuiReaderApp(start_file=wrapped_doc)
    async with app.run_test(size=(100, 30)) as pilot:
        await _reader(pilot)
        await pilot.press(*"241", "g")
        await pilot.press("q")
    app = TuiReaderApp(start_file=wrapped_doc)
    async with app.run_test(size=size) as pilot:
        reader = await _reader(pilot)
        assert (reader.top_line, reader.view.sub) == (241, 0)


async def test_resize_while_reading_keeps_the_line_and_row(wrapped_doc: Path) -> None:
    """A resize keeps the top line; back at the first width the same row is on top."""
    app = TuiReaderApp(start_file=wrapped_doc)
    async with app.run_test(size=(90, 24)) as pilot:
        reader = await _reader(pilot)
        await pilot.press(*"41", "g", "j", "j")
        before = (reader.top_line, reader.view.sub, _first_row_text(reader))
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        assert reader.top_line == 41
        await pilot.resize_terminal(90, 24)
        await pilot.pause()
        assert (reader.top_line, reader.view.sub, _first_row_text(reader)) == before


async def test_g_and_the_scrollbar_reach_the_real_last_row(wrapped_doc: Path) -> None:
    """G shows the last line's last row at the bottom; so does the scrollbar's end."""
    app = TuiReaderApp(start_file=wrapped_doc)
    async with app.run_test(size=(90, 24)) as pilot:
        reader = await _reader(pilot)
        view = reader.view
        last = len(view.wrapped(599)) - 1
        assert last >= 1, "the last line wraps"
        await pilot.press("G")
        await pilot.pause()
        rows = [view.render_line(y).text.strip() for y in range(view.size.height)]
        assert rows[-1].endswith("END600") and view.at_end()
        await pilot.press("g")
        for height in range(24, 34):  # a height where the end starts inside a wrapped line
            if view.end_position()[1] > 0:
                break
            await pilot.resize_terminal(90, height)
            await pilot.pause()
        assert view.end_position()[1] > 0
        view.scroll_y = view.max_scroll_y  # dragging the scrollbar to its end
        await pilot.pause()
        assert (view.top, view.sub) == view.end_position()
        rows = [view.render_line(y).text.strip() for y in range(view.size.height)]
        assert rows[-1].endswith("END600")
