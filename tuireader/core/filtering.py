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
    return DocumentFilter(documents).matches(query)


class DocumentFilter:
    """``filter_documents`` for one list of documents, typed into again and again.

    The lower-cased titles, paths and names are made once; each query then
    scores all documents in a few passes (rapidfuzz's C loop for the typos), the
    same scores as ``document_score``.  Make a new one when the list changes.
    """

    def __init__(self, documents: Sequence[Document]) -> None:
        """Prepare ``documents`` (kept in their order) for filtering."""
        self.count = len(documents)
        self.titles = [document.title.lower() for document in documents]
        self.paths = [str(document.path).lower() for document in documents]
        self.names = [document.path.name.lower() for document in documents]
        self.authors = [(document.author or "").lower() for document in documents]

    def matches(self, query: str) -> list[int]:
        """Indexes of the documents matching ``query``, best first (ties in list order)."""
        from rapidfuzz import fuzz, process

        query = query.strip().lower()
        if not query:
            return list(range(self.count))
        scores: dict[int, float] = {}
        for position, title in enumerate(self.titles):
            found = title.find(query)
            if found >= 0:
                scores[position] = 200.0 - found / 100
            elif (by := self.authors[position].find(query)) >= 0 and self.authors[position]:
                scores[position] = 175.0 - by / 100
            elif query in self.paths[position]:
                scores[position] = 150.0
        fuzzy: dict[int, float] = {}
        for choices in (self.titles, self.names, self.authors):
            for _, score, position in process.extract_iter(
                query, choices, scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF
            ):
                if position not in scores and score > fuzzy.get(position, 0.0):
                    fuzzy[position] = score
        scores.update(fuzzy)
        ranked = sorted((-score, position) for position, score in scores.items())
        return [position for _, position in ranked]
