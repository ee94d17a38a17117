"""Render Markdown one source line at a time into text with named style spans.

The reader shows each source line as one (soft-wrapped) display line, so line
numbers stay those of the file and a 10 MB document renders only what is on
screen.  Block context that spans lines (fenced code, front matter) comes from
the line index; everything else is decided from the line itself.  Inline
markup (emphasis, code, links) is parsed with markdown-it-py.

The output is neutral: plain text plus ``(start, end, style_name)`` spans; the
UI maps style names such as ``"h1"``, ``"em"`` or ``"link-url"`` to theme
colours.  Nothing here knows about the terminal.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

STYLE_NAMES = (
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "em",
    "strong",
    "strike",
    "code",
    "code-block",
    "fence",
    "link",
    "link-url",
    "quote",
    "bullet",
    "rule",
    "front-matter",
    "html",
)
"""Every style name a span or a line may carry."""


class LineKind(Enum):
    """The block context of a source line, known from the line index."""

    NORMAL = "normal"
    CODE = "code"
    FENCE = "fence"
    FRONT_MATTER = "front-matter"


def line_kind(
    line: int,
    fences: Sequence[tuple[int, int]],
    fence_starts: Sequence[int],
    front_matter_end: int,
) -> LineKind:
    """The block context of 0-based ``line``.

    ``fences`` are the inclusive line ranges of fenced code blocks (fences
    included) in order, ``fence_starts`` their first lines, and
    ``front_matter_end`` the line closing the front matter (0 if none).
    """
    if 0 < line <= front_matter_end or (line == 0 and front_matter_end > 0):
        return LineKind.FRONT_MATTER
    position = bisect.bisect_right(fence_starts, line) - 1
    if position >= 0:
        start, end = fences[position]
        if line in (start, end):
            return LineKind.FENCE
        if start < line < end:
            return LineKind.CODE
    return LineKind.NORMAL


@dataclass(slots=True)
class StyledLine:
    """One rendered source line: text, style spans over it, and wrapping hints."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    line_style: str | None = None
    """A style for the whole line (headings, code blocks, quotes)."""
    indent: int = 0
    """Cells to indent continuation rows by when the line wraps (list items)."""
    rule: bool = False
    """True for a thematic break, drawn as a rule across the measure."""
    flow: bool = False
    """Paragraph text: joins the flowing lines next to it into one reflowed block."""
    opens: bool = False
    """Starts a new block even after a flowing line (a list item)."""
    closes: bool = False
    """Ends its block: the next line starts a new row (a hard line break)."""


_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_LIST = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
_TASK = re.compile(r"^\[([ xX])\][ \t]")
_INLINE_SPECIAL = re.compile(r"[*_`\[\]<>!&\\~]")


@lru_cache(maxsize=1)
def _parser() -> Any:
    """The shared markdown-it parser (commonmark plus strikethrough)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough")


def warm_up() -> None:
    """Build the parser ahead of need (e.g. in a thread while the UI starts)."""
    _parser()


class _Builder:
    """Accumulates text and spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[int, int, str]] = []

    def add(self, text: str, style: str | None = None) -> None:
        """Append text, optionally styled."""
        if not text:
            return
        if style:
            self.spans.append((self.length, self.length + len(text), style))
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        """The text so far."""
        return "".join(self.parts)


def render_inline(text: str, builder: _Builder | None = None) -> StyledLine:
    """Render inline Markdown (emphasis, code spans, links, images) of one line."""
    out = builder or _Builder()
    if _INLINE_SPECIAL.search(text) is None:
        out.add(text)
        return StyledLine(out.text(), out.spans)
    try:
        tokens = _parser().parseInline(text)
    except Exception:  # pragma: no cover - markdown-it never should, but text is data
        out.add(text)
        return StyledLine(out.text(), out.spans)
    children = tokens[0].children if tokens and tokens[0].children else []
    stack: list[tuple[str, int]] = []
    hrefs: list[str] = []
    for token in children:
        kind = token.type
        if kind == "text" or kind == "html_inline":
            out.add(token.content)
        elif kind == "code_inline":
            out.add(token.content, "code")
        elif kind in ("softbreak", "hardbreak"):
            out.add(" ")
        elif kind.endswith("_open"):
            name = {"em_open": "em", "strong_open": "strong", "s_open": "strike"}.get(kind)
            if kind == "link_open":
                name = "link"
                hrefs.append(str(token.attrGet("href") or ""))
            stack.append((name or "", out.length))
        elif kind.endswith("_close"):
            if not stack:
                continue
            name, start = stack.pop()
            if name:
                out.spans.append((start, out.length, name))
            if kind == "link_close" and hrefs:
                href = hrefs.pop()
                label = out.text()[start:]
                if href and href != label and f"<{href}>" not in label:
                    out.add(" <", "link-url")
                    out.add(href, "link-url")
                    out.add(">", "link-url")
        elif kind == "image":
            alt = token.content or "image"
            out.add(f"[image: {alt}]", "link")
            src = str(token.attrGet("src") or "")
            if src:
                out.add(f" <{src}>", "link-url")
        else:
            out.add(token.content)
    return StyledLine(out.text(), out.spans)


def render_line(line: str, kind: LineKind = LineKind.NORMAL) -> StyledLine:
    """Render one Markdown source line in its block context."""
    if kind is LineKind.CODE:
        return StyledLine(line, line_style="code-block")
    if kind is LineKind.FENCE:
        return StyledLine(line, line_style="fence")
    if kind is LineKind.FRONT_MATTER:
        return StyledLine(line, line_style="front-matter")
    heading = _HEADING.match(line)
    if heading:
        level = len(heading.group(1))
        rendered = render_inline(heading.group(2) or "")
        rendered.line_style = f"h{level}"
        return rendered
    if _RULE.match(line):
        return StyledLine("", rule=True, line_style="rule")
    quote = _QUOTE.match(line)
    if quote:
        depth = 0
        rest = line
        while quote:
            depth += 1
            rest = rest[quote.end() :]
            quote = _QUOTE.match(rest)
        inner = render_line(rest)
        prefix = "▌ " * depth
        width = len(prefix)
        shifted = [(start + width, end + width, name) for start, end, name in inner.spans]
        return StyledLine(
            prefix + inner.text,
            [(0, len(prefix), "quote"), *shifted],
            line_style=inner.line_style or "quote",
            indent=len(prefix) + inner.indent,
        )
    item = _LIST.match(line)
    if item and (item.group(3) or item.end() == len(line)):
        indent, marker = item.group(1).expandtabs(4), item.group(2)
        bullet = "•" if marker in "-*+" else marker
        builder = _Builder()
        builder.add(indent)
        builder.add(bullet, "bullet")
        builder.add(" ")
        rest = line[item.end() :]
        task = _TASK.match(rest)
        if task:
            builder.add("☑ " if task.group(1) in "xX" else "☐ ", "bullet")
            rest = rest[task.end() :]
        hang = builder.length
        rendered = render_inline(rest, builder)
        rendered.indent = hang
        rendered.flow = rendered.opens = True
        return rendered
    if line.lstrip().startswith("|") or line.lstrip().startswith("<"):
        return StyledLine(line, line_style="html" if line.lstrip().startswith("<") else None)
    rendered = render_inline(line)
    rendered.flow = bool(line.strip())
    rendered.closes = line.endswith(("  ", "\\"))
    return rendered


def render_plain(line: str) -> StyledLine:
    """A plain-text line, shown exactly as written."""
    return StyledLine(line)


def heading_text(line: str) -> tuple[int, str] | None:
    """The level and plain text of an ATX heading line, or None."""
    heading = _HEADING.match(line)
    if not heading:
        return None
    return len(heading.group(1)), render_inline(heading.group(2) or "").text.strip()
