"""``tuireader bookmarks ...``: list, add, remove, relocate, export and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tuireader import cli
from tuireader.core import paths


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    """A short Markdown document."""
    path = tmp_path / "notes on [things].md"
    path.write_text(
        "# Notes on things\n\nFirst paragraph line one.\nFirst paragraph line two.\n\n"
        "Second paragraph.\n",
        encoding="utf-8",
    )
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_remove_default_file(capsys: pytest.CaptureFixture[str], doc: Path) -> None:
    """bookmarks add/list/list --json/remove work on the default file."""
    code, out, _ = _run(capsys, "bookmarks", "add", str(doc), "3", "--note", "nice", "--tag", "a")
    assert code == 0
    mark_id = out.split()[0]
    assert paths.default_bookmarks_file().exists()
    code, out, _ = _run(capsys, "bookmarks", "list")
    assert code == 0 and mark_id in out and "Notes on things:3" in out and "nice" in out
    code, out, _ = _run(capsys, "bookmarks", "list", "--json")
    (entry,) = json.loads(out)
    assert entry["id"] == mark_id and entry["tags"] == ["a"] and entry["line"] == 3
    assert entry["path"] == str(doc.resolve())
    code, out, _ = _run(capsys, "bookmarks", "remove", mark_id)
    assert code == 0 and "removed" in out
    assert _run(capsys, "bookmarks", "list", "--json")[1].strip() == "[]"


def test_bookmarks_option_before_and_after(
    capsys: pytest.CaptureFixture[str], doc: Path, tmp_path: Path
) -> None:
    """--bookmarks is accepted before the command, after it and after the subcommand's arguments."""
    first, second = tmp_path / "one.yaml", tmp_path / "two.yaml"
    assert _run(capsys, "--bookmarks", str(first), "bookmarks", "add", str(doc), "3")[0] == 0
    assert _run(capsys, "bookmarks", "--bookmarks", str(second), "add", str(doc), "4")[0] == 0
    assert _run(capsys, "bookmarks", "add", str(doc), "6", "--bookmarks", str(second))[0] == 0
    assert first.exists() and second.exists()
    assert not paths.default_bookmarks_file().exists()
    assert (
        len(json.loads(_run(capsys, "bookmarks", "--bookmarks", str(second), "list", "--json")[1]))
        == 2
    )


def test_config_bookmarks_used_unless_option_given(
    capsys: pytest.CaptureFixture[str], doc: Path, tmp_path: Path
) -> None:
    """The configured bookmarks file is used unless --bookmarks is given."""
    configured = tmp_path / "from-config.yaml"
    paths.config_file().parent.mkdir(parents=True)
    paths.config_file().write_text(f"bookmarks: {configured}\n", encoding="utf-8")
    assert _run(capsys, "bookmarks", "add", str(doc), "3")[0] == 0
    assert configured.exists() and not paths.default_bookmarks_file().exists()
    given = tmp_path / "given.yaml"
    assert _run(capsys, "bookmarks", "--bookmarks", str(given), "add", str(doc), "3")[0] == 0
    assert given.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "{doc}", "99"], "outside the document"),
        (["add", "{doc}", "zero"], "invalid int"),
        (["add", "{missing}", "1"], "no such file"),
        (["remove", "nope42"], "no bookmark"),
        (["export", "--format", "pdf"], "invalid choice"),
        (["relocate", "nope42", "{doc}"], "no bookmark"),
        ([], "required"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], doc: Path, tmp_path: Path, argv: list[str], message: str
) -> None:
    """Bad arguments exit 2 with a one-line message on stderr and nothing on stdout."""
    words = [w.format(doc=doc, missing=tmp_path / "missing.md") for w in argv]
    code, out, err = _run(capsys, "bookmarks", *words)
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert out == ""


@pytest.mark.parametrize(
    "content",
    [
        b"version: 1\nbookmarks: [\n",
        b"- a list\n",
        b"version: 1\nbookmarks: !!python/object/apply:os.system ['echo pwned']\n",
    ],
)
def test_bad_file_exits_2_and_is_not_touched(
    capsys: pytest.CaptureFixture[str], doc: Path, tmp_path: Path, content: bytes
) -> None:
    """A bad bookmarks file: list/add/export exit 2 with one line naming it; file kept."""
    target = tmp_path / "bm.yaml"
    target.write_bytes(content)
    for action in (["list"], ["add", str(doc), "3"], ["export"]):
        code, out, err = _run(capsys, "--bookmarks", str(target), "bookmarks", *action)
        assert code == 2 and str(target) in err and err.count("\n") == 1
        assert "pwned" not in out
    assert target.read_bytes() == content


def test_export_markdown_and_json(capsys: pytest.CaptureFixture[str], doc: Path) -> None:
    """Markdown export quotes the paragraph, note, citation and link; JSON has the marks."""
    _run(capsys, "bookmarks", "add", str(doc), "3", "--note", "Why this *matters*", "--tag", "t1")
    _run(capsys, "bookmarks", "add", str(doc), "6")
    code, out, _ = _run(capsys, "bookmarks", "export", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Bookmarks\n")
    assert "## Notes on things" in out
    # The whole marked paragraph is quoted, then the note, then citation and link.
    assert "> First paragraph line one.\n> First paragraph line two.\n\nWhy this *matters*" in out
    assert "> Second paragraph." in out
    assert f"({doc.resolve().as_uri()}#L3)" in out
    assert "line 3" in out and "tags: t1" in out
    assert "notes on \\[things\\].md" in out  # link text escaped
    code, out, _ = _run(capsys, "bookmarks", "export", "--format", "json")
    data = json.loads(out)
    assert data["version"] == 2
    assert [b["line"] for b in data["bookmarks"]] == [3, 6]


def test_export_follows_moved_text(capsys: pytest.CaptureFixture[str], doc: Path) -> None:
    """Export links to where the marked text is now after lines were added above it."""
    _run(capsys, "bookmarks", "add", str(doc), "6")
    doc.write_text("intro\n\n" + doc.read_text(encoding="utf-8"), encoding="utf-8")
    out = _run(capsys, "bookmarks", "export")[1]
    assert "#L8)" in out and "> Second paragraph." in out


def test_output_is_sanitised(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """list and export strip control characters from notes."""
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("plain\n", encoding="utf-8")
    code, out, _ = _run(
        capsys, "bookmarks", "add", str(hostile), "1", "--note", "x\x1b]0;evil\x07y"
    )
    assert code == 0
    out = _run(capsys, "bookmarks", "list")[1] + _run(capsys, "bookmarks", "export")[1]
    assert "\x1b" not in out and "\x07" not in out


def test_relocate(capsys: pytest.CaptureFixture[str], doc: Path, tmp_path: Path) -> None:
    """bookmarks relocate points a mark at the moved document."""
    mark_id = _run(capsys, "bookmarks", "add", str(doc), "3")[1].split()[0]
    moved = tmp_path / "moved.md"
    doc.rename(moved)
    code, out, _ = _run(capsys, "bookmarks", "relocate", mark_id, str(moved))
    assert code == 0 and str(moved) in out
    assert json.loads(_run(capsys, "bookmarks", "list", "--json")[1])[0]["path"] == str(moved)


def test_cli_bookmarks_does_not_import_textual(doc: Path, tmp_path: Path) -> None:
    """The bookmarks commands run without importing textual."""
    script = (
        "import sys\n"
        "from tuireader import cli\n"
        f"assert cli.main(['bookmarks', 'add', {str(doc)!r}, '3']) == 0\n"
        "assert cli.main(['bookmarks', 'export']) == 0\n"
        "assert cli.main(['bookmarks', 'list']) == 0\n"
        "sys.exit(3 if 'textual' in sys.modules else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
