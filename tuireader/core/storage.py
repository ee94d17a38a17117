"""Atomic file writes: a temp file in the same folder, fsync, then ``os.replace``.

A crash or a kill at any moment leaves either the old file or the new one,
never a partial file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> os.stat_result:
    """Write ``data`` to ``path`` atomically, creating parent folders as needed.

    Returns the written file's status as it was just before the rename (its
    inode, size and modification time stay; a cache keyed on them can check that
    the file at ``path`` is still the one written).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            written = os.fstat(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)
    return written


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> os.stat_result:
    """Write ``text`` as UTF-8 to ``path`` atomically; the written file's status (see above)."""
    return atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entry table so the rename survives a power cut."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
