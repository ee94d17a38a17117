"""Markdown pipe tables laid out for a terminal: aligned columns, wrapped cells.

A table is a run of lines starting with ``|`` whose second line is a delimiter
row (``|---|:--:|``).  ``layout_table`` turns its source lines into display
rows for a given width: every column gets a width (its natural width when the
table fits, else a fair share, never less than a few cells), every cell is
word-wrapped inside its column, and each source line owns the rows it draws,
so line numbers (bookmarks, search hits) stay those of the source.  A table too
wide even at minimum widths is cut at the pane's edge, never wrapped across it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from tuireader.core.formats.markdown import StyledLine, render_inline

MAX_TABLE_LINES = 400
"""Longest run of table lines laid out together (longer runs are cut into tables)."""
MIN_COLUMN = 4
SEPARATOR = " │ "
_DELIMITER_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_WORD = re.compile(r"\S+\s*|\s+")


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    """Terminal cells taken by one character."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def cell_width(text: str) -> int:
    """Terminal cells taken by ``text``."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def is_table_line(line: str) -> bool:
    """Whether a source line could belong to a pipe table."""
    return line.lstrip().startswith("|")


def split_cells(line: str) -> list[str]:
    """The cells of a table row (outer pipes dropped, ``\\|`` kept as a pipe)."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(body)]


def is_delimiter(line: str) -> bool:
    """Whether a line is a table's delimiter row."""
    cells = split_cells(line)
    return bool(cells) and all(_DELIMITER_CELL.match(cell) for cell in cells)


def table_extent(read_line: Callable[[int], str], line: int, total: int) -> tuple[int, int] | None:
    """The (first, last) 0-based lines of the table holding ``line``, or None."""
    if not is_table_line(read_line(line)):
        return None
    start = line
    while start > 0 and line - start < MAX_TABLE_LINES and is_table_line(read_line(start - 1)):
        start -= 1
    end = line
    while end + 1 < total and end - start < MAX_TABLE_LINES and is_table_line(read_line(end + 1)):
        end += 1
    # A long run may be cut by the caps: find the header whose delimiter follows it.
    for first in range(start, min(line, end - 1) + 1):
        if is_delimiter(read_line(first + 1)) and not is_delimiter(read_line(first)):
            start = first
    if end <= start or not is_delimiter(read_line(start + 1)) or line < start:
        return None
    return start, end


@dataclass(frozen=True, slots=True)
class _Cell:
    """A cell's rendered text and spans."""

    text: str
    spans: list[tuple[int, int, str]]


def _alignments(delimiter: str, count: int) -> list[str]:
    """'left', 'right' or 'center' per column from the delimiter row."""
    found: list[str] = []
    for cell in split_cells(delimiter)[:count]:
        cell = cell.strip()
        if cell.startswith(":") and cell.endswith(":"):
            found.append("center")
        elif cell.endswith(":"):
            found.append("right")
        else:
            found.append("left")
    return found + ["left"] * (count - len(found))


def column_widths(natural: list[int], longest_word: list[int], width: int) -> list[int]:
    """Fit columns into ``width`` cells: natural widths if possible, else fair shares."""
    count = len(natural)
    room = width - len(SEPARATOR) * (count - 1)
    if sum(natural) <= room:
        return natural
    floor = [
        min(n, max(MIN_COLUMN, min(w, room // count)))
        for n, w in zip(natural, longest_word, strict=True)
    ]
    widths = list(floor)
    spare = room - sum(widths)
    wanting = [i for i in range(count) if natural[i] > widths[i]]
    while spare > 0 and wanting:
        share = max(1, spare // len(wanting))
        for i in list(wanting):
            extra = min(share, natural[i] - widths[i], spare)
            widths[i] += extra
            spare -= extra
            if widths[i] >= natural[i]:
                wanting.remove(i)
            if spare <= 0:
                break
    return [max(1, w) for w in widths]


def _wrap_cell(cell: _Cell, width: int) -> list[_Cell]:
    """Word-wrap a cell at ``width`` cells (long words broken), spans carried along."""
    if cell_width(cell.text) <= width:
        return [cell]
    text = cell.text
    rows: list[tuple[int, int]] = []
    start = used = 0
    for match in _WORD.finditer(text):
        word = match.group()
        bare = cell_width(word.rstrip())
        if used and used + bare > width:
            rows.append((start, match.start()))
            start, used = match.start(), 0
        if used == 0 and bare > width:  # an overlong word: break it by characters
            for at in range(match.start(), match.end()):
                size = _char_width(text[at])
                if used + size > width and used:
                    rows.append((start, at))
                    start, used = at, 0
                used += size
            continue
        used += cell_width(word)
    rows.append((start, len(text)))
    result: list[_Cell] = []
    for first, last in rows:
        text = cell.text[first:last].rstrip()
        spans = [
            (max(a, first) - first, min(b, first + len(text)) - first, name)
            for a, b, name in cell.spans
            if b > first and a < first + len(text)
        ]
        result.append(_Cell(text, spans))
    return result


def _pad(cell: _Cell, width: int, align: str) -> tuple[str, list[tuple[int, int, str]], int]:
    """A cell padded to ``width`` cells: its text, shifted spans and the shift."""
    gap = max(0, width - cell_width(cell.text))
    left = gap // 2 if align == "center" else gap if align == "right" else 0
    text = " " * left + cell.text + " " * (gap - left)
    return text, [(a + left, b + left, name) for a, b, name in cell.spans], left


def layout_table(lines: list[str], width: int) -> list[list[StyledLine]]:
    """Display rows for each source line of a table (the delimiter draws a rule)."""
    header = split_cells(lines[0])
    body = [split_cells(line) for line in lines[2:]]
    count = max(len(header), *(len(row) for row in body)) if body else len(header)
    aligns = _alignments(lines[1], count)
    grid: list[list[_Cell]] = []
    for row in [header, *body]:
        cells = [render_inline(text) for text in row] + [StyledLine("")] * (count - len(row))
        grid.append([_Cell(cell.text, list(cell.spans)) for cell in cells[:count]])
    natural = [max(cell_width(row[i].text) for row in grid) for i in range(count)]
    longest = [
        max((cell_width(word) for row in grid for word in row[i].text.split()), default=1)
        for i in range(count)
    ]
    widths = column_widths([max(1, n) for n in natural], longest, width)
    result: list[list[StyledLine]] = []
    for number, grid_row in enumerate(grid):
        rows = _render_row(grid_row, widths, aligns, header=number == 0)
        result.append(rows)
        if number == 0:
            rule = "─┼─".join("─" * w for w in widths)
            result.append([StyledLine(rule, [(0, len(rule), "rule")])])
    return result


def _render_row(
    row: list[_Cell], widths: list[int], aligns: list[str], *, header: bool
) -> list[StyledLine]:
    """The display rows of one table row: wrapped cells side by side."""
    wrapped = [_wrap_cell(cell, widths[i]) for i, cell in enumerate(row)]
    height = max(len(cells) for cells in wrapped)
    out: list[StyledLine] = []
    for sub in range(height):
        parts: list[str] = []
        spans: list[tuple[int, int, str]] = []
        length = 0
        for i, cells in enumerate(wrapped):
            if i:
                spans.append((length, length + len(SEPARATOR), "rule"))
                parts.append(SEPARATOR)
                length += len(SEPARATOR)
            cell = cells[sub] if sub < len(cells) else _Cell("", [])
            text, cell_spans, _ = _pad(cell, widths[i], aligns[i])
            if header and cell.text:
                spans.append((length, length + len(text), "strong"))
            spans.extend((a + length, b + length, name) for a, b, name in cell_spans)
            parts.append(text)
            length += len(text)
        out.append(StyledLine("".join(parts).rstrip(), spans))
    return out
