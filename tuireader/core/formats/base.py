"""The interface every document format implements, and what it tells the library.

A format knows which files are its own, describes a file for the library
(title, author fields, length), gives its text as lines for the reader and as
passages for search.  Formats register in ``registry.py``; nothing else in the
program looks at file suffixes.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # search is imported when first used, not at start-up
    from tuireader.core.lineindex import LineIndex
    from tuireader.core.search.passages import Passage

from tuireader.core.textload import iter_lines

PathLike = Path | str


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a format reads from a file for the library listing."""

    title: str
    """Title from the document (front matter, heading, header) or its file name."""
    date: str | None
    """ISO 8601 date (YYYY-MM-DD), when the document states one."""
    category: str | None
    """Category, when the document states one."""
    words: int
    """Word count; an estimate when ``words_estimated`` is true."""
    words_estimated: bool
    """True when only the head was read and ``words`` is scaled from it."""
    size: int
    """File size in bytes."""
    mtime: float
    """Modification time (seconds since the epoch)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Other fields (front matter, book metadata), kept for display."""


class DocumentFormat(ABC):
    """One kind of document file: how to recognise, describe, read and search it."""

    name: ClassVar[str]
    """Short name shown to users and in JSON (``"text"``, ``"markdown"``)."""
    suffixes: ClassVar[frozenset[str]]
    """Lower-case file suffixes, with the dot, that this format claims."""
    markdown: ClassVar[bool] = False
    """Whether the reader renders the lines as Markdown (block styles, reflow)."""

    def matches(self, path: PathLike) -> bool:
        """Whether a file found in a folder walk is of this format (by its name).

        Every name with one of ``suffixes`` is taken (the registry looks those up
        directly); a format may take other names as well, never fewer.
        """
        return os.path.splitext(os.fspath(path))[1].lower() in self.suffixes

    @abstractmethod
    def read_metadata(self, path: PathLike) -> DocumentInfo:
        """Describe the file for the library; raises ``textload.DocumentError`` if unusable."""

    @abstractmethod
    def open_lines(self, path: PathLike) -> LineIndex:
        """The document's text as lines for the reader (scan it in a worker).

        Raises ``textload.DocumentError`` if unusable.
        """

    @abstractmethod
    def passages(self, path: PathLike) -> Iterator[Passage]:
        """Stream the document's passages for search; raises ``DocumentError`` if unusable."""

    def text_lines(self, path: PathLike) -> Iterator[str]:
        """The document's clean lines as the reader numbers them (bookmarks anchor to these).

        Raises ``DocumentError`` if unusable.
        """
        return iter_lines(Path(path))
