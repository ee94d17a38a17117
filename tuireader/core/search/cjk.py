"""Chinese and Japanese text for search: runs of ideographs and kana as character bigrams.

These scripts do not separate words with spaces, so a run such as 東京都庁舎 is
indexed as its overlapping pairs of characters 東京 京都 都庁 庁舎 (and a run of
one character as that character).  A query run is cut the same way, so an exact
run in a passage matches every one of its pairs, adjacent and in order, while a
passage that only shares some characters matches few pairs or none: exact runs
rank first.  Pairs are never matched fuzzily (a "typo" there is another word).
"""

from __future__ import annotations


def bigrams(run: str) -> list[str]:
    """The overlapping character pairs of a CJK run (the run itself when it is one character)."""
    if len(run) <= 1:
        return [run] if run else []
    return [run[index : index + 2] for index in range(len(run) - 1)]


def merge_spans(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Overlapping or touching ``[start, end)`` spans joined (so a run's pairs light it whole)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def index_terms(run: str) -> set[str]:
    """What a run puts in the index: its pairs, and its characters for one-character queries."""
    return {*bigrams(run), *run}
