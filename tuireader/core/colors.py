"""Colour values in theme files: parsing, normalising and WCAG contrast, without textual.

Accepted forms (the ones Textual's CSS understands): ``#rgb``, ``#rgba``,
``#rrggbb``, ``#rrggbbaa``, ``rgb(r, g, b)``, ``rgba(r, g, b, a)``,
``hsl(h, s%, l%)``, ``hsla(h, s%, l%, a)``, the CSS named colours,
``transparent`` and the sixteen ANSI names ``ansi_black`` … ``ansi_bright_white``
plus ``ansi_default`` (the terminal's own foreground/background).  A colour
may be followed by an opacity such as ``50%`` where the caller allows it.

Every accepted colour is normalised to ``#RRGGBB``, ``#RRGGBBAA`` or an
``ansi_*`` name, so the UI hands Textual one unambiguous spelling.
"""

from __future__ import annotations

import colorsys
import difflib
import re
from dataclasses import dataclass
from functools import cache

ANSI_NAMES: tuple[str, ...] = (
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "bright_black", "bright_red", "bright_green", "bright_yellow",
    "bright_blue", "bright_magenta", "bright_cyan", "bright_white",
)  # fmt: skip
"""The sixteen ANSI colours, in palette order (index 0–15)."""

ANSI_COLORS: frozenset[str] = frozenset({f"ansi_{name}" for name in ANSI_NAMES} | {"ansi_default"})
"""Every ``ansi_*`` colour name a theme may use."""

# The xterm defaults, used only to estimate contrast (a real terminal has its own palette).
_ANSI_RGB: dict[str, tuple[int, int, int]] = {
    "black": (0, 0, 0), "red": (128, 0, 0), "green": (0, 128, 0), "yellow": (128, 128, 0),
    "blue": (0, 0, 128), "magenta": (128, 0, 128), "cyan": (0, 128, 128),
    "white": (192, 192, 192), "bright_black": (128, 128, 128), "bright_red": (255, 0, 0),
    "bright_green": (0, 255, 0), "bright_yellow": (255, 255, 0), "bright_blue": (0, 0, 255),
    "bright_magenta": (255, 0, 255), "bright_cyan": (0, 255, 255),
    "bright_white": (255, 255, 255),
}  # fmt: skip

# CSS Color Module Level 4 named colours (the set Textual accepts).
NAMED_COLORS: dict[str, str] = {
    "black": "000000", "silver": "c0c0c0", "gray": "808080", "white": "ffffff",
    "maroon": "800000", "red": "ff0000", "purple": "800080", "fuchsia": "ff00ff",
    "green": "008000", "lime": "00ff00", "olive": "808000", "yellow": "ffff00",
    "navy": "000080", "blue": "0000ff", "teal": "008080", "aqua": "00ffff",
    "orange": "ffa500", "aliceblue": "f0f8ff", "antiquewhite": "faebd7",
    "aquamarine": "7fffd4", "azure": "f0ffff", "beige": "f5f5dc", "bisque": "ffe4c4",
    "blanchedalmond": "ffebcd", "blueviolet": "8a2be2", "brown": "a52a2a",
    "burlywood": "deb887", "cadetblue": "5f9ea0", "chartreuse": "7fff00",
    "chocolate": "d2691e", "coral": "ff7f50", "cornflowerblue": "6495ed",
    "cornsilk": "fff8dc", "crimson": "dc143c", "cyan": "00ffff", "darkblue": "00008b",
    "darkcyan": "008b8b", "darkgoldenrod": "b8860b", "darkgray": "a9a9a9",
    "darkgreen": "006400", "darkgrey": "a9a9a9", "darkkhaki": "bdb76b",
    "darkmagenta": "8b008b", "darkolivegreen": "556b2f", "darkorange": "ff8c00",
    "darkorchid": "9932cc", "darkred": "8b0000", "darksalmon": "e9967a",
    "darkseagreen": "8fbc8f", "darkslateblue": "483d8b", "darkslategray": "2f4f4f",
    "darkslategrey": "2f4f4f", "darkturquoise": "00ced1", "darkviolet": "9400d3",
    "deeppink": "ff1493", "deepskyblue": "00bfff", "dimgray": "696969",
    "dimgrey": "696969", "dodgerblue": "1e90ff", "firebrick": "b22222",
    "floralwhite": "fffaf0", "forestgreen": "228b22", "gainsboro": "dcdcdc",
    "ghostwhite": "f8f8ff", "gold": "ffd700", "goldenrod": "daa520",
    "greenyellow": "adff2f", "grey": "808080", "honeydew": "f0fff0",
    "hotpink": "ff69b4", "indianred": "cd5c5c", "indigo": "4b0082", "ivory": "fffff0",
    "khaki": "f0e68c", "lavender": "e6e6fa", "lavenderblush": "fff0f5",
    "lawngreen": "7cfc00", "lemonchiffon": "fffacd", "lightblue": "add8e6",
    "lightcoral": "f08080", "lightcyan": "e0ffff", "lightgoldenrodyellow": "fafad2",
    "lightgray": "d3d3d3", "lightgreen": "90ee90", "lightgrey": "d3d3d3",
    "lightpink": "ffb6c1", "lightsalmon": "ffa07a", "lightseagreen": "20b2aa",
    "lightskyblue": "87cefa", "lightslategray": "778899", "lightslategrey": "778899",
    "lightsteelblue": "b0c4de", "lightyellow": "ffffe0", "limegreen": "32cd32",
    "linen": "faf0e6", "magenta": "ff00ff", "mediumaquamarine": "66cdaa",
    "mediumblue": "0000cd", "mediumorchid": "ba55d3", "mediumpurple": "9370db",
    "mediumseagreen": "3cb371", "mediumslateblue": "7b68ee",
    "mediumspringgreen": "00fa9a", "mediumturquoise": "48d1cc",
    "mediumvioletred": "c71585", "midnightblue": "191970", "mintcream": "f5fffa",
    "mistyrose": "ffe4e1", "moccasin": "ffe4b5", "navajowhite": "ffdead",
    "oldlace": "fdf5e6", "olivedrab": "6b8e23", "orangered": "ff4500", "orchid": "da70d6",
    "palegoldenrod": "eee8aa", "palegreen": "98fb98", "paleturquoise": "afeeee",
    "palevioletred": "db7093", "papayawhip": "ffefd5", "peachpuff": "ffdab9",
    "peru": "cd853f", "pink": "ffc0cb", "plum": "dda0dd", "powderblue": "b0e0e6",
    "rosybrown": "bc8f8f", "royalblue": "4169e1", "saddlebrown": "8b4513",
    "salmon": "fa8072", "sandybrown": "f4a460", "seagreen": "2e8b57",
    "seashell": "fff5ee", "sienna": "a0522d", "skyblue": "87ceeb", "slateblue": "6a5acd",
    "slategray": "708090", "slategrey": "708090", "snow": "fffafa",
    "springgreen": "00ff7f", "steelblue": "4682b4", "tan": "d2b48c", "thistle": "d8bfd8",
    "tomato": "ff6347", "turquoise": "40e0d0", "violet": "ee82ee", "wheat": "f5deb3",
    "whitesmoke": "f5f5f5", "yellowgreen": "9acd32", "rebeccapurple": "663399",
}  # fmt: skip

_NUMBER = r"\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*"
_PERCENT = r"\s*([-+]?(?:\d+\.?\d*|\.\d+))%\s*"


@cache
def _functional() -> tuple[re.Pattern[str], ...]:
    """The ``rgb()``, ``rgba()``, ``hsl()`` and ``hsla()`` patterns (compiled on first use)."""
    return (
        re.compile(rf"rgb\({_NUMBER},{_NUMBER},{_NUMBER}\)"),
        re.compile(rf"rgba\({_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}\)"),
        re.compile(rf"hsl\({_NUMBER},{_PERCENT},{_PERCENT}\)"),
        re.compile(rf"hsla\({_NUMBER},{_PERCENT},{_PERCENT},{_NUMBER}\)"),
    )


_HEX = re.compile(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_OPACITY = re.compile(r"(.*\S)\s+(\d+(?:\.\d*)?)%")


class ColorError(ValueError):
    """A colour value that cannot be used; ``str()`` is a short reason."""


@dataclass(frozen=True)
class Color:
    """A parsed colour: RGB(A), or an ANSI name whose real value the terminal decides."""

    r: int
    g: int
    b: int
    a: float = 1.0
    ansi: str | None = None
    """``ansi_*`` name for an ANSI colour (its r, g, b are xterm's defaults), else ``None``."""

    @property
    def is_ansi(self) -> bool:
        """True for an ANSI colour (the terminal's palette decides what it looks like)."""
        return self.ansi is not None

    @property
    def css(self) -> str:
        """The normalised spelling: ``ansi_*``, ``#RRGGBB`` or ``#RRGGBBAA``."""
        if self.ansi is not None:
            return self.ansi
        text = f"#{self.r:02X}{self.g:02X}{self.b:02X}"
        if self.a < 1.0:
            text += f"{round(self.a * 255):02X}"
        return text

    def over(self, background: Color) -> Color:
        """This colour composited over an opaque ``background`` (for contrast sums)."""
        if self.a >= 1.0 or self.ansi is not None:
            return self
        a = max(0.0, self.a)
        mix = [
            round(top * a + bottom * (1 - a))
            for top, bottom in zip(
                (self.r, self.g, self.b), (background.r, background.g, background.b), strict=True
            )
        ]
        return Color(mix[0], mix[1], mix[2])

    def blend(self, other: Color, amount: float) -> Color:
        """Mix ``amount`` (0–1) of ``other`` into this opaque colour."""
        mix = [
            round(mine * (1 - amount) + theirs * amount)
            for mine, theirs in zip(
                (self.r, self.g, self.b), (other.r, other.g, other.b), strict=True
            )
        ]
        return Color(mix[0], mix[1], mix[2])


def _clamp_byte(value: str) -> int:
    """A 0–255 channel from a number string, clamped as CSS does."""
    return max(0, min(255, int(float(value))))


def _clamp_unit(value: str) -> float:
    """A 0–1 value from a number string, clamped."""
    return max(0.0, min(1.0, float(value)))


def _from_hsl(h: str, s: str, light: str, alpha: float = 1.0) -> Color:
    """Convert CSS HSL parts to a colour."""
    hue = float(h) % 360 / 360
    sat = max(0.0, min(1.0, float(s) / 100))
    lum = max(0.0, min(1.0, float(light) / 100))
    r, g, b = colorsys.hls_to_rgb(hue, lum, sat)
    return Color(round(r * 255), round(g * 255), round(b * 255), alpha)


def parse_color(text: str, *, allow_opacity: bool = False) -> Color:
    """Parse one colour value; raise ``ColorError`` with a short reason if unusable.

    With ``allow_opacity``, a trailing ``NN%`` (as in Textual's ``"#81a1c1 35%"``)
    sets the alpha of an RGB colour.
    """
    if not isinstance(text, str):
        raise ColorError(f"expected a colour string, got {type(text).__name__}")
    value = text.strip()
    if not value:
        raise ColorError("empty colour")
    opacity: float | None = None
    match = _OPACITY.fullmatch(value)
    if match:
        if not allow_opacity:
            raise ColorError(f"{text!r}: an opacity ('NN%') is not allowed here")
        value, opacity = match.group(1), min(100.0, float(match.group(2))) / 100
    color = _parse_plain(value)
    if opacity is not None:
        if color.is_ansi:
            raise ColorError(f"{text!r}: an ANSI colour cannot be partly transparent")
        color = Color(color.r, color.g, color.b, round(color.a * opacity, 4))
    return color


def _parse_plain(text: str) -> Color:
    """Parse a colour without an opacity suffix."""
    lower = text.lower()
    if lower.startswith("ansi_"):
        if lower not in ANSI_COLORS:
            close = difflib.get_close_matches(lower, sorted(ANSI_COLORS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "use ansi_black … ansi_bright_white"
            raise ColorError(f"unknown ANSI colour {text!r}; {hint}")
        if lower == "ansi_default":
            return Color(0, 0, 0, 1.0, ansi=lower)
        r, g, b = _ANSI_RGB[lower[5:]]
        return Color(r, g, b, 1.0, ansi=lower)
    if lower == "transparent":
        return Color(0, 0, 0, 0.0)
    if lower in NAMED_COLORS:
        return _from_hex(NAMED_COLORS[lower])
    if match := _HEX.fullmatch(text):
        return _from_hex(match.group(1))
    if "(" in lower:  # each functional form has one; most theme colours are hex
        rgb_form, rgba_form, hsl_form, hsla_form = _functional()
        if match := rgb_form.fullmatch(lower):
            r, g, b = (_clamp_byte(part) for part in match.groups())
            return Color(r, g, b)
        if match := rgba_form.fullmatch(lower):
            r, g, b = (_clamp_byte(part) for part in match.groups()[:3])
            return Color(r, g, b, _clamp_unit(match.group(4)))
        if match := hsl_form.fullmatch(lower):
            h, s, light = match.groups()
            return _from_hsl(h, s, light)
        if match := hsla_form.fullmatch(lower):
            h, s, light, a = match.groups()
            return _from_hsl(h, s, light, _clamp_unit(a))
    close = difflib.get_close_matches(lower, [*NAMED_COLORS, *sorted(ANSI_COLORS)], n=1)
    hint = f"; did you mean {close[0]!r}?" if close and not text.startswith("#") else ""
    raise ColorError(f"unknown colour {text!r}{hint}")


def _from_hex(digits: str) -> Color:
    """A colour from 3, 4, 6 or 8 hex digits."""
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits)
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
    return Color(r, g, b, alpha)


def normalise_color(text: str, *, allow_opacity: bool = False) -> str:
    """The normalised spelling of a colour value (see ``Color.css``); ``ColorError`` if bad."""
    return parse_color(text, allow_opacity=allow_opacity).css


def relative_luminance(color: Color) -> float:
    """WCAG 2 relative luminance (0 = black, 1 = white) of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast_ratio(foreground: Color | str, background: Color | str) -> float:
    """WCAG 2 contrast ratio (1–21) of a foreground over a background.

    A translucent foreground is first composited over the background; the
    background is treated as opaque.
    """
    if isinstance(background, str):
        background = parse_color(background, allow_opacity=True)
    if isinstance(foreground, str):
        foreground = parse_color(foreground, allow_opacity=True)
    back = Color(background.r, background.g, background.b)
    fore = foreground.over(back)
    lighter, darker = sorted((relative_luminance(fore), relative_luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def best_text_on(background: Color) -> Color:
    """Black or white, whichever reads better on ``background``."""
    black, white = Color(0, 0, 0), Color(255, 255, 255)
    if contrast_ratio(black, background) >= contrast_ratio(white, background):
        return black
    return white
