"""Syntax highlighting of Markdown code blocks with Pygments (imported only when needed).

The result is neutral: per line of code, ``(start, end, "syntax:<token type>")``
spans; the UI turns token types into colours (Rich's syntax themes).  Code
without a known language is left plain, as is code too long to lex quickly.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tuireader.core.formats.styled import SYNTAX_PREFIX

__all__ = ["MAX_CODE_CHARS", "SYNTAX_PREFIX", "LineSpans", "highlight_code", "language_of"]

MAX_CODE_CHARS = 200_000
"""Longer code blocks are shown without highlighting."""

LineSpans = tuple[tuple[int, int, str], ...]


def language_of(info: str) -> str:
    """The language named by a fence's info string (its first word), lower-cased."""
    words = info.split()
    return words[0].lower().strip("{}.") if words else ""


@lru_cache(maxsize=128)
def _lexer(language: str) -> Any:
    """The Pygments lexer for ``language``, or None when Pygments knows no such language."""
    if not language:
        return None
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=True)
    except ClassNotFound:
        return None


@lru_cache(maxsize=64)
def highlight_code(code: str, language: str) -> tuple[LineSpans, ...]:
    """Spans for each line of ``code`` in ``language`` (empty when not highlighted)."""
    lexer = _lexer(language)
    if lexer is None or len(code) > MAX_CODE_CHARS:
        return ()
    lines: list[list[tuple[int, int, str]]] = [[]]
    column = 0
    for token_type, value in lexer.get_tokens(code):
        name = SYNTAX_PREFIX + str(token_type)
        pieces = value.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                lines.append([])
                column = 0
            if piece and not str(token_type).startswith("Token.Text"):
                lines[-1].append((column, column + len(piece), name))
            column += len(piece)
    return tuple(tuple(line) for line in lines)
