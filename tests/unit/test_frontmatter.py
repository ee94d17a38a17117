"""The one front-matter rule, as metadata, search and the reader see it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from tuireader.core.formats.blocks import BlockContext
from tuireader.core.formats.frontmatter import MAX_LINES, front_matter_end, split_front_matter
from tuireader.core.formats.markdown import LineKind
from tuireader.core.formats.registry import format_of
from tuireader.core.lineindex import LineIndex
from tuireader.core.metadata import extract_metadata

CASES = {
    "closed by dashes": ("---\ntitle: A\n---\nbody\n", 2),
    "closed by dots": ("---\ntitle: A\n...\nbody\n", 2),
    "trailing spaces": ("--- \ntitle: A\n---  \nbody\n", 2),
    "unclosed": ("---\ntitle: A\nbody\n", None),
    "not on the first line": ("\n---\ntitle: A\n---\n", None),
    "indented opener": (" ---\ntitle: A\n---\n", None),
    "four dashes": ("----\ntitle: A\n---\n", None),
}


def test_front_matter_end_cases() -> None:
    """Each case gives the closing line, or None when there is no block."""
    for name, (text, expected) in CASES.items():
        assert front_matter_end(text.split("\n")) == expected, name


def test_block_longer_than_the_limit_is_not_front_matter() -> None:
    """A block closed on line MAX_LINES + 1 is text; one line shorter is front matter."""
    inside = ["---", *["key: v"] * (MAX_LINES - 2), "---", "body"]
    assert front_matter_end(inside) == MAX_LINES - 1
    outside = ["---", *["key: v"] * (MAX_LINES - 1), "---", "body"]
    assert front_matter_end(outside) is None


def test_front_matter_end_reads_only_the_head() -> None:
    """An endless line source is read no further than MAX_LINES lines."""
    read = 0

    def endless() -> Iterator[str]:
        nonlocal read
        yield "---"
        while True:
            read += 1
            yield "x"

    assert front_matter_end(endless()) is None
    assert read == MAX_LINES - 1


def test_split_keeps_body_after_a_block_with_bad_yaml() -> None:
    """Bad YAML gives no fields, but the block is still not body."""
    fields, body = split_front_matter("---\ntitle: [unclosed\n---\n\n# Real\n")
    assert fields is None and body == "# Real\n"
    fields, body = split_front_matter("---\n- a list\n---\nbody")
    assert fields is None and body == "body"
    fields, body = split_front_matter("---\ntitle: T\ndate: 2024-01-02\n---\nbody")
    assert fields == {"title": "T", "date": dt.date(2024, 1, 2)}
    assert body == "body"


def _users(tmp_path: Path, text: str) -> tuple[str | None, int | None, int]:
    """What metadata, search and the reader make of ``text`` in a Markdown file.

    Returns (title from metadata, first passage line, last front-matter line in
    the reader or -1).
    """
    path = tmp_path / "doc.md"
    path.write_text(text)
    title = extract_metadata(text, path, markdown=True).title
    passages = list(format_of(path).passages(path))
    index = LineIndex(path, markdown=True)
    index.scan()
    blocks = BlockContext(index)
    kinds = [blocks.kind(line) for line in range(index.line_count)]
    index.close()
    fm_lines = [n for n, kind in enumerate(kinds) if kind is LineKind.FRONT_MATTER]
    return title, passages[0].first_line if passages else None, max(fm_lines, default=-1)


def test_metadata_search_and_reader_agree(tmp_path: Path) -> None:
    """The three users of the rule see the same block on every case."""
    for name, (text, expected) in CASES.items():
        body = text + "\nThe body line\n"
        title, first_passage, reader_end = _users(tmp_path, body)
        if expected is None:
            assert reader_end == -1, name
            assert first_passage == 1 or not body.split("\n")[0].strip(), name
        else:
            assert reader_end == expected, name
            assert first_passage == expected + 2, name
            assert title == "A", name
