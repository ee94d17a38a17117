"""Find documents in files and folders and describe them from their heads.

The walk (``core/walk.py``) expands the given paths into document files once
each; each file's format (``formats/registry.py``) describes it, reading only
its head, so a folder of 10,000 documents lists without reading their bodies.
Problems become warnings; nothing here raises for bad input.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.core.formats.registry import format_of
from tuireader.core.models import Document
from tuireader.core.textload import DocumentError
from tuireader.core.walk import FileKey, FoundFile, WarningSink, walk_documents

if TYPE_CHECKING:
    from tuireader.core.metadata_cache import MetadataCache


def describe(path: Path | str) -> Document:
    """Describe one file with its format; raises ``DocumentError`` if unusable."""
    path = Path(path)
    fmt = format_of(path)
    info = fmt.read_metadata(path)
    return Document(
        path=path,
        title=info.title,
        date=info.date,
        category=info.category,
        words=info.words,
        size=info.size,
        mtime=info.mtime,
        words_estimated=info.words_estimated,
        extra=info.extra,
        format=fmt.name,
        markdown=fmt.markdown,
    )


@dataclass
class LibraryScan:
    """The outcome of scanning some paths: documents, warnings, and what was usable."""

    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    usable_paths: int = 0
    """How many of the given paths existed and could be read (files or folders)."""


def _describe_or_error(path: str) -> Document | str:
    """Describe a file, or say in one line why it cannot be."""
    try:
        return describe(path)
    except DocumentError as error:
        return str(error)


def _describe_chunk(paths: list[str]) -> list[Document | str]:
    """Describe a chunk of files (run in a worker process for large libraries)."""
    return [_describe_or_error(path) for path in paths]


def scan_paths(
    paths: Iterable[Path],
    warn: WarningSink,
    seen: set[FileKey] | None = None,
    cache: MetadataCache | None = None,
) -> Iterator[Document]:
    """Yield the documents of files and folders, once each, warning about every problem.

    With a ``cache``, unchanged files are not read again; it is saved when the walk ends.
    """
    givens = [Path(given).expanduser() for given in paths]
    for found in walk_documents(givens, warn, seen):
        cached = cache.get(found) if cache is not None else None
        if cached is not None:
            yield cached
            continue
        outcome = _describe_or_error(found.path)
        if isinstance(outcome, str):
            warn(outcome)
            continue
        if cache is not None:
            cache.put(found, outcome)
        yield outcome
    if cache is not None:
        _save(cache, givens)


def _save(cache: MetadataCache, givens: list[Path]) -> None:
    """Forget files gone from the scanned folders, then save the cache."""
    cache.forget_missing(os.path.abspath(given) for given in givens if given.is_dir())
    cache.save()


PARALLEL_MIN_FILES = 2000
"""Below this many files a library is described in one process (forking costs more)."""


def _describe_all(files: list[str]) -> list[Document | str]:
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


def _usable(given: Path, described: set[FileKey]) -> bool:
    """Whether a given path is a folder, or a file that was (or is the same as one) described."""
    try:
        info = os.stat(given)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) or (info.st_dev, info.st_ino) in described


def load_library(
    paths: Iterable[Path], cache: MetadataCache | None = None, *, use_cache: bool = False
) -> LibraryScan:
    """Scan paths into a ``LibraryScan``, counting the given paths that were usable.

    The walk comes first (cheap); files the ``cache`` knows unchanged are taken
    from it, the others described, using worker processes for large libraries;
    documents keep the order of the walk.  The cache (``use_cache``: the user's
    own, in the cache folder) is saved at the end.
    """
    if use_cache and cache is None:
        from tuireader.core.metadata_cache import MetadataCache

        cache = MetadataCache()
    result = LibraryScan()
    givens = [Path(given).expanduser() for given in paths]
    found: list[FoundFile] = list(walk_documents(givens, result.warnings.append))
    known = [cache.get(item) if cache is not None else None for item in found]
    unknown = [item.path for item, doc in zip(found, known, strict=True) if doc is None]
    fresh = iter(_describe_all(unknown))
    described: set[FileKey] = set()
    for item, remembered in zip(found, known, strict=True):
        outcome = remembered if remembered is not None else next(fresh)
        if isinstance(outcome, str):
            result.warnings.append(outcome)
            continue
        if remembered is None and cache is not None:
            cache.put(item, outcome)
        described.add(item.key)
        result.documents.append(outcome)
    if cache is not None:
        _save(cache, givens)
    result.usable_paths = sum(1 for given in givens if _usable(given, described))
    return result
