"""The reading pane with a line selection, highlights and a focused link.

While selecting, the movement the reader asks of the pane (rows, pages, home,
end, a line) moves a cursor line instead, and the pane follows the cursor; the
lines between the start and the cursor are the selection.  Highlights made
earlier are drawn over their lines; the focused link is drawn reversed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from tuireader.core.formats.styled import StyledLine
from tuireader.core.lineindex import LineIndex
from tuireader.ui.widgets.reader_view import GUTTER, ReaderView

if TYPE_CHECKING:
    from tuireader.core.formats.blocks import BlockContext


class SelectableReaderView(ReaderView):
    """``ReaderView`` plus a selection with a visible cursor line, highlights and link focus."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *ReaderView.COMPONENT_CLASSES,
        "reader--selection",
        "reader--cursor",
        "reader--user-highlight",
        "reader--link-focus",
    }
    TOOL_STYLES: ClassVar[tuple[str, ...]] = ("selection", "cursor", "user-highlight", "link-focus")
    """The style names this pane adds to the reading pane's."""
    DEFAULT_CSS = """
    SelectableReaderView > .reader--selection { background: $selection; color: $selection-text; }
    SelectableReaderView > .reader--cursor {
        background: $selection;
        color: $selection-text;
        text-style: bold underline;
    }
    SelectableReaderView > .reader--user-highlight { background: $passage-highlight 50%; }
    SelectableReaderView > .reader--link-focus {
        background: $link;
        color: $page-background;
        text-style: bold;
    }
    """

    class Jumped(Message):
        """The pane jumped (home, end, a line) away from 1-based ``line``."""

        def __init__(self, line: int) -> None:
            """Left ``line`` (the top line before the jump)."""
            super().__init__()
            self.line = line

    def __init__(
        self,
        index: LineIndex,
        *,
        markdown: bool = False,
        blocks: BlockContext | None = None,
        id: str | None = None,
    ) -> None:
        """As ``ReaderView``: show ``index``; ``markdown`` renders Markdown."""
        super().__init__(index, markdown=markdown, blocks=blocks, id=id)
        self.record_jumps = True
        """Whether jumps are reported (off while going back or forward)."""
        self._anchor: int | None = None
        self._cursor: int | None = None
        self._user_highlights: list[tuple[int, int]] = []
        self._link_focus: tuple[int, int] | None = None

    def on_mount(self) -> None:
        """Before the first layout: a scroll range if the known lines surely overflow.

        Each line takes at least one row, so more lines than the screen has rows
        overflow it; the first frame then has its scroll bar (and the text its final
        width) instead of re-wrapping every line when the exact range is known.
        """
        screen_rows = self.app.size.height
        if self.line_count > screen_rows:
            self.virtual_size = Size(self.app.size.width, self.line_count)

    # ------------------------------------------------------------ selection

    @property
    def selecting(self) -> bool:
        """Whether a selection is being made."""
        return self._anchor is not None

    @property
    def cursor_line(self) -> int | None:
        """1-based line of the selection's cursor (``None`` when not selecting)."""
        return None if self._cursor is None else self._cursor + 1

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected 1-based lines, first and last (``None`` when not selecting)."""
        if self._anchor is None or self._cursor is None:
            return None
        first, last = sorted((self._anchor, self._cursor))
        return first + 1, last + 1

    def start_selection(self, line: int) -> None:
        """Start selecting at 1-based ``line`` (also the cursor line)."""
        self._anchor = self._cursor = max(0, min(line, self.line_count) - 1)
        self.refresh()

    def cancel_selection(self) -> None:
        """Stop selecting."""
        self._anchor = self._cursor = None
        self.refresh()

    def _move_cursor(self, line: int) -> None:
        """Put the cursor on 0-based ``line`` and scroll so it is on screen."""
        self._cursor = max(0, min(line, self.line_count - 1))
        self._follow_cursor()
        self.refresh()

    def _follow_cursor(self) -> None:
        """Scroll the least needed to show the cursor line."""
        cursor = self._cursor
        layout = self._layout()
        if cursor is None or not layout:
            return
        if cursor < self.top or (cursor == self.top and self.sub > 0):
            self.set_position(cursor, 0)
        elif cursor > layout[-1][0]:
            self.set_position(cursor, 0)
            ReaderView.scroll_rows(self, -(self.view_height - len(self.wrapped(cursor))))

    # ------------------------------------------------------------ movement

    def scroll_rows(self, count: int) -> None:
        """Scroll by rows; while selecting, move the cursor by ``count`` lines instead."""
        if self._cursor is None:
            super().scroll_rows(count)
        else:
            self._move_cursor(self._cursor + count)

    def go_home(self) -> None:
        """The start (the cursor too, while selecting)."""
        self._jumped()
        super().go_home()
        if self._cursor is not None:
            self._move_cursor(0)

    def go_end(self) -> None:
        """The end (the cursor too, while selecting)."""
        self._jumped()
        super().go_end()
        if self._cursor is not None:
            self._move_cursor(self.line_count - 1)

    def go_to_line(self, line: int, context: int = 0, fraction: float = 0.0) -> None:
        """Show 1-based ``line`` (the cursor moves there too, while selecting)."""
        self._jumped()
        super().go_to_line(line, context, fraction)
        if self._cursor is not None and line <= self.line_count:
            self._move_cursor(line - 1)

    def _jumped(self) -> None:
        """Tell the screen where a jump leaves from (once the pane shows something)."""
        if self.record_jumps and self.is_mounted and self.line_count and not self.pending:
            self.post_message(self.Jumped(self.top + 1))

    # ------------------------------------------------------------ drawing

    def _styles(self) -> dict[str, Style]:
        """The reading pane's styles plus the selection's, highlights' and focused link's."""
        styles = super()._styles()
        if "selection" not in styles:
            for name in self.TOOL_STYLES:
                styles[name] = self.get_component_rich_style(f"reader--{name}", partial=True)
        return styles

    def set_user_highlights(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Draw the highlights made by the user: inclusive 1-based line ranges."""
        self._user_highlights = sorted(ranges)
        self.refresh()

    def row_decoration(self, line: int) -> str | None:
        """The style over 0-based ``line``: cursor, selection, else the user's highlight
        (a search passage is the reading pane's own)."""
        if self._cursor is not None and line == self._cursor:
            return "cursor"
        selection = self.selection
        if selection is not None and selection[0] <= line + 1 <= selection[1]:
            return "selection"
        passage = self._highlight
        if passage and passage[0] <= line + 1 <= passage[1]:
            return None
        if any(first <= line + 1 <= last for first, last in self._user_highlights):
            return "user-highlight"
        return None

    def render_line(self, y: int) -> Strip:
        """The reading pane's row ``y``, its text cells in the cursor's, selection's or
        highlight's style (laid over the text's own colours)."""
        strip = super().render_line(y)
        layout = self._frame_layout if self._frame_layout is not None else self._layout()
        if y >= len(layout) or (name := self.row_decoration(layout[y][0])) is None:
            return strip
        style = self._styles()[name]
        start = self.left_pad + GUTTER
        end = start + self.text_width
        middle = [
            Segment(text, (seg_style + style) if seg_style else style, control)
            for text, seg_style, control in strip.crop(start, end)
        ]
        return Strip.join([strip.crop(0, start), Strip(middle), strip.crop(end, strip.cell_length)])

    def set_link_focus(self, focus: tuple[int, int] | None) -> None:
        """Draw the ``k``-th link of 0-based ``line`` as focused: ``(line, k)``, or none."""
        if focus != self._link_focus:
            self._link_focus = focus
            self._rows.clear()
            self.refresh()

    @property
    def link_focus(self) -> tuple[int, int] | None:
        """The focused link, ``(0-based line, k)``."""
        return self._link_focus

    def styled_line(self, line: int) -> StyledLine:
        """The rendered line, with the focused link marked."""
        styled = super().styled_line(line)
        focus = self._link_focus
        if focus is None or focus[0] != line:
            return styled
        links = sorted((start, end) for start, end, name in styled.spans if name == "link")
        if focus[1] >= len(links):
            return styled
        start, end = links[focus[1]]
        return dataclasses.replace(styled, spans=[*styled.spans, (start, end, "link-focus")])

    def visible_lines(self) -> list[int]:
        """The 0-based lines with a row on screen, in order."""
        return list(dict.fromkeys(line for line, _ in self._layout()))
