"""The reader's lines of a book or saved page: its converted text, converted while read.

``BookLineIndex`` is a ``LineIndex`` over the cached Markdown text.  When the
text is not cached yet, the index opens the conversion's growing file and its
``scan`` (run by the reader in a worker, as for any file) drives the
conversion, scanning each chapter's lines as soon as it is written: the first
chapter shows while the rest converts, and the UI thread never waits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tuireader.core.formats.bookcache import BookText, Opener, TocLine, start_conversion
from tuireader.core.lineindex import LineIndex


class BookLineIndex(LineIndex):
    """Lines of a converted document; scanning converts what is not cached yet."""

    def __init__(self, path: Path, opener: Opener) -> None:
        """Open the cached text of ``path`` or start converting it; raises ``DocumentError``."""
        started = start_conversion(Path(path), opener)
        if isinstance(started, BookText):
            self.book: BookText | None = started
            self._conversion = None
            text_path = started.text_path
        else:
            self.book = None
            self._conversion = started
            text_path = started.partial
        super().__init__(text_path, markdown=True)
        self.source_path = Path(path)

    @property
    def converting(self) -> bool:
        """Whether chapters are still being converted."""
        return self._conversion is not None

    @property
    def progress(self) -> float:
        """Fraction converted and indexed, 0.0 to 1.0."""
        book = self.book
        if self._conversion is not None:
            if book is None or not book.planned:
                return 0.0
            return min(0.99, len(book.chapters) / book.planned)
        return super().progress

    def contents(self) -> list[TocLine]:
        """The table of contents known so far (0-based lines)."""
        return list(self.book.toc) if self.book is not None else []

    def anchor_line(self, name: str) -> int | None:
        """The 0-based line an internal link's target (an ``anchor_key``) names, if known yet."""
        return self.book.anchors.get(name) if self.book is not None else None

    def chapter_at(self, line: int) -> str | None:
        """The title of the chapter holding a 0-based line."""
        return self.book.chapter_at(line) if self.book is not None else None

    def scan(
        self,
        on_progress: Callable[[], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        """Convert (or follow the conversion) chapter by chapter, indexing as it grows."""
        conversion = self._conversion
        if conversion is not None:

            def grew(state: BookText) -> None:
                self.book = state
                LineIndex.scan(self, None, cancelled)
                self.done = False
                if on_progress is not None:
                    on_progress()

            self.book = conversion.follow(grew, cancelled)
            self._conversion = None
        super().scan(on_progress, cancelled)
