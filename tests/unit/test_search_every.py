"""Every match once: a document's matching lines in order; ranked hits without repeats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader.cli import main
from tuireader.core.search.hits import SearchHit, distinct
from tuireader.core.search.index import SearchIndex


@pytest.fixture
def long_paragraphs(tmp_path: Path) -> Path:
    """Paragraphs of 60 lines (indexed as overlapping windows); every 7th line has 'storm'."""
    lines = []
    for number in range(1, 1201):
        if number % 61 == 0:
            lines.append("")
        elif number % 7 == 0:
            lines.append(f"Line {number} and the storm.")
        else:
            lines.append(f"Line {number} and calm water.")
    path = tmp_path / "paragraphs.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def expected_lines() -> list[int]:
    """Lines holding the word."""
    return [n for n in range(1, 1201) if n % 7 == 0 and n % 61]


def test_search_all_is_every_line_once_in_order(long_paragraphs: Path) -> None:
    """Every line with the word, once, in order, each a one-line hit marking the word."""
    index = SearchIndex.build([long_paragraphs])
    hits = list(index.search_all("storm", long_paragraphs))
    assert [hit.line for hit in hits] == expected_lines()
    assert all(hit.passage == f"Line {hit.line} and the storm." for hit in hits)
    assert all([hit.passage[s:e] for s, e in hit.spans] == ["storm"] for hit in hits)
    assert list(index.search_all("storm calm", long_paragraphs))  # both words in a passage
    assert list(index.search_all("  ", long_paragraphs)) == []
    assert list(index.search_all("storm", long_paragraphs.parent / "other.txt")) == []
    index.close()


def test_ranked_search_lists_no_line_twice(
    long_paragraphs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI's ranked hits: no hit whose every match a better hit already shows."""
    assert main(["search", "storm", str(long_paragraphs), "--limit", "500", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    seen: set[int] = set()
    for row in rows:
        first = row["passage_start"]  # "line" is the first match's line
        lines = {first + row["passage"].count("\n", 0, start) for start, _ in row["spans"]}
        assert not lines <= seen, row["line"]  # shows at least one match not shown yet
        seen |= lines
    assert seen == set(expected_lines())
    assert len({row["passage_start"] for row in rows}) == len(rows)


def test_distinct_keeps_hits_with_new_matches() -> None:
    """A later hit stays when it shows at least one match no earlier hit shows."""
    path = Path("doc.txt")

    def hit(line: int, text: str) -> SearchHit:
        spans = tuple((i, i + 5) for i in range(len(text)) if text.startswith("storm", i))
        return SearchHit(path, "t", line, line + text.count("\n"), 1.0, text, spans)

    first = hit(1, "storm\ncalm\nstorm")
    repeat = hit(3, "storm\ncalm")  # its one match is line 3, shown by ``first``
    new = hit(3, "storm\nstorm")  # line 4 is new
    assert distinct([first, repeat, new]) == [first, new]


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A document whose paragraphs share words in different arrangements."""
    paragraphs = [
        "The old lighthouse keeper watched the storm.",  # lines 1
        "A keeper of the old lighthouse slept.",  # 3
        "The old lighthouse stood dark in the storm.",  # 5
        "The keeper counted the waves again.",  # 7
    ]
    path = tmp_path / "story.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def _lines(index: SearchIndex, query: str, path: Path) -> list[int]:
    return [hit.line for hit in index.search_all(query, path)]


def test_search_all_honours_phrases_and_exclusions(story: Path) -> None:
    """In one document: a phrase needs its words together, -word and -"phrase" leave out."""
    index = SearchIndex.build([story])
    assert _lines(index, "keeper", story) == [1, 3, 7]
    assert _lines(index, '"lighthouse keeper"', story) == [1]
    assert _lines(index, "keeper -storm", story) == [3, 7]
    assert _lines(index, 'lighthouse -"old lighthouse stood"', story) == [1, 3]
    assert _lines(index, '"old lighthouse" -keeper', story) == [5]
    hit = next(index.search_all('"lighthouse keeper" watched', story))
    assert [hit.passage[s:e] for s, e in hit.spans] == ["lighthouse", "keeper", "watched"]
    index.close()


def test_search_all_is_typo_tolerant_and_ignores_filters(story: Path) -> None:
    """A misspelled word still finds its lines; title:/in: filters do not apply inside one
    document (``filter_fields`` names them for the status line), an unclosed quote is plain
    words."""
    from tuireader.core.search.query_syntax import parse_query

    index = SearchIndex.build([story])
    assert _lines(index, "lighthuose", story) == [1, 3, 5]
    assert _lines(index, "keeper title:nothing in:*.md", story) == [1, 3, 7]
    assert _lines(index, '"keeper waves', story) == [7]
    assert parse_query("keeper title:nothing in:*.md -x").filter_fields == ["title:", "in:"]
    assert parse_query('keeper "a b" -c').filter_fields == []
    assert _lines(index, "-keeper", story) == []  # nothing to look for
    index.close()
