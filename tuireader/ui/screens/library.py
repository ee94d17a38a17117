"""The library: every document with date, category, length and progress; type to filter."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from tuireader.core.filtering import DocumentFilter
from tuireader.core.labels import TitleHints
from tuireader.core.library import scan_paths
from tuireader.core.models import Document
from tuireader.core.sanitize import display_text
from tuireader.core.state import ReadingState, document_key
from tuireader.ui.keys import with_ids
from tuireader.ui.messages import LibraryScanned, OpenDocument, OpenSearch, ShowBookmarks
from tuireader.ui.painting import wait_for_paint
from tuireader.ui.screens.library_keys import FilterInput, LibraryKeys
from tuireader.ui.widgets.document_table import DocumentTable

FILTER_DELAY = 0.06
MAX_MATCHES = 500
"""Rows shown for a filter: the best matches (the full list is kept in its own table)."""
BATCH_SECONDS = 0.1
FIRST_ROWS = 60
"""Rows shown as soon as they are known (a screenful), before the next batch."""

READ_COLUMN = 5
"""Index of the Read column (Title, Author, Date, Category, Length, Read)."""

SORT_ORDERS: tuple[str, ...] = ("as found", "newest first", "title", "least read")
"""The orders Ctrl+S cycles through; "as found" is the order of the folder walk."""


def _length(document: Document) -> str:
    """Reading time in the 7-cell Length column (the rule is ``Document.reading_time``)."""
    return document.reading_time


class LibraryScreen(LibraryKeys):
    """Lists the documents of some paths.  Reserved: ctrl+f (search), ctrl+b (bookmarks).

    Two tables: ``#library-table`` holds every document (built once, in scan order)
    and ``#library-matches`` the best matches of the filter, so clearing the
    filter is instant however large the library.
    """

    BINDINGS: ClassVar[list[BindingType]] = with_ids("library", [
        Binding("enter", "open", "Open"),
        Binding("f1", "app.help", "Help"),
        Binding("j,down", "cursor_down", "Next document", show=False),
        Binding("k,up", "cursor_up", "Previous document", show=False),
        Binding("g,home", "first", "First document", show=False),
        Binding("G,end", "last", "Last document", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            tooltip="Filter by title or path (typing any other letter starts it too)",
            show=False,
        ),
        Binding("q", "quit_if_idle", "Quit", tooltip="Quit (when the filter is empty)", show=False),
        Binding(
            "escape",
            "clear_filter",
            "Clear the filter",
            tooltip="Clear and leave the filter; again: quit",
            show=False,
        ),
        Binding("ctrl+b", "bookmarks", "Bookmarks", tooltip="All bookmarks; Enter jumps"),
        Binding(
            "ctrl+s",
            "cycle_sort",
            "Sort",
            tooltip="Sort: as found, newest first, title, least read",
            priority=True,
        ),
        Binding(
            "ctrl+f",
            "search",
            "Search",
            tooltip="Search the passages of the whole library",
            priority=True,
        ),
    ])  # fmt: skip

    def __init__(self, paths: Sequence[Path], state: ReadingState) -> None:
        """List the documents found in ``paths``; their progress comes from ``state``."""
        super().__init__()
        self.paths = list(paths)
        self.state = state
        self.documents: list[Document] = []
        """The documents in the order shown (see ``library_order``)."""
        self.found: list[Document] = []
        """The documents in the order the scan found them."""
        self.library_order = SORT_ORDERS[0]
        self.matches: list[int] = []
        """Positions (in ``documents``) of the filter's matches, best first."""
        self.scanning = True
        self._keys: dict[Path, str] = {}
        self._filter_timer: Timer | None = None
        self._document_filter: DocumentFilter | None = None
        """``documents`` prepared for filtering; ``None`` whenever ``documents`` changes."""
        self._labels = TitleHints()
        """The folder shown after a title another document shares."""
        self._synced = time.time()
        """When the Read column was last brought up to date with the reading state."""
        self._title_width, self._author_width = 12, 10  # the columns' widths, as last set
        self.index_status = ""
        """Progress of the search index, shown in the status line (set by the app)."""

    def compose(self) -> ComposeResult:
        """Filter box, tables, status line, footer."""
        yield FilterInput(
            placeholder="Type to filter by title, author or path…",
            id="library-filter",
            select_on_focus=False,
        )
        yield DocumentTable(id="library-table", cursor_type="row", zebra_stripes=True)
        yield DocumentTable(id="library-matches", cursor_type="row", zebra_stripes=True)
        yield Static(id="library-status")
        yield Footer()

    def on_mount(self) -> None:
        """Start scanning in a worker so the screen paints at once."""
        self.table.focus()
        self.query_one("#library-matches", DataTable).display = False
        self._build_columns()
        self._update_status()
        self._scan()

    # ------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="library")
    def _scan(self) -> None:
        """Describe the documents in a thread, adding them in batches."""
        worker = get_current_worker()
        warnings: list[str] = []
        batch: list[Document] = []
        last = time.monotonic()
        from tuireader.core.metadata_cache import MetadataCache

        cache = MetadataCache()
        first = True
        for document in scan_paths(self.paths, warnings.append, cache=cache):
            if worker.is_cancelled:
                return
            batch.append(document)
            # Resolving the path reads the disk: here, not in the event loop (see ``_key``).
            self._keys[document.path] = document_key(document.path)
            # The first screenful goes out at once and paints; then batches every BATCH_SECONDS.
            if (first and len(batch) >= FIRST_ROWS) or time.monotonic() - last > BATCH_SECONDS:
                self.app.call_from_thread(self._add_documents, batch)
                if first:  # before the rest of the walk competes with the paint for the GIL
                    wait_for_paint(self)
                first, batch, last = False, [], time.monotonic()
        if not worker.is_cancelled:
            self.app.call_from_thread(self._finish, batch, warnings)

    def _add_documents(self, batch: list[Document]) -> None:
        """Append scanned documents to the full table (and re-filter if filtering)."""
        self.found.extend(batch)
        relabel = self._labels.note(batch)
        if self.library_order != SORT_ORDERS[0] and batch:
            self._sort(keep=self.selected_document())
        else:
            start = len(self.documents)
            self.documents.extend(batch)
            self._document_filter = None
            self._all_table.add_rows(
                [self._row(position) for position in range(start, len(self.documents))]
            )
        if relabel:
            self._update_rows(relabel, column=0)
        if self.filtering:
            self._apply_filter(keep_cursor=True)
        self._update_status()

    def _update_rows(self, paths: set[Path], column: int) -> None:
        """Redraw one column of the rows of the documents at ``paths`` (both tables)."""
        for position, document in enumerate(self.documents):
            if document.path not in paths:
                continue
            cell = self._row(position)[column]
            if position < self._all_table.row_count:
                self._all_table.update_cell_at(Coordinate(position, column), cell)
            if position in self.matches:
                row = self.matches.index(position)
                self._match_table.update_cell_at(Coordinate(row, column), cell)

    def _finish(self, batch: list[Document], warnings: list[str]) -> None:
        """Scanning is over: show the rest and the warnings, once."""
        self.scanning = False
        self._add_documents(batch)
        if warnings:
            shown = "\n".join(display_text(warning) for warning in warnings[:5])
            more = f"\n…and {len(warnings) - 5} more" if len(warnings) > 5 else ""
            self.notify(shown + more, title="Library", severity="warning", markup=False)
        self.post_message(LibraryScanned(tuple(self.paths)))

    # ------------------------------------------------------------ rows

    @property
    def _all_table(self) -> DataTable[Text]:
        """The table of every document."""
        return self.query_one("#library-table", DataTable)

    @property
    def _match_table(self) -> DataTable[Text]:
        """The table of the filter's matches."""
        return self.query_one("#library-matches", DataTable)

    @property
    def filtering(self) -> bool:
        """Whether a filter is typed."""
        return bool(self.query_one(FilterInput).value.strip())

    @property
    def table(self) -> DataTable[Text]:
        """The table on show."""
        return self._match_table if self.filtering else self._all_table

    @property
    def shown(self) -> list[int]:
        """Positions of the documents in the table on show, top to bottom."""
        return self.matches if self.filtering else list(range(len(self.documents)))

    def _build_columns(self) -> None:
        """Columns sized to the screen: the title takes what is left."""
        title_width, author_width = self._title_width, self._author_width = self._widths()
        for table in (self._all_table, self._match_table):
            table.clear(columns=True)
            table.add_column("Title", width=title_width, key="title")
            table.add_column("Author", width=author_width, key="author")
            table.add_column("Date", width=10, key="date")
            table.add_column("Category", width=12, key="category")
            table.add_column("Length", width=7, key="length")  # "~63 min", "~9.3 h", "~250 h"
            table.add_column("Read", width=4, key="read")

    def _widths(self) -> tuple[int, int]:
        """The Title and Author columns' widths for the screen's width."""
        room = self.app.size.width - 48
        return max(12, room - max(10, min(20, room // 3)) - 2), max(10, min(20, room // 3))

    def _progress_text(self, document: Document) -> Text:
        """The 'Read' cell: percentage read or a dash."""
        found = self.state.positions.get(self._key(document))
        progress = found.progress if found else None
        if progress is None:
            return Text("–", justify="right")
        return Text(f"{round(progress * 100)}%", justify="right")

    def _row(self, position: int) -> tuple[Text, ...]:
        """The cells of one document's row."""
        document = self.documents[position]
        return (
            self._title_text(document),
            Text(display_text(document.author or "–"), no_wrap=True, overflow="ellipsis"),
            Text(display_text(document.date or "–")),
            Text(display_text(document.category or "–"), no_wrap=True, overflow="ellipsis"),
            Text(_length(document), justify="right", no_wrap=True),
            self._progress_text(document),
        )

    def _title_text(self, document: Document) -> Text:
        """The title, followed by its folder when another document has the same title."""
        hint = self._labels.hints.get(document.path)
        shown = display_text(document.title)
        if hint is None:
            return Text(shown, no_wrap=True, overflow="ellipsis")
        room = max(4, self._title_width - len(hint) - 2)
        title = shown if len(shown) <= room else shown[: room - 1] + "…"
        text = Text(title, no_wrap=True, overflow="ellipsis")
        text.append(f"  {display_text(hint)}", style="dim italic")
        return text

    def _rebuild_all(self) -> None:
        """Rebuild the full table (after a resize)."""
        self._all_table.add_rows([self._row(position) for position in range(len(self.documents))])

    def _apply_filter(self, keep_cursor: bool = False) -> None:
        """Show the best matches of the filter, or the full table when it is empty."""
        self._filter_timer = None
        filtering = self.filtering
        self._all_table.display = not filtering
        self._match_table.display = filtering
        if filtering:
            selected = self.selected_document() if keep_cursor else None
            query = self.query_one(FilterInput).value
            if self._document_filter is None:  # made once per list, reused for every key
                self._document_filter = DocumentFilter(self.documents)
            self.matches = self._document_filter.matches(query)[:MAX_MATCHES]
            table = self._match_table
            table.clear()
            table.add_rows([self._row(position) for position in self.matches])
            row = 0
            if selected is not None:
                row = next(
                    (
                        number
                        for number, position in enumerate(self.matches)
                        if self.documents[position] is selected
                    ),
                    0,
                )
            if self.matches:
                table.move_cursor(row=row, animate=False)
        else:
            self.matches = []
        self._update_status()

    def _update_status(self) -> None:
        """Counts, sort order, loading and indexing; the key hints go first when space is short."""
        total = len(self.documents)
        if total == 0 and not self.scanning:
            text = " No documents found. Give folders on the command line or in config.yaml."
            self.query_one("#library-status", Static).update(Text(text))
            return
        if self.filtering:
            count = f"{len(self.matches):,} of {total:,} documents"
            if len(self.matches) >= MAX_MATCHES:
                count = f"best {MAX_MATCHES:,} matches of {total:,} documents"
        else:
            count = f"{total:,} documents"
        if self.scanning:
            count += " (loading…)"
        hints = ["Enter opens", "j/k choose", "/ filters", "q quits"]
        extras = [f"sorted: {self.library_order}"] if self.library_order != SORT_ORDERS[0] else []
        if self.index_status:
            extras.append(self.index_status)
        text = " " + "  ·  ".join([count, *hints, *extras])
        if len(text) > self.app.size.width:
            text = " " + "  ·  ".join([count, *extras])
        self.query_one("#library-status", Static).update(Text(text))

    def selected_document(self) -> Document | None:
        """The document under the cursor."""
        table = self.table
        shown = self.matches if self.filtering else None
        count = len(shown) if shown is not None else len(self.documents)
        row = table.cursor_row
        if count == 0 or row < 0 or row >= count:
            return None
        return self.documents[shown[row] if shown is not None else row]

    # ------------------------------------------------------------ events

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the user types (once typing pauses for a moment)."""
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._apply_filter)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the selected document."""
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._apply_filter()
        self.action_open()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter or click on a row opens it."""
        event.stop()
        self.action_open()

    def on_screen_resume(self) -> None:
        """Back from the reader: refresh the progress of every document read meanwhile.

        However it was opened (Enter here, a search hit, a bookmark), what the
        reading state learnt since the last look is shown.
        """
        if not self.query_one(FilterInput).has_focus:
            self.table.focus()
        since, self._synced = self._synced, time.time()
        read = {key for key, found in self.state.positions.items() if found.updated >= since}
        if read:
            read_paths = {d.path for d in self.documents if self._key(d) in read}
            self._update_rows(read_paths, column=READ_COLUMN)

    def on_resize(self) -> None:
        """Fit the title column to the new width."""
        if self._widths() == (self._title_width, self._author_width) and self._all_table.columns:
            return  # the same columns (a resize at start-up, or of the height only)
        self._build_columns()
        self._rebuild_all()
        self._apply_filter(keep_cursor=True)

    # ------------------------------------------------------------ actions

    def _sort_key(self, document: Document) -> tuple[float | str]:
        """The key of ``document`` for the "title" and "least read" orders."""
        if self.library_order == "title":
            return (document.title.casefold(),)
        found = self.state.positions.get(self._key(document))
        return (found.progress if found else 0.0,)

    def _key(self, document: Document) -> str:
        """The state-file key of a document (cached)."""
        key = self._keys.get(document.path)
        if key is None:
            key = self._keys[document.path] = document_key(document.path)
        return key

    def _sort(self, keep: Document | None) -> None:
        """Order ``documents`` by ``library_order`` and rebuild the table, keeping the cursor."""
        if self.library_order == SORT_ORDERS[0]:
            self.documents = list(self.found)
        elif self.library_order == "newest first":
            dated = [d for d in self.found if d.date]
            dated.sort(key=lambda d: d.date or "", reverse=True)  # stable for equal dates
            self.documents = dated + [d for d in self.found if not d.date]
        else:
            self.documents = sorted(self.found, key=self._sort_key)
        self._document_filter = None
        self._all_table.clear()
        self._rebuild_all()
        if keep is not None and not self.filtering:
            row = next((n for n, doc in enumerate(self.documents) if doc is keep), 0)
            self._all_table.move_cursor(row=row, animate=False)

    def action_cycle_sort(self) -> None:
        """Sort the library by the next order: as found, newest first, title, least read."""
        keep = self.selected_document()
        after = SORT_ORDERS.index(self.library_order) + 1
        self.library_order = SORT_ORDERS[after % len(SORT_ORDERS)]
        self._sort(keep)
        if self.filtering:
            self._apply_filter(keep_cursor=True)
        self._update_status()

    def action_bookmarks(self) -> None:
        """Show every bookmark; Enter opens its document there."""
        self.post_message(ShowBookmarks(None))

    def action_open(self) -> None:
        """Open the selected document in the reader."""
        document = self.selected_document()
        if document is None:
            self.app.bell()
            return
        self.post_message(OpenDocument(document.path))

    def action_cursor_down(self) -> None:
        """Select the next document."""
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        """Select the previous document."""
        self.table.action_cursor_up()

    def action_page_down(self) -> None:
        """Down a page of documents."""
        self.table.action_page_down()

    def action_page_up(self) -> None:
        """Up a page of documents."""
        self.table.action_page_up()

    def set_index_status(self, text: str) -> None:
        """Show the search index's progress (or readiness) in the status line."""
        self.index_status = text
        if self.is_mounted:
            self._update_status()

    def action_search(self) -> None:
        """Search the passages of the whole library."""
        self.post_message(OpenSearch(None))
