"""Discovery: folders, hidden files, binaries, FIFOs, symlink loops, laziness."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from tuireader.core import library
from tuireader.core.library import load_library


def _names(scan: library.LibraryScan) -> list[str]:
    """File names of the documents found."""
    return [document.path.name for document in scan.documents]


def test_recursive_discovery_and_filters(tmp_path: Path) -> None:
    """Documents are found recursively; hidden folders, hidden files and non-documents are not."""
    (tmp_path / "a.md").write_text("# A\n")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "b.txt").write_text("b\n")
    (tmp_path / "sub" / "deeper" / "c.rst").write_text("c\n")
    (tmp_path / "sub" / "NOTES").write_text("notes\n")
    (tmp_path / "sub" / "d.markdown").write_text("d\n")
    (tmp_path / "sub" / "e.text").write_text("e\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.md").write_text("x\n")
    (tmp_path / ".dotfile.md").write_text("x\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    scan = load_library([tmp_path])
    assert sorted(_names(scan)) == ["NOTES", "a.md", "b.txt", "c.rst", "d.markdown", "e.text"]
    assert any(
        "skipped 1 file that is not a document" in message and ".png 1" in message
        for message in scan.warnings
    )


def test_binary_file_skipped_with_warning(tmp_path: Path) -> None:
    """An extension-less binary file in a folder is skipped with a warning naming it."""
    (tmp_path / "good.txt").write_text("hello\n")
    (tmp_path / "program").write_bytes(b"\x7fELF" + bytes(100))
    scan = load_library([tmp_path])
    assert _names(scan) == ["good.txt"]
    assert any("program" in message and "binary" in message for message in scan.warnings)


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    """A FIFO, in a folder or given directly, is skipped at once: no hang."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "real.txt").write_text("text\n")
    done = threading.Event()
    result: dict[str, library.LibraryScan] = {}

    def run() -> None:
        result["folder"] = load_library([tmp_path])
        result["direct"] = load_library([fifo])
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(5), "scanning a FIFO hung"
    assert _names(result["folder"]) == ["real.txt"]
    assert result["direct"].documents == []
    assert result["direct"].usable_paths == 0
    assert any("FIFO" in message for message in result["direct"].warnings)


def test_socket_is_skipped(tmp_path: Path) -> None:
    """A Unix socket given directly is reported, not opened."""
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        scan = load_library([path])
    finally:
        server.close()
    assert scan.documents == []
    assert any("socket" in message for message in scan.warnings)


def test_device_is_skipped() -> None:
    """A device file is reported, not read."""
    scan = load_library([Path("/dev/zero")])
    assert scan.documents == [] and any("device" in message for message in scan.warnings)


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    """A symlink pointing back up the tree is followed once, not forever."""
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "doc.txt").write_text("x\n")
    (tmp_path / "dir" / "loop").symlink_to(tmp_path)
    (tmp_path / "self").symlink_to(tmp_path / "self")
    scan = load_library([tmp_path])
    assert _names(scan) == ["doc.txt"]


def test_same_file_listed_once(tmp_path: Path) -> None:
    """A file reachable twice (given twice, or by a link) is listed once."""
    (tmp_path / "doc.txt").write_text("x\n")
    (tmp_path / "link.txt").symlink_to(tmp_path / "doc.txt")
    scan = load_library([tmp_path, tmp_path / "doc.txt"])
    assert len(scan.documents) == 1
    assert scan.usable_paths == 2


def test_missing_and_unreadable_paths(tmp_path: Path) -> None:
    """Missing paths are reported; other paths are still listed."""
    (tmp_path / "ok.txt").write_text("fine\n")
    scan = load_library([tmp_path / "missing", tmp_path / "ok.txt"])
    assert _names(scan) == ["ok.txt"]
    assert scan.usable_paths == 1
    assert scan.warnings == [f"{tmp_path / 'missing'}: no such file or directory"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    """A file without read permission is reported."""
    path = tmp_path / "locked.txt"
    path.write_text("secret\n")
    path.chmod(0)
    scan = load_library([path])
    assert scan.documents == [] and "Permission denied" in scan.warnings[0]


def test_listing_reads_only_the_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large document is described from its head; the word count is an estimate."""
    path = tmp_path / "big.txt"
    path.write_text("Title line\n\n" + ("word " * 20 + "\n") * 20000)
    reads: list[int] = []
    real_read = os.read

    def counting_read(fd: int, size: int) -> bytes:
        reads.append(size)
        return real_read(fd, size)

    monkeypatch.setattr(library.os, "read", counting_read, raising=False)
    monkeypatch.setattr("tuireader.core.textload.os.read", counting_read)
    document = load_library([path]).documents[0]
    assert reads and max(reads) <= 4096
    assert document.words_estimated
    assert abs(document.words - 400002) / 400002 < 0.02


def test_huge_single_line(tmp_path: Path) -> None:
    """A file that is one enormous line lists without trouble."""
    path = tmp_path / "oneline.txt"
    path.write_text("x" * 5_000_000)
    document = load_library([path]).documents[0]
    assert document.size == 5_000_000 and document.words >= 1


def test_parallel_description_matches_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker processes give the same documents, order and warnings as one process."""
    for index in range(40):
        (tmp_path / f"doc{index:02d}.txt").write_text(
            f"Notes\n\nTitle {index}\n\n2024-01-{index % 28 + 1:02d}\n"
        )
    (tmp_path / "blob").write_bytes(b"\x00" * 64)
    (tmp_path / "again.txt").symlink_to(tmp_path / "doc00.txt")
    monkeypatch.setattr(library, "PARALLEL_MIN_FILES", 10**9)
    serial = load_library([tmp_path])
    monkeypatch.setattr(library, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(library.os, "cpu_count", lambda: 2)
    parallel = load_library([tmp_path])
    assert len(serial.documents) == 40
    assert parallel.documents == serial.documents
    assert parallel.warnings == serial.warnings
    assert parallel.usable_paths == serial.usable_paths == 1


def test_reading_time_text_never_needs_more_than_six_characters() -> None:
    """Reading times: minutes under 100, then hours (a tenth under 100 h); fit the column."""
    from tuireader.core.models import reading_time_text

    assert [reading_time_text(m) for m in (1, 63, 99, 100, 559, 1500, 3765, 600000)] == [
        "1 min",
        "63 min",
        "99 min",
        "1.7 h",
        "9.3 h",
        "25 h",
        "62.8 h",
        "10000 h",
    ]


def test_folder_hints_tell_lookalikes_apart(tmp_path: Path) -> None:
    """Only documents sharing a title get a hint: the fewest folders that differ."""
    from tuireader.core.labels import folder_hints
    from tuireader.core.models import Document

    def doc(path: str, title: str) -> Document:
        return Document(tmp_path / path, title, None, None, 1, 1, 0.0)

    hints = folder_hints(
        [
            doc("a/notes/todo.md", "todo"),
            doc("b/notes/todo.md", "Todo"),
            doc("c/todo.md", "todo"),
            doc("essay.md", "Essay"),
            doc("x/one.md", "Same"),
            doc("x/two.md", "Same"),
        ]
    )
    assert hints[tmp_path / "a/notes/todo.md"] == "a/notes/"
    assert hints[tmp_path / "b/notes/todo.md"] == "b/notes/"
    assert hints[tmp_path / "c/todo.md"].endswith("/c/")
    assert hints[tmp_path / "x/one.md"] == "x/one.md"
    assert tmp_path / "essay.md" not in hints


def test_title_hints_batch_by_batch_match_folder_hints(tmp_path: Path) -> None:
    """Hints noted batch by batch equal ``folder_hints`` of the whole; earlier rows to redraw."""
    from tuireader.core.labels import TitleHints, folder_hints
    from tuireader.core.models import Document

    def doc(path: str, title: str) -> Document:
        return Document(tmp_path / path, title, None, None, 1, 1, 0.0)

    first = [doc("a/todo.md", "todo"), doc("essay.md", "Essay")]
    second = [doc("b/todo.md", "Todo"), doc("poem.md", "Poem")]
    labels = TitleHints()
    assert labels.note(first) == set()
    assert labels.hints == {}
    assert labels.note(second) == {tmp_path / "a/todo.md"}, "the earlier twin must be redrawn"
    assert labels.hints == folder_hints(first + second)
    assert labels.note([]) == set()
