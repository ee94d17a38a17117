"""Saved web pages at the edges: odd metadata, a failing extractor, huge, binary, cut pages."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tuireader.core.formats import html
from tuireader.core.formats.bookcache import converted_text
from tuireader.core.formats.html import (
    HtmlFormat,
    HtmlSource,
    article_lines,
    describe_page,
    load_page,
    main_text,
    page_metadata,
)
from tuireader.core.formats.registry import chapter_at
from tuireader.core.textload import BinaryFileError, DocumentError

ARTICLE = "<html><body><article><p>The keeper climbed the stairs.</p></article></body></html>"


def test_json_ld_graph_is_searched_and_odd_blocks_are_skipped() -> None:
    """A broken JSON-LD block, non-objects and non-article types are skipped; @graph is read."""
    page = (
        '<script type="application/ld+json">{not json</script>'
        '<script type="application/ld+json">[1, "two", {"@type": "Organization",'
        ' "name": "Harbour Inc"}]</script>'
        '<script type="application/ld+json">{"@graph": [{"@type": ["Thing", "BlogPosting"],'
        ' "name": "From the graph", "author": ["Ann", {"name": "Bo"}],'
        ' "dateCreated": "2021-03-04T10:00"}]}</script>'
    )
    meta = page_metadata(page)
    assert (meta.title, meta.author, meta.date) == ("From the graph", "Ann, Bo", "2021-03-04")


def test_a_profile_url_is_not_taken_for_the_author() -> None:
    """``article:author`` holding a URL (as many sites do) gives no author rather than a link."""
    meta = page_metadata('<meta property="article:author" content="https://example.org/jane">')
    assert meta.author is None


def test_a_human_date_and_meta_tags_without_content() -> None:
    """A meta tag with no content is skipped; 'date' written as '6 May 2024' becomes ISO."""
    meta = page_metadata(
        '<meta name="description"><meta name="description" content="Second  one">'
        '<meta name="date" content="6 May 2024">'
    )
    assert (meta.date, meta.description) == ("2024-05-06", "Second one")


def _library(result: Any = None, error: Exception | None = None) -> SimpleNamespace:
    """A stand-in for trafilatura whose ``extract`` returns ``result`` or raises ``error``."""

    def extract(_text: str, **_options: object) -> Any:
        if error is not None:
            raise error
        return result

    return SimpleNamespace(extract=extract)


@pytest.mark.parametrize(
    "library",
    [_library(error=RuntimeError("lxml choked")), _library(result=None), _library(result=" \n")],
    ids=["raises", "nothing", "blank"],
)
def test_the_built_in_converter_takes_over_when_the_extractor_fails(
    monkeypatch: pytest.MonkeyPatch, library: SimpleNamespace
) -> None:
    """An extractor that raises or finds nothing: the built-in converter gives the text."""
    monkeypatch.setattr(html, "_trafilatura", lambda: library)
    assert main_text(ARTICLE).lines == ["The keeper climbed the stairs."]


def test_extracted_text_is_cleaned_and_headed_by_the_title(monkeypatch: pytest.MonkeyPatch) -> None:
    """Extracted lines lose escape sequences, show other controls; the title heads them."""
    extracted = "\n\nFirst \x1b[31mred\x1b[0m line   \nSecond\x07 line\n"
    monkeypatch.setattr(html, "_trafilatura", lambda: _library(result=extracted))
    meta, lines = article_lines(r"<title>A \ title</title>" + ARTICLE)
    assert meta.title == "A \\ title"
    assert lines == ["# A \\\\ title", "", "First red line", "Second\\x07 line", ""]


def test_a_byline_with_stars_is_escaped() -> None:
    """An author with '*' in the name cannot end the italic byline early."""
    page = '<meta name="author" content="A*B"><meta property="og:site_name" content="S">' + ARTICLE
    _, lines = article_lines(page, use_library=False)
    assert lines[:2] == ["*A\\*B · S*", ""]


def test_a_page_over_the_size_limit_is_refused_with_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page larger than MAX_PAGE_BYTES is one clear error giving the size."""
    monkeypatch.setattr(html, "MAX_PAGE_BYTES", 100)
    path = tmp_path / "big.html"
    path.write_text("<p>" + "x" * 1200 + "</p>", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        load_page(path)
    assert str(caught.value) == f"{path}: page too large (1,207 bytes)"


def test_describing_a_binary_page_is_refused(tmp_path: Path) -> None:
    """A .html file holding binary data is skipped with a one-line reason."""
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(BinaryFileError) as caught:
        describe_page(path)
    assert str(caught.value) == f"{path}: binary file skipped"


def test_words_of_a_page_longer_than_its_head_are_scaled_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the head is read: the word count is scaled by size and marked as estimated."""
    monkeypatch.setattr(html, "META_HEAD_BYTES", 500)
    path = tmp_path / "long.html"
    path.write_text("word " * 400, encoding="utf-8")  # 2000 bytes, 100 words in the head
    info = describe_page(path)
    assert (info.words, info.words_estimated) == (400, True)


def test_a_converted_page_is_described_from_its_cache(tmp_path: Path) -> None:
    """Once converted, the page is described from the cache: exact words, not estimated."""
    path = tmp_path / "keeper.html"
    path.write_text("<title>Keeper</title>" + ARTICLE, encoding="utf-8")
    assert describe_page(path).words_estimated is True
    converted_text(path, HtmlSource)
    info = describe_page(path)
    assert (info.title, info.words_estimated) == ("Keeper", False)
    assert info.words == 7  # "# Keeper" and the sentence


def test_passages_and_lines_of_a_page_are_its_converted_text(tmp_path: Path) -> None:
    """Search reads the page's converted Markdown: heading and paragraph, with line numbers."""
    path = tmp_path / "keeper.html"
    path.write_text("<title>Keeper</title>" + ARTICLE, encoding="utf-8")
    fmt = HtmlFormat()
    lines = list(fmt.text_lines(path))
    assert lines[:3] == ["# Keeper", "", "The keeper climbed the stairs."]
    assert not any(lines[3:])
    assert [(p.first_line, p.last_line, p.text) for p in fmt.passages(path)] == [
        (1, 1, "# Keeper"),
        (3, 3, "The keeper climbed the stairs."),
    ]


def test_the_chapter_of_a_line_is_known_once_converted_and_none_when_gone(tmp_path: Path) -> None:
    """Search results name a page's section once it is converted; a deleted page names none."""
    path = tmp_path / "keeper.html"
    path.write_text("<title>Keeper</title>" + ARTICLE, encoding="utf-8")
    converted_text(path, HtmlSource)
    assert chapter_at(path, 3) == "Keeper"
    path.unlink()
    assert chapter_at(path, 3) is None
