"""Search hits carry the line of the match, not only the passage's first line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader.cli import main
from tuireader.core.search.hits import SearchHit

FILLER = "The river keeps its slow and patient course past the mill"


@pytest.fixture
def long_paragraph(tmp_path: Path) -> Path:
    """A title, then one 14-line paragraph (lines 3-16) whose rare words sit on line 12."""
    lines = ["Title line", ""]
    lines += [f"{FILLER} number {n}." for n in range(1, 15)]
    lines[11] = "Here the heron waits motionless among reeds."
    path = tmp_path / "river.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_line_is_the_line_of_the_first_matched_word(
    capsys: pytest.CaptureFixture[str], long_paragraph: Path
) -> None:
    """``line`` is where the words are; ``passage_start``/``passage_end`` bound the passage."""
    assert main(["search", "heron motionless", str(long_paragraph), "--json"]) == 0
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["line"] == 12
    assert (hit["passage_start"], hit["passage_end"]) == (3, 16)
    start, _ = hit["spans"][0]
    assert hit["passage"].count("\n", 0, start) == hit["line"] - hit["passage_start"]


def test_text_output_is_path_colon_match_line(
    capsys: pytest.CaptureFixture[str], long_paragraph: Path
) -> None:
    """The text output starts ``path:line:`` with the match's line, like grep."""
    assert main(["search", "heron", str(long_paragraph)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{long_paragraph}:12: ")


def test_match_line_from_spans() -> None:
    """The first (leftmost) span decides; no span falls back to the passage's first line."""
    passage = "one\ntwo words\nthree\nfour"
    hit = SearchHit(Path("/x"), "x", 10, 13, 90.0, passage, spans=((17, 22), (8, 13)))
    assert hit.match_line == 11
    assert SearchHit(Path("/x"), "x", 10, 13, 90.0, passage).match_line == 10
