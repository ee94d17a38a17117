"""Helpers shared by the Pilot and snapshot tests (importable: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tuireader.ui.screens.reader import ReaderScreen

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "general-sorkins-admiration.txt"

WAIT_LIMIT = 20.0
"""Seconds after which a wait fails (a bound for a broken test, not a pace)."""


async def until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    """Let the app run (workers first) until ``condition()`` holds; fail naming ``what``.

    The one way Pilot and snapshot tests wait: on workers and a condition, never
    a sleep or a count of pauses, and a wait that runs out fails the test.
    """
    deadline = time.monotonic() + WAIT_LIMIT
    await pilot.app.workers.wait_for_complete()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {WAIT_LIMIT:g} s waiting for {what}")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()


def _reader_ready(pilot: Pilot[Any]) -> bool:
    """Whether a reader is on screen with its index complete and nothing pending."""
    screen = pilot.app.screen
    return isinstance(screen, ReaderScreen) and screen.index.done and not screen.view.pending


async def reader_ready(pilot: Pilot[Any]) -> ReaderScreen:
    """Wait for a reader with its index complete and return it; fail at the wait limit."""
    await until(pilot, lambda: _reader_ready(pilot), "the reader to finish indexing")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


async def snapshot_reader_ready(pilot: Pilot[Any]) -> None:
    """Before a snapshot: wait for a reader whose index is complete; fail at the wait limit."""
    await reader_ready(pilot)
