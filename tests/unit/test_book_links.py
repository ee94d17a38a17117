"""Internal links in books: kept in the converted text, resolved to lines by the cache."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from epub_builder import ChapterSpec, make_book

from tuireader.core.formats.bookcache import anchor_key, cached_text, converted_text
from tuireader.core.formats.epub import EpubSource
from tuireader.core.formats.xhtml import html_to_markdown
from tuireader.core.links import links_in_line, resolve_link

PAGE = (
    "<html><body><p>See<a href='notes.xhtml#fn1'>1</a>, <a href='#later'>below</a>,"
    " <a href='../other%20part.xhtml'>part two</a> and <a href='https://example.org/'>web</a>."
    "</p><p id='later'>Later.</p></body></html>"
)


def targets(line: str, document: Path) -> list[tuple[str, str]]:
    """(label, resolved anchor or URL) of each link on a converted line."""
    found = []
    for link in links_in_line(line):
        destination = resolve_link(link.target, document)
        found.append((link.label, destination.anchor or destination.url))
    return found


def test_internal_links_resolve_against_the_chapter_path() -> None:
    """Other chapters, fragments of this one and escaped names become anchor keys."""
    converted = html_to_markdown(PAGE, link_base="OEBPS/text/ch1.xhtml")
    book = Path("/books/b.epub")
    assert targets(converted.lines[0], book) == [
        ("1", anchor_key("OEBPS/text/notes.xhtml", "fn1")),
        ("below", anchor_key("OEBPS/text/ch1.xhtml", "later")),
        ("part two", anchor_key("OEBPS/other part.xhtml")),
        ("web", "https://example.org/"),
    ]
    assert all(
        resolve_link(link.target, book).kind in ("internal", "external")
        for link in links_in_line(converted.lines[0])
    )


def test_without_a_link_base_only_external_links_are_kept() -> None:
    """Saved pages (no base) keep external links only, as before."""
    converted = html_to_markdown(PAGE)
    assert [label for label, _ in targets(converted.lines[0], Path("/p.html"))] == ["web"]
    assert "See1, below, part two and" in converted.lines[0]


def test_cache_maps_link_targets_to_lines(tmp_path: Path) -> None:
    """Each chapter and element id is a line in the converted text, kept in the sidecar."""
    chapters = [
        ChapterSpec("ch1.xhtml", "One", "<h1>One</h1><p>Text<a href='notes.xhtml#n1'>1</a>.</p>"),
        ChapterSpec(
            "notes.xhtml",
            "Notes",
            "<h1>Notes</h1><p>Intro.</p><p id='n1'>The first note.</p><p id='n2'>Second.</p>",
        ),
    ]
    path = make_book(tmp_path / "notes.epub", chapters)
    text = converted_text(path, EpubSource)
    lines = text.text_path.read_text(encoding="utf-8").split("\n")
    link = links_in_line(next(line for line in lines if "Text[1]" in line))[0]
    anchor = resolve_link(link.target, path).anchor
    assert lines[text.anchors[anchor]] == "The first note."
    assert lines[text.anchors[anchor_key("OEBPS/notes.xhtml")]] == "# Notes"
    again = cached_text(path)
    assert again is not None and again.anchors == text.anchors
