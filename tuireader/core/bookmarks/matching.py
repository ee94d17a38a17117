"""Scoring for re-anchoring: which lines look like a bookmarked one, and how much.

:func:`gather` finds lines similar to the snippet (near the old place every
line is compared in full; elsewhere lines are compared cut to the snippet's
length, which is fast) and scores each by text, context and distance.
:func:`find_slot` looks for the bookmark's old neighbours: still around one
line (the slot, maybe holding the edited line) or closed up (the line deleted).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

SNIPPET_CHARS = 400
"""Bookmarks keep (and compare) at most this many characters of the marked line."""
NEAR_LINES = 300
"""How many lines above and below the old position are compared in full."""
MIN_TEXT = 0.5
"""The lowest text similarity (0-1) at which a line is a candidate at all."""
CONTEXT_MATCH = 0.9
"""Similarity at which a line counts as one of the stored context lines."""
CONTEXT_EXACT = 0.97
"""One of the two neighbours of a slot must match at least this well."""
SLOT_TIE = 0.03
"""Two places whose neighbours match within this (out of 2) make the neighbours useless."""
LIMIT = 30
"""At most this many fuzzy candidates from each search."""
WEIGHTS_WITH_CONTEXT = (0.5, 0.35, 0.15)
"""Weights of text, context and distance when the bookmark keeps context."""
WEIGHTS_WITHOUT_CONTEXT = (0.75, 0.0, 0.25)
"""Weights for bookmarks made before context was kept."""

Neighbour = Callable[[Sequence[str], int, int], str]
"""``neighbour(lines, index, step)``: the context line next to ``index`` ('' if none)."""


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate line with its scores (each 0-1)."""

    index: int
    """0-based line index."""
    text: float
    context: float | None
    """``None`` when the bookmark has no stored context."""
    distance: float
    """1 at the old place, falling with the distance."""
    total: float


@dataclass(frozen=True, slots=True)
class Slot:
    """The old neighbours: around line ``index``, or closed up (``index`` None) after ``before``."""

    index: int | None
    before: int


def sim(first: str, second: str) -> float:
    """Similarity of two normalised texts, 0-1 (two empty texts are equal)."""
    if not first or not second:
        return 1.0 if first == second else 0.0
    from rapidfuzz import fuzz  # only when a document changed since the mark

    return float(fuzz.ratio(first, second)) / 100.0


def make_snippet(text: str) -> str:
    """The comparable form of a line: whitespace collapsed, at most ``SNIPPET_CHARS`` long.

    Bookmarks store this form of the marked line; lines are compared in it too,
    so a long paragraph-per-line text still matches its (shortened) snippet.  A cut
    that ends on a space drops it, so the form of a snippet is the snippet itself.
    """
    return " ".join(text[: SNIPPET_CHARS * 4].split())[:SNIPPET_CHARS].rstrip()


def _fuzzy(choices: Sequence[str], target: str, cutoff: float) -> list[int]:
    """Indexes of the choices most like ``target`` (at least ``cutoff`` percent)."""
    from rapidfuzz import fuzz, process

    found = process.extract(target, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=LIMIT)
    return [hit[2] for hit in found]


def near_copies(lines: Sequence[str], target: str, old: int) -> list[int]:
    """Indexes of the lines near ``old`` that read exactly ``target`` (cheap: no fuzzy search)."""
    start, end = max(0, old - NEAR_LINES), min(len(lines), old + NEAR_LINES + 1)
    head = target.split(" ", 1)[0]  # a cheap test first: spaces inside may differ
    return [
        index
        for index in range(start, end)
        if lines[index].lstrip().startswith(head) and make_snippet(lines[index]) == target
    ]


def _indexes(lines: Sequence[str], target: str, old: int) -> set[int]:
    """Lines worth scoring: similar ones near ``old`` and anywhere, and exact copies."""
    size = len(lines)
    start, end = max(0, old - NEAR_LINES), min(size, old + NEAR_LINES + 1)
    near = [make_snippet(line) for line in lines[start:end]]
    found = {start + i for i, text in enumerate(near) if text == target}
    found.update(start + i for i in _fuzzy(near, target, MIN_TEXT * 100))
    if start > 0 or end < size:
        cut = len(target) + 20
        shortened = [line.strip()[:cut] for line in lines]
        found.update(
            i for i, text in enumerate(shortened) if text.startswith(target[:cut]) and text
        )
        found.update(_fuzzy(shortened, target, MIN_TEXT * 100 + 10))
    return found


def gather(
    lines: Sequence[str],
    target: str,
    old: int,
    context: tuple[str, str] | None,
    neighbour: Neighbour,
    extra: Iterable[int] = (),
) -> list[Match]:
    """Scored candidates for ``target`` (best first); ``extra`` indexes are always scored."""
    scale = max(20.0, len(lines) / 20)
    weights = WEIGHTS_WITH_CONTEXT if context is not None else WEIGHTS_WITHOUT_CONTEXT
    matches: list[Match] = []
    for index in _indexes(lines, target, old) | set(extra):
        text = sim(target, make_snippet(lines[index]))
        if text < MIN_TEXT:
            continue
        around = context_score(lines, index, context, neighbour) if context else None
        distance = 1.0 / (1.0 + abs(index - old) / scale)
        total = weights[0] * text + weights[1] * (around or 0.0) + weights[2] * distance
        matches.append(Match(index, text, around, distance, total))
    matches.sort(key=lambda m: (-m.total, abs(m.index - old), m.index))
    return matches


def context_score(
    lines: Sequence[str], index: int, context: tuple[str, str], neighbour: Neighbour
) -> float:
    """How well the lines around ``index`` match the stored context, 0-1."""
    first = sim(context[0], neighbour(lines, index, -1))
    return (first + sim(context[1], neighbour(lines, index, 1))) / 2


def _next_text(lines: Sequence[str], index: int, reach: int = 6) -> int | None:
    """The next line with text after ``index`` (within ``reach`` lines)."""
    for position in range(index + 1, min(len(lines), index + 1 + reach)):
        if lines[position].strip():
            return position
    return None


def find_slots(
    lines: Sequence[str], old: int, context: tuple[str, str] | None, neighbour: Neighbour
) -> list[Slot]:
    """Where the stored neighbours are now: the best place, or every place as good as it.

    Needs both context lines (at the start or end of a document there is only
    one).  One neighbour must match almost exactly, the other closely.  More
    than one slot means the neighbours repeat and prove nothing by themselves.
    """
    if context is None or not context[0] or not context[1]:
        return []
    before, after = context
    start, end = max(0, old - NEAR_LINES), min(len(lines), old + NEAR_LINES + 1)
    near = [(i, neighbour(lines, i - 1, 1)) for i in range(start, end) if lines[i].strip()]
    found: list[tuple[float, Slot]] = []
    for index, text in near:
        first = sim(before, text)
        following = _next_text(lines, index) if first >= CONTEXT_MATCH else None
        if following is None:
            continue
        second = sim(after, neighbour(lines, following - 1, 1))
        slot = Slot(None, index)
        if second < CONTEXT_MATCH:
            beyond = _next_text(lines, following)
            second = sim(after, neighbour(lines, beyond - 1, 1)) if beyond is not None else 0.0
            slot = Slot(following, index)
        if second >= CONTEXT_MATCH and max(first, second) >= CONTEXT_EXACT:
            found.append((first + second, slot))
    found.sort(key=lambda item: -item[0])
    return [slot for score, slot in found if score >= found[0][0] - SLOT_TIE]
