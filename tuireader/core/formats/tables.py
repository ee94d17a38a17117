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
from collections.abc import Callable
from dataclasses import dataclass

from tuireader.core.formats.markdown import StyledLine, render_inline
from tuireader.core.wrap import CellLen, wrap_offsets

MAX_TABLE_LINES = 400
"""Longest run of table lines laid out together (longer runs are cut into tables)."""
MIN_COLUMN = 4
SEPARATOR = " │ "
_DELIMITER_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


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


def _wrap_cell(cell: _Cell, width: int, cell_len: CellLen) -> list[_Cell]:
    """Word-wrap a cell at ``width`` cells (long words broken), spans carried along."""
    breaks = wrap_offsets(cell.text, width, cell_len)
    if not breaks:
        return [cell]
    result: list[_Cell] = []
    for first, last in zip([0, *breaks], [*breaks, len(cell.text)], strict=True):
        text = cell.text[first:last].rstrip()
        spans = [
            (max(a, first) - first, min(b, first + len(text)) - first, name)
            for a, b, name in cell.spans
            if b > first and a < first + len(text)
        ]
        result.append(_Cell(text, spans))
    return result


def _pad(
    cell: _Cell, width: int, align: str, cell_len: CellLen
) -> tuple[str, list[tuple[int, int, str]]]:
    """A cell padded to ``width`` cells: its text and shifted spans."""
    gap = max(0, width - cell_len(cell.text))
    left = gap // 2 if align == "center" else gap if align == "right" else 0
    text = " " * left + cell.text + " " * (gap - left)
    return text, [(a + left, b + left, name) for a, b, name in cell.spans]


def layout_table(lines: list[str], width: int, cell_len: CellLen) -> list[list[StyledLine]]:
    """Display rows for each source line of a table (the delimiter draws a rule).

    ``cell_len`` measures text in terminal cells (the reader gives the measure it
    draws with).
    """
    header = split_cells(lines[0])
    body = [split_cells(line) for line in lines[2:]]
    count = max(len(header), *(len(row) for row in body)) if body else len(header)
    aligns = _alignments(lines[1], count)
    grid: list[list[_Cell]] = []
    for row in [header, *body]:
        cells = [render_inline(text) for text in row] + [StyledLine("")] * (count - len(row))
        grid.append([_Cell(cell.text, list(cell.spans)) for cell in cells[:count]])
    natural = [max(cell_len(row[i].text) for row in grid) for i in range(count)]
    longest = [
        max((cell_len(word) for row in grid for word in row[i].text.split()), default=1)
        for i in range(count)
    ]
    widths = column_widths([max(1, n) for n in natural], longest, width)
    result: list[list[StyledLine]] = []
    for number, grid_row in enumerate(grid):
        rows = _render_row(grid_row, widths, aligns, cell_len, header=number == 0)
        result.append(rows)
        if number == 0:
            rule = "─┼─".join("─" * w for w in widths)
            result.append([StyledLine(rule, [(0, len(rule), "rule")])])
    return result


def _render_row(
    row: list[_Cell], widths: list[int], aligns: list[str], cell_len: CellLen, *, header: bool
) -> list[StyledLine]:
    """The display rows of one table row: wrapped cells side by side."""
    wrapped = [_wrap_cell(cell, widths[i], cell_len) for i, cell in enumerate(row)]
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
            text, cell_spans = _pad(cell, widths[i], aligns[i], cell_len)
            if header and cell.text:
                spans.append((length, length + len(text), "strong"))
            spans.extend((a + length, b + length, name) for a, b, name in cell_spans)
            parts.append(text)
            length += len(text)
        out.append(StyledLine("".join(parts).rstrip(), spans))
    return out


def table_rows(
    read_line: Callable[[int], str], line: int, total: int, width: int, cell_len: CellLen
) -> dict[int, list[StyledLine]] | None:
    """Display rows of every line of the table holding 0-based ``line`` (None if none)."""
    extent = table_extent(read_line, line, total)
    if extent is None:
        return None
    start, end = extent
    sources = [read_line(number).expandtabs(8) for number in range(start, end + 1)]
    laid_out = layout_table(sources, width, cell_len)
    return {start + offset: rows for offset, rows in enumerate(laid_out)}
