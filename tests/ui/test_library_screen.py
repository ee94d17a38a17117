"""Pilot tests of the library screen: listing, filtering, opening, progress."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot_waits import filter_applied, library_loaded, until
from textual.pilot import Pilot
from textual.widgets import DataTable
from tui_helpers import SEED

from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.library import LibraryScreen
from tuireader.ui.screens.reader import ReaderScreen


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A folder with the seed article and two Markdown notes."""
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "gardening.md").write_text("# Notes on gardening\n\nDig.\n")
    (folder / "kettles.md").write_text("# The history of kettles\n\nBoil.\n")
    (folder / "broken.bin").write_bytes(b"\x00\x01" * 50)
    return folder


async def loaded(pilot: Pilot[int]) -> LibraryScreen:
    """Wait for the library scan to finish."""
    return await library_loaded(pilot)


def titles(screen: LibraryScreen) -> list[str]:
    """Titles in the table, top to bottom."""
    table = screen.table
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_library_lists_filters_and_opens(library: Path) -> None:
    """The library lists, fuzzy-filters and opens documents, then shows their progress."""
    app = TuiReaderApp([library])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        assert not screen.loading  # no loading indicator hiding the list
        assert sorted(titles(screen)) == [
            "General Sorkin's Admiration", "Notes on gardening", "The history of kettles",
        ]
        await pilot.press(*"kettel")  # a typo still finds it
        await filter_applied(pilot, screen)
        assert titles(screen) == ["The history of kettles"]
        await pilot.press("escape")
        assert len(titles(screen)) == 3
        await pilot.press(*"sorkin")
        await filter_applied(pilot, screen)
        assert titles(screen) == ["General Sorkin's Admiration"]
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, ReaderScreen) and app.screen.index.done,
            "the reader",
        )
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.document.title == "General Sorkin's Admiration"
        await pilot.press("G")
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen
        assert str(screen.table.get_row_at(0)[5]) == "100%"  # the Read column
        await pilot.press("escape")
        assert "100%" in [str(screen.table.get_row_at(row)[5]) for row in range(3)]


async def test_library_shows_scan_warnings_once(library: Path) -> None:
    """A missing library path gives exactly one notification naming it."""
    app = TuiReaderApp([library, library / "missing"])
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        messages = [notification.message for notification in app._notifications]
        assert len(messages) == 1
        assert "missing" in messages[0]


async def test_question_mark_opens_help_only_on_an_empty_filter(library: Path) -> None:
    """'?' types into a non-empty filter and opens help only when the filter is empty."""
    app = TuiReaderApp([library])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("a", "question_mark")
        assert app.screen is screen
        await pilot.press("escape", "question_mark")
        assert app.screen is not screen


async def test_ctrl_s_cycles_sort_orders_keeping_the_cursor(tmp_path: Path) -> None:
    """Ctrl+S sorts by newest first, title, least read, then as found; the cursor stays put."""
    folder = tmp_path / "dated"
    folder.mkdir()
    for name, title, date in [
        ("a.md", "Beta", "2020-01-01"),
        ("b.md", "alpha", "2024-06-30"),
        ("c.md", "Gamma", None),
        ("d.md", "Delta", "2022-03-15"),
    ]:
        front = f"---\ntitle: {title}\n" + (f"date: {date}\n" if date else "") + "---\n"
        (folder / name).write_text(front + "Words.\n")
    app = TuiReaderApp([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        app.state.record(folder / "a.md", 1, 1, 0.9)
        assert titles(screen) == ["Beta", "alpha", "Gamma", "Delta"]
        screen.table.move_cursor(row=3)  # Delta
        await pilot.press("ctrl+s")
        assert titles(screen) == ["alpha", "Delta", "Beta", "Gamma"]
        assert screen.selected_document().title == "Delta"
        assert "sorted: newest first" in str(screen.query_one("#library-status").render())
        await pilot.press("ctrl+s")
        assert titles(screen) == ["alpha", "Beta", "Delta", "Gamma"]
        await pilot.press("ctrl+s")
        assert titles(screen)[-1] == "Beta"  # the only document with reading progress
        await pilot.press("ctrl+s")
        assert titles(screen) == ["Beta", "alpha", "Gamma", "Delta"]
        assert screen.selected_document().title == "Delta"


async def test_library_rows_come_from_the_metadata_cache(library: Path) -> None:
    """The screen lists remembered descriptions of unchanged files and saves new ones."""
    import json

    from tuireader.core.metadata_cache import FIELD_NAMES, cache_file

    app = TuiReaderApp([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
    data = json.loads(cache_file().read_text())
    assert len(data["entries"]) == 3  # written by the screen's scan
    key = str(library / "kettles.md")
    data["entries"][key][3 + FIELD_NAMES.index("title")] = "Remembered kettles"
    cache_file().write_text(json.dumps(data))
    app = TuiReaderApp([library])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        assert "Remembered kettles" in titles(screen)  # the file was not read again
    (library / "kettles.md").write_text("# Kettles, edited\n\nBoil.\n")
    app = TuiReaderApp([library])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        assert "Kettles, edited" in titles(screen)  # a changed file is described again


def every_row(screen: LibraryScreen) -> list[tuple[str, ...]]:
    """Every cell of the full table as plain text, top to bottom."""
    table = screen.query_one("#library-table", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(row)) for row in range(table.row_count)]


async def test_warm_cache_rows_match_a_cold_scan_and_follow_the_folder(tmp_path: Path) -> None:
    """From a warm metadata cache the rows (cells, order, hints, progress) are a cold scan's;
    a file deleted and one added after the cache was written are shown as the folder is now."""
    from tuireader.core.library import load_library
    from tuireader.core.metadata_cache import cache_file

    folder = tmp_path / "many"
    for number in range(150):  # more than the first screenful, and titles shared by two folders
        sub = folder / ("odd" if number % 2 else "even")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note{number:03}.md").write_text(f"# Note {number // 2}\n\n{'word ' * number}\n")
    rows: list[list[tuple[str, ...]]] = []
    for _ in range(2):  # cold (writes the cache), then warm
        app = TuiReaderApp([folder])
        async with app.run_test(size=(100, 30)) as pilot:
            if not rows:
                app.state.record(folder / "odd" / "note001.md", 1, 1, 0.5)
            screen = await loaded(pilot)
            rows.append(every_row(screen))
            table = screen.query_one("#library-table")
            assert table.virtual_size.height == 150 + 1  # the rows and the header
    assert cache_file().exists()
    cold, warm = rows
    assert warm == cold
    expected = [document.title for document in load_library([folder]).documents]
    assert [row[0].split("  ")[0] for row in warm] == expected
    assert [row[0] for row in warm if row[5] == "50%"] == ["Note 0  odd/"]
    (folder / "odd" / "note001.md").unlink()
    (folder / "even" / "note999.md").write_text("# Newcomer\n\nHello.\n")
    app = TuiReaderApp([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        now = every_row(screen)
    expected = [document.title for document in load_library([folder]).documents]
    assert [row[0].split("  ")[0] for row in now] == expected
    assert len(now) == 150 and "Newcomer" in expected
    assert all(row[5] != "50%" for row in now), "the deleted document's row is gone"
    assert ("Note 0", "–", "–", "–", "1 min", "–") in now, "its twin lost the folder hint"
    assert [row for row in now if not row[0].startswith(("Newcomer", "Note 0"))] == [
        row for row in warm if not row[0].startswith("Note 0")
    ]
