"""The block context of each line of a Markdown file, for the reader.

Front matter comes from the one front-matter rule (``frontmatter.py``); the
rest from the CommonMark block parse (``mdblocks.py``), made lazily in chunks
as far as the lines asked for.  While the line index is still scanning, lines
after the last clean chunk boundary are answered from a provisional parse of
what is known (``provisional`` is then set, so the view redraws later).

Thread-safe: the reader's worker may parse ahead (``parse_all``) while the UI
asks about lines.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tuireader.core.formats.codehighlight import LineSpans, highlight_code, language_of
from tuireader.core.formats.frontmatter import MAX_LINES as FRONT_MATTER_MAX_LINES
from tuireader.core.formats.frontmatter import (
    front_matter_end,
    front_matter_summary,
    opens_front_matter,
)
from tuireader.core.formats.markdown import LineInfo, LineKind, render_line
from tuireader.core.formats.mdblocks import (
    CHUNK_LINES,
    ChunkedParse,
    Leaf,
    LeafMap,
    leaves,
    parse_tokens,
    shifted,
)
from tuireader.core.lineindex import LineIndex

CODE_CACHE = 64
"""Code blocks whose lines and highlighting are kept."""
HEADINGS_PARSE_LINES = 50_000
"""Lines the contents may parse on the spot (more would keep the UI waiting)."""


class BlockContext:
    """Answers ``info(line)`` (and ``kind(line)``) for a possibly still scanning line index."""

    def __init__(self, index: LineIndex, chunk_lines: int = CHUNK_LINES) -> None:
        """Follow ``index``; parse it in chunks of about ``chunk_lines`` lines."""
        self.index = index
        self.chunk_lines = chunk_lines
        self.provisional = False
        """Set when an answer came from lines that may still change it (cleared by the caller)."""
        self._lock = threading.RLock()
        self._front_matter_end = -1
        self._header: str | None = None
        self._parse: ChunkedParse | None = None
        self._leaves = LeafMap()
        self._tail: tuple[tuple[int, int], LeafMap] | None = None
        self._code: dict[int, tuple[list[str], tuple[LineSpans, ...]]] = {}

    # ------------------------------------------------------------ answers

    def kind(self, line: int) -> LineKind:
        """The block context of a 0-based line."""
        return self.info(line).kind

    def info(self, line: int) -> LineInfo:
        """What the block parse knows of 0-based ``line``."""
        with self._lock:
            end = self._front_matter()
            if end < 0:
                self.provisional = True
                return LineInfo()
            if end and line <= end:
                return LineInfo(LineKind.FRONT_MATTER, text=self._header if line == 0 else None)
            leaf = self._leaf(line)
            return self._line_info(line, leaf) if leaf is not None else LineInfo()

    def hidden(self, line: int) -> bool:
        """Whether 0-based ``line`` is drawn as a header or not at all (front matter)."""
        return self.kind(line) is LineKind.FRONT_MATTER

    @property
    def complete(self) -> bool:
        """Whether every line of the (fully scanned) document is parsed."""
        return self._parse is not None and self._parse.finished

    def headings(self) -> list[tuple[int, int, str]]:
        """(0-based line, level, text) of the headings of the lines known so far.

        Up to ``HEADINGS_PARSE_LINES`` lines not parsed yet are parsed here; beyond,
        only the headings parsed so far (the reader's worker parses the rest:
        ``complete`` tells when it is done).
        """
        with self._lock:
            if self._front_matter() < 0:
                return []
            known = self.index.line_count
            if known - self._parser().clean <= HEADINGS_PARSE_LINES:
                self._leaf(max(0, known - 1))
            found = list(self._leaves.leaves)
            if self._tail is not None and self._parse is not None and not self._parse.finished:
                found += self._tail[1].leaves
        headings: list[tuple[int, int, str]] = []
        for leaf in found:
            if leaf.kind not in ("heading", "setext"):
                continue
            last = leaf.start + 1 if leaf.kind == "heading" else max(leaf.start + 1, leaf.end - 1)
            info = LineInfo(LineKind.HEADING, leaf.level, leaf.quote, leaf.in_list)
            text = " ".join(
                render_line(self.index.read_line(number), info).text.strip()
                for number in range(leaf.start, last)
            )
            headings.append((leaf.start, leaf.level, text.strip()))
        return headings

    def parse_all(self, cancelled: Callable[[], bool] | None = None) -> None:
        """Parse every known line ahead of need (in a worker), chunk by chunk."""
        while cancelled is None or not cancelled():
            with self._lock:
                if self._front_matter() < 0:
                    return
                parse = self._parser()
                committed = parse.advance(self._read, self.index.line_count, self.index.done)
                if committed is None:
                    return
                self._leaves.extend(leaves(committed))
            time.sleep(0)  # let the UI thread run between chunks

    # ------------------------------------------------------------ parsing

    def _read(self, start: int, end: int) -> list[str]:
        """Source lines ``[start, end)``."""
        read = self.index.read_line
        return [read(number) for number in range(start, end)]

    def _front_matter(self) -> int:
        """Last line of the front matter, 0 if none, -1 if not known yet."""
        if self._front_matter_end < 0:
            self._front_matter_end = self._find_front_matter()
        return self._front_matter_end

    def _find_front_matter(self) -> int:
        """Last line of a front-matter block at the top, 0 if none, -1 if not known yet."""
        index = self.index
        if index.line_count and not opens_front_matter(index.read_line(0)):
            return 0
        count = min(FRONT_MATTER_MAX_LINES, index.line_count)
        end = front_matter_end(self._read(0, count))
        if end is not None:
            self._header = front_matter_summary("\n".join(self._read(1, end)))
            return end
        return 0 if index.done or index.line_count >= FRONT_MATTER_MAX_LINES else -1

    def _parser(self) -> ChunkedParse:
        """The chunked parse, starting after the front matter."""
        if self._parse is None:
            start = self._front_matter_end + 1 if self._front_matter_end > 0 else 0
            self._parse = ChunkedParse(start, self.chunk_lines)
        return self._parse

    def _leaf(self, line: int) -> Leaf | None:
        """The leaf block covering ``line``, parsing as far as needed."""
        parse = self._parser()
        known, done = self.index.line_count, self.index.done
        while line >= parse.clean and not parse.finished:
            committed = parse.advance(self._read, known, done)
            if committed is None:
                break
            self._leaves.extend(leaves(committed))
        if line < parse.clean or parse.finished:
            return self._leaves.at(line)
        key = (parse.clean, known)
        if self._tail is None or self._tail[0] != key:
            tail = LeafMap()
            tokens = parse_tokens(self._read(parse.clean, known))
            tail.extend(leaves(shifted(tokens, parse.clean)))
            self._tail = (key, tail)
            self._code.clear()
        self.provisional = True
        return self._tail[1].at(line)

    # ------------------------------------------------------------ lines

    def _line_info(self, line: int, leaf: Leaf) -> LineInfo:
        """The info of ``line`` inside ``leaf``."""

        def made(kind: LineKind, text: str | None = None, spans: LineSpans = ()) -> LineInfo:
            return LineInfo(kind, leaf.level, leaf.quote, leaf.in_list, text, spans)

        kind = leaf.kind
        if kind in ("paragraph", "rule", "html", "heading"):
            simple = {
                "paragraph": LineKind.NORMAL,
                "rule": LineKind.RULE,
                "html": LineKind.HTML,
                "heading": LineKind.HEADING,
            }
            return made(simple[kind])
        if kind == "setext":
            last = line == leaf.end - 1
            return made(LineKind.SETEXT_UNDERLINE if last else LineKind.HEADING)
        if kind == "fence":
            if line == leaf.start:
                return made(LineKind.FENCE, language_of(leaf.info) or None)
            if leaf.closed_fence and line == leaf.end - 1:
                return made(LineKind.FENCE)
            row = line - leaf.start - 1
        else:
            row = line - leaf.start
        lines, spans = self._code_lines(leaf)
        text = lines[row] if row < len(lines) else ""
        return made(LineKind.CODE, text, spans[row] if row < len(spans) else ())

    def _code_lines(self, leaf: Leaf) -> tuple[list[str], tuple[LineSpans, ...]]:
        """A code block's lines (tabs expanded) and their highlighting (cached)."""
        cached = self._code.get(leaf.start)
        if cached is not None:
            return cached
        lines = [piece.expandtabs(8) for piece in leaf.content.split("\n")]
        language = language_of(leaf.info) if leaf.kind == "fence" else ""
        spans = highlight_code("\n".join(lines), language) if language else ()
        if len(self._code) >= CODE_CACHE:
            self._code.clear()
        self._code[leaf.start] = (lines, spans)
        return lines, spans
