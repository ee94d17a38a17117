"""Highlights: a range of lines kept with its quote and context, found again after edits.

A highlight is a ``Bookmark`` with ``end_line`` and ``quote``.  Its ``before``
and ``after`` are the lines with text just outside the range.  Finding it again
uses the public re-anchoring API (:func:`reanchor.reanchor`) twice: once for
the first line (context: the line before and the next quoted line) and once
for the last (context: the previous quoted line and the line after).  When
only one end is found confidently, the other keeps the range's length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tuireader.core.bookmarks.identity import text_fingerprint
from tuireader.core.bookmarks.reanchor import (
    CONTEXT_CHARS,
    MISSING,
    MOVED,
    SAME,
    Anchor,
    AnchorStatus,
    context_of,
    fingerprint_file,
    make_snippet,
    reanchor,
)
from tuireader.core.bookmarks.schema import Bookmark
from tuireader.core.formats.registry import format_of
from tuireader.core.sanitize import strip_control
from tuireader.core.textload import DocumentError

MAX_QUOTE_LINES = 400
"""A highlight keeps at most this many lines of quote."""
MAX_QUOTE_CHARS = 20000
"""... and at most this many characters."""


@dataclass(frozen=True, slots=True)
class HighlightFields:
    """What a highlight stores about its lines (besides id, path, note...)."""

    line: int
    end_line: int
    snippet: str
    quote: str
    before: str
    after: str


def quote_of(lines: Sequence[str], start: int, end: int) -> str:
    """The text of 1-based lines ``start``..``end``, trailing spaces and controls removed."""
    chosen = lines[start - 1 : end][:MAX_QUOTE_LINES]
    text = "\n".join(strip_control(line).rstrip() for line in chosen).strip("\n")
    return text[:MAX_QUOTE_CHARS]


def highlight_fields(lines: Sequence[str], start: int, end: int) -> HighlightFields:
    """The fields to store for a highlight of 1-based lines ``start``..``end`` of ``lines``.

    Leading and trailing blank lines are dropped from the range; raises
    ``ValueError`` when the range is outside the lines or holds no text.
    """
    if start > end:
        start, end = end, start
    if start < 1 or end > len(lines):
        raise ValueError(f"lines {start}-{end} are outside the document (1-{len(lines)})")
    while start < end and not lines[start - 1].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    if not lines[start - 1].strip():
        raise ValueError("the selection holds no text")
    before, _ = context_of(lines, start)
    _, after = context_of(lines, end)
    return HighlightFields(
        line=start,
        end_line=end,
        snippet=strip_control(make_snippet(lines[start - 1])),
        quote=quote_of(lines, start, end),
        before=strip_control(before),
        after=strip_control(after),
    )


def _quoted_lines(bookmark: Bookmark) -> list[str]:
    """The quote's lines with text, in the form context lines are compared in."""
    lines = [make_snippet(text) for text in bookmark.quote.splitlines()]
    return [line for line in lines if line] or [make_snippet(bookmark.snippet)]


@dataclass(frozen=True, slots=True)
class HighlightAnchor:
    """Where a highlight is now: the anchor of its first line and its last line."""

    anchor: Anchor
    """``status`` and ``line`` (the first line) as for a bookmark."""
    end_line: int

    @property
    def confident(self) -> bool:
        """Whether the highlight may be saved at its new place."""
        return self.anchor.confident


def _exact_block(lines: Sequence[str], bookmark: Bookmark) -> int | None:
    """The 1-based start of the one place holding the whole quote unchanged, if just one."""
    quoted = [make_snippet(text) for text in bookmark.quote.splitlines()]
    if not bookmark.quote or not quoted:
        return None
    head = quoted[0][:24]
    found: list[int] = []
    for index, line in enumerate(lines):
        if head in line and make_snippet(line) == quoted[0]:
            block = [make_snippet(text) for text in lines[index : index + len(quoted)]]
            if block == quoted:
                found.append(index + 1)
                if len(found) > 1:
                    return None
    return found[0] if found else None


def locate_highlight(lines: Sequence[str], bookmark: Bookmark) -> HighlightAnchor:
    """Find ``bookmark`` (a highlight) in the document's current ``lines``.

    The whole quote unchanged in one place is taken first; else each end is
    re-anchored (text, context, place) and the range follows the surer one.
    """
    span = bookmark.last_line - bookmark.line
    start = _exact_block(lines, bookmark)
    if start is not None:
        status: AnchorStatus = SAME if start == bookmark.line else MOVED
        found = Anchor(status, start, bookmark.line, lines[start - 1], why="the whole quote")
        return HighlightAnchor(found, min(len(lines), start + span))
    quoted = _quoted_lines(bookmark)
    inner_after = quoted[1][:CONTEXT_CHARS] if len(quoted) > 1 else bookmark.after
    inner_before = quoted[-2][:CONTEXT_CHARS] if len(quoted) > 1 else bookmark.before
    first = reanchor(lines, quoted[0], bookmark.line, bookmark.before, inner_after)
    if span == 0:
        return HighlightAnchor(first, first.line)
    last = reanchor(lines, quoted[-1], bookmark.last_line, inner_before, bookmark.after)
    if first.confident and last.confident and 0 <= last.line - first.line <= 2 * span + 50:
        return HighlightAnchor(first, last.line)
    if first.confident:
        return HighlightAnchor(first, min(len(lines), first.line + span))
    if last.confident:
        start = max(1, last.line - span)
        status = SAME if start == bookmark.line else MOVED
        text = lines[start - 1] if start <= len(lines) else ""
        moved = Anchor(status, start, bookmark.line, text, last.score, why=last.why)
        return HighlightAnchor(moved, last.line)
    return HighlightAnchor(first, first.line + span)


def reanchor_highlight(
    bookmark: Bookmark, lines: Sequence[str] | None = None, fingerprint: str | None = None
) -> tuple[Anchor, dict[str, Any]]:
    """Locate a highlight; when found for sure, also the changed fields to save.

    ``lines`` and ``fingerprint`` may pass the document's current lines and
    fingerprint; the file is read for what is not passed.
    """
    try:
        if fingerprint is None:
            fingerprint = fingerprint_file(bookmark.path)
        if fingerprint == bookmark.fingerprint and lines is None:
            return Anchor(SAME, bookmark.line, bookmark.line, bookmark.snippet), {}
        if lines is None:
            lines = list(format_of(bookmark.path).text_lines(bookmark.path))
    except DocumentError:
        return Anchor(MISSING, bookmark.line, bookmark.line), {}
    found = locate_highlight(lines, bookmark)
    if not found.confident:
        return found.anchor, {}
    try:
        fields = highlight_fields(lines, found.anchor.line, max(found.anchor.line, found.end_line))
    except ValueError:
        return found.anchor, {}
    changes: dict[str, Any] = {
        "line": fields.line,
        "end_line": fields.end_line,
        "snippet": fields.snippet,
        "quote": fields.quote,
        "before": fields.before,
        "after": fields.after,
        "fingerprint": fingerprint,
    }
    if fingerprint != bookmark.fingerprint or not bookmark.text_fingerprint:
        changes["text_fingerprint"] = text_fingerprint(lines)
    changed = {key: value for key, value in changes.items() if getattr(bookmark, key) != value}
    return found.anchor, changed
