"""Wrapping offsets, Markdown paragraph reflow and query highlighting: pure core logic."""

from __future__ import annotations

from rich.cells import cell_len

from tuireader.core.formats.markdown import StyledLine
from tuireader.core.highlight import match_pattern, match_spans
from tuireader.core.reflow import BLOCK_LINES, join_paragraph, paragraph_lines, row_owner
from tuireader.core.scripts import has_no_space_script, no_space_re
from tuireader.core.search.text import WORD_RE, is_cjk
from tuireader.core.wrap import wrap_offsets


def _rows(text: str, width: int, indent: int = 0) -> list[str]:
    breaks = wrap_offsets(text, width, cell_len, indent)
    starts = [0, *breaks]
    return [text[a:b] for a, b in zip(starts, [*breaks, len(text)], strict=True)]


def test_short_line_does_not_break() -> None:
    """A line that fits has no break, ASCII or wide."""
    assert wrap_offsets("hello", 5, cell_len) == []
    assert wrap_offsets("東京都", 6, cell_len) == []


def test_breaks_between_words_within_width() -> None:
    """Rows end at word boundaries and no row's text exceeds the width."""
    text = "the quick brown fox jumps over the lazy dog"
    rows = _rows(text, 10)
    assert "".join(rows) == text
    assert all(cell_len(row.rstrip()) <= 10 for row in rows)
    assert all(row[0] != " " for row in rows)
    assert rows[0] == "the quick "


def test_long_word_breaks_by_character_and_indent_narrows() -> None:
    """A word wider than a row is cut; continuation rows are ``indent`` cells narrower."""
    assert _rows("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    rows = _rows("- item one two three four", 10, indent=2)
    assert all(cell_len(row.rstrip()) <= 8 for row in rows[1:])


def test_wide_characters_take_two_cells() -> None:
    """CJK characters count two cells each, so five fit in ten cells."""
    assert _rows("一二三四五六七", 10) == ["一二三四五", "六七"]


def test_no_space_table_is_complete_and_shared() -> None:
    """One table: search words and highlighting agree on kana, CJK and the extensions."""
    for char in ("あ", "カ", "ㇰ", "ｶ", "中", "\U00020000", "\U0002a6d6", "\U00030000"):
        assert no_space_re().fullmatch(char), hex(ord(char))
        # Search takes a run of these characters whole (then cuts it into pairs).
        assert is_cjk(char) and WORD_RE.findall(f"a{char}{char}") == ["a", char * 2]
    assert not has_no_space_script("café") and has_no_space_script("a東")


def test_match_pattern_whole_words_and_spans() -> None:
    """Whole words in any case; a CJK word inside a longer run; none without words."""
    pattern = match_pattern(["cat", "東京"])
    assert match_spans(pattern, "Cat catalog CAT 東京都") == [
        (0, 3, "match"),
        (12, 15, "match"),
        (16, 18, "match"),
    ]
    assert match_pattern([" ", ""]) is None and match_spans(None, "cat") == []


def _flow(text: str, **hints: bool) -> StyledLine:
    return StyledLine(text, flow=True, **hints)


def test_paragraph_lines_stop_at_blocks_and_boundaries() -> None:
    """A paragraph joins flowing lines, stops at a list item, a hard break and a block edge."""
    lines = {
        0: StyledLine("# H"),
        1: _flow("one"),
        2: _flow("two", closes=True),
        3: _flow("three"),
        4: _flow("- item", opens=True),
    }
    assert sorted(paragraph_lines(2, lines.__getitem__, 5)) == [1, 2]
    assert sorted(paragraph_lines(3, lines.__getitem__, 5)) == [3]
    assert sorted(paragraph_lines(0, lines.__getitem__, 5)) == [0]
    many = {n: _flow(f"w{n}") for n in range(BLOCK_LINES + 2)}
    block = paragraph_lines(BLOCK_LINES - 1, many.__getitem__, len(many))
    assert min(block) == 0 and max(block) == BLOCK_LINES - 1


def test_join_paragraph_moves_spans_and_owns_rows() -> None:
    """Joined text, spans shifted with their words, and each row's owner line."""
    first = StyledLine("Some *em*", [(5, 9, "em")], flow=True)
    second = StyledLine("   more `c`", [(8, 11, "code")], flow=True)
    joined, offsets = join_paragraph([first, second])
    assert joined.text == "Some *em* more `c`"
    assert offsets == [0, 10]
    assert joined.spans == [(5, 9, "em"), (15, 18, "code")]
    assert [row_owner(offsets, start) for start in (0, 9, 10, 14)] == [0, 0, 1, 1]
