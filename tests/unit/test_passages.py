"""Splitting documents into passages."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tuireader.core.formats.registry import format_of
from tuireader.core.search import passages
from tuireader.core.search.passages import split_lines
from tuireader.core.textload import DocumentError


def test_paragraphs_with_their_lines() -> None:
    """Paragraphs split at blank lines and carry their 1-based first and last lines."""
    lines = ["Title", "", "First para", "goes on.", "", "", "Second."]
    assert list(split_lines(lines)) == [
        (1, 1, "Title"),
        (3, 4, "First para\ngoes on."),
        (7, 7, "Second."),
    ]


def test_blank_lines_with_spaces_separate_paragraphs() -> None:
    """A whitespace-only line separates paragraphs like an empty one."""
    assert [p[:2] for p in split_lines(["a", "   ", "b"])] == [(1, 1), (3, 3)]


def test_long_paragraph_becomes_overlapping_windows() -> None:
    """A long paragraph becomes overlapping windows of at most WINDOW_LINES covering every line."""
    lines = [f"line {n} words here" for n in range(1, 101)]
    result = list(split_lines(lines))
    assert len(result) > 1
    assert result[0][0] == 1
    assert result[-1][1] == 100
    for (first, last, text), (next_first, _, _) in itertools.pairwise(result):
        assert last - first + 1 <= passages.WINDOW_LINES
        assert next_first <= last  # windows overlap
        assert text.splitlines() == lines[first - 1 : last]
    covered = set()
    for first, last, _ in result:
        covered.update(range(first, last + 1))
    assert covered == set(range(1, 101))


def test_very_long_line_is_cut_at_spaces() -> None:
    """A huge line is cut into pieces near MAX_CHARS, all on its line number, words kept whole."""
    line = " ".join(f"word{n}" for n in range(2000))
    result = list(split_lines(["intro", line, "outro"]))
    assert len(result) > 3
    assert all(len(text) <= passages.MAX_CHARS + 20 for _, _, text in result)
    middle = [text for first, last, text in result if first == last == 2]
    assert middle
    assert "word0" in middle[0] and "word1999" in middle[-1]
    joined = " ".join(middle)
    assert all(f"word{n} " in joined + " " for n in range(0, 2000, 97))


def test_front_matter_is_skipped_for_markdown(tmp_path: Path) -> None:
    """Markdown front matter is skipped and passages keep their source line numbers."""
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: Note\ntags: [a]\n---\n\n# Heading\n\nBody text.\n")
    found = list(format_of(path).passages(path))
    assert [(p.first_line, p.text) for p in found] == [(6, "# Heading"), (8, "Body text.")]
    assert all(p.path == path for p in found)


def test_unclosed_front_matter_is_kept(tmp_path: Path) -> None:
    """An unclosed --- block in Markdown stays text, starting at line 1."""
    path = tmp_path / "note.md"
    path.write_text("---\nnot front matter\n\ntext\n")
    found = list(format_of(path).passages(path))
    assert found[0].first_line == 1
    assert found[-1].text == "text"


def test_plain_text_dashes_are_text(tmp_path: Path) -> None:
    """In a .txt file a --- block is ordinary text, not front matter."""
    path = tmp_path / "note.txt"
    path.write_text("---\nabc\n---\n")
    assert [p.text for p in format_of(path).passages(path)] == ["---\nabc\n---"]


def test_control_sequences_are_removed(tmp_path: Path) -> None:
    """ANSI escapes, BEL and CR are stripped from passage text."""
    path = tmp_path / "evil.txt"
    path.write_bytes(b"safe \x1b[31mred\x1b[0m text\r\n\r\nnext\x07\n")
    texts = [p.text for p in format_of(path).passages(path)]
    assert texts == ["safe red text", "next\\x07"], "a stray BEL is shown, not sent"


def test_binary_and_missing_files_raise_document_error(tmp_path: Path) -> None:
    """Binary and missing files raise DocumentError."""
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(DocumentError):
        list(format_of(binary).passages(binary))
    with pytest.raises(DocumentError):
        missing = tmp_path / "missing.txt"
        list(format_of(missing).passages(missing))


def test_empty_file_has_no_passages(tmp_path: Path) -> None:
    """An empty file yields no passages."""
    path = tmp_path / "empty.txt"
    path.write_text("")
    assert list(format_of(path).passages(path)) == []
