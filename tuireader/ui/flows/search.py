"""Passage search in the app: the shared index built in the background, the overlay, n/N.

The app makes one ``SearchFlow`` and calls ``open_search`` and ``step`` from its
handlers of the ``OpenSearch`` and ``StepHit`` messages.  The flow holds the
session's ``SharedIndex`` (``core.search.shared``, the one owner of the index's
life).  Once the library is known (the library screen's scan is over, or the app
was started on a single file) the flow builds it in a thread worker on the app
(``exclusive``, group ``search-index``), using the on-disk cache, a moment after
the first screen has painted, and shows its progress in the library's status
line.  A single file bigger than ``EAGER_FILE_BYTES`` is only indexed when ``/``
is first pressed.

``open_search`` shows ``SearchScreen``: with the built index at once, or with a
provider that waits for the shared build (the overlay shows its progress), so
the library is never indexed twice.  A document edited since it was indexed is
indexed again first.  Choosing a hit asks the app (``OpenDocument``) to open the
document at the passage, highlighted with its matched words; ``step`` (n/N in
the reader) moves through the hits of the last search, across documents for a
library search.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from tuireader.core.sanitize import display_text
from tuireader.core.search.shared import Builder, SharedIndex
from tuireader.ui.messages import OpenDocument
from tuireader.ui.screens.library import LibraryScreen

if TYPE_CHECKING:  # the search modules are imported when first needed: start-up time matters
    from tuireader.core.search.backend import SearchBackend
    from tuireader.core.search.build import BuildProgress
    from tuireader.core.search.hits import SearchHit
    from tuireader.ui.screens.search import IndexProvider, SearchResult

INDEX_DELAY = 0.5
"""Seconds after the library is known before indexing starts (first paint comes first)."""
FILE_INDEX_DELAY = 1.5
"""The same for a single file, whose own line index is built first."""
EAGER_FILE_BYTES = 8 * 1024 * 1024
"""A single file up to this size is indexed in the background; a bigger one on first ``/``."""
PROGRESS_INTERVAL = 0.2
"""Seconds between progress updates sent to the UI."""
GROUP = "search-index"
"""Worker group of the shared index build."""


def matched_words(hit: SearchHit) -> list[str]:
    """The words of a hit's passage that matched the query (for highlighting)."""
    return list(dict.fromkeys(hit.passage[start:end] for start, end in hit.spans if end > start))


def progress_text(report: BuildProgress) -> str:
    """A short line about an index build, e.g. ``Indexing 120/500 docs, 8,000 passages``."""
    return (
        f"Indexing {report.documents_done:,}/{report.documents_total:,} docs, "
        f"{report.passages:,} passages"
    )


class SearchFlow:
    """Drives the search overlay and n/N; builds the shared index in a worker."""

    def __init__(self, app: App[Any], builder: Builder | None = None) -> None:
        """Search for ``app``; ``builder`` replaces ``SearchIndex.build`` (tests)."""
        self.app = app
        self.shared = SharedIndex(builder)
        """The session's index: built once, reused by every overlay, rebuilt on change."""
        self.last: SearchResult | None = None
        """The last search whose hit was opened."""
        self.position = 0
        """Which of ``last``'s hits is shown."""
        self._worker: Worker[None] | None = None
        self._timer: Timer | None = None
        self.single_file = False
        """Whether the app reads one file (``tuireader FILE``): no library to search."""

    # ------------------------------------------------------------ building

    @property
    def index(self) -> SearchBackend | None:
        """The built index, once ready."""
        return self.shared.index

    @property
    def building(self) -> bool:
        """Whether the shared build's worker runs."""
        return self._worker is not None and not self._worker.is_finished

    def set_sources(self, sources: Sequence[Path]) -> None:
        """Index ``sources`` (files and folders) when the index is first needed.

        Ignored once the index is being built or built (the first sources win).
        """
        if self._worker is None and self.shared.index is None:
            self.shared.set_sources(Path(source) for source in sources)

    def library_known(self, sources: Sequence[Path], *, delay: float = INDEX_DELAY) -> None:
        """The library (made of ``sources``) is scanned: index it after ``delay`` seconds."""
        self.set_sources(sources)
        self._schedule(delay)

    def file_known(self, path: Path, *, delay: float = INDEX_DELAY) -> None:
        """The app reads a single file: index it soon if small, else on first ``/``."""
        self.single_file = True
        self.set_sources([Path(path)])
        try:
            size = Path(path).stat().st_size
        except OSError:
            return
        if size <= EAGER_FILE_BYTES:
            self._schedule(delay)

    def _schedule(self, delay: float) -> None:
        """Start the build after ``delay`` (after the next refresh when 0)."""
        if self._worker is not None or self._timer is not None:
            return
        if delay <= 0:
            self.app.call_after_refresh(self.start)
        else:
            self._timer = self.app.set_timer(delay, self.start, name="search-index-delay")

    def start(self) -> None:
        """Start building the shared index now (unless built or being built)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.shared.sources is None or self.shared.index is not None or self.building:
            return
        self._worker = self.app.run_worker(
            self._build,
            name="search index",
            group=GROUP,
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _build(self) -> None:
        """Build the shared index (worker thread); tell the UI how it goes."""
        from tuireader.core.search.build import BuildCancelled

        worker = get_current_worker()
        last = [0.0]

        def progress(report: BuildProgress) -> None:
            now = time.monotonic()
            if report.finished or now - last[0] >= PROGRESS_INTERVAL:
                last[0] = now
                self._to_ui(self._show_status)

        try:
            self.shared.ensure(progress, lambda: worker.is_cancelled)
        except BuildCancelled:
            return
        except RuntimeError:
            pass  # the shared index keeps the one-line reason: ``status_text`` shows it
        self._to_ui(self._show_status)

    def _to_ui(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the UI thread (ignored when the app is closing)."""
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(callback)

    def status_text(self) -> str:
        """One line about the index: building, ready or failed."""
        index = self.shared.index
        if index is not None:
            return f"ctrl+f searches {index.passages:,} passages"
        error = self.shared.error
        if error is not None:
            return f"Search index failed: {display_text(error)}"
        progress = self.shared.progress
        if progress is not None:
            return progress_text(progress)
        return "Indexing…" if self._worker is not None else ""

    def _show_status(self) -> None:
        """Show the index's state in the library's status line."""
        text = self.status_text()
        for screen in self.app.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.set_index_status(text)

    # ------------------------------------------------------------ the overlay

    def open_search(self, document: Path | None) -> None:
        """Show the search overlay: on ``document`` (Tab: whole library), or the library."""
        from tuireader.ui.screens.search import SearchScreen

        if self.shared.sources is None:
            self.shared.set_sources([Path(document)] if document is not None else [])
        if document is not None and self.shared.is_stale(document):
            self.shared.invalidate()  # its lines may differ: index it again
        self.start()
        index = self.shared.index
        source: SearchBackend | IndexProvider
        if index is not None and (document is None or index.has_document(document)):
            source = index
        else:
            source = self._provider(Path(document) if document is not None else None)
        screen = SearchScreen(
            source, document, document_scope=document is not None, library=not self.single_file
        )
        self.app.push_screen(screen, self._chosen)

    def _provider(self, document: Path | None) -> IndexProvider:
        """An overlay's provider: waits (in the overlay's worker) for the shared index.

        A document outside the library (opened from a bookmark, say) gets an index
        of its own, built once and kept for the session.
        """

        def provide(
            report: Callable[[BuildProgress], None], cancelled: Callable[[], bool]
        ) -> SearchBackend:
            return self.shared.ensure_for(document, report, cancelled)

        return provide

    def _chosen(self, result: SearchResult | None) -> None:
        """A hit was chosen in the overlay: open it, remember the search for n/N."""
        if result is None or not result.hits:
            return
        self.last = result
        self.position = result.index
        total = len(result.hits)
        notice = f"hit {result.index + 1}/{total}"
        if total > 1:
            notice += "  ·  n next, N previous"
        self.show(result.hit, notice, (result.index + 1, total))

    def show(
        self, hit: SearchHit, notice: str | None = None, position: tuple[int, int] | None = None
    ) -> None:
        """Ask the app to open ``hit``'s document at its passage, its matched words marked.

        ``position`` (k of total) goes to the reader's status line.
        """
        self.app.post_message(
            OpenDocument(
                path=hit.path,
                line=hit.match_line,
                highlight=(hit.line, hit.last_line),
                words=tuple(matched_words(hit)),
                notice=notice,
                hit=position,
            )
        )

    def step(self, direction: int) -> None:
        """Show the next (1) or previous (-1) hit of the last search."""
        result = self.last
        if result is None or not result.hits:
            self.app.notify("No search yet: press / to search.", markup=False)
            return
        total = len(result.hits)
        target = self.position + (1 if direction > 0 else -1)
        if not 0 <= target < total:
            where = "Last" if direction > 0 else "First"
            other = "N goes back" if direction > 0 else "n goes on"
            self.app.notify(
                f"{where} hit ({self.position + 1}/{total}); {other}, / searches again.",
                markup=False,
            )
            return
        self.position = target
        # The position shows in the reader's status line: no notification to cover the page.
        self.show(result.hits[target], None, (target + 1, total))

    def close(self) -> None:
        """Release the shared index (when the app ends)."""
        self.shared.close()
