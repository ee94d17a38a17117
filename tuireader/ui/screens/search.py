"""The search overlay: type a few words, see matching passages as you type, pick one.

``SearchScreen`` is a modal screen.  It is given a built index (a
``SearchBackend``) or a provider that builds one (run in a thread worker, with progress shown), and
optionally the path of the document being read, which enables a this-document /
whole-library scope toggle.  A query runs on every key in a thread worker
(``exclusive``, one group), so typing never waits on a search and a stale
query's search stops and its results are dropped.  A library query may use the
search syntax (phrases, -exclusions, title:/author:/in:/lang: filters;
``core.search.query_syntax``); so may a search in one document, whose
filters do not apply there (the status line says they are ignored).  Enter
dismisses the screen with a ``SearchResult`` (the hits and the chosen one, so
the reader can step through them with n/N); Escape dismisses it with None.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuireader.core.sanitize import display_text
from tuireader.core.search.backend import SearchBackend
from tuireader.core.search.build import (
    BuildCancelled,
    BuildProgress,
    CancelCheck,
    ProgressCallback,
)
from tuireader.core.search.hits import SearchHit, snippet
from tuireader.core.search.query_syntax import parse_query

IndexProvider = Callable[[ProgressCallback, CancelCheck], SearchBackend]
"""Builds the index: called in a worker thread with a progress callback and a cancel check."""

DEBOUNCE_SECONDS = 0.0
"""Pause in typing before a query runs (0: a query on every key, the previous one dropped)."""
PLACEHOLDER = 'Words (typos, any order) · "a phrase" · -word · title: author: in: lang:'
"""What the empty input says (the syntax in full is on the help screen)."""
FIRST_PAGE = 12
"""Hits listed at once for a new query; the rest of the page follows the first paint."""
RESULT_LIMIT = 50
"""Hits of a library search shown (and handed back for n/N) at most."""
DOCUMENT_HIT_LIMIT = 100_000
"""Hits of a search in one document kept at most (every line holding the query, in order)."""
PAGE = 100
"""Hits added to the list at a time; the next page comes as the cursor nears the end."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """What the search overlay returns: the hits of the last query and the chosen one."""

    query: str
    """The query as typed."""
    hits: tuple[SearchHit, ...]
    """The hits, best first."""
    index: int
    """Position of the chosen hit in ``hits``."""
    scope_path: Path | None
    """The document searched, or None for the whole library."""

    @property
    def hit(self) -> SearchHit:
        """The chosen hit."""
        return self.hits[self.index]


class SearchScreen(ModalScreen[SearchResult | None]):
    """A modal overlay for typo-tolerant passage search."""

    DEFAULT_CSS = """
    SearchScreen {
        align: center top;
    }
    SearchScreen > #search-dialog {
        width: 90%;
        max-width: 120;
        height: 90%;
        margin-top: 2;
        padding: 0 1;
        background: $surface;
        border: tall $primary;
    }
    SearchScreen #search-title {
        color: $text-accent;
        text-style: bold;
        height: 1;
    }
    SearchScreen #search-input {
        margin: 0;
    }
    SearchScreen #search-status {
        color: $text-muted;
        height: 1;
    }
    SearchScreen #search-results {
        /* The list's own height is what shows, so keeping the cursor in view works. */
        height: 1fr;
        border: none;
        background: $surface;
    }
    SearchScreen #search-help {
        color: $text-muted;
        height: 1;
        dock: bottom;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", show=False),
        Binding("down", "move(1)", "Next hit", show=False, priority=True),
        Binding("up", "move(-1)", "Previous hit", show=False, priority=True),
        Binding("pagedown", "move(10)", "Hits below", show=False, priority=True),
        Binding("pageup", "move(-10)", "Hits above", show=False, priority=True),
        Binding("tab", "toggle_scope", "Scope", show=False, priority=True),
    ]

    def __init__(
        self,
        index: SearchBackend | IndexProvider,
        current_path: Path | None = None,
        *,
        query: str = "",
        document_scope: bool = False,
        limit: int = RESULT_LIMIT,
        library: bool = True,
    ) -> None:
        """Search ``index`` (or the index a provider builds); ``current_path`` enables scopes.

        ``library=False`` (``tuireader FILE``): there is only the document, no Tab scope.
        """
        super().__init__()
        self.library = library
        document_scope = document_scope or not library
        self._index: SearchBackend | None = index if isinstance(index, SearchBackend) else None
        self._provider: IndexProvider | None = None if isinstance(index, SearchBackend) else index
        self.current_path = current_path
        self.document_scope = document_scope and current_path is not None
        self._initial_query = query
        self._limit = limit
        self._hits: list[SearchHit] = []
        self._shown_query: str | None = None
        self._shown_scope: Path | None = None
        self._debounce: Timer | None = None
        self.searches = 0
        """Searches completed (shown) so far; for tests."""
        self.complete = True
        """Whether the hits shown are all of them (a search in a document shows a page first)."""

    # -- layout

    def compose(self) -> ComposeResult:
        """The dialog: title, input, status, results, key help."""
        with Vertical(id="search-dialog"):
            yield Static(id="search-title")
            yield Input(
                value=self._initial_query,
                placeholder=PLACEHOLDER,
                id="search-input",
            )
            yield Static(id="search-status")
            yield OptionList(id="search-results")
            help_text = "↑↓ move · Enter open · Esc close"
            if self.current_path is not None and self.library:
                help_text += " · Tab this document / whole library"
            yield Static(Content(help_text), id="search-help")

    def on_mount(self) -> None:
        """Focus the input, start building the index if needed."""
        self._update_title()
        self.query_one(Input).focus()
        if self._index is None:
            self._set_status("Indexing…")
            self._build_index()
        elif self._initial_query.strip():
            self._run_query()

    # -- index building

    @work(thread=True, exclusive=True, group="search-index", exit_on_error=False)
    def _build_index(self) -> None:
        """Run the provider in a thread, reporting progress to the status line."""
        worker = get_current_worker()
        last = [0.0]

        def progress(report: BuildProgress) -> None:
            now = time.monotonic()
            if report.finished or now - last[0] >= 0.1:
                last[0] = now
                self.app.call_from_thread(self._show_progress, report)

        assert self._provider is not None
        try:
            index = self._provider(progress, lambda: worker.is_cancelled)
        except BuildCancelled:
            return
        except Exception as error:  # a one-line message, never a traceback
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            if not worker.is_cancelled:
                self.app.call_from_thread(self._set_status, f"Indexing failed: {message}")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._index_ready, index)

    def _show_progress(self, report: BuildProgress) -> None:
        """Show how far the index build has got."""
        if self._index is None:
            self._set_status(
                f"Indexing… {report.documents_done:,}/{report.documents_total:,} documents, "
                f"{report.passages:,} passages"
            )

    def _index_ready(self, index: SearchBackend) -> None:
        """The index is built: run the query typed meanwhile."""
        self._index = index
        self._update_title()
        self._set_status(f"{index.passages:,} passages indexed")
        self._run_query()

    # -- querying

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        """Search as the user types (after ``DEBOUNCE_SECONDS``, when not 0)."""
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if DEBOUNCE_SECONDS <= 0:
            self._run_query()
        else:
            self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._run_query)

    def _scope(self) -> Path | None:
        """The document to search, or None for the whole library."""
        return self.current_path if self.document_scope else None

    def _run_query(self) -> None:
        """Start a search of the current query in a worker (cancelling a stale one)."""
        self._debounce = None
        if self._index is None:
            return
        query = self.query_one(Input).value
        if not query.strip():
            self.workers.cancel_group(self, "search-query")
            self._show_hits(query, self._scope(), [])
            return
        self._search(query, self._scope())

    @work(thread=True, exclusive=True, group="search-query", exit_on_error=False)
    def _search(self, query: str, scope: Path | None) -> None:
        """Search in a thread; show the hits unless a newer query replaced this one.

        In one document every line holding the query is found, in document order;
        in the library the best passages, best first.
        """
        worker = get_current_worker()
        assert self._index is not None
        if worker.is_cancelled:
            return  # another key came before this search started
        try:
            if scope is None:
                hits = self._index.search(
                    query, self._limit, should_cancel=lambda: worker.is_cancelled
                )
            else:
                hits = []
                for hit in self._index.search_all(query, scope):
                    if worker.is_cancelled or len(hits) >= DOCUMENT_HIT_LIMIT:
                        break
                    hits.append(hit)
                    if len(hits) == PAGE:  # show the first page while the rest is found
                        self.app.call_from_thread(self._show_hits, query, scope, list(hits), False)
        except Exception as error:  # never let a search take the app down
            hits = []
            if not worker.is_cancelled:
                self.app.call_from_thread(self._set_status, f"Search failed: {error}")
                return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_hits, query, scope, hits)

    def _show_hits(
        self, query: str, scope: Path | None, hits: list[SearchHit], complete: bool = True
    ) -> None:
        """Fill the result list (if this is still the current query and scope).

        A search in one document shows its first page before it is ``complete``;
        the rest then extends the list, keeping the cursor where it is.
        """
        if query != self.query_one(Input).value or scope != self._scope():
            return
        results = self.query_one("#search-results", OptionList)
        shown = query == self._shown_query and scope == self._shown_scope
        same = shown and hits == self._hits
        grown = shown and len(hits) > len(self._hits) and hits[: len(self._hits)] == self._hits
        self._hits = list(hits)
        self._shown_query = query
        self._shown_scope = scope
        self.complete = complete
        self.searches += 1
        if not (same or grown):
            results.clear_options()
            # The first screenful at once, the rest of the page after it is painted.
            self._add_page(FIRST_PAGE)
            if len(hits) > FIRST_PAGE:
                self.call_after_refresh(self._fill_page, self._hits)
            if hits:
                results.highlighted = 0
        # The same hits again (e.g. the input's first Changed), or more of them: the list
        # grows a page at a time as the cursor goes down, and the cursor stays.
        status = self._count(hits, scope, complete) if query.strip() else ""
        ignored = parse_query(query).filter_fields if scope is not None else []
        if ignored:
            status += f" · {' '.join(ignored)} ignored in one document"
            status += " (Tab: whole library)" if self.library else ""
        self._set_status(status)

    @staticmethod
    def _count(hits: list[SearchHit], scope: Path | None, complete: bool) -> str:
        """The status line's word on the hits: how many, and in what order."""
        if not hits:
            return "No match"
        count = f"{len(hits):,}{'' if complete else '+'} hit{'s' if len(hits) != 1 else ''}"
        if scope is None:
            return count
        count += " in this document, in order"
        if not complete:
            return count + " (finding the rest…)"
        return count + (" (the first ones)" if len(hits) >= DOCUMENT_HIT_LIMIT else "")

    def _fill_page(self, shown: list[SearchHit]) -> None:
        """List the rest of the first page (unless newer hits, or a newer key, came)."""
        if shown is self._hits and self.query_one(Input).value == self._shown_query:
            self._add_page(PAGE - FIRST_PAGE)

    def _add_page(self, size: int = PAGE) -> None:
        """List the next ``size`` hits (the list grows as the cursor goes down)."""
        results = self.query_one("#search-results", OptionList)
        listed = results.option_count
        if listed >= len(self._hits):
            return
        width = max(40, (results.size.width or self.size.width or 80) - 4)
        results.add_options(
            Option(self._render_hit(hit, width), id=f"hit-{number}")
            for number, hit in enumerate(self._hits[listed : listed + size], listed)
        )

    @on(OptionList.OptionHighlighted, "#search-results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Near the end of the listed hits, list the next page."""
        event.stop()
        results = self.query_one("#search-results", OptionList)
        if event.option_index >= results.option_count - PAGE // 4:
            self._add_page()

    def _render_hit(self, hit: SearchHit, width: int) -> Content:
        """Title and line, then a snippet with the matched characters highlighted.

        A hit in the document being read is one row: its line number and the line.
        """
        in_document = self._shown_scope is not None
        number = f"{hit.line:>7,}  "
        text, spans = snippet(hit, width=width - len(number) if in_document else 2 * width - 2)
        body = Content(text)
        for start, end in spans:
            body = body.stylize("bold $text-accent", start, end)
        if in_document:
            return Content.assemble((number, "$text-muted"), body)
        header = Content.assemble(
            (display_text(hit.title), "bold"),
            (f" › {display_text(hit.chapter)}" if hit.chapter else "", "italic"),
            (f"  line {hit.match_line}", "$text-muted"),
            (f"  {hit.score:.0f}", "$text-muted"),
        )
        return Content("\n").join([header, body])

    def _set_status(self, message: str) -> None:
        """Show a one-line status (plain text, never markup)."""
        self.query_one("#search-status", Static).update(Content(message))

    def _update_title(self) -> None:
        """Show the scope in the title."""
        if not self.library and self.current_path is not None:
            scope = f"this file ({display_text(self.current_path.name)})"
        elif self.document_scope and self.current_path is not None:
            scope = f"this document ({display_text(self.current_path.name)})"
        else:
            scope = "whole library"
        self.query_one("#search-title", Static).update(Content(f"Search · {scope}"))

    # -- actions

    @property
    def hits(self) -> list[SearchHit]:
        """The hits currently listed."""
        return list(self._hits)

    def action_move(self, step: int) -> None:
        """Move the highlight through the results."""
        results = self.query_one("#search-results", OptionList)
        if not self._hits:
            return
        current = results.highlighted if results.highlighted is not None else -1
        target = max(0, min(len(self._hits) - 1, current + step))
        while target >= results.option_count and results.option_count < len(self._hits):
            self._add_page()
        results.highlighted = target

    def action_toggle_scope(self) -> None:
        """Switch between this document and the whole library (when reading a document)."""
        if self.current_path is None or not self.library:
            return
        self.document_scope = not self.document_scope
        self._update_title()
        self._run_query()

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter: open the highlighted hit."""
        event.stop()
        results = self.query_one("#search-results", OptionList)
        self._choose(results.highlighted)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """A click (or Enter in the list) on a hit opens it."""
        event.stop()
        self._choose(event.option_index)

    def _choose(self, number: int | None) -> None:
        """Dismiss with the chosen hit, if the shown hits match the typed query."""
        if number is None or not 0 <= number < len(self._hits):
            return
        self.dismiss(
            SearchResult(
                query=self._shown_query or "",
                hits=tuple(self._hits),
                index=number,
                scope_path=self._scope(),
            )
        )
