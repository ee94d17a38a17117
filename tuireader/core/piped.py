"""Piped standard input (``command | tuireader``): spooled to a private file while it is read.

The text is saved under ``cache_dir()/stdin/<pid>/`` (like ``less``, which reads
the pipe first and the keys from the terminal) and deleted when the reader
quits.  Such a file is not a document one can come back to: it gets no reading
position and no bookmark (``is_piped`` tells).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import BinaryIO

from tuireader.core import paths

SPOOL_NAME = "standard-input.txt"
NOT_BOOKMARKABLE = (
    "piped text cannot be bookmarked: it is deleted when the reader closes. "
    "Save it to a file (command > notes.txt) and open that to keep bookmarks."
)
"""The one-line refusal for a bookmark on piped input."""


def spool_dir() -> Path:
    """The folder of all spooled standard inputs."""
    return paths.cache_dir() / "stdin"


def is_piped(path: Path) -> bool:
    """Whether ``path`` is a spooled standard input (no position, no bookmarks)."""
    try:
        return Path(path).resolve().is_relative_to(spool_dir().resolve())
    except (OSError, RuntimeError):
        return False


def spool(source: BinaryIO) -> Path:
    """Copy ``source`` to this process's spool file and return its path.

    The file is named by its format, told from its content (``standard-input.md``
    for piped Markdown), so the reader renders it as such.
    """
    from tuireader.core.formats.registry import name_by_content

    folder = spool_dir() / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SPOOL_NAME
    with open(target, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    return name_by_content(target)


def discard(path: Path) -> None:
    """Delete a spool file and its folder (quietly: it may be gone already)."""
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()
