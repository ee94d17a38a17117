"""SGR (colour and attribute) states as Textual writes them, and the briefest switch between two.

A style is the parameter string of one ``ESC[…m`` after a reset (``""`` is the
terminal's default).  No Textual here: the frame model and its tests use it alone.
"""

from __future__ import annotations

import functools

_PLAIN_CODES = frozenset({"0", "1", "2", "3", "22", "23", "39", "49"})
"""SGR codes under which an erased cell looks like a written space (no underline, reverse...)."""

Style = tuple[str | None, str | None, frozenset[str]]
"""A parsed SGR state: foreground, background (their codes), other attributes."""


@functools.lru_cache(maxsize=512)
def plain(style: str) -> bool:
    """Whether erasing under ``style`` paints what spaces would (colours and weight only)."""
    codes = style.split(";") if style else []
    index = 0
    while index < len(codes):
        code = codes[index]
        if code in ("38", "48"):
            index += 3 if codes[index + 1 : index + 2] == ["5"] else 5
            continue
        if code not in _PLAIN_CODES and not (code.isdigit() and 30 <= int(code) <= 107):
            return False
        index += 1
    return True


def combine(current: str, params: str) -> str:
    """The style after ``ESC[{params}m`` is applied to ``current`` (as Textual writes them)."""
    if params in ("", "0"):
        return ""
    if params.startswith("0;"):
        return params[2:]
    return f"{current};{params}" if current else params


@functools.lru_cache(maxsize=256)
def parse(style: str) -> Style | None:
    """An SGR parameter string as (fg, bg, attributes); ``None`` if not understood."""
    codes = style.split(";")
    fg: str | None = None
    bg: str | None = None
    flags: set[str] = set()
    index = 0
    while index < len(codes):
        code = codes[index]
        if code in ("38", "48"):
            size = 3 if codes[index + 1 : index + 2] == ["5"] else 5
            value = ";".join(codes[index : index + size])
            fg, bg = (value, bg) if code == "38" else (fg, value)
            index += size
            continue
        if not code.isdigit():
            return None
        number = int(code)
        if number == 0:
            fg, bg, flags = None, None, set()
        elif 30 <= number <= 37 or 90 <= number <= 97 or number == 39:
            fg = None if number == 39 else code
        elif 40 <= number <= 47 or 100 <= number <= 107 or number == 49:
            bg = None if number == 49 else code
        elif number < 10:
            flags.add(code)
        else:
            return None
        index += 1
    return fg, bg, frozenset(flags)


def _difference(current: Style | None, wanted: Style | None) -> str | None:
    """SGR parameters changing ``current`` into ``wanted`` without a reset, if possible."""
    if current is None or wanted is None or not current[2] <= wanted[2]:
        return None
    parts = sorted(wanted[2] - current[2])
    if wanted[0] != current[0]:
        parts.append(wanted[0] or "39")
    if wanted[1] != current[1]:
        parts.append(wanted[1] or "49")
    return ";".join(parts) if parts else None


@functools.lru_cache(maxsize=1024)
def switch(current: str | None, wanted: str) -> str:
    """The shortest SGR taking the terminal from ``current`` (``None``: unknown) to ``wanted``."""
    if current == wanted:
        return ""
    if not wanted:
        return "\x1b[0m"
    if current == "":
        return f"\x1b[{wanted}m"
    if current is not None:
        if parse(current) == parse(wanted) is not None:
            return ""
        change = _difference(parse(current), parse(wanted))
        if change is not None:
            return f"\x1b[{change}m"
    return f"\x1b[0;{wanted}m"


@functools.lru_cache(maxsize=1024)
def blank_style(style: str) -> str:
    """What of ``style`` a space shows: its background (all of it under lines or reverse)."""
    parsed = parse(style) if style else None
    if parsed is None or parsed[2] & {"4", "7", "9"}:
        return style
    return parsed[1] or ""
