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

# Control bytes plain text does not contain: C0 except BEL, BS, tab, LF, VT, FF, CR and ESC
# (coloured logs, ``script`` captures and man pages use those), and DEL.
_ODD_BYTES = bytes(set(range(0x20)) - {7, 8, 9, 10, 11, 12, 13, 27} | {0x7F})
_TEXT_BYTES = bytes(set(range(256)) - set(_ODD_BYTES))
BINARY_SAMPLE = 8192
"""How much of a file's head is judged for binary content."""
MAX_ODD_SHARE = 0.05
"""A head with a larger share of NUL and other odd control bytes is binary (random data: ~10%)."""

_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x7fELF", "an ELF executable"),
    (0, b"\xfe\xed\xfa\xce", "a Mach-O executable"),
    (0, b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
    (0, b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (0, b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (0, b"\xca\xfe\xba\xbe", "a Mach-O or Java class file"),
    (0, b"\x00asm", "a WebAssembly module"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (8, b"WEBP", "a WebP image"),
    (4, b"ftyp", "an MP4/HEIF media file"),
    (0, b"OggS", "an Ogg media file"),
    (0, b"fLaC", "a FLAC audio file"),
    (0, b"%PDF-", "a PDF file"),
    (0, b"PK\x03\x04", "a ZIP archive"),
    (0, b"PK\x05\x06", "a ZIP archive"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"\xfd7zXZ\x00", "an xz archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (4, b"1AY&SY", "a bzip2 archive"),
    (257, b"ustar", "a tar archive"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
)
"""Signatures of executables, images, media, archives and databases: (offset, bytes, kind)."""


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


def binary_reason(data: bytes) -> str | None:
    """Why a file head is binary (``"a PNG image"``, ``"30% control bytes"``), or None for text.

    Text with escape sequences (coloured logs), stray control bytes or a few
    NULs is text; only a known binary signature or a high share of NUL and odd
    control bytes makes a file binary.
    """
    if not data:
        return None
    encoding, _ = bom_encoding(data)
    if encoding is not None and encoding != "utf-8":
        return None
    for offset, magic, kind in _MAGIC:
        if data.startswith(magic, offset):
            return kind
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        return "a Windows executable"
    sample = data[:BINARY_SAMPLE]
    odd = len(sample.translate(None, _TEXT_BYTES))
    if odd > 1 and odd > len(sample) * MAX_ODD_SHARE:
        return f"{max(1, round(100 * odd / len(sample)))}% NUL and control bytes"
    return None


def looks_binary(data: bytes) -> bool:
    """Whether a file head is binary (see ``binary_reason``)."""
    return binary_reason(data) is not None


def check_text(path: Path | str, head: bytes) -> None:
    """Raise ``BinaryFileError`` with a one-line reason when ``head`` is binary."""
    reason = binary_reason(head)
    if reason is not None:
        raise BinaryFileError(f"{path}: binary file skipped ({reason})")


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
    check_text(path, data[:BINARY_SAMPLE])
    return decode(data)


def iter_lines(path: Path) -> Iterator[str]:
    """Stream a document's clean lines (without newlines), holding one line at a time."""
    with _open_text(path) as text:
        for line in text:
            yield strip_control(line.rstrip("\n"))


def iter_text(path: Path, size: int = 1 << 20) -> Iterator[str]:
    """Stream a document's text in pieces of ``size`` characters, newlines normalised.

    The same text ``iter_lines`` cuts into lines, but not cleaned (see
    ``sanitize.strip_control``): the caller cleans it, line by line.
    """
    with _open_text(path) as text:
        while piece := text.read(size):
            yield piece


def _open_text(path: Path) -> io.TextIOWrapper:
    """A document opened as text (its encoding detected, newlines normalised)."""
    head, _ = read_head(path, 65536)
    check_text(path, head[:BINARY_SAMPLE])
    encoding = detect_encoding(head, truncated=True)
    fd = open_regular(path)
    raw = os.fdopen(fd, "rb", closefd=True)
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None)
