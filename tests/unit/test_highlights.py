"""Highlights: schema v2 (v1 read and upgraded), re-anchoring a range, finding a moved book."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tuireader.core.bookmarks.highlights import highlight_fields, locate_highlight
from tuireader.core.bookmarks.identity import text_fingerprint
from tuireader.core.bookmarks.marking import add_highlight
from tuireader.core.bookmarks.reanchor import MOVED, SAME
from tuireader.core.bookmarks.store import BookmarkError, BookmarkStore
from tuireader.core.bookmarks.sync import marks_for_document, moved_marks

WORDS = [
    "river",
    "orchard",
    "lantern",
    "granite",
    "meadow",
    "harbor",
    "pepper",
    "violin",
    "summit",
    "ember",
    "thistle",
    "cobalt",
    "saffron",
    "glacier",
    "willow",
    "marble",
    "falcon",
    "juniper",
    "quartz",
    "heron",
    "tundra",
    "cedar",
    "lagoon",
    "bramble",
    "copper",
    "dune",
    "fjord",
    "hazel",
    "ivory",
    "basalt",
]
PARAGRAPHS = [
    f"The {word} chapter ({n}) tells what happened in the valley when the {WORDS[-n - 1]} came."
    for n, word in enumerate(WORDS)
]


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    """A document of distinct paragraphs, one line each, blank lines between."""
    path = tmp_path / "valley.txt"
    path.write_text("\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    return path


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_v1_file_is_read_and_upgraded_on_next_write_keeping_unknown_keys(
    tmp_path: Path, doc: Path
) -> None:
    """A version 1 file reads as it is; the next change writes version 2 with unknown keys."""
    store_path = tmp_path / "bookmarks.yaml"
    store_path.write_text(
        "version: 1\n"
        "synced_by: laptop\n"
        "bookmarks:\n"
        f"- id: old1\n  path: {doc}\n  title: Valley\n  line: 3\n"
        f"  snippet: '{PARAGRAPHS[1]}'\n  fingerprint: blake2b:00\n"
        "  colour: red\n  created: '2026-01-01T10:00:00+00:00'\n",
        encoding="utf-8",
    )
    store = BookmarkStore(store_path)
    assert not store.read_only
    (old,) = store.list()
    assert (old.line, old.is_highlight, old.extra["colour"]) == (3, False, "red")
    assert yaml.safe_load(store_path.read_text())["version"] == 1  # reading changes nothing
    add_highlight(store, doc, 5, 7, note="why")
    data = yaml.safe_load(store_path.read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["synced_by"] == "laptop"
    first, second = data["bookmarks"]
    assert first["id"] == "old1" and first["colour"] == "red" and "end_line" not in first
    assert (second["line"], second["end_line"]) == (5, 7)
    assert second["quote"] == f"{PARAGRAPHS[2]}\n\n{PARAGRAPHS[3]}"
    assert second["before"] == PARAGRAPHS[1] and second["after"] == PARAGRAPHS[4]
    assert second["text_fingerprint"] == text_fingerprint(_lines(doc))
    assert second["note"] == "why"
    # And it reads back as the same highlight.
    again = BookmarkStore(store_path).list()[1]
    assert again.is_highlight and again.quote == second["quote"] and again.last_line == 7


def test_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    """A file from a newer tuireader makes the store read-only, not rewritten."""
    path = tmp_path / "b.yaml"
    path.write_text("version: 3\nbookmarks: []\n", encoding="utf-8")
    store = BookmarkStore(path)
    assert store.read_only and "version 3" in (store.error or "")


def test_end_line_before_line_is_a_schema_error(tmp_path: Path) -> None:
    """end_line must not come before line."""
    path = tmp_path / "b.yaml"
    path.write_text(
        "version: 2\nbookmarks:\n- {id: a, path: /x, line: 5, end_line: 2}\n", encoding="utf-8"
    )
    store = BookmarkStore(path)
    assert store.read_only and "end_line" in (store.error or "")


def test_highlight_fields_trim_blank_edges_and_refuse_empty() -> None:
    """Blank lines at either end of a selection are left out; a blank selection is refused."""
    lines = ["", "one", "", "two", "", ""]
    fields = highlight_fields(lines, 1, 6)
    assert (fields.line, fields.end_line, fields.quote) == (2, 4, "one\n\ntwo")
    with pytest.raises(ValueError):
        highlight_fields(lines, 5, 6)
    with pytest.raises(ValueError):
        highlight_fields(lines, 0, 9)


def test_highlight_found_after_lines_inserted_above(tmp_path: Path, doc: Path) -> None:
    """Lines inserted above move the whole highlight; the store saves the new range."""
    store = BookmarkStore(tmp_path / "b.yaml")
    mark = add_highlight(store, doc, 21, 25)
    lines = _lines(doc)
    lines[0:0] = ["A new preface.", "", "Another new line.", ""]
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    anchor = store.reanchor(mark)
    assert anchor.status == MOVED and anchor.line == 25
    (saved,) = store.list()
    assert (saved.line, saved.end_line) == (25, 29)
    assert saved.quote == mark.quote
    assert saved.text_fingerprint == text_fingerprint(_lines(doc))


@pytest.mark.parametrize("changed_line", [21, 23, 25])
def test_highlight_found_after_a_word_inside_changed(
    tmp_path: Path, doc: Path, changed_line: int
) -> None:
    """A word changed in the first, a middle or the last line: same range, new quote saved."""
    store = BookmarkStore(tmp_path / "b.yaml")
    mark = add_highlight(store, doc, 21, 25)
    lines = _lines(doc)
    lines[changed_line - 1] = lines[changed_line - 1].replace("valley", "canyon")
    lines[0:0] = ["Inserted above.", ""]
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    anchor = store.reanchor(mark)
    assert anchor.confident and anchor.line == 23
    (saved,) = store.list()
    assert (saved.line, saved.end_line) == (23, 27)
    assert "canyon" in saved.quote and saved.quote != mark.quote


def test_highlight_found_when_its_end_survives_and_start_is_rewritten(doc: Path) -> None:
    """With the first line rewritten beyond recognition, the end still places the range."""
    lines = _lines(doc)
    store_mark = highlight_fields(lines, 21, 25)
    from tuireader.core.bookmarks.schema import Bookmark

    mark = Bookmark(
        id="h",
        path=doc,
        title="t",
        line=store_mark.line,
        end_line=store_mark.end_line,
        snippet=store_mark.snippet,
        quote=store_mark.quote,
        before=store_mark.before,
        after=store_mark.after,
        fingerprint="x",
    )
    lines[20] = "Completely different words now stand here, nothing alike at all, zzz."
    lines[0:0] = ["Inserted.", ""]
    found = locate_highlight(lines, mark)
    assert found.confident
    assert (found.anchor.line, found.end_line) == (23, 27)


def test_unchanged_document_is_same(tmp_path: Path, doc: Path) -> None:
    """An unchanged document keeps the highlight as it is, writing nothing."""
    store = BookmarkStore(tmp_path / "b.yaml")
    mark = add_highlight(store, doc, 3, 5)
    before = store.path.read_bytes()
    assert store.reanchor(mark).status == SAME
    assert store.path.read_bytes() == before


def test_add_highlight_refuses_a_blank_range(tmp_path: Path, doc: Path) -> None:
    """A selection of blank lines is a one-line error."""
    store = BookmarkStore(tmp_path / "b.yaml")
    with pytest.raises(BookmarkError, match="no text"):
        add_highlight(store, doc, 2, 2)


def test_marks_found_by_text_fingerprint_after_a_move(tmp_path: Path, doc: Path) -> None:
    """The same book at another path (CRLF line ends too) finds the marks made on the old copy."""
    store = BookmarkStore(tmp_path / "b.yaml")
    highlight = add_highlight(store, doc, 5, 7, note="n")
    bookmark = store.add(doc, 9)
    elsewhere = tmp_path / "other machine" / "valley copy.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(doc.read_bytes().replace(b"\n", b"\r\n"))
    assert store.list(elsewhere) == []  # by path: nothing
    assert marks_for_document(store, elsewhere) == []  # the old copy is still there
    assert moved_marks(store, elsewhere) == []
    doc.unlink()
    found = marks_for_document(store, elsewhere)
    assert {mark.id for mark in found} == {highlight.id, bookmark.id}
    # A different book is not matched.
    different = tmp_path / "different.txt"
    different.write_text("Something else entirely.\n", encoding="utf-8")
    assert marks_for_document(store, different) == []
    # Nothing was rewritten: the file keeps the old path (no flip-flop between machines).
    assert all(mark.path == doc.resolve() for mark in store.list())


def test_highlight_among_look_alike_lines_found_by_its_whole_quote(tmp_path: Path) -> None:
    """Lines that differ only by a number: the unchanged quote, in one place, is taken."""
    path = tmp_path / "alike.txt"
    alike = [f"Item {n} of the inventory, counted twice." for n in range(40)]
    path.write_text("\n".join(alike) + "\n", encoding="utf-8")
    store = BookmarkStore(tmp_path / "b.yaml")
    mark = add_highlight(store, path, 11, 13)
    path.write_text("\n".join(["New line."] * 3 + alike) + "\n", encoding="utf-8")
    found = locate_highlight(path.read_text().splitlines(), mark)
    assert found.confident and (found.anchor.line, found.end_line) == (14, 16)
    # Two identical copies of the quote: kept at its old place, never moved onto the twin.
    path.write_text("\n".join(alike + alike) + "\n", encoding="utf-8")
    twice = locate_highlight(path.read_text().splitlines(), mark)
    assert twice.anchor.line == 11 and (twice.anchor.status == "same" or not twice.confident)


def test_hashtags_in_a_highlight_note_become_tags(tmp_path: Path, doc: Path) -> None:
    """As for bookmarks, ``#words`` in the note are tags (besides those given)."""
    store = BookmarkStore(tmp_path / "b.yaml")
    mark = add_highlight(store, doc, 3, 5, note="About the #harbour and #ships", tags=["given"])
    assert mark.tags == ("given", "harbour", "ships")
