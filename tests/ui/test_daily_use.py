"""Pilot tests for issue 13's daily-use items 9-15 (each failed on main before the fix)."""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from pilot_waits import until
from tui_helpers import SEED, reader_ready

from tuireader.core import paths
from tuireader.core.bookmarks.store import BookmarkStore
from tuireader.core.piped import discard, spool
from tuireader.core.state import ReadingState
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.dialogs.note import NoteScreen


def _messages(app: TuiReaderApp) -> list[str]:
    """Every notification shown so far."""
    return [notification.message for notification in app._notifications]


# ---------------------------------------------------------------- 12: piped input


async def test_bookmark_on_piped_input_is_refused_and_leaves_no_state() -> None:
    """m on piped text says why it cannot be marked; quitting leaves no stdin/<pid> entry."""
    state_file = paths.state_file()
    state_file.parent.mkdir(parents=True, exist_ok=True)
    stale = str(paths.cache_dir() / "stdin" / "4242" / "standard-input.txt")
    state_file.write_text(
        yaml.safe_dump({"version": 1, "positions": {stale: {"line": 3, "total": 9}}})
    )
    piped = spool(io.BytesIO(b"".join(b"piped line %d\n" % n for n in range(200))))
    app = TuiReaderApp(start_file=piped, state=ReadingState())
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        await pilot.press("space", "m")
        await until(pilot, lambda: any("piped" in m for m in _messages(app)), "the refusal")
        assert not isinstance(app.screen, NoteScreen)
        assert any("cannot be bookmarked" in m for m in _messages(app))
        await pilot.press("q")
    discard(piped)
    assert BookmarkStore().list() == []
    positions = yaml.safe_load(state_file.read_text())["positions"]
    assert list(positions) == [stale]  # nothing added for this pipe
    # Reading a real file afterwards saves its position and drops the stale pipe entry.
    state = ReadingState()
    state.record(SEED, 5, 51, 0.1)
    positions = yaml.safe_load(state_file.read_text())["positions"]
    assert list(positions) == [str(SEED.resolve())]


def test_cli_refuses_a_bookmark_on_piped_input(tmp_path: Path) -> None:
    """The store refuses piped input with one clear line (the CLI and the app share it)."""
    import pytest

    from tuireader.core.bookmarks.store import BookmarkError

    piped = spool(io.BytesIO(b"text\n"))
    with pytest.raises(BookmarkError, match="piped text cannot be bookmarked"):
        BookmarkStore().add(piped, 1)
    discard(piped)
    assert not piped.parent.exists()
