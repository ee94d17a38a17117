"""The book cache's size cap: least recently used entries go first, writers are never hurt."""

from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from epub_builder import make_book

from tuireader.core.formats import bookcache, cachetrim
from tuireader.core.formats.bookcache import cache_folder, cached_text, converted_text
from tuireader.core.formats.epub import EpubSource

KB = 1024
HOUR = 3600.0


def entry(folder: Path, stem: str, size: int, age: float) -> list[Path]:
    """A cache entry (text + sidecar) of ``size`` bytes last used ``age`` seconds ago."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"{stem}.md", folder / f"{stem}.json"]
    files[0].write_bytes(b"x" * (size - 10))
    files[1].write_bytes(b"{}" + b" " * 8)
    when = time.time() - age
    for path in files:
        os.utime(path, (when, when))
    return files


def present(folder: Path) -> set[str]:
    """Names in the folder (lock file aside)."""
    return {path.name for path in folder.iterdir() if path.name != cachetrim.LOCK_NAME}


def test_oldest_used_entries_go_first_until_under_the_cap(tmp_path: Path) -> None:
    """Four 10 KB entries under a 25 KB cap: the two used longest ago are removed."""
    folder = tmp_path / "books"
    for stem, age in (("a", 4 * HOUR), ("b", 1 * HOUR), ("c", 3 * HOUR), ("d", 2 * HOUR)):
        entry(folder, stem, 10 * KB, age)
    left = cachetrim.trim(folder, 25 * KB)
    assert present(folder) == {"b.md", "b.json", "d.md", "d.json"}
    assert left == 20 * KB


def test_under_the_cap_nothing_is_removed(tmp_path: Path) -> None:
    """A folder already small enough is only measured."""
    folder = tmp_path / "books"
    entry(folder, "a", 10 * KB, 4 * HOUR)
    assert cachetrim.trim(folder, 25 * KB) == 10 * KB
    assert present(folder) == {"a.md", "a.json"}


def test_writers_files_and_recent_entries_are_never_removed(tmp_path: Path) -> None:
    """A growing partial file, a fresh entry and the kept one stay even over the cap;
    a day-old partial (a crash's leftover) is removed."""
    folder = tmp_path / "books"
    entry(folder, "old", 10 * KB, 5 * HOUR)
    entry(folder, "fresh", 10 * KB, 1.0)
    entry(folder, "kept", 10 * KB, 6 * HOUR)
    growing = folder / ".fresh2.123.abc.partial"
    growing.write_bytes(b"y" * 10 * KB)
    leftover = folder / ".gone.99.def.partial"
    leftover.write_bytes(b"z" * KB)
    os.utime(leftover, (time.time() - 2 * 24 * HOUR,) * 2)
    left = cachetrim.trim(folder, 1 * KB, keep="kept")
    assert present(folder) == {
        "fresh.md", "fresh.json", "kept.md", "kept.json", growing.name,
    }  # fmt: skip
    assert left == 30 * KB


def test_another_process_trimming_is_not_waited_for(tmp_path: Path) -> None:
    """While the lock is held elsewhere, trim returns at once and removes nothing."""
    folder = tmp_path / "books"
    entry(folder, "a", 10 * KB, 4 * HOUR)
    with open(folder / cachetrim.LOCK_NAME, "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)
        assert cachetrim.trim(folder, 1 * KB) == 0
        assert present(folder) == {"a.md", "a.json"}
    cachetrim.trim(folder, 1 * KB)
    assert present(folder) == set()


def test_budget_measures_once_then_only_when_it_may_be_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes under the cap are only counted; passing the cap measures and trims."""
    folder = tmp_path / "books"
    calls: list[int] = []
    real = cachetrim.trim

    def counting(where: Path, limit: int, *, keep: str = "") -> int:
        calls.append(limit)
        return real(where, limit, keep=keep)

    monkeypatch.setattr(cachetrim, "trim", counting)
    budget = cachetrim.Budget(limit=25 * KB)
    entry(folder, "a", 10 * KB, 3 * HOUR)
    budget.wrote(folder, 10 * KB, keep="a")
    entry(folder, "b", 10 * KB, 2 * HOUR)
    budget.wrote(folder, 10 * KB, keep="b")
    assert len(calls) == 1 and present(folder) == {"a.md", "a.json", "b.md", "b.json"}
    entry(folder, "c", 10 * KB, 1 * HOUR)
    budget.wrote(folder, 10 * KB, keep="c")
    assert len(calls) == 2
    assert present(folder) == {"b.md", "b.json", "c.md", "c.json"}


def test_opening_a_cached_book_marks_it_used(tmp_path: Path) -> None:
    """A cache hit touches the entry's sidecar, so it is trimmed after books not opened."""
    path = make_book(tmp_path / "book.epub")
    text = converted_text(path, EpubSource)
    sidecar = text.text_path.with_suffix(".json")
    os.utime(sidecar, (1.0, 1.0))
    assert isinstance(bookcache.start_conversion(path, EpubSource), bookcache.BookText)
    assert sidecar.stat().st_mtime > time.time() - HOUR


def test_conversions_from_before_the_version_bump_are_not_reused(tmp_path: Path) -> None:
    """An entry written by an older converter (escape residue, no link targets) is ignored
    and replaced when the book is converted again."""
    path = make_book(tmp_path / "book.epub")
    with pytest.MonkeyPatch.context() as patch:  # its own: the XDG folders stay patched
        patch.setattr(bookcache, "CACHE_VERSION", 1)
        old = converted_text(path, EpubSource).text_path
    assert bookcache.CACHE_VERSION >= 2
    assert cached_text(path) is None
    new = converted_text(path, EpubSource)
    assert new.text_path != old and not old.exists()
    assert {p.suffix for p in cache_folder().iterdir() if not p.name.startswith(".")} == {
        ".md",
        ".json",
    }
