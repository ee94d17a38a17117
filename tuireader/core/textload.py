"""Read document bytes safely and decode them into clean text.

Files are opened only after ``stat`` says they are regular files (FIFOs,
sockets and devices are never opened), with ``O_NONBLOCK`` and a second
``fstat`` check so a swapped path cannot make us hang.  Decoding handles UTF-8
with or without BOM, UTF-16/32 with BOM, and detects other encodings with
charset-normalizer; undecodable bytes become U+FFFD, never an exception.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from tuireader.core.sanitize import (
    clean_text,
    normalise_newlines,
    strip_control,
    utf8_needs_cleaning,
)

HEAD_BYTES = 16384
"""How much of a file the reader side reads at once for sniffing."""
LISTING_HEAD_BYTES = 4096
"""How much of a file listing reads: enough for front matter, headings and a word-count sample."""
LISTING_WHOLE_BYTES = 16384
"""Files up to this size are read whole when listing, so their word counts are exact."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Bytes that plain text contains: printable ASCII, tab, LF, CR, FF, ESC and all high bytes.
_TEXT_BYTES = bytes({7, 8, 9, 10, 12, 13, 27} | set(range(0x20, 0x100)) - {0x7F})


class DocumentError(Exception):
    """A file that cannot be read as a document; the message is one line for the user."""


class BinaryFileError(DocumentError):
    """The file looks binary, not like text."""


def open_regular(path: Path | str) -> int:
    """Open ``path`` for reading only if it is a regular file; return the descriptor."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file or directory") from None
    except OSError as error:
        raise DocumentError(f"{path}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(f"{path}: not a regular file ({file_kind(info.st_mode)})")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise DocumentError(f"{path}: {error.strerror or error}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DocumentError(f"{path}: not a regular file")
    return fd


def file_kind(mode: int) -> str:
    """Name a non-regular file type for messages."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "special file"


def read_head(
    path: Path | str, size: int = HEAD_BYTES, whole_below: int = 0
) -> tuple[bytes, os.stat_result]:
    """Read up to ``size`` bytes from the start of a regular file, with its stat.

    A file no larger than ``whole_below`` bytes is read whole.
    """
    fd = open_regular(path)
    try:
        info = os.fstat(fd)
        data = os.read(fd, info.st_size if 0 < info.st_size <= whole_below else size)
    except OSError as error:
        raise DocumentError(f"{path}: {error.strerror or error}") from None
    finally:
        os.close(fd)
    return data, info


def read_all(path: Path) -> bytes:
    """Read a whole regular file."""
    fd = open_regular(path)
    try:
        with os.fdopen(fd, "rb", closefd=True) as handle:
            return handle.read()
    except OSError as error:
        raise DocumentError(f"{path}: {error.strerror or error}") from None


def bom_encoding(data: bytes) -> tuple[str | None, int]:
    """Return the encoding named by a byte-order mark and the mark's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def looks_binary(data: bytes) -> bool:
    """Guess whether a file head is binary: NUL bytes or many control bytes."""
    if not data:
        return False
    encoding, _ = bom_encoding(data)
    if encoding is not None and encoding != "utf-8":
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    odd = len(sample.translate(None, _TEXT_BYTES))
    return odd / len(sample) > 0.10


def detect_encoding(data: bytes, truncated: bool = False) -> str:
    """Pick the encoding of ``data``: BOM, then UTF-8, then charset-normalizer's guess."""
    encoding, _ = bom_encoding(data)
    if encoding is not None:
        # The BOM-aware codecs drop the mark while decoding.
        return {"utf-8": "utf-8-sig"}.get(encoding, encoding[:6])
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # A head read may cut a multi-byte character in two at its end.
        if truncated and error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:65536]))
    if not matches:
        return "utf-8"
    best = matches[0]
    # Western text is by far the most common legacy case, and charset-normalizer
    # often ranks a Baltic or Central European code page first for it: prefer
    # cp1252 when it is (nearly) as plausible.
    for match in matches:
        if (
            match.encoding == "cp1252"
            and match.chaos <= best.chaos + 0.1
            and match.coherence >= best.coherence - 0.05
        ):
            return "cp1252"
    return best.encoding


def decode(data: bytes, truncated: bool = False) -> str:
    """Decode bytes to clean text (newlines normalised, control sequences stripped)."""
    encoding = detect_encoding(data, truncated=truncated)
    text = data.decode(encoding, errors="replace")
    if encoding == "utf-8" and not utf8_needs_cleaning(data):
        # The common case, checked on the bytes, which is far cheaper than on the text.
        return normalise_newlines(text)
    return clean_text(text)


def load_text(path: Path) -> str:
    """Read and decode a whole document; raises ``DocumentError`` for unusable files."""
    data = read_all(path)
    if looks_binary(data[:8192]):
        raise BinaryFileError(f"{path}: binary file skipped")
    return decode(data)


def iter_lines(path: Path) -> Iterator[str]:
    """Stream a document's clean lines (without newlines), holding one line at a time."""
    head, _ = read_head(path, 65536)
    if looks_binary(head[:8192]):
        raise BinaryFileError(f"{path}: binary file skipped")
    encoding = detect_encoding(head, truncated=True)
    fd = open_regular(path)
    raw = os.fdopen(fd, "rb", closefd=True)
    with io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None) as text:
        for line in text:
            yield strip_control(line.rstrip("\n"))
