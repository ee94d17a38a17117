"""Passage search in the app: one shared index built in the background, the overlay, n/N.

The app makes one ``SearchFlow``.  Once the library is known (the library
screen's scan is over, or the app was started on a single file) the flow builds
ONE ``LibraryIndex`` in a thread worker on the app (``exclusive``, group
``search-index``), using the on-disk cache, a moment after the first screen has
painted, and shows its progress in the library's status line.  A single file
bigger than ``EAGER_FILE_BYTES`` is only indexed when ``/`` is first pressed.

``open_search`` shows ``SearchScreen``: with the built index at once, or with a
provider that waits for the shared build (the overlay shows its progress), so
the library is never indexed twice.  Choosing a hit opens the document at the
passage, highlighted with its matched words; ``step`` (n/N in the reader) moves
through the hits of the last search, across documents for a library search.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from tuireader.core.paths import same_file
from tuireader.core.sanitize import display_text

if TYPE_CHECKING:  # the search modules are imported when first needed: start-up time matters
    from tuireader.core.search.index import BuildProgress, LibraryIndex, SearchHit
    from tuireader.ui.screens.search import SearchResult

INDEX_DELAY = 0.5
"""Seconds after the library is known before indexing starts (first paint comes first)."""
FILE_INDEX_DELAY = 1.5
"""The same for a single file, whose own line index is built first."""
EAGER_FILE_BYTES = 8 * 1024 * 1024
"""A single file up to this size is indexed in the background; a bigger one on first ``/``."""
PROGRESS_INTERVAL = 0.2
"""Seconds between progress updates sent to the UI."""
WAIT_POLL = 0.1
"""Seconds between checks of an overlay waiting for the shared build."""
GROUP = "search-index"
"""Worker group of the shared index build."""

Builder = Callable[..., "LibraryIndex"]
"""``LibraryIndex.build``'s signature: (sources, *, progress, should_cancel, use_cache)."""


def search_flow(app: App[Any]) -> SearchFlow:
    """The app's search flow (made on first use for an app that has none)."""
    flow = getattr(app, "search_flow", None)
    if not isinstance(flow, SearchFlow):
        flow = SearchFlow(app)
        app.search_flow = flow  # type: ignore[attr-defined]
    return flow


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
    """Owns the app's search index and the last search (for n/N)."""

    def __init__(self, app: App[Any], builder: Builder | None = None) -> None:
        """Search for ``app``; ``builder`` replaces ``LibraryIndex.build`` (tests)."""
        self.app = app
        self.builder = builder
        self.sources: list[Path] | None = None
        """What the index is built from (library folders/files, or the single file)."""
        self.index: LibraryIndex | None = None
        """The built index, once ready."""
        self.progress: BuildProgress | None = None
        """The latest progress report of the build."""
        self.error: str | None = None
        """Why the last build failed (one line), if it did."""
        self.last: SearchResult | None = None
        """The last search whose hit was opened."""
        self.position = 0
        """Which of ``last``'s hits is shown."""
        self._ready = threading.Event()
        self._worker: Worker[None] | None = None
        self._timer: Timer | None = None
        self._extra: dict[Path, LibraryIndex] = {}

    # ------------------------------------------------------------ building

    @property
    def building(self) -> bool:
        """Whether the shared build is running."""
        return self._worker is not None and not self._ready.is_set()

    def set_sources(self, sources: Sequence[Path]) -> None:
        """Index ``sources`` (files and folders) when the index is first needed."""
        if self._worker is None:
            self.sources = [Path(source) for source in sources]

    def library_known(self, sources: Sequence[Path], *, delay: float = INDEX_DELAY) -> None:
        """The library (made of ``sources``) is scanned: index it after ``delay`` seconds."""
        self.set_sources(sources)
        self._schedule(delay)

    def file_known(self, path: Path, *, delay: float = INDEX_DELAY) -> None:
        """The app reads a single file: index it soon if small, else on first ``/``."""
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
        """Start building the shared index now (once; again after a failure)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.sources is None:
            return
        if self._worker is not None and self.error is None:
            return
        self.error = None
        self._ready.clear()
        self._worker = self.app.run_worker(
            self._build,
            name="search index",
            group=GROUP,
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _build(self) -> None:
        """Build the index (worker thread); tell the UI how it goes."""
        from tuireader.core.search.index import BuildCancelled, LibraryIndex

        worker = get_current_worker()
        builder = self.builder or LibraryIndex.build
        last = [0.0]

        def progress(report: BuildProgress) -> None:
            self.progress = report
            now = time.monotonic()
            if report.finished or now - last[0] >= PROGRESS_INTERVAL:
                last[0] = now
                self._to_ui(self._show_status)

        assert self.sources is not None
        try:
            index = builder(
                list(self.sources), progress=progress, should_cancel=lambda: worker.is_cancelled
            )
        except BuildCancelled:
            self.error = "indexing was cancelled"
            self._ready.set()
            return
        except Exception as error:  # a one-line message, never a traceback
            text = str(error).splitlines()[0] if str(error) else type(error).__name__
            self.error = display_text(text)
            self._ready.set()
            self._to_ui(self._show_status)
            return
        self.index = index
        self._ready.set()
        self._to_ui(self._show_status)

    def _to_ui(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the UI thread (ignored when the app is closing)."""
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(callback)

    def status_text(self) -> str:
        """One line about the index: building, ready or failed."""
        if self.index is not None:
            return f"ctrl+f searches {self.index.passages:,} passages"
        if self.error is not None:
            return f"Search index failed: {self.error}"
        if self.progress is not None:
            return progress_text(self.progress)
        return "Indexing…" if self._worker is not None else ""

    def _show_status(self) -> None:
        """Show the index's state in the library's status line."""
        from tuireader.ui.screens.library import LibraryScreen

        text = self.status_text()
        for screen in self.app.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.set_index_status(text)

    def wait_for_index(
        self, report: Callable[[BuildProgress], None], cancelled: Callable[[], bool]
    ) -> LibraryIndex:
        """Wait (in a worker thread) for the shared build, passing on its progress."""
        from tuireader.core.search.index import BuildCancelled

        shown: BuildProgress | None = None
        while not self._ready.wait(WAIT_POLL):
            if cancelled():
                raise BuildCancelled
            current = self.progress
            if current is not None and current is not shown:
                shown = current
                report(current)
        if self.index is None:
            raise RuntimeError(self.error or "the index could not be built")
        return self.index

    # ------------------------------------------------------------ the overlay

    def open_search(self, document: Path | None) -> None:
        """Show the search overlay: on ``document`` (Tab: whole library), or the library."""
        from tuireader.ui.screens.search import SearchScreen

        if self.sources is None:
            self.sources = [Path(document)] if document is not None else []
        if document is not None and self.index is not None and self._changed(Path(document)):
            self._rebuild()
        if self.index is None and (self._worker is None or self.error is not None):
            self.start()
        source: Any = self.index
        if self.index is None or (document is not None and not self.index.has_document(document)):
            source = self._provider(Path(document) if document is not None else None)
        screen = SearchScreen(source, document, document_scope=document is not None)
        self.app.push_screen(screen, self._chosen)

    def _changed(self, document: Path) -> bool:
        """Whether ``document`` was edited since the index was built (its lines may differ)."""
        assert self.index is not None
        wanted = os.path.abspath(document)
        for entry in self.index.documents:
            if entry.path == wanted:
                try:
                    info = os.stat(wanted)
                except OSError:
                    return False
                return (info.st_size, info.st_mtime_ns) != (entry.size, entry.mtime_ns)
        return False

    def _rebuild(self) -> None:
        """Build the index again (unchanged documents come from the cache)."""
        self.index = None
        self.progress = None
        self._worker = None
        self._extra.clear()
        self.start()

    def _provider(
        self, document: Path | None
    ) -> Callable[[Callable[[BuildProgress], None], Callable[[], bool]], LibraryIndex]:
        """An overlay's provider: the shared index once built.

        A document outside the library (opened from a bookmark, say) gets an index
        of its own, built once and kept for the session.
        """

        def provide(
            report: Callable[[BuildProgress], None], cancelled: Callable[[], bool]
        ) -> LibraryIndex:
            from tuireader.core.search.index import LibraryIndex

            index = self.wait_for_index(report, cancelled)
            if document is None or index.has_document(document):
                return index
            known = self._extra.get(document)
            if known is None:
                builder = self.builder or LibraryIndex.build
                known = builder([document], progress=report, should_cancel=cancelled)
                self._extra[document] = known
            return known

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
        self.show(result.hit, notice)

    def show(self, hit: SearchHit, notice: str | None = None) -> None:
        """Open ``hit``'s document at its passage, highlighted with its matched words."""
        from tuireader.ui.screens.reader import ReaderScreen

        opener = getattr(self.app, "open_document", None)
        if opener is None:
            return
        span = (hit.line, hit.last_line)
        opener(hit.path, hit.line, highlight=span, notice=notice)
        reader = self.app.screen
        if isinstance(reader, ReaderScreen) and same_file(reader.document.path, hit.path):
            reader.show_passage(hit.line, hit.last_line, matched_words(hit))

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
        self.show(result.hits[target], f"hit {target + 1}/{total}")
