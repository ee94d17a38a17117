"""Paragraphs found in whole pieces of text: exactly the passages of the line-by-line cut."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from tuireader.core.search import passages
from tuireader.core.search.passages import iter_passages, split_lines, split_text
from tuireader.core.textload import iter_lines

LINES = [
    "", "", "", "   ", "\t", "\xa0", "\u3000 ", "\x85", "word", "  indented line",
    "The river ran on past the mill.", "Café naïve Ærø", "東京都庁舎", "trailing   ",
    "x" * 700, ("long line " * 300).strip(), "esc \x1b[31mred\x1b[0m", "bell\x07", "feed\x0c",
]


def _text(rng: random.Random) -> str:
    """Lines of every kind: blank ones (Unicode spaces too), long ones, control characters."""
    pool = LINES if rng.random() < 0.3 else [line for line in LINES if not re.search(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f]", line)]
    lines = []
    for _ in range(rng.randint(0, 120)):
        if rng.random() < 0.05:  # a long paragraph, cut into windows
            lines += [rng.choice(pool[8:14]) for _ in range(rng.randint(20, 110))]
        lines.append(rng.choice(pool))
    return "\n".join(lines) + ("\n" if rng.random() < 0.5 else "")


def _by_lines(text: str) -> list[tuple[int, int, str]]:
    """The line-by-line cut of a text (as ``iter_lines`` gives it)."""
    from tuireader.core.sanitize import strip_control

    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return list(split_lines(strip_control(line) for line in lines))


def _pieces(text: str, rng: random.Random) -> list[str]:
    """The text cut at random places."""
    cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randint(0, 8))))
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]


@pytest.mark.parametrize("carry", [16, 3000, passages.CARRY_CHARS])
def test_split_text_gives_the_passages_of_split_lines(
    carry: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random texts in random pieces: the same passages and lines as line by line."""
    monkeypatch.setattr(passages, "CARRY_CHARS", carry)
    rng = random.Random(carry)
    found = 0
    for _ in range(300):
        text = _text(rng)
        expected = _by_lines(text)
        assert list(split_text(_pieces(text, rng))) == expected, text
        found += len(expected)
    assert found > 1000


def test_regex_spaces_are_the_ones_strip_removes() -> None:
    """A line is blank for the regex exactly when ``str.strip`` leaves nothing."""
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert (space.match(char) is not None) == (char.strip() == ""), hex(code)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"one\r\ntwo\r\n\r\nthree\rfour\r\r\rfive", None),
        ("caf\xe9 na\xefve\n\n\xa0\nsecond paragraph\n".encode("cp1252"), None),
        (b"\xef\xbb\xbfbom first\n\nthen\n", None),
        ("line\n" * 30 + "\n" + "word " * 5000, "utf-8"),
    ],
)
def test_files_cut_as_line_by_line(tmp_path: Path, data: bytes | str, encoding: str | None) -> None:
    """Files (newline styles, a BOM, a legacy code page, long runs) cut as ``iter_lines`` cut."""
    path = tmp_path / "doc.txt"
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding or "utf-8"))
    expected = list(split_lines(iter_lines(path)))
    assert expected
    found = [(p.first_line, p.last_line, p.text) for p in iter_passages(path)]
    assert found == expected


@pytest.mark.parametrize("lines", [1, 23, 24, 25, 26, 95, 96, 97])
@pytest.mark.parametrize("width", [10, 60, 66, 67, 1598, 1599, 1600, 1601])
def test_paragraph_limits_as_line_by_line(lines: int, width: int) -> None:
    """Paragraphs at and around the line and character limits: cut the same way."""
    body = "\n".join(("w" * width)[: max(1, width - len(str(n)))] + str(n) for n in range(lines))
    text = f"\n\nintro\n\n{body}\n\nend\n"
    assert list(split_text([text])) == _by_lines(text)


def test_a_paragraph_longer_than_the_carry_goes_line_by_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unfinished paragraph is not held past ``CARRY_CHARS``: the rest is read by lines."""
    monkeypatch.setattr(passages, "CARRY_CHARS", 100)
    used: list[bool] = []
    clean_lines = passages._clean_lines

    def spy(pieces: object) -> object:
        used.append(True)
        return clean_lines(pieces)  # type: ignore[arg-type]

    monkeypatch.setattr(passages, "_clean_lines", spy)
    text = "short\n\n" + "word " * 200 + "\nmore\n\nlast\n"
    assert list(split_text([text[i : i + 50] for i in range(0, len(text), 50)])) == _by_lines(text)
    assert used == [True]
    used.clear()
    assert list(split_text(["short\n\nparagraph\n"])) == _by_lines("short\n\nparagraph\n")
    assert used == []


def test_has_control_is_true_exactly_when_strip_control_may_change_the_text() -> None:
    """Every character alone, and ASCII and other text with one inside: as the regex says."""
    from tuireader.core.sanitize import _SUSPECT, has_control

    for code in range(0x3000):
        char = chr(code)
        for text in (char, f"plain {char} text", f"café {char}"):
            assert has_control(text) == (_SUSPECT.search(text) is not None), hex(code)
