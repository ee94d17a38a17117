"""Read the members of an EPUB's zip archive in memory, safely.

Nothing is ever extracted to disk.  Member names that climb out of the archive
(``../``) or are absolute make the whole book refused: no honest tool writes
them.  Every read is streamed through the decompressor and capped, so a zip
bomb (a member whose real size or compression ratio is absurd, whatever its
header claims) costs at most the cap in memory and stops with a clear error.

Lookups are forgiving the way calibre is: a book zipped one folder too high
(everything under one top folder) is read from inside that folder, and a name
that does not match exactly is tried URL-unescaped and then case-insensitively.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from urllib.parse import unquote

from tuireader.core.textload import DocumentError, open_regular

MAX_MEMBER_BYTES = 32 * 1024 * 1024
"""Largest uncompressed member read (a chapter, the OPF); larger ones are refused."""
MAX_RATIO = 200
"""Largest uncompressed/compressed ratio accepted for members over ``RATIO_FLOOR``."""
RATIO_FLOOR = 4 * 1024 * 1024
"""Members smaller than this are never judged by their ratio."""
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
"""Largest total uncompressed size a book may declare."""
MAX_MEMBERS = 100_000
"""Most members a book may have."""
READ_CHUNK = 256 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")


class BookError(DocumentError):
    """A book that cannot be opened; the message names the file and the problem."""


class MemberError(Exception):
    """One member cannot be read (missing, too big, corrupt); the book may still open."""


def unsafe_name(name: str) -> bool:
    """Whether a member name is absolute or climbs out of the archive."""
    clean = name.replace("\\", "/")
    if clean.startswith("/") or _DRIVE.match(clean):
        return True
    return ".." in clean.split("/")


class SafeZip:
    """An EPUB archive opened for capped, in-memory reads of its members."""

    def __init__(self, path: Path) -> None:
        """Open ``path`` as a zip; raises ``BookError`` when it is not a usable archive."""
        self.path = Path(path)
        fd = open_regular(self.path)
        self._handle = os.fdopen(fd, "rb")
        try:
            self._zip = zipfile.ZipFile(self._handle)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            self._handle.close()
            raise BookError(f"{self.path}: not an EPUB (not a zip archive: {error})") from None
        try:
            self._infos = self._check_members()
        except BookError:
            self.close()
            raise
        self.prefix = self._find_prefix()
        self._lower = {name.lower(): name for name in self._infos}

    def _check_members(self) -> dict[str, zipfile.ZipInfo]:
        """Index the members by name, refusing unsafe names and absurd totals."""
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BookError(f"{self.path}: too many members in the archive ({len(infos):,})")
        total = 0
        found: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if unsafe_name(info.filename):
                raise BookError(
                    f"{self.path}: unsafe member name {info.filename!r} in the archive (refused)"
                )
            total += info.file_size
            if not info.is_dir():
                found[info.filename] = info
        if total > MAX_TOTAL_BYTES:
            raise BookError(f"{self.path}: archive claims {total:,} bytes uncompressed (refused)")
        return found

    def _find_prefix(self) -> str:
        """The top folder to read from when the book was zipped one folder too high."""
        if "META-INF/container.xml" in self._infos:
            return ""
        tops = {name.split("/", 1)[0] for name in self._infos if "/" in name}
        for top in sorted(tops):
            if f"{top}/META-INF/container.xml" in self._infos:
                return top + "/"
        return ""

    def close(self) -> None:
        """Close the archive and the file."""
        self._zip.close()
        self._handle.close()

    def __enter__(self) -> SafeZip:
        """Use as a context manager."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close on leaving the block."""
        self.close()

    def names(self) -> list[str]:
        """Member names as the book sees them (under the top folder, if any)."""
        size = len(self.prefix)
        return [name[size:] for name in self._infos if name.startswith(self.prefix)]

    def resolve(self, name: str) -> str | None:
        """The archive member for a book path, tried exact, unescaped, then by case."""
        name = name.lstrip("/")
        for candidate in (name, unquote(name)):
            if not candidate:
                continue
            clean = posixpath.normpath(candidate)
            if clean.startswith("../") or clean == "..":
                return None
            full = self.prefix + clean
            if full in self._infos:
                return full
            lowered = self._lower.get(full.lower())
            if lowered is not None:
                return lowered
        return None

    def exists(self, name: str) -> bool:
        """Whether the book has a member at this path."""
        return self.resolve(name) is not None

    def size(self, name: str) -> int:
        """The uncompressed size a member declares (0 if missing)."""
        full = self.resolve(name)
        return self._infos[full].file_size if full is not None else 0

    def read(self, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        """Read a member whole, capped; raises ``MemberError`` with a short reason."""
        full = self.resolve(name)
        if full is None:
            raise MemberError(f"{name!r} is missing from the book")
        info = self._infos[full]
        if info.file_size > limit:
            raise MemberError(f"{name!r} is too large ({info.file_size:,} bytes)")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise MemberError(f"{name!r} has an absurd compression ratio (zip bomb?)")
        return self._stream(full, name, limit)

    def _stream(self, full: str, name: str, limit: int) -> bytes:
        """Decompress a member chunk by chunk, stopping as soon as it passes the cap."""
        info = self._infos[full]
        parts: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(READ_CHUNK):
                    size += len(chunk)
                    if size > limit or (
                        size > RATIO_FLOOR and size > MAX_RATIO * max(1, info.compress_size)
                    ):
                        raise MemberError(f"{name!r} inflates past its limit (zip bomb?)")
                    parts.append(chunk)
        except MemberError:
            raise
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
            raise MemberError(f"{name!r} is corrupt ({error})") from None
        except NotImplementedError as error:
            raise MemberError(f"{name!r} uses an unsupported compression ({error})") from None
        except RuntimeError:  # zipfile's refusal of an encrypted member (its text shows a repr)
            raise MemberError(f"{name!r} is encrypted and cannot be read") from None
        return b"".join(parts)
