"""The virtual reading pane: a ScrollView drawing only the visible lines.

Position is kept as (top source line, wrapped row within it), so nothing has to wrap the
whole document: the scroll range is measured in source lines and each line is wrapped on
demand (cached, LRU) when it comes into view.  Jumping to the end wraps only the last screen.
"""

from __future__ import annotations

import dataclasses
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.core.formats.styled import (
    STYLE_NAMES,
    SYNTAX_PREFIX,
    LineKind,
    StyledLine,
    render_plain,
)
from tuireader.core.highlight import match_pattern, match_spans
from tuireader.core.lineindex import LineIndex
from tuireader.core.reflow import join_paragraph, paragraph_lines, row_owner
from tuireader.ui.line_strips import SyntaxStyles, wrap_styled

if TYPE_CHECKING:  # the block parse loads with the first Markdown line (``blocks``)
    from tuireader.core.formats.blocks import BlockContext
__all__ = ["ReaderView", "match_pattern"]

MEASURE = 80
"""Comfortable maximum text width in cells."""
GUTTER = 2
CACHE_LINES = 2000


class ReaderView(ScrollView, can_focus=False):
    """Shows a ``LineIndex`` soft-wrapped, rendering only the visible rows."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"reader--{name}" for name in STYLE_NAMES),
        "reader--gutter",
        "reader--mark",
        "reader--highlight",
        "reader--match",
    }

    DEFAULT_CSS = Path(__file__).with_name("reader_view.tcss").read_text(encoding="utf-8")
    """Styles of the pane and of each style name (theme variables)."""

    full_width: reactive[bool] = reactive(False)
    """Use the whole pane width instead of the comfortable measure."""

    class Moved(Message):
        """The view scrolled, resized or learnt more lines."""

    def __init__(
        self,
        index: LineIndex,
        *,
        markdown: bool = False,
        blocks: BlockContext | None = None,
        id: str | None = None,
    ) -> None:
        """Show ``index``; ``markdown`` renders Markdown (block structure from ``blocks``)."""
        super().__init__(id=id)
        self.index = index
        self.markdown = markdown
        self.top = 0
        """0-based source line at the top of the view."""
        self.sub = 0
        """Wrapped row of the top line shown first."""
        self.row_fraction = 0.0  # how far into the top line ``sub`` is; kept on a re-wrap
        self._rows: OrderedDict[tuple[int, int], list[Strip]] = OrderedDict()
        self._styles_cache_key: object = None
        self._style_map: dict[str, Style] = {}
        self._syntax, self._blocks = SyntaxStyles(), blocks
        self._pending_line: int | None = None
        self._pending_end = False
        self._marks: set[int] = set()
        self._highlight: tuple[int, int] | None = None
        self._match_pattern: re.Pattern[str] | None = None
        self._pending_context, self._pending_fraction = 0, 0.0
        self._syncing, self._known_lines = False, 0
        self._frame_layout: list[tuple[int, int]] | None = None

    # ------------------------------------------------------------ geometry

    @property
    def text_width(self) -> int:
        """Cells available to the text of one row."""
        available = max(1, self.scrollable_content_region.width - GUTTER - 1)
        return available if self.full_width else min(MEASURE, available)

    @property
    def left_pad(self) -> int:
        """Cells left blank before the gutter, centring the text."""
        spare = self.scrollable_content_region.width - GUTTER - self.text_width
        return max(0, spare // 2)

    @property
    def view_height(self) -> int:
        """Rows of the pane."""
        return max(1, self.scrollable_content_region.height)

    @property
    def line_count(self) -> int:
        """Lines known so far."""
        return self.index.line_count

    # ------------------------------------------------------------ rendering

    def _styles(self) -> dict[str, Style]:
        """Rich styles for every style name, from the component classes (theme colours)."""
        key = (self.app.current_theme.name if self.is_mounted else None, self.styles.color)
        if key != self._styles_cache_key:
            self._style_map = {
                name: self.get_component_rich_style(f"reader--{name}", partial=True)
                for name in (*STYLE_NAMES, "gutter", "mark", "highlight", "match")
            }
            self._styles_cache_key = key
            self._syntax.clear()
            self._rows.clear()
        return self._style_map

    def _style_named(self, name: str, styles: dict[str, Style]) -> Style | None:
        """The style of a span name: a reader style, or a code token's colours."""
        if not name.startswith(SYNTAX_PREFIX):
            return styles.get(name)
        return self._syntax.style(name, self.app.current_theme.dark if self.is_mounted else True)

    def notify_style_update(self) -> None:
        """Drop cached rows when styles (theme) change."""
        super().notify_style_update()
        self._styles_cache_key = None
        self._rows.clear()

    @property
    def blocks(self) -> BlockContext:
        """The Markdown block structure of the document (made on first use, parsed lazily)."""
        if self._blocks is None:
            from tuireader.core.formats.blocks import BlockContext
            self._blocks = BlockContext(self.index)
        return self._blocks

    def styled_line(self, line: int) -> StyledLine:
        """The rendered (not yet wrapped) form of a 0-based source line."""
        text = self.index.read_line(line).expandtabs(8)
        if self.markdown:
            from tuireader.core.formats.markdown import render_line  # Markdown only
            styled = render_line(text, self.blocks.info(line))
        else:
            styled = render_plain(text)
        lines = self._highlight
        if lines and lines[0] <= line + 1 <= lines[1]:
            matches = match_spans(self._match_pattern, styled.text)
            if matches:
                styled = dataclasses.replace(styled, spans=[*styled.spans, *matches])
        return styled

    def wrapped(
        self, line: int, width: int = 0, styles: dict[str, Style] | None = None
    ) -> list[Strip]:
        """The rows of a 0-based source line at ``width`` (0: the current width), cached; in
        Markdown a line of a reflowed paragraph may own none (its text starts in the row above)."""
        styles = self._styles() if styles is None else styles
        width = width or self.text_width
        key = (line, width)
        rows = self._rows.get(key)
        if rows is not None:
            self._rows.move_to_end(key)
            return rows
        for number, block_rows in self._block_rows(line, width, styles).items():
            self._rows[(number, width)] = block_rows
        while len(self._rows) > CACHE_LINES:
            self._rows.popitem(last=False)
        return self._rows.get(key) or []

    def _block_rows(
        self, line: int, width: int, styles: dict[str, Style]
    ) -> dict[int, list[Strip]]:
        """Rows of ``line``, or of every line of the paragraph or table it belongs to."""
        if not self.markdown:
            return {line: self._wrap(self.styled_line(line), width, styles)[0]}
        from tuireader.core.formats.tables import table_rows  # Markdown only
        table = table_rows(self.index.read_line, line, self.line_count, width, cell_len)
        if table is not None and self.blocks.info(line).kind is LineKind.NORMAL:
            wide = 1 << 20  # rows are laid out to fit; a too-wide one is cropped, never wrapped
            return {
                number: [self._wrap(row, wide, styles)[0][0].crop(0, width) for row in rows]
                for number, rows in table.items()
            }
        lines = paragraph_lines(line, self.styled_line, self.line_count)
        if len(lines) == 1:
            return {line: self._wrap(lines[line], width, styles)[0]}
        start = min(lines)
        joined, offsets = join_paragraph([lines[number] for number in sorted(lines)])
        strips, row_starts = self._wrap(joined, width, styles)
        result: dict[int, list[Strip]] = {number: [] for number in lines}
        for strip, row_start in zip(strips, row_starts, strict=False):
            result[start + row_owner(offsets, row_start)].append(strip)
        return result

    def _wrap(
        self, styled: StyledLine, width: int, styles: dict[str, Style]
    ) -> tuple[list[Strip], list[int]]:
        """Turn a styled line into strips of at most ``width`` cells, with row start offsets."""
        style_for = partial(self._style_named, styles=styles)
        return wrap_styled(styled, width, styles, style_for, self.app.console)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Lay out the visible rows once per frame, then draw them."""
        self._frame_layout = self._layout()
        try:
            return super().render_lines(crop)
        finally:
            self._frame_layout = None

    def render_line(self, y: int) -> Strip:
        """Draw screen row ``y`` of the pane."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        layout = self._frame_layout if self._frame_layout is not None else self._layout()
        if y >= len(layout):
            return Strip.blank(width, base)
        line, sub = layout[y]
        rows = self.wrapped(line)
        row = rows[sub] if sub < len(rows) else Strip([])
        styles = self._style_map
        if self._marks and self._row_marked(line, sub, len(rows), y == 0):
            gutter = Segment("▍ ", base + styles["mark"])
        else:
            gutter = Segment(" " * GUTTER, base)
        if self._highlight and self._highlight[0] <= line + 1 <= self._highlight[1]:
            row = row.apply_style(styles["highlight"])
            row = row.extend_cell_length(self.text_width, base + styles["highlight"])
        pad = Segment(" " * self.left_pad, base)
        strip = Strip([pad, gutter, *row.apply_style(base)])
        return strip.extend_cell_length(width, base).crop(0, width)

    def _layout(self) -> list[tuple[int, int]]:
        """(line, row) for each screen row from the current top."""
        rows: list[tuple[int, int]] = []
        line, sub = self.top, self.sub
        height, total = self.view_height, self.line_count
        width, styles = self.text_width, self._styles()  # once, not for each line
        while len(rows) < height and line < total:
            count = len(self.wrapped(line, width, styles))
            for row in range(sub, count):
                rows.append((line, row))
                if len(rows) >= height:
                    break
            line, sub = line + 1, 0
        return rows

    # ------------------------------------------------------------ position

    def end_position(self) -> tuple[int, int]:
        """The (top, sub) that shows the last line on the last row."""
        height, used = self.view_height, 0
        width, styles = self.text_width, self._styles()  # once, not for each line
        line = self.line_count - 1
        while line >= 0:
            count = len(self.wrapped(line, width, styles))
            if used + count >= height:
                return line, used + count - height
            used += count
            line -= 1
        return 0, 0

    def _clamped(self, top: int, sub: int) -> tuple[int, int]:
        """A position no further than the end position."""
        end = self.end_position()
        if (top, sub) > end:
            return end
        return max(0, top), max(0, sub)

    def sub_for(self, line: int, fraction: float) -> int:
        """The wrapped row of 0-based ``line`` that starts ``fraction`` of the way into it."""
        rows = len(self.wrapped(line)) if line < self.line_count else 0
        return min(max(0, rows - 1), round(fraction * rows))

    def set_position(self, top: int, sub: int = 0, *, keep_fraction: bool = False) -> None:
        """Show 0-based line ``top`` (row ``sub``) first; a re-wrap keeps ``row_fraction``."""
        top, sub = self._clamped(top, sub)
        while top > 0 and top < self.line_count and not self.wrapped(top):
            # Its text starts inside the last row of an earlier line: show that row.
            top -= 1
            sub = max(0, len(self.wrapped(top)) - 1)
        if (not keep_fraction or top != self.top) and top < self.line_count:
            self.row_fraction = sub / max(1, len(self.wrapped(top)))
        self.top, self.sub = top, sub
        self._update_virtual_size()
        self._syncing = True
        try:
            self.scroll_y = float(self.top)
        finally:
            self._syncing = False
        self.refresh()
        self.post_message(self.Moved())

    def _update_virtual_size(self) -> None:
        """Scroll range in source lines: the end position plus one screen."""
        end_top, _ = self.end_position()
        size = Size(self.scrollable_content_region.width, end_top + self.view_height)
        if size != self.virtual_size:
            self.virtual_size = size

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """The scrollbar moves by source lines; its last step shows the real last row."""
        super().watch_scroll_y(old_value, new_value)
        if self._syncing:
            return
        line = round(new_value)
        if line != self.top:
            end = self.end_position()
            self.top, self.sub = end if line >= end[0] else self._clamped(line, 0)
            self.row_fraction = self.sub / max(1, len(self.wrapped(self.top)))
            self.refresh()
            self.post_message(self.Moved())

    def scroll_rows(self, count: int) -> None:
        """Move down (positive) or up (negative) by display rows."""
        top, sub = self.top, self.sub
        if count > 0:
            end = self.end_position()
            for _ in range(count):
                if (top, sub) >= end:
                    break
                if sub + 1 < len(self.wrapped(top)):
                    sub += 1
                else:
                    top, sub = top + 1, 0
        else:
            for _ in range(-count):
                if sub > 0:
                    sub -= 1
                    continue
                while top > 0:
                    top -= 1
                    rows = len(self.wrapped(top))
                    if rows:
                        sub = rows - 1
                        break
                else:
                    break
        self.set_position(top, sub)

    def page(self, fraction: float = 1.0) -> None:
        """Scroll by a fraction of a screen (negative = up)."""
        rows = max(1, int(self.view_height * abs(fraction)))
        if abs(fraction) >= 1.0 and self.view_height > 2:
            rows = self.view_height - 1
        self.scroll_rows(rows if fraction > 0 else -rows)

    def go_to_line(self, line: int, context: int = 0, fraction: float = 0.0) -> None:
        """Show 1-based ``line`` at the top, ``fraction`` into its rows, once sized and a screen
        after it is indexed; with ``context``, that many rows lower, from its first marked word."""
        target = max(1, int(line))
        self._pending_end = False
        unindexed = not self.index.done and target + self.view_height > self.line_count
        if unindexed or not self.size.height:  # wait for the lines below it and the pane's size
            self._pending_line, self._pending_context = target, context
            self._pending_fraction = fraction
            return
        self._pending_line, self._pending_context = None, 0
        top = min(target, max(1, self.line_count)) - 1
        if not context:
            self.set_position(top, self.sub_for(top, fraction))
            return
        sub = 0
        if self._match_pattern is not None:
            for number, row in enumerate(self.wrapped(top)):
                if self._match_pattern.search(row.text):
                    sub = number
                    break
        self.set_position(top, sub)
        if (self.top, self.sub) != self.end_position():
            self.scroll_rows(-context)

    def go_home(self) -> None:
        """Show the start of the document."""
        self._pending_line = None
        self._pending_end = False
        self.set_position(0, 0)

    def go_end(self) -> None:
        """Show the end of the document (once it is indexed)."""
        self._pending_line = None
        if not self.index.done:
            self._pending_end = True
        self.set_position(*self.end_position())

    @property
    def pending(self) -> bool:
        """Whether a jump waits for the index."""
        return self._pending_end or self._pending_line is not None

    def index_grew(self) -> None:
        """Called (on the UI thread) when the index learnt more lines."""
        if self._known_lines != self.line_count or self.index.done:
            self._known_lines = self.line_count
            if self._blocks is not None and self._blocks.provisional:
                # Some lines were drawn from a parse of an incomplete tail: draw them again.
                self._blocks.provisional = False
                self._rows.clear()
            if self._pending_line is not None:
                self.go_to_line(self._pending_line, self._pending_context, self._pending_fraction)
            elif self._pending_end:
                self.go_end()
                if self.index.done:
                    self._pending_end = False
            else:
                self._update_virtual_size()
                self.refresh()
            self.post_message(self.Moved())

    def bottom_line(self) -> int:
        """1-based source line shown on the last row in use."""
        layout = self._layout()
        return layout[-1][0] + 1 if layout else 0

    def at_end(self) -> bool:
        """Whether the last line is on screen."""
        return self.index.done and self.bottom_line() >= self.line_count

    def _row_marked(self, line: int, sub: int, count: int, top_row: bool) -> bool:
        """Whether a gutter marker goes on row ``sub`` (of ``count``) of 0-based ``line``.

        A marked line shows it on its first row (or on the top row when its start is
        scrolled off); a marked Markdown line that owns no row (reflowed into the line
        before) shows it on the last row of the line whose row it starts in.
        """
        if line + 1 in self._marks and (sub == 0 or top_row):
            return True
        if sub != count - 1 or not self.markdown:
            return False
        following = line + 1
        while following < self.line_count and not self.wrapped(following):
            if following + 1 in self._marks:
                return True
            following += 1
        return False

    def set_marks(self, lines: Iterable[int]) -> None:
        """Draw a gutter marker on these 1-based source lines."""
        self._marks = set(lines)
        self.refresh()

    def set_highlight(self, lines: tuple[int, int] | None, words: Sequence[str] = ()) -> None:
        """Highlight an inclusive 1-based range of source lines (or none).

        ``words`` (e.g. a search hit's matched words) are marked wherever they
        occur in those lines, ignoring case.
        """
        pattern = match_pattern(words) if lines is not None else None
        old = self._match_pattern.pattern if self._match_pattern is not None else None
        new = pattern.pattern if pattern is not None else None
        if new != old or (new is not None and lines != self._highlight):
            self._rows.clear()
        self._highlight = lines
        self._match_pattern = pattern
        self.refresh()

    def watch_full_width(self) -> None:
        """Re-wrap when the measure changes."""
        self._rows.clear()
        if self.is_mounted:
            self.on_resize()

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """The wheel scrolls three rows."""
        event.stop()
        self.scroll_rows(3)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """The wheel scrolls three rows."""
        event.stop()
        self.scroll_rows(-3)

    def on_resize(self) -> None:
        """Make a jump that waited for the size; else re-wrap, keeping the top line and row."""
        if self._pending_line is not None:
            self.go_to_line(self._pending_line, self._pending_context, self._pending_fraction)
            return
        self.set_position(self.top, self.sub_for(self.top, self.row_fraction), keep_fraction=True)
