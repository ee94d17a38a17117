"""``SearchBackend``: the search interface the rest of tuireader uses.

Today's one implementation is ``core.search.index.SearchIndex``; another engine
could stand behind this protocol without the UI or the CLI changing.  Building
is "update" too: a build reuses what is unchanged since the last one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol, Self, runtime_checkable

from tuireader.core.search.build import CancelCheck, ProgressCallback, Source
from tuireader.core.search.hits import SearchHit


@runtime_checkable
class SearchBackend(Protocol):
    """A built passage index that answers queries."""

    warnings: list[str]
    """Problems met while building, one line each."""

    @classmethod
    def build(
        cls,
        sources: Iterable[Source],
        *,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        use_cache: bool = True,
    ) -> Self:
        """Index ``sources`` (files, folders, documents), reusing what did not change.

        Raises ``BuildCancelled`` when ``should_cancel`` answers true.
        """
        ...

    @property
    def passages(self) -> int:
        """Number of passages indexed."""
        ...

    def has_document(self, path: Path | str) -> bool:
        """Whether the document at ``path`` is in the index."""
        ...

    def is_stale(self, path: Path | str) -> bool:
        """Whether the indexed document at ``path`` changed since it was indexed."""
        ...

    def search(
        self,
        query: str,
        limit: int = 20,
        scope_path: Path | str | None = None,
        *,
        should_cancel: CancelCheck | None = None,
    ) -> list[SearchHit]:
        """The passages best matching ``query``, best first (``scope_path``: one document).

        ``should_cancel`` is polled while searching; a true answer stops the search
        early with no hits (a newer query replaced this one).
        """
        ...

    def search_all(self, query: str, scope_path: Path | str) -> Iterator[SearchHit]:
        """Every line of one document matching ``query``, each once, in document order (lazy)."""
        ...

    def close(self) -> None:
        """Release what the index holds (mapped files...)."""
        ...
