"""Bookmarks store: the less travelled paths, each with the exact outcome."""

from __future__ import annotations

from pathlib import Path

import filelock
import pytest

from tuireader.core.bookmarks.store import BookmarkError, BookmarkStore


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    """A document with blank stretches at its start and its end."""
    path = tmp_path / "doc.txt"
    lines = ["", "", "first text", "", "middle", *[""] * 60, "last text", "", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_blank_lines_snap_forward_then_back(doc: Path) -> None:
    """A mark on a blank line moves to the next text line, or back when none follows soon."""
    store = BookmarkStore()
    assert store.add(doc, 1).line == 3  # forward to "first text"
    assert store.add(doc, 4).line == 5
    assert store.add(doc, 68).line == 66  # after "last text" only blanks: back to it
    assert store.add(doc, 20).line == 66  # "last text" is 46 lines ahead: within the 50 looked at
    assert store.add(doc, 2, snap=False).line == 2


def test_refused_adds(doc: Path, tmp_path: Path) -> None:
    """Empty documents, missing files and lines outside the document are refused in one line."""
    store = BookmarkStore()
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(BookmarkError, match=r"empty\.txt: the document is empty"):
        store.add(empty, 1)
    with pytest.raises(BookmarkError, match="no such file"):
        store.add(tmp_path / "missing.txt", 1)
    with pytest.raises(BookmarkError, match=r"line 69 is outside the document \(1-68\)"):
        store.add(doc, 69)
    with pytest.raises(BookmarkError, match=r"line 0 is outside"):
        store.add(doc, 0)


def test_lock_held_elsewhere_and_unwritable_folder(
    doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock held by another process, or a folder that cannot be made, is one clear error."""
    import tuireader.core.bookmarks.store as store_module

    monkeypatch.setattr(store_module, "LOCK_TIMEOUT", 0.05)
    store = BookmarkStore(tmp_path / "bm.yaml")
    with filelock.FileLock(str(store.lock_path)), pytest.raises(BookmarkError) as caught:
        store.add(doc, 3)
    assert str(caught.value) == f"{store.lock_path}: another tuireader holds the lock"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BookmarkError) as caught:
        BookmarkStore(blocker / "bm.yaml").add(doc, 3)
    assert str(caught.value) == f"{blocker / 'bm.yaml'}: File exists"


def test_edit_changes_only_what_is_given_and_unknown_ids_fail(doc: Path) -> None:
    """edit changes the given fields (cleaned); unknown ids are refused by name."""
    store = BookmarkStore()
    mark = store.add(doc, 3, note="n", tags=["a"], title="T")
    assert store.edit(mark.id, note="  new  ").note == "new"
    edited = store.edit(mark.id, tags=["x, y", "x", "\x1b[31mz"], title="  Title ")
    assert (edited.note, edited.tags, edited.title) == ("new", ("x", "y", "z"), "Title")
    for change in (store.edit, store.remove):
        with pytest.raises(BookmarkError, match="no bookmark with id 'nope'"):
            change("nope")


def test_restore_goes_back_in_creation_order_without_a_remembered_place(doc: Path) -> None:
    """A bookmark restored by another store goes among the others by creation time."""
    store = BookmarkStore()
    first = store.add(doc, 3).replace()
    second = store.add(doc, 5)
    removed = store.remove(first.id)
    other = BookmarkStore(store.path)  # does not know where it was
    restored = other.restore(removed.replace(created="0000"))
    assert [b.id for b in other.list()] == [restored.id, second.id]
    taken = other.restore(second)  # its id is taken meanwhile: a fresh id
    assert taken.id != second.id and [b.id for b in other.list()][-1] == taken.id


def test_locate_same_document_uses_given_lines_and_reanchor_missing(
    doc: Path, tmp_path: Path
) -> None:
    """An unchanged document reports the given lines' text; a deleted one is missing."""
    store = BookmarkStore()
    mark = store.add(doc, 3)
    lines = doc.read_text().splitlines()
    lines[2] = "text shown from the lines given"
    assert store.locate(mark, lines).text == "text shown from the lines given"
    assert store.locate(mark, lines[:2]).text == "first text"  # too short: the snippet
    doc.unlink()
    anchors = store.reanchor_document(doc)
    assert {key: value.status for key, value in anchors.items()} == {mark.id: "missing"}
    assert store.reanchor_document(tmp_path / "never-marked.txt") == {}
