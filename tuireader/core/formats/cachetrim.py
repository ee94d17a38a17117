"""Keep the book conversion cache under a size cap, least recently used entries first.

An entry is a ``<key>.md`` and its ``<key>.json`` sidecar (``bookcache.py``);
using an entry touches its sidecar, so the sidecar's mtime is when it was last
used.  Trimming removes whole entries, oldest used first, until the folder is
under the cap.  It never removes what another process may be writing: files
whose names start with a dot (growing ``.partial`` conversions, atomic-write
temp files, the lock) are left alone unless they are older than a day (the
leftovers of a crash), nor an entry used or written in the last minute (its
writer may still be adding the sidecar).  One process trims at a time (a file
lock, not waited for); a reader holding a removed entry open keeps reading it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LIMIT_BYTES = 300 * 1024 * 1024
"""The cap on the cache folder's size."""
RECENT_SECONDS = 60.0
"""Entries used or written this recently are never removed."""
STALE_SECONDS = 24 * 3600.0
"""Dot files (partial conversions, temp files) older than this are crash leftovers."""
LOCK_NAME = ".trim.lock"


@dataclass(slots=True)
class _Entry:
    """The files of one cache entry, their total size and when it was last used."""

    files: list[Path] = field(default_factory=list)
    size: int = 0
    used: float = 0.0


def touch(sidecar: Path) -> None:
    """Mark the entry whose sidecar this is as used now (best effort)."""
    with contextlib.suppress(OSError):
        os.utime(sidecar)


def trim(folder: Path, limit: int = LIMIT_BYTES, *, keep: str = "") -> int:
    """Remove least recently used entries until ``folder`` is under ``limit`` bytes.

    ``keep`` names an entry (its file stem) never to remove.  Returns the size
    left.  When another process is trimming, returns the size without waiting.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock: the age rules alone keep writers safe
        return _trim(folder, limit, keep)
    try:
        handle = open(folder / LOCK_NAME, "a")  # noqa: SIM115 - held for the whole trim
    except OSError:
        return 0
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return 0  # another process is trimming right now
        try:
            return _trim(folder, limit, keep)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _trim(folder: Path, limit: int, keep: str) -> int:
    """Measure the folder and remove entries, oldest used first; return the size left."""
    now = time.time()
    entries: dict[str, _Entry] = {}
    total = 0
    try:
        listing = list(os.scandir(folder))
    except OSError:
        return 0
    for item in listing:
        try:
            info = item.stat(follow_symlinks=False)
        except OSError:
            continue
        if item.name.startswith("."):
            if item.name != LOCK_NAME and now - info.st_mtime > STALE_SECONDS:
                with contextlib.suppress(OSError):
                    os.unlink(item.path)
                    continue
            total += info.st_size
            continue
        total += info.st_size
        stem, _, _ = item.name.rpartition(".")
        entry = entries.setdefault(stem or item.name, _Entry())
        entry.files.append(Path(item.path))
        entry.size += info.st_size
        entry.used = max(entry.used, info.st_mtime)
    for stem, entry in sorted(entries.items(), key=lambda pair: pair[1].used):
        if total <= limit:
            break
        if stem == keep or now - entry.used < RECENT_SECONDS:
            continue
        for path in entry.files:
            with contextlib.suppress(OSError):
                path.unlink()
        total -= entry.size
    return total


class Budget:
    """A process's running estimate of the cache's size, to trim only when it may be over.

    The first conversion measures the folder; later ones add what they wrote,
    and the folder is measured (and trimmed) again only when the estimate
    passes the cap, so converting a thousand pages does not list the folder a
    thousand times.
    """

    def __init__(self, limit: int = LIMIT_BYTES) -> None:
        """A budget of ``limit`` bytes, not measured yet."""
        self.limit = limit
        self._used: int | None = None
        self._lock = threading.Lock()

    def wrote(self, folder: Path, size: int, keep: str) -> None:
        """An entry of ``size`` bytes was written: trim if the folder may be over the cap."""
        with self._lock:
            if self._used is not None and self._used + size <= self.limit:
                self._used += size
                return
            self._used = trim(folder, self.limit, keep=keep)


budget = Budget()
"""The budget of this process's conversions."""
