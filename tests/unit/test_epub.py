"""EPUB 2/3 books built in the tests: metadata, spine order, ToC, text, forgiving reads."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from epub_builder import ChapterSpec, book_members, chapter, make_book, write_zip

from tuireader.core.formats.epub import NOTE_PREFIX, open_book
from tuireader.core.formats.markdown import render_line


def all_lines(path: Path) -> list[str]:
    """Every converted line of a book, chapters in order."""
    with open_book(path) as book:
        return [line for item in book.chapters() for line in item.lines]


@pytest.mark.parametrize("version", [2, 3])
def test_metadata_spine_and_toc(tmp_path: Path, version: int) -> None:
    """Title, author with file-as, language, date, publisher, series; spine order; ToC."""
    path = make_book(tmp_path / "book.epub", version=version, series=("Engines", "2"))
    with open_book(path) as book:
        meta = book.metadata
        assert meta.title == "A Test Book"
        assert [(a.name, a.file_as) for a in meta.authors] == [("Ada Lovelace", "Lovelace, Ada")]
        assert (meta.language, meta.date, meta.publisher) == ("en", "1843-09-05", "Test Press")
        assert (meta.series, meta.series_index) == ("Engines", "2")
        assert [item.href for item in book.package.spine] == [
            "OEBPS/ch1.xhtml",
            "OEBPS/ch2.xhtml",
            "OEBPS/ch3.xhtml",
        ]
        assert [(e.title, e.href) for e in book.toc] == [
            ("The First Chapter", "OEBPS/ch1.xhtml"),
            ("The Second Chapter", "OEBPS/ch2.xhtml"),
            ("The Third Chapter", "OEBPS/ch3.xhtml"),
        ]
        chapters = list(book.chapters())
    assert chapters[0].lines == [
        "# The First Chapter",
        "",
        "It begins here.",
        "",
        "A second paragraph.",
    ]
    assert [c.title for c in chapters] == [
        e for e in ("The First Chapter", "The Second Chapter", "The Third Chapter")
    ]


def test_nested_nav_levels_and_spine_order_differs_from_manifest(tmp_path: Path) -> None:
    """The spine, not the manifest, orders chapters; nested nav lists give ToC levels."""
    members = book_members([chapter("b.xhtml", "Bee", "b"), chapter("a.xhtml", "Ay", "a")])
    opf = members["OEBPS/content.opf"].decode()
    opf = opf.replace(
        '<itemref idref="c1"/><itemref idref="c2"/>', '<itemref idref="c2"/><itemref idref="c1"/>'
    )
    members["OEBPS/content.opf"] = opf.encode()
    nav = (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>'
        '<nav epub:type="landmarks"><ol><li><a href="b.xhtml">Start</a></li></ol></nav>'
        '<nav epub:type="toc"><ol><li><a href="a.xhtml">Part&nbsp;A</a><ol>'
        '<li><a href="b.xhtml#top">Section B</a></li></ol></li></ol></nav></body></html>'
    )
    members["OEBPS/nav.xhtml"] = nav.encode()
    path = write_zip(tmp_path / "order.epub", members)
    with open_book(path) as book:
        assert [item.href for item in book.package.spine] == ["OEBPS/a.xhtml", "OEBPS/b.xhtml"]
        assert [(e.title, e.level, e.fragment) for e in book.toc] == [
            ("Part A", 1, ""),
            ("Section B", 2, "top"),
        ]


def test_book_without_toc(tmp_path: Path) -> None:
    """No nav and no NCX: an empty ToC, chapters named by their first heading."""
    path = make_book(tmp_path / "plain.epub", toc=False)
    with open_book(path) as book:
        assert book.toc == []
        assert [c.title for c in book.chapters()] == [
            "The First Chapter",
            "The Second Chapter",
            "The Third Chapter",
        ]


def test_non_ascii_member_names_and_escaped_hrefs(tmp_path: Path) -> None:
    """Chapter files named in UTF-8 inside the zip, referenced URL-escaped by the OPF."""
    specs = [chapter("čas één.xhtml", "Čas", "Tekst één."), chapter("日本.xhtml", "日本", "本文")]
    path = make_book(tmp_path / "utf.epub", specs)
    lines = all_lines(path)
    assert "Tekst één." in lines and "本文" in lines
    assert not any(line.startswith(NOTE_PREFIX) for line in lines)


def test_cover_only_chapter(tmp_path: Path) -> None:
    """A chapter holding only the cover image shows as an image line; the cover is known."""
    cover = ChapterSpec(
        "cover.xhtml", "Cover", '<div><img src="images/cover.jpg" alt="Cover"/></div>'
    )
    specs = [cover, chapter("ch1.xhtml", "One", "Text.")]
    members = book_members(specs, extra_metadata='<meta name="cover" content="img"/>')
    opf = (
        members["OEBPS/content.opf"]
        .decode()
        .replace(
            "<manifest>",
            '<manifest><item id="img" href="images/cover.jpg" media-type="image/jpeg"/>',
        )
    )
    members["OEBPS/content.opf"] = opf.encode()
    members["OEBPS/images/cover.jpg"] = b"\xff\xd8\xff"
    path = write_zip(tmp_path / "cover.epub", members)
    with open_book(path) as book:
        assert book.metadata.cover == "OEBPS/images/cover.jpg"
        first = book.chapter(0)
    assert first.lines == ["![Cover]()"]
    assert render_line(first.lines[0]).text == "[image: Cover]"


def test_chapter_blocks_become_markdown(tmp_path: Path) -> None:
    """Headings, emphasis, lists, quotes, code, tables, links; no head/script/style/hidden."""
    body = (
        "<h2>Rules</h2><p>Some <em>em</em>, <b>bold</b> and <code>x = 1</code>.</p>"
        "<ul><li>first</li><li>second</li></ul><blockquote><p>quoted</p></blockquote>"
        "<pre>line one\n  line two</pre>"
        "<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>31</td></tr></table>"
        '<p>See <a href="https://example.org">the site</a>.</p>'
        "<script>var secret = 1;</script><p hidden='hidden'>hidden words</p>"
        '<p style="display: none">invisible words</p>'
    )
    path = make_book(tmp_path / "blocks.epub", [ChapterSpec("c.xhtml", "Blocks", body)])
    lines = all_lines(path)
    assert lines[:7] == [
        "## Rules",
        "",
        "Some *em*, **bold** and `x = 1`.",
        "",
        "- first",
        "- second",
        "",
    ]
    assert "> quoted" in lines
    assert lines[lines.index("```") : lines.index("```") + 4] == [
        "```",
        "line one",
        "  line two",
        "```",
    ]
    assert "| Name | Age |" in lines and "| Ann | 31 |" in lines
    assert "See [the site](<https://example.org>)." in lines
    text = "\n".join(lines)
    for absent in ("secret", "hidden words", "invisible words", "color: red", "Blocks"):
        assert absent not in text


def test_forgiving_folder_too_high_and_wrong_mimetype(tmp_path: Path) -> None:
    """Everything zipped under one top folder, and a wrong mimetype member: still opens."""
    members = book_members([chapter("c.xhtml", "Only", "Words here.")])
    members["mimetype"] = b"application/zip"
    path = write_zip(tmp_path / "high.epub", members, top="My Book/")
    assert "Words here." in all_lines(path)


def test_missing_container_uses_the_only_opf(tmp_path: Path) -> None:
    """Without container.xml the single OPF in the book is used, as calibre does."""
    members = book_members([chapter("c.xhtml", "Only", "Found anyway.")])
    del members["META-INF/container.xml"]
    assert "Found anyway." in all_lines(write_zip(tmp_path / "nocontainer.epub", members))


def test_undeclared_entities_and_broken_xhtml_keep_text(tmp_path: Path) -> None:
    """&nbsp; and &eacute; without a DTD, and unclosed tags: the text survives."""
    body = "<p>caf&eacute;&nbsp;au lait<p>unclosed <i>italic<div>and a div</span></p>"
    path = make_book(tmp_path / "broken.epub", [ChapterSpec("c.xhtml", "B", body)])
    text = "\n".join(all_lines(path))
    assert "café\xa0au lait" in text
    assert "unclosed" in text and "italic" in text and "and a div" in text


def test_ebooklib_book_reads_with_its_toc(tmp_path: Path) -> None:
    """A book written by a real EPUB library (ebooklib) opens with metadata and ToC."""
    epub = pytest.importorskip("ebooklib.epub")
    book = epub.EpubBook()
    book.set_identifier("id-1")
    book.set_title("Real World")
    book.set_language("en")
    book.add_author("Mary Shelley")
    chapters = []
    for number in (1, 2):
        item = epub.EpubHtml(title=f"Letter {number}", file_name=f"letter_{number}.xhtml")
        item.content = f"<h1>Letter {number}</h1><p>To Mrs. Saville, England, {number}.</p>"
        book.add_item(item)
        chapters.append(item)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    path = tmp_path / "real.epub"
    epub.write_epub(str(path), book)
    with open_book(path) as opened:
        assert opened.metadata.title == "Real World"
        assert opened.metadata.author == "Mary Shelley"
        assert [entry.title for entry in opened.toc] == ["Letter 1", "Letter 2"]
        text = "\n".join(line for item in opened.chapters() for line in item.lines)
    assert "To Mrs. Saville, England, 2." in text
