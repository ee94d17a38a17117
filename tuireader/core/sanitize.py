"""Make document text safe to draw or print: no byte of a document may drive the terminal.

Escape sequences (CSI, OSC, DCS, APC, PM, SOS and two-character ESC sequences),
C0 and C1 control characters other than tab and newline, DEL, and bidirectional
override/isolate characters are removed.
"""

from __future__ import annotations

import re

# Anything that might need cleaning; text without these characters is returned as is.
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_SEQUENCES = re.compile(
    # OSC, DCS, SOS, PM, APC (7-bit and 8-bit introducers) up to their terminator or line end.
    "(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)?"
    # CSI (7-bit and 8-bit) with parameters and intermediates.
    "|(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]?"
    # Any other ESC sequence: intermediates then one final byte.
    "|\x1b[ -/]*[0-~]?"
)

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# Bytes that never need cleaning in UTF-8 data: everything but C0 controls other
# than tab/LF/CR, DEL, and the lead bytes of C1 controls (0xC2) and bidi controls (0xE2).
_UTF8_HARMLESS = bytes(
    set(range(256)) - (set(range(0x20)) - {0x09, 0x0A, 0x0D}) - {0x7F, 0xC2, 0xE2}
)
_C1_SECOND = range(0x80, 0xA0)
_BIDI_TAILS = frozenset(
    {b"\x80\xaa", b"\x80\xab", b"\x80\xac", b"\x80\xad", b"\x80\xae"}
    | {b"\x81\xa6", b"\x81\xa7", b"\x81\xa8", b"\x81\xa9"}
)


def utf8_needs_cleaning(data: bytes) -> bool:
    """Cheap pre-check on UTF-8 bytes: could ``strip_control`` change the decoded text?"""
    leftover = data.translate(None, _UTF8_HARMLESS)
    if not leftover:
        return False
    if leftover.strip(b"\xc2\xe2"):
        return True  # a C0 control or DEL
    if b"\xc2" in leftover:
        at = data.find(b"\xc2")
        while at != -1:
            if at + 1 < len(data) and data[at + 1] in _C1_SECOND:
                return True
            at = data.find(b"\xc2", at + 1)
    if b"\xe2" in leftover:
        at = data.find(b"\xe2")
        while at != -1:
            if data[at + 1 : at + 3] in _BIDI_TAILS:
                return True
            at = data.find(b"\xe2", at + 1)
    return False


def strip_control(text: str) -> str:
    """Remove terminal control sequences and dangerous characters from ``text``."""
    if _SUSPECT.search(text) is None:
        return text
    text = _SEQUENCES.sub("", text)
    return _CONTROLS.sub("", text)


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR line endings into LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """Normalise newlines, then strip control sequences."""
    return strip_control(normalise_newlines(text))
