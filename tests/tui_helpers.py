"""Helpers shared by the Pilot and snapshot tests (importable: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tuireader.ui.screens.reader import ReaderScreen

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "general-sorkins-admiration.txt"

WAIT_LIMIT = 20.0
"""Seconds a condition may take before the test fails (generous: CI machines are shared)."""


async def wait_for(
    pilot: Pilot[int], condition: Callable[[], object], what: str, limit: float = WAIT_LIMIT
) -> None:
    """Let the app run until ``condition()`` is true; fail naming ``what`` after ``limit`` s.

    Each round processes the app's pending messages (``pilot.pause()``), then
    polls again after a few milliseconds (the poll interval, so worker threads
    get the processor); nothing is waited for longer than it takes.
    """
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {limit:g} s waiting for {what}")
        await pilot.pause()
        if not condition():
            await asyncio.sleep(0.005)  # poll interval, not a wait: the loop checks again


def _reader_ready(pilot: Pilot[int]) -> bool:
    """Whether a reader is on screen with its index complete and nothing pending."""
    screen = pilot.app.screen
    return isinstance(screen, ReaderScreen) and screen.index.done and not screen.view.pending


async def reader_ready(pilot: Pilot[int]) -> ReaderScreen:
    """Wait for a reader with its index complete and return it; fail at the wait limit."""
    await wait_for(pilot, lambda: _reader_ready(pilot), "the reader to finish indexing")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


async def snapshot_reader_ready(pilot: Pilot[int]) -> None:
    """Before a snapshot: wait for a reader whose index is complete; fail at the wait limit."""
    await reader_ready(pilot)
