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
    decode,
    looks_binary,
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
    if looks_binary(head):
        raise DocumentError(f"{path}: binary file skipped")
    truncated = info.st_size > len(head)
    if truncated:
        # Cut at the last newline so no word or character is counted in half.
        cut = head.rfind(b"\n")
        if cut > 0:
            head = head[: cut + 1]
    path = Path(path)
    text = decode(head, truncated=truncated)
    meta = extract_metadata(text, path)
    # Splitting bytes is cheaper, and gives the same count when the text is ASCII.
    words = len(head.split()) if text.isascii() else len(text.split())
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


def scan_paths(
    paths: Iterable[Path], warn: WarningSink, seen: set[tuple[int, int]] | None = None
) -> Iterator[Document]:
    """Yield the documents of files and folders, once each, warning about every problem."""
    seen = set() if seen is None else seen
    for given in paths:
        given = Path(given).expanduser()
        try:
            info = os.stat(given)
        except FileNotFoundError:
            warn(f"{given}: no such file or directory")
            continue
        except OSError as error:
            warn(f"{given}: {error.strerror or error}")
            continue
        if stat.S_ISDIR(info.st_mode):
            candidates: Iterable[str] = iter_document_paths(given, warn)
        else:
            candidates = [str(given)]
        for path in candidates:
            absolute = os.path.abspath(path)
            try:
                file_info = os.stat(absolute)
            except OSError:
                continue
            key = (file_info.st_dev, file_info.st_ino)
            if key in seen:
                continue
            try:
                document = describe(absolute)
            except DocumentError as error:
                warn(str(error))
                continue
            seen.add(key)
            yield document


def _already_seen(path: Path, seen: set[tuple[int, int]]) -> bool:
    """Whether a given path is a folder, or a file already described."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) or (info.st_dev, info.st_ino) in seen


def load_library(paths: Iterable[Path]) -> LibraryScan:
    """Scan paths into a ``LibraryScan``, counting the given paths that were usable."""
    result = LibraryScan()
    seen: set[tuple[int, int]] = set()
    for given in paths:
        found = list(scan_paths([given], result.warnings.append, seen))
        result.documents.extend(found)
        if found or _already_seen(Path(given).expanduser(), seen):
            result.usable_paths += 1
    return result
