"""Re-anchoring: finding a bookmarked line again after the document changed."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.bookmarks.reanchor import (
    SNIPPET_CHARS,
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
