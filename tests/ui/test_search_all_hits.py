"""Pilot tests: in-document search lists every hit once, in order; n/N walk them all;
the highlighted result always stays in view."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from pilot_waits import until
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from tui_helpers import reader_ready

from tuireader.core.search.index import SearchIndex
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.screens.search import SearchScreen

MATCHES = 100
LINES = 20_000


@pytest.fixture
def long_file(tmp_path: Path) -> Path:
    """20,000 lines in paragraphs of 40 (cut into overlapping passages); 100 hold 'storm'."""
    lines = []
    for number in range(1, LINES + 1):
        if number % 200 == 7:
            lines.append(f"Line {number}: then the storm came over the bay.")
        elif number % 41 == 0:
            lines.append("")
        else:
            lines.append(f"Line {number}: calm water, quiet gulls and grey stones.")
    path = tmp_path / "long.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def storm_lines() -> list[int]:
    """The 1-based lines holding the word."""
    return [n for n in range(1, LINES + 1) if n % 200 == 7]


def status_text(reader: ReaderScreen) -> str:
    """The reader's status line."""
    return str(reader.query_one("#reader-status", Static).render())


def screen_text(pilot: Pilot[int]) -> str:
    """What the terminal shows, as text."""
    svg = pilot.app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def open_document_search(pilot: Pilot[int], query: str) -> SearchScreen:
    """Press / in the reader, type ``query`` and wait for its hits."""
    app = pilot.app
    await until(pilot, lambda: app.search_flow.index is not None, "the search index")  # type: ignore[attr-defined]
    await pilot.press("slash")
    screen = app.screen
    assert isinstance(screen, SearchScreen) and screen.document_scope
    await pilot.press(*query)
    await until(
        pilot,
        lambda: (
            screen._shown_query == query
            and screen.query_one(Input).value == query
            and screen.complete
        ),
        "the hits",
    )
    return screen


def test_search_all_gives_every_line_once_in_order(long_file: Path) -> None:
    """The index finds every matching line once, in document order (no cap, no duplicates)."""
    index = SearchIndex.build([long_file])
    hits = list(index.search_all("storm", long_file))
    expected = storm_lines()
    assert len(expected) == MATCHES
    assert [hit.line for hit in hits] == expected
    assert all(hit.line == hit.last_line for hit in hits)
    assert all(hit.passage[start:end] == "storm" for hit in hits for start, end in hit.spans)
    index.close()


async def test_n_walks_every_hit_with_hit_k_of_n(long_file: Path) -> None:
    """/ in the reader lists all hits in order; n and N walk them, 'hit k/N' in the status."""
    expected = storm_lines()
    total = len(expected)
    app = TuiReaderApp(start_file=long_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        overlay = await open_document_search(pilot, "storm")
        assert [hit.line for hit in overlay.hits] == expected
        await pilot.press("enter")
        reader = await reader_ready(pilot)
        for k in range(1, 6):
            assert reader.highlight == (expected[k - 1], expected[k - 1])
            assert f"hit {k}/{total} " in status_text(reader)
            await pilot.press("n")
            await pilot.pause()
        app.search_flow.position = total - 3  # far on: hit 98
        await pilot.press("n", "n")
        await pilot.pause()
        assert reader.highlight == (expected[-1], expected[-1])
        assert f"hit {total}/{total} " in status_text(reader)
        await pilot.press("n")
        await pilot.pause()
        messages = [notification.message for notification in app._notifications]
        assert any(message.startswith(f"Last hit ({total}/{total})") for message in messages)
        await pilot.press("N")
        await pilot.pause()
        assert reader.highlight == (expected[-2], expected[-2])
        assert f"hit {total - 1}/{total} " in status_text(reader)
        hit_toasts = [m for m in messages if m.startswith("hit ") and "n next" not in m]
        assert hit_toasts == []  # stepping never covers the page with notifications


async def test_highlighted_result_stays_in_view(long_file: Path) -> None:
    """After ↓ 15 times (and 60 more, past the first page) the highlighted hit is on screen."""
    expected = storm_lines()
    app = TuiReaderApp(start_file=long_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        overlay = await open_document_search(pilot, "storm")
        results = overlay.query_one("#search-results", OptionList)
        for presses in (15, 60):
            for _ in range(presses):
                await pilot.press("down")
            await pilot.pause()
            assert results.highlighted is not None
            line = expected[results.highlighted]
            assert f"Line {line}: then the storm" in screen_text(pilot), (results.highlighted, line)
        assert results.highlighted == 75
        await pilot.press("enter")
        reader = await reader_ready(pilot)
        assert reader.highlight == (expected[75], expected[75])


async def test_more_than_a_page_of_hits_grows_as_the_cursor_goes_down(tmp_path: Path) -> None:
    """300 hits: all are found; the list shows a page, then grows under the cursor."""
    path = tmp_path / "many.txt"
    path.write_text(
        "".join(f"Line {n}: the storm again.\n\n" for n in range(1, 301)), encoding="utf-8"
    )
    app = TuiReaderApp(start_file=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        overlay = await open_document_search(pilot, "storm")
        assert len(overlay.hits) == 300
        assert "300 hits in this document, in order" in str(
            overlay.query_one("#search-status", Static).render()
        )
        results = overlay.query_one("#search-results", OptionList)
        assert results.option_count < 300  # a page at a time
        for _ in range(15):
            await pilot.press("pagedown")
        await pilot.pause()
        assert results.highlighted == 150 and results.option_count > 150
        line = overlay.hits[150].line
        assert f"Line {(line + 1) // 2}: the storm" in screen_text(pilot)


async def test_document_search_reads_the_query_syntax(tmp_path: Path) -> None:
    """/ in a document: a phrase needs its words together, -word leaves lines out, a typo
    still finds, and a title: filter is ignored there, as the status line says."""
    paragraphs = [
        "The old lighthouse keeper watched the storm.",
        "A keeper of the old lighthouse slept.",
        "The old lighthouse stood dark in the storm.",
        "The keeper counted the waves again.",
    ]
    path = tmp_path / "story.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    app = TuiReaderApp(start_file=path)
    async with app.run_test(size=(100, 24)) as pilot:
        await reader_ready(pilot)
        query = '"lighthouse keeper" -storm'
        overlay = await open_document_search(pilot, query)
        assert overlay.hits == []  # the one passage with the phrase also holds "storm"
        for _ in query:
            await pilot.press("backspace")
        query = "keepr -storm title:nothing"
        await pilot.press(*query)
        await until(
            pilot, lambda: overlay._shown_query == query and overlay.complete, "the new hits"
        )
        assert [hit.passage for hit in overlay.hits] == [paragraphs[1], paragraphs[3]]
        status = str(overlay.query_one("#search-status", Static).render())
        assert "2 hits in this document" in status
        assert "title: ignored in one document" in status
