"""Which format a file is: the one place that maps file names to formats.

A new format (EPUB, HTML) is a module in this package and one entry in
``FORMATS``; the rest of the program asks the functions below.
"""

from __future__ import annotations

from pathlib import Path

from tuireader.core.formats.base import DocumentFormat, PathLike
from tuireader.core.formats.converted import chapter_of
from tuireader.core.formats.epub import EpubFormat
from tuireader.core.formats.html import HtmlFormat
from tuireader.core.formats.markdown_format import MarkdownFormat, looks_like_markdown
from tuireader.core.formats.text import PlainTextFormat

SNIFF_BYTES = 65536
"""Bytes read to tell a text's format from its content."""

PLAIN_TEXT = PlainTextFormat()
MARKDOWN = MarkdownFormat()
EPUB = EpubFormat()
HTML = HtmlFormat()

FORMATS: tuple[DocumentFormat, ...] = (MARKDOWN, EPUB, HTML, PLAIN_TEXT)
"""Every format, most specific first (plain text also claims names without a suffix)."""

DOCUMENT_SUFFIXES = frozenset(suffix for fmt in FORMATS for suffix in fmt.suffixes)
"""Every suffix some format claims."""
MARKDOWN_SUFFIXES = MARKDOWN.suffixes


def format_for(path: PathLike) -> DocumentFormat | None:
    """The format of a file found in a folder walk, or None if it is not a document."""
    for candidate in FORMATS:
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
    return chapter_of(Path(path), line)
