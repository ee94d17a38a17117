"""Reflowing Markdown paragraphs: which source lines join, and the joined line.

In Markdown, the lines of a paragraph flow into one another; the reader wraps
the joined text and gives each row to the source line its text starts in.  A
paragraph never crosses a multiple of ``BLOCK_LINES`` lines, so the work for
any line stays bounded.  Pure logic over ``StyledLine``; no terminal here.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from tuireader.core.formats.styled import StyledLine

BLOCK_LINES = 256
"""A reflowed Markdown paragraph never crosses a multiple of this many lines."""


def paragraph_lines(
    line: int, styled: Callable[[int], StyledLine], total: int
) -> dict[int, StyledLine]:
    """The styled lines (by 0-based number) of the paragraph holding ``line``.

    Just ``line`` itself when it does not flow.  ``styled`` renders a line;
    ``total`` is the number of lines known.
    """
    lines = {line: styled(line)}
    if not lines[line].flow:
        return lines
    start = end = line
    while start % BLOCK_LINES and not lines[start].opens:
        previous = styled(start - 1)
        if not previous.flow or previous.closes:
            break
        start -= 1
        lines[start] = previous
    while (end + 1) % BLOCK_LINES and end + 1 < total and not lines[end].closes:
        following = styled(end + 1)
        if not following.flow or following.opens:
            break
        end += 1
        lines[end] = following
    return lines


def join_paragraph(lines: Sequence[StyledLine]) -> tuple[StyledLine, list[int]]:
    """One styled line from consecutive ones, and where each starts in it.

    Lines after the first lose their leading spaces and are joined by one space;
    their style spans move with their text.
    """
    joined = StyledLine("", [], indent=lines[0].indent)
    offsets: list[int] = []
    parts: list[str] = []
    length = 0
    for number, piece in enumerate(lines):
        text = piece.text if number == 0 else piece.text.lstrip()
        cut = len(piece.text) - len(text)
        if number:
            parts.append(" ")
            length += 1
        offsets.append(length)
        joined.spans.extend(
            (max(0, first - cut) + length, max(0, last - cut) + length, name)
            for first, last, name in piece.spans
        )
        parts.append(text)
        length += len(text)
    joined.text = "".join(parts)
    return joined, offsets


def row_owner(offsets: Sequence[int], row_start: int) -> int:
    """Index (into the joined lines) of the line a row starting at ``row_start`` begins in."""
    return bisect.bisect_right(offsets, row_start) - 1
