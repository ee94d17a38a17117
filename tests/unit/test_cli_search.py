"""``tuireader search``: output, exit codes, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader import cli

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    """Two documents mentioning "swallow", one with terminal escape sequences in its text."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "birds.txt").write_text(
        "Birds\n\nThe swallow returned to the barn in April.\n\nOwls hunt at night.\n"
    )
    (folder / "evil.txt").write_bytes(b"Evil\n\nThe \x1b]0;pwned\x07swallow \x1b[31msings.\n")
    return folder


def test_acceptance_sorkin(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelled query prints path:line:score:text, seed line 17 first, matched words in «»."""
    assert cli.main(["search", "sorkin salutd comander", str(SEEDS)]) == cli.EXIT_OK
    first = capsys.readouterr().out.splitlines()[0]
    path, line, score, text = first.split(":", 3)
    assert path.endswith("general-sorkins-admiration.txt")
    assert int(line) == 17
    assert 0 < int(score) <= 100
    assert "«Sorkin» «saluted» «Commander» Kim Il Sung" in text


def test_acceptance_default_library(capsys: pytest.CaptureFixture[str]) -> None:
    """Without paths, search uses the default library (the seeds), in text and in --json output."""
    assert cli.main(["search", "independance of the armed forces"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "«independence» «of» «the» «armed» «forces»" in out.splitlines()[0]
    assert cli.main(["search", "independance of the armed forces", "--json"]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert "International Allied Forces" in data[0]["passage"]
    assert data[0]["line"] == 37


def test_text_output_is_safe_and_marked(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Text output has no escape or bell characters and marks the matched word on every hit."""
    assert cli.main(["search", "swalow", str(library)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    lines = out.splitlines()
    assert len(lines) == 2
    assert all("«swallow»" in line for line in lines)


def test_json_output(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--json gives path, title, line, score, passage and spans that slice out the matched words."""
    assert cli.main(["search", "owls night", str(library), "--json"]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data[0]["path"].endswith("birds.txt")
    assert data[0]["line"] == 5
    assert data[0]["passage"] == "Owls hunt at night."
    assert [data[0]["passage"][s:e] for s, e in data[0]["spans"]] == ["Owls", "night"]
    assert set(data[0]) >= {"path", "title", "line", "score", "passage", "spans"}


def test_limit(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--limit 1 prints a single hit."""
    assert cli.main(["search", "swallow", str(library), "--limit", "1"]) == cli.EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_no_match_exits_1(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No match exits 1 with no text output, or with [] under --json."""
    assert cli.main(["search", "xylophonequartz", str(library)]) == cli.EXIT_NO_MATCH
    assert capsys.readouterr().out == ""
    assert cli.main(["search", "xylophonequartz", str(library), "--json"]) == cli.EXIT_NO_MATCH
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["search"],
        ["search", ""],
        ["search", "   "],
        ["search", "owl", "--limit", "0"],
        ["search", "owl", "--limit", "many"],
        ["search", "owl", "--bogus"],
    ],
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Missing or blank query, bad --limit or an unknown option exit 2 with a tuireader: error."""
    assert cli.main(argv) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("tuireader: ")
    assert "Traceback" not in err


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing library path exits 2 with a "no such file" error."""
    assert cli.main(["search", "owl", str(tmp_path / "nowhere")]) == cli.EXIT_USAGE
    assert "no such file" in capsys.readouterr().err.lower()


def test_second_run_uses_the_cache(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeated search reads no document again (served from the cache), same output."""
    assert cli.main(["search", "owls", str(library)]) == cli.EXIT_OK
    first = capsys.readouterr().out

    def no_reading(*args: object, **kwargs: object) -> None:
        """Fail if a document is split into passages again."""
        raise AssertionError("a document was read again")

    monkeypatch.setattr("tuireader.core.search.passages.split_lines", no_reading)
    assert cli.main(["search", "owls", str(library)]) == cli.EXIT_OK
    assert capsys.readouterr().out == first


def test_search_does_not_import_textual() -> None:
    """The search command never imports textual."""
    import subprocess
    import sys

    code = (
        "import sys; from tuireader import cli; "
        f"cli.main(['search', 'owl', {str(SEEDS)!r}]); "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "False"


def test_search_help_documents_the_query_syntax(capsys: pytest.CaptureFixture[str]) -> None:
    """``tuireader search --help`` names each part of the syntax and the acceptance example."""
    with pytest.raises(SystemExit):
        cli.main(["search", "--help"])
    out = capsys.readouterr().out
    for part in ('"exact phrase"', '-word  -"a phrase"', "title:", "author:", "in:", "lang:"):
        assert part in out, part
    assert "unclosed quote" in out and "/ in a document" in out
    assert "tuireader search '\"respected comrade\" -sorkin title:admiration'" in out


def test_the_acceptance_query_on_the_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    """The phrase, the exclusion and the title filter together find the one passage."""
    query = '"respected comrade" -sorkin title:admiration'
    assert cli.main(["search", query, str(SEEDS)]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("The «respected» «Comrade» Kim Jong Un said:")
