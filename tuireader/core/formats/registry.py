"""Which format a file is: the one place that maps file names to formats.

A new format (EPUB, HTML) is a module in this package and one entry in
``FORMATS``; the rest of the program asks the functions below.

Telling a file's format needs only its name, so the formats whose modules are
heavy to import (EPUB and HTML: zip, XML and HTML parsers, the conversion
cache) are entered here as ``DeferredFormat``s, which import their module on
first use: reading a text file or listing a folder of Markdown never loads them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from functools import cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from tuireader.core.formats.base import DocumentFormat, DocumentInfo, PathLike
from tuireader.core.formats.markdown_format import MarkdownFormat, looks_like_markdown
from tuireader.core.formats.text import PlainTextFormat

if TYPE_CHECKING:
    from tuireader.core.formats.booklines import BookLineIndex
    from tuireader.core.lineindex import LineIndex
    from tuireader.core.search.passages import Passage

SNIFF_BYTES = 65536
"""Bytes read to tell a text's format from its content."""



class DeferredFormat(DocumentFormat):
    """A format known by its name and suffixes, its module imported on first real use.

    Subclasses give ``name``, ``suffixes`` and ``markdown`` (the same as the real
    format's: a test checks) and ``implementation``, ``"module:Class"``.
    """

    implementation: ClassVar[str]

    @cached_property
    def loaded(self) -> DocumentFormat:
        """The real format (its module imported now, once)."""
        module, _, class_name = self.implementation.partition(":")
        real: DocumentFormat = getattr(import_module(module), class_name)()
        return real

    def read_metadata(self, path: PathLike) -> DocumentInfo:
        """As the real format does."""
        return self.loaded.read_metadata(path)

    def open_lines(self, path: PathLike) -> LineIndex:
        """As the real format does."""
        return self.loaded.open_lines(path)

    def passages(self, path: PathLike) -> Iterator[Passage]:
        """As the real format does."""
        return self.loaded.passages(path)

    def text_lines(self, path: PathLike) -> Iterator[str]:
        """As the real format does."""
        return self.loaded.text_lines(path)


class _Epub(DeferredFormat):
    """EPUB 2/3 books (``formats/epub.py``)."""

    name = "epub"
    suffixes = frozenset({".epub"})
    markdown = True
    implementation = "tuireader.core.formats.epub:EpubFormat"


class _Html(DeferredFormat):
    """Saved web pages (``formats/html.py``)."""

    name = "html"
    suffixes = frozenset({".html", ".htm", ".xhtml"})
    markdown = True
    implementation = "tuireader.core.formats.html:HtmlFormat"


PLAIN_TEXT = PlainTextFormat()
MARKDOWN = MarkdownFormat()
EPUB: DocumentFormat = _Epub()
HTML: DocumentFormat = _Html()

FORMATS: tuple[DocumentFormat, ...] = (MARKDOWN, EPUB, HTML, PLAIN_TEXT)
"""Every format, most specific first (plain text also claims names without a suffix)."""

DOCUMENT_SUFFIXES = frozenset(suffix for fmt in FORMATS for suffix in fmt.suffixes)
"""Every suffix some format claims."""
MARKDOWN_SUFFIXES = MARKDOWN.suffixes


_BY_SUFFIX: dict[str, DocumentFormat] = {
    suffix: fmt for fmt in reversed(FORMATS) for suffix in fmt.suffixes
}
"""Each claimed suffix's format (the first in ``FORMATS`` order when two claim one)."""


def format_for(path: PathLike) -> DocumentFormat | None:
    """The format of a file found in a folder walk, or None if it is not a document."""
    claimed = _BY_SUFFIX.get(os.path.splitext(os.fspath(path))[1].lower())
    if claimed is not None:  # a format takes every file with one of its suffixes (a walk's
        return claimed  # 10,000 names are told apart by one look-up each)
    for candidate in FORMATS:  # other names: a format may take more (plain text: ``README``)
        if candidate.matches(path):
            return candidate
    return None


def format_of(path: PathLike) -> DocumentFormat:
    """The format to open a file with: its own, else plain text (a file the user named)."""
    return format_for(path) or PLAIN_TEXT


def format_named(name: str) -> DocumentFormat | None:
    """The format called ``name`` (``"text"``, ``"markdown"``), or None."""
    return next((candidate for candidate in FORMATS if candidate.name == name), None)


def format_of_content(text: str) -> DocumentFormat:
    """The format of a text known only by its content (piped in): Markdown or plain text."""
    return MARKDOWN if looks_like_markdown(text) else PLAIN_TEXT


def suffix_for_content(text: str) -> str:
    """The file suffix to save a text known only by its content under (``.md``, ``.txt``)."""
    return ".md" if format_of_content(text) is MARKDOWN else ".txt"


def name_by_content(path: Path) -> Path:
    """Give a file known only by its content (piped input) the suffix of its format.

    Returns the new path (the same one when the suffix fits, or on an error).
    """
    from tuireader.core.textload import decode

    try:
        with open(path, "rb") as source:
            head = source.read(SNIFF_BYTES)
        named = path.with_suffix(suffix_for_content(decode(head, truncated=True)))
        if named != path:
            path.rename(named)
        return named
    except OSError:
        return path


def is_document(path: PathLike) -> bool:
    """Whether a file found in a folder walk is a document of some format."""
    return format_for(path) is not None


def is_markdown(path: PathLike) -> bool:
    """Whether the reader renders this file as Markdown."""
    return format_of(path).markdown


def has_chapters(path: PathLike) -> bool:
    """Whether the file is a book or saved page, whose lines belong to chapters."""
    return format_for(path) in (EPUB, HTML)


def chapter_at(path: PathLike, line: int) -> str | None:
    """The chapter holding a 1-based line of a book or saved page (None for other formats)."""
    if not has_chapters(path):
        return None
    from tuireader.core.formats.converted import chapter_of

    return chapter_of(Path(path), line)


def book_index(index: LineIndex) -> BookLineIndex | None:
    """``index`` when it holds a converted book or page (chapters, contents), else None.

    Only a book's index imports ``booklines``: a text file's reader never loads it.
    """
    module = sys.modules.get("tuireader.core.formats.booklines")
    if module is None:
        return None
    book_class: type[BookLineIndex] = module.BookLineIndex
    return index if isinstance(index, book_class) else None
