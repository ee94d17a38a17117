"""The chunked CommonMark block parse equals the whole-document parse; blocks by line.

The examples are the CommonMark spec's (0.31.2) for the block sections, kept in
``data/commonmark_block_examples.json`` (the spec is CC-BY-SA 4.0).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tuireader.core.formats.blocks import BlockContext
from tuireader.core.formats.codehighlight import highlight_code, language_of
from tuireader.core.formats.markdown import LineKind
from tuireader.core.formats.mdblocks import ChunkedParse, parse_chunked, parse_tokens
from tuireader.core.lineindex import LineIndex

DATA = json.loads(
    (Path(__file__).parent / "data" / "commonmark_block_examples.json").read_text("utf-8")
)
EXAMPLES: list[dict[str, Any]] = DATA["examples"]
REQUIRED = {
    "ATX headings",
    "Setext headings",
    "Indented code blocks",
    "Fenced code blocks",
    "Block quotes",
    "List items",
    "Lists",
}


def _lines(markdown: str) -> list[str]:
    """The lines of an example (the spec's examples end with a newline)."""
    lines = markdown.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _signature(tokens: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Everything a token says about block structure."""
    return [
        (t.type, t.tag, t.nesting, t.level, t.map, t.info, t.markup, t.content, t.hidden)
        for t in tokens
    ]


def test_the_examples_cover_the_block_sections() -> None:
    """Every section the reader relies on is there, with the spec's number of examples."""
    counts: dict[str, int] = defaultdict(int)
    for example in EXAMPLES:
        counts[example["section"]] += 1
    assert set(counts) >= REQUIRED
    assert counts["ATX headings"] == 18 and counts["Setext headings"] == 27
    assert counts["Fenced code blocks"] == 29 and counts["Indented code blocks"] == 12
    assert counts["List items"] == 48 and counts["Lists"] == 26
    assert counts["Block quotes"] == 25


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: f"ex{example['example']}")
def test_chunked_parse_equals_whole_parse_on_each_example(example: dict[str, Any]) -> None:
    """For every chunk size, the chunked parse of a spec example equals the whole parse."""
    lines = _lines(example["markdown"])
    whole = _signature(parse_tokens(lines))
    for size in range(1, len(lines) + 2):
        assert _signature(parse_chunked(lines, size)) == whole, (example["example"], size)


@pytest.mark.parametrize("section", sorted(REQUIRED | {"Tabs", "Thematic breaks", "HTML blocks"}))
def test_chunked_parse_equals_whole_parse_on_each_section(section: str) -> None:
    """All of a section's examples as one document: same tokens, and really cut in chunks."""
    markdown = "\n".join(e["markdown"] for e in EXAMPLES if e["section"] == section)
    lines = _lines(markdown)
    whole = _signature(parse_tokens(lines))
    for size in (1, 2, 3, 5, 8, 13, 40):
        assert _signature(parse_chunked(lines, size)) == whole, size
    parse = ChunkedParse(0, 3)
    chunks = 0
    while parse.advance(lambda a, b: lines[a:b], len(lines), True) is not None:
        chunks += 1
    assert chunks > 1  # the document was parsed in several chunks


def test_growing_document_commits_only_what_later_lines_cannot_change() -> None:
    """Parsing while lines arrive (the index still scanning) ends as the whole parse."""
    text = "\n".join(e["markdown"] for e in EXAMPLES)
    lines = _lines(text)
    parse = ChunkedParse(0, 7)
    tokens: list[Any] = []
    for known in range(0, len(lines) + 1, 11):
        while (committed := parse.advance(lambda a, b: lines[a:b], known, False)) is not None:
            tokens.extend(committed)
            assert parse.clean <= known
    while (committed := parse.advance(lambda a, b: lines[a:b], len(lines), True)) is not None:
        tokens.extend(committed)
    assert parse.finished
    assert _signature(tokens) == _signature(parse_tokens(lines))


DOCUMENT = """---
title: Field notes
author: A. Reader
date: 2026-12-01
---

Field Notes
===========

Intro *text*.

Second Part
-----------

```python
import os
def f():
    return 1
```

    indented code

> quoted
> ```
> in a quote
> ```

- item
# Not setext
"""


@pytest.fixture
def blocks(tmp_path: Path) -> BlockContext:
    """The block context of ``DOCUMENT`` (scanned), parsed in small chunks."""
    path = tmp_path / "doc.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    index = LineIndex(path, markdown=True)
    index.scan()
    return BlockContext(index, chunk_lines=3)


def test_blocks_by_line(blocks: BlockContext) -> None:
    """Front matter, setext headings, fences, code and quotes are known for each line."""
    lines = DOCUMENT.split("\n")
    info = {number: blocks.info(number) for number in range(len(lines) - 1)}
    assert [info[n].kind for n in range(5)] == [LineKind.FRONT_MATTER] * 5
    assert info[0].text == "Field notes · A. Reader · 2026-12-01"
    assert all(info[n].text is None for n in range(1, 5))
    title = lines.index("Field Notes")
    assert (info[title].kind, info[title].level) == (LineKind.HEADING, 1)
    assert info[title + 1].kind is LineKind.SETEXT_UNDERLINE
    second = lines.index("Second Part")
    assert (info[second].kind, info[second].level) == (LineKind.HEADING, 2)
    fence = lines.index("```python")
    assert info[fence].kind is LineKind.FENCE and info[fence].text == "python"
    assert info[fence + 1].kind is LineKind.CODE and info[fence + 1].text == "import os"
    assert "syntax:Token.Keyword.Namespace" in {name for _, _, name in info[fence + 1].spans}
    assert info[fence + 4].kind is LineKind.FENCE and info[fence + 4].text is None
    indented = lines.index("    indented code")
    assert info[indented].kind is LineKind.CODE and info[indented].text == "indented code"
    quoted = lines.index("> in a quote")
    assert info[quoted].kind is LineKind.CODE and info[quoted].quote == 1
    assert info[quoted].text == "in a quote"
    assert blocks.info(lines.index("# Not setext")).kind is LineKind.HEADING


def test_headings_include_setext_ones(blocks: BlockContext) -> None:
    """The contents list ATX and setext headings with their levels, in order."""
    found = [(level, text) for _, level, text in blocks.headings()]
    assert found == [(1, "Field Notes"), (2, "Second Part"), (1, "Not setext")]


def test_highlight_code_and_languages() -> None:
    """Python is highlighted line by line; an unknown language is left plain."""
    spans = highlight_code("def f():\n    return 1\n", "python")
    assert spans[0][0] == (0, 3, "syntax:Token.Keyword")
    assert (4, 10, "syntax:Token.Keyword") in spans[1]
    assert highlight_code("x", "no-such-language") == ()
    assert language_of("{.python title='x'}") == "python"
    assert language_of("") == ""


def test_rendering_lines_the_parse_decided() -> None:
    """Hidden lines, fence labels, code in lists and quotes, headings in quotes, lazy lines."""
    from tuireader.core.formats.markdown import LineInfo, render_line

    assert render_line("=====", LineInfo(LineKind.SETEXT_UNDERLINE, 1)).hidden
    assert render_line("```", LineInfo(LineKind.FENCE)).hidden
    label = render_line("```python", LineInfo(LineKind.FENCE, text="python"))
    assert (label.text, label.line_style, label.hidden) == ("python", "fence", False)
    code = render_line("    x = 1", LineInfo(LineKind.CODE, text="x = 1", spans=((0, 1, "n"),)))
    assert (code.text, code.spans, code.block) == ("x = 1", [(0, 1, "n")], True)
    listed = render_line("   x = 1", LineInfo(LineKind.CODE, in_list=True, text="x = 1"))
    assert listed.text == "   x = 1"
    quoted = render_line("> x = 1", LineInfo(LineKind.CODE, quote=1, text="x = 1"))
    assert quoted.text == "▌ x = 1" and quoted.spans[0] == (0, 2, "quote")
    heading = render_line("> ## Title *x*", LineInfo(LineKind.HEADING, 2, quote=1))
    assert (heading.text, heading.line_style) == ("▌ Title x", "h2")
    setext = render_line("Title", LineInfo(LineKind.HEADING, 1))
    assert (setext.text, setext.line_style) == (" Title ", "h1")  # a band: a space either side
    lazy = render_line("lazy", LineInfo(quote=1))
    assert lazy.text == "▌ lazy" and lazy.line_style == "quote"
    assert render_line("title: x", LineInfo(LineKind.FRONT_MATTER)).hidden
    header = render_line("---", LineInfo(LineKind.FRONT_MATTER, text="T · 2024"))
    assert (header.text, header.line_style) == ("T · 2024", "front-matter")


def test_front_matter_summary() -> None:
    """The header names title, author(s), date, category and tags; else counts lines."""
    from tuireader.core.formats.frontmatter import front_matter_summary

    text = "title: T\nauthors: [A, B]\ndate: 2024-01-02\ntags: [x]\nother: y"
    assert front_matter_summary(text) == "T · A, B · 2024-01-02 · x"
    assert front_matter_summary("other: y\nmore: z") == "front matter (2 lines)"
    assert front_matter_summary("- not a mapping") == "front matter (1 line)"
    assert front_matter_summary("title: [unclosed") == "front matter (1 line)"


@pytest.mark.parametrize("name", ["seeds/tuireader-guide.md", "tests/snapshots/data/sample.md"])
def test_reader_blocks_equal_a_whole_parse(name: str) -> None:
    """What the reader knows of each line (parsed in tiny chunks) equals a whole parse's."""
    from tuireader.core.formats.mdblocks import LeafMap, leaves

    path = Path(__file__).resolve().parents[2] / name
    index = LineIndex(path, markdown=True)
    index.scan()
    chunked = BlockContext(index, chunk_lines=2)
    whole = BlockContext(index, chunk_lines=10**9)
    lines = [index.read_line(n) for n in range(index.line_count)]
    start = next(n for n in range(len(lines)) if chunked.info(n).kind is not LineKind.FRONT_MATTER)
    expected = LeafMap()
    tokens = parse_tokens(lines[start:])
    for token in tokens:
        if token.map is not None:
            token.map = [token.map[0] + start, token.map[1] + start]
    expected.extend(leaves(tokens))
    assert [chunked.info(n) for n in range(len(lines))] == [
        whole.info(n) for n in range(len(lines))
    ]
    for number in range(start, len(lines)):
        assert chunked._leaves.at(number) == expected.at(number), number
    index.close()


def test_headings_of_a_long_document_wait_for_the_background_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the on-the-spot budget, the contents give what is parsed; parse_all completes it."""
    import tuireader.core.formats.blocks as blocks_module

    monkeypatch.setattr(blocks_module, "HEADINGS_PARSE_LINES", 50)
    path = tmp_path / "long.md"
    path.write_text("".join(f"# Part {n}\n\ntext {n}\n\n" for n in range(100)), encoding="utf-8")
    index = LineIndex(path, markdown=True)
    index.scan()
    blocks = BlockContext(index, chunk_lines=20)
    blocks.info(0)  # the first screen parses the first chunk only
    first = blocks.headings()
    assert 0 < len(first) < 100 and not blocks.complete
    blocks.parse_all()
    assert blocks.complete
    assert [text for _, _, text in blocks.headings()] == [f"Part {n}" for n in range(100)]
    index.close()
