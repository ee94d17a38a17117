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

import dataclasses
import re
from functools import lru_cache
from typing import Any

from tuireader.core.formats.styled import (
    STYLE_NAMES,
    LineInfo,
    LineKind,
    StyledLine,
    render_plain,
)

__all__ = [
    "STYLE_NAMES",
    "LineInfo",
    "LineKind",
    "StyledLine",
    "heading_text",
    "plain_text",
    "render_inline",
    "render_line",
    "render_plain",
    "warm_up",
]

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


def _strip_quotes(line: str, depth: int) -> str:
    """``line`` without up to ``depth`` leading block-quote markers."""
    for _ in range(depth):
        quote = _QUOTE.match(line)
        if quote is None:
            break
        line = line[quote.end() :]
    return line


def _in_quotes(rendered: StyledLine, depth: int) -> StyledLine:
    """``rendered`` behind ``depth`` quote bars."""
    if not depth:
        return rendered
    prefix = "▌ " * depth
    width = len(prefix)
    shifted = [(start + width, end + width, name) for start, end, name in rendered.spans]
    return dataclasses.replace(
        rendered,
        text=prefix + rendered.text,
        spans=[(0, width, "quote"), *shifted],
        indent=rendered.indent + width,
    )


def _padded(rendered: StyledLine) -> StyledLine:
    """A level-one heading with a space either side (it is drawn as a band)."""
    spans = [(start + 1, end + 1, name) for start, end, name in rendered.spans]
    return dataclasses.replace(rendered, text=f" {rendered.text} ", spans=spans)


def _render_code(line: str, info: LineInfo) -> StyledLine:
    """A line of a code block: its code, indented as in a list, highlighted."""
    code = info.text if info.text is not None else line
    if info.in_list:
        raw = _strip_quotes(line, info.quote).expandtabs(4)
        lead = len(raw) - len(raw.lstrip(" "))
        code = " " * max(0, lead - (len(code) - len(code.lstrip(" ")))) + code
    shift = len(code) - len(info.text) if info.text is not None else 0
    spans = [(start + shift, end + shift, name) for start, end, name in info.spans]
    return _in_quotes(StyledLine(code, spans, line_style="code-block", block=True), info.quote)


def _render_block_line(line: str, info: LineInfo) -> StyledLine | None:
    """Render a line whose kind the block parse decided; None for ordinary lines."""
    kind = info.kind
    if kind is LineKind.CODE:
        return _render_code(line, info)
    if kind is LineKind.FENCE:
        if not info.text:
            return StyledLine("", hidden=True)
        label = info.text
        if info.in_list:
            raw = _strip_quotes(line, info.quote).expandtabs(4)
            label = " " * (len(raw) - len(raw.lstrip(" "))) + label
        return _in_quotes(StyledLine(label, line_style="fence", block=True), info.quote)
    if kind is LineKind.FRONT_MATTER:
        if info.text is None:
            return StyledLine("", hidden=True)
        return StyledLine(info.text, line_style="front-matter")
    if kind is LineKind.SETEXT_UNDERLINE:
        return StyledLine("", hidden=True)
    if kind is LineKind.RULE and not info.quote and not info.in_list:
        return StyledLine("", rule=True, line_style="rule")
    if kind is LineKind.HEADING and not info.in_list:
        inner = _strip_quotes(line, info.quote)
        atx = _HEADING.match(inner)
        rendered = render_inline(atx.group(2) or "" if atx else inner.strip())
        rendered.line_style = f"h{info.level or 1}"
        if info.level == 1 and rendered.text:
            rendered = _padded(rendered)
        return _in_quotes(rendered, info.quote)
    if kind is LineKind.HTML:
        return _in_quotes(
            StyledLine(_strip_quotes(line, info.quote), line_style="html"), info.quote
        )
    return None


def render_line(line: str, kind: LineKind | LineInfo = LineKind.NORMAL) -> StyledLine:
    """Render one Markdown source line in its block context (a kind, or the parse's info)."""
    info = kind if isinstance(kind, LineInfo) else LineInfo(kind)
    if info.kind is not LineKind.NORMAL:
        if not isinstance(kind, LineInfo) and kind is LineKind.CODE:
            return StyledLine(line, line_style="code-block", block=True)
        decided = _render_block_line(line, info)
        if decided is not None:
            return decided
    elif info.quote and line.strip() and not _QUOTE.match(line):
        # A lazy continuation line of a quote: it still belongs to the quote.
        rendered = render_line(line.lstrip())
        return dataclasses.replace(
            _in_quotes(rendered, info.quote), flow=False, line_style=rendered.line_style or "quote"
        )
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


def heading_text(line: str) -> tuple[int, str] | None:
    """The level and plain text of an ATX heading line, or None."""
    heading = _HEADING.match(line)
    if not heading:
        return None
    return len(heading.group(1)), render_inline(heading.group(2) or "").text.strip()


_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})")


def plain_text(source: str) -> str:
    """Markdown source as the reader shows it, markup stripped, one line per line.

    For search snippets: headings lose their ``#``, emphasis and links their
    markup, fences and rules vanish.
    """
    shown: list[str] = []
    for line in source.split("\n"):
        if _FENCE_LINE.match(line):
            continue
        rendered = render_line(line)
        if not rendered.rule:
            shown.append(rendered.text)
    return "\n".join(shown)
