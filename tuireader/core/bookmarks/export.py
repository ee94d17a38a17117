"""Export bookmarks and highlights as Markdown (quotes with notes and locations) or JSON.

The Readwise CSV is in ``readwise.py``; both use :func:`passage_of`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tuireader.core.bookmarks.highlights import locate_highlight, quote_of
from tuireader.core.bookmarks.reanchor import GONE, MISSING, UNCERTAIN, reanchor
from tuireader.core.bookmarks.schema import SCHEMA_VERSION, Bookmark
from tuireader.core.citation import author_of
from tuireader.core.formats.registry import format_of
from tuireader.core.sanitize import display_text, strip_control
from tuireader.core.textload import DocumentError

PASSAGE_LINES = 6
"""At most this many lines of the marked paragraph are quoted."""

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _escape(text: str) -> str:
    """One line of text that is not meant as Markdown (titles, names, tags), punctuation escaped."""
    return _MD_SPECIAL.sub(r"\\\1", display_text(text))


@dataclass(frozen=True, slots=True)
class Passage:
    """A mark's text as exported: where it is now, its lines and a remark about the anchor."""

    line: int
    end_line: int
    lines: list[str]
    remark: str | None = None

    @property
    def location(self) -> str:
        """``line 12`` or ``lines 12-14``."""
        if self.end_line != self.line:
            return f"lines {self.line}-{self.end_line}"
        return f"line {self.line}"


def _kept(bookmark: Bookmark, remark: str) -> Passage:
    """The stored text at the stored place, with a remark saying why."""
    stored = bookmark.text.splitlines() or [bookmark.snippet]
    return Passage(bookmark.line, bookmark.last_line, stored, remark)


def _highlight_passage(bookmark: Bookmark, lines: list[str]) -> Passage:
    """A highlight's lines as they are in the document now."""
    found = locate_highlight(lines, bookmark)
    if found.anchor.status in (GONE, MISSING):
        return _kept(bookmark, "text no longer in the document")
    if not found.confident:
        return _kept(bookmark, "text changed; place uncertain")
    end = max(found.anchor.line, found.end_line)
    return Passage(found.anchor.line, end, quote_of(lines, found.anchor.line, end).splitlines())


def passage_of(bookmark: Bookmark, lines: list[str] | None) -> Passage:
    """The (possibly re-anchored) place and text of a mark; ``lines`` is the document now."""
    if lines is None:
        return _kept(bookmark, "document not found")
    if bookmark.is_highlight:
        return _highlight_passage(bookmark, lines)
    anchor = reanchor(
        lines, bookmark.snippet, bookmark.line, bookmark.before, bookmark.after, bookmark.copies
    )
    if anchor.status in (GONE, MISSING):
        return _kept(bookmark, "text no longer in the document")
    if anchor.status == UNCERTAIN:
        return _kept(bookmark, "text changed; place uncertain")
    quoted: list[str] = []
    for text in lines[anchor.line - 1 : anchor.line - 1 + PASSAGE_LINES]:
        if not text.strip():
            break
        quoted.append(text.strip())
    return Passage(anchor.line, anchor.line, quoted or [bookmark.snippet])


def group_by_document(bookmarks: Sequence[Bookmark]) -> dict[Path, list[Bookmark]]:
    """Marks by document, in the order documents first appear; each group by line."""
    order: dict[Path, list[Bookmark]] = {}
    for bookmark in bookmarks:
        order.setdefault(bookmark.path, []).append(bookmark)
    return {path: sorted(group, key=lambda b: b.line) for path, group in order.items()}


def read_lines_or_none(path: Path) -> list[str] | None:
    """The document's lines as they are now (``None`` when it cannot be read)."""
    try:
        return list(format_of(path).text_lines(path))
    except DocumentError:
        return None


def export_markdown(bookmarks: Sequence[Bookmark], title: str = "Bookmarks") -> str:
    """Markdown, one section per document: its title, then each mark quoted with ``> ``,
    its note, its location (a link to the file) and tags."""
    out = [f"# {_escape(title)}", ""]
    for path, group in group_by_document(bookmarks).items():
        out += [f"## {_escape(group[0].title)}", ""]
        about = document_about(path)
        if about.author or about.date:
            out += [_escape(" · ".join(x for x in (about.author, about.date) if x)), ""]
        lines = read_lines_or_none(path)
        for bookmark in group:
            passage = passage_of(bookmark, lines)
            out += [f"> {strip_control(text)}" if text.strip() else ">" for text in passage.lines]
            out.append("")
            if bookmark.note:
                out += [strip_control(bookmark.note).strip(), ""]
            link = f"{path.as_uri()}#L{passage.line}"
            name = _escape(path.name)
            place = f"— {passage.location} ([{name}]({link}))"
            extras = []
            if bookmark.tags:
                extras.append("tags: " + ", ".join(_escape(tag) for tag in bookmark.tags))
            if bookmark.created:
                extras.append(f"marked {bookmark.created[:10]}")
            if passage.remark:
                extras.append(passage.remark)
            out.append(place + (f" · {' · '.join(extras)}" if extras else ""))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def export_json_data(bookmarks: Sequence[Bookmark]) -> dict[str, Any]:
    """The JSON export: the schema version and every bookmark's fields."""
    return {"version": SCHEMA_VERSION, "bookmarks": [b.to_json() for b in bookmarks]}


@dataclass(frozen=True, slots=True)
class About:
    """A document's author and date, when its metadata says."""

    author: str | None = None
    date: str | None = None


def document_about(path: Path) -> About:
    """Author and date of the document at ``path`` (empty when unreadable)."""
    from tuireader.core.library import describe

    try:
        document = describe(path)
    except DocumentError:
        return About()
    return About(author_of(document.extra, document.author), document.date)
