"""EPUB 2 and 3 books: open safely, read the package, convert chapters to Markdown lines.

``open_book(path)`` reads only the container and the OPF (and the ToC file);
``Book.chapters()`` converts the spine one chapter at a time, so the first
chapter is ready long before the last.  A chapter that cannot be read becomes
a visible note line and the rest of the book still opens; a book that cannot
be opened at all raises ``BookError`` (a ``DocumentError``) with one line
naming the file and the problem.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuireader.core.formats.base import DocumentFormat, DocumentInfo, PathLike
from tuireader.core.formats.bookcache import Section, TocTarget, cached_text
from tuireader.core.formats.booklines import BookLineIndex
from tuireader.core.formats.converted import (
    converted_lines,
    converted_passages,
    document_info,
)
from tuireader.core.formats.epub_package import BookMetadata, Package, TocEntry, read_package
from tuireader.core.formats.epub_zip import BookError, MemberError, SafeZip
from tuireader.core.formats.markup import decode_markup
from tuireader.core.formats.xhtml import html_to_markdown
from tuireader.core.lineindex import LineIndex

if TYPE_CHECKING:  # search is imported when first used, not at start-up
    from tuireader.core.search.passages import Passage

EPUB_SUFFIXES = frozenset({".epub"})
NOTE_PREFIX = "> ⚠ "
"""Starts the note line that stands in for a chapter that could not be read."""
_IMAGE_TYPES = ("image/",)
TEXT_SHARE = 0.75
"""Rough share of a chapter file's bytes that is text rather than markup."""
BYTES_PER_WORD = 6


@dataclass(slots=True)
class Chapter:
    """One converted spine item."""

    index: int
    href: str
    title: str | None
    lines: list[str]
    anchors: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    """Why the chapter was skipped (its ``lines`` are then the note)."""


class Book:
    """An open EPUB: metadata, spine and ToC, with chapters converted on demand."""

    def __init__(self, path: Path) -> None:
        """Open the book at ``path``; raises ``BookError`` when it cannot be opened."""
        self.path = Path(path)
        self._zip = SafeZip(self.path)
        try:
            self.package: Package = read_package(self._zip)
        except BookError:
            self._zip.close()
            raise
        except Exception as error:  # any parser surprise on hostile input is one clear line
            self._zip.close()
            raise BookError(f"{self.path}: cannot read the book ({error})") from None

    @property
    def metadata(self) -> BookMetadata:
        """Title, authors and the rest from the OPF."""
        return self.package.metadata

    @property
    def toc(self) -> list[TocEntry]:
        """The table of contents (possibly empty)."""
        return self.package.toc

    def close(self) -> None:
        """Close the archive."""
        self._zip.close()

    def __enter__(self) -> Book:
        """Use as a context manager."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close on leaving the block."""
        self.close()

    def estimated_words(self) -> int:
        """Words in the book, estimated from the chapters' sizes (markup discounted)."""
        total = sum(self._zip.size(item.href) for item in self.package.spine)
        return int(total * TEXT_SHARE / BYTES_PER_WORD)

    def chapter_titles(self) -> dict[str, str]:
        """The first ToC title pointing at each chapter file."""
        titles: dict[str, str] = {}
        for entry in self.toc:
            if entry.href and entry.href not in titles:
                titles[entry.href] = entry.title
        return titles

    def chapter(self, index: int) -> Chapter:
        """Convert one spine item; a bad one becomes a note, never an exception."""
        item = self.package.spine[index]
        titles = self.chapter_titles()
        if item.media_type == "missing":
            problem = f"chapter {index + 1} ({item.href[1:]}) is not in the manifest"
            return _note(index, item.href, problem)
        try:
            data = self._zip.read(item.href)
        except MemberError as error:
            return _note(index, item.href, f"chapter {index + 1} skipped: {error}")
        if item.media_type.startswith(_IMAGE_TYPES):
            name = item.href.rsplit("/", 1)[-1]
            return Chapter(index, item.href, titles.get(item.href), [f"![{name}]()"])
        try:
            converted = html_to_markdown(decode_markup(data), link_base=item.href)
        except Exception as error:  # pragma: no cover - the converter is lenient by design
            return _note(index, item.href, f"chapter {index + 1} skipped: {error}")
        title = titles.get(item.href) or converted.title
        return Chapter(index, item.href, title, converted.lines, converted.anchors)

    def chapters(self, start: int = 0) -> Iterator[Chapter]:
        """Convert the spine in reading order, one chapter at a time."""
        for index in range(start, len(self.package.spine)):
            yield self.chapter(index)


def _note(index: int, href: str, problem: str) -> Chapter:
    """A chapter that stands for one that could not be read."""
    return Chapter(index, href, None, [NOTE_PREFIX + problem], error=problem)


def open_book(path: Path) -> Book:
    """Open an EPUB; raises ``BookError`` (a ``DocumentError``) with a one-line reason."""
    return Book(path)


def book_info(metadata: BookMetadata) -> dict[str, Any]:
    """A book's metadata as plain JSON values (for the cache sidecar and listings)."""
    return {
        "title": metadata.title,
        "author": metadata.author,
        "authors": [
            {"name": author.name, "file_as": author.file_as} for author in metadata.authors
        ],
        "language": metadata.language,
        "date": metadata.date,
        "publisher": metadata.publisher,
        "series": metadata.series,
        "series_index": metadata.series_index,
        "subjects": list(metadata.subjects),
        "cover": metadata.cover,
    }


class EpubSource:
    """A book as the conversion cache reads it (``bookcache.Source``)."""

    def __init__(self, path: Path) -> None:
        """Open the book; raises ``BookError``."""
        self.book = open_book(path)

    def info(self) -> dict[str, Any]:
        """The book's metadata."""
        return book_info(self.book.metadata)

    def sections(self) -> Iterator[Section]:
        """Chapters in reading order, converted one at a time."""
        for chapter in self.book.chapters():
            yield Section(chapter.href, chapter.title, chapter.lines, chapter.anchors)

    def section_count(self) -> int:
        """Chapters in the spine."""
        return len(self.book.package.spine)

    def toc_targets(self) -> list[TocTarget]:
        """The book's table of contents."""
        return [
            TocTarget(entry.title, entry.level, entry.href, entry.fragment)
            for entry in self.book.toc
        ]

    def close(self) -> None:
        """Close the book."""
        self.book.close()


def describe_book(path: PathLike) -> DocumentInfo:
    """Describe a book for the library from its cache sidecar or its OPF (no chapter read)."""
    path = Path(path)
    try:
        stat = os.stat(path)
    except OSError as error:
        raise BookError(f"{path}: {error.strerror or error}") from None
    cached = cached_text(path)
    if cached is not None:
        return document_info(path, cached.info, cached.words, False, stat)
    with open_book(path) as book:
        return document_info(path, book_info(book.metadata), book.estimated_words(), True, stat)


class EpubFormat(DocumentFormat):
    """EPUB 2/3 books: converted to Markdown once (cached), then read and searched as that."""

    name = "epub"
    suffixes = EPUB_SUFFIXES
    markdown = True

    def read_metadata(self, path: PathLike) -> DocumentInfo:
        """Title, authors, date and more from the OPF (or the cache)."""
        return describe_book(path)

    def open_lines(self, path: PathLike) -> LineIndex:
        """The converted text, converting chapter by chapter as the reader scans it."""
        return BookLineIndex(Path(path), EpubSource)

    def passages(self, path: PathLike) -> Iterator[Passage]:
        """Paragraphs of the converted text."""
        return converted_passages(Path(path), EpubSource)

    def text_lines(self, path: PathLike) -> Iterator[str]:
        """Lines of the converted text (the cached Markdown)."""
        return converted_lines(Path(path), EpubSource)
