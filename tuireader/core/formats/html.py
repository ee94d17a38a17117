"""Saved web pages (``.html``, ``.htm``, ``.xhtml``): their main text and metadata.

The main text (not the menus, ads and footers of the page) comes from
trafilatura when it is installed (the ``html`` extra; imported lazily, so it
costs nothing at start-up), else from the built-in converter keeping only the
page's ``<article>``/``<main>`` and dropping its chrome.  Either way the result
is Markdown lines, like an EPUB chapter.

Metadata (title, author, date, site) is read cheaply with regular expressions
from ``<title>``, ``og:``/``article:``/``twitter:`` meta tags, JSON-LD and
the first ``<time datetime>``, so a library of a thousand pages lists quickly.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuireader.core.formats.base import DocumentFormat, DocumentInfo, PathLike
from tuireader.core.formats.bookcache import Section, TocTarget, cached_text
from tuireader.core.formats.booklines import BookLineIndex
from tuireader.core.formats.converted import (
    converted_lines,
    converted_passages,
    document_info,
)
from tuireader.core.formats.markup import decode_markup
from tuireader.core.formats.xhtml import Converted, html_to_markdown
from tuireader.core.lineindex import LineIndex
from tuireader.core.metadata import parse_date
from tuireader.core.sanitize import strip_control
from tuireader.core.textload import (
    BinaryFileError,
    DocumentError,
    looks_binary,
    read_all,
    read_head,
)

if TYPE_CHECKING:  # search is imported when first used, not at start-up
    from tuireader.core.search.passages import Passage

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MAX_PAGE_BYTES = 32 * 1024 * 1024
"""Larger pages are refused (a saved article is rarely over a few MB)."""
META_HEAD_BYTES = 512 * 1024
"""How much of a page is read for its metadata when listing."""
MAX_FIELD_CHARS = 300

_META_TAG = re.compile(r"<meta\s[^>]*>", re.IGNORECASE)
_ATTRS = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_JSON_LD = re.compile(
    r"""<script[^>]*type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script\s*>""",
    re.IGNORECASE | re.DOTALL,
)

_TIME = re.compile(r"<time\s[^>]*datetime\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "report", "scholarlyarticle", "webpage")


@dataclass(slots=True)
class PageMetadata:
    """What a saved page says about itself."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    description: str | None = None
    language: str | None = None


def _clean(value: object) -> str | None:
    """A one-line, control-free, bounded field value, or None."""
    if not isinstance(value, str):
        return None
    text = " ".join(strip_control(html_lib.unescape(_TAGS.sub(" ", value))).split())
    return text[:MAX_FIELD_CHARS] or None


def _date(value: object) -> str | None:
    """An ISO day from an ISO timestamp or a human date."""
    if not isinstance(value, str):
        return None
    match = _ISO_DAY.match(value.strip())
    if match:
        return "-".join(match.groups())
    return parse_date(value)


def _meta_tags(text: str) -> dict[str, str]:
    """``property``/``name``/``itemprop`` -> ``content`` of the page's meta tags (first wins)."""
    found: dict[str, str] = {}
    for tag in _META_TAG.findall(text):
        attrs = {name.lower(): value.strip("\"'") for name, value in _ATTRS.findall(tag)}
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        if key and "content" in attrs:
            found.setdefault(key.lower(), attrs["content"])
    return found


def _ld_objects(text: str) -> Iterator[dict[str, Any]]:
    """Objects of the page's JSON-LD blocks (``@graph`` flattened)."""
    for block in _JSON_LD.findall(text)[:10]:
        try:
            data = json.loads(block.strip())
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
                yield item


def _ld_author(value: object) -> str | None:
    """A JSON-LD author (string, object or list of either) as names."""
    items = value if isinstance(value, list) else [value]
    names = [
        _clean(item.get("name")) if isinstance(item, dict) else _clean(item) for item in items[:5]
    ]
    return ", ".join(name for name in names if name) or None


def page_metadata(text: str) -> PageMetadata:
    """Title, author, date, site and description from a page's markup."""
    meta = _meta_tags(text)
    found = PageMetadata()
    for item in _ld_objects(text):
        kind = item.get("@type")
        kinds = [str(k).lower() for k in (kind if isinstance(kind, list) else [kind])]
        if not any(k in _ARTICLE_TYPES for k in kinds):
            continue
        found.title = found.title or _clean(item.get("headline") or item.get("name"))
        found.author = found.author or _ld_author(item.get("author"))
        found.date = found.date or _date(item.get("datePublished") or item.get("dateCreated"))
    found.title = found.title or _clean(meta.get("og:title") or meta.get("twitter:title"))
    if found.title is None and (match := _TITLE.search(text)):
        found.title = _clean(match.group(1))
    found.author = found.author or _clean(
        meta.get("author") or meta.get("article:author") or meta.get("dc.creator")
    )
    if found.author and found.author.startswith(("http://", "https://")):
        found.author = None  # article:author is often a profile URL
    found.date = (
        found.date
        or _date(meta.get("article:published_time") or meta.get("date") or meta.get("dc.date"))
        or ((match := _TIME.search(text)) and _date(match.group(1)))
        or None
    )
    found.site = _clean(meta.get("og:site_name") or meta.get("application-name"))
    found.description = _clean(meta.get("og:description") or meta.get("description"))
    if match := re.search(r"<html[^>]*\blang\s*=\s*[\"']?([\w-]+)", text, re.IGNORECASE):
        found.language = match.group(1)
    return found


@lru_cache(maxsize=1)
def _trafilatura() -> Any:
    """The trafilatura module, or None when it is not installed or broken."""
    try:
        import trafilatura
    except Exception:  # ImportError, or a missing optional part such as lxml_html_clean
        return None
    return trafilatura


def main_text(text: str, *, use_library: bool = True) -> Converted:
    """The page's main text as Markdown lines (trafilatura if installed, else built in)."""
    library = _trafilatura() if use_library else None
    if library is not None:
        try:
            extracted = library.extract(
                text,
                output_format="markdown",
                include_tables=True,
                include_formatting=True,
                include_links=True,
                include_images=True,
                include_comments=False,
            )
        except Exception:  # a library failure on odd input: fall back
            extracted = None
        if extracted and extracted.strip():
            lines = [strip_control(line.rstrip()) for line in extracted.split("\n")]
            return Converted(lines)
    return html_to_markdown(text, main_only=True)


def article_lines(text: str, *, use_library: bool = True) -> tuple[PageMetadata, list[str]]:
    """Metadata and the article as Markdown lines, starting with its title and byline."""
    meta = page_metadata(text)
    body = main_text(text, use_library=use_library).lines
    while body and not body[0].strip():
        body.pop(0)
    head: list[str] = []
    first = body[0].lstrip("# ").strip() if body else ""
    if body and body[0].startswith("#") and (not meta.title or first == meta.title):
        head, body = [body[0], ""], body[1:]
        while body and not body[0].strip():
            body.pop(0)
    elif meta.title:
        head = ["# " + meta.title.replace("\\", "\\\\"), ""]
    byline = " · ".join(part for part in (meta.author, meta.date, meta.site) if part)
    if byline:
        head += ["*" + byline.replace("*", "\\*") + "*", ""]
    if not body:
        body = ["> ⚠ No readable text found in this page."]
    return meta, head + body


def load_page(path: Path) -> str:
    """A saved page's text; raises ``DocumentError`` for unusable files."""
    data = read_all(path)
    if len(data) > MAX_PAGE_BYTES:
        raise DocumentError(f"{path}: page too large ({len(data):,} bytes)")
    if looks_binary(data[:8192]):
        raise DocumentError(f"{path}: binary file skipped")
    return decode_markup(data)


class HtmlSource:
    """A saved page as the conversion cache reads it (``bookcache.Source``)."""

    def __init__(self, path: Path) -> None:
        """Read the page; raises ``DocumentError``."""
        self.path = Path(path)
        self._text = load_page(self.path)
        self._meta = page_metadata(self._text)
        self._toc: list[TocTarget] = []

    def info(self) -> dict[str, Any]:
        """The page's metadata."""
        return asdict(self._meta)

    def sections(self) -> Iterator[Section]:
        """The whole article as one section."""
        _, lines = article_lines(self._text)
        self._text = ""
        anchors: dict[str, int] = {}
        for number, line in enumerate(lines):
            heading = _HEADING.match(line)
            if heading and len(anchors) < 2000:
                anchors[f"h{number}"] = number
                self._toc.append(
                    TocTarget(heading.group(2).strip(), len(heading.group(1)), "page", f"h{number}")
                )
        yield Section("page", self._meta.title, lines, anchors)

    def section_count(self) -> int:
        """A page is one section."""
        return 1

    def toc_targets(self) -> list[TocTarget]:
        """The page's headings (known once its section was converted)."""
        return self._toc

    def close(self) -> None:
        """Nothing to release."""
        self._text = ""


_SCRIPTS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def estimate_page_words(text: str) -> int:
    """Words of a page's visible text, roughly (scripts, styles and tags dropped)."""
    return len(_TAGS.sub(" ", _SCRIPTS.sub(" ", text)).split())


def describe_page(path: PathLike) -> DocumentInfo:
    """Describe a saved page for the library from its cache sidecar or its markup."""
    path = Path(path)
    cached = cached_text(path)
    if cached is not None:
        return document_info(path, cached.info, cached.words, False, os.stat(path))
    data, stat = read_head(path, META_HEAD_BYTES)
    if looks_binary(data[:8192]):
        raise BinaryFileError(f"{path}: binary file skipped")
    text = decode_markup(data)
    meta = asdict(page_metadata(text))
    words = estimate_page_words(text)
    truncated = stat.st_size > len(data)
    if truncated and data:
        words = round(words * stat.st_size / len(data))
    return document_info(path, meta, words, True, stat)


class HtmlFormat(DocumentFormat):
    """Saved web pages: their main text converted to Markdown once (cached)."""

    name = "html"
    suffixes = HTML_SUFFIXES
    markdown = True

    def read_metadata(self, path: PathLike) -> DocumentInfo:
        """Title, author, date and site from the page's metadata."""
        return describe_page(path)

    def open_lines(self, path: PathLike) -> LineIndex:
        """The page's main text (converted once, then read from the cache)."""
        return BookLineIndex(Path(path), HtmlSource)

    def passages(self, path: PathLike) -> Iterator[Passage]:
        """Paragraphs of the main text."""
        return converted_passages(Path(path), HtmlSource)

    def text_lines(self, path: PathLike) -> Iterator[str]:
        """Lines of the converted text (the cached Markdown)."""
        return converted_lines(Path(path), HtmlSource)
