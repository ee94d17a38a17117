"""Markdown documents (``.md``, ``.markdown``): rendered by ``formats/markdown.py``.

Like plain text, but the reader renders each line as Markdown, front matter is
skipped by search, and a title may be any level-one heading.
"""

from __future__ import annotations

from tuireader.core.formats.base import PathLike
from tuireader.core.formats.text import PlainTextFormat


class MarkdownFormat(PlainTextFormat):
    """Markdown: text rendered with block and inline styles; front matter skipped in search."""

    name = "markdown"
    suffixes = frozenset({".md", ".markdown"})
    markdown = True

    def matches(self, path: PathLike) -> bool:
        """Its suffixes only."""
        return super(PlainTextFormat, self).matches(path)
