"""The data model shared by the core, the CLI and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuireader.core.sanitize import path_fields, strip_control

WORDS_PER_MINUTE = 230


@dataclass(frozen=True, slots=True)
class Document:
    """One document of the library, described from the head of its file."""

    path: Path
    """Absolute path of the file."""
    title: str
    """Title from front matter, first heading, article header or file name."""
    date: str | None
    """ISO 8601 date (YYYY-MM-DD), when the document states one."""
    category: str | None
    """Category from front matter or the article header."""
    words: int
    """Word count; an estimate from the head when ``words_estimated`` is true."""
    size: int
    """File size in bytes."""
    mtime: float
    """Modification time (seconds since the epoch)."""
    words_estimated: bool = False
    """True when only the head was read and ``words`` is scaled from it."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Other front-matter fields, kept for display."""
    format: str = "text"
    """Name of the document's format (``formats/registry.py``): ``"text"``, ``"markdown"``."""
    markdown: bool = False
    """Whether the reader renders the document as Markdown (the format's call)."""

    @property
    def is_markdown(self) -> bool:
        """Whether the document is rendered as Markdown."""
        return self.markdown

    @property
    def author(self) -> str | None:
        """The author (book metadata, page metadata or front matter), if stated."""
        value = self.extra.get("author")
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value if isinstance(item, str | int))
        if isinstance(value, str | int) and not isinstance(value, bool):
            text = " ".join(strip_control(str(value)).split())
            return text[:200] or None
        return None

    @property
    def reading_minutes(self) -> int:
        """Estimated reading time in whole minutes (at least one)."""
        return max(1, round(self.words / WORDS_PER_MINUTE))

    @property
    def reading_time(self) -> str:
        """The reading time, short: ``8 min``, ``63 min``, ``25 h`` (``~`` when estimated)."""
        return ("~" if self.words_estimated else "") + reading_time_text(self.reading_minutes)

    def to_json(self) -> dict[str, Any]:
        """The fields printed by ``tuireader list --json``."""
        return {
            **path_fields(self.path),
            "title": self.title,
            "author": self.author,
            "format": self.format,
            "date": self.date,
            "category": self.category,
            "words": self.words,
            "words_estimated": self.words_estimated,
            "reading_minutes": self.reading_minutes,
            "size": self.size,
        }


def reading_time_text(minutes: int) -> str:
    """``minutes`` in at most six characters: ``63 min``, ``9.3 h``, ``25 h``, ``250 h``."""
    if minutes < 100:
        return f"{minutes} min"
    hours = minutes / 60
    if hours < 100:
        return f"{hours:.1f}".removesuffix(".0") + " h"
    return f"{round(hours)} h"
