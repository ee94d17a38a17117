"""Citation lines for copied quotes and exports: title, author, date, ``path:line``.

``— General Sorkin's Admiration, Jane Doe (2024-05-01), ~/texts/sorkin.txt:12-14``;
for a book the chapter comes before the place.  Outside text (titles, authors)
is stripped of control characters and kept on one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tuireader.core.sanitize import strip_control

AUTHOR_KEYS = ("author", "authors", "creator", "by")
"""Front matter or book metadata keys that name the author, first found wins."""


def _one_line(text: str) -> str:
    """Outside text on one line, without control characters."""
    return " ".join(strip_control(text).split())


def author_of(extra: dict[str, Any], author: str | None = None) -> str | None:
    """The author from a document's metadata (a list is joined with commas)."""
    if author:
        return _one_line(author)
    for key in AUTHOR_KEYS:
        value = extra.get(key)
        if isinstance(value, list | tuple):
            names = [_one_line(str(name)) for name in value if str(name).strip()]
            if names:
                return ", ".join(names)
        elif value is not None and str(value).strip():
            return _one_line(str(value))
    return None


def display_path(path: Path) -> str:
    """A path as a citation shows it: under the home folder as ``~/...``."""
    try:
        home = Path.home()
    except (OSError, RuntimeError):
        return str(path)
    if path.is_relative_to(home) and path != home:
        return "~/" + path.relative_to(home).as_posix()
    return str(path)


@dataclass(frozen=True, slots=True)
class Source:
    """What a citation names: the document and where in it."""

    title: str
    path: Path
    line: int
    end_line: int | None = None
    author: str | None = None
    date: str | None = None
    chapter: str | None = None

    @property
    def place(self) -> str:
        """``path:line`` or ``path:first-last``."""
        lines = str(self.line)
        if self.end_line is not None and self.end_line != self.line:
            lines += f"-{self.end_line}"
        return f"{display_path(self.path)}:{lines}"


def citation(source: Source) -> str:
    """The one-line citation of ``source``."""
    text = f"— {_one_line(source.title) or source.path.name}"
    if source.author:
        text += f", {_one_line(source.author)}"
    if source.date:
        text += f" ({_one_line(source.date)})"
    if source.chapter:
        text += f", {_one_line(source.chapter)}"
    return f"{text}, {source.place}"


def quote_with_citation(text: str, source: Source) -> str:
    """The copied text followed by its citation line."""
    return f"{strip_control(text).rstrip()}\n{citation(source)}\n"
