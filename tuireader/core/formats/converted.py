"""What the converted formats (EPUB, HTML) share: library info, passages, chapter names.

Their text is the Markdown the conversion cache holds (``bookcache.py``), so
search reads it like any Markdown file, and a hit's chapter comes from the
cache's sidecar.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuireader.core.formats.base import DocumentInfo
from tuireader.core.formats.bookcache import BookText, Opener, cached_text, converted_text
from tuireader.core.metadata import title_from_filename
from tuireader.core.sanitize import strip_control
from tuireader.core.textload import DocumentError, iter_lines

if TYPE_CHECKING:  # search is imported when first used, not at start-up
    from tuireader.core.search.passages import Passage

EXTRA_FIELDS = ("author", "series", "series_index", "language", "publisher", "site")
"""Metadata kept in ``DocumentInfo.extra`` for display and JSON."""


def _field(value: object) -> str | None:
    """A one-line, control-free metadata string, or None."""
    if not isinstance(value, str):
        return None
    text = " ".join(strip_control(value).split())
    return text[:300] or None


def document_info(
    path: Path, info: dict[str, Any], words: int, estimated: bool, stat: os.stat_result
) -> DocumentInfo:
    """A ``DocumentInfo`` from a converted source's metadata (strings cleaned)."""
    subjects = info.get("subjects") or []
    extra = {key: value for key in EXTRA_FIELDS if (value := _field(info.get(key)))}
    return DocumentInfo(
        title=_field(info.get("title")) or title_from_filename(path),
        date=_field(info.get("date")),
        category=_field(subjects[0]) if isinstance(subjects, list) and subjects else None,
        words=words,
        words_estimated=estimated,
        size=stat.st_size,
        mtime=stat.st_mtime,
        extra=extra,
    )


def converted_passages(path: Path, opener: Opener) -> Iterator[Passage]:
    """Passages of a converted document (converting it first if it is not cached)."""
    from tuireader.core.search.passages import Passage, split_lines

    text = converted_text(path, opener)
    for first, last, body in split_lines(iter_lines(text.text_path)):
        yield Passage(path, first, last, body)


def converted_lines(path: Path, opener: Opener) -> Iterator[str]:
    """Lines of a converted document (converting it first if it is not cached)."""
    return iter_lines(converted_text(path, opener).text_path)


def chapter_of(path: Path, line: int) -> str | None:
    """The chapter holding a 1-based line of a converted document, if it is cached."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    chapters = _chapters(str(path), stat.st_size, stat.st_mtime_ns)
    return chapters.chapter_at(line - 1) if chapters is not None else None


@lru_cache(maxsize=64)
def _chapters(path: str, size: int, mtime_ns: int) -> BookText | None:
    """The cached conversion of a file in a given state (memoised for result lists)."""
    try:
        return cached_text(Path(path))
    except DocumentError:
        return None
