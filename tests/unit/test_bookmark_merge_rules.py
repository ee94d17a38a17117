"""The rules of merging two bookmark lists, one by one, with exact results.

Same document: same path, or the same text fingerprint at another path.  Notes:
kept once when one holds the other, else joined.  A clashing id gets a new one.
"""

from __future__ import annotations

from pathlib import Path

from tuireader.core.bookmarks.merge import (
    NOTE_SEPARATOR,
    _joined_note,
    merge_marks,
    same_document,
)
from tuireader.core.bookmarks.schema import _ID_ALPHABET, _ID_LENGTH, Bookmark


def _mark(ident: str, path: str, line: int = 3, **fields: object) -> Bookmark:
    """A bookmark of ``line`` in the document at ``path``."""
    return Bookmark(
        id=ident,
        path=Path(path),
        title="T",
        line=line,
        snippet="text",
        fingerprint="blake2b:0",
        **fields,  # type: ignore[arg-type]
    )


def test_a_document_moved_to_another_path_is_the_same_by_its_text_fingerprint() -> None:
    """Two paths with one text fingerprint are one document; two empty ones are not."""
    here = _mark("aaaaaa", "/books/a.txt", text_fingerprint="text:1")
    moved = _mark("bbbbbb", "/moved/a.txt", text_fingerprint="text:1")
    other = _mark("cccccc", "/moved/b.txt", text_fingerprint="text:2")
    assert same_document(here, moved)
    assert not same_document(here, other)
    assert not same_document(_mark("a", "/x.txt"), _mark("b", "/y.txt"))


def test_the_same_lines_of_a_moved_document_merge_into_one_mark() -> None:
    """Their mark on the moved copy (same lines, same text) adds its tag to ours."""
    ours = [_mark("aaaaaa", "/books/a.txt", text_fingerprint="text:1", tags=("x",))]
    theirs = [_mark("bbbbbb", "/moved/a.txt", text_fingerprint="text:1", tags=("y",))]
    report = merge_marks(ours, theirs)
    assert report.added == [] and report.unchanged == 0
    assert report.updated == [ours[0]]
    assert ours[0].id == "aaaaaa" and ours[0].tags == ("x", "y")


def test_a_note_already_holding_the_other_is_kept_once() -> None:
    """Notes join only when neither holds the other."""
    assert _joined_note("a long note", "long") == "a long note"
    assert _joined_note("long", "a long note") == "a long note"
    assert _joined_note("", "theirs") == "theirs"
    assert _joined_note("ours", "") == "ours"
    assert _joined_note("ours", "theirs") == "ours" + NOTE_SEPARATOR + "theirs"


def test_a_clashing_id_gets_a_fresh_id_of_the_usual_form() -> None:
    """Their mark with our mark's id on another document is added under a new, unused id."""
    ours = [_mark("aaaaaa", "/books/a.txt", text_fingerprint="text:1")]
    theirs = [_mark("aaaaaa", "/books/b.txt", text_fingerprint="text:2")]
    report = merge_marks(ours, theirs)
    added = report.added[0]
    assert ours == [ours[0], added] and len(ours) == 2
    assert isinstance(added.id, str) and len(added.id) == _ID_LENGTH
    assert set(added.id) <= set(_ID_ALPHABET) and added.id != "aaaaaa"
    assert added.replace(id="aaaaaa") == theirs[0]


def test_the_report_lists_the_marks_whose_note_grew() -> None:
    """A merged note is reported with the mark as it now is."""
    ours = [_mark("aaaaaa", "/books/a.txt", note="mine")]
    report = merge_marks(ours, [_mark("aaaaaa", "/books/a.txt", note="theirs")])
    assert report.updated == [ours[0]]
    assert ours[0].note == "mine" + NOTE_SEPARATOR + "theirs"
    assert report.summary() == "added 0, merged notes or tags of 1, 0 already present"
