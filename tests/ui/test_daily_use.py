"""Pilot tests for issue 13's daily-use items 9-15 (each failed on main before the fix)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml
from pilot_waits import library_loaded, until
from textual.coordinate import Coordinate
from textual.widgets import DataTable, OptionList
from tui_helpers import SEED, reader_ready

from tuireader.core import paths
from tuireader.core.bookmarks.store import BookmarkStore
from tuireader.core.piped import discard, spool
from tuireader.core.state import ReadingState
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.messages import OpenDocument
from tuireader.ui.screens.library import LibraryScreen


def _messages(app: TuiReaderApp) -> list[str]:
    """Every notification shown so far."""
    return [notification.message for notification in app._notifications]


# ---------------------------------------------------------------- 12: piped input


async def test_bookmark_on_piped_input_is_refused_and_leaves_no_state() -> None:
    """m on piped text says why it cannot be marked; quitting leaves no stdin/<pid> entry."""
    state_file = paths.state_file()
    state_file.parent.mkdir(parents=True, exist_ok=True)
    stale = str(paths.cache_dir() / "stdin" / "4242" / "standard-input.txt")
    state_file.write_text(
        yaml.safe_dump({"version": 1, "positions": {stale: {"line": 3, "total": 9}}})
    )
    piped = spool(io.BytesIO(b"".join(b"piped line %d\n" % n for n in range(200))))
    app = TuiReaderApp(start_file=piped, state=ReadingState())
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        await pilot.press("space", "m")
        await until(pilot, lambda: any("piped" in m for m in _messages(app)), "the refusal")
        assert not isinstance(app.screen, NoteScreen)
        assert any("cannot be bookmarked" in m for m in _messages(app))
        await pilot.press("q")
    discard(piped)
    assert BookmarkStore().list() == []
    positions = yaml.safe_load(state_file.read_text())["positions"]
    assert list(positions) == [stale]  # nothing added for this pipe
    # Reading a real file afterwards saves its position and drops the stale pipe entry.
    state = ReadingState()
    state.record(SEED, 5, 51, 0.1)
    positions = yaml.safe_load(state_file.read_text())["positions"]
    assert list(positions) == [str(SEED.resolve())]


def test_cli_refuses_a_bookmark_on_piped_input(tmp_path: Path) -> None:
    """The store refuses piped input with one clear line (the CLI and the app share it)."""
    from tuireader.core.bookmarks.store import BookmarkError

    piped = spool(io.BytesIO(b"text\n"))
    with pytest.raises(BookmarkError, match="piped text cannot be bookmarked"):
        BookmarkStore().add(piped, 1)
    discard(piped)
    assert not piped.parent.exists()


# ---------------------------------------------------------------- 9: theme and config.yaml

COMMENTED_CONFIG = """\
# My tuireader settings
library:
  - ~/notes   # where I write

# The look: I like it calm
theme: paper  # try night later
include_seeds: true
"""


async def test_theme_picker_offers_only_our_themes_and_keeps_config_comments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The palette lists tuireader's themes only; picking one edits just the theme line;
    `tuireader themes` then marks it current."""
    from textual.command import CommandList, CommandPalette

    from tuireader.cli import main
    from tuireader.core.themes import load_themes

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(COMMENTED_CONFIG)
    ours = load_themes().names()
    target = next(name for name in ours if name != "paper")
    app = TuiReaderApp(start_file=SEED)

    def prompts() -> list[str]:
        found = app.screen.query(CommandList) if isinstance(app.screen, CommandPalette) else []
        if not found:
            return []
        options = found[0]
        return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        app.search_themes()
        await until(pilot, lambda: len(prompts()) == len(ours), "the theme list")
        shown = {prompt.split("\n")[0] for prompt in prompts()}
        assert shown == set(ours)
        assert "nord" not in shown and "textual-dark" not in shown
        await pilot.press(*target)
        await until(pilot, lambda: prompts()[:1] and prompts()[0].startswith(target), target)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is reader, "the palette to close")
        assert app.theme == target
    assert config.read_text() == COMMENTED_CONFIG.replace(
        "theme: paper  # try", f"theme: {target}  # try"
    )
    assert main(["themes", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["name"] for row in rows if row["current"]] == [target]


def test_save_setting_changes_one_line_or_adds_one(tmp_path: Path) -> None:
    """save_setting keeps comments and order; a new key is one line added at the end."""
    from tuireader.core.config import load_config, save_setting

    config = tmp_path / "config.yaml"
    config.write_text(COMMENTED_CONFIG)
    save_setting("full_width", True, config)
    assert config.read_text() == COMMENTED_CONFIG + "full_width: true\n"
    save_setting("theme", "it's: odd", config)
    assert "theme: 'it''s: odd'  # try night later\n" in config.read_text()
    assert load_config(config).theme == "it's: odd"
    assert config.read_text().startswith("# My tuireader settings\nlibrary:\n  - ~/notes   # where")
    config.write_text("theme:\n")
    save_setting("theme", "paper", config)
    assert config.read_text() == "theme: paper\n"


# ---------------------------------------------------------------- 11: width remembered


async def test_width_toggle_is_kept_for_the_next_document_and_the_next_start(
    tmp_path: Path,
) -> None:
    """w in one document: the next document opens full width, and so does the next start."""
    from tuireader.core.config import load_config

    other = tmp_path / "other.txt"
    other.write_text("Another document.\n" * 40)
    app = TuiReaderApp([SEED.parent], load_config())
    async with app.run_test(size=(120, 30)) as pilot:
        app.open_document(SEED)
        reader = await reader_ready(pilot)
        assert not reader.view.full_width
        await pilot.press("w")
        assert reader.view.full_width
        await until(pilot, lambda: load_config().full_width, "full_width saved")
        app.open_document(other)
        second = await reader_ready(pilot)
        assert second is not reader and second.view.full_width
        assert "full width" in str(second.query_one("#reader-status").render())
    again = TuiReaderApp(start_file=SEED, config=load_config())
    async with again.run_test(size=(120, 30)) as pilot:
        reader = await reader_ready(pilot)
        assert reader.view.full_width
        await pilot.press("w")
        await until(pilot, lambda: not load_config().full_width, "the measure saved")


# ---------------------------------------------------------------- 14: a single file


async def test_single_file_footer_says_quit_and_search_has_no_library_scope() -> None:
    """`tuireader FILE`: the footer says q Quit; search is on this file, Tab offers no library."""
    from textual.widgets import Static

    from tuireader.ui.screens.search import SearchScreen

    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        q = reader.active_bindings["q"].binding
        assert q.description == "Quit"
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search overlay")
        search = app.screen
        title = str(search.query_one("#search-title", Static).render())
        help_text = str(search.query_one("#search-help", Static).render())
        assert "whole library" not in title + help_text and "this file" in title
        await pilot.press("tab")
        assert "whole library" not in str(search.query_one("#search-title", Static).render())
        await pilot.press("escape", "q")
        await until(pilot, lambda: not app.is_running, "q to quit")
    assert app.return_code == 0


def footer_keys(app: TuiReaderApp) -> list[tuple[str, str]]:
    """(key, description) of each key the footer shows."""
    from textual.widgets._footer import FooterKey

    return [(key.key, key.description) for key in app.screen.query(FooterKey)]


async def test_single_file_footer_shows_one_quit_and_ctrl_q_still_quits() -> None:
    """Opened on a file, the footer shows q Quit once (not ^q Quit beside it); Ctrl+Q quits."""
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(pilot)
        await until(pilot, lambda: footer_keys(app), "the footer")
        shown = footer_keys(app)
        assert [key for key, what in shown if what == "Quit"] == ["q"]
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "Ctrl+Q to quit")
    assert app.return_code == 0


async def test_reader_over_the_library_footer_says_back() -> None:
    """With a library behind it, q goes Back (and the footer says so); Tab scope is offered."""
    app = TuiReaderApp([SEED.parent])
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_document(SEED)
        reader = await reader_ready(pilot)
        assert reader.active_bindings["q"].binding.description == "Back"
        await until(pilot, lambda: footer_keys(app), "the footer")
        shown = footer_keys(app)
        assert ("q", "Back") in shown and ("ctrl+q", "Quit") in shown
        await pilot.press("q")
        await until(pilot, lambda: app.screen is not reader, "back to the library")
        assert app.is_running


# ---------------------------------------------------------------- 10: library rows


def _cells(screen: LibraryScreen, column: int) -> dict[str, str]:
    """Plain text of one column of the full table, by the document's path."""
    table = screen.query_one("#library-table", DataTable)
    return {
        str(document.path): str(table.get_cell_at(Coordinate(row, column)))
        for row, document in enumerate(screen.documents)
    }


def _drawn_rows(app: TuiReaderApp) -> list[str]:
    """The library table's rows as drawn on screen."""
    table = app.screen.query_one("#library-table", DataTable)
    return [table.render_line(y).text for y in range(table.size.height)]


@pytest.mark.parametrize("width", [80, 120])
async def test_lookalike_rows_show_their_folder_and_lengths_are_never_cut(
    tmp_path: Path, width: int
) -> None:
    """Two todo.md show their folders; about 63 min and 25 h fit the Length column."""
    for folder in ("work", "home"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "todo.md").write_text(f"# todo\n\nThings for {folder}.\n")
    (tmp_path / "essay.txt").write_text("Essay.\n\n" + ("word " * 10 + "\n") * (23 * 63))
    (tmp_path / "epic.txt").write_text("Epic.\n\n" + ("word " * 10 + "\n") * (23 * 60 * 25))
    app = TuiReaderApp([tmp_path])
    async with app.run_test(size=(width, 24)) as pilot:
        screen = await library_loaded(pilot)
        titles = _cells(screen, 0)
        assert titles[str(tmp_path / "work" / "todo.md")].endswith("work/")
        assert titles[str(tmp_path / "home" / "todo.md")].endswith("home/")
        assert titles[str(tmp_path / "essay.txt")] == "Essay"
        lengths = _cells(screen, 4)
        essay, epic = lengths[str(tmp_path / "essay.txt")], lengths[str(tmp_path / "epic.txt")]
        assert re.fullmatch(r"~6[234] min", essay), essay
        assert re.fullmatch(r"~2[456](\.\d)? h", epic), epic
        drawn = "\n".join(_drawn_rows(app))
        assert essay in drawn and epic in drawn and "work/" in drawn and "home/" in drawn


async def test_read_column_follows_a_document_opened_from_a_search_hit(tmp_path: Path) -> None:
    """A document read through a search hit shows its progress when back in the library."""
    doc = tmp_path / "harbour.txt"
    doc.write_text("\n".join(f"Line {n} about the quiet harbour." for n in range(300)) + "\n")
    app = TuiReaderApp([tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await library_loaded(pilot)
        assert _cells(screen, 5)[str(doc)] == "–"
        app.post_message(OpenDocument(doc, 150, highlight=(150, 150), words=("harbour",)))
        reader = await reader_ready(pilot)
        await pilot.press("q")
        await until(pilot, lambda: app.screen is screen, "the library")
        assert reader.document.path == doc
        assert _cells(screen, 5)[str(doc)].endswith("%")


# ---------------------------------------------------------------- 13: bookmarks dialog


async def test_bookmarks_dialog_undo_lasts_the_session_and_notes_edit_at_the_end(
    tmp_path: Path,
) -> None:
    """u undoes after the list was closed and reopened; e appends to the note; #tags are tags."""
    from tuireader.ui.screens.bookmarks import BookmarksScreen

    doc = tmp_path / "plan.txt"
    doc.write_text("\n\n".join(f"Paragraph {n} of the plan." for n in range(20)) + "\n")
    store = BookmarkStore()
    first = store.add(doc, 1, note="Call Anna")
    second = store.add(doc, 3)
    app = TuiReaderApp([tmp_path])
    flow = app.bookmark_flow
    async with app.run_test(size=(80, 24)) as pilot:
        await library_loaded(pilot)
        flow.open_list(doc)
        await until(pilot, lambda: isinstance(app.focused, OptionList), "the list")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, NoteScreen), "the note dialog")
        await pilot.press(*" about the #harbour", "enter")
        await until(pilot, lambda: isinstance(app.focused, OptionList), "the list again")
        await until(pilot, lambda: flow.store.get(first.id).tags == ("harbour",), "the tag")
        assert flow.store.get(first.id).note == "Call Anna about the #harbour"
        await pilot.press("down", "d")
        await until(pilot, lambda: flow.store.get(second.id) is None, "the delete")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, BookmarksScreen), "closed")
        flow.open_list(doc)
        await until(pilot, lambda: isinstance(app.focused, OptionList), "reopened")
        await pilot.press("u")
        await until(pilot, lambda: flow.store.get(second.id) is not None, "the delete undone")
        await pilot.press("u")
        await until(pilot, lambda: flow.store.get(first.id).note == "Call Anna", "edit undone")
        assert flow.store.get(first.id).tags == ()
    assert [b.id for b in BookmarkStore().list()] == [first.id, second.id]


def test_hashtags_in_notes_become_tags(tmp_path: Path) -> None:
    """A note's #tags become tags when marking (CLI too) and follow later edits."""
    from tuireader.core.bookmarks.tags import hashtags

    assert hashtags("fix #urgent, see #12 and C# or #2nd-pass #urgent") == ["urgent", "2nd-pass"]
    doc = tmp_path / "doc.txt"
    doc.write_text("One.\nTwo.\n")
    store = BookmarkStore()
    mark = store.add(doc, 1, note="read #later", tags=["cli"])
    assert mark.tags == ("cli", "later")
    edited = store.edit(mark.id, note="read #soon")
    assert edited.tags == ("cli", "soon")


# ---------------------------------------------------------------- 15: help and palette


async def test_help_at_80x24_wraps_and_starts_with_the_current_screen() -> None:
    """Help in the reader at 80x24: Reader rows first, descriptions wrap, no sideways scroll."""
    from tuireader.ui.dialogs.help import HelpScreen

    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        table = app.screen.query_one("#help-table", DataTable)
        await until(pilot, lambda: table.row_count > 0 and table.size.width > 0, "the rows")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][0] == "Reader"
        reader_q = [row[2] for row in rows if row[1].split(", ")[0] == "q" and row[0] == "Reader"]
        assert reader_q == ["Quit (opened on a single file)"]
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.max_scroll_x == 0
        assert any(row.height > 1 for row in table.rows.values())  # a description wrapped
        drawn = "".join(table.render_line(y).text for y in range(table.size.height))
        assert "Bookmark this place" in drawn


async def test_palette_offers_every_action_of_the_reader() -> None:
    """ctrl+p in the reader lists go to line, contents, search, bookmarks...; one runs."""
    from textual.command import CommandList, CommandPalette

    from tuireader.ui.dialogs.goto import GotoScreen

    app = TuiReaderApp(start_file=SEED)

    def prompts() -> list[str]:
        found = app.screen.query(CommandList) if isinstance(app.screen, CommandPalette) else []
        if not found:
            return []
        return [
            str(found[0].get_option_at_index(i).prompt).split("\n")[0]
            for i in range(found[0].option_count)
        ]

    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: len(prompts()) > 8, "the palette")
        offered = set(prompts())
        for title in ("Go to line", "Go to %", "Contents", "Search", "Bookmarks", "Mark"):
            assert title in offered, title
        assert "Back" not in offered  # q quits here: Back is not an action of this screen
        await pilot.press(*"go to line")
        await until(pilot, lambda: prompts()[:1] == ["Go to line"], "go to line first")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, GotoScreen), "the go-to dialog")
