"""The bookmarks store's rules, each with its exact outcome: snapping, refreshing, editing,
restoring, and re-anchoring that saves a mark's new line, context and copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.bookmarks.marking import add_highlight
from tuireader.core.bookmarks.reanchor import MISSING, MOVED, SAME, Anchor, fingerprint_file
from tuireader.core.bookmarks.store import BLANK_SNAP_LINES, Bookmark, BookmarkError, BookmarkStore


def _write(path: Path, lines: list[str]) -> Path:
    """Write ``lines`` as a text file and return its path."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _lines(path: Path) -> list[str]:
    """The lines of a text file."""
    return path.read_text(encoding="utf-8").splitlines()


def test_a_blank_line_looks_49_lines_ahead_and_no_further(tmp_path: Path) -> None:
    """Text 49 lines below a blank mark is taken; 50 lines below, the text above is."""
    assert BLANK_SNAP_LINES == 50
    reach = _write(tmp_path / "reach.txt", ["top text", *[""] * 49, "far text"])
    beyond = _write(tmp_path / "beyond.txt", ["top text", *[""] * 50, "far text"])
    store = BookmarkStore()
    assert store.add(reach, 2).line == 51
    assert store.add(beyond, 2).line == 1


def test_refresh_says_whether_the_file_changed(tmp_path: Path) -> None:
    """False while the file is as read; True once another process changed it."""
    doc = _write(tmp_path / "doc.txt", ["one", "two"])
    store = BookmarkStore()
    store.add(doc, 1)
    assert store.refresh() is False
    BookmarkStore(store.path).add(doc, 2)
    assert store.refresh() is True
    assert store.refresh() is False
    assert store.get("nosuch") is None


def test_editing_the_note_retags_from_its_hashtags(tmp_path: Path) -> None:
    """Tags named by the old note's #hashtags give way to the new note's."""
    doc = _write(tmp_path / "doc.txt", ["one", "two"])
    store = BookmarkStore()
    mark = store.add(doc, 1, note="about #sea", tags=["kept"])
    assert mark.tags == ("kept", "sea")
    edited = store.edit(mark.id, note="about #land")
    assert (edited.note, edited.tags) == ("about #land", ("kept", "land"))


def test_transform_applies_a_change_and_returns_its_result(tmp_path: Path) -> None:
    """transform runs the change on the marks as on disk and writes what it left."""
    doc = _write(tmp_path / "doc.txt", ["one", "two"])
    store = BookmarkStore()
    first = store.add(doc, 1)
    store.add(doc, 2)
    assert store.transform(lambda marks: marks.pop().line) == 2
    assert [mark.id for mark in BookmarkStore(store.path).list()] == [first.id]


def test_restore_puts_a_mark_back_at_the_end_it_was_removed_from(tmp_path: Path) -> None:
    """The last mark, removed and restored, is last again, although older than the first."""
    doc = _write(tmp_path / "doc.txt", ["one", "two"])
    store = BookmarkStore()
    newer = store.add(doc, 1)
    older = store.append(newer.replace(line=2, created="2000-01-01T00:00:00+00:00"))
    store.restore(store.remove(older.id))
    assert [mark.id for mark in store.list()] == [newer.id, older.id]


def test_restore_gives_a_fresh_id_when_its_id_was_taken(tmp_path: Path) -> None:
    """A restored mark whose id another mark took meanwhile gets a new, unused id."""
    doc = _write(tmp_path / "doc.txt", ["one", "two"])
    store = BookmarkStore()
    mark = store.add(doc, 1)
    store.remove(mark.id)
    store.append(mark.replace(line=2))
    taker = store.list()[0]
    store.transform(lambda marks: marks.__setitem__(0, taker.replace(id=mark.id)))
    restored = store.restore(mark)
    assert isinstance(restored.id, str) and len(restored.id) == 6 and restored.id != mark.id
    assert sorted(m.id for m in store.list()) == sorted([mark.id, restored.id])


def test_relocating_to_a_missing_file_names_it(tmp_path: Path) -> None:
    """The one-line error names the missing target."""
    doc = _write(tmp_path / "doc.txt", ["one"])
    store = BookmarkStore()
    mark = store.add(doc, 1)
    with pytest.raises(BookmarkError) as caught:
        store.relocate(mark.id, tmp_path / "absent.txt")
    assert str(caught.value) == f"{(tmp_path / 'absent.txt').resolve()}: no such file"


def test_a_temp_file_that_cannot_be_removed_does_not_stop_a_write(tmp_path: Path) -> None:
    """A folder named like a killed writer's temp file is left alone; the mark is written."""
    doc = _write(tmp_path / "doc.txt", ["one"])
    store = BookmarkStore()
    stray = store.path.parent / f".{store.path.name}.stray.tmp"
    stray.mkdir(parents=True)
    assert store.add(doc, 1).line == 1
    assert stray.is_dir()


def test_an_unchanged_document_locates_at_the_same_line_with_its_current_text(
    tmp_path: Path,
) -> None:
    """Same fingerprint: the mark is where it was; with the lines given, the text is the line's
    own (spaces kept), up to the last line."""
    doc = _write(tmp_path / "doc.txt", ["first line", "last   line"])
    store = BookmarkStore()
    mark = store.add(doc, 2)
    assert mark.snippet == "last line"
    assert store.locate(mark, _lines(doc)) == Anchor(SAME, 2, 2, "last   line")
    assert store.locate(mark) == Anchor(SAME, 2, 2, "last line")
    assert store.reanchor(mark, _lines(doc)) == Anchor(SAME, 2, 2, "last   line")
    doc.unlink()
    assert store.locate(mark) == Anchor(MISSING, 2, 2)
    assert store.reanchor_document(doc) == {mark.id: Anchor(MISSING, 2, 2)}


def _moved(tmp_path: Path) -> tuple[BookmarkStore, Path, str]:
    """A store with a mark on 'the marked line', then two lines inserted above it."""
    doc = _write(tmp_path / "doc.txt", ["alpha text", "the marked line", "omega text"])
    store = BookmarkStore()
    mark = store.add(doc, 2)
    _write(doc, ["new one", "alpha text", "new two", "the marked line", "omega text"])
    return store, doc, mark.id


def test_opening_a_changed_document_saves_each_marks_new_line_and_context(
    tmp_path: Path,
) -> None:
    """reanchor_document reads the document once and saves line, context, copies, fingerprint."""
    store, doc, ident = _moved(tmp_path)
    anchors = store.reanchor_document(doc)
    assert (anchors[ident].status, anchors[ident].line) == (MOVED, 4)
    saved = BookmarkStore(store.path).get(ident)
    assert saved is not None
    assert (saved.line, saved.before, saved.after, saved.copies) == (
        4,
        "new two",
        "omega text",
        1,
    )
    assert saved.fingerprint == fingerprint_file(doc)


def test_reanchoring_without_the_lines_saves_the_line_and_keeps_the_context(
    tmp_path: Path,
) -> None:
    """Without the document's lines the new line and fingerprint are saved, the context kept."""
    store, _, ident = _moved(tmp_path)
    mark = store.get(ident)
    assert mark is not None
    assert store.reanchor(mark).line == 4
    saved = store.get(ident)
    assert saved is not None
    assert (saved.line, saved.before, saved.after) == (4, "alpha text", "omega text")


def test_reanchoring_a_mark_moved_to_the_last_line_saves_its_context_and_copies(
    tmp_path: Path,
) -> None:
    """The mark now on the last line: its context below is empty, its copies are its own
    (the line above it, 'zeta', has two)."""
    doc = _write(tmp_path / "doc.txt", ["alpha text", "the marked line", "omega text"])
    store = BookmarkStore()
    mark = store.add(doc, 2)
    lines = ["zeta", "alpha text", "omega text", "zeta", "the marked line"]
    _write(doc, lines)
    store.reanchor(mark, lines)
    saved = store.get(mark.id)
    assert saved is not None
    assert (saved.line, saved.before, saved.after, saved.copies) == (5, "zeta", "", 1)


def test_reanchoring_writes_nothing_when_nothing_changed(tmp_path: Path) -> None:
    """An unchanged document: the file is not rewritten."""
    doc = _write(tmp_path / "doc.txt", ["alpha text", "the marked line", "omega text"])
    store = BookmarkStore()
    mark = store.add(doc, 2)
    before = store.path.stat()
    assert store.reanchor(mark, _lines(doc)).status == SAME
    after = store.path.stat()  # the same file, not a new one written over it
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_reanchoring_a_mark_deleted_meanwhile_is_quiet(tmp_path: Path) -> None:
    """Another process removed the mark: re-anchoring finds it but saves nothing, no error."""
    store, doc, ident = _moved(tmp_path)
    mark = store.get(ident)
    assert mark is not None
    BookmarkStore(store.path).remove(ident)
    assert store.reanchor(mark, _lines(doc)).line == 4
    assert store.get(ident) is None


def test_a_blank_line_looks_49_lines_back_and_no_further(tmp_path: Path) -> None:
    """With no text below: text 49 lines above is taken, 50 lines above is not, and a mark
    with text in neither reach stays where it is."""
    reach = _write(tmp_path / "reach.txt", ["top text", *[""] * 49])
    beyond = _write(tmp_path / "beyond.txt", ["top text", *[""] * 50])
    far_end = _write(tmp_path / "far.txt", [*[""] * 59, "end text"])
    store = BookmarkStore()
    assert store.add(reach, 50).line == 1
    assert store.add(beyond, 51).line == 51
    assert store.add(far_end, 2).line == 2


def test_the_lock_file_sits_beside_the_bookmarks_file(tmp_path: Path) -> None:
    """Every tuireader agrees on the lock: the file's name plus '.lock', in its folder."""
    assert BookmarkStore(tmp_path / "marks.yaml").lock_path == tmp_path / "marks.yaml.lock"


def test_a_lazy_store_on_a_missing_file_lists_nothing(tmp_path: Path) -> None:
    """Not read yet and no file: no marks, no error."""
    store = BookmarkStore(tmp_path / "none.yaml", load=False)
    assert store.list() == [] and store.error is None


def test_the_first_mark_creates_the_missing_folders(tmp_path: Path) -> None:
    """A bookmarks file in folders that do not exist yet: they are made."""
    doc = _write(tmp_path / "doc.txt", ["one"])
    store = BookmarkStore(tmp_path / "a" / "b" / "marks.yaml")
    mark = store.add(doc, 1, title="Given")
    assert (mark.title, mark.note, mark.tags) == ("Given", "", ())
    assert [m.id for m in BookmarkStore(store.path).list()] == [mark.id]


def test_a_file_turning_bad_makes_the_store_read_only_with_the_reason(tmp_path: Path) -> None:
    """A change finding the file broken: refused, nothing listed, the reason kept and repeated."""
    doc = _write(tmp_path / "doc.txt", ["one"])
    store = BookmarkStore()
    store.add(doc, 1)
    store.path.write_text("version: 2\nbookmarks: 7\n", encoding="utf-8")
    reason = f"{store.path}: 'bookmarks' must be a list"
    with pytest.raises(BookmarkError) as caught:
        store.add(doc, 1)
    assert str(caught.value) == reason
    assert store.error == reason and store._bookmarks == []
    with pytest.raises(BookmarkError) as again:
        store.add(doc, 1)
    assert str(again.value) == f"bookmarks are read-only: {reason}"


def _highlighted(tmp_path: Path) -> tuple[BookmarkStore, Path, Bookmark]:
    """A highlight of two lines, then two lines inserted above them."""
    doc = _write(tmp_path / "doc.txt", ["alpha text", "first marked", "second marked", "omega"])
    store = BookmarkStore()
    mark = add_highlight(store, doc, 2, 3)
    _write(doc, ["new one", "new two", *_lines(doc)])
    return store, doc, mark


def test_a_moved_highlight_is_located_and_saved_at_its_new_lines(tmp_path: Path) -> None:
    """Located with or without the lines; re-anchoring saves both ends."""
    store, doc, mark = _highlighted(tmp_path)
    assert (store.locate(mark).status, store.locate(mark).line) == (MOVED, 4)
    assert store.locate(mark, _lines(doc)).line == 4
    store.reanchor(mark, _lines(doc))
    saved = store.get(mark.id)
    assert saved is not None and (saved.line, saved.end_line) == (4, 5)


def test_opening_a_changed_document_saves_its_highlights_new_lines(tmp_path: Path) -> None:
    """reanchor_document passes the lines and fingerprint it read on to each highlight."""
    store, doc, mark = _highlighted(tmp_path)
    assert store.reanchor_document(doc)[mark.id].line == 4
    saved = store.get(mark.id)
    assert saved is not None and (saved.line, saved.end_line) == (4, 5)
    assert saved.fingerprint == fingerprint_file(doc)


def test_an_unchanged_highlight_is_not_rewritten(tmp_path: Path) -> None:
    """Nothing to save: the bookmarks file stays the same file."""
    doc = _write(tmp_path / "doc.txt", ["alpha text", "first marked", "second marked", "omega"])
    store = BookmarkStore()
    mark = add_highlight(store, doc, 2, 3)
    before = store.path.stat()
    assert store.reanchor(mark, _lines(doc)).status == SAME
    after = store.path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_re_anchoring_a_highlight_deleted_meanwhile_is_quiet(tmp_path: Path) -> None:
    """Another process removed the highlight: found, nothing saved, no error."""
    store, doc, mark = _highlighted(tmp_path)
    BookmarkStore(store.path).remove(mark.id)
    assert store.reanchor(mark, _lines(doc)).line == 4
    assert store.get(mark.id) is None
