"""The neutral shapes a rendered line takes: style names, line kinds, styled lines.

Shared by the Markdown renderer (``markdown.py``), the block parse
(``blocks.py``) and the reader, which draws plain text with ``render_plain``
without loading the Markdown modules (start-up time: tests/unit/test_startup_imports.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

SYNTAX_PREFIX = "syntax:"
"""Style names of highlighted code: this prefix and a Pygments token type (``codehighlight``)."""

STYLE_NAMES = (
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "em",
    "strong",
    "strike",
    "code",
    "code-block",
    "fence",
    "link",
    "link-url",
    "quote",
    "bullet",
    "rule",
    "front-matter",
    "html",
)
"""Every style name a span or a line may carry."""


class LineKind(Enum):
    """The block context of a source line (from the block parse, ``formats/blocks.py``)."""

    NORMAL = "normal"
    CODE = "code"
    FENCE = "fence"
    FRONT_MATTER = "front-matter"
    HEADING = "heading"
    SETEXT_UNDERLINE = "setext-underline"
    HTML = "html"
    RULE = "rule"


@dataclass(frozen=True, slots=True)
class LineInfo:
    """What the block parse knows of one source line, for ``render_line``."""

    kind: LineKind = LineKind.NORMAL
    level: int = 0
    """Heading level (1-6) of a heading line."""
    quote: int = 0
    """How many block quotes hold the line."""
    in_list: bool = False
    """Whether a list item holds the line."""
    text: str | None = None
    """A code line's code (container markers removed); the front-matter header;
    an opening fence's language label."""
    spans: tuple[tuple[int, int, str], ...] = ()
    """Syntax-highlighting spans over ``text`` (style names ``syntax:<token type>``)."""


@dataclass(slots=True)
class StyledLine:
    """One rendered source line: text, style spans over it, and wrapping hints."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    line_style: str | None = None
    """A style for the whole line (headings, code blocks, quotes)."""
    indent: int = 0
    """Cells to indent continuation rows by when the line wraps (list items)."""
    rule: bool = False
    """True for a thematic break, drawn as a rule across the measure."""
    flow: bool = False
    """Paragraph text: joins the flowing lines next to it into one reflowed block."""
    opens: bool = False
    """Starts a new block even after a flowing line (a list item)."""
    closes: bool = False
    """Ends its block: the next line starts a new row (a hard line break)."""
    hidden: bool = False
    """Shown as no row at all (front matter under its header, setext underlines, fences)."""
    block: bool = False
    """A code-block row: its background runs across the whole measure."""


def render_plain(line: str) -> StyledLine:
    """A plain-text line, shown exactly as written."""
    return StyledLine(line)
