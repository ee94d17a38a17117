"""``SearchIndex``: typo-tolerant passage search over some documents, cached on disk.

The facade over the package: ``build`` (``core.search.build``) indexes files,
folders or ``Document``s, reusing the on-disk cache; ``search``
(``core.search.query``) answers a query with ``SearchHit``s, best first; the
query may use the syntax of ``core.search.query_syntax`` (phrases, exclusions,
filters, applied to the scope by ``core.search.scope``).  Safe
to build in a worker thread and to query from several threads at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from tuireader.core.search.backend import SearchBackend
from tuireader.core.search.build import CancelCheck, ProgressCallback, Source, build_index
from tuireader.core.search.every import iter_document_hits
from tuireader.core.search.filters import DocFilter
from tuireader.core.search.hits import SearchHit, distinct
from tuireader.core.search.index_file import DocEntry, IndexData
from tuireader.core.search.query import run_query
from tuireader.core.search.query_syntax import parse_query
from tuireader.core.search.scope import make_scope
from tuireader.core.search.vocabulary import Vocabulary


class SearchIndex:
    """A built search index over the passages of some documents."""

    def __init__(self, data: IndexData, warnings: list[str] | None = None) -> None:
        """Wrap loaded index data (use ``build``)."""
        self._data = data
        self.warnings: list[str] = list(warnings or [])
        """Problems met while building (unreadable files...), one line each."""
        self.documents: list[DocEntry] = data.documents
        self._by_path = {entry.path: number for number, entry in enumerate(self.documents)}
        self._vocabulary = Vocabulary(data)
        self.loaded_from_cache = False
        """True when no document had to be read."""

    @classmethod
    def build(
        cls,
        sources: Iterable[Source],
        *,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        use_cache: bool = True,
    ) -> SearchIndex:
        """Index files, folders or ``Document``s, reusing the on-disk cache.

        Unchanged documents (same path, size and modification time) are taken
        from the cache without being read.  ``progress`` is called with a
        ``BuildProgress`` after each document (and every few thousand passages);
        ``should_cancel`` is polled as often and a true answer raises
        ``BuildCancelled``.  Unreadable documents become ``warnings``.  Safe to
        call from a worker thread.
        """
        built = build_index(
            sources, progress=progress, should_cancel=should_cancel, use_cache=use_cache
        )
        index = cls(built.data, built.warnings)
        index.loaded_from_cache = built.loaded_from_cache
        return index

    @property
    def passages(self) -> int:
        """Number of passages indexed."""
        return self._data.passages

    def has_document(self, path: Path | str) -> bool:
        """Whether the document at ``path`` is in the index."""
        return os.path.abspath(path) in self._by_path

    def is_stale(self, path: Path | str) -> bool:
        """Whether the indexed document at ``path`` changed on disk since it was indexed.

        A document not in the index, or gone, is not stale.
        """
        number = self._by_path.get(os.path.abspath(path))
        if number is None:
            return False
        entry = self.documents[number]
        try:
            info = os.stat(entry.path)
        except OSError:
            return False
        return (info.st_size, info.st_mtime_ns) != (entry.size, entry.mtime_ns)

    def close(self) -> None:
        """Release the mapped index file."""
        self._data.close()

    def scope_range(self, scope_path: Path | str | None) -> tuple[int, int] | None:
        """Passage numbers ``[first, end)`` of a scope, or None if the document is unknown."""
        if scope_path is None:
            return 0, self._data.passages
        number = self._by_path.get(os.path.abspath(scope_path))
        if number is None:
            return None
        entry = self.documents[number]
        return entry.first, entry.end

    def search(
        self,
        query: str,
        limit: int = 20,
        scope_path: Path | str | None = None,
        *,
        should_cancel: CancelCheck | None = None,
    ) -> list[SearchHit]:
        """The passages best matching ``query``, best first.

        ``scope_path`` limits the search to one document (an unknown one gives no
        hits).  A query with no words to look for (empty, or only filters and
        exclusions) gives no hits.  ``should_cancel`` is polled while searching; a
        true answer stops early with no hits.  Thread-safe for concurrent reads.
        """
        base = self.scope_range(scope_path)
        parsed = parse_query(query[:20_000])
        if base is None or limit <= 0 or parsed.is_empty:
            return []
        scope = make_scope(self.documents, base, DocFilter.from_query(parsed))
        if not scope.ranges:
            return []
        # Ask for more than needed: a hit whose matches a better one shows is dropped.
        hits = run_query(
            self._data, self._vocabulary, self.documents, parsed, 2 * limit, scope, should_cancel
        )
        return distinct(hits)[:limit]

    def search_all(self, query: str, scope_path: Path | str) -> Iterator[SearchHit]:
        """Every line of the document at ``scope_path`` matching ``query``, in document order.

        Lazy: lines are found as the iterator is read.  Each line is given once.
        """
        scope = self.scope_range(scope_path)
        if scope is None or not query.strip():
            return iter(())
        return iter_document_hits(self._data, self._vocabulary, self.documents, query, scope)


_IMPLEMENTS: type[SearchBackend] = SearchIndex
"""``SearchIndex`` is a ``SearchBackend`` (mypy checks this assignment)."""
