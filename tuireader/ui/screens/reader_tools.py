"""The reader's research tools: selection, copy with a citation, links, the jump list, the editor.

``ReaderScreen`` inherits these keys and actions; they work on its pane (a
``SelectableReaderView``) and ask the app for the rest with messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tuireader.core.formats.registry import book_index, format_of
from tuireader.core.formats.styled import LineKind
from tuireader.core.lineindex import LineIndex
from tuireader.core.models import Document
from tuireader.core.sanitize import strip_control
from tuireader.core.textload import DocumentError
from tuireader.ui.keys import with_ids
from tuireader.ui.messages import EditDocument, MarkRange, OpenDocument, RecordJump, StepJump
from tuireader.ui.widgets.selectable_view import SelectableReaderView

if TYPE_CHECKING:
    from tuireader.core.citation import Source
    from tuireader.core.formats.blocks import BlockContext

# Citations and links are imported where used: the first paint needs neither.

BOOK_FORMATS = frozenset({"epub"})
"""Formats whose citations name the chapter (the heading above the quote)."""
MAX_COPY_LINES = 2000
"""A copy takes at most this many lines."""
MARK_CONTEXT_CHARS = 200
"""How much of a highlight's first line the note dialog shows."""
PARAGRAPH_LINES = 60
"""How far up and down a paragraph is looked for when nothing is selected."""


class ReaderTools(Screen[None]):
    """Keys and actions for selecting, copying, links, going back and editing."""

    BINDINGS: ClassVar[list[BindingType]] = with_ids(
        "reader",
        [
            Binding("v", "select", "Select lines (j/k extend; m, y; Esc)", show=False),
            Binding("y", "copy", "Copy selection or paragraph + citation", show=False),
            Binding("Y", "copy_citation", "Copy citation", show=False),
            Binding("tab", "next_link", "Next link", show=False),
            Binding("shift+tab", "previous_link", "Previous link", show=False),
            Binding("enter", "follow_link", "Follow link (else down)", show=False),
            Binding("backspace,H,ctrl+o", "jump_back", "Back (jump list)", show=False),
            Binding("L", "jump_forward", "Forward (jump list)", show=False),
            Binding("e", "edit", "Edit in $VISUAL/$EDITOR at this line", show=False),
        ],
    )

    document: Document
    index: LineIndex
    _block_context: BlockContext | None = None

    @property
    def _blocks(self) -> BlockContext:
        """The Markdown block structure (made on first use: plain text never loads it)."""
        if self._block_context is None:
            from tuireader.core.formats.blocks import BlockContext
            self._block_context = BlockContext(self.index)
        return self._block_context
    _pending_url: str | None = None
    _user_ranges: tuple[tuple[int, int], ...] = ()

    def on_mount(self) -> None:
        """Draw the highlights known before the pane was composed."""
        self.pane.set_user_highlights(self._user_ranges)

    def set_user_highlights(self, ranges: list[tuple[int, int]]) -> None:
        """Draw the user's highlights: inclusive 1-based line ranges."""
        self._user_ranges = tuple(ranges)
        for pane in self.query(SelectableReaderView):
            pane.set_user_highlights(self._user_ranges)

    # ------------------------------------------------------------ provided by the reader

    def first_visible_line(self) -> int:
        """1-based source line a mark should go on: what the reader is looking at.

        A highlighted passage on screen (a search hit, a bookmark jump) comes first;
        then the first line with text that starts on screen; then the first line
        with text at all (a long paragraph that began above the screen).
        """
        pane = self.pane
        layout = pane._layout()
        on_screen = {line for line, _ in layout}
        highlight = pane._highlight
        if highlight and highlight[0] - 1 in on_screen:
            return highlight[0]
        fallback: int | None = None
        for line, row in layout:
            markdown = self.document.is_markdown
            if not self.index.read_line(line).strip() or (markdown and pane.blocks.hidden(line)):
                continue
            if row == 0:
                return line + 1
            if fallback is None:
                fallback = line + 1
        return fallback or pane.top + 1

    if TYPE_CHECKING:  # provided by ReaderScreen, the one class built on this mixin

        def headings(self) -> list[tuple[int, int, str]]:
            """(1-based line, level, text) of the document's headings."""

        def action_down(self) -> None:
            """Down a line."""

    @property
    def pane(self) -> SelectableReaderView:
        """The reading pane."""
        return self.query_one(SelectableReaderView)

    # ------------------------------------------------------------ selection

    def action_select(self) -> None:
        """Start a line selection at the line in view (again: stop selecting)."""
        pane = self.pane
        if pane.selecting:
            pane.cancel_selection()
            return
        if pane.line_count == 0:
            self.notify("Nothing to select: the document is empty.", markup=False)
            return
        pane.start_selection(self.first_visible_line())
        self.notify("Selecting: j/k extend · m highlight · y copy · Esc cancel", timeout=3)

    def cancel_selection(self) -> bool:
        """Stop selecting; True if there was a selection."""
        panes = list(self.query(SelectableReaderView))
        if panes and panes[0].selecting:
            panes[0].cancel_selection()
            return True
        return False

    def mark_selection(self) -> bool:
        """``m`` while selecting: ask to highlight the selected lines; False if none."""
        selection = self.pane.selection
        if selection is None:
            return False
        self.cancel_selection()
        text = self._text(selection[0])[:MARK_CONTEXT_CHARS]
        self.post_message(MarkRange(self.document.path, *selection, text))
        return True

    def _selected_or_paragraph(self) -> tuple[int, int]:
        """The selected lines, else the paragraph (lines between blank ones) in view."""
        selection = self.pane.selection
        if selection is not None:
            return selection
        line = self.first_visible_line()
        total = self.pane.line_count
        first = last = line
        while first > 1 and line - first < PARAGRAPH_LINES and self._text(first - 1).strip():
            first -= 1
        while last < total and last - line < PARAGRAPH_LINES and self._text(last + 1).strip():
            last += 1
        return first, last

    def _text(self, line: int) -> str:
        """The source text of 1-based ``line``."""
        return self.index.read_line(line - 1)

    # ------------------------------------------------------------ copy with a citation

    def source(self, first: int, last: int | None = None) -> Source:
        """What a citation of lines ``first``..``last`` names."""
        from tuireader.core.citation import Source, author_of

        document = self.document
        chapter = None
        if document.format in BOOK_FORMATS:
            above = [text for line, _, text in self.headings() if line <= first]
            chapter = above[-1] if above else None
        return Source(
            title=document.title,
            path=document.path,
            line=first,
            end_line=last,
            author=author_of(document.extra, document.author),
            date=document.date,
            chapter=chapter,
        )

    def action_copy(self) -> None:
        """Copy the selection (or the paragraph in view) and a citation line to the clipboard."""
        if self.pane.line_count == 0:
            self.notify("Nothing to copy: the document is empty.", markup=False)
            return
        from tuireader.core.citation import quote_with_citation

        first, last = self._selected_or_paragraph()
        last = min(last, first + MAX_COPY_LINES - 1)
        text = "\n".join(self._text(line).rstrip() for line in range(first, last + 1))
        self.app.copy_to_clipboard(quote_with_citation(text, self.source(first, last)))
        self.cancel_selection()
        count = last - first + 1
        what = f"line {first}" if count == 1 else f"lines {first}-{last}"
        self.notify(f"Copied {what} with a citation.", title="Clipboard", markup=False)

    def action_copy_citation(self) -> None:
        """Copy only the citation of the selection (or the line in view)."""
        from tuireader.core.citation import citation

        selection = self.pane.selection
        first, last = selection if selection else (self.first_visible_line(), None)
        line = citation(self.source(first, last))
        self.app.copy_to_clipboard(line + "\n")
        self.notify(f"Copied the citation: {line}", title="Clipboard", markup=False)

    # ------------------------------------------------------------ links

    def _links_on_screen(self) -> list[tuple[int, int]]:
        """(0-based line, k) of each link on screen, in reading order."""
        if not self.document.is_markdown:
            return []
        from tuireader.core.links import links_in_line

        pane = self.pane
        found: list[tuple[int, int]] = []
        for line in pane.visible_lines():
            if pane.blocks.kind(line) is not LineKind.NORMAL:
                continue
            count = len(links_in_line(self.index.read_line(line)))
            found += [(line, k) for k in range(count)]
        return found

    def _step_link(self, step: int) -> None:
        """Focus the next (1) or previous (-1) link on screen."""
        links = self._links_on_screen()
        if not links:
            self.notify("No links on screen.", markup=False, timeout=2)
            return
        focus = self.pane.link_focus
        if focus in links:
            chosen = links[(links.index(focus) + step) % len(links)]
        else:
            chosen = links[0] if step > 0 else links[-1]
        self._pending_url = None
        self.pane.set_link_focus(chosen)

    def action_next_link(self) -> None:
        """Focus the next link on screen."""
        self._step_link(1)

    def action_previous_link(self) -> None:
        """Focus the previous link on screen."""
        self._step_link(-1)

    def action_follow_link(self) -> None:
        """Follow the focused link; without one on screen, down a line."""
        focus = self.pane.link_focus
        if focus is None or focus not in self._links_on_screen():
            self.pane.set_link_focus(None)
            self.action_down()
            return
        from tuireader.core.links import links_in_line

        line, k = focus
        link = links_in_line(self.index.read_line(line))[k]
        self.follow(link.target)

    def follow(self, target: str) -> None:
        """Go where ``target`` (a link in this document) leads."""
        from tuireader.core.links import resolve_link

        destination = resolve_link(target, self.document.path)
        if destination.kind == "external":
            url = strip_control(destination.url)
            if self._pending_url == url:
                self._pending_url = None
                self.app.open_url(url)
                return
            self._pending_url = url
            self.notify(f"{url}\nEnter again opens it in your browser.", title="External link")
        elif destination.kind == "missing":
            self.notify(f"Link target not found: {destination.path}", severity="warning")
        elif destination.kind == "internal":
            found = self._internal_line(destination.anchor)
            if found is None:
                self.notify(self._no_target(destination.anchor), markup=False)
            else:
                self.pane.set_link_focus(None)
                self.pane.go_to_line(found)
        elif destination.path is not None:
            self.pane.set_link_focus(None)
            self._open_linked(destination.path, destination.anchor)

    def _no_target(self, anchor: str) -> str:
        """Why an internal link leads nowhere (a book still converting, or no such place)."""
        book = book_index(self.index)  # a text file's reader never imports the book code
        if book is not None:
            if book.converting:
                return "That part of the book is still being converted; try again in a moment."
            return f"This link leads to no place in the book ({strip_control(anchor)})."
        return f"No heading #{strip_control(anchor)} here."

    def _internal_line(self, anchor: str) -> int | None:
        """The 1-based line an internal link's anchor names: a book's place, else a heading."""
        from tuireader.core.links import heading_anchor

        book = book_index(self.index)
        if book is not None:
            line = book.anchor_line(anchor)
            if line is not None:
                return line + 1
        return heading_anchor([(line, text) for line, _, text in self.headings()], anchor)

    @work(thread=True, exclusive=True, group="reader-link")
    def _open_linked(self, path: Path, anchor: str) -> None:
        """Find the anchor in the linked document (off the UI thread), then open it there."""
        from tuireader.core.links import find_anchor

        line: int | None = None
        if anchor:
            try:
                line = find_anchor(format_of(path).text_lines(path), anchor)
            except DocumentError:
                line = None
        self.post_message(OpenDocument(path, line if line is not None else 1))

    # ------------------------------------------------------------ jump list

    @on(SelectableReaderView.Jumped)
    def _jumped(self, event: SelectableReaderView.Jumped) -> None:
        """The pane jumped: remember the place it left."""
        event.stop()
        self.post_message(RecordJump(self.document.path, event.line))

    def return_to(self, line: int) -> None:
        """Show 1-based ``line`` without recording a jump (going back or forward)."""
        pane = self.pane
        pane.record_jumps = False
        try:
            pane.go_to_line(line)
        finally:
            pane.record_jumps = True

    def action_jump_back(self) -> None:
        """Back to where the last jump (link, search, g/G, contents) came from."""
        self.post_message(StepJump(-1, self.document.path, self.pane.top + 1))

    def action_jump_forward(self) -> None:
        """Forward again, after going back."""
        self.post_message(StepJump(1, self.document.path, self.pane.top + 1))

    # ------------------------------------------------------------ editor

    def action_edit(self) -> None:
        """Open the document in $VISUAL/$EDITOR at the line in view; reload on return."""
        line = self.pane.cursor_line or self.first_visible_line()
        self.post_message(EditDocument(self.document.path, line))
