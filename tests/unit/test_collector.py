"""The collector paused for start-up: resumed (once) only by whoever paused it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tuireader.core import collector


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    """Leave the test process's collector as it was."""
    was_enabled = gc.isenabled()
    yield
    collector._paused = False
    if was_enabled:
        gc.enable()
    gc.unfreeze()


def test_a_pause_is_resumed_with_start_up_frozen() -> None:
    """Paused: collection is off; resumed: on again, start-up's objects frozen."""
    gc.enable()
    gc.unfreeze()
    collector.pause_collector()
    assert not gc.isenabled()
    collector.resume_collector()
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_resume_leaves_a_collector_it_did_not_pause() -> None:
    """A program that turned collection off itself (or never paused) keeps it as it was."""
    gc.disable()
    collector.pause_collector()  # already off: not ours to resume
    collector.resume_collector()
    assert not gc.isenabled()
    gc.enable()
    gc.unfreeze()
    collector.resume_collector()  # nothing paused: nothing frozen
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_caller_of_the_command_line_keeps_its_collector(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``main([...])`` from a program (not the process's own command line) pauses nothing."""
    from tuireader.cli import main

    gc.enable()
    gc.unfreeze()
    assert main(["list", str(tmp_path)]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    capsys.readouterr()
