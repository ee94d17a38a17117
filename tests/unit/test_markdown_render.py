"""Markdown lines become text plus named style spans; nothing is lost or interpreted."""

from __future__ import annotations

from tuireader.core.formats.markdown import LineKind, heading_text, render_line, render_plain


def styles(line: str) -> dict[str, str]:
    """Map each styled piece of a rendered line to its style name."""
    rendered = render_line(line)
    return {rendered.text[start:end]: name for start, end, name in rendered.spans}


def test_heading_levels() -> None:
    """Headings render without '#' or inline markup, with their level; '#hashtag' is no heading."""
    first = render_line("# Title *here*")
    assert first.text == "Title here" and first.line_style == "h1"
    assert render_line("### Third ###").line_style == "h3"
    assert heading_text("## Two `code`") == (2, "Two code")
    assert heading_text("#hashtag") is None


def test_inline_styles_and_links() -> None:
    """Emphasis, strong, code and links get their styles; a link shows its text and URL."""
    found = styles("Some *em* and **strong** and `code` and [a link](https://x.org).")
    assert found["em"] == "em"
    assert found["strong"] == "strong"
    assert found["code"] == "code"
    assert found["a link"] == "link"
    assert render_line("[a link](https://x.org)").text == "a link <https://x.org>"


def test_lists_quotes_rules_and_code() -> None:
    """List bullets and indent, quote bars, '---' rules; code lines stay literal."""
    item = render_line("  - item with *em*")
    assert item.text == "  • item with em" and item.indent == 4
    assert render_line("3. third").text == "3. third"
    quote = render_line("> quoted **bold**")
    assert quote.text == "▌ quoted bold" and quote.line_style == "quote"
    assert render_line("---").rule
    code = render_line("# not a heading *x*", LineKind.CODE)
    assert code.text == "# not a heading *x*" and code.line_style == "code-block"


def test_markup_like_text_stays_literal() -> None:
    """Rich-markup-like text renders literally in Markdown and plain modes."""
    text = "[bold]x[/bold] and [@click=app.quit]quit[/]"
    assert render_line(text).text == text
    assert render_plain(text).text == text
