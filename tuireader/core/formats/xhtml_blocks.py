"""Small pieces of the (X)HTML -> Markdown conversion: escaping, inline marks, tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BR = "\x00br\x00"
"""Stands for a ``<br>`` in gathered text until the paragraph is cut into lines."""
MAX_LINE_CHARS = 16_000
"""Longer paragraphs are cut into several (flowing) lines at spaces."""
MAX_CELL_CHARS = 2_000

_INLINE_SPECIAL = re.compile(r"[\\*`\[\]]|(?<!\w)_|_(?!\w)|~~|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(?:#{1,6}(?:\s|$)|[>|<]|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|={3,}|-{3,})")
_BACKTICKS = re.compile(r"`+")
_ODD_SPACE = re.compile(r"[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+")


def collapse(text: str) -> str:
    """Collapse HTML white space (not no-break spaces) to single spaces, and strip."""
    return _ODD_SPACE.sub(" ", text).strip(" ")


_MAYBE_SPECIAL = re.compile(r"[\\*`\[\]_~<&]")


def escape_inline(text: str) -> str:
    """Backslash-escape what Markdown would read as inline markup."""
    if not _MAYBE_SPECIAL.search(text):
        return text
    return _INLINE_SPECIAL.sub(lambda match: "".join("\\" + char for char in match.group(0)), text)


def escape_line_start(line: str) -> str:
    """Escape a paragraph's first character when Markdown would read it as a block marker."""
    match = _LINE_START.match(line)
    if not match:
        return line
    if line[0].isdigit():
        end = match.end() - 1 if match.group(0)[-1].isspace() else match.end()
        return line[: end - 1] + "\\" + line[end - 1 :]
    return "\\" + line


def fence_for(text: str) -> str:
    """A backtick fence longer than any backtick run in ``text``."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    return "`" * max(3, longest + 1)


def split_long(line: str, limit: int = MAX_LINE_CHARS) -> list[str]:
    """Cut a very long paragraph line into pieces at spaces (they reflow as one)."""
    if len(line) <= limit:
        return [line]
    pieces: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", limit // 2, limit)
        if cut <= 0:
            cut = limit
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    if line:
        pieces.append(line)
    return pieces


@dataclass(slots=True)
class InlineMark:
    """An open inline element (emphasis, code, link) and where its text starts."""

    marker: str
    start: int
    code: bool = False
    href: str | None = None

    def close(self, buf: list[str]) -> None:
        """Wrap the text gathered since ``start`` in the marker (or link syntax)."""
        if self.start > len(buf):
            return
        inner = "".join(buf[self.start :])
        del buf[self.start :]
        core = collapse(inner)
        if not core or core == BR:
            buf.append(inner)
            return
        lead = " " if inner[:1].isspace() else ""
        trail = " " if inner[-1:].isspace() else ""
        if self.code:
            fence = "`" * (max((len(run) for run in _BACKTICKS.findall(core)), default=0) + 1)
            pad = " " if core.startswith("`") or core.endswith("`") else ""
            buf.append(f"{lead}{fence}{pad}{core}{pad}{fence}{trail}")
        elif self.href is not None:
            target = self.href.replace(">", "%3E").replace(" ", "%20")
            buf.append(f"{lead}[{core}](<{target}>){trail}")
        elif self.marker:
            buf.append(f"{lead}{self.marker}{core}{self.marker}{trail}")
        else:
            buf.append(inner)


@dataclass(slots=True)
class TableBuilder:
    """Rows and cells of one HTML table, gathered from the shared text buffer."""

    rows: list[list[str]] = field(default_factory=list)
    header: bool = False
    nested: int = 0
    in_cell: bool = False
    _row: list[str] | None = None
    _cell_start: int = 0

    def start_row(self) -> None:
        """A ``<tr>`` opens."""
        self._row = []

    def start_cell(self, buf: list[str], *, header: bool) -> None:
        """A ``<td>``/``<th>`` opens; its text starts at the end of ``buf``."""
        self.end_cell(buf)
        if self._row is None:
            self._row = []
        if header and not self.rows:
            self.header = True
        self._cell_start = len(buf)
        self.in_cell = True

    def end_cell(self, buf: list[str]) -> None:
        """The open cell (if any) ends: take its text out of ``buf``."""
        if not self.in_cell:
            return
        self.in_cell = False
        text = "".join(buf[self._cell_start :]).replace(BR, " ")
        del buf[self._cell_start :]
        text = collapse(text).replace("|", "\\|")
        if len(text) > MAX_CELL_CHARS:
            text = text[:MAX_CELL_CHARS] + "…"
        assert self._row is not None  # start_cell always opens a row
        self._row.append(text)

    def end_row(self, buf: list[str]) -> None:
        """A ``<tr>`` ends (or a new one starts)."""
        self.end_cell(buf)
        if self._row:
            self.rows.append(self._row)
        self._row = None

    def markdown(self) -> list[str]:
        """The table as pipe-table lines (the first row is the header row)."""
        if self._row:
            self.rows.append(self._row)
            self._row = None
        rows = [row for row in self.rows if any(cell for cell in row)]
        if not rows:
            return []
        width = max(len(row) for row in rows)
        if width == 1 and len(rows) == 1:
            return [rows[0][0]] if rows[0][0] else []
        padded = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(padded[0]) + " |", "|" + "---|" * width]
        lines.extend("| " + " | ".join(row) + " |" for row in padded[1:])
        return lines
