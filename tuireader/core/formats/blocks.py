"""The block context of each line of a Markdown file: front matter, fence or code.

Known from the line index (which records fence lines while it scans), so the
renderer can style any line without reading the lines before it.
"""

from __future__ import annotations

from tuireader.core.formats.frontmatter import MAX_LINES as FRONT_MATTER_MAX_LINES
from tuireader.core.formats.frontmatter import front_matter_end, opens_front_matter
from tuireader.core.formats.markdown import LineKind, line_kind
from tuireader.core.lineindex import LineIndex


class BlockContext:
    """Answers ``kind(line)`` for a (possibly still scanning) line index."""

    def __init__(self, index: LineIndex) -> None:
        """Follow ``index``; what it has not scanned yet is worked out later."""
        self.index = index
        self._fences: list[tuple[int, int]] = []
        self._fence_starts: list[int] = []
        self._fence_count = -1
        self._front_matter_end = -1

    def kind(self, line: int) -> LineKind:
        """The block context of a 0-based line."""
        if self._fence_count != len(self.index.fences):
            self._fence_count = len(self.index.fences)
            self._fences = self.index.fence_ranges()
            self._fence_starts = [start for start, _ in self._fences]
        if self._front_matter_end < 0:
            self._front_matter_end = self._find_front_matter()
        return line_kind(line, self._fences, self._fence_starts, self._front_matter_end)

    def _find_front_matter(self) -> int:
        """Last line of a front-matter block at the top, 0 if none, -1 if not known yet."""
        index = self.index
        if index.line_count and not opens_front_matter(index.read_line(0)):
            return 0
        count = min(FRONT_MATTER_MAX_LINES, index.line_count)
        end = front_matter_end(index.read_line(line) for line in range(count))
        if end is not None:
            return end
        return 0 if index.done or index.line_count >= FRONT_MATTER_MAX_LINES else -1
