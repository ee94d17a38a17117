"""Waiting in Pilot tests on what the test needs: workers, then a condition, never a sleep."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from tui_helpers import WAIT_LIMIT, until

from tuireader.ui.screens.library import LibraryScreen

__all__ = ["WAIT_LIMIT", "filter_applied", "library_loaded", "until"]


async def library_loaded(pilot: Pilot[Any]) -> LibraryScreen:
    """The library screen once its scan worker is over."""

    def scanned() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, LibraryScreen) and not screen.scanning

    await until(pilot, scanned, "the library scan")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


async def filter_applied(pilot: Pilot[Any], screen: LibraryScreen) -> None:
    """The library's filter has run for what was typed (its short typing delay is over)."""
    await until(pilot, lambda: screen._filter_timer is None, "the library filter")
    await pilot.pause()
