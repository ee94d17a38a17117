"""Plain text documents (``.txt``, ``.text``, ``.rst`` and files without a suffix)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.core.formats.base import DocumentFormat, DocumentInfo, PathLike
from tuireader.core.lineindex import LineIndex
from tuireader.core.metadata import extract_metadata
from tuireader.core.textload import (
    LISTING_HEAD_BYTES,
    LISTING_WHOLE_BYTES,
    check_text,
    decode,
    read_head,
)

if TYPE_CHECKING:  # search is imported when first used, not at start-up
    from tuireader.core.search.passages import Passage


def describe_text(path: PathLike, *, markdown: bool) -> DocumentInfo:
    """Describe a text file from its head; raises ``DocumentError`` if unusable.

    Only the head of a large file is read; its word count is then scaled from it.
    """
    path = Path(path)
    head, info = read_head(path, LISTING_HEAD_BYTES, whole_below=LISTING_WHOLE_BYTES)
    check_text(path, head)
    truncated = info.st_size > len(head)
    if truncated:
        # Cut at the last newline so no word or character is counted in half.
        cut = head.rfind(b"\n")
        if cut > 0:
            head = head[: cut + 1]
    meta = extract_metadata(decode(head, truncated=truncated), path, markdown=markdown)
    # Splitting bytes is much cheaper; it misses only non-ASCII spaces between words.
    words = len(head.split())
    if truncated and head:
        words = round(words * info.st_size / len(head))
    return DocumentInfo(
        title=meta.title or path.name,
        date=meta.date,
        category=meta.category,
        words=words,
        words_estimated=truncated,
        size=info.st_size,
        mtime=info.st_mtime,
        extra=meta.extra,
    )


class PlainTextFormat(DocumentFormat):
    """Plain text: shown line by line as written, searched by paragraph."""

    name = "text"
    suffixes = frozenset({".txt", ".text", ".rst"})
    markdown = False

    def matches(self, path: PathLike) -> bool:
        """Its suffixes, or a name without a suffix that is not hidden (``README``)."""
        name = os.path.basename(os.fspath(path))
        suffix = os.path.splitext(name)[1].lower()
        return suffix in self.suffixes or (suffix == "" and not name.startswith("."))

    def read_metadata(self, path: PathLike) -> DocumentInfo:
        """Title, date and category from the head, and the word count."""
        return describe_text(path, markdown=self.markdown)

    def open_lines(self, path: PathLike) -> LineIndex:
        """A line index over the file, read lazily."""
        return LineIndex(Path(path), markdown=self.markdown)

    def passages(self, path: PathLike) -> Iterator[Passage]:
        """Paragraphs of the file, streamed."""
        from tuireader.core.search.passages import iter_passages

        return iter_passages(Path(path), markdown=self.markdown)
