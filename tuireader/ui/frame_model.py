"""A model of the cells on the terminal, and the fewest bytes that turn it into a new frame.

Textual repaints whole regions: scrolling the reading pane by one line rewrites
every row of it.  Over SSH every byte is latency, so the SSH profile keeps the
screen it last drew (``FrameWriter``), applies each frame Textual writes to a
copy, and sends only what differs:

* rows, and runs of cells within rows, that changed; short gaps are rewritten,
  long ones skipped with a cursor move; a row's blank tail is erased (``ESC[K``);
* when the new screen is the old one shifted by some rows within a band (the
  reading pane scrolled), the band is scrolled by the terminal (a scroll region,
  ``ESC[t;br`` and ``ESC[nS``/``ESC[nT``, then ``ESC[r``) and only what is still
  different is written; the cheaper of the two plans is sent;
* styles are switched only when the next cell needs another one (a space needs
  only its background).

Cells the terminal may show differently from the model (at start, after a
resize, after anything else wrote to the screen) are *unknown* and always
rewritten, so the terminal ends every frame showing exactly the frame.
No Textual here: the model is tested on its own.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import get_character_cell_size

from tuireader.ui.sgr import blank_style, combine, plain, switch

Cell = tuple[str, str]
"""What one cell shows: its text (``""``: the right half of a wide character) and its style."""
Row = list[Cell]
UNKNOWN: Cell = ("\x00", "\x00")
"""A cell whose content on the terminal is not known: never equal to a cell of a frame."""
GAP = 4
"""Unchanged cells between two changes shorter than this are rewritten rather than skipped."""
MIN_ERASE = 8
"""Blank runs at least this long are erased (``ESC[nX`` and a move) rather than written."""

_FRAME = re.compile(r"(?:\x1b\[[0-9;]*[Hm]|\r?\n|[^\x1b\r\n])*")
_TOKEN = re.compile(r"\x1b\[([0-9;]*)([Hm])|(\r?\n)|([^\x1b\r\n]+)")


def is_frame(data: str) -> bool:
    """Whether ``data`` is a frame as Textual writes one: cursor moves, styles, text, newlines."""
    return data.startswith("\x1b[") and _FRAME.fullmatch(data) is not None


def blank_screen(width: int, height: int) -> list[Row]:
    """A screen of unknown cells."""
    return [[UNKNOWN] * width for _ in range(height)]


@functools.lru_cache(maxsize=4096)
def _cells(text: str, style: str) -> tuple[Cell, ...]:
    """The cells ``text`` fills: wide characters take two, combining marks join the last."""
    blank = (" ", blank_style(style))  # a space shows only its background
    if text.isascii():
        return tuple([(char, style) if char != " " else blank for char in text])
    cells: list[Cell] = []
    for char in text:
        size = get_character_cell_size(char)
        if size == 0 and cells:
            cells[-1] = (cells[-1][0] + char, style)
        elif size == 2:
            cells.append((char, style))
            cells.append(("", style))
        elif size == 1:
            cells.append((char, style) if char != " " else blank)
    return tuple(cells)


def apply_frame(screen: list[Row], data: str) -> tuple[int, int]:
    """Paint a Textual frame onto ``screen`` in place; the cursor (x, y) it ends at.

    Text running past the right edge (a frame for a wider terminal) leaves the
    last cell unknown: the terminal, not wrapping, overwrites it.
    """
    height = len(screen)
    width = len(screen[0]) if screen else 0
    x = y = 0
    style = ""
    for token in _TOKEN.finditer(data):
        params, final, newline, text = token.groups()
        if final == "H":
            row, _, col = (params or "1;1").partition(";")
            y, x = int(row or 1) - 1, int(col or 1) - 1
        elif final == "m":
            style = combine(style, params)
        elif newline:
            y += 1
        else:
            cells = _cells(text, style)
            if 0 <= y < height and x < width:
                end = min(width, x + len(cells))
                line = screen[y]
                if cells and x > 0 and line[x][0] == "":
                    line[x - 1] = (" ", blank_style(line[x - 1][1]))  # its right half overwritten
                line[x:end] = cells[: end - x]
                if end < width and line[end][0] == "":
                    line[end] = (" ", blank_style(line[end][1]))  # ... or its left half
                if x + len(cells) > width:
                    line[width - 1] = UNKNOWN
            x += len(cells)
    return x, y


@dataclass
class _Pen:
    """Writes cells to the terminal, remembering where its cursor is and which style it has.

    Moves are put off until something is written there, so two moves in a row cost one.
    """

    width: int
    height: int
    style: str | None
    x: int | None
    y: int | None

    def __post_init__(self) -> None:
        """Start with nothing written and nowhere to go."""
        self.out: list[str] = []
        self.target: tuple[int, int] | None = None

    def move(self, x: int, y: int) -> None:
        """Go to (x, y) before the next thing written."""
        self.target = (x, y)

    def place(self) -> None:
        """Put the cursor where it should be, by the shortest sequence known to be safe."""
        if self.target is None:
            return
        x, y = self.target
        self.target = None
        if self.y == y and self.x == x:
            return
        if self.y == y and self.x is not None:
            step = x - self.x
            if step > 0:
                self.out.append(f"\x1b[{step}C" if step > 1 else "\x1b[C")
            else:
                self.out.append(f"\x1b[{-step}D" if step < -1 else "\x1b[D")
        elif self.y is not None and y == self.y + 1 and x == 0:
            self.out.append("\r\n")
        elif self.y is not None and y == self.y + 1 and self.x is not None and x == self.x:
            self.out.append("\x1b[B")
        else:
            self.out.append(f"\x1b[{y + 1};{x + 1}H" if x else f"\x1b[{y + 1}H")
        self.x, self.y = x, y

    def set_style(self, style: str) -> None:
        """Switch the terminal to ``style`` if it has another."""
        if style != self.style:
            self.out.append(switch(self.style, style))
            self.style = style

    def set_blank_style(self, style: str) -> None:
        """Switch to a blank's ``style`` unless the terminal's style paints blanks the same."""
        if self.style is None or blank_style(self.style) != style:
            self.set_style(style)

    def erase_line(self, style: str) -> None:
        """Erase from the cursor to the end of the row in ``style`` (its background)."""
        self.set_blank_style(style)
        self.place()
        self.out.append("\x1b[K")

    def write(self, row: Row, start: int, end: int) -> None:
        """Write the cells ``row[start:end]`` (moved to ``start`` first); long blanks erased."""
        x = start
        while x < end:
            text, style = row[x]
            if not text:
                x += 1  # the right half of a wide character just written
                continue
            if text == " " and plain(style):
                run = x
                while run < end and row[run] == (" ", style):
                    run += 1
                if run - x >= MIN_ERASE:
                    if run == self.width:
                        self.erase_line(style)
                        return
                    self.set_blank_style(style)
                    self.place()
                    self.out.append(f"\x1b[{run - x}X")
                    self.move(run, self.y or 0)
                    x = run
                    continue
            if style != self.style:
                if text == " ":
                    self.set_blank_style(style)
                else:
                    self.set_style(style)
            if self.target is not None:
                self.place()
            self.out.append(text)
            x += 2 if x + 1 < len(row) and row[x + 1][0] == "" else 1
            self.x = x if x < self.width else None  # at the edge: pending wrap, say nothing


def _runs(old: Row, new: Row) -> list[tuple[int, int]]:
    """Spans [start, end) of ``new`` to write so the row becomes ``new``; short gaps bridged."""
    width = len(new)
    runs: list[tuple[int, int]] = []
    x = 0
    while x < width:
        if old[x] == new[x]:
            x += 1
            continue
        start = x
        end = x + 1
        gap = 0
        x += 1
        while x < width and gap < GAP:
            if old[x] == new[x]:
                gap += 1
            else:
                gap = 0
                end = x + 1
            x += 1
        if start > 0 and new[start][0] == "":
            start -= 1  # begin on the whole wide character
        if end < width and new[end][0] == "":
            end += 1
        if runs and start <= runs[-1][1]:
            start = runs.pop()[0]
        runs.append((start, end))
        x = max(x, end)
    return runs


def _tail(row: Row) -> int:
    """Where the row's trailing run of blank cells in one erasable style starts."""
    width = len(row)
    last = row[-1]
    if last[0] != " " or not plain(last[1]):
        return width
    x = width - 1
    while x > 0 and row[x - 1] == last:
        x -= 1
    return x


def paint(old: Sequence[Row], new: Sequence[Row], pen: _Pen) -> None:
    """Write, with ``pen``, whatever of ``new`` differs from ``old`` (row by row, runs of cells)."""
    for y, (old_row, new_row) in enumerate(zip(old, new, strict=True)):
        if old_row == new_row:
            continue
        runs = _runs(old_row, new_row)
        if not runs:
            continue
        tail = _tail(new_row)
        for start, end in runs:
            pen.move(start, y)
            if end == len(new_row) and tail < end and end - max(start, tail) >= 3:
                erase_from = max(start, tail)
                pen.write(new_row, start, erase_from)
                pen.erase_line(new_row[-1][1])
            else:
                pen.write(new_row, start, end)


@dataclass(frozen=True)
class Scroll:
    """Rows ``top``..``bottom`` (inclusive) moved up by ``shift`` (down if negative)."""

    top: int
    bottom: int
    shift: int

    def sequence(self) -> str:
        """The terminal sequence: set the region, scroll it, reset the region."""
        move = f"\x1b[{self.shift}S" if self.shift > 0 else f"\x1b[{-self.shift}T"
        return f"\x1b[{self.top + 1};{self.bottom + 1}r{move}\x1b[r"

    def apply(self, screen: Sequence[Row]) -> list[Row]:
        """The screen as the terminal shows it after the scroll (new rows unknown)."""
        width = len(screen[0])
        result = [list(row) for row in screen]
        top, bottom, shift = self.top, self.bottom, self.shift
        for y in range(top, bottom + 1):
            source = y + shift
            result[y] = list(screen[source]) if top <= source <= bottom else [UNKNOWN] * width
        return result


def _shifts(old_keys: list[tuple[Cell, ...]], new_keys: list[tuple[Cell, ...]]) -> list[int]:
    """Likely shifts: rows of the new screen found elsewhere in the old one, by votes."""
    where: dict[tuple[Cell, ...], list[int]] = {}
    for y, key in enumerate(old_keys):
        where.setdefault(key, []).append(y)
    votes: Counter[int] = Counter()
    for y, key in enumerate(new_keys):
        if old_keys[y] == key:
            continue
        places = where.get(key, ())
        if len(places) > 3:
            continue  # blank or repeated rows say nothing about the shift
        for place in places:
            votes[place - y] += 1
    return [shift for shift, count in votes.most_common(3) if count >= 2]


def _near(old: tuple[Cell, ...], new: tuple[Cell, ...]) -> bool:
    """Whether two rows differ in at most two cells (a scrollbar's thumb, say)."""
    if old == new:
        return True
    differences = 0
    for before, after in zip(old, new, strict=True):
        if before != after:
            differences += 1
            if differences > 2:
                return False
    return True


def find_scroll(old: Sequence[Row], new: Sequence[Row]) -> list[Scroll]:
    """Scrolls of a band of rows that would bring ``old`` nearer ``new``, best guesses first."""
    height = len(new)
    old_keys = [tuple(row) for row in old]
    new_keys = [tuple(row) for row in new]
    plans = []
    for shift in _shifts(old_keys, new_keys):
        best: tuple[int, int, int] | None = None  # (matches, first, last)
        first = last = -1
        matches = 0
        for y in range(height):
            source = y + shift
            if not 0 <= source < height or not _near(old_keys[source], new_keys[y]):
                if first >= 0 and y - last > 3:
                    if best is None or matches > best[0]:
                        best = (matches, first, last)
                    first, matches = -1, 0
                continue
            if first < 0:
                first = y
            last = y
            matches += 1
        if first >= 0 and (best is None or matches > best[0]):
            best = (matches, first, last)
        if best is None or best[0] < 2:
            continue
        _, first, last = best
        top, bottom = min(first, first + shift), max(last, last + shift)
        plans.append(Scroll(top, bottom, shift))
    return plans


class FrameWriter:
    """The screen the terminal shows, and the brief output that turns it into each new frame."""

    def __init__(self, width: int, height: int) -> None:
        """Start with every cell unknown, the style and cursor unknown."""
        self.width = width
        self.height = height
        self.shown = blank_screen(width, height)
        self.style: str | None = None
        self.cursor: tuple[int | None, int | None] = (None, None)
        self.target: tuple[int, int] | None = None
        """Where the last frame put the cursor (it may not be there while hidden)."""

    def forget(self) -> None:
        """Something else may have changed the screen: every cell, the style, the cursor unknown."""
        self.shown = blank_screen(self.width, self.height)
        self.style = None
        self.cursor = (None, None)

    def frame(self, data: str, place_cursor: bool = True) -> str:
        """The brief output that makes the terminal show ``data`` painted on the last frame.

        Textual ends each frame by putting the cursor where it belongs; while the
        cursor is hidden (``place_cursor`` false) that place is only remembered.
        """
        new = [list(row) for row in self.shown]
        x, y = apply_frame(new, data)
        plain_pen = self._pen()
        paint(self.shown, new, plain_pen)
        best = plain_pen
        prefix = ""
        for scroll in find_scroll(self.shown, new):
            pen = self._pen()
            pen.x = pen.y = None
            paint(scroll.apply(self.shown), new, pen)
            cost = len(scroll.sequence()) + sum(map(len, pen.out))
            if cost < sum(map(len, best.out)) + len(prefix):
                best, prefix = pen, scroll.sequence()
        if 0 <= y < self.height and 0 <= x < self.width:
            self.target = (x, y)
            if place_cursor:
                best.move(x, y)
                best.place()
        self.shown = new
        self.style = best.style
        self.cursor = (best.x, best.y)
        return prefix + "".join(best.out)

    def place_cursor(self) -> str:
        """The move that puts the cursor where the last frame wanted it (when it is shown)."""
        if self.target is None:
            return ""
        pen = self._pen()
        pen.move(*self.target)
        pen.place()
        self.cursor = (pen.x, pen.y)
        return "".join(pen.out)

    def _pen(self) -> _Pen:
        """A pen starting from the terminal's present style and cursor."""
        return _Pen(self.width, self.height, self.style, *self.cursor)
