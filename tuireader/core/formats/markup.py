"""Bytes of XML and HTML to text, and XML parsed safely.

Shared by the EPUB package reader, the XHTML converter and the HTML article
reader.  XML is parsed with defusedxml: a document that declares entities
(billion laughs) or points at external ones (XXE) is refused, never expanded.
HTML's named entities that XML does not know (``&nbsp;``, ``&eacute;``) are
turned into character references first, as a browser would read them.
"""

from __future__ import annotations

import codecs
import re
from html.entities import html5
from typing import Any

from tuireader.core.textload import bom_encoding

_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


class UnsafeXmlError(ValueError):
    """XML that declares or references entities; refused rather than expanded."""


def markup_encoding(data: bytes) -> str:
    """The encoding of XML/HTML bytes: BOM, XML declaration, ``<meta charset>``, else UTF-8."""
    encoding, _ = bom_encoding(data)
    if encoding is not None:
        return "utf-8-sig" if encoding == "utf-8" else encoding[:6]
    head = data[:4096]
    match = _XML_DECL_ENCODING.match(head) or _META_CHARSET.search(head)
    if match:
        name = match.group(1).decode("ascii", "replace")
        try:
            found = codecs.lookup(name).name
        except LookupError:
            return "utf-8"
        # A page saved as UTF-16 cannot declare itself in ASCII bytes: ignore such claims.
        return "utf-8" if found.startswith(("utf-16", "utf-32")) else found
    return "utf-8"


def decode_markup(data: bytes) -> str:
    """Decode XML/HTML bytes to text; undecodable bytes become U+FFFD."""
    encoding = markup_encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8":
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        return data.decode(encoding, errors="replace")


def html_entities_to_refs(text: str) -> str:
    """Replace HTML named entities that XML lacks with numeric character references."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        value = html5.get(name + ";")
        if value is None:
            return match.group(0)
        return "".join(f"&#{ord(char)};" for char in value)

    if "&" not in text:
        return text
    return _NAMED_ENTITY.sub(replace, text)


def parse_xml(text: str) -> Any:
    """Parse XML text into an ElementTree element, refusing entity tricks.

    Raises ``UnsafeXmlError`` for entity declarations or external references and
    ``ValueError`` (with the parser's reason) for malformed XML.
    """
    import defusedxml.ElementTree as safe_tree
    from defusedxml.common import DefusedXmlException

    body = html_entities_to_refs(_XML_DECL.sub("", text, count=1))
    try:
        return safe_tree.fromstring(body, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as error:
        raise UnsafeXmlError(f"declares XML entities ({type(error).__name__}), refused") from None
    except SyntaxError as error:  # xml.etree.ElementTree.ParseError
        raise ValueError(f"malformed XML ({error})") from None


def local_name(tag: object) -> str:
    """An element's tag without its namespace, lower-cased ('' for comments)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def attr(element: Any, name: str) -> str | None:
    """An attribute by local name, whatever its namespace."""
    value = element.get(name)
    if value is not None:
        return str(value)
    for key, found in element.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return str(found)
    return None


def text_of(element: Any) -> str:
    """All text inside an element, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())
