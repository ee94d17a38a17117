"""Pilot tests of passage search wired into the real app: /, ctrl+f, Enter, n/N, indexing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pilot_waits import WAIT_LIMIT, until
from textual import on
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

import tuireader.ui.flows.search as search_flow_module
from tuireader.core.search.build import BuildProgress
from tuireader.core.search.index import SearchIndex
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.flows.search import SearchFlow
from tuireader.ui.messages import OpenDocument
from tuireader.ui.screens.library import LibraryScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.screens.search import SearchResult, SearchScreen
from tuireader.ui.widgets.reader_view import match_pattern

LONG_WORD = "quixotically"


@pytest.fixture()
def library(tmp_path: Path, seed_article: Path) -> Path:
    """A small library: two short documents, one long-lined one, and the seed article."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "harbour.txt").write_text(
        "The Harbour\n\n"
        + "".join(f"Filler line {number} about nets and tides.\n\n" for number in range(1, 40))
        + "The fishing boats came back at dawn with silver herring.\n\n"
        + "Gulls circled the lighthouse keeper all morning.\n",
        encoding="utf-8",
    )
    (folder / "orchard.txt").write_text(
        "The Orchard\n\nApples ripened slowly in the walled orchard.\n\n"
        "The lighthouse could be seen from the orchard wall.\n",
        encoding="utf-8",
    )
    words = " ".join(f"plain{number} words here" for number in range(300))
    (folder / "long.txt").write_text(
        f"Long Lines\n\n{words} the keeper wrote {LONG_WORD} near the end.\n\n"
        + "".join(f"Afterword line {number}.\n" for number in range(60)),
        encoding="utf-8",
    )
    (folder / seed_article.name).write_bytes(seed_article.read_bytes())
    return folder


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], object], *, workers: bool = True
) -> None:
    """Let the app run until ``condition()`` holds: ``pilot_waits.until`` (workers first).

    With ``workers`` false (a test holds a build on purpose, so its worker cannot be
    waited for) the app is only let run until idle between checks: still no sleeps.
    """
    if workers:
        await until(pilot, lambda: bool(condition()), "the test's condition")
        return
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the test's condition")
        await pilot.pause()


def search_screen(app: TuiReaderApp) -> SearchScreen:
    """The search overlay on top."""
    screen = app.screen
    assert isinstance(screen, SearchScreen), screen
    return screen


def reader_of(app: TuiReaderApp) -> ReaderScreen:
    """The reader on top."""
    screen = app.screen
    assert isinstance(screen, ReaderScreen), screen
    return screen


def rows(reader: ReaderScreen) -> list[str]:
    """The text of the reading pane's rows."""
    view = reader.view
    return [view.render_line(y).text for y in range(view.size.height)]


def notices(app: TuiReaderApp) -> list[str]:
    """Messages of the notifications shown so far."""
    return [notification.message for notification in app._notifications]


async def search(pilot: Pilot[int], query: str) -> SearchScreen:
    """Type ``query`` in the open overlay and wait for its hits."""
    screen = search_screen(pilot.app)  # type: ignore[arg-type]
    await pilot.press(*query)
    await wait_for(
        pilot, lambda: screen.hits and screen.query_one(Input).value == query
        and screen._shown_query == query
    )
    return screen


async def reader_ready(pilot: Pilot[int]) -> ReaderScreen:
    """Wait until the reader shows its document fully indexed and positioned."""
    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, ReaderScreen) and screen.index.done and not screen.view.pending

    await wait_for(pilot, ready)
    await pilot.pause()
    return reader_of(pilot.app)  # type: ignore[arg-type]


async def test_slash_misspelled_query_lands_on_the_passage_highlighted(seed_article: Path) -> None:
    """/ then Enter opens a misspelled hit underlined two rows down; Escape clears it."""
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        await pilot.press("slash")
        overlay = search_screen(app)
        assert overlay.document_scope and overlay.current_path == reader.document.path
        overlay = await search(pilot, "sorkin salutd comander")
        assert overlay.hits[0].line == 17
        await pilot.press("enter")
        reader = await reader_ready(pilot)
        assert reader.highlight == (17, 17)
        assert {"Sorkin", "saluted", "Commander"} <= set(reader.highlight_words)
        shown = rows(reader)
        row = next(number for number, text in enumerate(shown) if "Sorkin saluted" in text)
        assert row == 2  # a couple of rows of context above the passage
        strip = reader.view.render_line(row)
        match_style = next(segment.style for segment in strip if segment.text == "saluted")
        plain_style = next(segment.style for segment in strip if "Kim Il Sung" in segment.text)
        assert match_style is not None and match_style != plain_style
        assert match_style.underline and match_style.bold
        await pilot.press("escape")
        assert reader.highlight is None
        assert not any(segment.style and segment.style.underline
                       for segment in reader.view.render_line(row))


async def test_n_and_N_step_through_hits_and_say_so_at_the_ends(seed_article: Path) -> None:
    """n/N step through hits, stop at the ends with a notice; n before any search says so."""
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(pilot)
        await pilot.press("n")
        assert any("No search yet" in text for text in notices(app))
        await pilot.press("slash")
        overlay = await search(pilot, "sorkin")
        hits = overlay.hits
        assert len(hits) >= 3
        await pilot.press("enter")
        reader = await reader_ready(pilot)
        assert reader.highlight == (hits[0].line, hits[0].last_line)
        assert any(text.startswith(f"hit 1/{len(hits)}") for text in notices(app))
        await pilot.press("n")
        assert reader_of(app).highlight == (hits[1].line, hits[1].last_line)
        status = str(reader_of(app).query_one("#reader-status", Static).render())
        assert f"hit 2/{len(hits)}" in status  # in the status line, not a notification
        assert hits[1].line - 3 <= reader_of(app).top_line <= hits[1].line
        await pilot.press("n")
        assert reader_of(app).highlight == (hits[2].line, hits[2].last_line)
        await pilot.press("N", "N")
        assert reader_of(app).highlight == (hits[0].line, hits[0].last_line)
        await pilot.press("N")
        assert reader_of(app).highlight == (hits[0].line, hits[0].last_line)
        assert any(text.startswith("First hit") for text in notices(app))
        for _ in range(len(hits)):
            await pilot.press("n")
        assert reader_of(app).highlight == (hits[-1].line, hits[-1].last_line)
        assert any(text.startswith("Last hit") for text in notices(app))


async def test_ctrl_f_searches_the_whole_library_and_n_crosses_documents(library: Path) -> None:
    """ctrl+f searches the library and n moves to another document; / in the reader scopes to it."""
    app = TuiReaderApp([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.search_flow.index is not None)
        status = app.screen.query_one("#library-status", Static)
        await wait_for(pilot, lambda: "passages" in str(status.render()))
        await pilot.press("ctrl+f")
        overlay = search_screen(app)
        assert overlay.current_path is None and not overlay.document_scope
        overlay = await search(pilot, "lighthuose")  # a typo
        paths = {hit.path.name for hit in overlay.hits}
        assert {"harbour.txt", "orchard.txt"} <= paths
        first = overlay.hits[0]
        await pilot.press("enter")
        reader = await reader_ready(pilot)
        assert reader.document.path.name == first.path.name
        assert reader.highlight == (first.line, first.last_line)
        await pilot.press("n")
        second = reader_of(app)
        assert second.document.path.name != first.path.name
        assert second.highlight is not None
        await reader_ready(pilot)
        assert any(second.highlight[0] <= line <= second.highlight[1]
                   for line in range(second.top_line, second.top_line + 5))
        # / in the reader: this document by default, Tab widens to the library.
        await pilot.press("slash")
        overlay = await search(pilot, "lighthouse")
        assert {hit.path.name for hit in overlay.hits} == {second.document.path.name}
        await pilot.press("tab")
        await wait_for(pilot, lambda: len({hit.path.name for hit in overlay.hits}) >= 2)


async def test_a_match_deep_in_a_long_line_is_brought_into_view(library: Path) -> None:
    """Opening a hit deep in a long wrapped line scrolls inside the line to show the word."""
    app = TuiReaderApp([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f")
        overlay = await search(pilot, "quixoticaly")
        assert overlay.hits[0].path.name == "long.txt"
        await pilot.press("enter")
        reader = await reader_ready(pilot)
        assert reader.highlight == (3, 3)
        assert reader.view.top == 2 and reader.view.sub > 5  # scrolled inside the wrapped line
        shown = rows(reader)
        assert LONG_WORD in shown[2] and LONG_WORD not in "".join(shown[:2])


async def test_the_app_stays_responsive_while_the_shared_index_builds(library: Path) -> None:
    """While the index builds, keys work, both statuses show progress, and one build serves all."""
    release = threading.Event()
    calls: list[list[Path]] = []

    def slow_build(sources: list[Path], **options: Any) -> SearchIndex:
        calls.append(list(sources))
        options["progress"](BuildProgress(1, 4, 7))
        while not release.wait(0.02):
            if options["should_cancel"]():
                raise AssertionError("cancelled")
        return SearchIndex.build(sources, **options)

    app = TuiReaderApp([library])
    app.search_flow.shared.builder = slow_build
    async with app.run_test(size=(100, 30)) as pilot:
        library_screen = app.screen
        assert isinstance(library_screen, LibraryScreen)
        await wait_for(pilot, lambda: not library_screen.scanning, workers=False)
        await pilot.press("ctrl+f")  # starts the shared build at once
        overlay = search_screen(app)
        status = overlay.query_one("#search-status", Static)
        await wait_for(pilot, lambda: "1/4" in str(status.render()), workers=False)
        library_status = library_screen.query_one("#library-status", Static)
        expected = "Indexing 1/4 docs, 7 passages"
        await wait_for(
            pilot, lambda: expected in str(library_status.render()), workers=False
        )
        # Keys are handled while the build runs: typing, closing, moving, reopening.
        await pilot.press(*"herrnig")
        assert overlay.query_one(Input).value == "herrnig"
        await pilot.press("escape")
        assert app.screen is library_screen
        await pilot.press("down")
        assert library_screen.table.cursor_row == 1
        await pilot.press("ctrl+f")
        overlay = search_screen(app)
        await pilot.press(*"herrnig")
        assert not overlay.hits
        release.set()
        await wait_for(pilot, lambda: overlay.hits)
        assert overlay.hits[0].path.name == "harbour.txt"
        assert len(calls) == 1  # the overlays waited for the one shared build


async def test_a_document_edited_since_indexing_is_indexed_again(library: Path) -> None:
    """A document edited after indexing is indexed again, so hits give its new line numbers."""
    app = TuiReaderApp([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        overlay = await search(pilot, "herring")
        old_line = overlay.hits[0].line
        await pilot.press("enter")
        reader = await reader_ready(pilot)
        harbour = library / "harbour.txt"
        assert reader.document.path.name == harbour.name
        harbour.write_text("Five new lines\n\n\n\n\n" + harbour.read_text(encoding="utf-8"))
        await pilot.press("slash")
        overlay = await search(pilot, "herring")
        assert overlay.hits[0].line == old_line + 5


async def test_help_lists_the_search_keys(seed_article: Path) -> None:
    """Help lists the reader's /, n and N keys and the library-wide search key."""
    app = TuiReaderApp(start_file=seed_article)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(pilot)
        await pilot.press("question_mark")
        table = app.screen.query_one(DataTable)
        rows_text = [" | ".join(str(cell) for cell in table.get_row_at(number))
                     for number in range(table.row_count)]
        assert any(row.startswith("Reader | /") and "Tab: whole library" in row
                   for row in rows_text)
        assert any(row.startswith("Reader | n") and "Next hit" in row for row in rows_text)
        assert any(row.startswith("Reader | N") and "Previous hit" in row for row in rows_text)
        assert any(row.startswith("Library | ") and "whole library" in row for row in rows_text)
        syntax = [row for row in rows_text if row.startswith("Search query | ")]
        for part in ('"exact phrase"', "-word", "title:", "author:", "in:", "lang:", "/ in a"):
            assert any(part in row for row in syntax), part


def test_match_pattern_whole_words_any_case_and_cjk() -> None:
    """match_pattern finds whole words in any case and CJK inside words; blank words give None."""
    pattern = match_pattern(["Sorkin", "saluted", "東京"])
    assert pattern is not None
    text = "sorkin SALUTED the Sorkins in 東京都"
    assert [found.group() for found in pattern.finditer(text)] == ["sorkin", "SALUTED", "東京"]
    assert match_pattern(["", "  "]) is None


class RecordingApp(App[None]):
    """Records the OpenDocument messages it is sent."""

    def __init__(self) -> None:
        """Nothing asked yet."""
        super().__init__()
        self.asked: list[OpenDocument] = []

    @on(OpenDocument)
    def _asked(self, message: OpenDocument) -> None:
        self.asked.append(message)


async def test_the_flow_asks_the_app_to_open_a_hit_by_message(tmp_path: Path) -> None:
    """Choosing a hit and n post OpenDocument with the passage and its matched words."""
    text = tmp_path / "t.txt"
    text.write_text("Title\n\nThe keeper saw the lighthouse.\n\nA second lighthouse.\n")
    index = SearchIndex.build([text])
    hits = tuple(index.search("lighthouse keeper"))
    app = RecordingApp()
    async with app.run_test() as pilot:
        flow = SearchFlow(app)
        flow._chosen(SearchResult("lighthouse keeper", hits, 0, None))
        await until(pilot, lambda: len(app.asked) == 1, "the first OpenDocument")
        first = app.asked[0]
        assert (first.path, first.line, first.highlight) == (text, 3, (3, 3))
        assert set(first.words) == {"keeper", "lighthouse"}
        assert first.notice is not None and first.notice.startswith(f"hit 1/{len(hits)}")
        flow.step(1)
        await until(pilot, lambda: len(app.asked) == 2, "the second OpenDocument")
        assert app.asked[1].line == 5 and app.asked[1].words == ("lighthouse",)
    assert "tuireader.ui.screens.reader" not in Path(search_flow_module.__file__).read_text()
