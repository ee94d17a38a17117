"""Writing bookmarks: each optional key of a mark, exactly as it is written and read back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuireader.core.bookmarks import schema
from tuireader.core.bookmarks.schema import (
    Bookmark,
    BookmarkFile,
    BookmarkFileError,
    parse_bookmark,
    parse_bookmark_bytes,
    read_bookmark_bytes,
    read_bookmark_file,
    render_bookmark_file,
)
from tuireader.core.yamlio import dump_yaml

SOURCE = Path("/b.yaml")


def _mark(**fields: object) -> Bookmark:
    """A bookmark of line 2 of /docs/a.txt with ``fields`` changed."""
    mark = Bookmark("id1", Path("/docs/a.txt"), "A", 2, "snip", "fp", created="c")
    return mark.replace(**fields)


def _read_back(mark: Bookmark) -> Bookmark:
    """The mark as written to a file and read again."""
    text = render_bookmark_file(BookmarkFile([mark], {}))
    return parse_bookmark_bytes(text.encode("utf-8"), SOURCE).bookmarks[0]


def test_a_plain_bookmark_writes_only_its_own_keys() -> None:
    """No end_line, quote, context or copies for a mark of one line without them."""
    assert _mark().to_yaml() == {
        "id": "id1", "path": "/docs/a.txt", "title": "A", "line": 2, "snippet": "snip",
        "fingerprint": "fp", "created": "c",
    }  # fmt: skip


def test_a_highlight_writes_its_last_line_and_quote_in_order() -> None:
    """end_line follows line and quote follows snippet; both read back."""
    mark = _mark(end_line=4, quote="three lines\nof text")
    data = mark.to_yaml()
    assert list(data) == [
        "id", "path", "title", "line", "end_line", "snippet", "quote", "fingerprint", "created",
    ]  # fmt: skip
    assert (data["end_line"], data["quote"]) == (4, "three lines\nof text")
    assert _read_back(mark) == mark
    assert mark.to_json()["kind"] == "highlight"
    assert (mark.to_json()["end_line"], mark.to_json()["quote"]) == (4, "three lines\nof text")


def test_context_is_written_only_with_both_sides() -> None:
    """A mark knowing only one neighbour writes neither (context needs both)."""
    assert "before" not in _mark(before="above").to_yaml()
    assert "after" not in _mark(after="below").to_yaml()
    both = _mark(before="above", after="")
    assert (both.to_yaml()["before"], both.to_yaml()["after"]) == ("above", "")
    assert _read_back(both) == both


def test_copies_are_written_from_two() -> None:
    """One copy is the default and not written; two or more are."""
    assert "copies" not in _mark(copies=1).to_yaml()
    assert _mark(copies=2).to_yaml()["copies"] == 2
    assert _read_back(_mark(copies=3)).copies == 3


def test_a_path_that_is_not_utf8_is_written_readable_and_exact() -> None:
    """'path' shows the name readably, 'path_bytes' keeps the exact bytes; both read back."""
    odd = Path(os.fsdecode(b"/docs/caf\xe9.txt"))
    data = _mark(path=odd).to_yaml()
    assert data["path"] == "/docs/caf\ufffd.txt"
    assert data["path_bytes"] == b"/docs/caf\xe9.txt".hex()
    assert list(data)[:3] == ["id", "path", "path_bytes"]
    assert os.fsencode(_read_back(_mark(path=odd)).path) == b"/docs/caf\xe9.txt"
    assert "path_bytes" not in _mark().to_yaml()


def test_unknown_keys_are_kept_but_never_replace_known_ones() -> None:
    """Extra keys are written after the known ones; an extra named like a field is not."""
    mark = _mark(extra={"colour": "red", "line": 99, "quote": "stale", "title": "Old"})
    data = mark.to_yaml()
    assert data["colour"] == "red" and list(data)[-1] == "colour"
    assert data["line"] == 2 and data["title"] == "A" and "quote" not in data


def test_paths_are_written_as_they_are_when_home_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No home folder (Path.home fails): the path is written in full."""

    def no_home() -> Path:
        raise RuntimeError("no home")

    monkeypatch.setattr(Path, "home", no_home)
    assert _mark().to_yaml()["path"] == "/docs/a.txt"


def test_reading_errors_name_the_file(tmp_path: Path) -> None:
    """A bad bookmarks file is refused with its own path in the message."""
    bad = tmp_path / "marks.yaml"
    bad.write_text("version: 2\nbookmarks: {}\n", encoding="utf-8")
    with pytest.raises(BookmarkFileError) as caught:
        read_bookmark_file(bad)
    assert str(caught.value) == f"{bad}: 'bookmarks' must be a list"


def test_each_mark_is_dumped_once_and_changes_are_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering twice dumps an unchanged mark once; a changed (new) mark is dumped again,
    and a full cache is emptied before it grows."""
    monkeypatch.setattr(schema, "_FRAGMENTS", {})
    dumped: list[object] = []

    def counting(data: object) -> str:
        dumped.append(data)
        return dump_yaml(data)

    monkeypatch.setattr(schema, "dump_yaml", counting)
    first, second = _mark(), _mark(id="id2", line=3)
    data = BookmarkFile([first, second], {})
    text = render_bookmark_file(data)
    assert len(dumped) == 3  # the version line and two marks
    assert render_bookmark_file(data) == text and len(dumped) == 4  # only the version again
    changed = first.replace(note="a note")
    data.bookmarks[0] = changed
    assert "note: a note" in render_bookmark_file(data) and len(dumped) == 6
    assert schema._FRAGMENTS[id(changed)] == (changed, schema._fragment(changed))
    monkeypatch.setattr(schema, "_MAX_FRAGMENTS", 3)
    third = _mark(id="id3")
    schema._fragment(third)
    assert list(schema._FRAGMENTS) == [id(third)]


OK = {"id": "a", "path": "/x", "line": 2}


@pytest.mark.parametrize("key", ["snippet", "fingerprint", "quote", "text_fingerprint"])
def test_each_text_field_must_be_text(key: str) -> None:
    """A list where text belongs is refused, naming the file, the mark and the key."""
    with pytest.raises(BookmarkFileError) as caught:
        parse_bookmark({**OK, key: ["x"]}, 0, SOURCE)
    assert str(caught.value) == f"/b.yaml: bookmark 'a': '{key}' must be text"


@pytest.mark.parametrize("key", ["before", "after"])
def test_each_context_line_must_be_text(key: str) -> None:
    """The same for the context lines, given on both sides."""
    raw = {**OK, "before": "up", "after": "down", key: {"x": 1}}
    with pytest.raises(BookmarkFileError) as caught:
        parse_bookmark(raw, 0, SOURCE)
    assert str(caught.value) == f"/b.yaml: bookmark 'a': '{key}' must be text"


def test_context_is_read_only_with_both_sides() -> None:
    """One side alone is dropped; both sides are kept, empty ones too."""
    assert parse_bookmark({**OK, "before": "up"}, 0, SOURCE).before is None
    assert parse_bookmark({**OK, "after": "down"}, 0, SOURCE).after is None
    both = parse_bookmark({**OK, "before": "up", "after": None}, 0, SOURCE)
    assert (both.before, both.after) == ("up", "")


@pytest.mark.parametrize("end_line", [True, 1, 2.5, "3"])
def test_a_highlights_last_line_is_a_whole_number_from_its_first(end_line: object) -> None:
    """end_line below line, a boolean, a fraction or text is refused in one line."""
    with pytest.raises(BookmarkFileError) as caught:
        parse_bookmark({**OK, "end_line": end_line}, 0, SOURCE)
    assert str(caught.value) == (
        "/b.yaml: bookmark 'a': 'end_line' must be a whole number from 'line'"
    )


def test_a_highlight_reads_its_last_line_and_quote() -> None:
    """end_line equal to line is a one-line highlight; the quote is kept."""
    mark = parse_bookmark({**OK, "end_line": 2, "quote": "the line"}, 0, SOURCE)
    assert (mark.end_line, mark.quote, mark.is_highlight) == (2, "the line", True)
    assert parse_bookmark({**OK, "end_line": 5}, 0, SOURCE).last_line == 5
    plain = parse_bookmark(OK, 0, SOURCE)
    assert (plain.end_line, plain.quote, plain.created) == (None, "", "")


@pytest.mark.parametrize(
    ("copies", "read"),
    [(None, 1), (0, 1), (-3, 1), (True, 1), ("two", 1), (2.0, 1), (1, 1), (2, 2)],
)
def test_copies_are_a_whole_number_from_one(copies: object, read: int) -> None:
    """Anything but a whole number of at least 1 reads as 1 (hand edits never break a file)."""
    raw = dict(OK) if copies is None else {**OK, "copies": copies}
    assert parse_bookmark(raw, 0, SOURCE).copies == read


def test_a_long_unsupported_version_is_cut_in_the_message() -> None:
    """The message quotes at most 40 characters of the version."""
    version = "v" * 60
    with pytest.raises(BookmarkFileError) as caught:
        parse_bookmark_bytes(f"version: {version}\nbookmarks: []\n".encode(), SOURCE)
    assert str(caught.value) == (
        f"/b.yaml: schema version {repr(version)[:40]} is not supported (expected 1 or 2)"
    )


def test_the_size_limit_and_no_descriptor_left_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file at the limit is read; one byte more is refused; no file stays open."""
    monkeypatch.setattr(schema, "MAX_YAML_BYTES", 10)
    path = tmp_path / "marks.yaml"
    path.write_bytes(b"#" * 10)
    open_before = len(os.listdir("/proc/self/fd"))
    assert read_bookmark_bytes(path) == b"#" * 10
    assert len(os.listdir("/proc/self/fd")) == open_before
    path.write_bytes(b"#" * 11)
    with pytest.raises(BookmarkFileError) as caught:
        read_bookmark_bytes(path)
    assert str(caught.value) == f"{path}: larger than the 10 byte limit"
