"""The re-anchoring of the first batch (text and distance only), kept as the bench's baseline.

Exact line nearest the old place, else the most similar line (rapidfuzz ratio >= 80)
near it, else anywhere; it never says "uncertain".  Do not use outside bench/.
"""

from __future__ import annotations

from collections.abc import Sequence

from tuireader.core.bookmarks.reanchor import make_snippet

NEAR_LINES = 300
MIN_SCORE = 80.0


def _nearest(indexes: list[int], old: int) -> int | None:
    """The index closest to ``old``."""
    return min(indexes, key=lambda index: (abs(index - old), index)) if indexes else None


def _best_fuzzy(candidates: Sequence[str], target: str, old: int, start: int) -> int | None:
    """The most similar candidate (nearest on a tie)."""
    from rapidfuzz import fuzz, process

    found = process.extract(target, candidates, scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=50)
    if not found:
        return None
    best = max(found, key=lambda hit: (hit[1], -abs(start + hit[2] - old)))
    return start + best[2]


def baseline_reanchor(lines: Sequence[str], snippet: str, old_line: int) -> tuple[str, int]:
    """(status, 1-based line) as the first batch found it: same, moved or gone."""
    size = len(lines)
    target = make_snippet(snippet)
    old = min(max(old_line, 1), max(size, 1)) - 1
    if 0 <= old < size and make_snippet(lines[old]) == target:
        return "same", old + 1
    start, end = max(0, old - NEAR_LINES), min(size, old + NEAR_LINES + 1)
    normed = [make_snippet(line) for line in lines[start:end]]
    hit = _nearest([start + i for i, text in enumerate(normed) if text == target], old)
    if hit is None:
        hit = _best_fuzzy(normed, target, old, start)
    if hit is None and (start > 0 or end < size):
        everywhere = [make_snippet(line) for line in lines]
        hit = _nearest([i for i, text in enumerate(everywhere) if text == target], old)
        if hit is None:
            hit = _best_fuzzy(everywhere, target, old, 0)
    if hit is None:
        return "gone", old + 1
    return ("same" if hit + 1 == old_line else "moved"), hit + 1
