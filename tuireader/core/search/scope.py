"""Where a query searches: the passage ranges its filters leave, and what it excludes.

``make_scope`` turns the documents passing a query's filters (``DocFilter``)
within a base range (the whole library or one document) into passage ranges;
with very many ranges it keeps one range and a set of allowed documents
instead.  ``PassageFilter`` is what candidate selection leaves out: passages
holding an excluded word, or outside the allowed documents.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tuireader.core.search.filters import DocFilter
from tuireader.core.search.index_file import DocEntry, IndexData

MAX_SCOPE_RANGES = 64
"""Filtered documents looked up range by range; beyond, candidates are filtered instead."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Where to search: passage ranges, and the allowed documents when ranges were too many."""

    ranges: list[tuple[int, int]]
    """``[first, end)`` passage ranges, in order."""
    allowed: set[int] | None = None
    """Document numbers a candidate must belong to (None: any in the ranges)."""


def make_scope(documents: list[DocEntry], base: tuple[int, int], doc_filter: DocFilter) -> Scope:
    """The passages of ``base`` in documents passing ``doc_filter`` (empty ranges: none)."""
    if not doc_filter.active:
        return Scope([base])
    first, end = base
    ranges: list[tuple[int, int]] = []
    allowed: set[int] = set()
    for number, entry in enumerate(documents):
        if entry.end <= first or entry.first >= end or entry.first == entry.end:
            continue
        if not doc_filter.accepts(entry.path, entry.title, entry.author, entry.language):
            continue
        allowed.add(number)
        start, stop = max(first, entry.first), min(end, entry.end)
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], stop)
        else:
            ranges.append((start, stop))
    if len(ranges) > MAX_SCOPE_RANGES:
        return Scope([(ranges[0][0], ranges[-1][1])], allowed)
    return Scope(ranges)


@dataclass(frozen=True, slots=True)
class PassageFilter:
    """Which gathered passages to leave out, and how many candidates to score on text."""

    excluded: set[int]
    scope: Scope
    detail_limit: int
    data: IndexData

    def drop(self, passages: set[int]) -> set[int]:
        """The passages of ``passages`` to leave out."""
        allowed = self.scope.allowed
        if not self.excluded and allowed is None:
            return set()
        owner = self.data.passage_doc
        return {
            passage
            for passage in passages
            if passage in self.excluded or (allowed is not None and owner[passage] not in allowed)
        }


def excluded_passages(
    data: IndexData,
    word_id: Callable[[str], int | None],
    exclude: Iterable[str],
    ranges: list[tuple[int, int]],
) -> set[int]:
    """Passages holding an excluded word (folded, exactly) within the ranges."""
    excluded: set[int] = set()
    postings = data.postings
    offsets = data.post_offsets
    for word in exclude:
        number = word_id(word)
        if number is None:
            continue
        own = postings[offsets[number] : offsets[number + 1]]
        for first, end in ranges:
            low = bisect.bisect_left(own, first)
            high = bisect.bisect_left(own, end, low)
            excluded.update(own[low:high].tolist())
    return excluded
