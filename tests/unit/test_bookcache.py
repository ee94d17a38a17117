"""The conversion cache: streamed chapters, resolved ToC lines, reuse, invalidation."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from epub_builder import make_book

from tuireader.core.formats import bookcache
from tuireader.core.formats.bookcache import BookText, cache_folder, converted_text
from tuireader.core.formats.epub import EpubSource
from tuireader.core.textload import DocumentError


class CountingSource(EpubSource):
    """An EpubSource that counts how often a book is opened for conversion."""

    opened = 0

    def __init__(self, path: Path) -> None:
        """Count, then open."""
        CountingSource.opened += 1
        super().__init__(path)


def test_convert_then_reuse_without_parsing(tmp_path: Path) -> None:
    """The first call converts; the second comes from the cache and opens nothing."""
    path = make_book(tmp_path / "book.epub")
    CountingSource.opened = 0
    first = converted_text(path, CountingSource)
    assert first.complete and CountingSource.opened == 1
    text = first.text_path.read_text(encoding="utf-8").split("\n")
    assert text[0] == "# The First Chapter"
    assert [entry.title for entry in first.toc] == [
        "The First Chapter",
        "The Second Chapter",
        "The Third Chapter",
    ]
    for entry in first.toc:
        assert text[entry.line] == "# " + entry.title
    assert first.chapter_at(first.toc[2].line + 2) == "The Third Chapter"
    second = converted_text(path, CountingSource)
    assert CountingSource.opened == 1
    assert (second.text_path, second.toc, second.lines) == (first.text_path, first.toc, first.lines)


def test_progress_after_each_chapter_with_a_growing_file(tmp_path: Path) -> None:
    """After the first chapter the caller can already read it from the partial file."""
    path = make_book(tmp_path / "book.epub")
    seen: list[tuple[bool, int, str]] = []

    def progress(state: BookText) -> None:
        content = state.text_path.read_text(encoding="utf-8")
        seen.append((state.complete, state.lines, content.split("\n")[0]))

    converted_text(path, EpubSource, on_progress=progress)
    assert len(seen) == 3
    assert seen[0] == (False, 6, "# The First Chapter")
    assert [lines for _, lines, _ in seen] == sorted(lines for _, lines, _ in seen)
    assert not list(cache_folder().glob(".*partial"))


def test_changed_book_is_converted_again_and_old_entry_pruned(tmp_path: Path) -> None:
    """A new mtime or size gives a new entry; the stale one is removed."""
    path = make_book(tmp_path / "book.epub")
    first = converted_text(path, EpubSource)
    make_book(path, title="Changed")
    os.utime(path, ns=(1, 1))
    second = converted_text(path, EpubSource)
    assert second.text_path != first.text_path and second.info["title"] == "Changed"
    assert not first.text_path.exists()


def test_error_is_one_clear_line_and_nothing_is_cached(tmp_path: Path) -> None:
    """A hostile book raises DocumentError and leaves no entry behind."""
    bad = tmp_path / "bad.epub"
    bad.write_text("nope")
    with pytest.raises(DocumentError, match="not a zip"):
        converted_text(bad, EpubSource)
    assert not cache_folder().exists() or not list(cache_folder().iterdir())


def test_cancel_leaves_no_partial_file(tmp_path: Path) -> None:
    """Cancelling mid-way removes the temporary file and raises."""
    path = make_book(tmp_path / "book.epub")
    calls = iter([False, True, True, True])
    with pytest.raises(DocumentError, match="cancelled"):
        converted_text(path, EpubSource, cancelled=lambda: next(calls))
    assert not list(cache_folder().glob(".*"))
    assert converted_text(path, EpubSource).complete


def test_two_threads_share_one_conversion(tmp_path: Path) -> None:
    """Concurrent callers in one process get the same result from one conversion."""
    path = make_book(tmp_path / "book.epub")
    CountingSource.opened = 0
    gate = threading.Event()
    started = threading.Event()
    results: list[BookText] = []

    class SlowSource(CountingSource):
        def sections(self):  # type: ignore[no-untyped-def]
            started.set()
            gate.wait(5)
            yield from super().sections()

    def run() -> None:
        results.append(converted_text(path, SlowSource))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    assert started.wait(5)
    assert len(bookcache._active) == 1
    gate.set()
    for thread in threads:
        thread.join(10)
    assert len(results) == 3 and CountingSource.opened == 1
    assert len({result.text_path for result in results}) == 1


def test_book_line_index_converts_while_scanning(tmp_path: Path) -> None:
    """The index opens before any chapter exists; scanning converts and indexes them."""
    from tuireader.core.formats.booklines import BookLineIndex

    path = make_book(tmp_path / "book.epub")
    index = BookLineIndex(path, EpubSource)
    assert index.converting and index.line_count == 0
    counts: list[int] = []
    index.scan(on_progress=lambda: counts.append(index.line_count))
    assert counts[0] >= 5 and counts[-1] == index.line_count
    assert index.done and not index.converting
    assert index.read_line(0) == "# The First Chapter"
    assert [(entry.title, index.read_line(entry.line)) for entry in index.contents()][1] == (
        "The Second Chapter",
        "# The Second Chapter",
    )
    assert index.chapter_at(index.line_count - 2) == "The Third Chapter"
    index.close()
    again = BookLineIndex(path, EpubSource)
    assert not again.converting and again.book is not None and again.book.complete
    again.scan()
    assert again.line_count == index.line_count
    again.close()


def test_book_line_index_refuses_a_bad_book_at_open(tmp_path: Path) -> None:
    """A hostile book fails when opened, with one line, and leaves no growing file."""
    from tuireader.core.formats.booklines import BookLineIndex

    bad = tmp_path / "bad.epub"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(DocumentError, match=r"bad\.epub"):
        BookLineIndex(bad, EpubSource)
    assert not cache_folder().exists() or not list(cache_folder().glob(".*"))


def test_follower_converts_itself_when_the_owner_cancels(tmp_path: Path) -> None:
    """If the caller running a conversion cancels it, a caller following it still gets the text."""
    path = make_book(tmp_path / "book.epub")
    started = bookcache.start_conversion(path, EpubSource)
    assert isinstance(started, bookcache.Conversion)
    results: list[BookText] = []
    follower = threading.Thread(target=lambda: results.append(converted_text(path, EpubSource)))
    with pytest.raises(DocumentError, match="cancelled"):
        started.follow(cancelled=lambda: (follower.start(), True)[1])
    follower.join(10)
    assert len(results) == 1 and results[0].complete
