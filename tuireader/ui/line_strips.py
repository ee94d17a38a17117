"""Styled lines to strips for the reading pane, and code-token colours (Rich syntax themes)."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual.strip import Strip

from tuireader.core.formats.styled import SYNTAX_PREFIX, StyledLine
from tuireader.core.wrap import wrap_offsets

SYNTAX_THEMES = {True: "monokai", False: "default"}
"""Pygments styles (through Rich) for code blocks on dark and light themes."""


def syntax_style(name: str, dark: bool) -> Style:
    """The colour and emphasis of a Pygments token type (``syntax:Token.Keyword``)."""
    from pygments.token import string_to_tokentype
    from rich.syntax import Syntax

    theme = Syntax.get_theme(SYNTAX_THEMES[dark])
    found = theme.get_style_for_token(string_to_tokentype(name[len(SYNTAX_PREFIX) :]))
    return Style(color=found.color, bold=found.bold, italic=found.italic)


class SyntaxStyles:
    """A cache of token styles for the current theme (cleared when the theme changes)."""

    def __init__(self) -> None:
        """An empty cache."""
        self._styles: dict[tuple[str, bool], Style] = {}

    def style(self, name: str, dark: bool) -> Style:
        """The style of token type ``name`` on a dark (or light) page."""
        key = (name, dark)
        found = self._styles.get(key)
        if found is None:
            found = self._styles[key] = syntax_style(name, dark)
        return found

    def clear(self) -> None:
        """Forget every style (the theme changed)."""
        self._styles.clear()


def wrap_styled(
    styled: StyledLine,
    width: int,
    styles: dict[str, Style],
    style_for: Callable[[str], Style | None],
    console: Console,
) -> tuple[list[Strip], list[int]]:
    """Strips of at most ``width`` cells for ``styled``, and where each row starts in its text.

    ``styles`` maps line styles (``h1``, ``code-block``) to Rich styles;
    ``style_for`` does the same for span names (code tokens included).
    """
    base = styles.get(styled.line_style or "", Style())
    if styled.hidden:
        return [], [0]
    if styled.rule:
        return [Strip([Segment("─" * width, base)])], [0]
    text = Text(styled.text, end="", no_wrap=True)
    if styled.line_style and styled.text:
        # Text.render ignores Text.style, so the line's style is a span under the others.
        text.spans.append(Span(0, len(styled.text), base))
    for start, end, name in styled.spans:
        style = style_for(name)
        if style is not None and end > start:
            text.spans.append(Span(start, end, style))
    breaks = wrap_offsets(styled.text, width, cell_len, styled.indent)
    pieces = text.divide(breaks) if breaks else [text]
    strips: list[Strip] = []
    for number, piece in enumerate(pieces):
        piece.rstrip()
        if number:
            piece = Text(" " * min(styled.indent, width - 1), end="") + piece
        strip = Strip(list(piece.render(console))).crop(0, width)
        if styled.block:
            strip = strip.extend_cell_length(width, base)
        strips.append(strip)
    return strips or [Strip([])], [0, *breaks]
