"""Links in a document: finding them in a Markdown line, resolving where they lead.

A link is internal (``#anchor``: a heading of this document), to another
document (a relative path, maybe with ``#anchor``), or external (a URL with a
scheme such as ``https:`` or ``mailto:``: shown, never opened without asking).
Anchors are GitHub-style heading slugs, ``L42`` (line 42) or an explicit
``{#id}`` / ``<a id="id">`` on a line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from tuireader.core.formats.markdown import heading_text

LinkKind = Literal["internal", "document", "external", "missing"]

_LINKISH = re.compile(r"\[|<[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_EXPLICIT_ID = re.compile(r"""\{#([^}\s]+)\}|<a\s[^>]*(?:id|name)\s*=\s*["']([^"']+)["']""")
_LINE_ANCHOR = re.compile(r"L(\d+)")
_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


@lru_cache(maxsize=1)
def _parser() -> Any:
    """A markdown-it parser for inline links (commonmark)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


@dataclass(frozen=True, slots=True)
class Link:
    """A link in a line: what it shows and where it points (an image counts, by its source)."""

    label: str
    target: str


def links_in_line(text: str) -> list[Link]:
    """The links and images of one Markdown source line, in the order they are drawn."""
    if _LINKISH.search(text) is None:
        return []
    try:
        tokens = _parser().parseInline(text)
    except Exception:  # pragma: no cover - markdown-it should not fail; text is data
        return []
    children = (tokens[0].children or []) if tokens else []
    found: list[Link] = []
    open_links: list[tuple[int, str]] = []
    label: list[str] = []
    for token in children:
        if token.type == "link_open":
            open_links.append((len(found), str(token.attrGet("href") or "")))
            found.append(Link("", ""))
            label = []
        elif token.type == "link_close" and open_links:
            index, href = open_links.pop()
            found[index] = Link("".join(label).strip(), href)
        elif token.type == "image":
            found.append(Link(token.content or "image", str(token.attrGet("src") or "")))
        elif token.type in ("text", "code_inline") and open_links:
            label.append(token.content)
    return [link for link in found if link.target]


def is_external(target: str) -> bool:
    """Whether ``target`` is a URL with a scheme other than ``file:`` (Windows drives aside)."""
    scheme = urlsplit(target).scheme
    return len(scheme) > 1 and scheme.lower() != "file"


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a link leads."""

    kind: LinkKind
    path: Path | None = None
    """The document (``None`` for an external URL)."""
    anchor: str = ""
    url: str = ""


def resolve_link(target: str, document: Path) -> Destination:
    """Where ``target`` (a link in ``document``) leads; a relative path is from its folder."""
    target = target.strip()
    if is_external(target):
        return Destination("external", url=target)
    parts = urlsplit(target)
    anchor = unquote(parts.fragment)
    if not parts.path:
        return Destination("internal", document, anchor)
    path = Path(unquote(parts.path)).expanduser()
    if not path.is_absolute():
        path = document.parent / path
    if not path.is_file():
        return Destination("missing", path, anchor)
    return Destination("document", path, anchor)


def slugify(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to ``-``."""
    text = unicodedata.normalize("NFC", heading).strip().lower()
    return _SLUG_DROP.sub("", text).replace(" ", "-")


def find_anchor(lines: Iterable[str], anchor: str) -> int | None:
    """The 1-based line ``anchor`` names in ``lines``, or ``None`` if none does."""
    if not anchor:
        return None
    numbered = _LINE_ANCHOR.fullmatch(anchor)
    wanted = slugify(anchor)
    seen: dict[str, int] = {}
    in_fence = False
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for explicit in _EXPLICIT_ID.finditer(line):
            if anchor in explicit.groups():
                return number
        parsed = heading_text(line)
        if parsed is None:
            continue
        slug = slugify(parsed[1])
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        if (slug if count == 0 else f"{slug}-{count}") in (anchor, wanted):
            return number
    if numbered:
        return int(numbered.group(1))
    return None


def heading_anchor(headings: Iterable[tuple[int, str]], anchor: str) -> int | None:
    """The 1-based line of the heading ``anchor`` names among (line, heading text) pairs."""
    wanted = slugify(anchor)
    seen: dict[str, int] = {}
    for line, text in headings:
        slug = slugify(text)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        if (slug if count == 0 else f"{slug}-{count}") in (anchor, wanted):
            return line
    numbered = _LINE_ANCHOR.fullmatch(anchor)
    return int(numbered.group(1)) if numbered else None
