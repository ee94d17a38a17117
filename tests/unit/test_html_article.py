"""Saved web pages: the main text without chrome, scripts or styles; metadata from the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.formats.bookcache import converted_text
from tuireader.core.formats.html import HtmlSource, article_lines, page_metadata
from tuireader.core.textload import DocumentError

STORY = " ".join(["The keeper climbed the stairs of the lighthouse every evening."] * 12)
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><title>The Keeper | Harbour News</title>
<meta property="og:title" content="The Keeper">
<meta property="og:site_name" content="Harbour News">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-05-06T08:00:00Z">
<script>var tracking = "SECRET-SCRIPT";</script>
<style>.x {{ content: "SECRET-STYLE"; }}</style>
<script type="application/ld+json">{{"@context": "https://schema.org",
 "@type": "NewsArticle", "headline": "The Keeper &amp; the Light",
 "author": [{{"@type": "Person", "name": "Jane Doe"}}], "datePublished": "2024-05-06"}}</script>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li>
<li><a href="/world">World menu</a></li></ul></nav></header>
<div class="ad-banner">BUY NOW advert</div>
<article><h1>The Keeper &amp; the Light</h1>
<p>{STORY}</p>
<h2>Night</h2>
<p>At night the <em>beam</em> swept the sea.</p>
<table><tr><th>Hour</th><th>Ships</th></tr><tr><td>22:00</td><td>3</td></tr></table>
<div class="share-buttons">Share on social</div>
</article>
<aside class="related">Related: other stories</aside>
<footer>Copyright footer text</footer>
<script>document.write("SECRET-BODY-SCRIPT")</script>
</body></html>"""


def test_metadata_from_json_ld_meta_and_title() -> None:
    """JSON-LD wins for title/author/date; og: gives the site; entities are decoded."""
    meta = page_metadata(PAGE)
    assert meta.title == "The Keeper & the Light"
    assert (meta.author, meta.date, meta.site, meta.language) == (
        "Jane Doe",
        "2024-05-06",
        "Harbour News",
        "en",
    )


def test_metadata_fallbacks() -> None:
    """Without JSON-LD or og: the <title> and a <time datetime> are used."""
    meta = page_metadata(
        "<html><head><title>Plain &eacute;t&eacute;</title></head>"
        '<body><time datetime="2023-01-02">2 Jan</time></body></html>'
    )
    assert (meta.title, meta.date, meta.author) == ("Plain été", "2023-01-02", None)


@pytest.mark.parametrize("use_library", [True, False], ids=["trafilatura", "built-in"])
def test_main_text_without_chrome(use_library: bool) -> None:
    """Title, byline, story, subheading and table; no menus, ads, scripts, styles or footer."""
    if use_library:
        pytest.importorskip("trafilatura")
    _, lines = article_lines(PAGE, use_library=use_library)
    text = "\n".join(lines)
    assert lines[0] == "# The Keeper & the Light"
    assert "Jane Doe · 2024-05-06 · Harbour News" in lines[2]
    assert STORY[:80] in text and "*beam*" in text and "## Night" in text
    assert "| Hour | Ships |" in text.replace("  ", " ")
    for junk in ("SECRET", "World menu", "BUY NOW", "Copyright footer", "Related:"):
        assert junk not in text, junk


def test_html_page_through_the_cache(tmp_path: Path) -> None:
    """A page converts once into the cache with its headings as the ToC."""
    path = tmp_path / "keeper.html"
    path.write_text(PAGE, encoding="utf-8")
    converted = converted_text(path, HtmlSource)
    lines = converted.text_path.read_text(encoding="utf-8").split("\n")
    assert converted.info["title"] == "The Keeper & the Light"
    titles = {entry.title: entry.line for entry in converted.toc}
    assert lines[titles["Night"]] == "## Night"


def test_unusable_pages(tmp_path: Path) -> None:
    """A binary file and a missing file give one clear line; an empty page a visible note."""
    binary = tmp_path / "x.html"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(DocumentError, match="binary"):
        HtmlSource(binary)
    with pytest.raises(DocumentError, match="no such file"):
        HtmlSource(tmp_path / "missing.html")
    _, lines = article_lines("<html><body><script>x()</script></body></html>", use_library=False)
    assert lines == ["> ⚠ No readable text found in this page."]
