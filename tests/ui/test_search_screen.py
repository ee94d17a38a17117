"""Pilot tests of the search overlay, pushed by a tiny test app."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pilot_waits import WAIT_LIMIT, until
from textual.app import App
from textual.widgets import Input, OptionList, Static

from tuireader.core.search.build import BuildProgress
from tuireader.core.search.index import SearchIndex
from tuireader.ui.screens.search import SearchResult, SearchScreen


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    """Two small documents."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "harbour.txt").write_text(
        "The Harbour\n\nThe fishing boats came back at dawn with silver herring.\n\n"
        "Gulls circled the lighthouse keeper all morning.\n",
        encoding="utf-8",
    )
    (folder / "orchard.txt").write_text(
        "The Orchard\n\nApples ripened slowly in the walled orchard.\n\n"
        "The lighthouse could be seen from the orchard wall.\n",
        encoding="utf-8",
    )
    return folder


class SearchApp(App[None]):
    """Pushes a SearchScreen on mount and records what it returns."""

    def __init__(self, screen_factory) -> None:  # type: ignore[no-untyped-def]
        """Keep the factory of the screen to push; results start empty."""
        super().__init__()
        self.screen_factory = screen_factory
        self.results: list[SearchResult | None] = []

    def on_mount(self) -> None:
        """Push the search screen and record what it returns when it closes."""
        self.push_screen(self.screen_factory(), self.results.append)


async def _wait_for(pilot, condition, *, workers: bool = True) -> None:  # type: ignore[no-untyped-def]
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


def _titles(screen: SearchScreen) -> list[str]:
    return [hit.path.name for hit in screen.hits]


async def test_typing_shows_ranked_hits_and_enter_returns_them(library: Path) -> None:
    """A misspelled query lists ranked hits; Enter returns the hit, its index and all hits."""
    index = SearchIndex.build([library])
    app = SearchApp(lambda: SearchScreen(index))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"fishng bots")
        await _wait_for(pilot, lambda: screen.hits)
        assert screen.hits[0].path.name == "harbour.txt"
        assert screen.hits[0].line == 3
        results = screen.query_one("#search-results", OptionList)
        assert results.option_count == len(screen.hits)
        await pilot.press("enter")
        await _wait_for(pilot, lambda: app.results)
    result = app.results[0]
    assert result is not None
    assert result.hit.path.name == "harbour.txt"
    assert result.index == 0
    assert result.hits[0] == result.hit


async def test_down_moves_to_the_next_hit(library: Path) -> None:
    """Down highlights the second hit and Enter returns it as index 1."""
    index = SearchIndex.build([library])
    app = SearchApp(lambda: SearchScreen(index, query="lighthouse"))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await _wait_for(pilot, lambda: len(screen.hits) == 2)
        await pilot.press("down")
        assert screen.query_one("#search-results", OptionList).highlighted == 1
        await pilot.press("enter")
        await _wait_for(pilot, lambda: app.results)
    assert app.results[0] is not None
    assert app.results[0].index == 1


async def test_escape_returns_none(library: Path) -> None:
    """Escape closes the overlay with None."""
    index = SearchIndex.build([library])
    app = SearchApp(lambda: SearchScreen(index))
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await _wait_for(pilot, lambda: app.results)
    assert app.results == [None]


async def test_scope_toggle_limits_hits_to_the_current_document(library: Path) -> None:
    """Tab limits hits to the current document, says so, and keeps focus in the input."""
    index = SearchIndex.build([library])
    current = library / "orchard.txt"
    app = SearchApp(lambda: SearchScreen(index, current, query="lighthouse"))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await _wait_for(pilot, lambda: len(screen.hits) == 2)
        await pilot.press("tab")
        await _wait_for(pilot, lambda: len(screen.hits) == 1)
        assert _titles(screen) == ["orchard.txt"]
        title = screen.query_one("#search-title", Static)
        assert "this document" in str(title.render())
        assert screen.query_one(Input).has_focus


async def test_stale_results_are_not_shown(library: Path) -> None:
    """Late results for an older query are ignored; clearing the query empties the list."""
    index = SearchIndex.build([library])
    app = SearchApp(lambda: SearchScreen(index))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"apples")
        await _wait_for(pilot, lambda: screen.hits)
        # Results for an old query arriving late are ignored.
        screen._show_hits("gulls", None, index.search("gulls"))
        assert _titles(screen) == ["orchard.txt"]
        await pilot.press(*["backspace"] * 6)
        await _wait_for(pilot, lambda: not screen.hits)
        assert screen.query_one("#search-results", OptionList).option_count == 0


async def test_highlight_spans_are_styled(library: Path) -> None:
    """A result shows the title and line, with the matched word styled."""
    index = SearchIndex.build([library])
    app = SearchApp(lambda: SearchScreen(index, query="herring"))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await _wait_for(pilot, lambda: screen.hits)
        prompt = screen.query_one("#search-results", OptionList).get_option_at_index(0).prompt
        plain = prompt.plain
        styled = [plain[span.start : span.end] for span in prompt.spans]
        assert "herring" in styled
        assert plain.startswith(screen.hits[0].title)
        assert "line 3" in plain


async def test_progress_is_shown_while_the_index_builds(library: Path) -> None:
    """While the index builds, the status shows documents and passages; hits follow once ready."""
    release = threading.Event()
    reported = threading.Event()

    def provider(progress, should_cancel):  # type: ignore[no-untyped-def]
        progress(BuildProgress(1, 2, 7))
        reported.set()
        release.wait(5)
        return SearchIndex.build([library], progress=progress, should_cancel=should_cancel)

    app = SearchApp(lambda: SearchScreen(provider, query="orchard"))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        status = screen.query_one("#search-status", Static)
        await _wait_for(pilot, lambda: "1/2 documents" in str(status.render()), workers=False)
        assert "7 passages" in str(status.render())
        release.set()
        await _wait_for(pilot, lambda: screen.hits)
        assert screen.hits[0].path.name == "orchard.txt"


async def test_failing_provider_shows_a_message(library: Path) -> None:
    """A provider that raises shows "Indexing failed" with the error's message."""
    def provider(progress, should_cancel):  # type: ignore[no-untyped-def]
        raise OSError("disk on fire")

    app = SearchApp(lambda: SearchScreen(provider))
    async with app.run_test() as pilot:
        screen = app.screen
        status = screen.query_one("#search-status", Static)
        await _wait_for(pilot, lambda: "disk on fire" in str(status.render()))
        assert "Indexing failed" in str(status.render())


async def test_every_key_runs_a_search_without_waiting_for_a_pause(library: Path) -> None:
    """Results follow each key: one key, its worker done, and the hits are listed."""
    index = SearchIndex.build([library])
    app = SearchApp(lambda: SearchScreen(index))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"orch")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert set(_titles(screen)) == {"orchard.txt"}
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"gull")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert set(_titles(screen)) == {"harbour.txt"}


async def test_query_syntax_in_the_overlay_on_the_seeds() -> None:
    """The new user's query: a phrase, an exclusion and a title filter, typed key by key."""
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    index = SearchIndex.build([seeds], use_cache=False)
    app = SearchApp(lambda: SearchScreen(index))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*'"respected comrade" -sorkin title:admiration')
        await _wait_for(pilot, lambda: screen.hits)
        assert all(hit.path.name == "general-sorkins-admiration.txt" for hit in screen.hits)
        assert all("sorkin" not in hit.passage.lower() for hit in screen.hits)
        assert "respected Comrade" in screen.hits[0].passage
