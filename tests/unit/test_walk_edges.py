"""The folder walk at its edges: symlink loops and unreadable folders, walked and reported once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuireader.core import walk
from tuireader.core.library import load_library
from tuireader.core.walk import walk_documents


def _walk(paths: list[Path]) -> tuple[list[str], list[str]]:
    """Names of the files found and the warnings given."""
    warnings: list[str] = []
    found = [Path(item.path).name for item in walk_documents(paths, warnings.append)]
    return found, warnings


def test_symlink_loops_are_walked_once_and_reported_once(tmp_path: Path) -> None:
    """Links back up the tree and a link to itself: each document once, each link named once."""
    top = tmp_path / "top"
    (top / "a" / "b").mkdir(parents=True)
    (top / "a" / "one.txt").write_text("one\n")
    (top / "a" / "b" / "two.txt").write_text("two\n")
    (top / "a" / "b" / "up").symlink_to(top)
    (top / "a" / "again").symlink_to(top / "a")
    (top / "self").symlink_to(top / "self")
    found, warnings = _walk([top])
    assert sorted(found) == ["one.txt", "two.txt"]
    for link in (top / "a" / "b" / "up", top / "a" / "again", top / "self"):
        assert sum(message.startswith(f"{link}:") for message in warnings) == 1, warnings
    assert len(warnings) == 3


def test_unreadable_subfolder_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sub-folder that cannot be listed is one warning; the rest is listed."""
    top = tmp_path / "top"
    locked = top / "locked"
    locked.mkdir(parents=True)
    (locked / "hidden.txt").write_text("secret\n")
    (top / "open.txt").write_text("open\n")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    found, warnings = _walk([top])
    assert found == ["open.txt"]
    assert warnings == [f"{locked}: Permission denied"]
    scan = load_library([top])
    assert [document.path.name for document in scan.documents] == ["open.txt"]
    assert scan.warnings.count(f"{locked}: Permission denied") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_folder_without_permission_is_reported(tmp_path: Path) -> None:
    """A real mode-000 folder (when not running as root) is reported, never raised."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "open.txt").write_text("open\n")
    locked.chmod(0)
    try:
        found, warnings = _walk([tmp_path])
    finally:
        locked.chmod(0o755)
    assert found == ["open.txt"] and len(warnings) == 1 and str(locked) in warnings[0]
