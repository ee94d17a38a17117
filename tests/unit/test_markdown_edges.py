"""Markdown lines at the edges: images, escapes, raw HTML, fences in lists, plain text."""

from __future__ import annotations

from tuireader.core.formats.markdown import (
    LineInfo,
    LineKind,
    plain_text,
    render_inline,
    render_line,
)


def test_an_image_shows_its_alt_text_and_address() -> None:
    """``![alt](p.png)`` shows '[image: alt] <p.png>'; with no alt text, '[image: image]'."""
    named = render_inline("![a lighthouse](p.png)")
    assert named.text == "[image: a lighthouse] <p.png>"
    assert named.spans == [(0, 21, "link"), (21, 29, "link-url")]
    assert render_inline("![](pic.png)").text == "[image: image] <pic.png>"


def test_backslash_escapes_and_entities_show_the_character() -> None:
    """``\\*`` shows '*' with no emphasis; ``&amp;`` shows '&'."""
    escaped = render_inline("a \\*not em\\* b")
    assert (escaped.text, escaped.spans) == ("a *not em* b", [])
    assert render_inline("fish &amp; chips").text == "fish & chips"


def test_a_stray_closing_tag_is_text() -> None:
    """A closing mark with nothing open (``**`` alone) is shown as written."""
    assert render_inline("a ** b").text == "a ** b"


def test_raw_html_lines_are_shown_as_written() -> None:
    """A raw HTML block line is shown literally (never interpreted), in a quote behind its bar."""
    plain = render_line("<div class='x'>hi</div>", LineInfo(LineKind.HTML))
    assert (plain.text, plain.line_style) == ("<div class='x'>hi</div>", "html")
    quoted = render_line("> <div>hi</div>", LineInfo(LineKind.HTML, quote=1))
    assert (quoted.text, quoted.line_style, quoted.spans) == (
        "▌ <div>hi</div>",
        "html",
        [(0, 2, "quote")],
    )


def test_a_fence_label_inside_a_list_keeps_the_item_indent() -> None:
    """A code fence opening inside a list item shows its language at the item's indent."""
    fence = render_line("   ```python", LineInfo(LineKind.FENCE, text="python", in_list=True))
    assert (fence.text, fence.line_style, fence.block) == ("   python", "fence", True)


def test_plain_text_drops_fences_rules_and_markup() -> None:
    """For search snippets: no '#', no fences, no rules, no emphasis marks; lines kept in order."""
    source = "# Title\n\n```\ncode\n```\n---\n*em* and [link](https://x.org)"
    assert plain_text(source) == "Title\n\ncode\nem and link <https://x.org>"
