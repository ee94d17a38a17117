"""Property tests of the line index against a plain reference split of the same bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tuireader.core import lineindex
from tuireader.core.lineindex import LineIndex
from tuireader.core.sanitize import strip_control
from tuireader.core.textload import iter_lines

_PIECES = ["a", "b", " ", "  ", "#", "# ", "`", "```", "~~~", "\t", "\u00e9", "\u65e5", "\r"]
line_text = st.lists(st.sampled_from(_PIECES), max_size=10).map(
    lambda pieces: "".join(pieces).rstrip("\r")  # a CR before the newline makes a CRLF ending
)
documents = st.tuples(
    st.lists(st.tuples(line_text, st.sampled_from(["\n", "\r\n"])), max_size=30),
    st.booleans(),
)


def _render(lines: list[tuple[str, str]], final_newline: bool) -> bytes:
    """The document's bytes: each line with its ending, the last without one if asked."""
    text = "".join(line + ending for line, ending in lines)
    if lines and not final_newline:
        text = text[: -len(lines[-1][1])]
    return text.encode("utf-8")


def _reference(data: bytes) -> list[bytes]:
    """The raw lines of ``data``: split at LF, no empty piece after a final newline."""
    pieces = data.split(b"\n")
    if pieces[-1] == b"":
        pieces.pop()
    return pieces


def _scan(data: bytes, first_chunk: int, chunk: int, markdown: bool) -> LineIndex:
    """Index ``data`` written to a temp file, scanning in chunks of the given sizes."""
    saved = lineindex.FIRST_CHUNK, lineindex.CHUNK
    lineindex.FIRST_CHUNK, lineindex.CHUNK = first_chunk, chunk
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "doc.md"
            path.write_bytes(data)
            index = LineIndex(path, markdown=markdown)
            index.scan()
            return index
    finally:
        lineindex.FIRST_CHUNK, lineindex.CHUNK = saved


@given(documents, st.integers(1, 80), st.integers(1, 80))
def test_offsets_and_lines_agree_with_a_plain_split(
    document: tuple[list[tuple[str, str]], bool], first_chunk: int, chunk: int
) -> None:
    """Line count, byte ranges and line text equal a plain split, in any chunk sizes."""
    data = _render(*document)
    index = _scan(data, first_chunk, chunk, markdown=False)
    try:
        raw_lines = _reference(data)
        assert index.done and index.progress == 1.0
        assert index.line_count == len(raw_lines)
        start = 0
        for number, raw in enumerate(raw_lines):
            assert index.line_bytes(number) == (start, start + len(raw))
            expected = raw.decode("utf-8").removesuffix("\r").replace("\r", "")
            assert index.read_line(number) == strip_control(expected)
            start += len(raw) + 1
        assert index.read_line(len(raw_lines)) == ""
        assert index.read_line(-1) == ""
    finally:
        index.close()


@given(documents)
def test_index_lines_equal_the_streamed_lines(document: tuple[list[tuple[str, str]], bool]) -> None:
    """With LF or CRLF endings, the reader's lines are the lines bookmarks are made on."""
    lines, final_newline = document
    lines = [(text.replace("\r", ""), ending) for text, ending in lines]
    data = _render(lines, final_newline)
    index = _scan(data, 65536, 65536, markdown=False)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "doc.txt"
            path.write_bytes(data)
            streamed = list(iter_lines(path))
        assert [index.read_line(n) for n in range(index.line_count)] == streamed
    finally:
        index.close()
