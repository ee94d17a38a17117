"""Pilot tests: notifications sit where they hide neither the status line nor key hints."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import until
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._toast import Toast
from tui_helpers import reader_ready

from tuireader.core.bookmarks.store import BookmarkStore
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.bookmarks import BookmarksScreen
from tuireader.ui.screens.reader import ReaderScreen


async def _toast_regions(pilot: Pilot[int], at_least: int = 1) -> list[Region]:
    """Screen regions of the toasts shown now (waits until there are ``at_least``)."""

    def regions() -> list[Region]:
        shown = [toast.region for toast in pilot.app.screen.query(Toast)]
        return [region for region in shown if region.area]

    await until(pilot, lambda: len(regions()) >= at_least, f"{at_least} notification(s)")
    return regions()


async def test_reader_notices_leave_the_status_line_visible(seed_article: Path) -> None:
    """T and t notify without covering the status line (or the footer) at 80x24."""
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        reader = await reader_ready(pilot)
        status = reader.query_one("#reader-status", Static).region
        for key in ("T", "t"):
            await pilot.press(key)
            regions = await _toast_regions(pilot)
            assert isinstance(app.screen, ReaderScreen)
            for region in regions:
                assert not region.overlaps(status), (key, region, status)
                assert region.bottom <= status.y
                assert region.y <= 2  # at the top, not over the middle of the page
            app.clear_notifications()
            await pilot.pause()


async def test_undo_notice_leaves_the_bookmark_key_hints_visible(seed_article: Path) -> None:
    """Marking, then deleting in the dialog: the two notices cover no heading or key hint."""
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await reader_ready(pilot)
        await pilot.press("m", "enter")
        await app.workers.wait_for_complete()
        await _toast_regions(pilot)  # "Bookmarked line ..." is showing
        assert len(BookmarkStore().list()) == 1
        await pilot.press("B")
        await until(
            pilot,
            lambda: isinstance(app.screen, BookmarksScreen) and bool(app.screen.shown),
            "the bookmarks dialog",
        )
        dialog = app.screen
        assert isinstance(dialog, BookmarksScreen)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        regions = await _toast_regions(pilot, at_least=2)  # both notices at once
        hints = dialog.query_one("#bookmarks-help", Static).region
        heading = dialog.query_one("#bookmarks-heading", Static).region
        for region in regions:
            assert not region.overlaps(hints), (region, hints)
            assert not region.overlaps(heading), (region, heading)
