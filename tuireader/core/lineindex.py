"""A line-offset index of a document file, built incrementally (like toolong).

``LineIndex.scan()`` runs in a worker thread and records where every line
starts; the reader asks for single lines with ``read_line(n)`` (``os.pread``,
decoded and cleaned per line), so a 100 MB file never sits in memory and the
first lines are readable after the first chunk.  Files in encodings where a
newline is not the byte ``0x0a`` (UTF-16, UTF-32) are decoded whole instead.

Markdown's block structure (headings, code blocks) is not this module's
business: ``formats/blocks.py`` parses it lazily from the lines.

Line numbers here are 0-based indexes; the UI shows them 1-based.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import threading
import time
from array import array
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

from tuireader.core.sanitize import strip_control
from tuireader.core.textload import (
    DocumentError,
    bom_encoding,
    check_text,
    detect_encoding,
    load_text,
    looks_binary,
    open_regular,
)

FIRST_CHUNK = 256 * 1024
CHUNK = 2 * 1024 * 1024
MAX_LINE_BYTES = 128 * 1024
"""Longest line piece read for display; the rest of a longer line is summarised."""

_INCR = (1).__add__


def _byte_newlines(encoding: str) -> bool:
    """Whether lines of this encoding are split by the single byte ``0x0a``."""
    name = codecs.lookup(encoding).name
    return not (name.startswith("utf-16") or name.startswith("utf-32"))


class LineIndex:
    """Start offsets of the lines of one file; thread-safe for one scanner and many readers."""

    def __init__(self, path: Path, *, markdown: bool = False) -> None:
        """Open ``path`` and prepare to scan it; raises ``DocumentError`` if unusable."""
        self.path = Path(path)
        self.markdown = markdown
        self._fd = open_regular(self.path)
        try:
            head = os.pread(self._fd, 65536, 0)
            self.size = os.fstat(self._fd).st_size
        except OSError as error:
            os.close(self._fd)
            raise DocumentError(f"{path}: {error.strerror or error}") from None
        if looks_binary(head):
            os.close(self._fd)
            check_text(path, head)
        self.encoding = detect_encoding(head, truncated=self.size > len(head))
        _, bom = bom_encoding(head)
        self._lock = threading.Lock()
        self._memory: list[str] | None = None
        self._starts = array("q", [bom])
        self._scanned = bom
        self.done = False
        self._needs_memory = not _byte_newlines(self.encoding)
        self._head = head[bom:FIRST_CHUNK]

    # ------------------------------------------------------------ scanning

    def scan_head(self) -> None:
        """Record the lines of the file's start, read when it was opened (no more I/O).

        The reader calls this before its first layout, so the first frame knows the
        lines it shows and whether they overflow (its scroll bar); ``scan`` goes on
        from where this stopped.  Does nothing once a scan has begun.
        """
        head, self._head = self._head, b""
        if head and not self._needs_memory and self._scanned == self._starts[0]:
            self._add_chunk(head)  # an unended last line stays unknown until the scan

    def _load_in_memory(self) -> None:
        """Decode a whole file whose newlines are not single bytes (UTF-16/32)."""
        text = load_text(self.path)  # the BOM-aware codecs drop the byte-order mark
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self._memory = lines
        self.done = True

    def scan(
        self,
        on_progress: Callable[[], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        """Index from where the last scan stopped to the current end of the file."""
        if self._needs_memory:
            if self._memory is None:
                self._load_in_memory()
            if on_progress:
                on_progress()
            return
        with contextlib.suppress(OSError):
            self.size = max(self.size, os.fstat(self._fd).st_size)
        self.done = False
        chunk_size = FIRST_CHUNK if self._scanned <= 3 else CHUNK
        while True:
            if cancelled is not None and cancelled():
                return
            try:
                data = os.pread(self._fd, chunk_size, self._scanned)
            except OSError:
                data = b""
            if not data:
                break
            if len(data) == chunk_size:
                # Stop at the last line end so the next chunk starts a line.
                cut = data.rfind(b"\n")
                if cut >= 0:
                    data = data[: cut + 1]
            chunk_size = CHUNK
            self._add_chunk(data)
            if on_progress:
                on_progress()
            time.sleep(0)  # let the UI thread run between chunks
        with contextlib.suppress(OSError):
            self.size = os.fstat(self._fd).st_size
        self.size = max(self.size, self._scanned)
        self.done = True
        if on_progress:
            on_progress()

    def _add_chunk(self, data: bytes) -> None:
        """Record the line starts found in ``data``, which begins at ``self._scanned``."""
        base = self._scanned
        parts = data.split(b"\n")
        if len(parts) > 1:
            starts = array("q", accumulate(map(_INCR, map(len, parts[:-1])), initial=base))
            del starts[0]
            with self._lock:
                self._starts.extend(starts)
        self._scanned = base + len(data)

    def close(self) -> None:
        """Release the file descriptor."""
        with contextlib.suppress(OSError):
            os.close(self._fd)

    # ------------------------------------------------------------ reading

    @property
    def line_count(self) -> int:
        """Number of complete lines known so far (all lines once ``done``)."""
        if self._needs_memory:
            return len(self._memory) if self._memory is not None else 0
        count = len(self._starts)
        if self.done and self._starts[count - 1] < self._scanned:
            return count
        return count - 1

    @property
    def progress(self) -> float:
        """Fraction of the file indexed, 0.0 to 1.0."""
        if self.done or self.size == 0:
            return 1.0
        return min(1.0, self._scanned / self.size)

    def line_bytes(self, line: int) -> tuple[int, int]:
        """Byte range (start, end without the newline) of a 0-based line."""
        starts = self._starts
        start = starts[line]
        end = starts[line + 1] - 1 if line + 1 < len(starts) else self._scanned
        return start, end

    def read_line(self, line: int) -> str:
        """The clean text of a 0-based line ('' outside the file); long lines are cut."""
        if line < 0 or line >= self.line_count:
            return ""
        if self._memory is not None:
            return strip_control(self._memory[line])
        start, end = self.line_bytes(line)
        length = end - start
        try:
            data = os.pread(self._fd, min(length, MAX_LINE_BYTES), start)
        except OSError:
            return ""
        text = data.decode(self.encoding, errors="replace")
        if text.endswith("\r"):
            text = text[:-1]
        text = strip_control(text.replace("\r", ""))
        if length > MAX_LINE_BYTES:
            text += f" … [{length - MAX_LINE_BYTES:,} more bytes on this line not shown]"
        return text
