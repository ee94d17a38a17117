"""Library keys like the rest of the app: j/k/g/G move, / filters, q and Esc quit."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_waits import filter_applied, library_loaded, until
from textual.pilot import Pilot

from tuireader.ui.app import TuiReaderApp
from tuireader.ui.dialogs.help import HelpScreen
from tuireader.ui.screens.library import FilterInput, LibraryScreen


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """Six short documents with distinct titles."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    for number, title in enumerate(
        ("Quince jam", "Apples", "Bread", "Cheese", "Dates", "Eggs"), start=1
    ):
        (folder / f"{number}.md").write_text(f"# {title}\n\nText {number}.\n", encoding="utf-8")
    return folder


def _selected(screen: LibraryScreen) -> str:
    """Title of the selected document."""
    document = screen.selected_document()
    assert document is not None
    return document.title


def _filter(screen: LibraryScreen) -> FilterInput:
    """The filter box."""
    return screen.query_one(FilterInput)


async def _start(pilot: Pilot[int]) -> LibraryScreen:
    """The loaded library, list focused."""
    screen = await library_loaded(pilot)
    await until(pilot, lambda: screen.table.row_count == 6, "six rows")
    return screen


async def test_j_k_arrows_g_and_shift_g_move(shelf: Path) -> None:
    """j/down go down, k/up go up, G/end to the last row, g/home to the first; nothing typed."""
    app = TuiReaderApp([shelf])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _start(pilot)
        assert screen.table.has_focus, "the list has the keys at start"
        titles = [document.title for document in screen.documents]
        await pilot.press("j", "j")
        assert _selected(screen) == titles[2]
        await pilot.press("down")
        assert _selected(screen) == titles[3]
        await pilot.press("k")
        assert _selected(screen) == titles[2]
        await pilot.press("up")
        assert _selected(screen) == titles[1]
        await pilot.press("G")
        assert _selected(screen) == titles[-1]
        await pilot.press("g")
        assert _selected(screen) == titles[0]
        await pilot.press("end")
        assert _selected(screen) == titles[-1]
        await pilot.press("home")
        assert _selected(screen) == titles[0]
        assert _filter(screen).value == "" and app.is_running


async def test_slash_focuses_the_filter_where_q_is_typed(shelf: Path) -> None:
    """'/' moves to the filter; there 'q' is a letter of the query, not quit."""
    app = TuiReaderApp([shelf])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _start(pilot)
        await pilot.press("slash")
        assert _filter(screen).has_focus
        await pilot.press(*"quince")
        await filter_applied(pilot, screen)
        assert app.is_running and _filter(screen).value == "quince"
        assert _selected(screen) == "Quince jam"


async def test_typing_a_letter_on_the_list_starts_filtering(shelf: Path) -> None:
    """A printable key that is not a list key starts the filter with that letter."""
    app = TuiReaderApp([shelf])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _start(pilot)
        await pilot.press(*"chees")
        await filter_applied(pilot, screen)
        assert _filter(screen).value == "chees" and _filter(screen).has_focus
        assert _selected(screen) == "Cheese"


async def test_escape_clears_and_leaves_the_filter_then_quits(shelf: Path) -> None:
    """Esc clears the filter and returns to the list; Esc again quits."""
    app = TuiReaderApp([shelf])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _start(pilot)
        await pilot.press(*"bread")
        await filter_applied(pilot, screen)
        await pilot.press("escape")
        assert _filter(screen).value == "" and screen.table.has_focus
        assert screen.table.row_count == 6 and app.is_running
        await pilot.press("escape")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    assert app.return_code == 0


async def test_q_quits_when_the_filter_is_empty(shelf: Path) -> None:
    """q on the list quits at once when nothing is filtered."""
    app = TuiReaderApp([shelf])
    async with app.run_test(size=(100, 30)) as pilot:
        await _start(pilot)
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    assert app.return_code == 0


async def test_q_after_a_filter_was_left_adds_to_it(shelf: Path) -> None:
    """With a filter kept and the list focused, q is typed into the filter, not quit."""
    app = TuiReaderApp([shelf])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _start(pilot)
        await pilot.press(*"eg")
        await filter_applied(pilot, screen)
        screen.table.focus()
        await pilot.press("q")
        assert app.is_running and _filter(screen).value == "egq"


async def test_help_lists_the_library_keys(shelf: Path) -> None:
    """The help screen names the library's movement, filter and quit keys."""
    app = TuiReaderApp([shelf])
    async with app.run_test(size=(120, 50)) as pilot:
        await _start(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        table = app.screen.query_one("#help-table")
        rows = [
            " | ".join(str(cell) for cell in table.get_row_at(row))  # type: ignore[attr-defined]
            for row in range(table.row_count)  # type: ignore[attr-defined]
        ]
        library = [row for row in rows if row.startswith("Library")]
        for keys, action in (
            ("j", "Next document"),
            ("k", "Previous document"),
            ("g", "First document"),
            ("G", "Last document"),
            ("/", "Filter by title or path"),
            ("q", "Quit (when the filter is empty)"),
            ("esc", "Clear and leave the filter; again: quit"),
        ):
            assert any(keys in row and action in row for row in library), (keys, library)
