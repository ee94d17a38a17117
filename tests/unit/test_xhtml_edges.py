"""(X)HTML to Markdown at the edges: text that looks like markup, huge lines, odd tables."""

from __future__ import annotations

import pytest

from tuireader.core.formats.xhtml import html_to_markdown
from tuireader.core.formats.xhtml_blocks import MAX_CELL_CHARS, MAX_LINE_CHARS


@pytest.mark.parametrize(
    ("html", "line"),
    [
        ("<p>1. not a list</p>", "1\\. not a list"),
        ("<p>2) nor this</p>", "2\\) nor this"),
        ("<p>12345.</p>", "12345\\."),
        ("<p># not a heading</p>", "\\# not a heading"),
        ("<p>- not an item</p>", "\\- not an item"),
        ("<p>&gt; not a quote</p>", "\\> not a quote"),
    ],
)
def test_paragraph_text_that_looks_like_a_block_marker_is_escaped(html: str, line: str) -> None:
    """A paragraph starting '1.', '2)', '#', '-' or '>' stays a paragraph, not a list or heading."""
    assert html_to_markdown(html).lines == [line]


def test_a_huge_paragraph_is_cut_at_spaces_into_lines_that_keep_every_word() -> None:
    """A 40 000-character paragraph becomes lines under the limit holding the same words."""
    words = [f"word{n}" for n in range(5000)]
    lines = html_to_markdown("<p>" + " ".join(words) + "</p>").lines
    assert len(lines) == 3
    assert all(len(line) <= MAX_LINE_CHARS for line in lines)
    assert " ".join(lines).split() == words


def test_a_huge_word_without_spaces_is_cut_at_the_limit() -> None:
    """A run with no space at all is cut at exactly the limit, nothing lost."""
    blob = "x" * (MAX_LINE_CHARS + 10)
    assert html_to_markdown(f"<p>{blob}</p>").lines == ["x" * MAX_LINE_CHARS, "x" * 10]


def test_empty_inline_marks_leave_no_stray_markers() -> None:
    """``<b></b>`` and ``<em> </em>`` give no ``****`` or ``* *``: only the text and its space."""
    assert html_to_markdown("<p>a<b></b>b<em> </em>c</p>").lines == ["ab c"]


def test_cells_without_a_row_still_make_a_table() -> None:
    """``<td>`` directly in ``<table>`` (no ``<tr>``) gives a one-row table."""
    assert html_to_markdown("<table><td>a</td><td>b</td></table>").lines == [
        "| a | b |",
        "|---|---|",
    ]


def test_a_huge_cell_is_cut_with_an_ellipsis() -> None:
    """A cell longer than MAX_CELL_CHARS is cut there and marked with '…'."""
    html = "<table><tr><td>" + "y" * (MAX_CELL_CHARS + 50) + "</td><td>b</td></tr></table>"
    first = html_to_markdown(html).lines[0]
    assert first == "| " + "y" * MAX_CELL_CHARS + "… | b |"


def test_tables_of_empty_cells_or_one_cell() -> None:
    """A table of empty cells gives nothing; a one-cell table gives its text as a line."""
    assert html_to_markdown("<table><tr><td></td><td> </td></tr></table>").lines == []
    assert html_to_markdown("<table><tr><td>only</td></tr></table>").lines == ["only"]
    assert html_to_markdown("<table><tr><td></td></tr></table><p>after</p>").lines == ["after"]


def test_short_rows_are_padded_and_pipes_in_cells_escaped() -> None:
    """Rows shorter than the widest get empty cells; a '|' in a cell is escaped."""
    html = (
        "<table><tr><th>h1</th><th>h2</th></tr><tr><td>1</td></tr>"
        "<tr><td>a|b</td><td>c</td></tr></table>"
    )
    assert html_to_markdown(html).lines == [
        "| h1 | h2 |",
        "|---|---|",
        "| 1 |  |",
        "| a\\|b | c |",
    ]


@pytest.mark.parametrize("tail", ["", "</td>", "</tr>"])
def test_a_table_never_closed_is_kept(tail: str) -> None:
    """A page cut short inside a table keeps the rows read so far (nothing silently lost)."""
    html = "<p>before</p><table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4" + tail
    assert html_to_markdown(html).lines == [
        "before",
        "",
        "| 1 | 2 |",
        "|---|---|",
        "| 3 | 4 |",
    ]
