"""The index built on several cores is byte for byte the one built by a single process."""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from tuireader.core.search import grouping, parallel
from tuireader.core.search.build import build_index

WORDS = [
    "river", "Kettle", "garden", "harbour", "lantern", "meadow", "orchard",
    "thunder", "café", "Ærø", "naïve", "the", "of",
]


def _library(folder: Path) -> Path:
    """Documents of several kinds: plain, Markdown with front matter, empty, binary, long."""
    rng = random.Random(5)
    folder.mkdir()
    for number in range(12):
        paragraphs = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))
            for _ in range(rng.randint(1, 30))
        ]
        (folder / f"doc{number:02d}.txt").write_text("\n\n".join(paragraphs) + "\n")
    (folder / "page.md").write_text("---\ntitle: Front\n---\n# Heading\n\nriver kettle\n")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "long.txt").write_text(" ".join(rng.choice(WORDS) for _ in range(5000)) + "\n")
    return folder


def _build(library: Path, cache: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Build the index into its own cache folder; the index file's bytes."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    built = build_index([library], workers=workers)
    assert not built.loaded_from_cache
    (index_file,) = (cache / "tuireader" / "search").glob("*.idx")
    return index_file.read_bytes()


def test_parallel_build_writes_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker processes (small chunks, so several) give exactly the single-process file."""
    library = _library(tmp_path / "library")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 2000)
    monkeypatch.setattr(parallel, "MAX_CHUNK_BYTES", 2000)
    chunks = parallel.plan_chunks(
        [(str(p), None, p.stat().st_size) for p in sorted(library.iterdir())]
    )
    assert len(chunks) > 3  # really several chunks
    handed: list[int] = []

    class CountingReader(parallel.ChunkReader):
        def __iter__(self) -> Iterator[parallel.Chunk]:
            for chunk in super().__iter__():
                handed.append(len(chunk.titles))
                yield chunk

    monkeypatch.setattr(parallel, "ChunkReader", CountingReader)
    single = _build(library, tmp_path / "one", 1, monkeypatch)
    assert handed == []
    several = _build(library, tmp_path / "two", 2, monkeypatch)
    assert len(handed) == len(chunks) and sum(handed) == sum(map(len, chunks))
    assert len(single) > 1000
    assert hashlib.sha256(several).hexdigest() == hashlib.sha256(single).hexdigest()


def test_parallel_rebuild_mixes_reused_and_read_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an edit, reused (copied) and re-read documents interleave as in one process."""
    library = _library(tmp_path / "library")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 2000)
    monkeypatch.setattr(parallel, "MAX_CHUNK_BYTES", 2000)
    _build(library, tmp_path / "one", 1, monkeypatch)
    _build(library, tmp_path / "two", 2, monkeypatch)
    for name in ("doc03.txt", "doc04.txt", "doc09.txt"):
        target = library / name
        target.write_text(target.read_text() + "\nthunder added meadow\n")
        os.utime(target, ns=(0, 10**18))
    single = _build(library, tmp_path / "one", 1, monkeypatch)
    several = _build(library, tmp_path / "two", 2, monkeypatch)
    assert several == single


def test_small_builds_stay_in_one_process() -> None:
    """Starting workers is not worth it for a little text or a single core."""
    assert not parallel.worth_it(1024, workers=4)
    assert not parallel.worth_it(10**10, workers=1)
    assert parallel.worth_it(10**10, workers=2)


def test_numpy_grouping_writes_the_plain_python_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With numpy (small batches, workers) the file is the plain Python inverter's, edits too."""
    if grouping.numpy_module() is None:
        pytest.skip("numpy is not installed")
    library = _library(tmp_path / "library")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 2000)
    monkeypatch.setattr(parallel, "MAX_CHUNK_BYTES", 2000)
    monkeypatch.setattr(grouping, "GROUP_PAIRS", 50)
    monkeypatch.setattr(grouping, "WRITE_NUMBERS", 64)

    def plain(cache: str) -> bytes:
        monkeypatch.setattr(grouping, "_NUMPY", [None])
        try:
            return _build(library, tmp_path / cache, 1, monkeypatch)
        finally:
            monkeypatch.setattr(grouping, "_NUMPY", [])

    for _ in range(2):
        reference = plain("plain")
        assert type(grouping.new_inverter()) is grouping.GroupingInverter
        assert _build(library, tmp_path / "numpy", 1, monkeypatch) == reference
        assert _build(library, tmp_path / "numpy-workers", 2, monkeypatch) == reference
        for name in ("doc02.txt", "doc07.txt"):  # then a rebuild: copied and read documents
            target = library / name
            target.write_text(target.read_text() + "\norchard added Café\n")
            os.utime(target, ns=(0, 10**18 + len(target.read_text())))


def test_the_last_chunks_are_smaller() -> None:
    """Every document once, in order; the last workers' worth of text in quarter chunks."""
    items = [(f"doc{number}", None, 1 << 20) for number in range(200)]
    runs = parallel.plan_chunks(items, chunk_bytes=8 << 20, workers=2)
    assert [path for run in runs for path, _ in run] == [path for path, _, _ in items]
    sizes = [len(run) for run in runs]
    assert sizes[0] == 8 and sizes[-2] == 8 // parallel.TAIL_SHARE
    assert sum(1 for size in sizes if size < 8) >= 2 * parallel.TAIL_SHARE - 1
