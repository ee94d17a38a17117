"""The bookmarks file format: the ``Bookmark`` record and the version-1 schema.

Parsing checks every entry and raises ``BookmarkFileError`` with one line
naming the file and the entry; keys it does not know are kept in
``Bookmark.extra`` (per bookmark) and ``BookmarkFile.top`` (top level) so a
rewrite does not lose them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuireader.core.sanitize import path_fields, path_from_fields, unicode_text
from tuireader.core.textload import DocumentError, open_regular
from tuireader.core.yamlio import MAX_YAML_BYTES, YamlFileError, dump_yaml, parse_yaml

SCHEMA_VERSION = 1
FIELDS = (
    "id",
    "path",
    "path_bytes",
    "title",
    "line",
    "snippet",
    "before",
    "after",
    "copies",
    "fingerprint",
    "note",
    "tags",
    "created",
)
"""Known bookmark keys, in the order they are written."""

_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_ID_LENGTH = 6

_HEADER = (
    "# tuireader bookmarks. Safe to edit by hand (keep it valid YAML); comments are not kept.\n"
    "# Each bookmark: id, path, title, line (1-based), snippet/before/after (the marked line and\n"
    "# its neighbours, to find it after edits), fingerprint, note and tags (optional), created.\n"
)


class BookmarkError(Exception):
    """A bookmark operation that cannot be done; ``str()`` is one line for the user."""


class BookmarkFileError(BookmarkError):
    """The bookmarks file cannot be read, does not match the schema, or is read-only."""


@dataclass(frozen=True, slots=True)
class Bookmark:
    """One bookmark: a line of a document, with an optional note and tags."""

    id: str
    path: Path
    """Absolute path of the document."""
    title: str
    line: int
    """1-based source line."""
    snippet: str
    """The text of the marked line, used to find it again."""
    fingerprint: str
    """Content hash of the document when marked (see ``reanchor.fingerprint_file``)."""
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    """ISO 8601 time the bookmark was made."""
    before: str | None = None
    """The nearest line with text above the marked one ('' at the start; ``None``: not kept)."""
    after: str | None = None
    """The nearest line with text below the marked one ('' at the end; ``None``: not kept)."""
    copies: int = 1
    """How many lines of the document had the marked text when it was marked (written if > 1)."""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Keys tuireader does not know, kept as they were."""

    def replace(self, **changes: Any) -> Bookmark:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def to_yaml(self) -> dict[str, Any]:
        """The mapping written to the file: known keys in order, then unknown keys."""
        data: dict[str, Any] = {"id": self.id, "path": _display_path(self.path)}
        if data["path"] != unicode_text(data["path"]):
            # A name that is not UTF-8: readable in 'path', exact in 'path_bytes'.
            data.update(path_fields(data["path"]))
        data.update(title=unicode_text(self.title), line=self.line)
        data["snippet"] = unicode_text(self.snippet)
        if self.before is not None and self.after is not None:
            data["before"] = unicode_text(self.before)
            data["after"] = unicode_text(self.after)
        if self.copies > 1:
            data["copies"] = self.copies
        data["fingerprint"] = self.fingerprint
        if self.note:
            data["note"] = unicode_text(self.note)
        if self.tags:
            data["tags"] = [unicode_text(tag) for tag in self.tags]
        data["created"] = self.created
        for key, value in self.extra.items():
            if key not in data and key not in FIELDS:
                data[key] = value
        return data

    def to_json(self) -> dict[str, Any]:
        """The fields printed by ``tuireader bookmarks list --json`` and the JSON export."""
        return {
            "id": self.id,
            **path_fields(self.path),
            "title": self.title,
            "line": self.line,
            "snippet": self.snippet,
            "before": self.before,
            "after": self.after,
            "copies": self.copies,
            "fingerprint": self.fingerprint,
            "note": self.note,
            "tags": list(self.tags),
            "created": self.created,
        }

    def matches_path(self, path: Path) -> bool:
        """Whether this bookmark belongs to the document at ``path``."""
        return self.path == normalise_path(path)


def normalise_path(path: Path | str) -> Path:
    """An absolute, user-expanded, symlink-resolved path used to compare documents."""
    path = Path(path).expanduser()
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _display_path(path: Path) -> str:
    """Write paths below the home folder as ``~/...`` so the file syncs between machines."""
    try:
        homes = {Path.home(), Path.home().resolve()}
    except (OSError, RuntimeError):
        return str(path)
    for home in homes:
        if path.is_relative_to(home) and path != home:
            return "~/" + path.relative_to(home).as_posix()
    return str(path)


def new_id(taken: Iterable[str] = ()) -> str:
    """A short random id not in ``taken``."""
    used = set(taken)
    while True:
        candidate = "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))
        if candidate not in used:
            return candidate


# ---------------------------------------------------------------- schema


def _problem(source: Path, where: str, what: str) -> BookmarkFileError:
    """A one-line schema error."""
    return BookmarkFileError(f"{source}: {where}: {what}")


def _text_field(raw: Mapping[str, Any], key: str, source: Path, where: str) -> str:
    """An optional text field; ``None`` becomes empty; numbers are accepted as text."""
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _problem(source, where, f"'{key}' must be text")
    return str(value)


def parse_bookmark(raw: Any, index: int, source: Path) -> Bookmark:
    """Check one entry of the ``bookmarks`` list and build a ``Bookmark``."""
    where = f"bookmark {index + 1}"
    if not isinstance(raw, dict):
        raise _problem(source, where, "expected a mapping")
    ident = raw.get("id")
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if not isinstance(ident, str) or not ident.strip():
        raise _problem(source, where, "missing 'id'")
    where = f"bookmark {ident!r}"
    path = raw.get("path")
    if not isinstance(path, str) or not path.strip():
        raise _problem(source, where, "missing 'path'")
    path = path_from_fields(path, raw.get("path_bytes"))
    line = raw.get("line")
    if isinstance(line, bool) or not isinstance(line, int) or line < 1:
        raise _problem(source, where, "'line' must be a whole number from 1")
    tags_raw = raw.get("tags")
    if tags_raw is None:
        tags: tuple[str, ...] = ()
    elif isinstance(tags_raw, str):
        tags = tuple(tag for tag in tags_raw.replace(",", " ").split() if tag)
    elif isinstance(tags_raw, list) and all(isinstance(tag, str | int) for tag in tags_raw):
        tags = tuple(str(tag) for tag in tags_raw)
    else:
        raise _problem(source, where, "'tags' must be a list of words")
    created = raw.get("created")
    if isinstance(created, dt.datetime | dt.date):
        created = created.isoformat()
    elif created is not None and not isinstance(created, str):
        raise _problem(source, where, "'created' must be an ISO 8601 time")
    before = _text_field(raw, "before", source, where) if "before" in raw else None
    after = _text_field(raw, "after", source, where) if "after" in raw else None
    if before is None or after is None:
        before = after = None  # context is used only when both sides are known
    copies = raw.get("copies", 1)
    if isinstance(copies, int) and copies < 1:
        copies = 1
    return Bookmark(
        id=ident.strip(),
        path=normalise_path(path),
        title=_text_field(raw, "title", source, where) or Path(path).name,
        line=line,
        snippet=_text_field(raw, "snippet", source, where),
        fingerprint=_text_field(raw, "fingerprint", source, where),
        note=_text_field(raw, "note", source, where),
        tags=tags,
        created=created or "",
        before=before,
        after=after,
        copies=copies if isinstance(copies, int) and not isinstance(copies, bool) else 1,
        extra={key: value for key, value in raw.items() if key not in FIELDS},
    )


@dataclass
class BookmarkFile:
    """The parsed file: bookmarks plus the top-level keys to keep."""

    bookmarks: list[Bookmark]
    top: dict[str, Any]


def read_bookmark_bytes(path: Path) -> bytes | None:
    """The raw bytes of the bookmarks file, ``None`` if it does not exist."""
    try:
        fd = open_regular(path)
    except DocumentError as error:
        if not os.path.lexists(path):
            return None
        raise BookmarkFileError(str(error)) from None
    try:
        with os.fdopen(fd, "rb", closefd=True) as handle:
            data = handle.read(MAX_YAML_BYTES + 1)
    except OSError as error:
        raise BookmarkFileError(f"{path}: {error.strerror or error}") from None
    if len(data) > MAX_YAML_BYTES:
        raise BookmarkFileError(f"{path}: larger than the {MAX_YAML_BYTES} byte limit")
    return data


def parse_bookmark_bytes(data: bytes | None, path: Path) -> BookmarkFile:
    """Parse and check the bookmarks file's bytes; ``None`` or empty means no bookmarks."""
    if not data:
        return BookmarkFile([], {})
    try:
        raw = parse_yaml(data.decode("utf-8-sig"), str(path))
    except UnicodeDecodeError:
        raise BookmarkFileError(f"{path}: not valid UTF-8") from None
    except YamlFileError as error:
        raise BookmarkFileError(str(error)) from None
    if raw is None:
        return BookmarkFile([], {})
    if not isinstance(raw, dict) or "version" not in raw or "bookmarks" not in raw:
        raise BookmarkFileError(
            f"{path}: not a tuireader bookmarks file (expected 'version: {SCHEMA_VERSION}' "
            "and a 'bookmarks' list)"
        )
    version = raw["version"]
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise BookmarkFileError(
            f"{path}: schema version {repr(version)[:40]} is not supported "
            f"(expected {SCHEMA_VERSION})"
        )
    items = raw["bookmarks"]
    if items is None:
        items = []  # every bookmark deleted by hand, leaving 'bookmarks:'
    if not isinstance(items, list):
        raise BookmarkFileError(f"{path}: 'bookmarks' must be a list")
    bookmarks = [parse_bookmark(item, index, path) for index, item in enumerate(items)]
    seen: set[str] = set()
    for bookmark in bookmarks:
        if bookmark.id in seen:
            raise BookmarkFileError(f"{path}: bookmark id {bookmark.id!r} appears twice")
        seen.add(bookmark.id)
    top = {key: value for key, value in raw.items() if key not in ("version", "bookmarks")}
    return BookmarkFile(bookmarks, top)


def read_bookmark_file(path: Path) -> BookmarkFile:
    """Read and check the bookmarks file; a missing or empty file is empty."""
    return parse_bookmark_bytes(read_bookmark_bytes(path), path)


_FRAGMENTS: dict[int, tuple[Bookmark, str]] = {}
_MAX_FRAGMENTS = 20000


def _fragment(bookmark: Bookmark) -> str:
    """One bookmark as a YAML list item, remembered per object (dumping is the slow part)."""
    cached = _FRAGMENTS.get(id(bookmark))
    if cached is not None and cached[0] is bookmark:
        return cached[1]
    text = dump_yaml([bookmark.to_yaml()])
    if len(_FRAGMENTS) >= _MAX_FRAGMENTS:
        _FRAGMENTS.clear()
    _FRAGMENTS[id(bookmark)] = (bookmark, text)
    return text


def render_bookmark_file(data: BookmarkFile) -> str:
    """The YAML text of the file: a comment header, ``version``, ``bookmarks``, unknown keys.

    Same text as dumping the whole mapping at once, but each bookmark's block is
    dumped once and reused, so a change to a file of 1,000 bookmarks re-dumps one.
    """
    parts = [_HEADER, dump_yaml({"version": SCHEMA_VERSION})]
    if data.bookmarks:
        parts.append("bookmarks:\n")
        parts.extend(_fragment(bookmark) for bookmark in data.bookmarks)
    else:
        parts.append("bookmarks: []\n")
    if data.top:
        parts.append(dump_yaml(data.top))
    return "".join(parts)
