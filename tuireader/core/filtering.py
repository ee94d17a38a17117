"""The library's filter: which documents match what the user typed, best first.

Plain functions, no Textual: the library screen calls ``filter_documents`` as
the user types.  A title that contains the query comes first (earlier is
better), then a path that contains it, then typo-tolerant matches on the
title or file name (rapidfuzz, imported when first needed).
"""

from __future__ import annotations

from collections.abc import Sequence

from tuireader.core.models import Document

FUZZY_CUTOFF = 70
"""Lowest rapidfuzz partial-ratio score (0-100) for a typo-tolerant match."""


def document_score(query: str, document: Document) -> float | None:
    """How well ``document`` matches the lower-cased, stripped ``query`` (``None``: not at all)."""
    from rapidfuzz import fuzz  # imported late: start-up time matters

    title = document.title.lower()
    if query in title:
        return 200.0 - title.index(query) / 100
    author = (document.author or "").lower()
    if author and query in author:
        return 175.0 - author.index(query) / 100
    if query in str(document.path).lower():
        return 150.0
    score = max(
        fuzz.partial_ratio(query, title, score_cutoff=FUZZY_CUTOFF),
        fuzz.partial_ratio(query, document.path.name.lower(), score_cutoff=FUZZY_CUTOFF),
        fuzz.partial_ratio(query, author, score_cutoff=FUZZY_CUTOFF) if author else 0,
    )
    return score if score >= FUZZY_CUTOFF else None


def filter_documents(query: str, documents: Sequence[Document]) -> list[int]:
    """Indexes of the documents matching ``query`` (fuzzy on title and path), best first.

    An empty query keeps every document in its order; ties keep the given order.
    """
    query = query.strip().lower()
    if not query:
        return list(range(len(documents)))
    scored: list[tuple[float, int]] = []
    for position, document in enumerate(documents):
        score = document_score(query, document)
        if score is not None:
            scored.append((-score, position))
    scored.sort()
    return [position for _, position in scored]
