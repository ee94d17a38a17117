"""Find documents in files and folders and describe them from their heads.

Walking never follows a symlink loop (folders are tracked by device and inode),
never opens FIFOs, sockets or devices, skips hidden entries, and reads only the
head of each file, so a folder of 10,000 documents lists without reading their
bodies.  Problems become warnings; nothing here raises for bad input.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tuireader.core.metadata import extract_metadata
from tuireader.core.models import DOCUMENT_SUFFIXES, Document
from tuireader.core.textload import (
    LISTING_HEAD_BYTES,
    LISTING_WHOLE_BYTES,
    DocumentError,
    check_text,
    decode,
    read_head,
)

WarningSink = Callable[[str], None]


def _is_document_name(name: str) -> bool:
    """Whether a file name found in a folder walk looks like a document."""
    suffix = os.path.splitext(name)[1].lower()
    return suffix in DOCUMENT_SUFFIXES or (suffix == "" and not name.startswith("."))


def iter_document_paths(root: Path, warn: WarningSink) -> Iterator[str]:
    """Yield the document files below a folder, in a stable (sorted) order.

    Files whose names do not look like documents are skipped and counted in one
    summary warning at the end.
    """
    skipped: dict[str, int] = {}
    yield from _walk(root, warn, skipped)
    if skipped:
        total = sum(skipped.values())
        common = sorted(skipped.items(), key=lambda item: -item[1])[:5]
        kinds = ", ".join(f"{suffix} {count}" for suffix, count in common)
        warn(f"{root}: skipped {total} files that are not documents ({kinds})")


def _walk(root: Path, warn: WarningSink, skipped: dict[str, int]) -> Iterator[str]:
    """Depth-first walk yielding document files and counting skipped ones by suffix."""
    seen_dirs: set[tuple[int, int]] = set()
    stack: list[str] = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as error:
            warn(f"{folder}: {error.strerror or error}")
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            continue
        seen_dirs.add(key)
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            warn(f"{folder}: {error.strerror or error}")
            continue
        subfolders: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    subfolders.append(entry.path)
                elif entry.is_file():
                    if _is_document_name(entry.name):
                        yield entry.path
                    else:
                        suffix = os.path.splitext(entry.name)[1].lower()
                        skipped[suffix] = skipped.get(suffix, 0) + 1
            except OSError:
                continue
        stack.extend(reversed(subfolders))


def describe(path: Path | str) -> Document:
    """Describe one file from its head; raises ``DocumentError`` if unusable."""
    head, info = read_head(path, LISTING_HEAD_BYTES, whole_below=LISTING_WHOLE_BYTES)
    check_text(path, head)
    truncated = info.st_size > len(head)
    if truncated:
        # Cut at the last newline so no word or character is counted in half.
        cut = head.rfind(b"\n")
        if cut > 0:
            head = head[: cut + 1]
    path = Path(path)
    text = decode(head, truncated=truncated)
    meta = extract_metadata(text, path)
    # Splitting bytes is much cheaper; it misses only non-ASCII spaces between words.
    words = len(head.split())
    if truncated and head:
        words = round(words * info.st_size / len(head))
    return Document(
        path=path,
        title=meta.title or path.name,
        date=meta.date,
        category=meta.category,
        words=words,
        size=info.st_size,
        mtime=info.st_mtime,
        words_estimated=truncated,
        extra=meta.extra,
    )


@dataclass
class LibraryScan:
    """The outcome of scanning some paths: documents, warnings, and what was usable."""

    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    usable_paths: int = 0
    """How many of the given paths existed and could be read (files or folders)."""


def _candidates(given: Path, warn: WarningSink) -> Iterable[str] | None:
    """The files to describe for one given path; None (with a warning) if it is unusable."""
    try:
        info = os.stat(given)
    except FileNotFoundError:
        warn(f"{given}: no such file or directory")
        return None
    except OSError as error:
        warn(f"{given}: {error.strerror or error}")
        return None
    if stat.S_ISDIR(info.st_mode):
        return iter_document_paths(given, warn)
    return [str(given)]


def _describe_keyed(path: str) -> tuple[tuple[int, int], Document | str]:
    """Describe a file, returning its (device, inode) key and the document or an error."""
    absolute = os.path.abspath(path)
    try:
        info = os.stat(absolute)
    except OSError as error:
        return (0, 0), f"{absolute}: {error.strerror or error}"
    key = (info.st_dev, info.st_ino)
    try:
        return key, describe(absolute)
    except DocumentError as error:
        return key, str(error)


def _describe_chunk(paths: list[str]) -> list[tuple[tuple[int, int], Document | str]]:
    """Describe a chunk of files (run in a worker process for large libraries)."""
    return [_describe_keyed(path) for path in paths]


def scan_paths(
    paths: Iterable[Path], warn: WarningSink, seen: set[tuple[int, int]] | None = None
) -> Iterator[Document]:
    """Yield the documents of files and folders, once each, warning about every problem."""
    seen = set() if seen is None else seen
    for given in paths:
        candidates = _candidates(Path(given).expanduser(), warn)
        for path in candidates or ():
            key, outcome = _describe_keyed(path)
            if key in seen:
                continue
            if isinstance(outcome, str):
                warn(outcome)
                continue
            seen.add(key)
            yield outcome


PARALLEL_MIN_FILES = 2000
"""Below this many files a library is described in one process (forking costs more)."""


def _describe_all(files: list[str]) -> list[tuple[tuple[int, int], Document | str]]:
    """Describe many files, in worker processes when there are many and cores to spare."""
    workers = min(os.cpu_count() or 1, 4)
    if len(files) < PARALLEL_MIN_FILES or workers < 2:
        return _describe_chunk(files)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(files) // (workers * 4))
    chunks = [files[start : start + size] for start in range(0, len(files), size)]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return [item for chunk in pool.map(_describe_chunk, chunks) for item in chunk]
    except (OSError, RuntimeError):
        return _describe_chunk(files)


def load_library(paths: Iterable[Path]) -> LibraryScan:
    """Scan paths into a ``LibraryScan``, counting the given paths that were usable.

    Folder walks come first (cheap), then every file is described, using worker
    processes for large libraries; documents keep the order of the walk.
    """
    result = LibraryScan()
    givens = [Path(given).expanduser() for given in paths]
    owners: list[int] = []
    files: list[str] = []
    for number, given in enumerate(givens):
        for path in _candidates(given, result.warnings.append) or ():
            files.append(path)
            owners.append(number)
    found = [0] * len(givens)
    seen: set[tuple[int, int]] = set()
    for owner, (key, outcome) in zip(owners, _describe_all(files), strict=True):
        if key in seen:
            found[owner] += 1
            continue
        if isinstance(outcome, str):
            result.warnings.append(outcome)
            continue
        seen.add(key)
        found[owner] += 1
        result.documents.append(outcome)
    result.usable_paths = sum(
        1 for number, given in enumerate(givens) if found[number] or given.is_dir()
    )
    return result
