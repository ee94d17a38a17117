"""Metadata forms: front matter, headings, the seed's article header, file names, dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.library import describe
from tuireader.core.metadata import extract_metadata, parse_date, title_from_filename


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025.4.8.", "2025-04-08"),
        ("\u00a02025.4.8.", "2025-04-08"),
        ("2025-04-08", "2025-04-08"),
        ("2025/4/8", "2025-04-08"),
        ("April 8, 2025", "2025-04-08"),
        ("Apr 8 2025", "2025-04-08"),
        ("8 April 2025", "2025-04-08"),
        ("2025.13.40.", None),
        ("not a date", None),
        ("", None),
    ],
)
def test_parse_date_forms(text: str, expected: str | None) -> None:
    """Each accepted date form becomes an ISO date; nonsense gives None."""
    assert parse_date(text) == expected


def test_seed_article_header(seed_article: Path) -> None:
    """The bundled seed: category line, title line, no-break-space date line."""
    document = describe(seed_article)
    assert document.title == "General Sorkin's Admiration"
    assert document.date == "2025-04-08"
    assert document.category == "Research"
    assert document.words == len(seed_article.read_text(encoding="utf-8").split())
    assert not document.words_estimated


def test_front_matter_wins(tmp_path: Path) -> None:
    """YAML front matter gives title, date and category before any heading."""
    text = (
        "---\ntitle: From Front\ndate: 2024-02-29\ncategory: [Notes, Misc]\n"
        "author: Ann\n---\n# Heading\n"
    )
    meta = extract_metadata(text, tmp_path / "a.md", markdown=True)
    assert (meta.title, meta.date, meta.category) == ("From Front", "2024-02-29", "Notes")
    assert meta.extra == {"author": "Ann"}


def test_bad_front_matter_falls_back_to_heading(tmp_path: Path) -> None:
    """Front matter that is not valid YAML is ignored, not fatal."""
    text = "---\ntitle: [unclosed\n---\n# Real Title\n"
    assert extract_metadata(text, tmp_path / "a.md", markdown=True).title == "Real Title"


def test_hostile_front_matter_is_not_executed(tmp_path: Path) -> None:
    """A python tag in front matter is refused by the safe loader."""
    marker = tmp_path / "ran"
    text = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n# T\n"
    assert extract_metadata(text, tmp_path / "a.md", markdown=True).title == "T"
    assert not marker.exists()


def test_first_heading_skips_code_fences(tmp_path: Path) -> None:
    """A '#' line inside a fenced code block is not the title."""
    text = "Intro\n\n```sh\n# comment\n```\n\n# The Title #\n"
    assert extract_metadata(text, tmp_path / "a.md", markdown=True).title == "The Title"


def test_setext_heading(tmp_path: Path) -> None:
    """An underlined heading counts as a level-one heading in Markdown."""
    text = "My Title\n========\n\nbody\n"
    assert extract_metadata(text, tmp_path / "a.md", markdown=True).title == "My Title"


def test_plain_text_comment_is_not_a_heading(tmp_path: Path) -> None:
    """In plain text only a heading on the first line counts."""
    text = "Install notes\n\n# run this\ncp a b\n"
    assert extract_metadata(text, tmp_path / "INSTALL").title == "INSTALL"


@pytest.mark.parametrize(
    ("header", "title", "date", "category"),
    [
        ("Essays\n\nOn Walking\n\n2023-07-01\n\nbody", "On Walking", "2023-07-01", "Essays"),
        ("On Walking\n\nJuly 1, 2023\n\nbody", "On Walking", "2023-07-01", None),
    ],
)
def test_article_header_variants(
    tmp_path: Path, header: str, title: str, date: str, category: str | None
) -> None:
    """Category/title/date and title/date headers are both recognised."""
    meta = extract_metadata(header, tmp_path / "x.txt")
    assert (meta.title, meta.date, meta.category) == (title, date, category)


def test_file_name_fallback(tmp_path: Path) -> None:
    """With nothing else, the title comes from the file name."""
    assert extract_metadata("just some words\n", tmp_path / "my_notes-2024.txt").title == (
        "My notes 2024"
    )
    assert title_from_filename(Path("readme")) == "Readme"
