"""``LineIndex.scan_head``: the lines of the file's start, known before any scan, no more I/O."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core import lineindex
from tuireader.core.lineindex import LineIndex


def _lines(index: LineIndex) -> list[str]:
    """Every line the index can read now."""
    return [index.read_line(number) for number in range(index.line_count)]


def test_head_of_a_long_file_gives_its_complete_lines_then_the_scan_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only whole lines of the head are known; a scan after it gives every line, as alone."""
    monkeypatch.setattr(lineindex, "FIRST_CHUNK", 25)
    path = tmp_path / "long.txt"
    text = "".join(f"line number {n}\n" for n in range(40))
    path.write_text(text)
    index = LineIndex(path)
    index.scan_head()
    assert _lines(index) == ["line number 0"]  # 25 bytes: one whole line, a cut second
    assert not index.done
    index.scan()
    assert index.done and _lines(index) == text.splitlines()


def test_head_holding_the_whole_file_leaves_only_the_last_line_to_the_scan(
    tmp_path: Path,
) -> None:
    """A small file: every ended line at once (the last, unended one once scanned)."""
    path = tmp_path / "small.txt"
    path.write_bytes(b"\xef\xbb\xbfone\ntwo\nthree")
    index = LineIndex(path)
    index.scan_head()
    assert _lines(index) == ["one", "two"] and not index.done
    index.scan()
    assert index.done and _lines(index) == ["one", "two", "three"]


def test_head_without_a_line_end_or_after_a_scan_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No newline in the head: nothing known; once scanned, the head is not added twice."""
    monkeypatch.setattr(lineindex, "FIRST_CHUNK", 10)
    path = tmp_path / "wide.txt"
    path.write_bytes(b"x" * 30 + b"\nend\n")
    index = LineIndex(path)
    index.scan_head()
    assert index.line_count == 0
    again = LineIndex(path)
    again.scan()
    again.scan_head()
    assert _lines(again) == ["x" * 30, "end"]


def test_wide_encodings_wait_for_the_scan(tmp_path: Path) -> None:
    """UTF-16 text is decoded whole by the scan: the head adds nothing."""
    path = tmp_path / "utf16.txt"
    path.write_bytes("a\nb\n".encode("utf-16"))
    index = LineIndex(path)
    index.scan_head()
    assert index.line_count == 0
    index.scan()
    assert _lines(index) == ["a", "b"]
