"""Enter on a library search hit lands on the line of the matched words, deep in a paragraph."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import library_loaded, until
from textual.widgets import Input

from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.screens.search import SearchScreen


async def test_enter_lands_on_the_match_line(tmp_path: Path) -> None:
    """The matched line (20th of a 22-line paragraph) is shown near the top, words marked."""
    lines = ["Title", ""] + [f"Plain filler sentence number {n} of it." for n in range(22)]
    lines[21] = "Suddenly the heron lifted off the water."
    lines += ["", *(f"Another paragraph, line {n}." for n in range(30))]
    folder = tmp_path / "shelf"
    folder.mkdir()
    path = folder / "long.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = TuiReaderApp([folder])
    async with app.run_test(size=(80, 12)) as pilot:

        def reading() -> bool:
            screen = app.screen
            ready = isinstance(screen, ReaderScreen) and screen.index.done
            return ready and not screen.view.pending  # type: ignore[attr-defined]

        await library_loaded(pilot)
        await pilot.press("ctrl+f")  # the whole library: ranked passages
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search overlay")
        overlay = app.screen
        assert isinstance(overlay, SearchScreen)
        await pilot.press(*"heron")
        await until(
            pilot,
            lambda: bool(overlay.hits) and overlay.query_one(Input).value == "heron",
            "the hits",
        )
        hit = overlay.hits[0]
        assert (hit.line, hit.match_line) == (3, 22)
        await pilot.press("enter")
        await until(pilot, reading, "the reader at the hit")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        shown = [reader.view.render_line(row).text for row in range(reader.view.size.height)]
        assert any("heron" in text for text in shown), shown
        assert 20 <= reader.top_line <= 22
        assert reader.highlight == (3, 24) and "heron" in reader.highlight_words
