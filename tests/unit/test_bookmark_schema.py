"""The bookmarks file schema: every entry check, with its exact one-line message."""

from __future__ import annotations

import datetime as dt
import errno
import os
import secrets
from pathlib import Path

import pytest

from tuireader.core.bookmarks import schema
from tuireader.core.bookmarks.schema import (
    Bookmark,
    BookmarkFileError,
    new_id,
    normalise_path,
    parse_bookmark,
    parse_bookmark_bytes,
    read_bookmark_bytes,
)

SOURCE = Path("/b.yaml")
OK = {"id": "a", "path": "/x", "line": 1}
LINE = "bookmark 'a': 'line' must be a whole number from 1"
TAGS = "bookmark 'a': 'tags' must be a list of words"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("text", "bookmark 1: expected a mapping"),
        ({"path": "/x", "line": 1}, "bookmark 1: missing 'id'"),
        ({"id": "  ", "path": "/x", "line": 1}, "bookmark 1: missing 'id'"),
        ({"id": True, "path": "/x", "line": 1}, "bookmark 1: missing 'id'"),
        ({"id": "a", "line": 1}, "bookmark 'a': missing 'path'"),
        ({"id": "a", "path": " ", "line": 1}, "bookmark 'a': missing 'path'"),
        ({"id": "a", "path": "/x"}, LINE),
        ({**OK, "line": 0}, LINE),
        ({**OK, "line": True}, LINE),
        ({**OK, "line": 2.5}, LINE),
        ({**OK, "tags": {"k": 1}}, TAGS),
        ({**OK, "tags": [["x"]]}, TAGS),
        ({**OK, "created": 5}, "bookmark 'a': 'created' must be an ISO 8601 time"),
        ({**OK, "note": ["x"]}, "bookmark 'a': 'note' must be text"),
        ({**OK, "title": True}, "bookmark 'a': 'title' must be text"),
    ],
)  # fmt: skip
def test_bad_entries_are_named_with_the_problem(raw: object, message: str) -> None:
    """Each malformed entry gives one line naming the file, the entry and the problem."""
    with pytest.raises(BookmarkFileError) as caught:
        parse_bookmark(raw, 0, SOURCE)
    assert str(caught.value) == f"{SOURCE}: {message}"


def test_lenient_forms_are_accepted(tmp_path: Path) -> None:
    """Numeric ids and texts, comma-separated tags, dates and unknown keys are accepted."""
    raw = {
        "id": 42,
        "path": str(tmp_path / "doc.txt"),
        "line": 3,
        "title": None,
        "snippet": 12.5,
        "note": 7,
        "tags": "one, two three",
        "created": dt.date(2024, 5, 1),
        "colour": "red",
    }
    mark = parse_bookmark(raw, 0, SOURCE)
    assert mark == Bookmark(
        id="42",
        path=tmp_path / "doc.txt",
        title="doc.txt",  # no title: the file name
        line=3,
        snippet="12.5",
        fingerprint="",
        note="7",
        tags=("one", "two", "three"),
        created="2024-05-01",
    )
    assert mark.extra == {"colour": "red"}
    assert parse_bookmark({**raw, "tags": ["a", 5]}, 0, SOURCE).tags == ("a", "5")
    when = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
    assert parse_bookmark({**raw, "created": when}, 0, SOURCE).created == when.isoformat()


FOREIGN = "not a tuireader bookmarks file (expected 'version: 2' and a 'bookmarks' list)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n", FOREIGN),
        ("version: 1\n", FOREIGN),
        ("bookmarks: []\n", FOREIGN),
        ("version: 3\nbookmarks: []\n", "schema version 3 is not supported (expected 1 or 2)"),
        ("version: '1'\nbookmarks: []\n", "schema version '1' is not supported (expected 1 or 2)"),
        ("version: 1\nbookmarks: 5\n", "'bookmarks' must be a list"),
    ],
)
def test_bad_files(text: str, message: str) -> None:
    """File-level problems give one exact line."""
    with pytest.raises(BookmarkFileError) as caught:
        parse_bookmark_bytes(text.encode(), SOURCE)
    assert str(caught.value) == f"{SOURCE}: {message}"


def test_empty_forms_and_kept_top_level_keys() -> None:
    """Empty bytes, null or an empty 'bookmarks' mean no bookmarks; unknown keys are kept."""
    for data in (None, b"", b"~\n", b"# nothing\n", b"version: 1\nbookmarks:\n"):
        parsed = parse_bookmark_bytes(data, SOURCE)
        assert (parsed.bookmarks, parsed.top) == ([], {})
    parsed = parse_bookmark_bytes(b"\xef\xbb\xbfversion: 1\nbookmarks:\nsynced: laptop\n", SOURCE)
    assert (parsed.bookmarks, parsed.top) == ([], {"synced": "laptop"})
    with pytest.raises(BookmarkFileError, match=r"b\.yaml: not valid UTF-8"):
        parse_bookmark_bytes(b"version: 1\nbookmarks:\n# \xff\n", SOURCE)


def test_reading_missing_odd_and_oversized_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing file is None; a folder or a dangling link is an error; size is bounded."""
    assert read_bookmark_bytes(tmp_path / "none.yaml") is None
    with pytest.raises(BookmarkFileError, match="a directory"):
        read_bookmark_bytes(tmp_path)
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "gone.yaml")
    with pytest.raises(BookmarkFileError, match=r"dangling\.yaml: no such file"):
        read_bookmark_bytes(dangling)  # the link exists: not taken for "no bookmarks yet"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 101)
    monkeypatch.setattr(schema, "MAX_YAML_BYTES", 100)
    with pytest.raises(BookmarkFileError, match=r"big\.yaml: larger than the 100 byte limit"):
        read_bookmark_bytes(big)


class _FailingRead:
    """A file handle whose read fails with ``error`` (closing the real descriptor)."""

    def __init__(self, fd: int, error: OSError) -> None:
        self.fd, self.error = fd, error

    def __enter__(self) -> _FailingRead:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def read(self, size: int) -> bytes:
        raise self.error


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
        (OSError("disk gone"), "disk gone"),
    ],
)
def test_a_read_that_fails_names_the_file_and_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, reason: str
) -> None:
    """An OSError while reading: one line, the path and the system's reason (or the error)."""
    path = tmp_path / "b.yaml"
    path.write_text("version: 1\n", encoding="utf-8")
    monkeypatch.setattr(os, "fdopen", lambda fd, *_a, **_k: _FailingRead(fd, error))
    with pytest.raises(BookmarkFileError) as caught:
        read_bookmark_bytes(path)
    assert str(caught.value) == f"{path}: {reason}"


def test_paths_ids_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths under home are written with ~; ids avoid taken ones; JSON has every field."""
    monkeypatch.setenv("HOME", str(tmp_path))
    doc = tmp_path / "texts" / "a.txt"
    mark = Bookmark("id1", doc, "A", 2, "snip", "fp", tags=("t",), created="c")
    assert mark.to_yaml()["path"] == "~/texts/a.txt"
    assert mark.replace(path=Path("/elsewhere/b.txt")).to_yaml()["path"] == "/elsewhere/b.txt"
    assert mark.to_json() == {
        "id": "id1", "path": str(doc), "title": "A", "line": 2, "snippet": "snip",
        "fingerprint": "fp", "note": "", "tags": ["t"], "created": "c",
        "before": None, "after": None, "copies": 1,
        "kind": "bookmark", "end_line": 2, "quote": "snip", "text_fingerprint": "",
    }  # fmt: skip
    assert mark.matches_path(doc) and not mark.matches_path(tmp_path / "other.txt")
    choices = iter(["a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b"])
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(choices))
    assert new_id(["aaaaaa"]) == "bbbbbb"


def test_normalise_path_falls_back_to_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path that cannot be resolved (a symlink loop) is made absolute instead."""

    def loop(self: Path, strict: bool = False) -> Path:
        raise RuntimeError("Symlink loop")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Path, "resolve", loop)
    assert normalise_path("x.txt") == tmp_path / "x.txt"
    assert os.path.isabs(normalise_path("~/y.txt"))
