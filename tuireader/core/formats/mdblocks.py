"""Markdown block structure from markdown-it-py's CommonMark parser, parsed lazily in chunks.

The reader needs to know, for any source line, which block it belongs to
(heading, setext underline, fenced or indented code, HTML, paragraph) and in
how many quotes it sits.  Parsing a whole 10 MB file before showing its first
screen would be slow, so the document is parsed in chunks, from the top, as
far as is needed.

A chunk ends only where the parser state is clean: at a blank line outside
every top-level block (no open list, quote, fence or HTML block), with a
top-level block starting after it inside the parsed window.  The tokens before
such a line are exactly those of a whole-document parse (the block rules look
ahead at most to the start of the next block), and parsing afresh after it
gives exactly the rest.  ``tests/unit/test_mdblocks.py`` checks this on the
CommonMark spec's examples.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it.token import Token

CHUNK_LINES = 500
"""Lines parsed at once (a window grows when it holds no clean place to stop)."""

ReadLines = Callable[[int, int], list[str]]
"""Reads source lines ``[start, end)`` (0-based, without newlines)."""


@lru_cache(maxsize=1)
def _block_parser() -> Any:
    """markdown-it with the CommonMark block rules only (inline parsing is not needed here)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").disable(["inline", "text_join"])


def parse_tokens(lines: Sequence[str]) -> list[Token]:
    """The block tokens of ``lines`` parsed as one document (maps relative to its start)."""
    if not lines:
        return []
    return list(_block_parser().parse("\n".join(lines) + "\n"))


def _blank(line: str) -> bool:
    """Whether a line is blank for CommonMark (spaces and tabs only)."""
    return not line.strip(" \t")


def clean_cut(tokens: Sequence[Token], lines: Sequence[str]) -> tuple[int, int] | None:
    """Where a window of ``lines`` parsed as ``tokens`` may be cut: ``(token index, line)``.

    The line is the first of the next chunk: it follows a blank line that lies
    outside every top-level block, and a top-level block starts at or after it.
    The token index is that of the block's first token.  ``None`` when the
    window holds no such place.
    """
    best: tuple[int, int] | None = None
    covered = 0
    for position, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        start, end = token.map
        for line in range(start - 1, covered - 1, -1):
            if _blank(lines[line]):
                best = (position, line + 1)
                break
        covered = max(covered, end)
    return best


def shifted(tokens: Sequence[Token], offset: int) -> list[Token]:
    """``tokens`` with their line maps moved down by ``offset`` lines."""
    if offset:
        for token in tokens:
            if token.map is not None:
                token.map = [token.map[0] + offset, token.map[1] + offset]
    return list(tokens)


class ChunkedParse:
    """The tokens of a document parsed chunk by chunk from ``start``; call ``advance``."""

    def __init__(self, start: int = 0, chunk_lines: int = CHUNK_LINES) -> None:
        """Parse from 0-based line ``start`` (e.g. the first line after front matter)."""
        self.clean = start
        """Lines before this are parsed for good; the parser state is clean here."""
        self.finished = False
        """True once every line of a complete document is parsed."""
        self.chunk_lines = max(1, chunk_lines)

    def advance(self, read: ReadLines, known: int, done: bool) -> list[Token] | None:
        """Commit one more chunk of the ``known`` lines; returns the tokens committed.

        ``done`` says the document has no lines beyond ``known``.  Returns None
        when nothing more can be committed yet (the rest may depend on lines not
        known yet, or everything is parsed).
        """
        if self.finished:
            return None
        if self.clean >= known:
            self.finished = done
            return None
        size = self.chunk_lines
        while True:
            end = min(known, self.clean + size)
            lines = read(self.clean, end)
            tokens = parse_tokens(lines)
            if done and end >= known:
                committed = shifted(tokens, self.clean)
                self.clean = known
                self.finished = True
                break
            cut = clean_cut(tokens, lines)
            if cut is not None:
                position, line = cut
                committed = shifted(tokens[:position], self.clean)
                self.clean += line
                break
            if end >= known:
                return None
            size *= 2
        return committed


def parse_chunked(lines: Sequence[str], chunk_lines: int = CHUNK_LINES) -> list[Token]:
    """The tokens of ``lines`` parsed in chunks of about ``chunk_lines`` lines."""
    parse = ChunkedParse(0, chunk_lines)

    def read(start: int, end: int) -> list[str]:
        return list(lines[start:end])

    tokens: list[Token] = []
    while (committed := parse.advance(read, len(lines), True)) is not None:
        tokens.extend(committed)
    return tokens


# ---------------------------------------------------------------- blocks by line


@dataclass(frozen=True, slots=True)
class Leaf:
    """A leaf block of the document: the lines ``[start, end)`` it covers and what it is."""

    start: int
    end: int
    kind: str
    """``heading``, ``setext``, ``fence``, ``code``, ``html``, ``rule`` or ``paragraph``."""
    level: int = 0
    """Heading level (1-6)."""
    info: str = ""
    """A fenced block's info string (its language first)."""
    content: str = ""
    """A code block's code, container markers and indentation removed."""
    quote: int = 0
    """How many block quotes hold it."""
    in_list: bool = False
    """Whether a list item holds it."""

    @property
    def closed_fence(self) -> bool:
        """Whether a fenced block ends with a closing fence line (inside its lines)."""
        return self.kind == "fence" and self.start + 1 + self.content.count("\n") < self.end


_LEAVES = {"html_block": "html", "hr": "rule", "paragraph_open": "paragraph"}
"""Token types of the other leaf blocks, and their leaf kinds."""


def leaves(tokens: Sequence[Token]) -> list[Leaf]:
    """The leaf blocks of a token stream, in document order."""
    found: list[Leaf] = []
    quote = 0
    lists = 0
    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        if token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        inside = lists > 0
        if kind == "heading_open":
            setext = token.markup in ("=", "-")
            level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
            name = "setext" if setext else "heading"
            found.append(Leaf(start, end, name, level, quote=quote, in_list=inside))
        elif kind in ("fence", "code_block"):
            name = "fence" if kind == "fence" else "code"
            found.append(Leaf(start, end, name, 0, token.info, token.content, quote, inside))
        elif kind in _LEAVES:
            found.append(Leaf(start, end, _LEAVES[kind], quote=quote, in_list=inside))
    return found


class LeafMap:
    """Leaves sorted by first line, answering ``at(line)``."""

    def __init__(self) -> None:
        """An empty map; ``extend`` it in document order."""
        self.leaves: list[Leaf] = []
        self._starts: list[int] = []

    def extend(self, more: Sequence[Leaf]) -> None:
        """Add leaves that follow the ones already known."""
        self.leaves.extend(more)
        self._starts.extend(leaf.start for leaf in more)

    def at(self, line: int) -> Leaf | None:
        """The leaf covering 0-based ``line``, or None (a blank line, a container marker)."""
        position = bisect.bisect_right(self._starts, line) - 1
        if position < 0:
            return None
        leaf = self.leaves[position]
        return leaf if line < leaf.end else None
