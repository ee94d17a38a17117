"""The folder walk: expand given files and folders into document files, once each.

One walker for the library and for search.  It never follows a symlink loop
(folders are tracked by device and inode), never opens FIFOs, sockets or
devices, skips hidden entries, and lists a file reachable twice (given twice,
or by a link) once.  In folders only documents are taken (the format registry
decides); a file given by name is taken whatever its name.  Problems become
warnings through a callback; nothing here raises for bad input.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from tuireader.core.formats.registry import is_document
from tuireader.core.textload import file_kind

WarningSink = Callable[[str], None]
BROKEN_LINK = "broken link"
"""The kind a dangling symlink is counted as among the skipped files."""
FileKey = tuple[int, int]
"""(device, inode): what makes two paths the same file."""


class FoundFile(NamedTuple):
    """A regular file to read, as the walk found it (a named tuple: made 10,000 times a walk)."""

    path: str
    """Absolute path (as given or found, symlinks not resolved)."""
    size: int
    """Size in bytes."""
    mtime_ns: int
    """Modification time in nanoseconds."""
    key: FileKey
    """(device, inode) of the file."""
    source: int
    """Index of the given path (file or folder) it was found under."""


def walk_documents(
    paths: Iterable[Path | str], warn: WarningSink, seen: set[FileKey] | None = None
) -> Iterator[FoundFile]:
    """Yield the regular document files of ``paths`` (files and folders), once each.

    ``seen`` (device, inode keys) may be shared between calls to skip files
    already found.
    """
    seen = set() if seen is None else seen
    for source, given in enumerate(paths):
        given_path = Path(given).expanduser()
        try:
            info = os.stat(given_path)
        except FileNotFoundError:
            warn(f"{given_path}: no such file or directory")
            continue
        except OSError as error:
            warn(f"{given_path}: {error.strerror or error}")
            continue
        if stat.S_ISDIR(info.st_mode):
            for path in iter_document_paths(given_path, warn):
                found = _found(path, source, warn)
                if found is not None and found.key not in seen:
                    seen.add(found.key)
                    yield found
            continue
        found = _from_stat(os.path.abspath(given_path), info, source, warn)
        if found is not None and found.key not in seen:
            seen.add(found.key)
            yield found


def _found(path: str, source: int, warn: WarningSink) -> FoundFile | None:
    """Stat a file found in a folder; None (with a warning) if it vanished or is not regular."""
    absolute = os.path.abspath(path)
    try:
        info = os.stat(absolute)
    except OSError as error:
        warn(f"{absolute}: {error.strerror or error}")
        return None
    return _from_stat(absolute, info, source, warn)


def _from_stat(path: str, info: os.stat_result, source: int, warn: WarningSink) -> FoundFile | None:
    """A ``FoundFile`` from a stat result; None (with a warning) if not a regular file."""
    if not stat.S_ISREG(info.st_mode):
        warn(f"{path}: not a regular file ({file_kind(info.st_mode)})")
        return None
    return FoundFile(path, info.st_size, info.st_mtime_ns, (info.st_dev, info.st_ino), source)


def iter_document_paths(root: Path | str, warn: WarningSink) -> Iterator[str]:
    """Yield the document files below a folder, in a stable (sorted) order.

    Files whose names are not documents, and links whose target is missing,
    are skipped and counted in one summary warning at the end.
    """
    skipped: dict[str, int] = {}
    yield from _walk(str(root), warn, skipped)
    if skipped:
        warn(f"{root}: skipped {_skipped_summary(skipped)}")


def _skipped_summary(skipped: dict[str, int]) -> str:
    """``2 files that are not documents (.png 2) and 1 broken link (target missing)``."""
    broken = skipped.pop(BROKEN_LINK, 0)
    parts: list[str] = []
    total = sum(skipped.values())
    if total:
        common = sorted(skipped.items(), key=lambda item: -item[1])[:5]
        kinds = ", ".join(f"{suffix} {count}" for suffix, count in common)
        files = (
            "1 file that is not a document"
            if total == 1
            else f"{total} files that are not documents"
        )
        parts.append(f"{files} ({kinds})")
    if broken:
        links = "1 broken link" if broken == 1 else f"{broken} broken links"
        parts.append(f"{links} (target missing)")
    return " and ".join(parts)


def _walk(root: str, warn: WarningSink, skipped: dict[str, int]) -> Iterator[str]:
    """Depth-first walk yielding document files and counting skipped ones by suffix."""
    seen_dirs: set[FileKey] = set()
    stack: list[str] = [root]
    while stack:
        folder = stack.pop()
        entries = _list_folder(folder, seen_dirs, warn)
        subfolders: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    subfolders.append(entry.path)
                elif entry.is_file():
                    if is_document(entry.name):
                        yield entry.path
                    else:
                        suffix = os.path.splitext(entry.name)[1].lower()
                        skipped[suffix] = skipped.get(suffix, 0) + 1
                elif entry.is_symlink():  # neither file nor folder: its target is missing
                    skipped[BROKEN_LINK] = skipped.get(BROKEN_LINK, 0) + 1
            except OSError as error:
                # A link to itself (ELOOP) or an entry that cannot be examined: said once.
                warn(f"{entry.path}: {error.strerror or error}")
                continue
        stack.extend(reversed(subfolders))


def _list_folder(folder: str, seen_dirs: set[FileKey], warn: WarningSink) -> list[os.DirEntry[str]]:
    """The sorted entries of a folder not seen before (empty, with a warning, if unreadable)."""
    try:
        info = os.stat(folder)
    except OSError as error:
        warn(f"{folder}: {error.strerror or error}")
        return []
    key = (info.st_dev, info.st_ino)
    if key in seen_dirs:
        if os.path.islink(folder):
            warn(f"{folder}: links to a folder already walked (a loop?); skipped")
        return []
    seen_dirs.add(key)
    try:
        with os.scandir(folder) as scan:
            return sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        warn(f"{folder}: {error.strerror or error}")
        return []
