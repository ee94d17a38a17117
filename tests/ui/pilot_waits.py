"""Waiting in Pilot tests on what the test needs: workers, then a condition, never a sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tuireader.ui.screens.library import LibraryScreen

WAIT_LIMIT = 20.0
"""Seconds after which a wait fails (a bound for a broken test, not a pace)."""


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run (workers first) until ``condition()`` holds; fail naming ``what``."""
    deadline = time.monotonic() + WAIT_LIMIT
    await pilot.app.workers.wait_for_complete()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()


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
