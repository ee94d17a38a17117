"""YAML front matter: the one rule for where it is, used by metadata, search and the reader.

A document has front matter when its first line is ``---`` and a later line,
among its first ``MAX_LINES`` lines, is ``---`` or ``...`` (trailing spaces
allowed on both).  The lines between are YAML.  Whether the YAML parses does
not move the block: the reader still dims it and search still skips it; only
its fields are then unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from tuireader.core.yamlio import YamlFileError, parse_yaml

MAX_LINES = 200
"""A block not closed within this many lines (the opening one counted) is not front matter."""

_OPEN = "---"
_CLOSE = ("---", "...")


def opens_front_matter(first_line: str) -> bool:
    """Whether a document's first line opens a front-matter block."""
    return first_line.rstrip() == _OPEN


def front_matter_end(lines: Iterable[str]) -> int | None:
    """0-based index of the line closing the front matter at the top of ``lines``, or None.

    Reads at most ``MAX_LINES`` lines of ``lines`` (lines without their newline).
    """
    head = islice(lines, MAX_LINES)
    first = next(head, None)
    if first is None or not opens_front_matter(first):
        return None
    for number, line in enumerate(head, 1):
        if line.rstrip() in _CLOSE:
            return number
    return None


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """Split front matter from a text: ``(fields, body)``.

    ``fields`` is None when there is no block or its YAML is not a mapping;
    ``body`` is the text after the block either way (leading blank lines dropped).
    """
    if not text.startswith("---"):
        return None, text  # the common case, decided without splitting lines
    lines = text.split("\n", MAX_LINES)
    end = front_matter_end(lines)
    if end is None:
        return None, text
    block = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :]).lstrip("\n")
    try:
        data = parse_yaml(block, "front matter")
    except YamlFileError:
        return None, body
    return (data if isinstance(data, dict) else None), body


SUMMARY_FIELDS = ("title", "author", "authors", "date", "category", "tags")
"""Front-matter fields shown, in this order, in the reader's one-line header."""


def front_matter_summary(block: str) -> str:
    """One line describing a front-matter block (its YAML text): ``title · author · date``.

    Falls back to a count of its lines when its YAML is not a mapping or holds
    none of ``SUMMARY_FIELDS``.
    """
    try:
        data = parse_yaml(block, "front matter")
    except YamlFileError:
        data = None
    parts: list[str] = []
    if isinstance(data, dict):
        for name in SUMMARY_FIELDS:
            value = data.get(name)
            if isinstance(value, list):
                value = ", ".join(str(item) for item in value if item is not None)
            if value is not None and str(value).strip():
                parts.append(" ".join(str(value).split()))
    if parts:
        return " · ".join(parts)
    count = block.count("\n") + 1 if block else 0
    return f"front matter ({count} line{'s' if count != 1 else ''})"
