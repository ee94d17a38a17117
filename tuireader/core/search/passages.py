"""Split a document into passages for search, streaming through the file.

A passage is a paragraph (lines between blank lines).  A paragraph longer than
``MAX_LINES`` lines or ``MAX_CHARS`` characters is cut into overlapping windows
of whole lines, and a single line longer than ``MAX_CHARS`` is cut into
overlapping character windows at spaces.  Every passage knows its document and
its first and last 1-based source lines.  Only a piece of the text (a megabyte)
and the current paragraph are held in memory, never the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from tuireader.core.formats.frontmatter import MAX_LINES as FRONT_MATTER_MAX_LINES
from tuireader.core.formats.frontmatter import front_matter_end
from tuireader.core.sanitize import has_control, strip_control
from tuireader.core.textload import iter_lines, iter_text

MAX_LINES = 24
"""A paragraph with more lines than this is cut into windows."""
MAX_CHARS = 1600
"""A paragraph (or line) with more characters than this is cut into windows."""
WINDOW_LINES = 16
"""Lines per window of a long paragraph."""
OVERLAP_LINES = 4
"""Lines shared by consecutive windows."""
OVERLAP_CHARS = 200
"""Characters shared by consecutive windows of one very long line."""
CARRY_CHARS = 1 << 22
"""``split_text`` holds an unfinished paragraph up to this long (then goes line by line)."""
_LINE_STARTS_WITH_SPACE = re.compile(r"\n\s")
"""A line that may be blank (``str.strip`` would leave nothing)."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A searchable piece of a document."""

    path: Path
    """The document's path."""
    first_line: int
    """1-based source line of the passage's first line."""
    last_line: int
    """1-based source line of the passage's last line (inclusive)."""
    text: str
    """The passage's clean text, lines joined by newlines."""


def iter_passages(path: Path, *, markdown: bool = False) -> Iterator[Passage]:
    """Stream the passages of the text file at ``path``.

    Raises ``textload.DocumentError`` when the file cannot be read.  With
    ``markdown``, front matter (``formats/frontmatter.py``) is skipped.  Which
    files are Markdown is the format registry's call (``formats/registry.py``).
    """
    if markdown:
        found = split_lines(iter_lines(path), skip_front_matter=True)
    else:
        found = split_text(iter_text(path))
    for first, last, text in found:
        yield Passage(path, first, last, text)


def split_text(pieces: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    """``split_lines`` of the clean lines of a text given in pieces (as ``iter_text`` gives).

    The same passages, found quicker: the text is cut at empty lines by
    ``str.split`` and a paragraph whose lines all start with a letter (not a
    space) is taken whole, without a loop over its lines.  A piece with control
    characters, or an unfinished paragraph longer than ``CARRY_CHARS``, sends
    the rest of the text through ``split_lines`` line by line.
    """
    pieces = iter(pieces)
    number = 1
    """The line number ``pending`` starts at."""
    pending = ""
    for piece in pieces:
        if has_control(piece):
            yield from _shifted(split_lines(_clean_lines(chain([pending, piece], pieces))), number)
            return
        pending += piece
        cut = pending.rfind("\n\n") + 2  # whole paragraphs (and blank lines) before
        if cut > 1:
            yield from _paragraphs(pending[:cut], number)
            number += pending.count("\n", 0, cut)
            pending = pending[cut:]
        if len(pending) > CARRY_CHARS:
            yield from _shifted(split_lines(_clean_lines(chain([pending], pieces))), number)
            return
    yield from _paragraphs(pending + "\n\n", number)


def _paragraphs(text: str, first: int) -> Iterator[tuple[int, int, str]]:
    """The passages of clean ``text`` (whole lines, then an empty line) from line ``first``.

    A short paragraph none of whose lines starts with a space is one passage as
    it stands; any other is cut by ``split_lines`` (it may hold blank lines).
    """
    for part in text.split("\n\n"):
        body = part.lstrip("\n")
        if body:
            start = first + len(part) - len(body)
            lines = body.count("\n") + 1
            if (
                lines <= MAX_LINES
                and len(body) < MAX_CHARS
                and not body[0].isspace()
                and _LINE_STARTS_WITH_SPACE.search(body) is None
            ):
                yield start, start + lines - 1, body
            else:
                yield from _shifted(split_lines(body.split("\n")), start)
        first += part.count("\n") + 2


def _shifted(
    found: Iterable[tuple[int, int, str]], first: int
) -> Iterator[tuple[int, int, str]]:
    """Passages numbered from line 1 renumbered from line ``first``."""
    for start, end, text in found:
        yield start + first - 1, end + first - 1, text


def _clean_lines(pieces: Iterable[str]) -> Iterator[str]:
    """The clean lines of a text given in pieces (``textload.iter_lines`` of the same text)."""
    partial: list[str] = []
    for piece in pieces:
        lines = piece.split("\n")
        if len(lines) > 1:
            partial.append(lines[0])
            yield strip_control("".join(partial))
            yield from map(strip_control, lines[1:-1])
            partial = []
        partial.append(lines[-1])
    last = "".join(partial)
    if last:
        yield strip_control(last)


def split_lines(
    lines: Iterable[str], *, skip_front_matter: bool = False
) -> Iterator[tuple[int, int, str]]:
    """Split clean lines into ``(first_line, last_line, text)`` passages (1-based lines)."""
    iterator = iter(lines)
    start = 1
    if skip_front_matter:
        start, iterator = _skip_front_matter(iterator)
    block: list[str] = []
    block_start = start
    size = 0
    for number, line in enumerate(iterator, start):
        if line.strip():
            if not block:
                block_start = number
            block.append(line)
            size += len(line) + 1
            if len(block) >= MAX_LINES * 4 or size > MAX_CHARS * 8:
                # A huge paragraph: emit its windows now, keep the overlap, hold little.
                keep = yield from _emit_windows(block_start, block, final=False)
                block_start += len(block) - len(keep)
                block = keep
                size = sum(len(item) + 1 for item in block)
        elif block:
            yield from _emit_windows(block_start, block, final=True)
            block = []
            size = 0
    if block:
        yield from _emit_windows(block_start, block, final=True)


def _skip_front_matter(iterator: Iterator[str]) -> tuple[int, Iterator[str]]:
    """Skip a front-matter block; return the next 1-based line number and the rest."""
    held = list(islice(iterator, FRONT_MATTER_MAX_LINES))
    end = front_matter_end(held)
    if end is None:
        return 1, _chain(held, iterator)
    return end + 2, _chain(held[end + 1 :], iterator)


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    """Lines of ``head`` then of ``rest``."""
    yield from head
    yield from rest


def _emit_windows(
    start: int, block: list[str], *, final: bool
) -> Generator[tuple[int, int, str], None, list[str]]:
    """Yield a paragraph as one passage or as overlapping windows.

    With ``final`` false the caller keeps accumulating; the generator returns the
    lines that must stay in the block (the overlap and any unfinished window).
    """
    total = sum(len(line) + 1 for line in block)
    if final and len(block) <= MAX_LINES and total <= MAX_CHARS:
        yield start, start + len(block) - 1, "\n".join(block)
        return []
    index = 0
    while index < len(block):
        end = index
        size = 0
        while end < len(block) and end - index < WINDOW_LINES:
            if end > index and size + len(block[end]) > MAX_CHARS:
                break
            size += len(block[end]) + 1
            end += 1
        if not final and end >= len(block):
            return block[index:]
        if end - index == 1 and len(block[index]) > MAX_CHARS:
            for text in _line_windows(block[index]):
                yield start + index, start + index, text
        else:
            yield start + index, start + end - 1, "\n".join(block[index:end])
        if end >= len(block):
            break
        index = max(end - OVERLAP_LINES, index + 1) if end - index > OVERLAP_LINES else end
    return []


def _line_windows(line: str) -> Iterator[str]:
    """Cut one very long line into overlapping windows, at spaces where possible."""
    position = 0
    length = len(line)
    while position < length:
        end = min(length, position + MAX_CHARS)
        if end < length:
            space = line.rfind(" ", position + MAX_CHARS // 2, end)
            if space > 0:
                end = space
        yield line[position:end]
        if end >= length:
            break
        restart = max(position + 1, end - OVERLAP_CHARS)
        space = line.find(" ", restart, end)
        position = space + 1 if space >= 0 else restart
