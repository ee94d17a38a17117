"""File names that carry terminal sequences never reach the terminal raw.

The app runs on a driver that records everything it would write to the
terminal (Textual draws only on a driver that is not headless); the names must
be drawn as visible escapes, and no ESC sequence of theirs may be written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pilot_waits import library_loaded, until
from textual.drivers import headless_driver
from textual.pilot import Pilot
from tui_helpers import reader_ready

from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.library import LibraryScreen

OSC52 = "\x1b]52;c;ZXZpbA==\x07"
OSC2 = "\x1b]2;pwned title\x07"
SGR = "\x1b[5;31m"
NAMES = {
    "clipboard": f"clip{OSC52}board.txt",
    "title": f"win{OSC2}dow.txt",
    "colour": f"{SGR}blinking red.txt",
}
RAW_PAYLOADS = (OSC52, "\x1b]52;", OSC2, "\x1b]2;", SGR, "\x07", "\u202e")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app writes to its terminal: run_test's driver, made to draw and record."""
    written: list[str] = []

    class RecordingDriver(headless_driver.HeadlessDriver):
        """A headless driver that is drawn to like a terminal and keeps the output."""

        @property
        def is_headless(self) -> bool:
            """Not headless, so the app renders its screens into ``write``."""
            return False

        def write(self, data: str) -> None:
            """Record the terminal output."""
            written.append(data)

    monkeypatch.setattr(headless_driver, "HeadlessDriver", RecordingDriver)
    return written


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    """Documents named with OSC 52, OSC 2 and SGR sequences, a newline, bidi and bad bytes."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name in NAMES.values():
        (folder / name).write_text(f"Lantern text inside {name[:4]!r}.\n", encoding="utf-8")
    (folder / "line\nbreak \u202eevil.txt").write_text("Lantern two.\n", encoding="utf-8")
    bad = os.fsdecode(bytes(folder) + b"/bad \xff byte.txt")
    Path(bad).write_text("Lantern three.\n", encoding="utf-8")
    return folder


def _assert_clean(written: list[str]) -> None:
    """No raw sequence from the names in the terminal output, and it encodes as UTF-8."""
    output = "".join(written)
    assert output, "the recording driver saw the app draw"
    output = re.sub("\x1b\\]22;[a-z-]*\x07", "", output)  # Textual's own pointer shape
    output.encode("utf-8")
    for payload in RAW_PAYLOADS:
        assert payload not in output, f"{payload!r} reached the terminal"


async def _open_row(pilot: Pilot[int], screen: LibraryScreen, title_part: str) -> None:
    """Select the library row whose title contains ``title_part`` and open it."""
    table = screen.table
    rows = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
    row = next(number for number, title in enumerate(rows) if title_part in title)
    table.move_cursor(row=row)
    table.focus()
    await pilot.press("enter")


async def test_library_and_reader_draw_names_visibly(
    terminal: list[str], hostile_folder: Path
) -> None:
    """Library rows, the status line and the reader show the names escaped; nothing raw."""
    app = TuiReaderApp([hostile_folder])
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await library_loaded(pilot)
        await until(pilot, lambda: screen.table.row_count == 5, "five rows")
        titles = [str(screen.table.get_row_at(row)[0]) for row in range(screen.table.row_count)]
        assert any("\\x1b]52;c;ZXZpbA==\\x07" in title for title in titles)
        assert any("\\x1b]2;pwned title\\x07" in title for title in titles)
        assert any("\\x1b[5;31m" in title for title in titles)
        assert any("\\n" in title and "\\u202e" in title for title in titles)
        assert any("\\xff" in title for title in titles)
        await pilot.pause()
        for part in ("52;c", "2;pwned", "5;31m", "\\xff"):
            await _open_row(pilot, screen, part)
            reader = await reader_ready(pilot)
            await pilot.pause()
            assert "\\x" in str(reader.query_one("#reader-status").render())
            await pilot.press("q")
            screen = await library_loaded(pilot)
    _assert_clean(terminal)
    drawn = "".join(terminal)
    assert "\\x1b]52;c;ZXZpbA==\\x07" in drawn or "52;c;ZXZpbA==" in drawn
