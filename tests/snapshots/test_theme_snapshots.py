"""Snapshot tests: the reader on the seed article in every shipped theme at 100x30.

Regenerate with ``pytest tests/snapshots --snapshot-update`` and look at the SVGs
(``rsvg-convert -o x.png file.svg``).  The ``terminal`` theme's colours are ANSI:
the SVG shows them through Textual's default palette; the ANSI-only check is in
``tests/ui/test_theme_wiring.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.reader import ReaderScreen

SEED = Path(__file__).resolve().parents[2] / "seeds" / "general-sorkins-admiration.txt"
SHIPPED = ("tuireader-dark", "paper", "night", "high-contrast", "terminal")


async def _reader_ready(pilot: Pilot[int]) -> None:
    for _ in range(200):
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, ReaderScreen) and screen.index.done:
            break
    await pilot.pause()


@pytest.mark.parametrize("theme", SHIPPED)
def test_reader_seed_theme_100x30(snap_compare, theme: str) -> None:  # type: ignore[no-untyped-def]
    """The reader on the seed article in each shipped theme looks as recorded."""
    app = TuiReaderApp(start_file=SEED, theme=theme)
    assert snap_compare(app, terminal_size=(100, 30), run_before=_reader_ready)
