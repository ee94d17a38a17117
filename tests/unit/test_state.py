"""Reading positions: round trip, merging, corrupt files kept aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core import paths
from tuireader.core import state as state_module
from tuireader.core.state import ReadingState, document_key


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


def test_position_saved_when_only_the_line_changes(tmp_path: Path) -> None:
    """A new line with the same total is saved; the very same position is not rewritten."""
    document = tmp_path / "doc.txt"
    state = ReadingState()
    state.record(document, 5, 100, 0.05)
    state.record(document, 6, 100, 0.06)
    assert ReadingState().position(document).line == 6  # type: ignore[union-attr]
    state.record(document, 6, 101, 0.06)
    assert ReadingState().position(document).total == 101  # type: ignore[union-attr]
    paths.state_file().write_text("version: 1\npositions: {}\n")  # would be redone if saved
    state.record(document, 6, 101, 0.5)
    assert paths.state_file().read_text() == "version: 1\npositions: {}\n"


def test_pruning_keeps_the_newest_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over MAX_ENTRIES, the least recently updated positions are dropped."""
    monkeypatch.setattr(state_module, "MAX_ENTRIES", 3)
    clock = iter(range(1_700_000_000, 1_700_000_100))
    monkeypatch.setattr(state_module.time, "time", lambda: float(next(clock)))
    state = ReadingState()
    documents = [tmp_path / f"d{n}.txt" for n in range(5)]
    for number, document in enumerate(documents):
        state.record(document, number + 1, 10, 0.1)
    kept = ReadingState()
    assert sorted(kept.positions) == sorted(document_key(d) for d in documents[2:])
    assert state.positions == kept.positions


def test_save_holds_the_lock_while_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state file is rewritten only while its lock file is held."""
    from filelock import FileLock, Timeout

    lock_path = str(paths.state_file()) + ".lock"
    held: list[bool] = []
    real_write = state_module.atomic_write_text

    def write(path: Path, text: str) -> None:
        try:
            FileLock(lock_path, timeout=0).acquire()
        except Timeout:
            held.append(True)
        else:
            held.append(False)
        real_write(path, text)

    monkeypatch.setattr(state_module, "atomic_write_text", write)
    ReadingState().record(tmp_path / "doc.txt", 3, 10, 0.3)
    assert held == [True]


def test_locked_file_is_not_written_and_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another process holds the lock, nothing is written and a warning says why."""
    import filelock

    real_lock = filelock.FileLock
    monkeypatch.setattr(filelock, "FileLock", lambda path, timeout: real_lock(path, timeout=0.05))
    paths.state_file().parent.mkdir(parents=True, exist_ok=True)
    other = real_lock(str(paths.state_file()) + ".lock")
    state = ReadingState()
    with other:
        state.record(tmp_path / "doc.txt", 3, 10, 0.3)
    assert not paths.state_file().exists()
    assert state.warnings == [
        f"{paths.state_file()}: locked by another tuireader; position not saved"
    ]
