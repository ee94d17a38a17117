"""The format registry: which format a file is, and what each format gives."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tuireader.core.formats.base import DocumentFormat
from tuireader.core.formats.html import HtmlFormat
from tuireader.core.formats.registry import (
    DOCUMENT_SUFFIXES,
    EPUB,
    FORMATS,
    HTML,
    MARKDOWN,
    PLAIN_TEXT,
    DeferredFormat,
    format_for,
    format_named,
    format_of,
    is_document,
    is_markdown,
)
from tuireader.core.textload import BinaryFileError

PACKAGE = Path(__file__).resolve().parents[2] / "tuireader"
NOT_DOCUMENTS = {"themes.py"}
"""Modules that look at suffixes of files that are not documents (theme YAML files)."""


def test_suffixes_map_to_formats() -> None:
    """Markdown and text suffixes, any case; a bare name is text; others are not documents."""
    assert format_for("a/notes.MD") is MARKDOWN and format_for("x.markdown") is MARKDOWN
    assert format_for("a.txt") is PLAIN_TEXT and format_for("a.rst") is PLAIN_TEXT
    assert format_for("/docs/README") is PLAIN_TEXT
    assert format_for("photo.png") is None and format_for(".hidden") is None
    assert is_document("x.text") and not is_document("x.pdf")
    assert is_markdown(Path("a.md")) and not is_markdown("a.txt")
    assert {".md", ".markdown", ".txt", ".text", ".rst", ".epub", ".html", ".htm", ".xhtml"} == (
        DOCUMENT_SUFFIXES
    )


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda fmt: fmt.name)
def test_a_format_takes_every_name_with_its_suffixes(fmt: DocumentFormat) -> None:
    """What the registry's suffix look-up relies on: each format takes every name with
    one of its suffixes, and the look-up gives the first format in order that claims it."""
    for suffix in fmt.suffixes:
        for name in (f"doc{suffix}", f"dir/Doc{suffix.upper()}", f"a.b{suffix}"):
            assert fmt.matches(name)
            first = next(candidate for candidate in FORMATS if candidate.matches(name))
            assert format_for(name) is first
    assert format_for("dir/README") is PLAIN_TEXT and format_for("dir/.profile") is None


def test_named_file_of_unknown_kind_opens_as_text() -> None:
    """A file the user names is read as plain text whatever its suffix."""
    assert format_of("server.log") is PLAIN_TEXT
    assert format_named("markdown") is MARKDOWN and format_named("nope") is None
    assert len({fmt.name for fmt in FORMATS}) == len(FORMATS)


def test_format_reads_metadata_lines_and_passages(tmp_path: Path) -> None:
    """Each format describes its file and gives lines and passages from it."""
    path = tmp_path / "note.md"
    text = "---\ntitle: Front\n---\n\n# Heading\n\nBody text here.\n"
    path.write_text(text)
    info = MARKDOWN.read_metadata(path)
    assert (info.title, info.words, info.size) == ("Front", len(text.split()), len(text))
    assert not info.words_estimated
    index = MARKDOWN.open_lines(path)
    index.scan()
    assert index.markdown and index.line_count == 7
    index.close()
    assert [p.first_line for p in MARKDOWN.passages(path)] == [5, 7]
    assert [p.first_line for p in PLAIN_TEXT.passages(path)] == [1, 5, 7]


def test_binary_file_is_refused(tmp_path: Path) -> None:
    """A binary file raises a DocumentError subclass with a one-line reason."""
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01" * 100)
    with pytest.raises(BinaryFileError, match="binary"):
        PLAIN_TEXT.read_metadata(path)


def test_nothing_outside_the_registry_tests_suffixes() -> None:
    """No module outside core/formats looks at a path's suffix to decide its format."""
    offenders = []
    for module in PACKAGE.rglob("*.py"):
        if "formats" in module.relative_to(PACKAGE).parts or module.name in NOT_DOCUMENTS:
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "suffix":
                offenders.append(f"{module.name}:{node.lineno}")
            if isinstance(node, ast.Name) and node.id.endswith("_SUFFIXES"):
                offenders.append(f"{module.name}:{node.lineno}")
    assert offenders == []


@pytest.mark.parametrize("entry", [EPUB, HTML], ids=["epub", "html"])
def test_a_deferred_format_says_what_its_module_says(entry: DeferredFormat) -> None:
    """EPUB and HTML are entered by name (module imported on first use): the same name,
    suffixes and rendering as the real format, which does the work."""
    real = entry.loaded
    assert type(real) is not type(entry) and not isinstance(real, DeferredFormat)
    assert (entry.name, entry.suffixes, entry.markdown) == (real.name, real.suffixes, real.markdown)


def test_a_deferred_format_reads_as_the_real_one(tmp_path: Path) -> None:
    """Metadata, lines and passages through the registry's entry match the real format's."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Saved page</title></head><body><article>"
        "<h1>Saved page</h1><p>First paragraph of words.</p><p>Second one.</p>"
        "</article></body></html>"
    )
    real = HtmlFormat()
    assert format_of(page) is HTML
    assert HTML.read_metadata(page) == real.read_metadata(page)
    assert HTML.read_metadata(page).title == "Saved page"
    assert list(HTML.text_lines(page)) == list(real.text_lines(page))
    assert [p.first_line for p in HTML.passages(page)] == [
        p.first_line for p in real.passages(page)
    ]
    index = HTML.open_lines(page)
    index.scan()
    assert index.line_count == len(list(real.text_lines(page))) > 0
    index.close()
