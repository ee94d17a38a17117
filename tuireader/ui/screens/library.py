"""The library: every document with date, category, length and progress; type to filter."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from tuireader.core.library import scan_paths
from tuireader.core.models import Document

FUZZY_CUTOFF = 70
BATCH_SECONDS = 0.1


def filter_documents(query: str, documents: Sequence[Document]) -> list[int]:
    """Indexes of the documents matching ``query`` (fuzzy on title and path), best first."""
    query = query.strip().lower()
    if not query:
        return list(range(len(documents)))
    from rapidfuzz import fuzz  # imported late: start-up time matters

    scored: list[tuple[float, int]] = []
    for position, document in enumerate(documents):
        title = document.title.lower()
        path = str(document.path).lower()
        if query in title:
            score = 200.0 - title.index(query) / 100
        elif query in path:
            score = 150.0
        else:
            score = max(
                fuzz.partial_ratio(query, title, score_cutoff=FUZZY_CUTOFF),
                fuzz.partial_ratio(query, document.path.name.lower(), score_cutoff=FUZZY_CUTOFF),
            )
            if score < FUZZY_CUTOFF:
                continue
        scored.append((-score, position))
    scored.sort()
    return [position for _, position in scored]


class FilterInput(Input):
    """The filter box; ``?`` on an empty filter opens help."""

    async def _on_key(self, event: events.Key) -> None:
        """Let ``?`` open help when nothing is typed; other keys edit the filter."""
        if event.character == "?" and not self.value:
            event.stop()
            event.prevent_default()
            await self.app.run_action("help")
            return
        await super()._on_key(event)


class LibraryScreen(Screen[None]):
    """Lists the documents of some paths.  Reserved: ctrl+f (search), ctrl+b (bookmarks)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("f1", "app.help", "Help"),
        Binding("down", "cursor_down", "Next document", show=False),
        Binding("up", "cursor_up", "Previous document", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("escape", "clear_filter", "Clear the filter", show=False),
    ]

    def __init__(self, paths: Sequence[Path]) -> None:
        """List the documents found in ``paths``."""
        super().__init__()
        self.paths = list(paths)
        self.documents: list[Document] = []
        self.shown: list[int] = []
        self.scanning = True

    def compose(self) -> ComposeResult:
        """Filter box, table, status line, footer."""
        yield FilterInput(placeholder="Type to filter by title or path…", id="library-filter")
        yield DataTable(id="library-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="library-status")
        yield Footer()

    def on_mount(self) -> None:
        """Start scanning in a worker so the screen paints at once."""
        self.query_one(FilterInput).focus()
        self._build_columns()
        self._update_status()
        self._scan()

    @work(thread=True, exclusive=True, group="library")
    def _scan(self) -> None:
        """Describe the documents in a thread, adding them in batches."""
        worker = get_current_worker()
        warnings: list[str] = []
        batch: list[Document] = []
        last = time.monotonic()
        for document in scan_paths(self.paths, warnings.append):
            if worker.is_cancelled:
                return
            batch.append(document)
            if time.monotonic() - last > BATCH_SECONDS:
                self.app.call_from_thread(self._add_documents, batch)
                batch, last = [], time.monotonic()
        if not worker.is_cancelled:
            self.app.call_from_thread(self._finish, batch, warnings)

    def _add_documents(self, batch: list[Document]) -> None:
        """Add scanned documents and refresh the listing."""
        self.documents.extend(batch)
        self._refresh_rows()

    def _finish(self, batch: list[Document], warnings: list[str]) -> None:
        """Scanning is over: show the rest and the warnings, once."""
        self.scanning = False
        self._add_documents(batch)
        if warnings:
            shown = "\n".join(warnings[:5])
            more = f"\n…and {len(warnings) - 5} more" if len(warnings) > 5 else ""
            self.notify(shown + more, title="Library", severity="warning", markup=False)

    def _build_columns(self) -> None:
        """Columns sized to the screen: the title takes what is left."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        title_width = max(12, self.app.size.width - 48)
        table.add_column("Title", width=title_width, key="title")
        table.add_column("Date", width=10, key="date")
        table.add_column("Category", width=12, key="category")
        table.add_column("Length", width=7, key="length")
        table.add_column("Read", width=4, key="read")

    def _progress_text(self, document: Document) -> Text:
        """The 'Read' cell: percentage read or a dash."""
        state = getattr(self.app, "state", None)
        progress = state.progress(document.path) if state is not None else None
        if progress is None:
            return Text("–", justify="right")
        return Text(f"{round(progress * 100)}%", justify="right")

    def _refresh_rows(self) -> None:
        """Rebuild the rows for the current filter, keeping the selected document."""
        table = self.query_one(DataTable)
        selected = self.selected_document()
        query = self.query_one(FilterInput).value
        self.shown = filter_documents(query, self.documents)
        table.clear()
        for position in self.shown:
            document = self.documents[position]
            table.add_row(
                Text(document.title, no_wrap=True, overflow="ellipsis"),
                Text(document.date or "–"),
                Text(document.category or "–", no_wrap=True, overflow="ellipsis"),
                Text(f"{'~' if document.words_estimated else ''}{document.reading_minutes} min",
                     justify="right"),
                self._progress_text(document),
                key=str(position),
            )
        if selected is not None and selected in self.documents:
            wanted = self.documents.index(selected)
            if wanted in self.shown:
                table.move_cursor(row=self.shown.index(wanted), animate=False)
        self._update_status()

    def _update_status(self) -> None:
        """Counts and loading state."""
        total = len(self.documents)
        shown = len(self.shown)
        text = f" {shown:,} of {total:,} documents" if shown != total else f" {total:,} documents"
        text += "  ·  Enter opens  ·  ↑↓ choose"
        if self.scanning:
            text += "  (loading…)"
        elif total == 0:
            text = " No documents found. Give folders on the command line or in config.yaml."
        self.query_one("#library-status", Static).update(Text(text))

    def selected_document(self) -> Document | None:
        """The document under the cursor."""
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.documents[self.shown[table.cursor_row]]

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the user types."""
        event.stop()
        self._refresh_rows()
        if self.shown:
            self.query_one(DataTable).move_cursor(row=0, animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the selected document."""
        event.stop()
        self.action_open()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter or click on a row opens it."""
        event.stop()
        self.action_open()

    def on_screen_resume(self) -> None:
        """Back from the reader: refresh progress."""
        self.query_one(FilterInput).focus()
        if self.documents:
            self._refresh_rows()

    def on_resize(self) -> None:
        """Fit the title column to the new width."""
        self._build_columns()
        self._refresh_rows()

    def action_open(self) -> None:
        """Open the selected document in the reader."""
        document = self.selected_document()
        if document is None:
            self.app.bell()
            return
        self.app.open_document(document.path)  # type: ignore[attr-defined]

    def action_cursor_down(self) -> None:
        """Select the next document."""
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Select the previous document."""
        self.query_one(DataTable).action_cursor_up()

    def action_page_down(self) -> None:
        """Down a page of documents."""
        self.query_one(DataTable).action_page_down()

    def action_page_up(self) -> None:
        """Up a page of documents."""
        self.query_one(DataTable).action_page_up()

    def action_clear_filter(self) -> None:
        """Empty the filter."""
        self.query_one(FilterInput).value = ""
