"""Snapshot tests: the reader on the Markdown guide in every shipped theme at 100x30.

The guide has headings, emphasis, a code block, a quote and a list, so each
snapshot shows the theme's colours for all of them (the seed article, plain
text, showed only the page colours; in the default theme it was byte for byte
the plain reader snapshot).  Regenerate with ``pytest tests/snapshots
--snapshot-update`` and look at the SVGs (``rsvg-convert -o x.png file.svg``).
The ``terminal`` theme's colours are ANSI: the SVG shows them through Textual's
default palette; the ANSI-only check is in ``tests/ui/test_theme_wiring.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import snapshot_reader_ready

from tuireader.ui.app import TuiReaderApp

SHIPPED = ("tuireader-dark", "paper", "night", "high-contrast", "terminal")
GUIDE = Path(__file__).resolve().parent / "data" / "sample.md"


@pytest.mark.parametrize("theme", SHIPPED)
def test_reader_markdown_theme_100x30(snap_compare, theme: str) -> None:  # type: ignore[no-untyped-def]
    """The reader on the Markdown guide in each shipped theme looks as recorded."""
    app = TuiReaderApp(start_file=GUIDE, theme=theme)
    assert snap_compare(app, terminal_size=(100, 30), run_before=snapshot_reader_ready)
