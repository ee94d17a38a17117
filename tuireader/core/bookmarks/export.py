"""Export bookmarks as Markdown (quotes with notes, citations and links) or JSON."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tuireader.core.bookmarks.reanchor import GONE, MISSING, UNCERTAIN, reanchor
from tuireader.core.bookmarks.schema import SCHEMA_VERSION, Bookmark
from tuireader.core.formats.registry import format_of
from tuireader.core.sanitize import display_text, strip_control
from tuireader.core.textload import DocumentError

PASSAGE_LINES = 6
"""At most this many lines of the marked paragraph are quoted."""

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _escape(text: str) -> str:
    """One line of text that is not meant as Markdown (titles, names, tags), punctuation escaped."""
    return _MD_SPECIAL.sub(r"\\\1", display_text(text))


def _passage(bookmark: Bookmark, lines: list[str] | None) -> tuple[int, list[str], str | None]:
    """The (possibly re-anchored) line, the quoted lines and a remark about the anchor."""
    if lines is None:
        return bookmark.line, [bookmark.snippet], "document not found"
    anchor = reanchor(
        lines, bookmark.snippet, bookmark.line, bookmark.before, bookmark.after, bookmark.copies
    )
    if anchor.status in (GONE, MISSING):
        return bookmark.line, [bookmark.snippet], "text no longer in the document"
    if anchor.status == UNCERTAIN:
        return bookmark.line, [bookmark.snippet], "text changed; place uncertain"
    quoted: list[str] = []
    for text in lines[anchor.line - 1 : anchor.line - 1 + PASSAGE_LINES]:
        if not text.strip():
            break
        quoted.append(text.strip())
    return anchor.line, quoted or [bookmark.snippet], None


def _read_lines(path: Path, cache: dict[Path, list[str] | None]) -> list[str] | None:
    """Read each document once."""
    if path not in cache:
        try:
            cache[path] = list(format_of(path).text_lines(path))
        except DocumentError:
            cache[path] = None
    return cache[path]


def export_markdown(bookmarks: Sequence[Bookmark], title: str = "Bookmarks") -> str:
    """Markdown grouped by document: each passage quoted, then its note, tags, citation and link."""
    out = [f"# {_escape(title)}", ""]
    cache: dict[Path, list[str] | None] = {}
    order: dict[Path, list[Bookmark]] = {}
    for bookmark in bookmarks:
        order.setdefault(bookmark.path, []).append(bookmark)
    for path, group in order.items():
        out += [f"## {_escape(group[0].title)}", ""]
        lines = _read_lines(path, cache)
        for bookmark in sorted(group, key=lambda b: b.line):
            line, quoted, remark = _passage(bookmark, lines)
            out += [f"> {strip_control(text)}" if text else ">" for text in quoted]
            out.append("")
            if bookmark.note:
                out += [strip_control(bookmark.note).strip(), ""]
            link = f"{path.as_uri()}#L{line}"
            name = _escape(path.name)
            citation = f"— *{_escape(bookmark.title)}*, line {line} ([{name}]({link}))"
            extras = []
            if bookmark.tags:
                extras.append("tags: " + ", ".join(_escape(tag) for tag in bookmark.tags))
            if bookmark.created:
                extras.append(f"marked {bookmark.created[:10]}")
            if remark:
                extras.append(remark)
            out.append(citation + (f" · {' · '.join(extras)}" if extras else ""))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def export_json_data(bookmarks: Sequence[Bookmark]) -> dict[str, Any]:
    """The JSON export: the schema version and every bookmark's fields."""
    return {"version": SCHEMA_VERSION, "bookmarks": [b.to_json() for b in bookmarks]}
