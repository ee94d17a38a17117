"""Helpers shared by the Pilot and snapshot tests (importable: pytest puts tests/ on sys.path)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tuireader.ui.screens.reader import ReaderScreen

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "general-sorkins-admiration.txt"


async def reader_ready(pilot: Pilot[int]) -> ReaderScreen:
    """Wait for a reader with its index complete and return it; fail after 200 pauses."""
    for _ in range(200):
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, ReaderScreen) and screen.index.done and not screen.view.pending:
            await pilot.pause()
            return screen
    raise AssertionError(f"reader not ready: {pilot.app.screen}")


async def snapshot_reader_ready(pilot: Pilot[int]) -> None:
    """Before a snapshot: wait (at most 200 pauses) for a reader whose index is complete."""
    for _ in range(200):
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, ReaderScreen) and screen.index.done:
            break
    await pilot.pause()
