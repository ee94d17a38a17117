"""Reading positions: round trip, merging, corrupt files kept aside."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tuireader.core import paths, yamlmirror
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

    def write(path: Path, text: str) -> os.stat_result:
        try:
            FileLock(lock_path, timeout=0).acquire()
        except Timeout:
            held.append(True)
        else:
            held.append(False)
        return real_write(path, text)

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
    assert state.position(tmp_path / "doc.txt").line == 3  # type: ignore[union-attr]
    assert state.warnings == [
        f"{paths.state_file()}: locked by another tuireader; position not saved"
    ]


def test_every_field_is_checked_and_clamped(tmp_path: Path) -> None:
    """Bad entries (anywhere in the file) are dropped; odd fields get exact safe values."""
    state_file = paths.state_file()
    state_file.parent.mkdir(parents=True)
    state_file.write_text(
        "version: 1\npositions:\n"
        "  /bad/zero: {line: 0}\n"
        "  /bad/text: nonsense\n"
        "  7: {line: 3}\n"
        "  /bad/bool: {line: true}\n"
        "  /bad/string: {line: '3'}\n"
        "  /only/line: {line: 1}\n"
        "  /odd/types: {line: 2, total: true, progress: '0.5', updated: [1]}\n"
        "  /odd/text-total: {line: 2, total: many}\n"
        "  /out/of/range: {line: 9, total: -5, progress: 3.5, updated: yesterday}\n"
        "  /below/zero: {line: 9, total: 4, progress: -1}\n"
        "  /int/progress: {line: 5, total: 5, progress: 1, updated: 1700000000}\n"
        "  /naive/time: {line: 5, updated: 2024-05-01 10:00:00}\n"
        "  /naive/text: {line: 5, updated: '2024-05-01T10:00:00'}\n"
        "  /zoned/text: {line: 5, updated: '2024-05-01T10:00:00+02:00'}\n"
        "  /zoned/time: {line: 5, updated: 2024-05-01T10:00:00+02:00}\n"
    )
    # Times without a zone are UTC, whatever the local zone (here nine hours east).
    saved_tz = os.environ.get("TZ")
    os.environ["TZ"] = "Etc/GMT-9"
    time.tzset()
    try:
        positions = ReadingState().positions
    finally:
        if saved_tz is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved_tz
        time.tzset()
    found = {
        key: (value.line, value.total, value.progress, value.updated)
        for key, value in positions.items()
    }
    assert found == {
        "/only/line": (1, 0, 0.0, 0.0),
        "/odd/types": (2, 0, 0.0, 0.0),
        "/odd/text-total": (2, 0, 0.0, 0.0),
        "/out/of/range": (9, 0, 1.0, 0.0),
        "/below/zero": (9, 4, 0.0, 0.0),
        "/int/progress": (5, 5, 1.0, 1_700_000_000.0),
        "/naive/time": (5, 0, 0.0, 1_714_557_600.0),
        "/naive/text": (5, 0, 0.0, 1_714_557_600.0),
        "/zoned/text": (5, 0, 0.0, 1_714_550_400.0),
        "/zoned/time": (5, 0, 0.0, 1_714_550_400.0),
    }


def test_top_level_that_is_not_a_mapping(tmp_path: Path) -> None:
    """A list at the top is moved aside; an empty file or one without positions is just empty."""
    state_file = paths.state_file()
    state_file.parent.mkdir(parents=True)
    state_file.write_text("- a\n- b\n")
    state = ReadingState()
    assert state.positions == {}
    (aside,) = state_file.parent.glob("state.yaml.corrupt-*")
    assert re.fullmatch(r"state\.yaml\.corrupt-\d{8}-\d{6}", aside.name)
    assert state.warnings == [
        f"{state_file}: expected a mapping at the top level; moved to {aside.name},"
        " reading positions start afresh"
    ]
    for text in ("", "version: 1\n", "version: 1\npositions: [a]\n"):
        state_file.write_text(text)
        empty = ReadingState()
        assert (empty.positions, empty.warnings) == ({}, [])
        assert state_file.exists()


def test_corrupt_file_that_cannot_be_moved_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the corrupt file cannot be moved, the warning says so and why."""
    state_file = paths.state_file()
    state_file.parent.mkdir(parents=True)
    state_file.write_text("positions: [unclosed\n")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(state_module.os, "replace", refuse)
    state = ReadingState()
    assert state.warnings == [
        f"{state_file}: line 2, column 1: did not find expected ',' or ']'"
        "; could not move it aside: Permission denied"
    ]


def test_unreadable_file_and_unwritable_folder_warn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OS error reading or saving becomes a one-line warning, and the position is kept."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    state = ReadingState(blocker / "state.yaml")
    state.record(tmp_path / "doc.txt", 4, 8, 0.5)
    assert state.warnings == [f"{blocker / 'state.yaml'}: File exists"]
    assert state.position(tmp_path / "doc.txt").line == 4  # type: ignore[union-attr]

    state_file = paths.state_file()
    state_file.parent.mkdir(parents=True)
    state_file.write_text("version: 1\n")

    def unreadable(path: Path, max_bytes: int = 0) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(yamlmirror, "read_yaml_file", unreadable)  # how state.py reads it
    assert ReadingState().warnings == [f"{state_file}: Permission denied"]


def test_saved_file_text_and_clamping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file written is exactly the readable form; out-of-range values are clamped."""
    monkeypatch.setattr(state_module.time, "time", lambda: 1_700_000_000.0)
    path = tmp_path / "deep" / "er" / "state.yaml"
    state = ReadingState(path)
    state.record(tmp_path / "a.txt", 1, 0, 0.123456)
    state.record(tmp_path / "b.txt", 0, -3, 7.0)
    assert path.read_text() == (
        "version: 1\npositions:\n"
        f"  {document_key(tmp_path / 'a.txt')}:\n    line: 1\n    total: 0\n"
        "    progress: 0.1235\n    updated: '2023-11-14T22:13:20+00:00'\n"
        f"  {document_key(tmp_path / 'b.txt')}:\n    line: 1\n    total: 0\n"
        "    progress: 1.0\n    updated: '2023-11-14T22:13:20+00:00'\n"
    )
    assert ReadingState(path).progress(tmp_path / "a.txt") == 0.1235
    assert ReadingState(path).progress(tmp_path / "never.txt") is None


def test_document_key_when_resolving_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A path that cannot be resolved is keyed by its absolute form."""

    def broken(self: Path, strict: bool = False) -> Path:
        raise OSError(40, "Too many levels of symbolic links")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Path, "resolve", broken)
    assert document_key(Path("loop.txt")) == str(tmp_path / "loop.txt")
