"""``tuireader list``: called as ``main([...])``, the way a shell would."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tuireader.cli import main


def test_default_library_lists_the_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    """With no PATH the bundled seeds are listed with their metadata."""
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_title = {row["title"]: row for row in rows}
    seed = by_title["General Sorkin's Admiration"]
    assert seed["date"] == "2025-04-08" and seed["category"] == "Research"
    assert seed["words"] > 800
    assert len(rows) >= 2, "the guide document ships beside the seed article"


def test_text_output_has_columns(capsys: pytest.CaptureFixture[str], seed_article: Path) -> None:
    """Plain output has path, title, date, category and words on one line."""
    assert main(["list", str(seed_article)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.split()[0] == str(seed_article)
    for value in ("General Sorkin's Admiration", "2025-04-08", "Research"):
        assert value in line


def test_config_library_folders_are_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Folders under 'library:' in config.yaml join the default library."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.md").write_text("# My Own Note\n")
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "tuireader" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(f"library:\n  - {notes}\n")
    assert main(["list", "--json"]) == 0
    titles = [row["title"] for row in json.loads(capsys.readouterr().out)]
    assert "My Own Note" in titles and "General Sorkin's Admiration" in titles


def test_bad_paths_warn_but_list_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_article: Path
) -> None:
    """A missing path is one warning line; the usable paths are still listed (exit 0)."""
    assert main(["list", str(tmp_path / "missing"), str(seed_article)]) == 0
    captured = capsys.readouterr()
    assert (
        captured.err.strip()
        == f"tuireader: warning: {tmp_path / 'missing'}: no such file or directory"
    )
    assert "General Sorkin's Admiration" in captured.out


def test_nothing_usable_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only unusable paths: exit 2, one line per problem, no traceback."""
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert main(["list", str(tmp_path / "missing"), str(binary)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 2 and "Traceback" not in err
    assert "binary" in err


def test_hostile_names_are_not_printed_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Escape sequences in titles and file names never reach stdout."""
    doc = tmp_path / "evil\x1b]0;x\x07.txt"
    doc.write_bytes(b"\x1b[2JTitle\x1b]52;c;AAAA\x07\n")
    assert main(["list", str(doc)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert main(["list", "--json", str(doc)]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown option is a one-line usage error."""
    assert main(["list", "--nope"]) == 2
    assert capsys.readouterr().err.startswith("tuireader: unrecognized arguments")


def test_corrupt_config_is_reported_not_fatal(capsys: pytest.CaptureFixture[str]) -> None:
    """A broken config.yaml gives one warning; the seeds are still listed."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "tuireader" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("library: [unclosed\n")
    assert main(["list"]) == 0
    captured = capsys.readouterr()
    assert "config.yaml" in captured.err and "General Sorkin" in captured.out


def test_reader_without_a_terminal_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], seed_article: Path
) -> None:
    """Starting the reader with stdout redirected exits 2 with one line, never hangs."""
    assert main([str(seed_article)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tuireader: the reader needs a terminal") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["/dev/zero"], "/dev/zero: not a regular file (a device)"),
        (["/no/such/file.txt"], "/no/such/file.txt: no such file or directory"),
        (["/no/such/a", "/no/such/b"], "/no/such/a: no such file or directory"),
    ],
)
def test_reader_on_unusable_paths_names_the_path(
    capsys: pytest.CaptureFixture[str], given: list[str], message: str
) -> None:
    """The reader refuses a path it can show nothing for with one line naming it, exit 2."""
    assert main(given) == 2
    assert capsys.readouterr().err == f"tuireader: {message}\n"


def test_reader_help_names_every_subcommand() -> None:
    """`tuireader --help` (what a newcomer reads first) lists every subcommand there is."""
    from tuireader.cli import _command_parser, _ui_parser

    description = _ui_parser().description or ""
    _, commands = _command_parser()
    assert commands and all(name in description for name in commands), (commands, description)


def test_every_subcommand_is_dispatched_by_its_name() -> None:
    """The names the reader's start-up checks (without building every parser) are the
    subcommands the parser knows."""
    from tuireader.cli import REGISTRARS, _command_parser

    _, commands = _command_parser()
    assert set(REGISTRARS) == commands == {"list", "search", "bookmarks", "themes", "serve"}
