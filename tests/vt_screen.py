"""A small terminal model for tests: the sequences Textual and the SSH profile write.

Cursor moves (CUP, CUF, CUB, CUD, CR, LF), SGR, erase (ECH, EL), scroll regions
(DECSTBM) and scrolling (SU, SD), text with wide characters; no autowrap (Textual
turns it off).  A cell is (text, foreground, background, attributes); a space's
foreground and weight are left out (they cannot be seen).  Erasing paints the current background.
"""

from __future__ import annotations

import re

from rich.cells import get_character_cell_size

_SEQUENCE = re.compile(
    r"\x1b\[([0-9;?<>=$]*)([A-Za-z@~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.|\r|\n|[^\x1b\r\n]"
)

VtCell = tuple[str, str, str, frozenset[str]]


class VtScreen:
    """A grid of cells, a cursor, a style and a scroll region."""

    def __init__(self, width: int, height: int) -> None:
        """A blank screen in the default colours."""
        self.width = width
        self.height = height
        self.cells: list[list[VtCell]] = [[self._blank("")] * width for _ in range(height)]
        self.row = self.col = 0
        self.fg = self.bg = ""
        self.flags: frozenset[str] = frozenset()
        self.top, self.bottom = 0, height - 1

    def _blank(self, bg: str) -> VtCell:
        """An erased cell."""
        return (" ", "", bg, frozenset())

    def feed(self, data: str) -> None:
        """Apply a terminal write."""
        for match in _SEQUENCE.finditer(data):
            final = match.group(2)
            if final is not None:
                self._csi(match.group(1), final)
            elif match.group().startswith("\x1b"):
                continue  # OSC, other escapes: no cells change
            elif match.group() == "\r":
                self.col = 0
            elif match.group() == "\n":
                if self.row == self.bottom:
                    self._scroll(1)
                else:
                    self.row = min(self.height - 1, self.row + 1)
            else:
                self._text(match.group())

    def _text(self, char: str) -> None:
        """Write one character at the cursor (wide ones take two cells)."""
        size = get_character_cell_size(char)
        if size == 0:
            return
        col = min(self.col, self.width - size)
        lines = self.flags & {"4", "7", "9"}
        shown_fg, flags = (self.fg, self.flags) if char != " " or lines else ("", lines)
        self.cells[self.row][col] = (char, shown_fg, self.bg, flags)
        if size == 2:
            self.cells[self.row][col + 1] = ("", shown_fg, self.bg, flags)
        self.col = min(self.width, col + size)

    def _csi(self, params: str, final: str) -> None:
        """Apply a control sequence (unknown ones change nothing)."""
        if not params.replace(";", "").isdigit() and params:
            return
        numbers = [int(part) if part else 0 for part in params.split(";")] if params else []
        first = numbers[0] if numbers else 0
        count = first or 1
        col = min(self.col, self.width - 1)
        if final == "H":
            self.row = max(1, first) - 1
            self.col = max(1, numbers[1] if len(numbers) > 1 else 1) - 1
        elif final == "C":
            self.col = min(self.width - 1, col + count)
        elif final == "D":
            self.col = max(0, col - count)
        elif final == "B":
            self.row = min(self.height - 1, self.row + count)
        elif final == "X":
            for x in range(col, min(self.width, col + count)):
                self.cells[self.row][x] = self._blank(self.bg)
        elif final == "K" and first == 0:
            for x in range(col, self.width):
                self.cells[self.row][x] = self._blank(self.bg)
        elif final == "m":
            self._sgr(numbers or [0])
        elif final == "r":
            self.top = (first or 1) - 1
            self.bottom = (numbers[1] if len(numbers) > 1 and numbers[1] else self.height) - 1
            self.row = self.col = 0
        elif final == "S":
            self._scroll(count)
        elif final == "T":
            self._scroll(-count)

    def _scroll(self, lines: int) -> None:
        """Scroll the region up (down if negative); new lines erased in the current background."""
        region = self.cells[self.top : self.bottom + 1]
        blank = [[self._blank(self.bg)] * self.width for _ in range(min(abs(lines), len(region)))]
        region = region[lines:] + blank if lines > 0 else blank + region[:lines]
        self.cells[self.top : self.bottom + 1] = region[: self.bottom - self.top + 1]

    def _sgr(self, codes: list[int]) -> None:
        """Apply an SGR: colours, attributes, resets."""
        index = 0
        flags = set(self.flags)
        while index < len(codes):
            code = codes[index]
            if code in (38, 48):
                size = 3 if codes[index + 1 : index + 2] == [5] else 5
                value = ":".join(map(str, codes[index + 1 : index + size]))
                if code == 38:
                    self.fg = value
                else:
                    self.bg = value
                index += size
                continue
            if code == 0:
                self.fg = self.bg = ""
                flags = set()
            elif code == 39:
                self.fg = ""
            elif code == 49:
                self.bg = ""
            elif 30 <= code <= 37 or 90 <= code <= 97:
                self.fg = str(code)
            elif 40 <= code <= 47 or 100 <= code <= 107:
                self.bg = str(code)
            elif code == 22:
                flags -= {"1", "2"}
            elif 23 <= code <= 29:
                flags.discard(str(code - 20))
            else:
                flags.add(str(code))
            index += 1
        self.flags = frozenset(flags)
