"""Untrusted text at the CLI's edges: odd file names, coloured logs, foreign YAML, ``--json``.

Every command is called as ``main([...])`` the way a shell would; every output
must be valid UTF-8, one line per record, with no character that steers a terminal.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest

from tuireader import cli

BAD_BYTES_NAME = b"caf\xe9 \xff notes.txt"
NEWLINE_NAME = "two\nlines.txt"
OSC52_NAME = "clip\x1b]52;c;ZXZpbA==\x07board.txt"
SGR_NAME = "\x1b[31mred\x1b[0m \u202eevil.txt"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI; return the exit status, stdout and stderr."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _assert_printable(text: str) -> None:
    """Valid UTF-8 with no control, surrogate or bidi character except newlines."""
    text.encode("utf-8")  # raises on lone surrogates
    bad = [
        char
        for char in text
        if char != "\n"
        and (
            unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
            or char in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        )
    ]
    assert bad == []


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    """A folder of documents named with bad bytes, a newline, OSC 52 and SGR sequences."""
    folder = tmp_path / "odd"
    folder.mkdir()
    (Path(os.fsdecode(bytes(folder) + b"/" + BAD_BYTES_NAME))).write_text(
        "Lighthouse keepers count the waves at night.\n", encoding="utf-8"
    )
    (folder / NEWLINE_NAME).write_text("Lighthouse stories told twice.\n", encoding="utf-8")
    (folder / OSC52_NAME).write_text("Lighthouse clipboard trick.\n", encoding="utf-8")
    (folder / SGR_NAME).write_text("Lighthouse in red.\n", encoding="utf-8")
    return folder


def _bad_path(folder: Path) -> str:
    """The str path (surrogate-escaped) of the file whose name is not UTF-8."""
    return os.fsdecode(bytes(folder) + b"/" + BAD_BYTES_NAME)


def test_list_shows_odd_names_one_line_each(
    capsys: pytest.CaptureFixture[str], odd_folder: Path
) -> None:
    """``list`` prints one line per document, names with visible escapes, nothing raw."""
    code, out, err = _run(capsys, "list", str(odd_folder))
    assert code == 0 and err == ""
    _assert_printable(out)
    lines = out.splitlines()
    assert len(lines) == 4
    assert any("caf\\xe9 \\xff notes.txt" in line for line in lines)
    assert any("two\\nlines.txt" in line for line in lines)
    assert any("clip\\x1b]52;c;ZXZpbA==\\x07board.txt" in line for line in lines)
    assert any("\\x1b[31mred\\x1b[0m \\u202eevil.txt" in line for line in lines)


def test_list_json_is_valid_utf8_with_exact_bytes(
    capsys: pytest.CaptureFixture[str], odd_folder: Path
) -> None:
    """``list --json`` is valid UTF-8 JSON; ``path_bytes`` restores a name that is not UTF-8."""
    code, out, _ = _run(capsys, "list", "--json", str(odd_folder))
    assert code == 0
    _assert_printable(out)
    rows = json.loads(out.encode("utf-8"))
    with_bytes = [row for row in rows if "path_bytes" in row]
    assert len(with_bytes) == 1
    assert bytes.fromhex(with_bytes[0]["path_bytes"]) == bytes(odd_folder) + b"/" + BAD_BYTES_NAME
    assert os.path.exists(bytes.fromhex(with_bytes[0]["path_bytes"]))
    paths = {row["path"] for row in rows}
    assert str(odd_folder / NEWLINE_NAME) in paths, "a name that decodes is given exactly"
    assert str(odd_folder / OSC52_NAME) in paths


def test_search_finds_text_in_odd_names(
    capsys: pytest.CaptureFixture[str], odd_folder: Path
) -> None:
    """``search`` indexes every oddly named file, prints ``path:line`` lines, never raises."""
    code, out, err = _run(capsys, "search", "lighthouse", str(odd_folder))
    assert code == 0, err
    _assert_printable(out)
    lines = out.splitlines()
    assert len(lines) == 4
    assert any("caf\\xe9 \\xff notes.txt:1: " in line and "keepers" in line for line in lines)
    assert any("two\\nlines.txt:1:" in line for line in lines)


def test_search_json_has_path_bytes(capsys: pytest.CaptureFixture[str], odd_folder: Path) -> None:
    """``search Q --json DIR`` is valid UTF-8 JSON and names the undecodable file exactly."""
    code, out, _ = _run(capsys, "search", "keepers", "--json", str(odd_folder))
    assert code == 0
    _assert_printable(out)
    (hit,) = json.loads(out.encode("utf-8"))
    assert os.fsdecode(bytes.fromhex(hit["path_bytes"])) == _bad_path(odd_folder)


def test_bookmarks_on_a_name_that_is_not_utf8(
    capsys: pytest.CaptureFixture[str], odd_folder: Path, tmp_path: Path
) -> None:
    """Bookmark, list, export and relocate a file whose name is not UTF-8; the mark survives."""
    store = tmp_path / "bm.yaml"
    bad = _bad_path(odd_folder)
    code, out, err = _run(capsys, "bookmarks", "--bookmarks", str(store), "add", bad, "1")
    assert code == 0, err
    _assert_printable(out)
    assert "\\xff notes.txt:1" in out
    store.read_bytes().decode("utf-8")  # the YAML file stays UTF-8
    code, out, _ = _run(capsys, "bookmarks", "--bookmarks", str(store), "list")
    assert code == 0 and len(out.splitlines()) == 1
    _assert_printable(out)
    code, out, _ = _run(capsys, "bookmarks", "--bookmarks", str(store), "list", "--json")
    (entry,) = json.loads(out.encode("utf-8"))
    assert os.fsdecode(bytes.fromhex(entry["path_bytes"])) == bad
    code, out, _ = _run(capsys, "bookmarks", "--bookmarks", str(store), "export")
    assert code == 0 and "Lighthouse keepers" in out
    _assert_printable(out)
    code, out, _ = _run(capsys, "bookmarks", "--bookmarks", str(store), "export", "--json")
    data = json.loads(out.encode("utf-8"))
    assert os.fsdecode(bytes.fromhex(data["bookmarks"][0]["path_bytes"])) == bad


def test_bookmark_on_a_newline_name_keeps_lines(
    capsys: pytest.CaptureFixture[str], odd_folder: Path, tmp_path: Path
) -> None:
    """A newline in a name never splits a line of ``bookmarks`` output or a Markdown heading."""
    store = tmp_path / "bm.yaml"
    target = str(odd_folder / NEWLINE_NAME)
    assert _run(capsys, "bookmarks", "--bookmarks", str(store), "add", target, "1")[0] == 0
    out = _run(capsys, "bookmarks", "--bookmarks", str(store), "list")[1]
    assert len(out.splitlines()) == 1 and "Two lines:1" in out
    out = _run(capsys, "bookmarks", "--bookmarks", str(store), "export")[1]
    heading = next(line for line in out.splitlines() if line.startswith("## "))
    assert "lines" in heading, "the whole title stays on the heading line"
    entry = json.loads(_run(capsys, "bookmarks", "--bookmarks", str(store), "list", "--json")[1])
    assert entry[0]["path"] == target and "path_bytes" not in entry[0]


def test_coloured_log_is_listed_and_searched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A log coloured with SGR (and an OSC title) is a document: listed, searched, no ESC out."""
    log = tmp_path / "build.log.txt"
    log.write_bytes(
        b"\x1b]0;ci runner\x07\x1b[1;34mINFO\x1b[0m compiling module alpha\n"
        b"\x1b[1;31mERROR\x1b[0m linker failed on \x1b[4mbeta\x1b[24m\n"
        b"stray bell\x07 and a NUL\x00 in the middle\n"
    )
    code, out, err = _run(capsys, "list", str(log))
    assert code == 0 and err == "" and len(out.splitlines()) == 1
    _assert_printable(out)
    code, out, _ = _run(capsys, "search", "linker failed", str(log))
    assert code == 0
    _assert_printable(out)
    assert ":2: " in out and "ERROR «linker» «failed» on beta" in out
    code, out, _ = _run(capsys, "search", "bell", str(log), "--json")
    (hit,) = json.loads(out)
    assert "\x1b" not in hit["passage"] and "\\x07" in hit["passage"]


def test_binary_file_is_one_line_with_a_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A real binary (PNG) is skipped with one line naming the file and what it is."""
    image = tmp_path / "picture.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    code, out, err = _run(capsys, "list", str(image))
    assert code == 2 and out == ""
    assert err == f"tuireader: warning: {image}: binary file skipped (a PNG image)\n"


FOREIGN_YAML = {
    "other-config": b"editor:\n  theme: dark\n  font_size: 12\nplugins: [a, b]\n",
    "bookmarks-only": b"bookmarks:\n  - https://example.org\n",
    "version-only": b"version: 1\n",
    "wrong-version-type": b"version: one\nbookmarks: []\n",
    "bookmarks-not-list": b"version: 1\nbookmarks: {a: 1}\n",
    "bookmarks-scalar": b"version: 1\nbookmarks: 3\n",
    "entry-not-mapping": b"version: 1\nbookmarks: [just text]\n",
    "scalar-file": b"just a string\n",
    "billion-laughs": (
        b"a: &a [x, x, x, x, x, x, x, x, x]\n"
        b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        b"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        b"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    ),
}


@pytest.mark.parametrize("name", sorted(FOREIGN_YAML))
def test_foreign_yaml_is_refused_and_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    """YAML that parses but is not a bookmarks file: exit 2, one line naming it, bytes kept."""
    doc = tmp_path / "doc.txt"
    doc.write_text("a line\n", encoding="utf-8")
    target = tmp_path / "other.yaml"
    content = FOREIGN_YAML[name]
    target.write_bytes(content)
    before = os.stat(target)
    for action in (["add", str(doc), "1"], ["list"], ["export", "--json"]):
        code, out, err = _run(capsys, "--bookmarks", str(target), "bookmarks", *action)
        assert code == 2, (action, out)
        assert err.count("\n") == 1 and str(target) in err
    assert target.read_bytes() == content
    assert os.stat(target).st_mtime_ns == before.st_mtime_ns


@pytest.mark.parametrize("content", [None, b"", b"# only a comment\n"])
def test_empty_or_missing_file_is_a_new_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes | None
) -> None:
    """A missing, empty or comment-only bookmarks file is a new store."""
    doc = tmp_path / "doc.txt"
    doc.write_text("a line\n", encoding="utf-8")
    target = tmp_path / "bm.yaml"
    if content is not None:
        target.write_bytes(content)
    assert _run(capsys, "--bookmarks", str(target), "bookmarks", "add", str(doc), "1")[0] == 0
    out = _run(capsys, "--bookmarks", str(target), "bookmarks", "list", "--json")[1]
    assert [entry["line"] for entry in json.loads(out)] == [1]


def test_json_on_every_command_that_prints_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_article: Path
) -> None:
    """``--json`` works on list, search, themes and every bookmarks action, export included."""
    store = ["--bookmarks", str(tmp_path / "bm.yaml")]
    assert isinstance(json.loads(_run(capsys, "list", str(seed_article), "--json")[1]), list)
    assert json.loads(_run(capsys, "search", "Sorkin", str(seed_article), "--json")[1])
    assert json.loads(_run(capsys, "themes", "--json")[1])
    code, out, _ = _run(capsys, *store, "bookmarks", "add", str(seed_article), "3", "--json")
    added = json.loads(out)
    assert code == 0 and added["line"] >= 3 and added["id"]
    assert (
        json.loads(_run(capsys, *store, "bookmarks", "list", "--json")[1])[0]["id"] == added["id"]
    )
    exported = json.loads(_run(capsys, *store, "bookmarks", "export", "--json")[1])
    assert exported["version"] == 2 and exported["bookmarks"][0]["id"] == added["id"]
    same = json.loads(_run(capsys, *store, "bookmarks", "export", "--format", "json")[1])
    assert same == exported
    code, out, _ = _run(capsys, *store, "bookmarks", "remove", added["id"], "--json")
    assert code == 0 and json.loads(out)["id"] == added["id"]


def test_errors_and_warnings_show_names_visibly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A missing path with an OSC 52 sequence and a newline is reported on one visible line."""
    missing = tmp_path / "gone\x1b]52;c;ZXZpbA==\x07\nx.txt"
    code, out, err = _run(capsys, "list", str(missing))
    assert code == 2 and out == ""
    _assert_printable(err)
    assert err.count("\n") == 1 and "gone\\x1b]52;c;ZXZpbA==\\x07\\nx.txt" in err
    code, _, err = _run(capsys, "bookmarks", "--bookmarks", str(missing), "list")
    _assert_printable(err)
    code, _, err = _run(capsys, "list", "--bogus\x1b[2J")
    assert code == 2 and err.count("\n") == 1
    _assert_printable(err)


def _strings(data: object) -> list[str]:
    """Every string value in parsed JSON, except the exact file names."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, value in data.items() if key not in ("path",) for s in _strings(value)]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


def test_json_values_carry_no_escape_sequence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A hostile title in front matter and a hostile note never reach JSON as raw ESC."""
    doc = tmp_path / "fm.md"
    doc.write_text('---\ntitle: "FM \\e]2;pwned\\a title"\n---\n\nBody words here.\n')
    code, out, _ = _run(capsys, "list", str(tmp_path), "--json")
    assert code == 0
    listed = json.loads(out)
    assert listed[0]["title"] == "FM  title"
    assert all("\x1b" not in text and "\x07" not in text for text in _strings(listed))
    note = "x \x1b]52;c;aGVsbG8=\x07 y"
    assert _run(capsys, "bookmarks", "add", str(doc), "5", "--note", note)[0] == 0
    for argv in (("bookmarks", "list", "--json"), ("bookmarks", "export", "--json")):
        code, out, _ = _run(capsys, *argv)
        assert code == 0
        texts = _strings(json.loads(out))
        assert texts and all("\x1b" not in text and "\x07" not in text for text in texts)
        assert "aGVsbG8" not in out
