"""Re-anchoring: finding a bookmarked line again after the document changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuireader.core.bookmarks.reanchor import (
    NEAR_LINES,
    SNIPPET_CHARS,
    Anchor,
    fingerprint_bytes,
    fingerprint_file,
    make_snippet,
    reanchor,
)
from tuireader.core.bookmarks.store import BookmarkStore


def _lines(count: int = 60) -> list[str]:
    return [
        f"Line {n}: the quick brown fox number {n} jumps over a lazy dog."
        for n in range(1, count + 1)
    ]


MARKED = "It was the best of times, it was the worst of times, it was the age of wisdom."


def _doc_lines() -> list[str]:
    lines = _lines()
    lines[29] = MARKED  # line 30
    return lines


def test_unchanged_line_is_same() -> None:
    """A mark whose line did not change is 'same' with no notice."""
    anchor = reanchor(_doc_lines(), MARKED, 30)
    assert (anchor.status, anchor.line, anchor.notice) == ("same", 30, None)


def test_lines_inserted_above_move_the_mark() -> None:
    """Lines inserted above move the mark down, with a notice saying where."""
    lines = ["new line"] * 7 + _doc_lines()
    anchor = reanchor(lines, MARKED, 30)
    assert (anchor.status, anchor.line) == ("moved", 37)
    assert anchor.notice == "Bookmark moved: line 30 is now line 37"


def test_slightly_edited_line_is_found() -> None:
    """A slightly edited line is still found in place with a score below 100."""
    lines = _doc_lines()
    lines[29] = "It was the best of times, it was the worst of time; it was an age of wisdom!"
    anchor = reanchor(lines, MARKED, 30)
    assert (anchor.status, anchor.line) == ("same", 30)
    assert anchor.score < 100


def test_edited_and_moved_line_is_found() -> None:
    """A line both edited and moved is found at its new place."""
    lines = _doc_lines()
    lines[29] = "It was the best of times, it was the worst of times — it was the age of wisdom"
    lines = ["inserted"] * 3 + lines
    anchor = reanchor(lines, MARKED, 30)
    assert (anchor.status, anchor.line) == ("moved", 33)


def test_line_moved_far_away_is_found_anywhere() -> None:
    """A line moved far away is found, exactly or slightly edited, ignoring whitespace."""
    lines = _lines(2000)
    lines[1799] = MARKED
    anchor = reanchor(lines, MARKED + " ", 30)  # whitespace does not matter
    assert (anchor.status, anchor.line) == ("moved", 1800)
    edited = _lines(2000)
    edited[1799] = MARKED.replace("wisdom", "wisdoms")
    anchor = reanchor(edited, MARKED, 30)
    assert (anchor.status, anchor.line) == ("moved", 1800)


def test_short_duplicates_without_context_are_uncertain_nearest_first() -> None:
    """A short line that repeats (``* * *``) is not guessed: uncertain, nearest candidate first."""
    lines = _lines()
    lines[4] = lines[49] = "* * *"
    anchor = reanchor(lines, "* * *", 45)
    assert (anchor.status, anchor.line) == ("uncertain", 45)
    assert [c.line for c in anchor.candidates] == [50, 5]
    assert [c.line for c in reanchor(lines, "* * *", 10).candidates] == [5, 50]


def test_deleted_line_is_gone_and_keeps_old_line() -> None:
    """A deleted line is 'gone' with a notice, keeping the old line clamped to the document."""
    lines = _lines()
    anchor = reanchor(lines, MARKED, 30)
    assert (anchor.status, anchor.line) == ("gone", 30)
    assert "not found" in (anchor.notice or "")
    short = reanchor(lines[:10], MARKED, 30)
    assert (short.status, short.line) == ("gone", 10)


def test_fingerprint_streams_and_matches_bytes(tmp_path: Path) -> None:
    """fingerprint_file on a multi-chunk file equals fingerprint_bytes; content changes it."""
    path = tmp_path / "big.txt"
    data = b"abc\n" * 700_000  # more than one read chunk
    path.write_bytes(data)
    assert fingerprint_file(path) == fingerprint_bytes(data)
    path.write_bytes(data + b"x")
    assert fingerprint_file(path) != fingerprint_bytes(data)


def test_store_reanchor_saves_new_position(tmp_path: Path) -> None:
    """locate changes nothing; reanchor_document saves the new line and fingerprint."""
    doc = tmp_path / "doc.txt"
    doc.write_text("\n".join(_doc_lines()) + "\n", encoding="utf-8")
    store = BookmarkStore()
    mark = store.add(doc, 30, note="dickens")
    assert store.locate(mark).status == "same"
    doc.write_text("\n".join(["added"] * 5 + _doc_lines()) + "\n", encoding="utf-8")
    located = store.locate(mark)
    assert (located.status, located.line) == ("moved", 35)
    assert store.get(mark.id).line == 30  # locate changes nothing
    anchors = store.reanchor_document(doc)
    assert anchors[mark.id].line == 35
    saved = store.get(mark.id)
    assert saved.line == 35 and saved.note == "dickens"
    assert saved.fingerprint == fingerprint_file(doc)
    assert store.locate(saved).status == "same"
    assert store.lines_for(doc) == {35}


def test_store_keeps_gone_bookmark_untouched(tmp_path: Path) -> None:
    """Re-anchoring a gone mark leaves it unchanged; a deleted file is 'missing'."""
    doc = tmp_path / "doc.txt"
    doc.write_text("\n".join(_doc_lines()) + "\n", encoding="utf-8")
    store = BookmarkStore()
    mark = store.add(doc, 30)
    doc.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    assert store.reanchor(mark).status == "gone"
    assert store.get(mark.id) == mark
    doc.unlink()
    assert store.reanchor(mark).status == "missing"


def test_long_paragraph_lines_match_their_shortened_snippet() -> None:
    """A very long line is found from its shortened snippet, in place, moved and edited."""
    paragraph = " ".join(f"word{n}" for n in range(400))  # ~3,000 characters on one line
    lines = [f"Other paragraph {n} " * 30 for n in range(20)]
    lines[10] = paragraph
    snippet = make_snippet(paragraph)
    assert len(snippet) == SNIPPET_CHARS < len(paragraph)
    assert reanchor(lines, snippet, 11).status == "same"
    moved = ["new"] * 4 + lines
    assert (reanchor(moved, snippet, 11).status, reanchor(moved, snippet, 11).line) == ("moved", 15)
    edited = list(moved)
    edited[14] = paragraph.replace("word7 ", "word7, ")
    assert reanchor(edited, snippet, 11).line == 15


def test_line_moved_far_above_is_found() -> None:
    """A line now far above its old place (outside the near window) is still found."""
    lines = _lines(1900)
    lines[49] = MARKED  # was line 1850: only 50 lines below it, 1,800 above
    anchor = reanchor(lines, MARKED, 1850)
    assert (anchor.status, anchor.line, anchor.score) == ("moved", 50, 100.0)
    edited = _lines(1900)
    edited[49] = MARKED.replace("wisdom", "wisdoms")
    assert reanchor(edited, MARKED, 1850).line == 50


def test_exact_copies_at_equal_distance_pick_the_earlier() -> None:
    """Two exact copies as far from the old line: the earlier one wins."""
    lines = _lines()
    lines[24] = lines[34] = MARKED  # lines 25 and 35, old line 30
    assert reanchor(lines, MARKED, 30).line == 25


def test_similar_lines_pick_the_nearest() -> None:
    """Of equally similar lines, the one nearest the old line wins, wherever it is in the file."""
    edited = MARKED.replace("wisdom", "wisdoms")
    lines = _lines(100)
    lines[9] = lines[39] = edited  # lines 10 and 40; old line 35: 40 is nearer
    anchor = reanchor(lines, MARKED, 35)
    assert (anchor.line, anchor.status) == (40, "moved")
    assert anchor.score < 100
    assert reanchor(lines, MARKED, 20).line == 10


def test_similarity_threshold() -> None:
    """A line as similar as the threshold is found; a less similar one is not."""
    from rapidfuzz import fuzz

    marked = "abcdefghijklmnopqrst"
    close = "abcdefghijklmnopqXYZ"  # 17 of 20 characters kept
    far = "abcdefghijklmnXYZWVU"  # 14 of 20 kept
    assert fuzz.ratio(close, marked) == 85.0 and fuzz.ratio(far, marked) == 70.0
    lines = ["-"] * 10
    lines[4] = close
    assert (reanchor(lines, marked, 3).line, reanchor(lines, marked, 3).score) == (5, 85.0)
    lines[4] = far
    anchor = reanchor(lines, marked, 3)
    assert (anchor.status, anchor.line, anchor.score) == ("gone", 3, 0.0)


def test_line_with_runs_of_spaces_is_found_exactly_far_away() -> None:
    """A far-moved line with tabs or double spaces inside matches its snippet exactly."""
    table = "name\t\t\tvalue\t\t\tnote"
    lines = _lines(2000)
    lines[1799] = table
    anchor = reanchor(lines, make_snippet(table), 30)
    assert (anchor.status, anchor.line, anchor.score) == ("moved", 1800, 100.0)


def test_clamped_old_line_that_holds_the_text_counts_as_moved() -> None:
    """A mark past the end of a shortened document, found on its last line, has moved."""
    lines = [*_lines(9), MARKED]
    anchor = reanchor(lines, MARKED, 30)
    assert (anchor.status, anchor.line) == ("moved", 10)
    assert anchor.notice == "Bookmark moved: line 30 is now line 10"


def test_blank_snippet_and_empty_document_keep_the_position() -> None:
    """A blank snippet cannot be searched: the old line is kept (gone past the end)."""
    lines = _lines(10)
    assert reanchor(lines, "   ", 3) == Anchor("same", 3, 3)
    assert reanchor(lines, "", 30) == Anchor("gone", 10, 30)
    assert reanchor([], "  ", 5) == Anchor("gone", 1, 5)
    assert reanchor([], MARKED, 5) == Anchor("gone", 1, 5, "", 0.0)


def test_anchor_carries_the_text_of_its_line() -> None:
    """Same, moved and gone anchors carry the current text of the line they point at."""
    lines = _doc_lines()
    assert reanchor(lines, MARKED, 30) == Anchor("same", 30, 30, MARKED, 100.0)
    assert reanchor(lines, lines[0], 1) == Anchor("same", 1, 1, lines[0], 100.0)
    assert reanchor(["new", *lines], MARKED, 30) == Anchor("moved", 31, 30, MARKED, 100.0)
    gone = reanchor(_lines(), MARKED, 30)
    assert gone == Anchor("gone", 30, 30, _lines()[29], 0.0)


def test_near_window_edges() -> None:
    """A similar line exactly NEAR_LINES away is near (and wins over an exact copy further)."""
    edited = MARKED.replace("wisdom", "wisdoms")
    old = 400  # 0-based index of the old line
    lines = _lines(1000)
    lines[old + NEAR_LINES] = edited
    lines[old + NEAR_LINES + 1] = MARKED
    assert reanchor(lines, MARKED, old + 1).line == old + NEAR_LINES + 1
    lines = _lines(1000)
    lines[old - NEAR_LINES] = edited
    lines[old - NEAR_LINES - 1] = MARKED
    assert reanchor(lines, MARKED, old + 1).line == old - NEAR_LINES + 1
    # The window starts at the first line: a similar first line beats a far exact copy.
    lines = _lines(1000)
    lines[0] = edited
    lines[NEAR_LINES + NEAR_LINES + 1] = MARKED
    assert reanchor(lines, MARKED, NEAR_LINES + 1).line == 1


def test_far_search_when_the_window_misses_only_the_first_line() -> None:
    """With the window starting at line 2 and reaching the end, line 1 is still searched."""
    lines = _lines(NEAR_LINES + 2)
    lines[0] = MARKED
    anchor = reanchor(lines, MARKED, NEAR_LINES + 2)
    assert (anchor.status, anchor.line) == ("moved", 1)


def test_far_lines_starting_with_the_same_word_are_not_taken_for_it() -> None:
    """Far away, a line that only starts like the snippet is not an exact match."""
    lines = _lines(2000)
    lines[1500] = "It was a quite different sentence, though it starts the same way."
    lines[1799] = MARKED
    anchor = reanchor(lines, MARKED, 30)
    assert (anchor.line, anchor.score) == (1800, 100.0)


def test_far_line_with_text_appended_is_found() -> None:
    """A far-moved line that grew a long tail is compared on its beginning and found."""
    lines = _lines(2000)
    lines[1799] = MARKED + " And then a long addition. " * 8
    anchor = reanchor(lines, MARKED, 30)
    assert (anchor.status, anchor.line) == ("moved", 1800)
    assert 80 <= anchor.score < 100


def test_similarity_is_the_plain_ratio_not_a_partial_match() -> None:
    """A line merely containing the snippet among much more text is not the marked line."""
    from rapidfuzz import fuzz

    marked = "abcdefghijklmnopqrst"
    longer = "a preamble of words and then abcdefghijklmnopqrst and more after it"
    assert fuzz.ratio(longer, marked) < 80 <= fuzz.WRatio(longer, marked)
    lines = ["-"] * 10
    lines[4] = longer
    assert reanchor(lines, marked, 3).status == "gone"


def test_nearest_of_many_equally_similar_lines_wins() -> None:
    """Among more than fifty equally similar lines, the nearest one is still chosen."""
    edited = MARKED.replace("wisdom", "wisdoms")
    lines = [edited] * 120
    anchor = reanchor(lines, MARKED, 100)
    assert (anchor.status, anchor.line) == ("same", 100)
    lines = _lines(120)
    for index in range(0, 120, 2):
        lines[index] = edited
    assert reanchor(lines, MARKED, 110).line == 109  # 109 and 111 as near: the earlier


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_fingerprint_closes_the_file(tmp_path: Path) -> None:
    """Fingerprinting many times leaves no file descriptor open."""
    path = tmp_path / "doc.txt"
    path.write_bytes(b"text\n")
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(50):
        fingerprint_file(path)
    assert len(os.listdir("/proc/self/fd")) == before


def test_edges_of_the_document() -> None:
    """A gone mark on the first line keeps its text; a blank snippet on the last line is same."""
    assert reanchor(["only line"], MARKED, 1) == Anchor("gone", 1, 1, "only line", 0.0)
    assert reanchor(_lines(10), "", 10) == Anchor("same", 10, 10)
