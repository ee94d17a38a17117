"""The on-disk search index cache: reuse, invalidation, corruption, progress, cancel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuireader.core import paths
from tuireader.core.search import build as search
from tuireader.core.search.build import BuildCancelled, BuildProgress
from tuireader.core.search.index import SearchIndex
from tuireader.core.search.index_file import MAGIC, CacheError, IndexData


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    """Three small documents sharing "rivers", each with its own markerN word."""
    folder = tmp_path / "lib"
    folder.mkdir()
    for number in range(3):
        (folder / f"doc{number}.txt").write_text(
            f"Document {number}\n\nShared words about rivers.\n\nUnique marker{number} here.\n"
        )
    return folder


def _cache_files() -> list[Path]:
    return sorted((paths.cache_dir() / "search").glob("*.idx"))


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every document read for indexing."""
    seen: list[Path] = []
    from tuireader.core import textload

    real = textload.iter_lines

    def spy(path: Path):  # type: ignore[no-untyped-def]
        seen.append(Path(path))
        return real(path)

    def spy_text(path: Path, *args):  # type: ignore[no-untyped-def]
        seen.append(Path(path))
        return real_text(path, *args)

    real_text = textload.iter_text
    for name, function in (("iter_lines", spy), ("iter_text", spy_text)):
        monkeypatch.setattr(f"tuireader.core.textload.{name}", function)
        # Formats read their text through search.passages, which holds its own reference.
        monkeypatch.setattr(f"tuireader.core.search.passages.{name}", function)
    return seen


def test_second_build_reads_nothing(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rebuilding an unchanged library loads the cache without reading any document."""
    first = SearchIndex.build([library])
    assert not first.loaded_from_cache
    assert len(_cache_files()) == 1
    reads = _reads(monkeypatch)
    second = SearchIndex.build([library])
    assert second.loaded_from_cache
    assert reads == []
    assert second.search("marker1")[0].path.name == "doc1.txt"


def test_changed_file_is_reread_alone(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a changed file is read again; its old words are gone, the others come from the cache."""
    SearchIndex.build([library])
    changed = library / "doc1.txt"
    changed.write_text("Document 1\n\nNow about mountains and glaciers.\n")
    os.utime(changed, ns=(1, 1_000_000_000))
    reads = _reads(monkeypatch)
    index = SearchIndex.build([library])
    assert not index.loaded_from_cache
    assert reads == [changed]
    assert index.search("glaciers")[0].path == changed
    assert all(hit.path != changed for hit in index.search("marker1"))
    assert index.search("marker2")[0].path.name == "doc2.txt"  # reused from the cache


def test_added_and_removed_files(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new file is read alone and found; a deleted file leaves the index and the results."""
    SearchIndex.build([library])
    (library / "doc0.txt").unlink()
    (library / "new.txt").write_text("A brand new volcano.\n")
    reads = _reads(monkeypatch)
    index = SearchIndex.build([library])
    assert [path.name for path in reads] == ["new.txt"]
    assert index.search("volcano")[0].path.name == "new.txt"
    assert all(hit.path.name != "doc0.txt" for hit in index.search("marker0"))
    assert not index.has_document(library / "doc0.txt")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[:100],
        lambda data: b"garbage" * 50,
        lambda data: data[:-30] + b"}" * 30,
        lambda data: MAGIC + b"\xff" * (len(data) - len(MAGIC)),
    ],
)
def test_corrupt_cache_is_rebuilt(library: Path, damage) -> None:  # type: ignore[no-untyped-def]
    """An empty, truncated, garbage or overwritten cache file is ignored and rebuilt sound."""
    SearchIndex.build([library])
    (cache,) = _cache_files()
    cache.write_bytes(damage(cache.read_bytes()))
    index = SearchIndex.build([library])
    assert not index.loaded_from_cache
    assert index.search("marker2")[0].path.name == "doc2.txt"
    IndexData(cache).close()  # the rebuilt file is sound


def test_damaged_texts_never_crash(library: Path) -> None:
    """Inverted bytes near the start of the cache never make a search crash; passages stay str."""
    SearchIndex.build([library])
    (cache,) = _cache_files()
    data = cache.read_bytes()
    cache.write_bytes(data[:40] + bytes(255 - b for b in data[40:120]) + data[120:])
    index = SearchIndex.build([library])
    for query in ("marker2", "document", "rivers"):
        for hit in index.search(query):
            assert isinstance(hit.passage, str)


def test_corrupt_postings_are_detected(library: Path) -> None:
    """A flipped byte in the postings section makes IndexData raise CacheError."""
    SearchIndex.build([library])
    (cache,) = _cache_files()
    data = bytearray(cache.read_bytes())
    trailer = data.rindex(b'{"version"')
    data[trailer - 8] ^= 0xFF  # inside the postings section, just before the trailer
    cache.write_bytes(bytes(data))
    with pytest.raises(CacheError):
        IndexData(cache)


def test_old_format_version_is_rebuilt(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache written with another format version is not reused."""
    SearchIndex.build([library])
    monkeypatch.setattr("tuireader.core.search.index_file.FORMAT_VERSION", 999)
    index = SearchIndex.build([library])
    assert not index.loaded_from_cache


def test_unwritable_cache_still_builds(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the cache folder cannot be created, the index is still built and searchable."""
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    index = SearchIndex.build([library])
    assert index.search("rivers")


def test_progress_and_cancel(library: Path) -> None:
    """Progress climbs to a finished 3/3 docs, 9 passages; cancel leaves no cache or temp file."""
    reports: list[BuildProgress] = []
    SearchIndex.build([library], progress=reports.append)
    assert reports[-1].finished
    assert reports[-1].documents_done == reports[-1].documents_total == 3
    assert reports[-1].passages == 9
    done = [report.documents_done for report in reports]
    assert done == sorted(done)

    for cached in _cache_files():
        cached.unlink()
    with pytest.raises(BuildCancelled):
        SearchIndex.build([library], should_cancel=lambda: True)
    assert _cache_files() == []
    assert list((paths.cache_dir() / "search").glob(".*.tmp")) == []


def test_cache_folder_is_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Indexing more libraries than CACHE_FILES_KEPT leaves only that many cache files."""
    monkeypatch.setattr(search, "CACHE_FILES_KEPT", 2)
    for number in range(4):
        folder = tmp_path / f"lib{number}"
        folder.mkdir()
        (folder / "a.txt").write_text(f"text {number}\n")
        SearchIndex.build([folder])
    assert len(_cache_files()) == 2


def test_documents_given_as_models(library: Path) -> None:
    """The index accepts Document models, keeping their titles and honouring scope_path."""
    from tuireader.core.library import load_library

    documents = load_library([library]).documents
    index = SearchIndex.build(documents)
    hit = index.search("marker0")[0]
    assert hit.title == documents[0].title
    assert index.search("marker0", scope_path=documents[0].path)[0].path == documents[0].path


def test_passage_texts_are_read_from_the_file_when_asked(library: Path) -> None:
    """Only the index is held: a passage's text is read from the file each time it is asked."""
    SearchIndex.build([library])
    (cache,) = _cache_files()
    data = IndexData(cache)
    try:
        number = next(n for n in range(data.passages) if "marker1" in data.text(n))
        raw = cache.read_bytes()
        with open(cache, "r+b") as handle:  # same length, so every offset still holds
            handle.write(raw.replace(b"marker1", b"MARKER1"))
        assert "MARKER1" in data.text(number)
    finally:
        data.close()
