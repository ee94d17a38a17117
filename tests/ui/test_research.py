"""Pilot tests of reading like a researcher: select, highlight, copy with a citation,
links and the jump list, your own keys, and editing in $EDITOR."""

from __future__ import annotations

import contextlib
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pilot_waits import until
from textual.app import App
from textual.widgets import OptionList
from tui_helpers import SEED, reader_ready

from tuireader.core.bookmarks.store import BookmarkStore
from tuireader.core.config import Config
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.dialogs.help import HelpScreen
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.screens.bookmarks import BookmarksScreen
from tuireader.ui.screens.reader import ReaderScreen


def _messages(app: App[Any]) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


@pytest.fixture
def lines_doc(tmp_path: Path) -> Path:
    """Sixty short distinct lines, one row each."""
    path = tmp_path / "lines.txt"
    path.write_text("\n".join(f"Line {n} of the list." for n in range(1, 61)) + "\n")
    return path


async def test_v_j_j_m_makes_a_three_line_highlight(lines_doc: Path) -> None:
    """v starts a selection drawn in the selection style; j j extends it; m + note highlights
    the three lines, which the reader draws and the bookmarks screen lists with the quote."""
    app = TuiReaderApp(start_file=lines_doc)
    async with app.run_test(size=(90, 30)) as pilot:
        reader = await reader_ready(pilot)
        pane = reader.pane
        await pilot.press("v")
        assert pane.selection == (1, 1) and pane.row_decoration(0) == "cursor"
        await pilot.press("j", "j")
        assert pane.selection == (1, 3) and pane.cursor_line == 3
        assert [pane.row_decoration(n) for n in range(4)] == [
            "selection",
            "selection",
            "cursor",
            None,
        ]
        selected = pane.get_component_rich_style("reader--selection")
        assert selected.bgcolor is not None
        row = pane.render_line(1)
        assert any(seg.style and seg.style.bgcolor == selected.bgcolor for seg in row)
        await pilot.press("m")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"key list", "enter")
        await until(pilot, lambda: BookmarkStore().list() != [], "the highlight to be saved")
        (mark,) = BookmarkStore().list()
        assert (mark.line, mark.end_line, mark.note) == (1, 3, "key list")
        assert mark.quote == "Line 1 of the list.\nLine 2 of the list.\nLine 3 of the list."
        assert pane.selection is None
        await until(pilot, lambda: pane.row_decoration(2) == "user-highlight", "highlight drawn")
        assert pane.row_decoration(3) is None
        await pilot.press("B")
        await until(pilot, lambda: isinstance(app.screen, BookmarksScreen), "the bookmarks list")
        listing = app.screen.query_one(OptionList)
        prompt = str(listing.get_option_at_index(0).prompt)
        assert "lines 1-3" in prompt and "❝" in prompt and "Line 1 of the list." in prompt


async def test_escape_cancels_and_movement_extends_selection(lines_doc: Path) -> None:
    """Counts, pages and G move the selection's cursor (the pane follows); Esc cancels."""
    app = TuiReaderApp(start_file=lines_doc)
    async with app.run_test(size=(90, 20)) as pilot:
        reader = await reader_ready(pilot)
        pane = reader.pane
        await pilot.press("v", "5", "j")
        assert pane.selection == (1, 6)
        await pilot.press("space")
        cursor = pane.cursor_line
        assert cursor is not None and cursor > 6
        assert cursor - 1 in pane.visible_lines()
        await pilot.press("G")
        assert pane.selection == (1, 60) and 59 in pane.visible_lines()
        await pilot.press("escape")
        assert pane.selection is None and not pane.selecting
        assert app.screen is reader  # Esc cancelled the selection, nothing else


async def test_y_copies_selection_with_citation_and_Y_the_citation() -> None:
    """y calls copy_to_clipboard with the selected lines and a citation line; Y the citation;
    a notification says what was copied; without a selection y copies the paragraph."""
    app = TuiReaderApp(start_file=SEED)
    copied: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        reader = await reader_ready(pilot)
        await pilot.press("v", "j", "j", "y")
        (text,) = copied
        *quoted, cite = text.rstrip("\n").split("\n")
        assert quoted == ["Research", "", "General Sorkin's Admiration"]
        assert cite.startswith("— General Sorkin's Admiration")
        assert cite.endswith("general-sorkins-admiration.txt:1-3")
        assert "(2025-04-08)" in cite
        assert any("Copied lines 1-3 with a citation" in m for m in _messages(app))
        assert reader.pane.selection is None
        await pilot.press("Y")
        place = cite.rsplit(", ", 1)[1].rsplit(":", 1)[0]
        assert copied[-1] == f"— General Sorkin's Admiration (2025-04-08), {place}:1\n"
        reader.go_to_line(9)
        await pilot.pause()
        await pilot.press("y")
        paragraph = copied[-1].split("\n")
        assert paragraph[0].startswith('"Great, indeed, was the resolution')
        assert paragraph[1].endswith(":9")


@pytest.fixture
def linked_docs(tmp_path: Path) -> tuple[Path, Path]:
    """Two Markdown files: a.md links to b.md's section; b.md links back."""
    a = tmp_path / "a.md"
    b = tmp_path / "b.md"
    filler = "\n\n".join(f"Filler paragraph {n}." for n in range(1, 40))
    a.write_text(f"# Document A\n\n{filler}\n\nSee [the second part](b.md#part-two) now.\n\nEnd.\n")
    b.write_text(f"# Document B\n\n{filler}\n\n## Part Two\n\n[Back](a.md).\n\n{filler}\n")
    return a, b


async def test_follow_a_link_to_another_markdown_file_and_back(
    linked_docs: tuple[Path, Path],
) -> None:
    """Tab focuses the link on screen, Enter opens b.md at its anchor, Backspace comes back;
    L goes forward again; G and Backspace return to where G left."""
    a, b = linked_docs
    app = TuiReaderApp(start_file=a)
    async with app.run_test(size=(90, 24)) as pilot:
        reader = await reader_ready(pilot)
        link_line = a.read_text().splitlines().index("See [the second part](b.md#part-two) now.")
        reader.go_to_line(link_line - 3)
        await pilot.pause()
        start = reader.top_line
        await pilot.press("tab")
        assert reader.pane.link_focus == (link_line, 0)
        drawn = reader.pane.render_line(link_line - reader.pane.top)
        focus = reader.pane.get_component_rich_style("reader--link-focus")
        assert any(seg.style and seg.style.bgcolor == focus.bgcolor for seg in drawn)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, ReaderScreen) and app.screen.document.path == b,
            "b.md to open",
        )
        other = await reader_ready(pilot)
        part_two = b.read_text().splitlines().index("## Part Two") + 1
        assert other.top_line == part_two
        await pilot.press("backspace")
        await until(
            pilot,
            lambda: isinstance(app.screen, ReaderScreen) and app.screen.document.path == a,
            "a.md again",
        )
        back = await reader_ready(pilot)
        assert back.top_line == start
        await pilot.press("L")
        await until(pilot, lambda: app.screen.document.path == b, "forward to b.md")  # type: ignore[attr-defined]
        again = await reader_ready(pilot)
        assert again.top_line == part_two
        await pilot.press("g")
        assert again.top_line == 1
        await pilot.press("H")
        assert again.top_line == part_two


async def test_enter_without_a_link_scrolls_and_external_links_ask(tmp_path: Path) -> None:
    """Enter without a focused link moves down; an external link is shown, not opened."""
    doc = tmp_path / "ext.md"
    doc.write_text("# T\n\nVisit <https://example.org/page> today.\n\n" + "More.\n\n" * 40)
    app = TuiReaderApp(start_file=doc)
    opened: list[str] = []
    async with app.run_test(size=(80, 20)) as pilot:
        app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
        reader = await reader_ready(pilot)
        await pilot.press("enter")
        assert reader.pane.top + reader.pane.sub > 0
        await pilot.press("g", "tab", "enter")
        assert opened == []
        assert any("https://example.org/page" in m for m in _messages(app))
        await pilot.press("enter")
        assert opened == ["https://example.org/page"]


async def test_keys_in_config_rebind_page_down(lines_doc: Path) -> None:
    """keys: reader.page_down: "z" pages down with z (not space); help shows z; an unknown
    action is one warning, not a crash."""
    config = Config(keys={"reader.page_down": "z", "reader.no_such_thing": "x"})
    app = TuiReaderApp(start_file=lines_doc, config=config)
    async with app.run_test(size=(90, 20)) as pilot:
        reader = await reader_ready(pilot)
        await pilot.press("space")
        assert reader.top_line == 1
        await pilot.press("z")
        assert reader.top_line > 10
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1 and "reader.no_such_thing" in warnings[0]
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        table = app.screen.query_one("#help-table")
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]  # type: ignore[attr-defined]
        assert ["Reader", "z", "Page down"] in rows


@contextlib.contextmanager
def _no_terminal() -> Iterator[None]:
    """Stands in for App.suspend in a headless test (there is no terminal to hand over)."""
    yield


async def test_e_opens_editor_then_reloads_and_reanchors(
    lines_doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """e runs $EDITOR +LINE FILE; the script adds a line at the top; the reader reloads and
    the bookmark below follows its text."""
    script = tmp_path / "editor.sh"
    log = tmp_path / "editor.log"
    script.write_text(
        f'#!/bin/sh\necho "$@" > "{log}"\nprintf "A new first line.\\n" | cat - "$2" > "$2.new"\n'
        'mv "$2.new" "$2"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    store = BookmarkStore()
    store.add(lines_doc, 20)
    app = TuiReaderApp(start_file=lines_doc)
    async with app.run_test(size=(90, 20)) as pilot:
        app.suspend = _no_terminal  # type: ignore[method-assign]
        reader = await reader_ready(pilot)
        reader.go_to_line(10)
        await pilot.pause()
        await pilot.press("e")
        assert log.read_text().split() == ["+10", str(lines_doc)]
        await until(
            pilot,
            lambda: isinstance(app.screen, ReaderScreen) and app.screen is not reader,
            "the reader to reload",
        )
        fresh = await reader_ready(pilot)
        assert fresh.view.line_count == 61
        assert fresh.top_line == 10
        assert fresh.index.read_line(0) == "A new first line."
        await until(pilot, lambda: BookmarkStore().list()[0].line == 21, "re-anchoring")
        assert any("Reloaded after editing" in m for m in _messages(app))


async def test_e_says_so_where_the_terminal_cannot_be_handed_over(lines_doc: Path) -> None:
    """In a headless or served app (no suspend), e explains instead of failing."""
    app = TuiReaderApp(start_file=lines_doc)
    async with app.run_test(size=(90, 20)) as pilot:
        reader = await reader_ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is reader
        assert any("Cannot hand the terminal to an editor" in m for m in _messages(app))


async def test_e_in_a_browser_tab_says_so(
    lines_doc: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Served in a browser (``App.is_web``), e explains and runs no editor."""
    ran = tmp_path / "ran"
    monkeypatch.setenv("EDITOR", f"touch {ran}")
    monkeypatch.setattr(TuiReaderApp, "is_web", property(lambda self: True))
    app = TuiReaderApp(start_file=lines_doc)
    async with app.run_test(size=(90, 20)) as pilot:
        reader = await reader_ready(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is reader and not ran.exists()
        assert any("not possible in the browser" in m for m in _messages(app))


async def test_highlights_of_a_moved_book_are_found_by_fingerprint(
    lines_doc: Path, tmp_path: Path
) -> None:
    """The same text at another path (its old path gone) shows the highlights made on it."""
    from tuireader.core.bookmarks.marking import add_highlight

    add_highlight(BookmarkStore(), lines_doc, 4, 6, note="on the laptop")
    moved = tmp_path / "elsewhere" / "renamed.txt"
    moved.parent.mkdir()
    lines_doc.rename(moved)
    app = TuiReaderApp(start_file=moved)
    async with app.run_test(size=(90, 20)) as pilot:
        reader = await reader_ready(pilot)
        pane = reader.pane
        await until(pilot, lambda: pane.row_decoration(4) == "user-highlight", "moved highlight")
        assert pane.row_decoration(2) is None and pane.row_decoration(6) is None


async def test_search_hits_extend_a_selection_and_contents_jumps_are_recorded(
    tmp_path: Path,
) -> None:
    """A search hit shown while selecting moves the cursor there; a jump from the contents
    (t) is undone by Backspace."""
    doc = tmp_path / "sections.md"
    parts = [
        f"## Section {n}\n\n" + "\n\n".join(f"Text {n}.{k}." for k in range(8)) for n in range(6)
    ]
    doc.write_text("# Sections\n\n" + "\n\n".join(parts) + "\n")
    app = TuiReaderApp(start_file=doc)
    async with app.run_test(size=(90, 20)) as pilot:
        reader = await reader_ready(pilot)
        await pilot.press("v")
        reader.show_passage(30, 30, ["Text"])
        await pilot.pause()
        assert reader.pane.selection == (1, 30)
        await pilot.press("escape")
        assert reader.pane.selection is None
        await pilot.press("g", "t")
        await until(pilot, lambda: app.screen is not reader, "the contents")
        await pilot.press("end", "enter")
        await until(pilot, lambda: app.screen is reader, "back in the reader")
        assert reader.top_line > 40
        await pilot.press("backspace")
        assert reader.top_line == 1
