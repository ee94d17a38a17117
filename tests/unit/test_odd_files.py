"""Odd files and odd settings: each gives one exact line, never a traceback."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from tuireader.core import paths
from tuireader.core.config import load_config
from tuireader.core.textload import (
    DocumentError,
    file_kind,
    open_regular,
    read_all,
    read_head,
)


def test_special_files_are_named_by_kind(tmp_path: Path) -> None:
    """Folders, FIFOs, sockets and devices are refused with what they are."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError) as caught:
        open_regular(fifo)  # opening a FIFO would block: refused from its stat
    assert str(caught.value) == f"{fifo}: not a regular file (a FIFO)"
    with pytest.raises(DocumentError, match=r"not a regular file \(a directory\)"):
        open_regular(tmp_path)
    with pytest.raises(DocumentError, match=r"not a regular file \(a device\)"):
        open_regular("/dev/null")
    sock_path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(sock_path))
        with pytest.raises(DocumentError, match=r"not a regular file \(a socket\)"):
            open_regular(sock_path)
    assert file_kind(stat.S_IFLNK) == "special file"


def test_unreadable_and_looping_paths(tmp_path: Path) -> None:
    """Permission problems and symlink loops give the system's reason in one line."""
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(DocumentError) as caught:
        open_regular(loop)
    assert str(caught.value) == f"{loop}: Too many levels of symbolic links"
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.txt"
        locked.write_text("x")
        locked.chmod(0)
        with pytest.raises(DocumentError, match="Permission denied"):
            open_regular(locked)


def test_read_errors_become_document_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error while reading a head or a whole file is a DocumentError naming it."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello world\n")
    assert read_head(path, 5)[0] == b"hello"
    assert read_head(path, 5, whole_below=100)[0] == b"hello world\n"

    def broken_read(fd: int, size: int) -> bytes:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "read", broken_read)
    with pytest.raises(DocumentError, match=r"a\.txt: Input/output error"):
        read_head(path)
    monkeypatch.undo()

    class Broken:
        def __enter__(self) -> Broken:
            return self

        def __exit__(self, *args: object) -> None:
            return None

        def read(self) -> bytes:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fdopen", lambda *args, **kwargs: Broken())
    with pytest.raises(DocumentError, match=r"a\.txt: Input/output error"):
        read_all(path)


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("- a\n", "expected a mapping of settings at the top level"),
        ("library: 5\n", "library: expected a list of folders"),
        ("library: ['', 3]\n", "library: '' is not a path"),
        ("library: [oops\n", "line 2, column 1: did not find expected ',' or ']'"),
    ],
)
def test_config_problems_are_warnings(text: str, warning: str) -> None:
    """A bad config.yaml is reported in one line per problem and never raised."""
    config_file = paths.config_file()
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(text)
    config = load_config()
    assert config.warnings[0] == f"{config_file}: {warning}"


def test_config_single_library_folder_and_empty_file() -> None:
    """``library:`` may be one folder; an empty file is all defaults."""
    config_file = paths.config_file()
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text("library: ~/texts\n")
    assert load_config().library == [Path("~/texts").expanduser()]
    config_file.write_text("")
    assert (load_config().library, load_config().warnings) == ([], [])


def test_same_file_when_resolving_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths that cannot be resolved are compared as given."""

    def broken(self: Path, strict: bool = False) -> Path:
        raise OSError(40, "loop")

    monkeypatch.setattr(Path, "resolve", broken)
    assert paths.same_file(Path("/a/b"), Path("/a/b"))
    assert not paths.same_file(Path("/a/b"), Path("/a/c"))
