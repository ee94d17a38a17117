"""Snapshot tests: the library and the reader at 100x30, the reader at 80x24.

Regenerate with ``pytest tests/snapshots --snapshot-update`` and look at the SVGs.
Nothing machine-specific (paths, dates of files) is on these screens.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Footer, Input
from tui_helpers import SEED, snapshot_reader_ready, until

from tuireader.core.bookmarks.store import BookmarkStore
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.library import LibraryScreen

GUIDE = Path(__file__).resolve().parent / "data" / "sample.md"


async def _library_loaded(pilot: Pilot[int]) -> None:
    """Wait until the library is listed and its search index is ready (a stable screen)."""

    def stable() -> bool:
        screen = pilot.app.screen
        return bool(
            isinstance(screen, LibraryScreen)
            and not screen.scanning
            and screen.query_one(Footer).children
            and screen.index_status.startswith("ctrl+f searches")
        )

    await until(pilot, stable, "the library listed with its search index ready")
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False  # the blink phase would make the snapshot flaky
    await pilot.pause()


def test_library_100x30(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The library listing the seed article and the guide looks as recorded at 100x30."""
    app = TuiReaderApp([SEED, GUIDE])
    assert snap_compare(app, terminal_size=(100, 30), run_before=_library_loaded)


def test_reader_seed_100x30(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The reader on the seed article looks as recorded at 100x30."""
    app = TuiReaderApp(start_file=SEED)
    assert snap_compare(app, terminal_size=(100, 30), run_before=snapshot_reader_ready)


def test_reader_seed_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The reader on the seed article after one page down looks as recorded at 80x24."""

    async def scrolled(pilot: Pilot[int]) -> None:
        await snapshot_reader_ready(pilot)
        await pilot.press("space")
        await pilot.pause()

    app = TuiReaderApp(start_file=SEED)
    assert snap_compare(app, terminal_size=(80, 24), run_before=scrolled)


def test_reader_markdown_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The reader on the Markdown guide looks as recorded at 80x24."""
    app = TuiReaderApp(start_file=GUIDE)
    assert snap_compare(app, terminal_size=(80, 24), run_before=snapshot_reader_ready)


def test_reader_bookmark_gutter_100x30(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Bookmarked lines 5 and 13 show gutter marks as recorded at 100x30."""
    store = BookmarkStore()
    store.add(SEED, 5, note="the meeting")
    store.add(SEED, 13)

    async def marked(pilot: Pilot[int]) -> None:
        await snapshot_reader_ready(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = TuiReaderApp(start_file=SEED)
    assert snap_compare(app, terminal_size=(100, 30), run_before=marked)


def _book(tmp_path: Path) -> Path:
    """A one-chapter book with a heading, a list and a table."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from epub_builder import ChapterSpec, make_book

    body = (
        "<h1>The Keeper's Log</h1>"
        "<p>Each night the keeper wrote down the weather, the ships and the oil used.</p>"
        "<ul><li>Wind from the <em>north-east</em></li><li>Two ships passed</li>"
        "<li>Lamp trimmed at midnight</li></ul>"
        "<table><tr><th>Night</th><th>Ships</th><th>Remarks</th></tr>"
        "<tr><td>Monday</td><td>2</td>"
        "<td>Calm sea, a long swell from the west all evening, clear after moonrise</td></tr>"
        "<tr><td>Tuesday</td><td>5</td><td>Fog until dawn</td></tr></table>"
        "<p>The log was kept for forty years.</p>"
    )
    return make_book(tmp_path / "log.epub", [ChapterSpec("log.xhtml", "Log", body)], title="Log")


def test_reader_book_chapter_100x30(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A book chapter with a heading, a list and a table looks as recorded at 100x30."""
    app = TuiReaderApp(start_file=_book(tmp_path))
    assert snap_compare(app, terminal_size=(100, 30), run_before=snapshot_reader_ready)


def test_reader_book_chapter_80x24(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same chapter at 80x24: the table's wide column wraps inside its cell."""
    app = TuiReaderApp(start_file=_book(tmp_path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=snapshot_reader_ready)
