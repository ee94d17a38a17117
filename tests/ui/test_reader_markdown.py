"""Pilot tests of Markdown in the reader: front matter, setext headings, code, heading levels."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import REPO, reader_ready

from tuireader.ui.app import TuiReaderApp
from tuireader.ui.dialogs.toc import TocScreen
from tuireader.ui.screens.reader import ReaderScreen

GUIDE = REPO / "seeds" / "tuireader-guide.md"

NOTES = """---
title: Field notes
author: A. Reader
date: 2026-12-01
---

Field Notes
===========

Intro text.

Second Part
-----------

### Third level

```python
import os
def greet(name):
    return name
```

Done.
""" + "".join(f"\nFiller paragraph {n}.\n" for n in range(30))


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A Markdown file with front matter, setext headings and a fenced Python block."""
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


def rows(reader: ReaderScreen) -> list[str]:
    """The text of each row of the reading pane."""
    view = reader.view
    return [view.render_line(y).text.strip() for y in range(view.size.height)]


async def test_guide_front_matter_is_a_header_not_yaml() -> None:
    """The bundled guide shows a one-line header from its front matter, not the YAML."""
    app = TuiReaderApp(start_file=GUIDE)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        shown = rows(reader)
        assert shown[0] == "tuireader guide · 2026-11-30 · Guide"
        assert "---" not in shown
        assert not any(row.startswith(("title:", "category:", "date:")) for row in shown)
        assert "tuireader guide" in shown[2]  # the H1 right under the header and a blank row


async def test_setext_headings_code_blocks_and_levels(notes: Path) -> None:
    """Setext headings render as headings, fences vanish, code is highlighted, levels differ."""
    app = TuiReaderApp(start_file=notes)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        shown = rows(reader)
        assert shown[0] == "Field notes · A. Reader · 2026-12-01"
        assert "===========" not in shown and "-----------" not in shown
        assert "Field Notes" in shown and "Second Part" in shown
        assert not any(row.startswith("```") for row in shown)
        assert "python" in shown and "import os" in shown
        view = reader.view
        styles = view._styles()
        assert len({styles["h1"], styles["h2"], styles["h3"]}) == 3
        heading_rows = {text: y for y, text in enumerate(shown)}
        for text, level in (("Field Notes", "h1"), ("Second Part", "h2"), ("Third level", "h3")):
            strip = view.render_line(heading_rows[text])
            segment = next(s for s in strip if s.text.strip() and text.split()[0] in s.text)
            assert segment.style is not None
            assert segment.style.bold and bool(segment.style.reverse) == (level == "h1")
            assert bool(segment.style.underline) == (level == "h2")
        code = view.render_line(heading_rows["import os"])
        keyword = next(s for s in code if s.text == "import")
        name = next(s for s in code if s.text.strip() == "os")
        assert keyword.style is not None and name.style is not None
        assert keyword.style.color != name.style.color  # highlighted, not one flat colour


async def test_contents_lists_setext_headings(notes: Path) -> None:
    """t lists the setext headings with their levels."""
    app = TuiReaderApp(start_file=notes)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        assert [(level, text) for _, level, text in reader.headings()] == [
            (1, "Field Notes"),
            (2, "Second Part"),
            (3, "Third level"),
        ]
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TocScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is reader
        assert reader.top_line == NOTES.split("\n").index("Second Part") + 1


async def test_search_snippets_show_rendered_text(tmp_path: Path) -> None:
    """Snippets in the search list read as the reader shows the text, not Markdown source."""
    from pilot_waits import until
    from textual.widgets import OptionList

    from tuireader.ui.screens.search import SearchScreen

    path = tmp_path / "harbour.md"
    path.write_text(
        "# Harbour\n\nThe **lighthouse** keeper read [the log](https://example.org/log).\n\n"
        "## The lighthouse at night\n\n> A *lighthouse* in a quote.\n",
        encoding="utf-8",
    )
    app = TuiReaderApp(start_file=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(pilot)
        await until(pilot, lambda: app.search_flow.index is not None, "the search index")
        await pilot.press("slash", *"lighthouse")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await until(pilot, lambda: screen._shown_query == "lighthouse", "the hits")
        results = screen.query_one("#search-results", OptionList)
        shown = [str(results.get_option_at_index(n).prompt) for n in range(results.option_count)]
        assert len(shown) == 3
        text = "\n".join(shown)
        assert "The lighthouse keeper read the log <https://example.org/log>." in text
        assert "The lighthouse at night" in text and "A lighthouse in a quote." in text
        for markup in ("**", "](", "## ", "> A", "*lighthouse*"):
            assert markup not in text, markup


async def test_mark_at_the_top_skips_the_front_matter(notes: Path) -> None:
    """m at the top marks the first line shown after the header, not the hidden YAML."""
    from tuireader.ui.dialogs.note import NoteScreen

    app = TuiReaderApp(start_file=notes)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteScreen)
        assert (
            dialog._dialog_title == f"Bookmark line {NOTES.split(chr(10)).index('Field Notes') + 1}"
        )
