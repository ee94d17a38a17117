"""Unicode ranges of the scripts written without spaces between words.

One table for the whole program: search cuts each of these characters into a
word of its own (core/search/text.py), and highlighting matches a word of these
scripts anywhere rather than as a whole word (core/highlight.py).  Cell widths
(wide characters take two cells) come from ``rich.cells``, not from here.
"""

from __future__ import annotations

import re
from functools import cache

NO_SPACE_RANGES: tuple[tuple[int, int], ...] = (
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # Halfwidth Katakana
    (0x20000, 0x2FA1F),  # CJK extensions B-F and compatibility supplement
    (0x30000, 0x323AF),  # CJK extensions G and H
)
"""Inclusive code point ranges of kana and CJK ideographs."""

NO_SPACE_CLASS = "".join(f"{chr(first)}-{chr(last)}" for first, last in NO_SPACE_RANGES)
"""The ranges as the inside of a regular-expression character class."""

@cache
def no_space_re() -> re.Pattern[str]:
    """One character of a script written without spaces (compiled on first use: it takes ms)."""
    return re.compile(f"[{NO_SPACE_CLASS}]")


def has_no_space_script(text: str) -> bool:
    """Whether ``text`` holds any character of a script written without spaces."""
    return not text.isascii() and no_space_re().search(text) is not None
