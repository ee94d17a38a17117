"""Where a line of text breaks to fit a width in terminal cells (word wrap).

Pure functions, no terminal: the reader (ui/widgets/reader_view.py) draws the
rows these offsets cut.  The width of text in cells is measured by a function
the caller gives (the reader gives ``rich.cells.cell_len``, the measure the
drawing uses), so wide characters take the cells they will take on screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable

CellLen = Callable[[str], int]
"""Width of a string in terminal cells."""

_WORD = re.compile(r"\S+\s*|\s+")


def wrap_offsets(text: str, width: int, cell_len: CellLen, indent: int = 0) -> list[int]:
    """Character offsets where a line breaks to fit ``width`` cells (word wrap).

    Continuation rows are ``indent`` cells narrower.  Words longer than a row
    are broken by character.
    """

    def text_cells(text: str) -> int:
        return len(text) if text.isascii() else cell_len(text)

    width = max(1, width)
    if text_cells(text) <= width:
        return []
    breaks: list[int] = []
    used = 0
    limit = width
    narrower = max(1, width - indent)
    for match in _WORD.finditer(text):
        word = match.group()
        start = match.start()
        size = text_cells(word)
        bare_size = text_cells(word.rstrip())
        if used + bare_size <= limit:
            used += size
            continue
        if used > 0 and bare_size <= narrower:
            breaks.append(start)
            limit = narrower
            used = size
            continue
        # Break an overlong word by characters.
        for position, char in enumerate(word, start):
            char_size = cell_len(char)
            if used + char_size > limit and used > 0:
                breaks.append(position)
                limit = narrower
                used = 0
            used += char_size
    return breaks
