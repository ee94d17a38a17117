"""A document's identity apart from its path: the hash of its normalised text.

Two copies of a book at different paths (another machine, a renamed folder,
CRLF line ends, a different Unicode form) have the same ``text_fingerprint``,
so their bookmarks and highlights are found by it when the path differs.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from tuireader.core.formats.registry import format_of

PREFIX = "text:blake2b:"


def normalise_line(line: str) -> str:
    """One line as compared: Unicode NFC, whitespace runs collapsed, ends stripped."""
    return " ".join(unicodedata.normalize("NFC", line).split())


def text_fingerprint(lines: Iterable[str]) -> str:
    """The hash of the text's lines with whitespace collapsed and blank lines left out."""
    digest = hashlib.blake2b(digest_size=16)
    for line in lines:
        normal = normalise_line(line)
        if normal:
            digest.update(normal.encode("utf-8", "surrogatepass"))
            digest.update(b"\n")
    return PREFIX + digest.hexdigest()


def file_text_fingerprint(path: Path) -> str:
    """``text_fingerprint`` of a document on disk; raises ``DocumentError`` if unusable."""
    return text_fingerprint(format_of(path).text_lines(path))
