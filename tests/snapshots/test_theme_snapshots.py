"""Snapshot tests: the reader on the seed article in every shipped theme at 100x30.

Regenerate with ``pytest tests/snapshots --snapshot-update`` and look at the SVGs
(``rsvg-convert -o x.png file.svg``).  The ``terminal`` theme's colours are ANSI:
the SVG shows them through Textual's default palette; the ANSI-only check is in
``tests/ui/test_theme_wiring.py``.
"""

from __future__ import annotations

import pytest
from tui_helpers import SEED, snapshot_reader_ready

from tuireader.ui.app import TuiReaderApp

SHIPPED = ("tuireader-dark", "paper", "night", "high-contrast", "terminal")


@pytest.mark.parametrize("theme", SHIPPED)
def test_reader_seed_theme_100x30(snap_compare, theme: str) -> None:  # type: ignore[no-untyped-def]
    """The reader on the seed article in each shipped theme looks as recorded."""
    app = TuiReaderApp(start_file=SEED, theme=theme)
    assert snap_compare(app, terminal_size=(100, 30), run_before=snapshot_reader_ready)
