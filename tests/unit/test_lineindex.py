"""The line-offset index: line starts, decoding, odd files, growth."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core import lineindex
from tuireader.core.lineindex import LineIndex
from tuireader.core.textload import BinaryFileError, DocumentError


def build(path: Path, markdown: bool = False) -> LineIndex:
    """An index of ``path`` scanned to the end."""
    index = LineIndex(path, markdown=markdown)
    index.scan()
    return index


def lines_of(index: LineIndex) -> list[str]:
    """Every line the index can read."""
    return [index.read_line(number) for number in range(index.line_count)]


def test_lines_with_and_without_final_newline(tmp_path: Path) -> None:
    """Lines are the same with or without a final newline, blank lines kept."""
    with_newline = tmp_path / "a.txt"
    with_newline.write_bytes(b"one\ntwo\n\nfour\n")
    without = tmp_path / "b.txt"
    without.write_bytes(b"one\ntwo")
    assert lines_of(build(with_newline)) == ["one", "two", "", "four"]
    assert lines_of(build(without)) == ["one", "two"]


def test_crlf_and_control_sequences_are_cleaned(tmp_path: Path) -> None:
    """CRLF endings and terminal control sequences are removed from lines."""
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"first\r\nsecond \x1b]0;evil title\x07ok\r\n\x1b[31mred\x1b[0m\r\n")
    assert lines_of(build(path)) == ["first", "second ok", "red"]


def test_utf8_bom_and_wide_characters(tmp_path: Path) -> None:
    """A UTF-8 BOM is dropped and wide characters are kept."""
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff日本語のテキスト\n絵文字 🎉\n".encode())
    assert lines_of(build(path)) == ["日本語のテキスト", "絵文字 🎉"]


def test_utf16_file_is_read(tmp_path: Path) -> None:
    """A UTF-16 file with CRLF endings is decoded into its lines."""
    path = tmp_path / "utf16.txt"
    path.write_bytes("héllo\r\nwörld\r\n".encode("utf-16"))
    index = build(path)
    assert lines_of(index) == ["héllo", "wörld"]
    assert index.done


def test_empty_file(tmp_path: Path) -> None:
    """An empty file has no lines, reads '' and is fully scanned."""
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    index = build(path)
    assert index.line_count == 0
    assert index.read_line(0) == ""
    assert index.progress == 1.0


def test_huge_line_is_cut_for_display(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A line over MAX_LINE_BYTES is cut with a note of how many bytes were left out."""
    monkeypatch.setattr(lineindex, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "long.txt"
    path.write_bytes(b"x" * 5000 + b"\nshort\n")
    index = build(path)
    assert index.line_count == 2
    first = index.read_line(0)
    assert first.startswith("x" * 1000)
    assert "4,000 more bytes" in first
    assert index.read_line(1) == "short"


def test_many_chunks_give_the_same_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scanning a Markdown file in tiny chunks gives the same lines."""
    monkeypatch.setattr(lineindex, "FIRST_CHUNK", 20)
    monkeypatch.setattr(lineindex, "CHUNK", 40)
    path = tmp_path / "chunks.md"
    text = "".join(f"line {n}\n" if n % 5 else f"# heading {n}\n" for n in range(200))
    text += "```\n# not a heading? still recorded\n```\n"
    path.write_text(text)
    index = build(path, markdown=True)
    assert lines_of(index) == text.splitlines()


def test_growing_file_is_picked_up_by_a_new_scan(tmp_path: Path) -> None:
    """Scanning again picks up lines appended to the file."""
    path = tmp_path / "log.txt"
    path.write_bytes(b"a\nb\n")
    index = build(path)
    assert index.line_count == 2
    with path.open("ab") as handle:
        handle.write(b"c\nd")
    index.scan()
    assert lines_of(index) == ["a", "b", "c", "d"]


def test_progress_reports_and_cancel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cancelled scan stops part way with progress between 0 and 1, and a new scan finishes."""
    monkeypatch.setattr(lineindex, "CHUNK", 64)
    monkeypatch.setattr(lineindex, "FIRST_CHUNK", 64)
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 2000 + b"\n")
    index = LineIndex(path)
    calls: list[float] = []
    index.scan(on_progress=lambda: calls.append(index.progress), cancelled=lambda: len(calls) > 3)
    assert not index.done
    assert 0 < index.progress < 1
    index.scan()
    assert index.done and index.line_count == 1


def test_binary_and_special_files_are_refused(tmp_path: Path) -> None:
    """Binary files, folders and missing files raise document errors."""
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(BinaryFileError):
        LineIndex(binary)
    with pytest.raises(DocumentError):
        LineIndex(tmp_path)
    with pytest.raises(DocumentError):
        LineIndex(tmp_path / "missing.txt")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_wide_encodings_are_read_whole_with_their_marks(tmp_path: Path, encoding: str) -> None:
    """UTF-16/32 text is decoded whole: lines with spaces, no final newline."""
    path = tmp_path / "wide.md"
    path.write_bytes("# Títle here\n\n```\ncode line\n```\nlast words".encode(encoding))
    index = LineIndex(path, markdown=True)
    assert (index.done, index.line_count) == (False, 0)  # nothing known before the scan
    index.scan()
    assert lines_of(index) == ["# Títle here", "", "```", "code line", "```", "last words"]


def test_mark_after_a_chunk_that_began_mid_line_is_on_the_right_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines stay right when a chunk begins inside a long line."""
    monkeypatch.setattr(lineindex, "FIRST_CHUNK", 4)
    monkeypatch.setattr(lineindex, "CHUNK", 8)
    path = tmp_path / "long.md"
    path.write_bytes(b"a\nb\nabcdefgh\n# x\n")
    index = build(path, markdown=True)
    assert lines_of(index) == ["a", "b", "abcdefgh", "# x"]


def test_head_cut_inside_a_character_is_still_utf8(tmp_path: Path) -> None:
    """A file whose first 64 KiB end inside a two-byte character is still read as UTF-8."""
    path = tmp_path / "cut.txt"
    path.write_bytes(b"x" * 65535 + "\u00e9t\u00e9\ncaf\u00e9\n".encode())  # byte 65536: 0xC3
    index = build(path)
    assert index.encoding == "utf-8"
    assert index.read_line(0).endswith("x\u00e9t\u00e9")
    assert index.read_line(1) == "caf\u00e9"


def test_unreadable_head_and_binary_files_say_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error reading the head, or a binary file, is one line naming the file."""
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(BinaryFileError) as caught:
        LineIndex(binary)
    assert str(caught.value).startswith(f"{binary}: binary file skipped (")
    text = tmp_path / "a.txt"
    text.write_text("hello\n")

    def broken(fd: int, size: int, offset: int) -> bytes:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(lineindex.os, "pread", broken)
    with pytest.raises(DocumentError) as caught:
        LineIndex(text)
    assert str(caught.value) == f"{text}: Input/output error"
