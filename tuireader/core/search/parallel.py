"""Reading documents for the index on several cores: cut, tokenised and inverted in workers.

A worker process takes a run of documents and returns a ``Chunk``: their
passages' texts as one UTF-8 blob with offsets, lines, and a small inverted
index of its own (folded words, and for each the chunk-local numbers of the
passages holding it).  The one writer (``index_file.IndexWriter.add_chunk``)
appends chunks in document order, shifting the local numbers, so the file is
byte for byte the one a single process writes (a test compares them).

Processes are started with ``spawn`` (never ``fork``: the reader's UI has
threads), so this pays only for large builds (``worth_it``).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from tuireader.core import textload
from tuireader.core.formats.registry import format_of
from tuireader.core.library import describe
from tuireader.core.search.grouping import new_inverter
from tuireader.core.search.inverter import Inverter
from tuireader.core.search.passages import Passage
from tuireader.core.search.stemming import LanguageSample, metadata_language

PARALLEL_MIN_BYTES = 24 * 1024 * 1024
"""Below this much text to read, one process is quicker (starting workers costs)."""
CHUNK_BYTES = 4 * 1024 * 1024
"""At least about this much text per chunk of work."""
MAX_CHUNK_BYTES = 32 * 1024 * 1024
"""At most about this much text per chunk of work."""
CHUNKS_PER_WORKER = 4
"""Chunks per worker aimed at: few chunks keep the writer's merge short (its cost is per
word per chunk), several keep the workers evenly busy and progress reported."""
MAX_WORKERS = 8
TAIL_SHARE = 4
"""The last chunks (about one per worker's worth of text) are this many times smaller."""


@dataclass
class Chunk:
    """What a worker made of a run of documents (see the module docstring)."""

    titles: list[str | None] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    """Per document: its author from metadata, or empty."""
    languages: list[str] = field(default_factory=list)
    """Per document: its language (metadata, else guessed from its first passages)."""
    """Per document: its title, or ``None`` when it gave no passage (left out)."""
    counts: list[int] = field(default_factory=list)
    """Per document: how many passages it gave."""
    warnings: list[str] = field(default_factory=list)
    blob: bytearray = field(default_factory=bytearray)
    ends: array[int] = field(default_factory=lambda: array("Q"))
    """End offset in ``blob`` of each passage's text."""
    first_line: array[int] = field(default_factory=lambda: array("I"))
    last_line: array[int] = field(default_factory=lambda: array("I"))
    words: str = ""
    """The folded words, in the order first met, joined by newlines."""
    word_ends: array[int] = field(default_factory=lambda: array("Q"))
    """Per word: the end of its postings in ``postings``."""
    postings: array[int] = field(default_factory=lambda: array("I"))
    """Each word's chunk-local passage numbers (increasing), word after word."""


def worth_it(total_bytes: int, workers: int | None = None) -> bool:
    """Whether reading ``total_bytes`` of documents is worth worker processes."""
    return (workers or usable_cores()) >= 2 and total_bytes >= PARALLEL_MIN_BYTES


def usable_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_chunk(items: list[tuple[str, str | None]]) -> Chunk:
    """Read ``(path, given title)`` documents into a ``Chunk`` (runs in a worker)."""
    chunk = Chunk()
    inverter = new_inverter()
    for path, given in items:
        start = len(chunk.ends)
        title: str | None
        author = language = ""
        sample: LanguageSample | None = None
        try:
            described = describe(Path(path))
            title = given or described.title
            author = document_author(described.extra)
            language = metadata_language(described.extra) or ""
            sample = None if language else LanguageSample()
            found = format_of(path).passages(Path(path))
            if sample is not None:
                for passage in found:
                    _add(chunk, passage.first_line, passage.last_line, passage.text, inverter)
                    sample.add(passage.text)
                    if sample.full:
                        break
            _add_all(chunk, found, inverter)
        except (textload.DocumentError, OSError) as error:
            chunk.warnings.append(str(error))
            title = None if len(chunk.ends) == start else (given or Path(path).name)
        if sample is not None:
            language = sample.guess() or ""
        chunk.titles.append(title)
        chunk.authors.append(author)
        chunk.languages.append(language)
        chunk.counts.append(len(chunk.ends) - start)
    # Flat arrays and one string: quick to send back, unlike thousands of small arrays.
    chunk.words = "\n".join(inverter.words)
    chunk.postings, chunk.word_ends = inverter.flat()
    return chunk


def _add_all(chunk: Chunk, passages: Iterator[Passage], inverter: Inverter) -> None:
    """Append passages as ``_add`` does, with the loop's look-ups done once."""
    blob, ends = chunk.blob, chunk.ends
    first_lines, last_lines = chunk.first_line.append, chunk.last_line.append
    add, end = inverter.add, ends.append
    for passage in passages:
        text = passage.text
        data = text.encode("utf-8", "surrogatepass")
        blob += data
        end(len(blob))
        first_lines(passage.first_line)
        last_lines(passage.last_line)
        add(text, data)


def _add(chunk: Chunk, first: int, last: int, text: str, inverter: Inverter) -> None:
    """Append one passage: its text, lines and words (as ``IndexWriter.add_passage`` does)."""
    data = text.encode("utf-8", "surrogatepass")
    chunk.blob += data
    chunk.ends.append(len(chunk.blob))
    chunk.first_line.append(first)
    chunk.last_line.append(last)
    inverter.add(text, data)


def plan_chunks(
    items: list[tuple[str, str | None, int]],
    chunk_bytes: int | None = None,
    workers: int | None = None,
) -> list[list[tuple[str, str | None]]]:
    """Cut ``(path, title, size)`` documents, in order, into runs of about ``chunk_bytes``.

    By default the size gives each of ``workers`` about ``CHUNKS_PER_WORKER`` chunks,
    within ``CHUNK_BYTES`` and ``MAX_CHUNK_BYTES``.  The runs of the last
    ``workers * chunk_bytes`` bytes are ``TAIL_SHARE`` times smaller.
    """
    total = sum(size for _, _, size in items)
    cores = workers or usable_cores()
    if chunk_bytes is None:
        share = total // (cores * CHUNKS_PER_WORKER)
        chunk_bytes = max(CHUNK_BYTES, min(MAX_CHUNK_BYTES, share))
    # The last chunks smaller: the workers then finish close together.
    tail = cores * chunk_bytes
    runs: list[list[tuple[str, str | None]]] = []
    current: list[tuple[str, str | None]] = []
    size = 0
    for path, title, length in items:
        current.append((path, title))
        size += length
        total -= length
        if size >= (chunk_bytes if total > tail else chunk_bytes // TAIL_SHARE):
            runs.append(current)
            current, size = [], 0
    if current:
        runs.append(current)
    return runs


class ChunkReader:
    """Chunks read by a pool of worker processes, handed out in order, a few ahead."""

    def __init__(self, runs: list[list[tuple[str, str | None]]], workers: int) -> None:
        """Start ``workers`` processes on ``runs`` (at most two per worker in flight)."""
        import multiprocessing

        self.runs = runs
        self.ahead = max(2, workers * 2)
        self.pool = ProcessPoolExecutor(
            min(workers, MAX_WORKERS), mp_context=multiprocessing.get_context("spawn")
        )
        self.pending: list[Future[Chunk]] = []
        self.next_run = 0

    def __iter__(self) -> Iterator[Chunk]:
        """The chunks, in the order of ``runs``."""
        self._fill()
        while self.pending:
            future = self.pending.pop(0)
            try:
                chunk = future.result()
            except BrokenProcessPool:
                # Workers could not start or died (no /dev/shm, killed...): read here instead.
                yield from self._in_process(self.next_run - len(self.pending) - 1)
                return
            self._fill()
            yield chunk

    def _in_process(self, first: int) -> Iterator[Chunk]:
        """Read runs from ``first`` on in this process (the pool is given up)."""
        self.pending.clear()
        self.next_run = len(self.runs)
        self.pool.shutdown(wait=False, cancel_futures=True)
        for run in self.runs[first:]:
            yield read_chunk(run)

    def _fill(self) -> None:
        """Keep ``ahead`` chunks submitted."""
        while len(self.pending) < self.ahead and self.next_run < len(self.runs):
            self.pending.append(self.pool.submit(read_chunk, self.runs[self.next_run]))
            self.next_run += 1

    def close(self) -> None:
        """Stop the workers, dropping work not started."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def document_author(extra: dict[str, object]) -> str:
    """The author named by a document's metadata fields, or empty."""
    for key in ("author", "authors", "creator", "by"):
        value = extra.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""
