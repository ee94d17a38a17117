"""Remembered document descriptions, so the library and ``list`` need not re-read every head.

One JSON file in the cache folder (``paths.cache_dir()``) maps each document's
absolute path to its description (every field of ``models.Document``) and the
file's size, modification time (ns) and inode when it was described.  An entry
is used only while all three still match what the folder walk saw: a touched,
edited, replaced or deleted file is described again.

The file is a cache: written atomically (``storage.py``) after a scan that
changed something, never trusted blindly.  A file that is not ours, of another
version, describes other fields, or is corrupt is ignored (and replaced on the
next save); an entry whose values have the wrong types is a miss.  Two
processes saving at once may lose one's new entries (the last write wins), which
costs only a re-read next time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import types
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tuireader.core import paths
from tuireader.core.entryfile import entries_text, read_entries
from tuireader.core.models import Document
from tuireader.core.storage import atomic_write_text
from tuireader.core.walk import FoundFile

FORMAT = "tuireader-metadata-cache"
VERSION = 1
FILE_NAME = "library-metadata.json"
MAX_ENTRIES = 200_000
"""Entries kept at most; past this, those not seen in the latest scan are dropped."""
MAX_FILE_BYTES = 256 * 1024 * 1024
"""A bigger cache file is not read (it is not one of ours)."""

_FIELDS: tuple[dataclasses.Field[Any], ...] = tuple(
    field for field in dataclasses.fields(Document) if field.name != "path"
)
FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in _FIELDS)
"""The fields stored per document, in order (the path is the entry's key)."""
_HINTS = typing.get_type_hints(Document)
# Entries are turned back into documents positionally: the path must come first.
assert dataclasses.fields(Document)[0].name == "path"
_STAMP = 3
"""Entries are ``[size, mtime_ns, inode, *fields]``."""


def _header() -> dict[str, Any]:
    """What names a file as this cache, of this version and these fields."""
    return {"format": FORMAT, "version": VERSION, "fields": list(FIELD_NAMES)}


def cache_file() -> Path:
    """Where the metadata cache lives."""
    return paths.cache_dir() / FILE_NAME


def _json_types(hint: Any) -> frozenset[type]:
    """The types a JSON value may have to fit a ``Document`` field's type hint.

    JSON gives exactly ``str``, ``int``, ``float``, ``bool``, ``None``, ``list`` and
    ``dict`` (with string keys), so checking ``type(value)`` against this set is exact.
    """
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return frozenset().union(*(_json_types(arg) for arg in typing.get_args(hint)))
    if hint is float:
        return frozenset({float, int})
    if origin is dict or hint is dict:
        return frozenset({dict})
    if hint in (str, int, bool, type(None)):
        return frozenset({hint})
    return frozenset()  # a field JSON cannot hold: every entry is a miss


_ALLOWED: tuple[frozenset[type], ...] = tuple(_json_types(_HINTS[field.name]) for field in _FIELDS)


def _json_safe(value: object) -> bool:
    """Whether a value survives a JSON round trip unchanged (scalars, str-keyed dicts of them)."""
    if value is None or isinstance(value, str | bool | int):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, dict):  # ``extra``: front-matter scalars by name
        return all(isinstance(key, str) and _json_safe(item) for key, item in value.items())
    return False


class MetadataCache:
    """Document descriptions keyed by path, valid while size, mtime and inode match."""

    def __init__(self, path: Path | None = None) -> None:
        """Read the cache at ``path`` (default: ``cache_file()``); unusable means empty."""
        self.path = cache_file() if path is None else Path(path)
        self.entries: dict[str, list[Any]] = self._read()
        self.seen: set[str] = set()
        self.changed = False
        self.hits = 0
        self.misses = 0

    def _read(self) -> dict[str, list[Any]]:
        """The stored entries, or none when the file is absent, foreign, old or corrupt."""
        return read_entries(self.path, _header(), MAX_FILE_BYTES)

    def get(self, found: FoundFile) -> Document | None:
        """The remembered description of a file, if it has not changed since."""
        self.seen.add(found.path)
        row = self.entries.get(found.path)
        if (
            not isinstance(row, list)
            or len(row) != _STAMP + len(_FIELDS)
            or row[0] != found.size
            or row[1] != found.mtime_ns
            or row[2] != found.key[1]
        ):
            self.misses += 1
            return None
        values = row[_STAMP:]
        if not all(map(frozenset.__contains__, _ALLOWED, map(type, values))):
            self.misses += 1  # a value of the wrong type (checked in C: 10,000 rows a listing)
            return None
        self.hits += 1
        # Positional: a third quicker than keywords for 10,000 rows.
        return Document(Path(found.path), *values)

    def put(self, found: FoundFile, document: Document) -> None:
        """Remember a fresh description of a file (skipped if it cannot be stored as JSON)."""
        self.seen.add(found.path)
        values = [getattr(document, field.name) for field in _FIELDS]
        if not all(_json_safe(value) for value in values):
            return
        self.entries[found.path] = [found.size, found.mtime_ns, found.key[1], *values]
        self.changed = True

    def forget_missing(self, scanned: Iterable[str]) -> None:
        """Drop entries under the scanned folders that the walk no longer found."""
        prefixes = tuple(os.path.join(folder, "") for folder in scanned)
        gone = [key for key in self.entries if key.startswith(prefixes) and key not in self.seen]
        for key in gone:
            del self.entries[key]
        self.changed = self.changed or bool(gone)

    def save(self) -> None:
        """Write the cache atomically if anything changed; a failure only costs speed."""
        if not self.changed:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            entries = {key: row for key, row in entries.items() if key in self.seen}
        text = entries_text(_header(), entries)
        try:
            with _locked(Path(f"{self.path}.lock")):
                atomic_write_text(self.path, text)
        except OSError:
            return
        self.changed = False


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (``flock``; a plain pass where there is none)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows has no flock; the atomic write keeps it whole
        yield
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
