"""Fewer bytes to the terminal over SSH: the same screen, said more briefly.

Textual writes every segment with its full style (``ESC[0m`` then ``ESC[38;…;48;…m``),
pads lines with spaces in the background colour, and ends lines with a newline
before moving the cursor anyway.  Over a slow link every byte is latency, so
the SSH profile's driver passes each frame through ``LeanFrames``:

* a style is sent only when the text about to be written needs a different one
  (repeats and reset-then-same pairs vanish);
* a run of padding spaces in a plain colour style becomes "erase N characters,
  move right N" (``ESC[NX ESC[NC``), which paints the same cells;
* a newline directly followed by an absolute cursor move is dropped.

The screen the terminal shows is the same cell for cell (a test replays both
through a small terminal model).  The default profile keeps Textual's own driver.
"""

from __future__ import annotations

import functools
import re

from textual.drivers.linux_driver import LinuxDriver

_TOKEN = re.compile(r"\x1b\[([0-9;:?<>=!]*)([ -/]*[@-~])|\x1b[^\[]|\r?\n|[^\x1b\r\n]+|\r|\x1b")
_PLAIN_CODES = frozenset({"0", "1", "2", "3", "22", "23", "39", "49"})
"""SGR codes under which an erased cell looks like a written space (no underline, reverse...)."""
MIN_PADDING = 12
"""Shorter runs of spaces are cheaper sent as they are."""


def _plain(style: str) -> bool:
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


class LeanFrames:
    """Rewrites Textual's frames briefly, remembering the terminal's style between frames."""

    def __init__(self) -> None:
        """Start with the terminal's style unknown (the first style is always sent)."""
        self.terminal_style: str | None = None
        """The style the terminal has now (``""``: reset; ``None``: unknown)."""
        self.wanted_style = ""
        """The style Textual has asked for, not yet needed by any text."""

    def frame(self, data: str) -> str:
        """The briefer form of one write; an odd write passes unchanged."""
        tokens = list(_TOKEN.finditer(data))
        if any(token.group() == "\x1b" for token in tokens):
            self.terminal_style = None  # a cut sequence: say nothing clever
            return data
        out: list[str] = []
        for position, token in enumerate(tokens):
            text = token.group()
            final = token.group(2)
            if final == "m":
                self._set(token.group(1))
            elif text in ("\n", "\r\n") and _next_moves(tokens, position):
                continue
            elif text[0] in "\x1b\r\n":
                out.append(text)
            else:
                self._text(text, out)
        if self.wanted_style != self.terminal_style:
            out.append(self._switch())
        return "".join(out)

    def _set(self, params: str) -> None:
        """An SGR from Textual: remember it, send it when text needs it."""
        if params in ("", "0"):
            self.wanted_style = ""
        elif params.startswith("0;"):
            self.wanted_style = params[2:]
        elif self.wanted_style:
            self.wanted_style = f"{self.wanted_style};{params}"
        else:
            self.wanted_style = params

    def _switch(self) -> str:
        """The shortest SGR that takes the terminal to the wanted style."""
        wanted = self.wanted_style
        current = self.terminal_style
        self.terminal_style = wanted
        if not wanted:
            return "\x1b[0m"
        if current == "":
            return f"\x1b[{wanted}m"
        if current is not None:
            change = _difference(_parse(current), _parse(wanted))
            if change is not None:
                return f"\x1b[{change}m"
        return f"\x1b[0;{wanted}m"

    def _text(self, text: str, out: list[str]) -> None:
        """Write text in the wanted style; trailing padding as erase-and-move."""
        if self.wanted_style != self.terminal_style:
            out.append(self._switch())
        body = text.rstrip(" ")
        padding = len(text) - len(body)
        if padding >= MIN_PADDING and _plain(self.wanted_style):
            out.append(body)
            out.append(f"\x1b[{padding}X\x1b[{padding}C")
        else:
            out.append(text)


Style = tuple[str | None, str | None, frozenset[str]]
"""A parsed SGR state: foreground, background (their codes), other attributes."""


@functools.lru_cache(maxsize=256)
def _parse(style: str) -> Style | None:
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


def _next_moves(tokens: list[re.Match[str]], position: int) -> bool:
    """Whether the next token that is not a style change moves the cursor absolutely."""
    for token in tokens[position + 1 :]:
        final = token.group(2)
        if final == "m":
            continue
        return final == "H" and "?" not in (token.group(1) or "")
    return False


class LeanLinuxDriver(LinuxDriver):
    """Textual's Linux driver, writing each frame through ``LeanFrames``."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """As ``LinuxDriver``, with a frame rewriter."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._lean = LeanFrames()

    def write(self, data: str) -> None:
        """Write a frame, briefly."""
        super().write(self._lean.frame(data))
