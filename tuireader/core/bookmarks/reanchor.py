"""Find a bookmarked line again after its document changed, or say that it cannot.

A bookmark keeps the text of its line (the snippet), the nearest line with
text before and after it (its context) and a fingerprint of the whole
document.  When the fingerprint no longer matches, :func:`reanchor` scores the
lines that look like the snippet by text similarity, context and distance from
the old place together, so an edited line in its old place beats a similar
line far away (``## Chapter 12: The Storm`` beats ``## Chapter 2``).

The answer is *same* or *moved* only when it is clear; a weak or ambiguous
match is *uncertain* (the bookmark keeps its old place and the candidates are
offered), a line whose neighbours have closed up over it is *gone*.  Callers
never rewrite a bookmark from an uncertain or gone anchor.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from tuireader.core.bookmarks.matching import (
    SNIPPET_CHARS as SNIPPET_CHARS,  # re-exported: the snippet form is defined there
)
from tuireader.core.bookmarks.matching import (
    Match,
    Slot,
    context_score,
    find_slots,
    gather,
    near_copies,
)
from tuireader.core.bookmarks.matching import (
    make_snippet as make_snippet,
)
from tuireader.core.textload import open_regular

SAME: Final = "same"
MOVED: Final = "moved"
GONE: Final = "gone"
UNCERTAIN: Final = "uncertain"
MISSING: Final = "missing"

AnchorStatus = Literal["same", "moved", "gone", "uncertain", "missing"]

CONTEXT_CHARS = 120
"""Bookmarks keep at most this many characters of each context line."""
CONTEXT_REACH = 6
"""How many lines (blank ones skipped) to look above and below for a context line."""

CONFIDENT = 0.74
"""The lowest combined score (0-1) at which the best candidate may be taken."""
MARGIN = 0.1
"""How far the best candidate must lead the next one to be taken."""
DISTINCT = 0.9
"""Text similarity at which a line that has no look-alike is taken wherever it is."""
MIN_DISTINCT_CHARS = 12
"""Snippets with fewer letters and digits (``* * *``, ``Notes``) are never taken on text alone."""
CLOSE_EDIT = 0.85
"""Text similarity a line needs to be taken on its combined score (outside its old slot)."""
CONTEXT_FOR_SHORT = 0.9
"""Context a short snippet needs to be taken on its combined score."""
SLOT_EDIT = 0.5
"""Text similarity at which the line in the bookmark's old slot counts as the line edited."""
MAX_CANDIDATES = 3
"""How many candidates an uncertain anchor offers."""

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Candidate:
    """A line that may be the bookmarked one."""

    line: int
    """1-based line in the current document."""
    text: str
    score: float
    """Combined score, 0-100."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a bookmark points now."""

    status: AnchorStatus
    """``same``, ``moved``, ``uncertain`` (no clear match), ``gone`` or ``missing`` (no file)."""
    line: int
    """The 1-based line to open: the new line when same or moved, the old one otherwise."""
    old_line: int
    """The line stored in the bookmark."""
    text: str = ""
    """The text of ``line`` in the current document (empty when unknown)."""
    score: float = 100.0
    """Similarity of the found line to the snippet (100 for an exact match)."""
    candidates: tuple[Candidate, ...] = ()
    """For an uncertain anchor: the likeliest lines, best first."""
    why: str = ""
    """A short explanation (``line edited in place``, ``neighbours closed up``...)."""

    @property
    def confident(self) -> bool:
        """Whether the bookmark may be saved at ``line`` (same or moved)."""
        return self.status in (SAME, MOVED)

    @property
    def notice(self) -> str | None:
        """A one-line message for the user, or ``None`` when nothing changed."""
        if self.status == MOVED:
            return f"Bookmark moved: line {self.old_line} is now line {self.line}"
        if self.status == GONE:
            maybe = f" {self.candidate_text()}" if self.candidates else ""
            return f"Bookmarked text not found; opened at line {self.line}.{maybe}"
        if self.status == UNCERTAIN:
            return (
                f"Bookmark uncertain: line {self.old_line} changed; kept there. "
                f"{self.candidate_text()}"
            )
        if self.status == MISSING:
            return "Bookmarked file is missing; point the bookmark at its new path"
        return None

    def candidate_text(self) -> str:
        """``Maybe line 70 “…” or line 9 “…”.`` naming the candidates (empty if none)."""
        if not self.candidates:
            return "No similar line found."
        named = [f"line {c.line} “{_short(c.text)}”" for c in self.candidates]
        return "Maybe " + " or ".join(named) + "."


def _short(text: str, limit: int = 40) -> str:
    """A line shortened for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _neighbour(lines: Sequence[str], index: int, step: int) -> str:
    """The nearest line with text from ``index`` in direction ``step``, as context ('' if none)."""
    position = index + step
    for _ in range(CONTEXT_REACH):
        if not 0 <= position < len(lines):
            return ""
        if lines[position].strip():
            return make_snippet(lines[position])[:CONTEXT_CHARS].rstrip()
        position += step
    return ""


def context_of(lines: Sequence[str], line: int) -> tuple[str, str]:
    """The context a bookmark keeps for 1-based ``line``: the lines with text before and after."""
    return _neighbour(lines, line - 1, -1), _neighbour(lines, line - 1, 1)


def count_copies(lines: Sequence[str], snippet: str) -> int:
    """How many lines read exactly ``snippet`` (in its compared form); at least 1."""
    target = make_snippet(snippet)
    if not target:
        return 1
    head = target.split(" ", 1)[0]  # a cheap test first: spaces inside may differ
    found = sum(
        1 for line in lines if line.lstrip().startswith(head) and make_snippet(line) == target
    )
    return max(1, found)


def reanchor(
    lines: Sequence[str],
    snippet: str,
    old_line: int,
    before: str | None = None,
    after: str | None = None,
    copies: int = 1,
) -> Anchor:
    """Locate ``snippet`` in ``lines`` (the document's current lines), starting at ``old_line``.

    ``before`` and ``after`` are the stored context (``None`` for bookmarks made
    before context was kept: then only text and distance count); ``copies`` how
    many lines had the snippet's text when it was marked (the others are not it).
    """
    size = len(lines)
    target = make_snippet(snippet)
    old = min(max(old_line, 1), max(size, 1)) - 1
    if not target:
        # A blank line cannot be searched for; keep the position.
        return Anchor(SAME if old_line <= size else GONE, old + 1, old_line)
    context = (before, after) if before is not None and after is not None else None
    in_place = 0 <= old < size and make_snippet(lines[old]) == target
    needed = 0.5 if informative(target) else CONTEXT_FOR_SHORT  # `* * *` needs its neighbours
    if in_place and (context is None or context_score(lines, old, context, _neighbour) >= needed):
        # ``old`` is clamped: past the end of a shortened document the line did move.
        return Anchor(SAME if old + 1 == old_line else MOVED, old + 1, old_line, lines[old])
    if context is not None:
        # The common case, a block of lines moved a little: the line and both neighbours
        # unchanged nearby, as often as when marked.  No need to search the whole document.
        near = near_copies(lines, target, old)
        whole = [i for i in near if context_score(lines, i, context, _neighbour) >= 1.0]
        if len(whole) == 1 and len(near) == copies:
            return _found(lines, old_line, whole[0], "found with its neighbours")
    slots = find_slots(lines, old, context, _neighbour)
    extra = [slot.index for slot in slots if slot.index is not None]
    matches = gather(lines, target, old, context, _neighbour, extra)
    return _decide(lines, target, old_line, old, matches, slots, context, copies)


def _found(lines: Sequence[str], old_line: int, match: Match | int, why: str) -> Anchor:
    """A confident anchor at ``match`` (a scored candidate, or an exact line's index)."""
    index, text = (match, 1.0) if isinstance(match, int) else (match.index, match.text)
    status: AnchorStatus = SAME if index + 1 == old_line else MOVED
    return Anchor(status, index + 1, old_line, lines[index], text * 100, why=why)


def _kept(
    lines: Sequence[str],
    status: AnchorStatus,
    old: int,
    old_line: int,
    offer: list[Match],
    why: str,
) -> Anchor:
    """An anchor that keeps the old place (uncertain or gone), offering candidates.

    Lines with exactly the bookmarked text are offered first.
    """
    offer = sorted(offer, key=lambda m: m.text < 1.0)  # stable: otherwise as given
    candidates = tuple(
        Candidate(m.index + 1, lines[m.index], round(m.total * 100, 1))
        for m in offer[:MAX_CANDIDATES]
    )
    text = lines[old] if 0 <= old < len(lines) else ""
    best = offer[0].text * 100 if offer else 0.0
    return Anchor(status, old + 1, old_line, text, best, candidates, why)


def _decide(
    lines: Sequence[str],
    target: str,
    old_line: int,
    old: int,
    matches: list[Match],
    slots: list[Slot],
    context: tuple[str, str] | None,
    copies: int,
) -> Anchor:
    """Choose among the scored candidates, or keep the old place and say why."""
    exact = [m for m in matches if m.text >= 1.0]
    whole = [m for m in exact if m.context is not None and m.context >= 1.0]
    edited_twin = any(
        m.index in {s.index for s in slots} and m.text >= SLOT_EDIT and m not in whole
        for m in matches
    )
    if len(whole) == 1 and not edited_twin and len(exact) >= copies:
        # The line and both neighbours unchanged, in one place only: moved as a block.
        return _found(lines, old_line, whole[0], "found with its neighbours")
    if len(slots) == 1:
        return _by_slot(lines, target, old_line, old, matches, slots[0], context, copies)
    if not matches:
        return _kept(lines, GONE, old, old_line, [], "no similar line")
    if _once(target, exact, context, copies):
        return _found(lines, old_line, exact[0], "its text, once in the document as when marked")
    if _distinct(matches[0], matches, target):
        return _found(lines, old_line, matches[0], "found by its text")
    if _clear_lead(matches, target):
        return _found(lines, old_line, matches[0], "best match by text, context and place")
    return _kept(lines, UNCERTAIN, old, old_line, matches, "no clear match")


def _by_slot(
    lines: Sequence[str],
    target: str,
    old_line: int,
    old: int,
    matches: list[Match],
    slot: Slot,
    context: tuple[str, str] | None,
    copies: int,
) -> Anchor:
    """Decide by the old neighbours: closed up (deleted or moved) or around an edited line."""
    exact = [m for m in matches if m.text >= 1.0]
    if slot.index is None:
        # The neighbours closed up over the line: deleted here, or moved.  Fewer copies of
        # its text than when marked: ours is the one deleted.  One copy as when marked: ours,
        # moved.  Otherwise a copy may be a repeated passage: offered, never taken.
        if exact and len(exact) >= copies:
            if _once(target, exact, context, copies):
                return _found(lines, old_line, exact[0], "moved; its old place closed up")
            return _kept(lines, UNCERTAIN, old, old_line, exact, "its place closed up")
        likely = [m for m in matches if m.text >= DISTINCT]
        return _kept(lines, GONE, old, old_line, likely, "deleted: its neighbours closed up")
    in_slot = next((m for m in matches if m.index == slot.index), None)
    elsewhere = [m for m in exact if m.index != slot.index]
    if in_slot is not None and in_slot.text >= SLOT_EDIT and not elsewhere:
        return _found(lines, old_line, in_slot, "line edited in place")
    offer = ([in_slot] if in_slot else []) + [m for m in matches if m is not in_slot]
    return _kept(lines, UNCERTAIN, old, old_line, offer, "its place holds other text")


def _once(target: str, exact: list[Match], context: tuple[str, str] | None, copies: int) -> bool:
    """Whether the text is in the document exactly once, as it was when marked.

    Known only for bookmarks that keep context (they keep ``copies`` too); the
    text needs a few letters or digits (``* * *`` says nothing).
    """
    letters = sum(char.isalnum() for char in target)
    return context is not None and copies == 1 and len(exact) == 1 and letters >= 3


def _clear_lead(matches: list[Match], target: str) -> bool:
    """Whether the best candidate is close in text and clearly ahead of the next one."""
    best = matches[0]
    runner = matches[1] if len(matches) > 1 else None
    lead = best.total - (runner.total if runner else 0.0)
    if runner is not None and best.context is not None and runner.context is not None:
        # Distance alone must not choose between two lines alike in text and neighbours.
        lead = min(lead, best.text + best.context - runner.text - runner.context)
    told_by_context = best.context is not None and best.context >= CONTEXT_FOR_SHORT
    some_context = best.context is None or best.context >= 0.5
    clear = best.total >= CONFIDENT and lead >= MARGIN and best.text >= CLOSE_EDIT and some_context
    return clear and (informative(target) or told_by_context)


def informative(text: str) -> bool:
    """Whether a line says enough to be recognised by its text (not ``---`` or ``Notes``)."""
    return sum(char.isalnum() for char in text) >= MIN_DISTINCT_CHARS


def _distinct(best: Match, matches: list[Match], target: str) -> bool:
    """Whether ``best`` is nearly the snippet and no other line comes close.

    Among new neighbours (context under 0.5) nothing is taken on text alone: an
    edited line, or one of several copies when marked (ours may be the one
    deleted), may be another line.  A text once in the document, as when marked,
    is taken before this is asked (:func:`_once`).
    """
    if best.text < DISTINCT or not informative(target):
        return False
    if best.context is not None and best.context < 0.5:
        return False
    return not any(m is not best and m.text >= best.text - 0.15 for m in matches)
