"""Atomic writes: data and folder flushed, mode kept, temp file cleaned, kills survived."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import stat
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from tuireader.core import storage
from tuireader.core.storage import atomic_write_bytes, atomic_write_text


def _record_fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes | None]]:
    """Replace os.fsync by a recorder of what each descriptor was (file content or folder)."""
    calls: list[tuple[str, bytes | None]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            calls.append(("folder", None))
        else:
            calls.append(("file", os.pread(fd, info.st_size + 1, 0)))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


def test_file_and_folder_are_flushed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temp file is fsynced holding all the data, then the folder after the rename."""
    calls = _record_fsyncs(monkeypatch)
    order: list[str] = []
    real_replace = os.replace

    def replace(src: str, dst: Path) -> None:
        order.append(f"replace after {len(calls)} fsync")
        temps.append(Path(src))
        real_replace(src, dst)

    temps: list[Path] = []
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "new" / "sub" / "out.yaml"  # folders made as needed
    atomic_write_bytes(target, b"new content\n")
    assert calls == [("file", b"new content\n"), ("folder", None)]
    assert order == ["replace after 1 fsync"]  # file flushed before, folder after the rename
    # The temp file: hidden, beside the target (same file system), named after it.
    (temp,) = temps
    assert temp.parent == target.parent
    assert re.fullmatch(r"\.out\.yaml\.[^.]+\.tmp", temp.name)
    assert target.read_bytes() == b"new content\n"


def test_folder_that_cannot_be_opened_or_flushed_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder whose fsync fails (some file systems) does not make the write fail."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(22, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    closed: list[int] = []
    real_close = os.close
    monkeypatch.setattr(os, "close", lambda fd: (closed.append(fd), real_close(fd)))
    atomic_write_text(tmp_path / "a.txt", "é")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "é"
    assert len(closed) == 1  # the folder's descriptor was closed all the same

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    storage._fsync_dir(tmp_path)  # an unopenable folder is skipped quietly


def test_mode_is_kept_or_set(tmp_path: Path) -> None:
    """A rewrite keeps the file's mode; a new file gets 0644 or the mode asked for."""
    target = tmp_path / "f.txt"
    atomic_write_text(target, "one")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    target.chmod(0o600)
    atomic_write_text(target, "two")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    atomic_write_text(target, "three", mode=0o640)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() == "three"


def test_failed_write_removes_its_temp_file_and_keeps_the_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error mid-write leaves the old file and no temp file, and is raised."""
    target = tmp_path / "f.txt"
    atomic_write_text(target, "old")

    def broken_replace(src: str, dst: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]
    # The temp file already gone too: still the first error is raised, not the cleanup's.
    monkeypatch.setattr(os, "unlink", lambda name: (_ for _ in ()).throw(FileNotFoundError(name)))
    with pytest.raises(OSError, match="No space left"):
        atomic_write_text(target, "new")


# ---------------------------------------------------------------- kill -9 at each step


def _write_then_stop(path: str, data: bytes, step: str, conn: Connection) -> None:
    """Child: write atomically, but stop at ``step`` and tell the parent (which kills us)."""

    def stop(*args: object) -> None:
        conn.send(step)
        signal.pause()  # killed here, mid-write

    if step == "before fsync":
        os.fsync = stop  # type: ignore[assignment]
    elif step == "before rename":
        os.replace = stop  # type: ignore[assignment]
    else:  # after the rename, before the folder is flushed
        storage._fsync_dir = stop  # type: ignore[assignment]
    atomic_write_bytes(Path(path), data)
    conn.send("finished without stopping")


@pytest.mark.parametrize(
    ("step", "expected"),
    [("before fsync", "old"), ("before rename", "old"), ("after rename", "new")],
)
def test_kill_at_each_step_leaves_a_whole_file(tmp_path: Path, step: str, expected: str) -> None:
    """A writer killed at a known point mid-write leaves the whole old or whole new file."""
    target = tmp_path / "bm.yaml"
    old, new = b"old\n" * 50_000, b"new\n" * 60_000
    target.write_bytes(old)
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    writer = context.Process(target=_write_then_stop, args=(str(target), new, step, theirs))
    writer.start()
    try:
        assert ours.poll(30), "the writer never reached the step"
        assert ours.recv() == step  # the kill lands mid-write, at this step
    finally:
        os.kill(writer.pid or 0, signal.SIGKILL)
        writer.join(30)
    assert writer.exitcode == -signal.SIGKILL
    assert target.read_bytes() == {"old": old, "new": new}[expected]
    strays = list(tmp_path.glob(".bm.yaml.*.tmp"))
    assert len(strays) == (1 if expected == "old" else 0)
    if strays:
        assert strays[0].read_bytes() == new  # the interrupted write's own temp file
