"""Re-anchoring with context: right, or it says so (issue 13, item 1)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from tuireader.cli import main
from tuireader.core.bookmarks.reanchor import context_of, reanchor
from tuireader.core.bookmarks.store import BookmarkStore

WORDS = [
    "harbour",
    "rain",
    "lantern",
    "quiet",
    "morning",
    "letter",
    "road",
    "window",
    "bread",
    "winter",
    "salt",
    "rope",
    "garden",
    "candle",
    "river",
    "stone",
    "bell",
    "market",
    "tide",
    "ledger",
    "smoke",
    "orchard",
    "shutter",
]


def _paragraph(seed: int) -> str:
    """A distinct sentence of prose (the same seed gives the same sentence)."""
    chooser = random.Random(seed)
    return " ".join(chooser.choice(WORDS) for _ in range(14)).capitalize() + "."


def _chapters(count: int = 20) -> list[str]:
    """A Markdown book: a title, then ``## Chapter N`` headings, each followed by prose."""
    lines = ["# The Book", ""]
    for number in range(1, count + 1):
        lines += [f"## Chapter {number}", ""]
        for part in range(3):
            lines += [_paragraph(number * 10 + part), ""]
    return lines


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _mark(lines: list[str], line: int) -> tuple[str, str, str]:
    """The snippet and context a new bookmark on ``line`` keeps."""
    before, after = context_of(lines, line)
    return lines[line - 1], before, after


def test_chapter_heading_edit_lands_on_the_edited_line(tmp_path: Path) -> None:
    """`## Chapter 12` edited to `## Chapter 12: The Storm` -> that line, never `## Chapter 2`."""
    book = tmp_path / "book.md"
    lines = _chapters()
    _write(book, lines)
    line = lines.index("## Chapter 12") + 1
    store = BookmarkStore()
    mark = store.add(book, line, note="storm")
    edited = [("## Chapter 12: The Storm" if text == "## Chapter 12" else text) for text in lines]
    _write(book, edited)
    anchor = store.reanchor(mark)
    assert (anchor.status, anchor.line) == ("same", line)
    assert anchor.text == "## Chapter 12: The Storm"
    saved = store.get(mark.id)
    assert saved is not None
    assert (saved.line, saved.snippet) == (line, "## Chapter 12: The Storm")
    # Lines added above as well: it moves with its chapter and says so.
    _write(book, ["Preface.", "", *edited])
    moved = store.reanchor(saved)
    assert (moved.status, moved.line) == ("moved", line + 2)


def test_old_bookmark_without_context_does_not_jump_to_a_lookalike() -> None:
    """Without stored context (an old file), a weak edit near a look-alike is not taken."""
    lines = _chapters()
    line = lines.index("## Chapter 12") + 1
    edited = [("## Chapter 12: The Storm" if text == "## Chapter 12" else text) for text in lines]
    anchor = reanchor(edited, "## Chapter 12", line)
    assert anchor.line == line
    assert anchor.status in ("same", "uncertain")
    assert lines.index("## Chapter 2") + 1 != anchor.line


def test_edited_line_next_to_a_near_duplicate() -> None:
    """A line edited next to its near-duplicate lands on itself, not on the neighbour."""
    lines = [_paragraph(n) for n in range(40)]
    lines[19] = "The meeting is on Monday at ten in the harbour office."
    lines[20] = "The meeting is on Tuesday at ten in the harbour office."
    snippet, before, after = _mark(lines, 20)
    edited = list(lines)
    edited[19] = "The meeting is on Monday at eleven in the harbour office."
    anchor = reanchor(edited, snippet, 20, before, after)
    assert (anchor.status, anchor.line) == ("same", 20)
    # And the neighbour edited instead: the mark stays on the untouched line.
    other = list(lines)
    other[20] = "The meeting is on Tuesday at noon in the harbour office."
    assert (reanchor(other, snippet, 20, before, after).line) == 20


def test_deleted_line_is_gone_not_moved_elsewhere() -> None:
    """A deleted line is gone even when a similar line exists further on."""
    lines = [_paragraph(n) for n in range(60)]
    lines[45] = "She kept the letter in the tin box under the stairs for years."
    lines[20] = "She kept the letter in the tin box under the stairs for a year."
    snippet, before, after = _mark(lines, 21)
    edited = lines[:20] + lines[21:]
    anchor = reanchor(edited, snippet, 21, before, after)
    assert anchor.status == "gone"
    assert anchor.line == 21
    assert "not found" in (anchor.notice or "")


def test_line_moved_far_away_is_found() -> None:
    """A paragraph moved far away (unchanged) is found at its new place."""
    lines = [_paragraph(n) for n in range(2000)]
    snippet, before, after = _mark(lines, 30)
    moved = lines[:29] + lines[30:1800] + [lines[29]] + lines[1800:]
    anchor = reanchor(moved, snippet, 30, before, after)
    assert (anchor.status, anchor.line) == ("moved", 1800)


def test_weak_match_is_uncertain_and_keeps_the_stored_anchor(tmp_path: Path) -> None:
    """A weak match is uncertain: the bookmark keeps its line, text and fingerprint on disk."""
    doc = tmp_path / "notes.md"
    lines = [_paragraph(n) for n in range(30)]
    lines[14] = "Call the harbour master about the broken lantern before Friday."
    _write(doc, lines)
    store = BookmarkStore()
    mark = store.add(doc, 15)
    edited = list(lines)
    edited[13] = "Entirely new text above it."
    edited[14] = "Ring the harbour office about a lantern, maybe next week."
    edited[15] = "And new text below it as well."
    _write(doc, edited)
    anchor = store.reanchor(mark)
    assert anchor.status == "uncertain"
    assert anchor.line == 15
    assert anchor.candidates and anchor.candidates[0].line == 15
    assert "line 15" in (anchor.notice or "") and "uncertain" in (anchor.notice or "")
    assert store.get(mark.id) == mark
    assert yaml.safe_load(store.path.read_text())["bookmarks"][0]["snippet"] == mark.snippet


def test_old_file_without_context_still_works_and_unknown_keys_are_kept(tmp_path: Path) -> None:
    """A version-1 file without before/after loads, re-anchors, and keeps keys it does not know."""
    doc = tmp_path / "doc.txt"
    lines = [_paragraph(n) for n in range(30)]
    _write(doc, lines)
    store_path = tmp_path / "bookmarks.yaml"
    entry = {
        "id": "abc123",
        "path": str(doc),
        "title": "Doc",
        "line": 10,
        "snippet": lines[9],
        "fingerprint": "blake2b:old",
        "created": "2026-01-01T00:00:00+00:00",
        "colour": "red",
    }
    store_path.write_text(yaml.safe_dump({"version": 1, "bookmarks": [entry], "synced_by": "x"}))
    store = BookmarkStore(store_path)
    (mark,) = store.list()
    assert mark.before is None
    _write(doc, ["New first line.", *lines])
    anchors = store.reanchor_document(doc)
    assert (anchors["abc123"].status, anchors["abc123"].line) == ("moved", 11)
    data = yaml.safe_load(store_path.read_text())
    saved = data["bookmarks"][0]
    assert saved["colour"] == "red" and data["synced_by"] == "x"
    assert (saved["line"], saved["before"], saved["after"]) == (11, lines[8], lines[10])


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    code = main(["bookmarks", "check", "--json", *args])
    out = capsys.readouterr().out
    assert code == 0
    rows = json.loads(out)
    assert isinstance(rows, list)
    return rows


def test_bookmarks_check_json_on_an_edited_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`bookmarks check --json` after edits: same/moved/uncertain/gone; writes only with --fix."""
    folder = tmp_path / "library"
    folder.mkdir()
    book, notes, gone = folder / "book.md", folder / "notes.md", folder / "gone.txt"
    chapters = _chapters()
    _write(book, chapters)
    note_lines = [_paragraph(n) for n in range(30)]
    note_lines[14] = "Call the harbour master about the broken lantern before Friday."
    _write(notes, note_lines)
    _write(gone, ["Only line in a file that will be deleted."])
    store = BookmarkStore()
    heading = chapters.index("## Chapter 12") + 1
    ids = {
        "heading": store.add(book, heading).id,
        "moved": store.add(book, heading + 2).id,
        "same": store.add(notes, 3).id,
        "uncertain": store.add(notes, 15).id,
        "gone": store.add(gone, 1).id,
    }
    # Edits between add and check.
    _write(
        book,
        ["Preface.", "", *[t.replace("## Chapter 12", "## Chapter 12: Storm") for t in chapters]],
    )
    note_lines[13:16] = [
        "New above.",
        "Ring the harbour office about a lantern, maybe.",
        "New below.",
    ]
    note_lines.append("A line added at the end.")
    _write(notes, note_lines)
    gone.unlink()
    before = store.path.read_text()
    rows = {row["id"]: row for row in _check(capsys)}
    assert store.path.read_text() == before  # nothing written without --fix
    status = {name: rows[ident]["status"] for name, ident in ids.items()}
    assert status == {
        "heading": "moved",
        "moved": "moved",
        "same": "same",
        "uncertain": "uncertain",
        "gone": "gone",
    }
    assert (rows[ids["heading"]]["line"], rows[ids["heading"]]["new_line"]) == (
        heading,
        heading + 2,
    )
    assert rows[ids["uncertain"]]["new_line"] == 15
    assert "uncertain" not in rows[ids["gone"]]["note"] and rows[ids["gone"]]["note"]
    assert rows[ids["uncertain"]]["candidates"]
    # --fix writes the confident moves only.
    fixed = {row["id"]: row for row in _check(capsys, "--fix")}
    assert fixed[ids["heading"]]["saved"] and not fixed[ids["uncertain"]]["saved"]
    reread = BookmarkStore(store.path)
    assert reread.get(ids["heading"]).line == heading + 2
    assert reread.get(ids["heading"]).snippet == "## Chapter 12: Storm"
    assert reread.get(ids["uncertain"]).line == 15
    assert reread.get(ids["uncertain"]).snippet == store.get(ids["uncertain"]).snippet
    again = {row["id"]: row["status"] for row in _check(capsys)}
    assert again[ids["heading"]] == "same"
    assert again[ids["uncertain"]] == "uncertain"


def test_deleted_line_with_an_exact_copy_elsewhere_is_gone(tmp_path: Path) -> None:
    """A repeated line (two copies when marked): one deleted is gone, not moved onto the other."""
    doc = tmp_path / "news.md"
    lines = [_paragraph(n) for n in range(40)]
    lines[10] = lines[30] = "- Issue 17625: close the replace dialog after it is used."
    _write(doc, lines)
    store = BookmarkStore()
    mark = store.add(doc, 11)
    assert mark.copies == 2
    assert "copies: 2" in store.path.read_text()
    _write(doc, lines[:10] + lines[11:])
    anchor = store.reanchor(mark)
    assert (anchor.status, anchor.line) == ("gone", 11)
    assert store.get(mark.id) == mark


def test_bookmarks_check_text_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The text report: one line per bookmark with id, status, title:old->new and a note."""
    doc = tmp_path / "doc.txt"
    lines = [_paragraph(n) for n in range(20)]
    _write(doc, lines)
    mark = BookmarkStore().add(doc, 5)
    assert main(["bookmarks", "check"]) == 0
    assert capsys.readouterr().out.split()[:3] == [mark.id, "same", "Doc:5"]
    _write(doc, ["New.", *lines])
    assert main(["bookmarks", "check", "--fix"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{mark.id}  moved") and "Doc:5->6" in out and "(saved)" in out
