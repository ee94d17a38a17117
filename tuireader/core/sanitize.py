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
