"""Reading positions: round trip, merging, corrupt files kept aside."""

from __future__ import annotations

from pathlib import Path

from tuireader.core import paths
from tuireader.core.state import ReadingState


def test_round_trip(tmp_path: Path) -> None:
    """A recorded position is read back by a new ReadingState from the state file."""
    document = tmp_path / "doc.txt"
    document.write_text("x\n")
    state = ReadingState()
    assert state.position(document) is None
    state.record(document, 42, 100, 0.5)
    again = ReadingState()
    found = again.position(document)
    assert found is not None
    assert (found.line, found.total, found.progress) == (42, 100, 0.5)
    assert again.progress(document) == 0.5
    assert paths.state_file().exists()


def test_two_instances_do_not_undo_each_other(tmp_path: Path) -> None:
    """Two instances recording different documents keep both positions."""
    first_doc, second_doc = tmp_path / "a.txt", tmp_path / "b.txt"
    first, second = ReadingState(), ReadingState()
    first.record(first_doc, 3, 10, 0.3)
    second.record(second_doc, 7, 10, 0.7)
    merged = ReadingState()
    assert merged.position(first_doc).line == 3  # type: ignore[union-attr]
    assert merged.position(second_doc).line == 7  # type: ignore[union-attr]


def test_corrupt_file_is_moved_aside_not_overwritten(tmp_path: Path) -> None:
    """A corrupt state file is moved aside with a warning, and new positions still save."""
    state_file = paths.state_file()
    state_file.parent.mkdir(parents=True)
    state_file.write_text("positions: [unclosed\n")
    state = ReadingState()
    assert state.positions == {}
    assert len(state.warnings) == 1 and "moved to" in state.warnings[0]
    aside = list(state_file.parent.glob("state.yaml.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].read_text() == "positions: [unclosed\n"
    state.record(tmp_path / "doc.txt", 5, 9, 0.5)
    assert ReadingState().position(tmp_path / "doc.txt").line == 5  # type: ignore[union-attr]


def test_malformed_entries_are_dropped(tmp_path: Path) -> None:
    """Malformed position entries are dropped silently and good ones kept."""
    state_file = paths.state_file()
    state_file.parent.mkdir(parents=True)
    good = str((tmp_path / "good.txt").resolve())
    state_file.write_text(
        "version: 1\npositions:\n"
        f"  {good}: {{line: 4, total: 8, progress: 0.5}}\n"
        "  /bad: {line: -3}\n  /worse: nonsense\n"
    )
    state = ReadingState()
    assert list(state.positions) == [good]
    assert state.warnings == []


def test_times_are_readable_and_old_numbers_still_load(tmp_path: Path) -> None:
    """'updated' is written as ISO 8601 text; numeric and unquoted forms still load."""
    path = tmp_path / "state.yaml"
    state = ReadingState(path)
    state.record(tmp_path / "a.txt", 5, 10, 0.5)
    assert "updated: '20" in path.read_text()
    path.write_text(
        "version: 1\npositions:\n"
        f"  {tmp_path / 'a.txt'}: {{line: 7, total: 10, progress: 0.7, updated: 1700000000.5}}\n"
        f"  {tmp_path / 'b.txt'}: {{line: 3, total: 9, updated: 2024-05-01T10:00:00Z}}\n"
    )
    loaded = ReadingState(path)
    assert loaded.position(tmp_path / "a.txt").updated == 1700000000.5
    assert loaded.position(tmp_path / "b.txt").updated > 1.7e9
