"""The one folder walk: files and folders into regular document files, once each."""

from __future__ import annotations

import os
from pathlib import Path

from tuireader.core.walk import FoundFile, iter_document_paths, walk_documents


def _walk(paths: list[Path]) -> tuple[list[FoundFile], list[str]]:
    warnings: list[str] = []
    return list(walk_documents(paths, warnings.append)), warnings


def test_folder_walk_takes_documents_in_sorted_order(tmp_path: Path) -> None:
    """Documents below a folder, depth first and sorted; others counted in one warning."""
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_text("z")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "README").write_text("r")
    (tmp_path / "pic.png").write_bytes(b"p")
    (tmp_path / ".hidden.txt").write_text("h")
    found, warnings = _walk([tmp_path])
    names = [Path(item.path).relative_to(tmp_path).as_posix() for item in found]
    assert names == ["README", "a.txt", "b/z.md"]
    assert warnings == [f"{tmp_path}: skipped 1 file that is not a document (.png 1)"]
    (tmp_path / "pic2.png").write_bytes(b"p")
    _, warnings = _walk([tmp_path])
    assert warnings == [f"{tmp_path}: skipped 2 files that are not documents (.png 2)"]


def test_found_files_carry_path_size_mtime_and_source(tmp_path: Path) -> None:
    """Each file has its absolute path, size, mtime in ns, (dev, ino) and given index."""
    doc = tmp_path / "doc.txt"
    doc.write_text("hello")
    os.utime(doc, ns=(1_000_000_123, 2_000_000_456))
    found, _ = _walk([tmp_path / "missing", doc])
    info = doc.stat()
    assert found == [
        FoundFile(str(doc), 5, 2_000_000_456, (info.st_dev, info.st_ino), source=1)
    ]


def test_once_each_by_device_and_inode(tmp_path: Path) -> None:
    """A file given twice, linked, or hard-linked comes once; a shared ``seen`` spans calls."""
    doc = tmp_path / "doc.txt"
    doc.write_text("x")
    (tmp_path / "link.txt").symlink_to(doc)
    os.link(doc, tmp_path / "hard.txt")
    found, _ = _walk([tmp_path, doc])
    assert len(found) == 1
    seen: set[tuple[int, int]] = set()
    assert len(list(walk_documents([doc], print, seen))) == 1
    assert list(walk_documents([tmp_path], print, seen)) == []


def test_given_file_of_any_name_is_taken(tmp_path: Path) -> None:
    """A file named directly is taken even if a folder walk would skip its suffix."""
    log = tmp_path / "server.log"
    log.write_text("line")
    found, warnings = _walk([log])
    assert [item.path for item in found] == [str(log)] and warnings == []


def test_bad_paths_warn_and_never_block(tmp_path: Path) -> None:
    """Missing paths and FIFOs become warnings; a symlink loop ends, reported once."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "ok.txt").write_text("ok")
    found, warnings = _walk([tmp_path / "missing", fifo, tmp_path])
    assert [Path(item.path).name for item in found] == ["ok.txt"]
    assert warnings[0] == f"{tmp_path / 'missing'}: no such file or directory"
    assert warnings[1] == f"{fifo}: not a regular file (a FIFO)"
    assert warnings[2].startswith(f"{tmp_path / 'loop'}: links to a folder already walked")
    assert len(warnings) == 3


def test_iter_document_paths_is_lazy(tmp_path: Path) -> None:
    """The folder listing is a generator, so callers can stop early."""
    for number in range(3):
        (tmp_path / f"{number}.txt").write_text("x")
    paths = iter_document_paths(tmp_path, print)
    assert next(paths) == str(tmp_path / "0.txt")


def test_dangling_symlinks_are_counted_in_the_skipped_warning(tmp_path: Path) -> None:
    """A link whose target is gone is skipped and counted with the non-documents, once."""
    (tmp_path / "ok.txt").write_text("ok")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    _, warnings = _walk([tmp_path])
    assert warnings == [f"{tmp_path}: skipped 1 broken link (target missing)"]
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "old.md").symlink_to("/nonexistent/old.md")
    (tmp_path / "pic.png").write_bytes(b"p")
    found, warnings = _walk([tmp_path])
    assert [Path(item.path).name for item in found] == ["ok.txt"]
    assert warnings == [
        f"{tmp_path}: skipped 1 file that is not a document (.png 1)"
        " and 2 broken links (target missing)"
    ]
