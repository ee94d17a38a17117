"""Building the search index: which documents, the cache file, writing it, pruning.

``build_index`` resolves files, folders and ``Document``s into the documents to
index, loads the library's cache file (named from a hash of its root paths) and
either reuses it as it is (nothing changed: no document is read) or writes a new
one, copying unchanged documents' passages from the old file and reading only
new or changed documents.  The cache folder keeps the ``CACHE_FILES_KEPT`` most
recently used index files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.core import paths, textload
from tuireader.core.formats.registry import format_of
from tuireader.core.library import describe
from tuireader.core.models import Document
from tuireader.core.search.index_file import CacheError, DocEntry, IndexData, IndexWriter
from tuireader.core.search.parallel import document_author
from tuireader.core.search.stemming import LanguageSample, metadata_language
from tuireader.core.walk import walk_documents

if TYPE_CHECKING:
    from tuireader.core.search.parallel import Chunk

CACHE_FILES_KEPT = 8
"""Index files kept in the cache folder (the least recently used ones go)."""
CANCEL_EVERY = 5000
"""Passages of one document between two cancel checks (and progress reports)."""

ProgressCallback = Callable[["BuildProgress"], None]
CancelCheck = Callable[[], bool]
Source = Path | str | Document


class BuildCancelled(Exception):
    """Raised by a build when its ``should_cancel`` returned true."""


@dataclass(frozen=True, slots=True)
class BuildProgress:
    """How far an index build has got."""

    documents_done: int
    """Documents indexed (or reused from the cache) so far."""
    documents_total: int
    """Documents to index."""
    passages: int
    """Passages indexed so far."""
    reused: int = 0
    """Documents taken from the cache without reading them."""
    finished: bool = False
    """True on the last report."""


@dataclass(frozen=True, slots=True)
class Built:
    """The outcome of ``build_index``: the mapped data and what happened."""

    data: IndexData
    """The index, mapped."""
    warnings: list[str]
    """Problems met (unreadable files...), one line each."""
    loaded_from_cache: bool
    """True when no document had to be read."""


@dataclass(slots=True)
class _Wanted:
    """A document to have in the index."""

    path: str
    size: int
    mtime_ns: int
    title: str | None = None


def build_index(
    sources: Iterable[Source],
    *,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    use_cache: bool = True,
    workers: int | None = None,
) -> Built:
    """Index ``sources``, reusing the on-disk cache (see ``SearchIndex.build``).

    ``workers``: processes reading documents (1: this one only; ``None``: all
    cores when there is enough to read, see ``parallel.worth_it``).
    """
    warnings: list[str] = []
    wanted, roots = _resolve_sources(sources, warnings)
    target = _cache_file(roots)
    old = _load_cached(target) if use_cache else None
    reusable: dict[str, int] = {}
    if old is not None:
        reusable = {entry.path: number for number, entry in enumerate(old.documents)}
        if _unchanged(old, reusable, wanted):
            if progress is not None:
                total = len(wanted)
                progress(BuildProgress(total, total, old.passages, total, True))
            with contextlib.suppress(OSError):
                os.utime(target)
            return Built(old, warnings, True)
    writer = _IndexWrite(wanted, old, reusable, warnings, progress, should_cancel, workers)
    data = writer.write(target, use_cache)
    if use_cache:
        _prune_cache(target.parent, target)
    return Built(data, warnings, False)


# ---------------------------------------------------------------- sources and cache files


def _cache_file(key_paths: Sequence[str]) -> Path:
    """The cache file for a library given by these root paths."""
    digest = hashlib.sha256("\0".join(sorted(set(key_paths))).encode("utf-8", "surrogatepass"))
    return paths.cache_dir() / "search" / f"{digest.hexdigest()[:24]}.idx"


def _resolve_sources(
    sources: Iterable[Source], warnings: list[str]
) -> tuple[list[_Wanted], list[str]]:
    """Expand files, folders and documents into the documents to index, once each."""
    given = list(sources)
    titles = [source.title if isinstance(source, Document) else None for source in given]
    places = [Path(source.path if isinstance(source, Document) else source) for source in given]
    roots = [os.path.abspath(place.expanduser()) for place in places if place.expanduser().exists()]
    wanted = [
        _Wanted(found.path, found.size, found.mtime_ns, titles[found.source])
        for found in walk_documents(places, warnings.append)
    ]
    return wanted, roots


def _load_cached(path: Path) -> IndexData | None:
    """The index cached at ``path``, or None when missing or unusable (then deleted)."""
    if not path.exists():
        return None
    try:
        return IndexData(path)
    except CacheError:
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def _same(entry: DocEntry, wanted: _Wanted) -> bool:
    """Whether a cached document is the wanted one, unchanged."""
    return (
        entry.path == wanted.path
        and entry.size == wanted.size
        and entry.mtime_ns == wanted.mtime_ns
        and (wanted.title is None or wanted.title == entry.title)
    )


def _unchanged(old: IndexData, reusable: dict[str, int], wanted: list[_Wanted]) -> bool:
    """Whether the cached index holds exactly the wanted documents, all unchanged."""
    return len(old.documents) == len(wanted) and all(
        _same(old.documents[reusable[item.path]], item) if item.path in reusable else False
        for item in wanted
    )


def _prune_cache(folder: Path, keep: Path) -> None:
    """Keep the cache folder small: drop the least recently used index files."""
    try:
        files = sorted(
            (entry for entry in folder.glob("*.idx") if entry != keep),
            key=lambda entry: entry.stat().st_mtime,
            reverse=True,
        )
        for old in files[CACHE_FILES_KEPT - 1 :]:
            old.unlink()
        for stale in folder.glob(".*.tmp"):
            if stale.stat().st_mtime < os_time() - 3600:
                stale.unlink()
    except OSError:
        pass


def os_time() -> float:
    """The current time (a seam for tests)."""
    return time.time()


# ---------------------------------------------------------------- writing


class _IndexWrite:
    """One write of an index file: reused documents copied, the others read."""

    def __init__(
        self,
        wanted: list[_Wanted],
        old: IndexData | None,
        reusable: dict[str, int],
        warnings: list[str],
        progress: ProgressCallback | None,
        should_cancel: CancelCheck | None,
        workers: int | None = None,
    ) -> None:
        """Prepare to index ``wanted``, reusing unchanged documents of ``old``."""
        self.wanted = wanted
        self.old = old
        self.reusable = reusable
        self.warnings = warnings
        self.progress = progress
        self.should_cancel = should_cancel
        self.reused = 0
        self.writer: IndexWriter | None = None
        self.workers = workers
        """Processes to read documents with: 1 for this one only, ``None`` to decide by size."""

    def write(self, target: Path, use_cache: bool) -> IndexData:
        """Write the new index file (a temporary one unless ``use_cache``); map it."""
        try:
            writer, use_cache = _open_writer(target, use_cache)
            self.writer = writer
            try:
                self._add_all(writer)
                path = writer.finish(keep=use_cache)
            except BaseException:
                writer.abort()
                raise
        finally:
            if self.old is not None:
                self.old.close()
        self._report(len(self.wanted), finished=True)
        return IndexData(path, unlink=not use_cache)

    def _add_all(self, writer: IndexWriter) -> None:
        """Add every wanted document in order; read on several cores when worth it."""
        runs = self._runs_to_read() if self.workers != 1 else {}
        reader = None
        if runs:
            from tuireader.core.search.parallel import ChunkReader

            reader = ChunkReader([run for _, run in sorted(runs.items())], self.workers or 0)
        try:
            chunks = iter(reader) if reader is not None else iter(())
            done = 0
            while done < len(self.wanted):
                self._check_cancel()
                if done in runs:
                    done = self._add_chunk(writer, next(chunks), done, len(runs[done]))
                else:
                    self._add(writer, self.wanted[done], done)
                    done += 1
        finally:
            if reader is not None:
                reader.close()

    def _runs_to_read(self) -> dict[int, list[tuple[str, str | None]]]:
        """Chunks of consecutive documents to read, by position of their first; {} for one core."""
        from tuireader.core.search import parallel

        todo = [
            (number, item)
            for number, item in enumerate(self.wanted)
            if not self._reusable(item)
        ]
        workers = self.workers or parallel.usable_cores()
        if not parallel.worth_it(sum(item.size for _, item in todo), workers):
            return {}
        self.workers = workers
        runs: dict[int, list[tuple[str, str | None]]] = {}
        start = 0
        while start < len(todo):
            end = start  # a run of documents consecutive in ``wanted``
            while end + 1 < len(todo) and todo[end + 1][0] == todo[end][0] + 1:
                end += 1
            items = [(item.path, item.title, item.size) for _, item in todo[start : end + 1]]
            position = todo[start][0]
            for run in parallel.plan_chunks(items, workers=workers):
                runs[position] = run
                position += len(run)
            start = end + 1
        return runs

    def _reusable(self, item: _Wanted) -> bool:
        """Whether a document is copied unchanged from the old index."""
        number = self.reusable.get(item.path)
        return self.old is not None and number is not None and _same(
            self.old.documents[number], item
        )

    def _add_chunk(self, writer: IndexWriter, chunk: Chunk, done: int, count: int) -> int:
        """Append a chunk a worker read (``count`` documents from ``done``); the next position."""
        self.warnings.extend(chunk.warnings)
        entries: list[DocEntry] = []
        first = writer.passages
        for item, title, author, language, passages_read in zip(
            self.wanted[done : done + count],
            chunk.titles,
            chunk.authors,
            chunk.languages,
            chunk.counts,
            strict=True,
        ):
            if title is not None:
                entries.append(
                    DocEntry(item.path, title, item.size, item.mtime_ns, first,
                             first + passages_read, author, language)
                )
            first += passages_read
        writer.add_chunk(chunk, entries)
        self._report(done + count)
        return done + count

    def _add(self, writer: IndexWriter, item: _Wanted, done: int) -> None:
        """Add one document: copied from the old index when unchanged, else read."""
        number = len(writer.documents)
        first = writer.passages
        old_number = self.reusable.get(item.path)
        old = self.old
        if old is not None and old_number is not None and _same(old.documents[old_number], item):
            details = _copy_document(writer, old, old.documents[old_number], number)
            self.reused += 1
        else:
            read = self._read_document(writer, item, number, done)
            if read is None:
                return
            details = read
        title, author, language = details
        writer.add_document(
            DocEntry(
                item.path, title, item.size, item.mtime_ns, first, writer.passages, author, language
            )
        )
        self._report(done + 1)

    def _read_document(
        self, writer: IndexWriter, item: _Wanted, number: int, done: int
    ) -> tuple[str, str, str] | None:
        """Read and add a document's passages; its title, author and language, or None.

        The language is the metadata's, else guessed from the first passages.
        """
        first = writer.passages
        author = language = ""
        sample: LanguageSample | None = None
        try:
            described = describe(Path(item.path))
            title = item.title or described.title
            author = document_author(described.extra)
            language = metadata_language(described.extra) or ""
            sample = None if language else LanguageSample()
            found = format_of(item.path).passages(Path(item.path))
            for count, passage in enumerate(found, 1):
                writer.add_passage(number, passage.first_line, passage.last_line, passage.text)
                if sample is not None and not sample.full:
                    sample.add(passage.text)
                if count % CANCEL_EVERY == 0:
                    self._check_cancel()
                    self._report(done)
        except (textload.DocumentError, OSError) as error:
            self.warnings.append(str(error))
            if writer.passages == first:
                return None
            title = item.title or Path(item.path).name
        if sample is not None:
            language = sample.guess() or ""
        return title, author, language

    def _check_cancel(self) -> None:
        """Raise ``BuildCancelled`` when the caller asks to stop."""
        if self.should_cancel is not None and self.should_cancel():
            raise BuildCancelled

    def _report(self, done: int, finished: bool = False) -> None:
        """Tell the caller how far the build has got."""
        if self.progress is not None and self.writer is not None:
            self.progress(
                BuildProgress(done, len(self.wanted), self.writer.passages, self.reused, finished)
            )


def _open_writer(target: Path, use_cache: bool) -> tuple[IndexWriter, bool]:
    """A writer for ``target``; in the temp folder when the cache folder is unusable."""
    try:
        return IndexWriter(target), use_cache
    except OSError:
        if not use_cache:
            raise
        return IndexWriter(Path(tempfile.gettempdir()) / target.name), False


def _copy_document(
    writer: IndexWriter, old: IndexData, source: DocEntry, number: int
) -> tuple[str, str, str]:
    """Copy a document's passages from the old index as document ``number``; its details."""
    for passage in range(source.first, source.end):
        writer.add_passage(
            number, old.first_line[passage], old.last_line[passage], old.text(passage)
        )
    return source.title, source.author, source.language
