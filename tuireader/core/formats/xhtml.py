"""(X)HTML to Markdown lines, the text form the reader draws and search indexes.

Used for EPUB chapters and for saved web pages.  The parser is the standard
library's ``html.parser``: lenient (broken XHTML keeps its text), aware of all
HTML named entities (``&nbsp;`` works undeclared), and it never expands a DTD's
entities, so entity bombs and external entities are inert here.

Headings, paragraphs, emphasis, lists, block quotes, ``pre`` blocks, tables
(as pipe tables), links (internal ones, given the document's ``link_base``,
as ``#`` + ``bookcache.anchor_key``) and images (``![alt]()``, drawn as ``[image: alt]``)
become Markdown.  ``script``, ``style``, ``head``, hidden elements and the
like never become text.  Element ids are mapped to the output line where they
land, so table-of-contents fragments resolve to lines.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urldefrag
from xml.parsers import expat

from tuireader.core.formats.bookcache import anchor_key
from tuireader.core.formats.markup import html_entities_to_refs
from tuireader.core.formats.xhtml_blocks import (
    BR,
    InlineMark,
    TableBuilder,
    collapse,
    escape_inline,
    escape_line_start,
    fence_for,
    split_long,
)
from tuireader.core.sanitize import strip_control

SKIPPED = frozenset(
    {
        "script", "style", "head", "title", "template", "noscript", "iframe", "object",
        "button", "select", "textarea", "option", "rp", "rt", "annotation",
        "annotation-xml", "svg:title", "desc", "canvas", "audio", "video", "map",
    }
)  # fmt: skip
"""Elements whose content never becomes text."""
PAGE_CHROME = frozenset({"nav", "header", "footer", "aside", "form", "menu", "dialog"})
"""Skipped as well when converting a web page's main text."""
VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "image", "input", "link",
        "meta", "param", "source", "track", "wbr", "basefont", "frame", "keygen",
    }
)  # fmt: skip
BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
        "figure", "figcaption", "address", "center", "dl", "dt", "dd", "body", "html",
        "details", "summary", "hgroup", "fieldset", "legend", "caption", "form", "menu",
    }
)  # fmt: skip
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
INLINE_MARKS = {
    "em": "*", "i": "*", "cite": "*", "dfn": "*", "var": "*",
    "strong": "**", "b": "**",
    "s": "~~", "strike": "~~", "del": "~~",
}  # fmt: skip
CODE = frozenset({"code", "kbd", "samp", "tt"})
STRUCTURE = frozenset({"ul", "ol", "li", "blockquote", "pre", "hr", "table"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_EXTERNAL = re.compile(r"^(?:https?|ftp|mailto):", re.IGNORECASE)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_CHROME_NAMES = re.compile(
    r"(?:^|[\s_-])(?:comments?|share|sharing|social|related|advert\w*|ads?|promo|cookies?|"
    r"newsletter|sidebar|breadcrumbs?|subscribe|navbar|menu|popup|modal|banner)(?:$|[\s_-])",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Converted:
    """A converted (X)HTML document."""

    lines: list[str]
    anchors: dict[str, int] = field(default_factory=dict)
    """Element id -> 0-based line of ``lines`` where it lands."""
    title: str | None = None
    """The text of the first heading, if any."""


def html_to_markdown(
    text: str, *, main_only: bool = False, link_base: str | None = None
) -> Converted:
    """Convert (X)HTML text to Markdown lines.

    ``link_base`` is the document's own path inside its book: with it, links
    to other parts of the book (``ch2.xhtml#note1``, ``#note1``) are kept, as
    ``#`` + the ``anchor_key`` of their target; without it only external links are.

    Well-formed XHTML goes through expat (fast, C); anything expat rejects, and
    every web page, through the lenient ``html.parser``.  With ``main_only`` the
    page's chrome (nav, header, footer, aside, forms) is dropped and, when the
    page has an ``<article>`` or ``<main>``, only that is kept.
    """
    if not main_only and "<!ENTITY" not in text:
        writer = _Writer(link_base=link_base)
        if _feed_expat(writer, text):
            writer.finish()
            return Converted(writer.lines, writer.anchors, writer.first_heading)
    text = _DOCTYPE_SUBSET.sub("", text, count=1)
    writer = _Writer(main_only=main_only, link_base=link_base)
    if main_only:
        lowered = text.lower()
        for tag in ("article", "main"):
            if f"<{tag}" in lowered and re.search(rf"<{tag}[\s>]", lowered):
                writer.only_inside = tag
                break
    try:
        writer.feed(text)
        writer.close()
    except (AssertionError, ValueError):  # pragma: no cover - html.parser is lenient
        pass
    writer.finish()
    return Converted(writer.lines, writer.anchors, writer.first_heading)


def _feed_expat(writer: _Writer, text: str) -> bool:
    """Drive ``writer`` with expat; False if the text is not well-formed XML.

    Entity declarations never reach here (the caller checks), external entities
    and DTDs are never loaded, and HTML's named entities are turned into
    character references first.
    """
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name: str, attrs: dict[str, str]) -> None:
        writer.handle_starttag(name.lower(), [(k.lower(), v) for k, v in attrs.items()])

    def end(name: str) -> None:
        writer.handle_endtag(name.lower())

    def refuse(*_args: object) -> int:
        raise ValueError("entities are not read")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = writer.handle_data
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(html_entities_to_refs(text), True)
    except (expat.ExpatError, ValueError):
        return False
    return True


class _Writer(HTMLParser):
    """Turn parser events into Markdown lines."""

    def __init__(self, *, main_only: bool = False, link_base: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.link_base = link_base
        self.lines: list[str] = []
        self.anchors: dict[str, int] = {}
        self.first_heading: str | None = None
        self.only_inside: str | None = None
        self._skipped = SKIPPED | PAGE_CHROME if main_only else SKIPPED
        self._chrome = main_only
        self._stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self._hidden = 0
        self._inside = 0
        self._pending: list[str] = []
        self._buf: list[str] = []
        self._marks: list[InlineMark] = []
        self._heading = 0
        self._quote = 0
        self._lists: list[list[int | str]] = []  # [kind, next number]
        self._item: str | None = None
        self._pre = 0
        self._tables: list[TableBuilder] = []

    # ------------------------------------------------------------ events

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        hidden = self._is_hidden(tag, found)
        if tag not in VOID:
            self._stack.append((tag, hidden))
            if hidden:
                self._hidden += 1
            if tag == self.only_inside:
                self._inside += 1
        if self._hidden or (self.only_inside and not self._inside):
            return
        anchor = found.get("id") or (found.get("name") if tag == "a" else None)
        if anchor:
            self._pending.append(anchor)
        self._open(tag, found)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _ in self._stack):
            return
        while self._stack:
            open_tag, hidden = self._stack.pop()
            visible = not self._hidden and not (self.only_inside and not self._inside)
            if hidden:
                self._hidden -= 1
            if open_tag == self.only_inside:
                if visible:
                    self._close(open_tag)
                self._inside -= 1
            elif visible:
                self._close(open_tag)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._hidden or (self.only_inside and not self._inside):
            return
        data = strip_control(data)  # before Markdown escapes split a sequence ("\x1b\\[31m")
        if self._pre or (self._marks and self._marks[-1].code):
            self._buf.append(data)
        else:
            self._buf.append(escape_inline(data))

    def _internal(self, href: str) -> str | None:
        """A link to another part of the book as ``#`` + its anchor key; None for others."""
        if self.link_base is None or not href or ":" in href.split("/", 1)[0]:
            return None
        path, fragment = urldefrag(href)
        if path:
            folder = posixpath.dirname(self.link_base)
            path = posixpath.normpath(posixpath.join(folder, unquote(path)))
        key = anchor_key(path or self.link_base, unquote(fragment))
        return "#" + quote(key, safe="/#")

    def _is_hidden(self, tag: str, found: dict[str, str]) -> bool:
        """Whether an element's content must never become text."""
        if tag == "header" and self._inside:
            return False  # an article's own header holds its title
        if tag in self._skipped or "hidden" in found:
            return True
        if self._chrome and _CHROME_NAMES.search(f"{found.get('class', '')} {found.get('id', '')}"):
            return True
        if found.get("aria-hidden", "").lower() == "true":
            return True
        if "pagebreak" in found.get("epub:type", ""):
            return True
        style = found.get("style")
        return bool(style and _HIDDEN_STYLE.search(style))

    # ------------------------------------------------------------ structure

    def _flattened(self, tag: str) -> bool:
        """Structure inside a table cell or a heading: it becomes a space."""
        in_cell = bool(self._tables and self._tables[-1].in_cell)
        if (in_cell and (tag in STRUCTURE or tag in HEADINGS)) or (
            self._heading and tag in STRUCTURE
        ):
            self._buf.append(" ")
            return True
        return False

    def _open(self, tag: str, found: dict[str, str]) -> None:
        """Handle an element opening (visible, not inside a hidden one)."""
        if self._flattened(tag):
            return
        if tag in HEADINGS:
            self._block()
            self._heading = HEADINGS[tag]
        elif tag in BLOCKS:
            self._block()
        elif tag in ("ul", "ol"):
            self._block()
            start = found.get("start", "1")
            self._lists.append([tag, int(start) if start.isdigit() else 1])
        elif tag == "li":
            self._block()
            self._item = self._marker()
        elif tag == "blockquote":
            self._block(blank=True)
            self._quote += 1
        elif tag == "pre":
            self._block()
            self._pre += 1
        elif tag == "table":
            self._open_table()
        elif tag in ("tr", "td", "th") and self._tables:
            self._table_cell(tag, opening=True)
        elif tag == "br":
            self._buf.append(" " if self._pre == 0 and self._inline_only() else BR)
            if self._pre:
                self._buf[-1] = "\n"
        elif tag == "hr":
            self._block()
            self._emit("---")
            self._blank()
        elif tag in ("img", "image"):
            self._image(found)
        elif tag in INLINE_MARKS and not self._pre:
            self._marks.append(InlineMark(INLINE_MARKS[tag], len(self._buf)))
        elif tag in CODE and not self._pre:
            self._marks.append(InlineMark("`", len(self._buf), code=True))
        elif tag == "a" and not self._pre:
            href = found.get("href", "").strip()
            target = href if _EXTERNAL.match(href) else self._internal(href)
            self._marks.append(InlineMark("", len(self._buf), href=target))

    def _close(self, tag: str) -> None:
        """Handle an element closing (visible)."""
        if self._flattened(tag):
            return
        if tag in HEADINGS:
            self._block(force=True)
            self._heading = 0
            self._blank()
        elif tag in ("p", "div", "figure", "dl", "section", "article", "figcaption", "dd"):
            self._block(blank=not self._lists)
        elif tag in BLOCKS:
            self._block()
        elif tag in ("ul", "ol"):
            self._block()
            if self._lists:
                self._lists.pop()
            if not self._lists:
                self._blank()
        elif tag == "li":
            self._block()
            self._item = None
        elif tag == "blockquote":
            self._block()
            if self._quote and self.lines and self.lines[-1] == ("> " * self._quote).rstrip():
                self.lines.pop()
            self._quote = max(0, self._quote - 1)
            self._blank()
        elif tag == "pre" and self._pre:
            self._close_pre()
        elif tag == "table":
            self._close_table()
        elif tag in ("tr", "td", "th") and self._tables:
            self._table_cell(tag, opening=False)
        elif (tag in INLINE_MARKS or tag in CODE or tag == "a") and self._marks and not self._pre:
            self._marks.pop().close(self._buf)

    def _inline_only(self) -> bool:
        """Inside a heading or a table cell, blocks become spaces."""
        return bool(self._heading or (self._tables and self._tables[-1].in_cell))

    def _marker(self) -> str:
        """The marker of a new list item ('- ' or '3. '), indented by nesting."""
        if not self._lists:
            return "- "
        current = self._lists[-1]
        indent = "  " * (len(self._lists) - 1)
        if current[0] == "ol":
            number = int(current[1])
            current[1] = number + 1
            return f"{indent}{number}. "
        return f"{indent}- "

    def _image(self, found: dict[str, str]) -> None:
        """An image as ``![alt]()`` (the reader shows ``[image: alt]``)."""
        alt = found.get("alt", "").strip()
        if not alt:
            src = found.get("src") or found.get("xlink:href") or found.get("href") or ""
            alt = src.rsplit("/", 1)[-1] or "image"
        alt = " ".join(alt.replace("[", "(").replace("]", ")").split())
        text = f"![{escape_inline(alt)}]()"
        self._buf.append(" " + text + " " if self._inline_only() else text)

    # ------------------------------------------------------------ output

    def _emit(self, line: str) -> None:
        """Append one output line (in the current block quote); resolve pending anchors."""
        if self._pending:
            for anchor in self._pending:
                self.anchors.setdefault(anchor, len(self.lines))
            self._pending.clear()
        prefix = "> " * self._quote
        self.lines.append(strip_control(prefix + line) if line else prefix.rstrip())

    def _blank(self) -> None:
        """End the current block with one blank line (never two)."""
        blank = ("> " * self._quote).rstrip()
        if self.lines and self.lines[-1] not in ("", blank):
            self.lines.append(blank)

    def _block(self, blank: bool = False, force: bool = False) -> None:
        """Flush the inline text gathered so far as a paragraph, heading or list item."""
        if not force and self._inline_only():
            self._buf.append(" ")
            return
        if self._pre:
            return
        while self._marks:
            self._marks.pop().close(self._buf)
        raw = "".join(self._buf)
        self._buf.clear()
        rows = [collapse(part) for part in raw.split(BR)]
        rows = [row for row in rows if row]
        if not rows:
            if blank:
                self._blank()
            return
        if self._heading:
            text = " ".join(rows)
            self.first_heading = self.first_heading or text.replace("\\", "")
            self._emit("#" * self._heading + " " + text)
            return
        for number, row in enumerate(rows):
            hard = "  " if number < len(rows) - 1 else ""
            if self._item is not None:
                head, self._item = self._item, None
                pieces = split_long(row)
                self._emit(head + pieces[0] + (hard if len(pieces) == 1 else ""))
                for piece in pieces[1:]:
                    self._emit(" " * len(head) + piece)
                continue
            for piece in split_long(escape_line_start(row)):
                self._emit(("  " * len(self._lists)) + piece + hard)
        if blank or not self._lists:
            self._blank()

    def _close_pre(self) -> None:
        """Emit a ``pre`` block as a fenced code block."""
        self._pre -= 1
        if self._pre:
            return
        text = "".join(self._buf).replace(BR, "\n")
        self._buf.clear()
        if text.startswith("\n"):
            text = text[1:]
        rows = [row.rstrip() for row in text.rstrip().split("\n")]
        fence = fence_for(text)
        self._emit(fence)
        for row in rows:
            self._emit(row.expandtabs(4))
        self._emit(fence)
        self._blank()

    def _open_table(self) -> None:
        """Start a table (a nested table's text joins the outer cell)."""
        if self._tables and self._tables[-1].in_cell:
            self._tables[-1].nested += 1
            return
        self._block()
        self._tables.append(TableBuilder())

    def _close_table(self) -> None:
        """Finish a table and emit it as a pipe table."""
        if not self._tables:
            return
        table = self._tables[-1]
        if table.nested:
            table.nested -= 1
            return
        table.end_cell(self._buf)
        self._tables.pop()
        rows = table.markdown()
        for row in rows:
            self._emit(row)
        if rows:
            self._blank()

    def _table_cell(self, tag: str, *, opening: bool) -> None:
        """Row and cell boundaries of the innermost table."""
        table = self._tables[-1]
        if table.nested:
            self._buf.append(" ")
            return
        while self._marks and opening:
            self._marks.pop().close(self._buf)
        if tag == "tr":
            table.end_row(self._buf)
            if opening:
                table.start_row()
        elif opening:
            table.start_cell(self._buf, header=tag == "th")
        else:
            table.end_cell(self._buf)

    def finish(self) -> None:
        """Flush what is left after the last tag; place anchors that never got text."""
        while self._tables:  # a table never closed (a page cut short) is kept, not dropped
            self._close_table()
        self._pre = 0
        self._heading = 0
        self._block()
        while self.lines and not self.lines[-1].strip():
            self.lines.pop()
        for anchor in self._pending:
            self.anchors.setdefault(anchor, max(0, len(self.lines) - 1))
        self._pending.clear()
