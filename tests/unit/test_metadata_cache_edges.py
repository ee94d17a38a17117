"""The metadata cache at its edges: values JSON cannot hold, a huge file, a failed save, pruning."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tuireader.core import metadata_cache
from tuireader.core.library import load_library
from tuireader.core.metadata_cache import MetadataCache, _json_types, cache_file


def _folder(root: Path, name: str, count: int) -> Path:
    """A folder of ``count`` small text documents."""
    folder = root / name
    folder.mkdir()
    for number in range(count):
        (folder / f"doc{number}.txt").write_text("Words here, and a few more.\n")
    return folder


def test_a_value_json_cannot_hold_is_never_cached_but_still_shown(tmp_path: Path) -> None:
    """Front matter with ``.nan``: the document is listed as read, and described again each time."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "odd.md").write_text("---\ntitle: Odd\nratio: .nan\n---\n\nBody.\n")
    first = MetadataCache()
    scan = load_library([folder], first)
    assert scan.documents[0].title == "Odd"
    assert math.isnan(scan.documents[0].extra["ratio"])
    assert first.entries == {}
    again = MetadataCache()
    load_library([folder], again)
    assert (again.hits, again.misses) == (0, 1)


def test_a_cache_file_over_the_size_limit_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache file bigger than MAX_FILE_BYTES is not one of ours: it is ignored unread."""
    folder = _folder(tmp_path, "lib", 2)
    load_library([folder], MetadataCache())
    assert len(MetadataCache().entries) == 2
    monkeypatch.setattr(metadata_cache, "MAX_FILE_BYTES", 10)
    assert MetadataCache().entries == {}


def test_a_save_that_cannot_write_costs_nothing_but_speed(tmp_path: Path) -> None:
    """The cache path under a file: the scan works, nothing is raised, nothing is written."""
    folder = _folder(tmp_path, "lib", 2)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    cache = MetadataCache(blocker / "cache.json")
    scan = load_library([folder], cache)
    assert [doc.title for doc in scan.documents] == ["Doc0", "Doc1"]
    assert cache.changed  # still to be saved: the write failed
    assert blocker.read_text() == "a file, not a folder"


def test_past_the_entry_limit_only_what_the_scan_saw_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over MAX_ENTRIES, a save keeps the entries of the latest scan and drops the others."""
    old = _folder(tmp_path, "old", 3)
    new = _folder(tmp_path, "new", 2)
    load_library([old], MetadataCache())
    monkeypatch.setattr(metadata_cache, "MAX_ENTRIES", 4)
    load_library([new], MetadataCache())
    kept = json.loads(cache_file().read_text())["entries"]
    assert sorted(kept) == [str(new / "doc0.txt"), str(new / "doc1.txt")]


def test_field_types_json_cannot_hold_admit_no_value() -> None:
    """A field type outside JSON (a list of strings here) admits nothing: every entry a miss."""
    assert _json_types(list[str]) == frozenset()
    assert _json_types(float) == frozenset({float, int})
    assert _json_types(str | None) == frozenset({str, type(None)})
