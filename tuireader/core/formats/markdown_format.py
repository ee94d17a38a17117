"""Markdown documents (``.md``, ``.markdown``): rendered by ``formats/markdown.py``.

Like plain text, but the reader renders each line as Markdown, front matter is
skipped by search, and a title may be any level-one heading.
"""

from __future__ import annotations

import re

from tuireader.core.formats.base import PathLike
from tuireader.core.formats.frontmatter import front_matter_end
from tuireader.core.formats.text import PlainTextFormat

SNIFF_LINES = 400
"""Lines of a text looked at to tell whether it is Markdown."""

_SIGNS: dict[str, re.Pattern[str]] = {
    "heading": re.compile(r"^ {0,3}#{1,6}[ \t]+\S"),
    "fence": re.compile(r"^ {0,3}(?:```|~~~)"),
    "list": re.compile(r"^ {0,6}(?:[-*+]|\d{1,9}[.)])[ \t]+\S"),
    "quote": re.compile(r"^ {0,3}>[ \t]?\S"),
    "link": re.compile(r"\[[^\]\n]+\]\((?:[^)\s]+)(?:[ \t]+\"[^\"]*\")?\)|<https?://[^>\s]+>"),
    "emphasis": re.compile(r"(?<![\w*])\*\*[^*\s][^*\n]*\*\*|(?<![\w`])`[^`\n]+`(?!`)"),
}
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_EMPHASIS_ONE = re.compile(
    r"(?<![\w*])\*[^\W_](?:[^*\n]*[^\W_])?\*(?![\w*])"
    r"|(?<![\w_])_[^\W_](?:[^_\n]*[^\W_])?_(?![\w_])"
)
"""``*emphasis*`` or ``_emphasis_``: a sign only after a leading heading (``2*3*4`` is not)."""


def _titled_note(lines: list[str]) -> bool:
    """A short note: an ATX heading first, a blank line, then another Markdown sign.

    ``# Title`` alone is also a shell or YAML comment; with the blank line
    after it and a list, quote, link, fence or emphasis below (not another
    ``#`` line: a script's comments), the text is Markdown however short it is.
    """
    filled = [number for number, line in enumerate(lines) if line.strip()]
    if len(filled) < 2 or not _SIGNS["heading"].match(lines[filled[0]]):
        return False
    first = filled[0]
    if first + 1 < len(lines) and lines[first + 1].strip():
        return False
    return any(
        pattern.search(line)
        for line in lines[first + 1 :]
        for name, pattern in (*_SIGNS.items(), ("emphasis", _EMPHASIS_ONE))
        if name != "heading"
    )


def looks_like_markdown(text: str) -> bool:
    """Whether a text without a file name (piped in) reads as Markdown, by its content.

    Front matter, or at least two kinds of Markdown signs (headings, setext
    underlines, code fences, list items, quotes, links, strong or code spans)
    seen often enough: a shell script's ``# comments`` alone are not Markdown.
    A short note counts too: a leading ``# Title``, a blank line and one more
    sign (``# Piped``, a blank line, ``hello *world*``).
    """
    lines = text.split("\n", SNIFF_LINES)[:SNIFF_LINES]
    if front_matter_end(lines) is not None or _titled_note(lines):
        return True
    counts: dict[str, int] = {}
    previous = ""
    for line in lines:
        for name, pattern in _SIGNS.items():
            if pattern.search(line):
                counts[name] = counts.get(name, 0) + 1
        if previous.strip() and _SETEXT.match(line) and not _SIGNS["list"].match(previous):
            counts["heading"] = counts.get("heading", 0) + 2  # an underlined title: a strong sign
        previous = line
    if counts.get("fence", 0) < 2:
        counts.pop("fence", None)  # one fence line alone is no code block
    weight = sum(min(count, 3) for count in counts.values())
    return len(counts) >= 2 and weight >= 4


class MarkdownFormat(PlainTextFormat):
    """Markdown: text rendered with block and inline styles; front matter skipped in search."""

    name = "markdown"
    suffixes = frozenset({".md", ".markdown"})
    markdown = True

    def matches(self, path: PathLike) -> bool:
        """Its suffixes only."""
        return super(PlainTextFormat, self).matches(path)
