"""Make outside text safe to draw, print or serialise: nothing from outside may drive the terminal.

Two kinds of outside text, two rules, one set of dangerous characters:

- Names and short labels (file and folder names, titles, authors, notes, tags,
  queries echoed back, error messages): ``display_text`` shows every control
  character visibly as an escape (``\\x1b``, ``\\n``, ``\\u202e``, ...), so an
  escape sequence in a name is drawn as harmless text and a newline never
  breaks a line of output.  Bytes of a file name that are not UTF-8
  (``surrogateescape``) are shown as ``\\xff``.
- Document text: ``strip_control`` removes escape sequences (CSI such as SGR
  colours, OSC, DCS, SOS, PM, APC and two-character ESC sequences) so the words
  of a coloured log stay; an OSC/DCS without terminator is removed to the end
  of its line only.  Any other control character left is shown visibly.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import PurePath
from typing import Any

_BIDI_OVERRIDES = "\u202a-\u202e\u2066-\u2069"
"""Bidirectional embeddings, overrides and isolates: they reorder what is drawn after them."""
_BIDI = f"\u061c\u200e\u200f{_BIDI_OVERRIDES}"
"""All bidirectional controls: the overrides plus the marks (legitimate in RTL documents)."""

_DANGEROUS_CLASS = f"\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_OVERRIDES}"
"""Characters never drawn raw in document text (tab and newline are layout)."""

# Anything that might need cleaning in a document; text without these is returned as is.
_SUSPECT = re.compile(f"[{_DANGEROUS_CLASS}]")

_SEQUENCES = (  # compiled on first use (``_compiled``), as are the rarer patterns below
    # OSC, DCS, SOS, PM, APC (7-bit and 8-bit introducers) up to their terminator or line end.
    "(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)?"
    # CSI (7-bit and 8-bit) with parameters and intermediates.
    "|(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]?"
    # Any other ESC sequence: intermediates then one final byte.
    "|\x1b[ -/]*[0-~]?"
)

# In names every control character is escaped, tab and newline included; also
# line/paragraph separators and lone surrogates (undecodable bytes of file names).
_NAME_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled once, on first use: drawing the first screen needs few of them."""
    return re.compile(pattern)


_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_char(char: str) -> str:
    """The visible escape of one unsafe character."""
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte that was not UTF-8 (surrogateescape)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def display_text(text: object) -> str:
    """Untrusted text as one printable line: every control character as a visible escape.

    Use it for everything that is not document text and reaches a terminal,
    a window title, a notification or a line of CLI output.
    """
    text = os.fsdecode(text) if isinstance(text, bytes) else str(text)
    if _NAME_UNSAFE.search(text) is None:
        return text
    return _NAME_UNSAFE.sub(lambda match: _escape_char(match.group()), text)


def display_cells(*cells: str) -> tuple[str, ...]:
    """Each cell as ``display_text`` shows it (one check for all when none needs escaping)."""
    if _NAME_UNSAFE.search(" ".join(cells)) is None:
        return cells
    return tuple(display_text(cell) for cell in cells)


def display_lines(text: str) -> str:
    """Multi-line untrusted text: each line as ``display_text`` shows it, newlines kept."""
    return "\n".join(display_text(line) for line in text.split("\n"))


def display_path(path: str | PurePath | bytes) -> str:
    """A path as one printable line (see ``display_text``)."""
    return display_text(os.fspath(path))


# ---------------------------------------------------------------- document text

_VISIBLE_IN_DOCUMENT = re.compile(f"[{_DANGEROUS_CLASS}]")
_OVERSTRIKE = "[^\x08\n]\x08"
"""A character then backspace: how ``man`` and ``nroff`` print bold and underline."""


def has_control(text: str) -> bool:
    """Whether ``strip_control`` could change ``text`` (or any of its lines)."""
    if text.isascii():  # checked on the bytes, several times quicker than the regex
        return bool(text.encode("ascii").translate(None, _UTF8_HARMLESS)) or "\r" in text
    return _SUSPECT.search(text) is not None


def strip_control(text: str) -> str:
    """Document text made safe: escape sequences removed, other control characters shown.

    Backspace overstrikes (``X\\bX`` bold, ``_\\bX`` underline) keep the last
    character, as ``less`` shows them; form feeds (page breaks) are dropped.
    """
    if _SUSPECT.search(text) is None:
        return text
    text = _compiled(_SEQUENCES).sub("", text)
    if "\x08" in text:
        text = _compiled(_OVERSTRIKE).sub("", text)
    if "\x0c" in text:
        text = text.replace("\x0c", "")
    return _VISIBLE_IN_DOCUMENT.sub(lambda match: _escape_char(match.group()), text)


# Bytes that never need cleaning in UTF-8 data: everything but C0 controls other
# than tab/LF/CR, DEL, and the lead bytes of C1 controls (0xC2) and bidi overrides (0xE2).
_UTF8_HARMLESS = bytes(
    set(range(256)) - (set(range(0x20)) - {0x09, 0x0A, 0x0D}) - {0x7F, 0xC2, 0xE2}
)
_C1_SECOND = range(0x80, 0xA0)
_BIDI_TAILS = frozenset(
    {b"\x80\xaa", b"\x80\xab", b"\x80\xac", b"\x80\xad", b"\x80\xae"}
    | {b"\x81\xa6", b"\x81\xa7", b"\x81\xa8", b"\x81\xa9"}
)


def _has_pair(data: bytes, lead: int, tails: Any, width: int) -> bool:
    """Whether ``lead`` is followed somewhere by ``width`` bytes found in ``tails``."""
    at = data.find(lead)
    while at != -1:
        tail = data[at + 1] if width == 1 and at + 1 < len(data) else data[at + 1 : at + 1 + width]
        if tail in tails:
            return True
        at = data.find(lead, at + 1)
    return False


def utf8_needs_cleaning(data: bytes) -> bool:
    """Cheap pre-check on UTF-8 bytes: could ``strip_control`` change the decoded text?"""
    leftover = data.translate(None, _UTF8_HARMLESS)
    if not leftover:
        return False
    if leftover.strip(b"\xc2\xe2"):
        return True  # a C0 control or DEL
    return (b"\xc2" in leftover and _has_pair(data, 0xC2, _C1_SECOND, 1)) or (
        b"\xe2" in leftover and _has_pair(data, 0xE2, _BIDI_TAILS, 2)
    )


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR line endings into LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """Normalise newlines, then strip control sequences."""
    return strip_control(normalise_newlines(text))


# ---------------------------------------------------------------- JSON and files

_SURROGATES = "[\ud800-\udfff]"


def unicode_text(text: str) -> str:
    """``text`` encodable as UTF-8: lone surrogates (undecodable name bytes) become U+FFFD."""
    surrogates = _compiled(_SURROGATES)
    if surrogates.search(text) is None:
        return text
    return surrogates.sub("\ufffd", text)


def path_fields(path: str | PurePath, key: str = "path") -> dict[str, str]:
    """JSON fields for a path: ``path`` as valid Unicode, plus ``path_bytes`` (hex) when needed.

    ``path_bytes`` is present only when the name is not valid UTF-8; it holds
    the exact bytes, so ``bytes.fromhex(row["path_bytes"])`` opens the file.
    """
    name = os.fspath(path)
    fields = {key: unicode_text(name)}
    if fields[key] != name:
        fields[f"{key}_bytes"] = os.fsencode(name).hex()
    return fields


def path_from_fields(text: str, hex_bytes: object) -> str:
    """The inverse of ``path_fields``: the exact path, from ``path_bytes`` when it is valid."""
    if isinstance(hex_bytes, str):
        try:
            return os.fsdecode(bytes.fromhex(hex_bytes))
        except ValueError:
            pass
    return text


EXACT_JSON_KEYS = frozenset({"path", "path_bytes"})
"""JSON fields kept exactly as they are (a file's name); every other string is cleaned."""


def json_safe(data: Any, *, exact: bool = False) -> Any:
    """A copy of JSON-ready data whose strings encode as UTF-8 and carry no escape sequence.

    Lone surrogates are replaced; outside the ``EXACT_JSON_KEYS`` fields, escape
    sequences are removed and other control characters escaped visibly (as in
    ``strip_control``), so ``jq -r`` cannot write a title or a note to the terminal raw.
    """
    if isinstance(data, str):
        return unicode_text(data) if exact else strip_control(unicode_text(data))
    if isinstance(data, dict):
        return {
            json_safe(key): json_safe(value, exact=exact or key in EXACT_JSON_KEYS)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [json_safe(item, exact=exact) for item in data]
    return data


_JSON_UNSAFE = f"[\x7f-\x9f{_BIDI}\u2028\u2029]"


def escape_json_text(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with characters that steer a terminal as ``\\uXXXX``.

    ``json.dumps`` already escapes C0 controls; this escapes DEL, C1 and bidi
    marks, which are only legal inside strings, so the JSON stays the same data.
    """
    return _compiled(_JSON_UNSAFE).sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def safe_json(data: Any) -> str:
    """JSON text that is valid UTF-8 and cannot steer a terminal, Unicode kept readable.

    A list is written one compact item per line: readable, and far quicker to
    write for a large library than an indented dump.
    """
    data = json_safe(data)
    if isinstance(data, list):
        rows = ",\n".join(json.dumps(item, ensure_ascii=False) for item in data)
        text = f"[\n{rows}\n]" if data else "[]"
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2)
    return escape_json_text(text)
