"""Work out a document's title, date and category from the head of its text.

In order of preference: YAML front matter; the first ``# Heading`` (or a setext
heading); the article header form of the bundled seed (a short category line,
a title line, then a date line); else the file name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuireader.core.formats.frontmatter import split_front_matter

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_NUMERIC_DATE = re.compile(r"(\d{4})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{1,2})\.?")
_MONTH_FIRST = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")

MAX_CATEGORY_CHARS = 40
MAX_TITLE_CHARS = 200


@dataclass
class Metadata:
    """Title, date and category found in a document head."""

    title: str | None = None
    date: str | None = None
    category: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_date(value: object) -> str | None:
    """Return an ISO date for a date-like value (``2025.4.8.``, ``April 8, 2025`` ...)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    text = value.strip()
    year = month = day = None
    if match := _NUMERIC_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _MONTH_FIRST.fullmatch(text):
        month = _MONTHS.get(match.group(1).lower())
        day, year = int(match.group(2)), int(match.group(3))
    elif match := _DAY_FIRST.fullmatch(text):
        day, year = int(match.group(1)), int(match.group(3))
        month = _MONTHS.get(match.group(2).lower())
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _first_heading(lines: list[str], markdown: bool) -> str | None:
    """The first level-one heading (ATX or setext) outside code fences.

    In plain text a ``#`` line is often a comment, so there only a heading on
    the first non-blank line counts.
    """
    if not markdown:
        first = next((line for line in lines if line.strip()), "")
        match = _H1.match(first)
        return match.group(1).strip() if match else None
    in_fence = False
    previous = ""
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
            previous = ""
            continue
        if in_fence:
            continue
        if match := _H1.match(line):
            return match.group(1).strip()
        if previous.strip() and _SETEXT_H1.match(line):
            return previous.strip()
        previous = line
    return None


def _article_header(lines: list[str]) -> Metadata | None:
    """Recognise 'Category / Title / date' or 'Title / date' at the top of a text."""
    first: list[str] = []
    for line in lines[:30]:
        if stripped := line.strip():
            first.append(stripped)
            if len(first) == 3:
                break
    if (
        len(first) >= 3
        and (date := parse_date(first[2]))
        and len(first[0]) <= MAX_CATEGORY_CHARS
        and len(first[1]) <= MAX_TITLE_CHARS
    ):
        return Metadata(title=first[1], date=date, category=first[0])
    if len(first) >= 2 and (date := parse_date(first[1])) and len(first[0]) <= MAX_TITLE_CHARS:
        return Metadata(title=first[0], date=date)
    return None


def title_from_filename(path: Path) -> str:
    """A readable title from a file name: ``my_notes-2024`` -> ``My notes 2024``."""
    stem = re.sub(r"[-_]+", " ", path.stem).strip() or path.name
    return stem[:1].upper() + stem[1:]


def _text_value(value: object) -> str | None:
    """A front-matter value as a one-line string, or None."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    return None


def extract_metadata(head: str, path: Path, *, markdown: bool = False) -> Metadata:
    """Find title, date and category in a (clean) document head.

    ``markdown`` (the format's call) lets a level-one heading anywhere in the head
    be the title; in plain text only one on the first line counts.
    """
    found = Metadata()
    front, body = split_front_matter(head)
    if front:
        found.title = _text_value(front.get("title"))
        found.date = parse_date(front.get("date"))
        found.category = _text_value(front.get("category", front.get("categories")))
        found.extra = {
            str(key): value
            for key, value in front.items()
            if key not in {"title", "date", "category", "categories"}
            and isinstance(value, str | int | float | bool)
        }
    # Plain text needs only its first lines; Markdown may put its heading further down.
    lines = body.split("\n", 400 if markdown else 40)[:400]
    if found.title is None:
        found.title = _first_heading(lines, markdown)
    if found.title is None or found.date is None:
        header = _article_header(lines)
        if header is not None:
            found.title = found.title or header.title
            found.date = found.date or header.date
            found.category = found.category or header.category
    if not found.title:
        found.title = title_from_filename(path)
    found.title = found.title[:MAX_TITLE_CHARS]
    return found
