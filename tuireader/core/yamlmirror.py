"""Parsed YAML mirrored as JSON in the cache, so start-up reads its files without PyYAML.

config.yaml, state.yaml and the theme files stay YAML, the files users edit;
importing PyYAML and parsing them costs start-up time, though they rarely
change.  A mirror keeps, per YAML file, what ``yamlio.read_yaml_file`` gave for
it, with the file's absolute path, size, modification and change times (ns),
inode and device when it was read.  A read uses the mirror only while all of
these still match the file (an edit, a touch, a replacement even of the same
size, a move or a deletion changes one of them); else the YAML is parsed and
the mirror rewritten.  Only data that JSON holds exactly (string keys, ``str``,
``int``, finite ``float``, ``bool``, ``None``, lists, mappings) is mirrored: a
file holding a date, bytes or a set is always parsed.

One JSON file per role (``config``, ``state``, ``themes``) in
``paths.cache_dir()``, written atomically (``storage.py``).  A mirror that is
corrupt, foreign, of another version or shaped wrongly is ignored and replaced;
two processes writing at once cost at most a parse next time.  Writers that
change a mirrored file (``state.py``, ``config.py``) record what they wrote.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tuireader.core import paths
from tuireader.core.entryfile import entries_text, read_entries
from tuireader.core.storage import atomic_write_text
from tuireader.core.yamlio import MAX_YAML_BYTES, read_yaml_file

FORMAT = "tuireader-yaml-mirror"
VERSION = 1
HEADER = {"format": FORMAT, "version": VERSION}
"""What names a file as a mirror of this version."""
MAX_MIRROR_BYTES = 64 * 1024 * 1024
"""A bigger mirror file is not read (it is not one of ours)."""


def mirror_file(role: str) -> Path:
    """Where the mirror of one role's YAML files lives."""
    return paths.cache_dir() / f"yaml-mirror-{role}.json"


def file_key(status: os.stat_result) -> list[int]:
    """What must stay the same for a mirrored file to count as unchanged."""
    return [
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_ino,
        status.st_dev,
    ]


def json_exact(value: object) -> bool:
    """Whether ``value`` comes back from a JSON round trip equal and of the same types."""
    if value is None or isinstance(value, str | bool | int):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, list):
        return all(json_exact(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and json_exact(item) for key, item in value.items())
    return False


class YamlMirror:
    """The mirror of one role's YAML files: read through it, then ``save()`` what changed."""

    def __init__(self, role: str, path: Path | None = None) -> None:
        """Load the mirror of ``role`` (at ``path``, default ``mirror_file(role)``)."""
        self.path = mirror_file(role) if path is None else Path(path)
        self.entries: dict[str, list[Any]] = self._load()
        self.changed = False
        self.hits = 0
        self.misses = 0

    def _load(self) -> dict[str, list[Any]]:
        """The stored entries, or none when the file is absent, foreign, old or corrupt."""
        return read_entries(self.path, HEADER, MAX_MIRROR_BYTES)

    def read(self, path: Path, max_bytes: int = MAX_YAML_BYTES) -> Any:
        """What ``read_yaml_file(path, max_bytes)`` gives: from the mirror while it matches."""
        name = os.path.abspath(path)
        try:
            before = os.stat(path)
        except OSError:
            return read_yaml_file(path, max_bytes)  # its one-line error
        key = file_key(before)
        entry = self.entries.get(name)
        if (
            before.st_size <= max_bytes
            and isinstance(entry, list)
            and len(entry) == 2
            and entry[0] == key
        ):
            self.hits += 1
            return entry[1]
        self.misses += 1
        data = read_yaml_file(path, max_bytes)
        try:
            unchanged = file_key(os.stat(path)) == key
        except OSError:
            unchanged = False
        if unchanged:  # not changed while it was read: the data is this version's
            self._put(name, key, data)
        return data

    def record(self, path: Path, data: Any, written: os.stat_result) -> None:
        """Remember ``data`` as the content of ``path``, which this process just wrote.

        ``written`` is the status ``storage.atomic_write_*`` returned; nothing is
        remembered unless ``path`` is still that file.
        """
        name = os.path.abspath(path)
        try:
            now = os.stat(path)
        except OSError:
            return
        same = (now.st_ino, now.st_size, now.st_mtime_ns) == (
            written.st_ino,
            written.st_size,
            written.st_mtime_ns,
        )
        if same:
            self._put(name, file_key(now), data)
        elif self.entries.pop(name, None) is not None:
            self.changed = True

    def _put(self, name: str, key: list[int], data: Any) -> None:
        """Store one entry (or drop a stale one if the data cannot be mirrored exactly)."""
        if json_exact(data):
            # A copy: the caller may change the data it was given before ``save()``.
            self.entries[name] = [key, json.loads(json.dumps(data))]
            self.changed = True
        elif self.entries.pop(name, None) is not None:
            self.changed = True

    def save(self) -> None:
        """Write the mirror atomically if anything changed; a failure only costs speed."""
        if not self.changed:
            return
        text = entries_text(HEADER, self.entries)
        try:
            atomic_write_text(self.path, text)
        except OSError:
            return
        self.changed = False


def read_yaml_mirrored(path: Path, role: str, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """``read_yaml_file`` for one file, through the mirror of ``role`` (saved if it changed)."""
    mirror = YamlMirror(role)
    try:
        return mirror.read(path, max_bytes)
    finally:
        mirror.save()
