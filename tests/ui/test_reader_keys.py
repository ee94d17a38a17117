"""Pilot tests of the less/vim keys of the reader and of Esc going back."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import reader_ready

from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.library import LibraryScreen
from tuireader.ui.screens.reader import ReaderScreen


@pytest.fixture
def numbered(tmp_path: Path) -> Path:
    """A 300-line text file, one short numbered line each."""
    path = tmp_path / "numbered.txt"
    path.write_text("".join(f"line {n}\n" for n in range(1, 301)), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("keys", "top"),
    [
        (("ctrl+f",), 30),  # a screen (30 rows at 80x32) less one row
        (("ctrl+f", "ctrl+f", "ctrl+b"), 30),
        (("d",), 16),
        (("d", "d", "u"), 16),
        (("e",), 2),
        (("ctrl+e", "ctrl+e"), 3),
        (("e", "e", "y"), 2),
        (("ctrl+e", "ctrl+e", "ctrl+y"), 2),
        (("4", "e"), 5),
        (("greater_than_sign",), 300 - 30 + 1),
        (("G", "less_than_sign"), 1),
    ],
)
async def test_less_keys_move_the_view(numbered: Path, keys: tuple[str, ...], top: int) -> None:
    """Ctrl+F/B page, d/u half a page, e/y and Ctrl+E/Y one line, < and > the ends."""
    app = TuiReaderApp(start_file=numbered)
    async with app.run_test(size=(80, 32)) as pilot:
        reader = await reader_ready(pilot)
        assert reader.view.view_height == 30
        await pilot.press(*keys)
        await pilot.pause()
        assert reader.top_line == top
        if keys[0] == "greater_than_sign" and len(keys) == 1:
            assert reader.view.at_end()


async def test_escape_quits_when_started_on_a_file(numbered: Path) -> None:
    """Esc with nothing to clear quits a reader started on a file (like q)."""
    app = TuiReaderApp(start_file=numbered)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


async def test_escape_clears_a_count_then_a_highlight_then_goes_back(numbered: Path) -> None:
    """Esc first clears a count, then a highlight; only then does it go back to the library."""
    app = TuiReaderApp([numbered.parent])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_document(numbered, 10, highlight=(10, 10))
        reader = await reader_ready(pilot)
        await pilot.press("5", "escape")
        assert reader.count == "" and reader.highlight == (10, 10)
        assert app.screen is reader
        await pilot.press("escape")
        assert reader.highlight is None
        assert app.screen is reader
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReaderScreen)
        assert isinstance(app.screen, LibraryScreen)
