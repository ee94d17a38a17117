"""The metadata cache: used while a file is unchanged, never trusted blindly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import tuireader.core.library as library_module
from tuireader.core.library import load_library
from tuireader.core.metadata_cache import FIELD_NAMES, FORMAT, VERSION, MetadataCache, cache_file
from tuireader.core.models import Document


def _write(path: Path, title: str, body: str = "Some words to count here.") -> None:
    """A document in the seed's header form (category, title, date)."""
    path.write_text(f"Notes\n\n{title}\n\n2024.3.1.\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A folder of four documents."""
    folder = tmp_path / "library"
    folder.mkdir()
    for number in range(4):
        _write(folder / f"doc{number}.txt", f"Title number {number}")
    return folder


def _described(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the files ``load_library`` reads (cache misses)."""
    read: list[str] = []
    real = library_module._describe_all

    def counting(files: list[str]) -> list[Document | str]:
        read.extend(files)
        return real(files)

    monkeypatch.setattr(library_module, "_describe_all", counting)
    return read


def _full(documents: list[Document]) -> list[tuple[object, ...]]:
    """Every field of each document (``==`` on Document skips ``extra``)."""
    return [(doc, doc.extra, doc.to_json()) for doc in documents]


def test_an_unchanged_library_is_listed_from_the_cache(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second scan reads no file and gives exactly the first scan's documents."""
    read = _described(monkeypatch)
    first = load_library([library], MetadataCache())
    assert len(read) == 4 and cache_file().is_file()
    read.clear()
    cache = MetadataCache()
    second = load_library([library], cache)
    assert read == []
    assert cache.hits == 4 and cache.misses == 0
    assert _full(second.documents) == _full(first.documents)
    assert second.usable_paths == first.usable_paths == 1


def test_a_touched_file_is_described_again(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new modification time alone is enough to read the file again."""
    load_library([library], MetadataCache())
    read = _described(monkeypatch)
    target = library / "doc2.txt"
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    load_library([library], MetadataCache())
    assert read == [str(target)]


def test_an_edited_file_shows_its_new_title(library: Path) -> None:
    """An edit (new size and time) is seen."""
    load_library([library], MetadataCache())
    _write(library / "doc1.txt", "A rather longer and different title")
    titles = [doc.title for doc in load_library([library], MetadataCache()).documents]
    assert "A rather longer and different title" in titles
    assert "Title number 1" not in titles


def test_a_file_replaced_with_same_size_and_time_is_seen(library: Path) -> None:
    """A replacement with the same size and mtime is told apart by its inode."""
    load_library([library], MetadataCache())
    target = library / "doc3.txt"
    old = target.stat()
    fresh = library / ".replacement.tmp"
    _write(fresh, "Title number X")  # same length as "Title number 3"
    os.replace(fresh, target)
    os.utime(target, ns=(old.st_atime_ns, old.st_mtime_ns))
    new = target.stat()
    assert (new.st_size, new.st_mtime_ns) == (old.st_size, old.st_mtime_ns)
    assert new.st_ino != old.st_ino
    titles = [doc.title for doc in load_library([library], MetadataCache()).documents]
    assert "Title number X" in titles and "Title number 3" not in titles


def test_a_deleted_file_leaves_the_listing_and_the_cache(library: Path) -> None:
    """A file gone is not listed from the cache, and its entry is forgotten."""
    load_library([library], MetadataCache())
    (library / "doc0.txt").unlink()
    scan = load_library([library], MetadataCache())
    assert [doc.path.name for doc in scan.documents] == ["doc1.txt", "doc2.txt", "doc3.txt"]
    assert str(library / "doc0.txt") not in MetadataCache().entries


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01 not json at all",
        b'{"format": "tuireader-metadata-cache", "version": 1, "fields": [], "entries": {}',
        b"[1, 2, 3]",
        b'{"format": "someone-else", "version": 1, "fields": [], "entries": {}}',
        b"\xff\xfe\xfd",
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_rebuilt(
    library: Path, content: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unusable cache file means reading every document, then a good file again."""
    expected = _full(load_library([library]).documents)
    cache_file().parent.mkdir(parents=True, exist_ok=True)
    cache_file().write_bytes(content)
    read = _described(monkeypatch)
    scan = load_library([library], MetadataCache())
    assert len(read) == 4
    assert _full(scan.documents) == expected
    data = json.loads(cache_file().read_text())
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert len(data["entries"]) == 4


def test_a_cache_of_other_fields_is_not_used(library: Path) -> None:
    """A cache written for another shape of ``Document`` (another version) is ignored."""
    load_library([library], MetadataCache())
    data = json.loads(cache_file().read_text())
    data["fields"] = [*FIELD_NAMES, "author"]
    cache_file().write_text(json.dumps(data))
    assert MetadataCache().entries == {}


def test_an_entry_with_wrong_types_is_a_miss(library: Path) -> None:
    """A tampered entry (a number for a title) is described again, never shown."""
    load_library([library], MetadataCache())
    data = json.loads(cache_file().read_text())
    key = str(library / "doc1.txt")
    data["entries"][key][3 + FIELD_NAMES.index("title")] = 12345
    cache_file().write_text(json.dumps(data))
    cache = MetadataCache()
    scan = load_library([library], cache)
    assert cache.misses == 1 and cache.hits == 3
    assert [doc.title for doc in scan.documents][1] == "Title number 1"


def test_the_list_command_reads_nothing_when_warm(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``tuireader list`` uses the cache: the second run prints the same without reading."""
    from tuireader.cli import main

    assert main(["list", str(library), "--json"]) == 0
    first = capsys.readouterr().out
    read = _described(monkeypatch)
    assert main(["list", str(library), "--json"]) == 0
    assert capsys.readouterr().out == first
    assert read == []


def test_a_name_that_is_not_utf8_is_cached_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file name with an undecodable byte is stored and found again, not dropped."""
    folder = tmp_path / "odd"
    folder.mkdir()
    odd = os.fsdecode(bytes(folder) + b"/caf\xe9.txt")
    _write(Path(odd), "Undecodable name")
    read = _described(monkeypatch)
    first = load_library([folder], MetadataCache())
    assert [os.fsencode(doc.path) for doc in first.documents] == [os.fsencode(odd)]
    assert cache_file().read_bytes().isascii()
    read.clear()
    second = load_library([folder], MetadataCache())
    assert read == []
    assert _full(second.documents) == _full(first.documents)
