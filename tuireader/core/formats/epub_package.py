"""An EPUB's package: ``META-INF/container.xml`` -> the OPF -> metadata, spine and ToC.

Handles EPUB 2 (OPF 2, NCX table of contents, ``opf:file-as``, calibre's
series meta) and EPUB 3 (nav document, ``refines`` metadata,
``belongs-to-collection``).  Only the package files are read here; chapters
are converted elsewhere.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urldefrag

from tuireader.core.formats.epub_zip import BookError, MemberError, SafeZip
from tuireader.core.formats.markup import (
    UnsafeXmlError,
    attr,
    decode_markup,
    local_name,
    parse_xml,
    text_of,
)

MAX_PACKAGE_BYTES = 16 * 1024 * 1024
"""Largest container, OPF, NCX or nav file read."""
MAX_TOC_ENTRIES = 20_000
_YEAR_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_HTML_TYPES = ("application/xhtml+xml", "text/html", "application/xml", "text/xml")


@dataclass(frozen=True, slots=True)
class Author:
    """One author of a book."""

    name: str
    file_as: str | None = None


@dataclass(slots=True)
class BookMetadata:
    """What the OPF says about a book."""

    title: str | None = None
    authors: list[Author] = field(default_factory=list)
    language: str | None = None
    date: str | None = None
    publisher: str | None = None
    series: str | None = None
    series_index: str | None = None
    subjects: list[str] = field(default_factory=list)
    cover: str | None = None
    """Book path of the cover image, if the OPF names one."""

    @property
    def author(self) -> str | None:
        """The authors' names joined for display, or None."""
        return ", ".join(author.name for author in self.authors) or None


@dataclass(frozen=True, slots=True)
class SpineItem:
    """One chapter file in reading order."""

    href: str
    """Book path of the file (resolved against the OPF's folder, unescaped)."""
    media_type: str
    linear: bool = True


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One entry of the table of contents."""

    title: str
    href: str
    """Book path of the target file ('' when the entry has no target)."""
    fragment: str
    level: int


@dataclass(slots=True)
class Package:
    """A parsed EPUB package."""

    opf_path: str
    metadata: BookMetadata
    spine: list[SpineItem]
    toc: list[TocEntry]
    version: str = ""


def read_package(book: SafeZip) -> Package:
    """Read container, OPF and table of contents; raises ``BookError`` naming the problem."""
    opf_path = _find_opf(book)
    root = _parse_member(book, opf_path, "OPF package")
    if local_name(root.tag) != "package":
        raise BookError(f"{book.path}: {opf_path} is not an OPF package")
    base = posixpath.dirname(opf_path)
    manifest = _manifest(root, base)
    metadata = _metadata(root, manifest)
    spine = _spine(root, manifest)
    if not spine:
        raise BookError(f"{book.path}: the book has no chapters (empty spine)")
    _refuse_encrypted(book, spine)
    toc = _toc(book, root, manifest)
    return Package(opf_path, metadata, spine, toc, version=root.get("version") or "")


def _refuse_encrypted(book: SafeZip, spine: list[SpineItem]) -> None:
    """Refuse a DRM-protected book (its chapters listed in ``encryption.xml``).

    Obfuscated fonts, which honest books use, are listed there too and are fine.
    """
    if not book.exists("META-INF/encryption.xml"):
        return
    try:
        root = _parse_member(book, "META-INF/encryption.xml", "encryption list")
    except BookError:
        return
    chapters = {item.href for item in spine}
    for element in root.iter():
        if local_name(element.tag) == "cipherreference":
            target = posixpath.normpath(unquote(element.get("URI") or "").lstrip("/"))
            if target in chapters or book.prefix + target in chapters:
                raise BookError(f"{book.path}: the book is DRM-protected (encrypted chapters)")


def _parse_member(book: SafeZip, name: str, what: str) -> Any:
    """Read and parse one XML member, turning every failure into a ``BookError``."""
    try:
        data = book.read(name, MAX_PACKAGE_BYTES)
    except MemberError as error:
        raise BookError(f"{book.path}: {what}: {error}") from None
    try:
        return parse_xml(decode_markup(data))
    except UnsafeXmlError as error:
        raise BookError(f"{book.path}: {what} {name} {error}") from None
    except ValueError as error:
        raise BookError(f"{book.path}: broken {what} {name}: {error}") from None


def _find_opf(book: SafeZip) -> str:
    """The OPF's book path from ``container.xml``, or the only ``.opf`` member."""
    problem = "no META-INF/container.xml"
    if book.exists("META-INF/container.xml"):
        try:
            root = _parse_member(book, "META-INF/container.xml", "container")
        except BookError as error:
            problem = str(error).split(": ", 1)[-1]
        else:
            for element in root.iter():
                if local_name(element.tag) == "rootfile":
                    path = element.get("full-path") or ""
                    media = element.get("media-type") or "application/oebps-package+xml"
                    if path and "oebps-package" in media and book.exists(path):
                        return unquote(path)
            problem = "container.xml names no OPF package in the book"
    candidates = sorted(name for name in book.names() if name.lower().endswith(".opf"))
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        problem += f" and {len(candidates)} OPF files to choose from"
    raise BookError(f"{book.path}: {problem}")


@dataclass(frozen=True, slots=True)
class _Item:
    """A manifest item."""

    href: str
    media_type: str
    properties: frozenset[str]


def _manifest(root: Any, base: str) -> dict[str, _Item]:
    """Manifest items by id, their hrefs resolved against the OPF's folder."""
    items: dict[str, _Item] = {}
    for element in root.iter():
        if local_name(element.tag) != "item":
            continue
        item_id, href = element.get("id"), element.get("href")
        if not item_id or not href:
            continue
        path = unquote(urldefrag(href)[0])
        items[item_id] = _Item(
            posixpath.normpath(posixpath.join(base, path)) if base else posixpath.normpath(path),
            (element.get("media-type") or "").strip().lower(),
            frozenset((element.get("properties") or "").split()),
        )
    return items


def _child(root: Any, name: str) -> Any:
    """The first direct child with this local name, or None."""
    for element in root:
        if local_name(element.tag) == name:
            return element
    return None


def _metadata(root: Any, manifest: dict[str, _Item]) -> BookMetadata:
    """Title, authors, language, date, publisher, series, subjects and cover."""
    found = BookMetadata()
    block = _child(root, "metadata")
    if block is None:
        return found
    refines: dict[str, dict[str, str]] = {}
    for element in block.iter():
        target = element.get("refines")
        if local_name(element.tag) == "meta" and target and element.get("property"):
            refines.setdefault(target.lstrip("#"), {})[element.get("property")] = text_of(element)
    creators: list[tuple[Author, str | None]] = []
    for element in block.iter():
        name = local_name(element.tag)
        value = text_of(element)
        if name == "title" and value and found.title is None:
            found.title = value
        elif name == "creator" and value:
            extra = refines.get(element.get("id") or "", {})
            role = attr(element, "role") or extra.get("role")
            file_as = attr(element, "file-as") or extra.get("file-as")
            creators.append((Author(value, file_as or None), role))
        elif name == "language" and value and found.language is None:
            found.language = value
        elif name == "date" and value and found.date is None:
            found.date = _iso_date(value)
        elif name == "publisher" and value and found.publisher is None:
            found.publisher = value
        elif name == "subject" and value:
            found.subjects.append(value)
        elif name == "meta":
            _meta(element, found, refines, manifest)
    authors = [author for author, role in creators if role in (None, "", "aut")]
    found.authors = authors or [author for author, _ in creators]
    if found.cover is None:
        found.cover = next(
            (item.href for item in manifest.values() if "cover-image" in item.properties), None
        )
    return found


def _meta(
    element: Any,
    found: BookMetadata,
    refines: dict[str, dict[str, str]],
    manifest: dict[str, _Item],
) -> None:
    """Series and cover from ``<meta>`` (calibre's names and EPUB 3 collections)."""
    name, content = element.get("name"), element.get("content")
    if name == "calibre:series" and content:
        found.series = found.series or content.strip()
    elif name == "calibre:series_index" and content:
        found.series_index = found.series_index or content.strip()
    elif name == "cover" and content and content in manifest:
        found.cover = manifest[content].href
    elif element.get("property") == "belongs-to-collection" and not element.get("refines"):
        extra = refines.get(element.get("id") or "", {})
        if found.series is None and extra.get("collection-type", "series") == "series":
            found.series = text_of(element) or None
            found.series_index = extra.get("group-position") or found.series_index


def _iso_date(value: str) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` from the start of an OPF date."""
    match = _YEAR_DATE.match(value)
    if not match:
        return None
    return "-".join(part for part in match.groups() if part)


def _spine(root: Any, manifest: dict[str, _Item]) -> list[SpineItem]:
    """Chapter files in reading order; the manifest's HTML files if the spine is empty."""
    spine = _child(root, "spine")
    items: list[SpineItem] = []
    seen: set[str] = set()
    if spine is not None:
        for element in spine:
            if local_name(element.tag) != "itemref":
                continue
            idref = element.get("idref") or ""
            item = manifest.get(idref)
            if item is None:
                items.append(SpineItem(f"#{idref}", "missing"))
                continue
            if item.href in seen:
                continue
            seen.add(item.href)
            items.append(SpineItem(item.href, item.media_type, element.get("linear") != "no"))
    if not items:
        items = [
            SpineItem(item.href, item.media_type)
            for item in manifest.values()
            if item.media_type in _HTML_TYPES and "nav" not in item.properties
        ]
    return items


def _toc(book: SafeZip, root: Any, manifest: dict[str, _Item]) -> list[TocEntry]:
    """The table of contents from the EPUB 3 nav, else the EPUB 2 NCX, else empty."""
    nav = next((item for item in manifest.values() if "nav" in item.properties), None)
    if nav is not None:
        entries = _nav_toc(book, nav.href)
        if entries:
            return entries
    spine = _child(root, "spine")
    ncx_id = spine.get("toc") if spine is not None else None
    ncx = manifest.get(ncx_id or "") or next(
        (item for item in manifest.values() if item.media_type == "application/x-dtbncx+xml"),
        None,
    )
    if ncx is not None:
        return _ncx_toc(book, ncx.href)
    return []


def _target(base_file: str, href: str) -> tuple[str, str]:
    """A ToC link resolved to (book path, fragment)."""
    path, fragment = urldefrag(href.strip())
    if not path:
        return base_file, unquote(fragment)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_file), unquote(path)))
    return joined, unquote(fragment)


def _ncx_toc(book: SafeZip, href: str) -> list[TocEntry]:
    """Entries of an EPUB 2 NCX (nested navPoints); empty if it cannot be read."""
    try:
        root = _parse_member(book, href, "NCX table of contents")
    except BookError:
        return []
    nav_map = next((el for el in root.iter() if local_name(el.tag) == "navmap"), None)
    entries: list[TocEntry] = []

    def walk(parent: Any, level: int) -> None:
        for point in parent:
            if local_name(point.tag) != "navpoint" or len(entries) >= MAX_TOC_ENTRIES:
                continue
            label = _child(point, "navlabel")
            content = _child(point, "content")
            title = text_of(label) if label is not None else ""
            source = content.get("src") or "" if content is not None else ""
            path, fragment = _target(href, source) if source else ("", "")
            entries.append(TocEntry(title or "Untitled", path, fragment, level))
            walk(point, level + 1)

    if nav_map is not None:
        walk(nav_map, 1)
    return entries


class _NavParser(HTMLParser):
    """Collect the links of the ``<nav epub:type="toc">`` of an EPUB 3 nav document."""

    def __init__(self, href: str) -> None:
        super().__init__(convert_charrefs=True)
        self.href = href
        self.entries: list[TocEntry] = []
        self.navs: list[tuple[str, list[TocEntry]]] = []
        self._kind = ""
        self._nav_depth = 0
        self._lists = 0
        self._link: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav":
            self._nav_depth += 1
            if self._nav_depth == 1:
                self._kind = (found.get("epub:type") or found.get("role") or "").lower()
                self.entries = []
        elif self._nav_depth and tag == "ol":
            self._lists += 1
        elif self._nav_depth and tag in ("a", "span") and self._link is None:
            self._link = _target(self.href, found.get("href") or "") if tag == "a" else ("", "")
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
            if not self._nav_depth:
                self.navs.append((self._kind, self.entries))
                self._lists = 0
        elif self._nav_depth and tag == "ol":
            self._lists = max(0, self._lists - 1)
        elif self._nav_depth and tag in ("a", "span") and self._link is not None:
            title = " ".join("".join(self._text).split())
            if title and len(self.entries) < MAX_TOC_ENTRIES:
                path, fragment = self._link
                self.entries.append(TocEntry(title, path, fragment, max(1, self._lists)))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._text.append(data)


def _nav_toc(book: SafeZip, href: str) -> list[TocEntry]:
    """Entries of an EPUB 3 nav document's table of contents; empty if unreadable."""
    try:
        text = decode_markup(book.read(href, MAX_PACKAGE_BYTES))
    except MemberError:
        return []
    parser = _NavParser(href)
    try:
        parser.feed(text)
        parser.close()
    except (ValueError, AssertionError):
        pass
    for wanted in ("toc", "doc-toc", ""):
        for kind, entries in parser.navs:
            if entries and (wanted in kind.split() or kind == wanted):
                return entries
    return []
