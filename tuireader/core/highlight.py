"""Find a query's words in displayed text, for highlighting search hits.

Words match whole (not inside longer words) and ignoring case; a word in a
script written without spaces (``core/scripts.py``) matches anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tuireader.core.scripts import has_no_space_script


def match_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern finding any of ``words`` (None if there are none)."""
    parts: list[str] = []
    for word in sorted({word.strip() for word in words if word.strip()}, key=len, reverse=True):
        escaped = re.escape(word)
        if not has_no_space_script(word):
            escaped = rf"(?<!\w){escaped}(?!\w)"
        parts.append(escaped)
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def match_spans(
    pattern: re.Pattern[str] | None, text: str, style: str = "match"
) -> list[tuple[int, int, str]]:
    """``(start, end, style)`` for every match of ``pattern`` in ``text`` (none without one)."""
    if pattern is None:
        return []
    return [(found.start(), found.end(), style) for found in pattern.finditer(text)]
