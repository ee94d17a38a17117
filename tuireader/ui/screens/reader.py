"""The reader: one document in a virtual pane, less/vim keys, a status line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from tuireader.core.formats.registry import book_index
from tuireader.core.lineindex import LineIndex
from tuireader.core.models import Document
from tuireader.core.sanitize import display_text
from tuireader.core.state import ReadingState
from tuireader.core.textload import DocumentError
from tuireader.ui.keys import with_ids
from tuireader.ui.messages import MarkLine, OpenSearch, ShowBookmarks, StepHit, WidthToggled
from tuireader.ui.painting import wait_for_paint
from tuireader.ui.screens.reader_tools import ReaderTools
from tuireader.ui.widgets.reader_view import ReaderView
from tuireader.ui.widgets.selectable_view import SelectableReaderView

SAVE_DELAY = 1.0
MARK_CONTEXT_CHARS = 200
"""How much of the marked line the note dialog shows."""
PASSAGE_CONTEXT = 2
"""Rows shown above a passage brought into view by ``show_passage``."""


class ReaderScreen(ReaderTools):
    """Reads one document.  Reserved for other features: / n N m B T."""

    BINDINGS: ClassVar[list[BindingType]] = with_ids("reader", [
        Binding("q", "close('back')", "Back", tooltip="Back to the library"),
        # ctrl+q here too, so the footer shows one Quit (the app's ^q is shadowed).
        Binding("q,ctrl+q", "close('quit')", "Quit", tooltip="Quit (opened on a single file)"),
        Binding("j,down", "down", "Down a line", show=False),
        Binding("k,up", "up", "Up a line", show=False),
        Binding("ctrl+e", "scroll_line_down", "Scroll down a line", show=False),
        Binding("ctrl+y", "scroll_line_up", "Scroll up a line", show=False),
        Binding("space,pagedown,f,ctrl+f", "page_down", "Page down", show=False),
        Binding("b,pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("ctrl+d,d", "half_down", "Half page down", show=False),
        Binding("ctrl+u,u", "half_up", "Half page up", show=False),
        Binding("g,home,less_than_sign", "top", "Top", show=False),
        Binding("G,end,greater_than_sign", "end", "End", show=False),
        Binding("colon", "goto", "Go to line", show=False),
        Binding("percent_sign", "percent", "Go to %", show=False),
        Binding("t", "toc", "Contents"),
        Binding("w", "toggle_width", "Full width", show=False),
        Binding("m", "mark", "Mark", tooltip="Bookmark this place (with an optional note)"),
        Binding(
            "B", "bookmarks", "Bookmarks", tooltip="Bookmarks: this document / all", show=False
        ),
        Binding("T", "app.cycle_theme", "Next theme", show=False),
        Binding("escape", "escape", "Clear a count or highlight, else back", show=False),
        Binding("slash", "search", "Search", tooltip="Search (this document; Tab: whole library)"),
        Binding("n", "search_step(1)", "Next hit", show=False),
        Binding("N", "search_step(-1)", "Previous hit", show=False),
    ])  # fmt: skip

    def __init__(
        self,
        document: Document,
        index: LineIndex,
        state: ReadingState,
        *,
        line: int | None = None,
        row_fraction: float = 0.0,
        highlight: tuple[int, int] | None = None,
        notice: str | None = None,
        quit_on_close: bool = False,
        full_width: bool = False,
    ) -> None:
        """Read ``document`` (lines from ``index``) from 1-based ``line``, ``row_fraction`` into it.

        The place reached is recorded in ``state``; ``full_width`` starts wide (``w`` toggles).
        """
        super().__init__()
        self.document = document
        self.index = index
        index.scan_head()  # the first screen's lines before the first layout (no I/O)
        self.state = state
        self.start_line = line
        self.start_fraction = row_fraction
        self.highlight = highlight
        self.highlight_words: tuple[str, ...] = ()
        self.start_context = 0
        self.notice = notice
        self.quit_on_close = quit_on_close
        self.start_full_width = full_width
        self.count = ""
        self._save_timer: Timer | None = None
        self._marks: set[int] = set()
        self._search_hit: tuple[int, int] | None = None

    # ------------------------------------------------------------ public API

    @property
    def view(self) -> ReaderView:
        """The reading pane."""
        return self.query_one(ReaderView)

    @property
    def top_line(self) -> int:
        """1-based source line at the top of the view."""
        return self.view.top + 1

    def set_search_hit(self, hit: tuple[int, int] | None) -> None:
        """Name the search hit shown (k of total) in the status line; None: no hit."""
        self._search_hit = hit
        self.update_status()

    def go_to_line(self, line: int) -> None:
        """Show 1-based source ``line`` at the top (after indexing reaches it)."""
        self.view.go_to_line(line)
        self.update_status()

    def set_gutter_marks(self, lines: set[int]) -> None:
        """Draw a marker in the gutter on these 1-based source lines."""
        self._marks = set(lines)
        # A worker may report after the screen was closed (or before it is composed).
        for view in self.query(ReaderView):
            view.set_marks(self._marks)

    def set_highlight(self, lines: tuple[int, int] | None, words: Sequence[str] = ()) -> None:
        """Highlight an inclusive 1-based line range (None clears) and ``words`` in it."""
        self.highlight = lines
        self.highlight_words = tuple(words) if lines is not None else ()
        if self.is_mounted:
            self.view.set_highlight(lines, self.highlight_words)

    def show_passage(self, first: int, last: int, words: Sequence[str] = (), line: int = 0) -> None:
        """Highlight lines ``first``..``last`` and ``words``; show ``line`` (the match's, else
        ``first``) a couple of rows down, from its row holding a matched word."""
        self.set_highlight((first, last), words)
        target = min(max(line, first), last)
        if self.is_mounted:
            self.view.go_to_line(target, PASSAGE_CONTEXT)
            self.update_status()
        else:
            self.start_line = target
            self.start_context = PASSAGE_CONTEXT

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        """Pane, status line, footer."""
        markdown = self.document.is_markdown
        blocks = self._blocks if markdown else None  # plain text never loads the block parse
        yield SelectableReaderView(self.index, markdown=markdown, blocks=blocks, id="reader-view")
        yield Static(id="reader-status")
        yield Footer()

    def on_mount(self) -> None:
        """Start indexing; restore the position."""
        self.view.full_width = self.start_full_width
        self.view.set_marks(self._marks)
        self.view.set_highlight(self.highlight, self.highlight_words)
        if self.start_line is not None:
            self.pane.record_jumps = False  # the place it opens at is not a jump
            self.view.go_to_line(self.start_line, self.start_context, self.start_fraction)
            self.pane.record_jumps = True
        self._index_file()
        if self.notice:
            self.notify(display_text(self.notice), markup=False)
        self.update_status()

    @work(thread=True, exclusive=True, group="index")
    def _index_file(self) -> None:
        """Build the line index in a thread, telling the pane as it grows."""
        worker = get_current_worker()
        first = True

        def progress() -> None:
            nonlocal first
            if worker.is_cancelled:
                return
            try:
                self.app.call_from_thread(self._index_grew)
                if first:
                    # Let the first screen paint before the rest of the scan competes for the GIL.
                    first = False
                    wait_for_paint(self)
            except RuntimeError:  # the app is closing
                worker.cancel()

        try:
            self.index.scan(on_progress=progress, cancelled=lambda: worker.is_cancelled)
        except (DocumentError, OSError) as error:
            message = str(error) if isinstance(error, DocumentError) else str(error.strerror)
            if not worker.is_cancelled:
                self.app.call_from_thread(self.notify, message, severity="error", markup=False)
        if self.document.is_markdown and self.index.done and not worker.is_cancelled:
            self._blocks.parse_all(cancelled=lambda: worker.is_cancelled)  # ahead of need
            progress()

    def _index_grew(self) -> None:
        """More lines are known: refresh the pane and status line."""
        if not self.is_mounted:
            return
        self.view.index_grew()
        self.update_status()

    def on_resize(self) -> None:
        """Fit the status line to the new width."""
        self.update_status()

    def on_reader_view_moved(self, event: ReaderView.Moved) -> None:
        """Update the status line and schedule saving the position."""
        event.stop()
        self.update_status()
        self._schedule_save()

    def update_status(self) -> None:
        """Title, line/total, percentage, indexing progress, pending count."""
        if not self.is_mounted:
            return
        view = self.view
        total = view.line_count
        done, percent = self.index.done, int(self.fraction_read() * 100)
        right = f"line {self.top_line:,}/{total:,}{'' if done else '+'}  {percent}% "
        right = right if total or not done else "empty document "  # not "line 1/0"
        if self._search_hit is not None and self.highlight is not None:
            right = f"hit {self._search_hit[0]:,}/{self._search_hit[1]:,}  " + right
        if not done:
            right = f"indexing {int(self.index.progress * 100)}%  " + right
        if self.count:
            right = f"count: {self.count}  " + right
        if view.full_width:
            right = "full width  " + right
        try:
            status_bar = self.query_one("#reader-status", Static)
        except NoMatches:  # the app is closing: the screen's widgets are being removed
            return
        width = status_bar.size.width or self.app.size.width
        title = display_text(self.document.title)
        book = book_index(self.index)
        if book is not None and (chapter := book.chapter_at(view.top)):
            title = f"{title} › {display_text(chapter)}"
        room = max(0, width - len(right) - 3)
        if len(title) > room:
            title = title[: max(0, room - 1)] + "…" if room > 1 else ""
        status = Text(no_wrap=True, overflow="crop", end="")
        status.append(f" {title}", style="bold")
        status.append(" " * max(1, width - len(title) - 1 - len(right)))
        status.append(right)
        status_bar.update(status)

    def fraction_read(self) -> float:
        """How far through the document the last line on screen is (0.0 to 1.0)."""
        view = self.view
        total = view.line_count
        bottom = view.bottom_line()
        if total == 0 or bottom == 0:
            return 1.0 if self.index.done else 0.0
        if self.index.done:
            return 1.0 if bottom >= total else bottom / total
        start, _ = self.index.line_bytes(bottom - 1)
        return min(1.0, start / max(1, self.index.size))

    # ------------------------------------------------------------ position memory

    def _schedule_save(self) -> None:
        """Save the position a moment after scrolling stops."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_position)

    def save_position(self) -> None:
        """Remember where this document is being read."""
        state = self.state
        if not self.is_mounted or self.view.pending:
            return
        total = self.view.line_count
        if total == 0:
            return
        view, progress = self.view, self.fraction_read()
        rows = len(view.wrapped(view.top))
        state.record(self.document.path, self.top_line, total, progress, view.sub, rows)
        for message in state.warnings:
            self.notify(display_text(message), severity="warning", markup=False)
        state.warnings.clear()

    def on_unmount(self) -> None:
        """Stop the index worker and release the file."""
        self.index.close()

    # ------------------------------------------------------------ keys

    def on_key(self, event: events.Key) -> None:
        """Digits build a count for g, G, %, j and k."""
        if event.character and event.character.isdigit() and len(self.count) < 12:
            self.count += event.character
            event.stop()
            event.prevent_default()
            self.update_status()

    def _take_count(self) -> int | None:
        """The count typed before a key, consumed."""
        count = int(self.count) if self.count else None
        self.count = ""
        return count

    def action_down(self) -> None:
        """Down one row (or count rows)."""
        self.view.scroll_rows(self._take_count() or 1)

    def action_up(self) -> None:
        """Up one row (or count rows)."""
        self.view.scroll_rows(-(self._take_count() or 1))

    action_scroll_line_down = action_down
    action_scroll_line_up = action_up

    def action_page_down(self) -> None:
        """Down a screen."""
        self._take_count()
        self.view.page(1.0)

    def action_page_up(self) -> None:
        """Up a screen."""
        self._take_count()
        self.view.page(-1.0)

    def action_half_down(self) -> None:
        """Down half a screen."""
        self._take_count()
        self.view.page(0.5)

    def action_half_up(self) -> None:
        """Up half a screen."""
        self._take_count()
        self.view.page(-0.5)

    def _count_or(self, move: Callable[[], None]) -> None:
        """Go to line N when a count was typed, else make ``move``."""
        count = self._take_count()
        if count is None:
            move()
            self.update_status()
        else:
            self.go_to_line(count)

    def action_top(self) -> None:
        """Start of the document, or line N with a count."""
        self._count_or(self.view.go_home)

    def action_end(self) -> None:
        """End of the document, or line N with a count."""
        self._count_or(self.view.go_end)

    def action_goto(self) -> None:
        """Ask for a line number (a typed count is used directly)."""
        count = self._take_count()
        if count is not None:
            self.go_to_line(count)
            return

        def chosen(line: int | None) -> None:
            if line:
                self.go_to_line(line)

        from tuireader.ui.dialogs.goto import GotoScreen  # dialogs: on first use

        total = self.view.line_count
        self.app.push_screen(GotoScreen("Go to line:", f"1–{total:,}"), chosen)

    def action_percent(self) -> None:
        """Go to a percentage of the document (count, or asked)."""
        count = self._take_count()
        if count is not None:
            self._go_percent(count)
            return

        def chosen(percent: int | None) -> None:
            if percent is not None:
                self._go_percent(percent)

        from tuireader.ui.dialogs.goto import GotoScreen

        self.app.push_screen(GotoScreen("Go to percent:", "0–100"), chosen)

    def _go_percent(self, percent: int) -> None:
        """Show the line at ``percent`` of the document."""
        percent = max(0, min(100, percent))
        if percent >= 100:
            self.view.go_end()
        else:
            total = self.view.line_count
            self.view.go_to_line(max(1, round(total * percent / 100)))
        self.update_status()

    def action_toc(self) -> None:
        """Show the headings; jump to the one chosen."""
        headings = self.headings()
        if not headings:
            self.notify("No headings in this document.", markup=False)
            return
        reading = not (self.index.done and (not self.document.is_markdown or self._blocks.complete))
        note = "  (still indexing…)" if reading else ""

        def chosen(line: int | None) -> None:
            if line:
                self.go_to_line(line)

        from tuireader.ui.dialogs.toc import TocScreen

        self.app.push_screen(TocScreen(headings, self.top_line, note), chosen)

    def headings(self) -> list[tuple[int, int, str]]:
        """(1-based line, level, text) of a book's contents, or of the Markdown headings."""
        book = book_index(self.index)
        if book is not None and (contents := book.contents()):
            return [(entry.line + 1, entry.level, entry.title) for entry in contents]
        if not self.document.is_markdown:
            return []
        return [(n + 1, level, text or "(untitled)") for n, level, text in self._blocks.headings()]

    def action_toggle_width(self) -> None:
        """Switch between the comfortable measure and the full width."""
        self.view.full_width = not self.view.full_width
        self.update_status()
        self.post_message(WidthToggled(self.view.full_width))

    def action_clear(self) -> None:
        """Forget a typed count and any highlight."""
        self.count = ""
        self.set_highlight(None)
        self.update_status()

    def action_escape(self) -> None:
        """Stop selecting; else clear a count or a highlight; else go back (or quit)."""
        if self.cancel_selection():
            return
        if self.count:
            self.count = ""
            self.update_status()
        elif self.highlight is not None:
            self.action_clear()
        else:
            self.action_close()

    def action_mark(self) -> None:
        """Bookmark the first line with text on screen, asking for an optional note."""
        self._take_count()
        if self.view.line_count == 0:
            self.notify("Nothing to mark: the document is empty.", markup=False)
            return
        if self.mark_selection():
            return
        line = self.first_visible_line()
        text = self.index.read_line(line - 1)
        if len(text) > MARK_CONTEXT_CHARS:
            text = text[:MARK_CONTEXT_CHARS].rsplit(" ", 1)[0] + " …"
        self.post_message(MarkLine(self.document.path, line, text))

    def action_bookmarks(self) -> None:
        """List the bookmarks (this document's first); Enter jumps."""
        self._take_count()
        self.post_message(ShowBookmarks(self.document.path))

    def action_search(self) -> None:
        """Open the search overlay on this document (Tab: the whole library)."""
        self._take_count()
        self.post_message(OpenSearch(self.document.path))

    def action_search_step(self, step: int) -> None:
        """Go to the next (1) or previous (-1) hit of the last search."""
        self._take_count()
        self.post_message(StepHit(step))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``q`` shows (and does) Back with a library behind, Quit when opened on a file."""
        if action == "close" and parameters:
            return (parameters[0] == "quit") == self.quit_on_close
        return True

    def action_close(self, how: str = "") -> None:
        """Back to the library, or quit when opened on a single file."""
        self.save_position()
        if self.quit_on_close:
            self.app.exit(0)
        else:
            self.app.pop_screen()
