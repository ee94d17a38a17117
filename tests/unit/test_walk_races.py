"""The folder walk when files and folders change under it, or paths cannot even be examined."""

from __future__ import annotations

import shutil
from pathlib import Path

from tuireader.core.walk import walk_documents


def test_a_file_deleted_while_the_walk_runs_is_one_warning(tmp_path: Path) -> None:
    """A file listed but gone before it is examined: one warning, the walk carries on."""
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(name)
    warnings: list[str] = []
    walk = walk_documents([tmp_path], warnings.append)
    first = next(walk)
    (tmp_path / "b.txt").unlink()
    rest = list(walk)
    assert [Path(found.path).name for found in (first, *rest)] == ["a.txt", "c.txt"]
    assert warnings == [f"{tmp_path / 'b.txt'}: No such file or directory"]


def test_a_folder_deleted_while_the_walk_runs_is_one_warning(tmp_path: Path) -> None:
    """A subfolder listed but removed before it is read: one warning, the rest is walked."""
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / "inside.txt").write_text("inside")
    (tmp_path / "z.txt").write_text("z")
    warnings: list[str] = []
    walk = walk_documents([tmp_path], warnings.append)
    first = next(walk)
    shutil.rmtree(tmp_path / "gone")
    rest = list(walk)
    assert [Path(found.path).name for found in (first, *rest)] == ["a.txt", "z.txt"]
    assert warnings == [f"{tmp_path / 'gone'}: No such file or directory"]


def test_a_given_path_that_cannot_be_examined_is_one_warning(tmp_path: Path) -> None:
    """A path the system refuses (a name too long) is reported with the system's reason."""
    (tmp_path / "ok.txt").write_text("ok")
    too_long = tmp_path / ("x" * 300)
    warnings: list[str] = []
    found = list(walk_documents([too_long, tmp_path / "ok.txt"], warnings.append))
    assert [Path(item.path).name for item in found] == ["ok.txt"]
    assert warnings == [f"{too_long}: File name too long"]


def test_the_same_folder_given_twice_is_walked_once_without_a_warning(tmp_path: Path) -> None:
    """A folder reached again (given twice, no link involved): its files once, no loop warning."""
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("b")
    warnings: list[str] = []
    found = list(walk_documents([tmp_path, tmp_path / "sub", tmp_path], warnings.append))
    assert [Path(item.path).name for item in found] == ["a.txt", "b.txt"]
    assert warnings == []
