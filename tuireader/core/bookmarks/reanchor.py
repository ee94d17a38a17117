"""Find a bookmarked line again after its document changed.

A bookmark keeps the text of its line (the snippet) and a fingerprint of the
whole document.  When the fingerprint no longer matches, :func:`reanchor`
looks for the snippet: the exact line nearest the old position, then the most
similar line (rapidfuzz) near the old position, then anywhere in the document.
If nothing is similar enough the mark is *gone* and the old line is kept.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from tuireader.core.textload import open_regular

SAME: Final = "same"
MOVED: Final = "moved"
GONE: Final = "gone"
MISSING: Final = "missing"

AnchorStatus = Literal["same", "moved", "gone", "missing"]

NEAR_LINES = 300
"""How many lines above and below the old position count as "near"."""
MIN_SCORE = 80.0
"""The lowest rapidfuzz ratio (0-100) at which a changed line still counts as the snippet."""
SNIPPET_CHARS = 400
"""Bookmarks keep (and compare) at most this many characters of the marked line."""

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a bookmark points now."""

    status: AnchorStatus
    """``same``, ``moved`` (found elsewhere), ``gone`` (not found) or ``missing`` (no file)."""
    line: int
    """The 1-based line to open: the new line when moved, the old one otherwise."""
    old_line: int
    """The line stored in the bookmark."""
    text: str = ""
    """The text of ``line`` in the current document (empty when unknown)."""
    score: float = 100.0
    """Similarity of the found line to the snippet (100 for an exact match)."""

    @property
    def notice(self) -> str | None:
        """A one-line message for the user, or ``None`` when nothing changed."""
        if self.status == MOVED:
            return f"Bookmark moved: line {self.old_line} is now line {self.line}"
        if self.status == GONE:
            return f"Bookmarked text not found; opened at line {self.line}"
        if self.status == MISSING:
            return "Bookmarked file is missing; point the bookmark at its new path"
        return None


def fingerprint_file(path: Path) -> str:
    """A content fingerprint of a file: ``blake2b:`` and a 128-bit hex digest, read streaming."""
    digest = hashlib.blake2b(digest_size=16)
    fd = open_regular(path)
    with os.fdopen(fd, "rb", closefd=True) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return f"blake2b:{digest.hexdigest()}"


def fingerprint_bytes(data: bytes) -> str:
    """The fingerprint of bytes already in memory (same format as :func:`fingerprint_file`)."""
    return f"blake2b:{hashlib.blake2b(data, digest_size=16).hexdigest()}"


def make_snippet(text: str) -> str:
    """The comparable form of a line: whitespace collapsed, at most ``SNIPPET_CHARS`` long.

    Bookmarks store this form of the marked line; lines are compared in it too,
    so a long paragraph-per-line text still matches its (shortened) snippet.
    """
    return " ".join(text[: SNIPPET_CHARS * 4].split())[:SNIPPET_CHARS]


_norm = make_snippet


def _nearest(indexes: list[int], old: int) -> int | None:
    """The index closest to ``old`` (the earlier one on a tie)."""
    return min(indexes, key=lambda index: (abs(index - old), index)) if indexes else None


def _best_fuzzy(
    candidates: Sequence[str], target: str, old: int, start: int
) -> tuple[int, float] | None:
    """Best (index, score) for ``target`` among ``candidates`` (which begin at ``start``)."""
    from rapidfuzz import fuzz, process  # only when a document changed since the mark

    found = process.extract(target, candidates, scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=50)
    if not found:
        return None
    best = max(found, key=lambda hit: (hit[1], -abs(start + hit[2] - old)))
    return start + best[2], float(best[1])


def _search_near(
    lines: Sequence[str], target: str, old: int, start: int, end: int
) -> tuple[int, float] | None:
    """Exact, then similar, in ``lines[start:end]`` (every line normalised: a few hundred)."""
    normed = [_norm(line) for line in lines[start:end]]
    exact = _nearest([start + i for i, text in enumerate(normed) if text == target], old)
    if exact is not None:
        return exact, 100.0
    return _best_fuzzy(normed, target, old, start)


def _search_everywhere(lines: Sequence[str], target: str, old: int) -> tuple[int, float] | None:
    """Exact, then similar, in the whole document; lines are only stripped and cut (fast)."""
    cut = len(target) + 20
    shortened = [line.strip()[:cut] for line in lines]
    exact = _nearest(
        [
            index
            for index, text in enumerate(shortened)
            if text.startswith(target) and _norm(lines[index]) == target
        ],
        old,
    )
    if exact is not None:
        return exact, 100.0
    return _best_fuzzy(shortened, target, old, 0)


def reanchor(lines: Sequence[str], snippet: str, old_line: int) -> Anchor:
    """Locate ``snippet`` in ``lines`` (the document's current lines), starting at ``old_line``."""
    size = len(lines)
    target = _norm(snippet)
    old = min(max(old_line, 1), max(size, 1)) - 1
    if not target:
        # A blank line cannot be searched for; keep the position.
        return Anchor(SAME if old_line <= size else GONE, old + 1, old_line)
    if 0 <= old < size and _norm(lines[old]) == target:
        return Anchor(SAME, old + 1, old_line, lines[old])
    start, end = max(0, old - NEAR_LINES), min(size, old + NEAR_LINES + 1)
    # Near the old line first (exact, then similar), then anywhere (exact, then similar).
    hit = _search_near(lines, target, old, start, end)
    if hit is None and (start > 0 or end < size):
        hit = _search_everywhere(lines, target, old)
    if hit is None:
        return Anchor(GONE, old + 1, old_line, lines[old] if 0 <= old < size else "", 0.0)
    index, score = hit
    status: AnchorStatus = SAME if index + 1 == old_line else MOVED
    return Anchor(status, index + 1, old_line, lines[index], score)
