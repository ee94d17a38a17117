"""Pilot tests of the reader: keys, positions, markup safety, help, resize."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import SEED, reader_ready

from tuireader.ui.app import TuiReaderApp
from tuireader.ui.dialogs.goto import GotoScreen
from tuireader.ui.dialogs.help import HelpScreen
from tuireader.ui.dialogs.toc import TocScreen
from tuireader.ui.screens.reader import ReaderScreen


def screen_text(reader: ReaderScreen) -> str:
    """The text drawn in the reading pane."""
    view = reader.view
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


async def test_scroll_end_and_back_and_go_to_line() -> None:
    """Scroll, page, top/end, go-to-line and percent keys move the view; status is right."""
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        assert reader.top_line == 1
        assert "General Sorkin's Admiration" in screen_text(reader)
        await pilot.press("j", "j")
        assert reader.view.top + reader.view.sub > 0
        await pilot.press("space")
        after_page = reader.top_line
        assert after_page > 3
        await pilot.press("b")
        assert reader.top_line < after_page
        await pilot.press("G")
        assert reader.view.at_end()
        assert reader.view.bottom_line() == 51
        assert "like stars shining forever in the sky." in screen_text(reader)
        await pilot.press("g")
        assert reader.top_line == 1
        await pilot.press("1", "5", "g")
        assert reader.top_line == 15
        await pilot.press("g", "3", "G")
        assert reader.top_line == 3 and not reader.view.at_end()
        assert "line 3/51" in str(reader.query_one("#reader-status").render())
        await pilot.press("colon")
        assert isinstance(app.screen, GotoScreen)
        await pilot.press("9", "enter")
        assert reader.top_line == 9
        await pilot.press("5", "0", "percent_sign")
        assert reader.top_line == 26
        await pilot.press("ctrl+d")
        assert reader.top_line > 26
        status = str(app.screen.query_one("#reader-status").render())
        assert "General Sorkin's Admiration" in status and "/51" in status


async def test_go_to_line_api_and_gutter_marks() -> None:
    """go_to_line puts the line at the top, and set_gutter_marks draws and clears the mark."""
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        reader.go_to_line(11)
        await pilot.pause()
        assert reader.top_line == 11
        reader.set_gutter_marks({11})
        await pilot.pause()
        assert reader.view.render_line(0).text.lstrip().startswith("▍")
        reader.set_gutter_marks(set())
        await pilot.pause()
        assert "▍" not in reader.view.render_line(0).text


async def test_position_is_remembered_after_restart() -> None:
    """The reading position is restored when the same file is opened again."""
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        await pilot.press("2", "0", "g")
        assert reader.top_line == 20
        await pilot.press("q")
    again = TuiReaderApp(start_file=SEED)
    async with again.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        assert reader.top_line == 20


async def test_open_document_with_highlight_and_notice(tmp_path: Path) -> None:
    """open_document switches to another file at the given line."""
    other = tmp_path / "other.txt"
    other.write_text("".join(f"line {n}\n" for n in range(1, 301)))
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(pilot)
        app.open_document(other, 120, highlight=(120, 121), notice="found it")
        reader = await reader_ready(pilot)
        assert reader.document.path == other
        assert reader.top_line == 120
        first, third = reader.view.render_line(0), reader.view.render_line(2)
        assert first.text.strip() == "line 120"
        highlight = reader.view.get_component_rich_style("reader--highlight")
        # Lines 120 and 121 carry the highlight's background; line 122 does not.
        assert any(seg.style and seg.style.bgcolor == highlight.bgcolor for seg in first)
        assert not any(seg.style and seg.style.bgcolor == highlight.bgcolor for seg in third)
        assert "found it" in [notification.message for notification in app._notifications]


async def test_markup_injection_renders_literally(tmp_path: Path) -> None:
    """Markup-like text shows literally, escape sequences are stripped, clicks are safe."""
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "[bold]x[/bold]\n[@click=app.quit]quit[/]\n\x1b]52;c;ZXZpbA==\x07copied? \x1b]0;title\x07\n"
    )
    app = TuiReaderApp(start_file=hostile)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        text = screen_text(reader)
        assert "[bold]x[/bold]" in text
        assert "[@click=app.quit]quit[/]" in text
        assert "\x1b" not in text and "ZXZpbA" not in text
        await pilot.click(reader.view, offset=(reader.view.left_pad + 4, 1))
        await pilot.pause()
        assert app.is_running


async def test_markdown_is_rendered_and_toc_jumps(tmp_path: Path) -> None:
    """Markdown renders without its syntax (not in code fences) and the TOC jumps."""
    doc = tmp_path / "doc.md"
    body = "".join(f"para {n} with *emphasis*\n\n" for n in range(30))
    doc.write_text(f"# First\n\n{body}## Second part\n\n```\n# not a heading\n```\n\n{body}")
    app = TuiReaderApp(start_file=doc)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        text = screen_text(reader)
        assert "First" in text and "# First" not in text
        assert "with emphasis" in text
        assert [level for _, level, _ in reader.headings()] == [1, 2]
        await pilot.press("t")
        assert isinstance(app.screen, TocScreen)
        await pilot.press("down", "enter")
        assert reader.top_line == 63


async def test_help_lists_every_reader_key() -> None:
    """The help table lists every reader key and escape returns to the reader."""
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table")
        cells = "\n".join(
            " ".join(str(cell) for cell in table.get_row_at(row))  # type: ignore[attr-defined]
            for row in range(table.row_count)  # type: ignore[attr-defined]
        )
        for description in (
            "Page down",
            "Top",
            "End",
            "Contents",
            "Full width",
            "Go to line",
            "Go to %",
            "Help",
        ):
            assert description in cells
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_full_width_toggle_and_tiny_terminal() -> None:
    """'w' widens the 80-column measure, and keys work in a tiny terminal."""
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(160, 30)) as pilot:
        reader = await reader_ready(pilot)
        assert reader.view.text_width == 80
        await pilot.press("w")
        assert reader.view.text_width > 100
        await pilot.resize_terminal(20, 6)
        await pilot.pause()
        await pilot.press("space", "G", "g")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert reader.top_line == 1
        assert "General" in screen_text(reader)


async def test_q_quits_when_started_on_a_file() -> None:
    """'q' quits the app when it was started on a single file."""
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_ssh_turns_animations_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Running over SSH turns animations off."""
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    app = TuiReaderApp(start_file=SEED)
    assert app.animation_level == "none"


async def test_markdown_paragraphs_reflow_and_keep_line_numbers(tmp_path: Path) -> None:
    """Hard-wrapped Markdown reflows with every word kept, and line movement still works."""
    doc = tmp_path / "wrapped.md"
    lines = [f"word{n:02d} " * 4 for n in range(12)]  # 12 short hard-wrapped lines
    filler = "".join(f"- filler {n}\n" for n in range(60))
    doc.write_text(
        "# Title\n\n" + "\n".join(line.strip() for line in lines) + "\n\nafter\n\n" + filler
    )
    app = TuiReaderApp(start_file=doc)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        text = screen_text(reader)
        rows = [row.strip() for row in text.splitlines() if "word" in row]
        # 12 lines of 4 words reflowed into the 80-column measure: fewer rows, all words kept.
        assert len(rows) < 12
        assert " ".join(rows).split() == " ".join(lines).split()
        assert "after" in text
        reader.go_to_line(12)  # inside the paragraph: its row is shown at the top
        await pilot.pause()
        assert reader.top_line <= 12
        assert "word09" in reader.view.render_line(0).text
        await pilot.press("g", "j", "j", "j", "k", "k", "k")
        assert reader.top_line == 1 and reader.view.sub == 0


async def test_no_color_still_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR set the app runs in no-colour mode and shows the text."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        assert app.no_color
        assert "General Sorkin" in screen_text(reader)


async def test_a_theme_can_set_reader_variables(tmp_path: Path) -> None:
    """A theme's reader-heading variable colours Markdown headings."""
    from textual.theme import Theme

    doc = tmp_path / "h.md"
    doc.write_text("# Heading\n\ntext\n")
    app = TuiReaderApp(start_file=doc)
    async with app.run_test(size=(80, 24)) as pilot:
        app.register_theme(
            Theme(name="test-red", primary="#0000ff", variables={"reader-heading": "#ff0000"})
        )
        app.theme = "test-red"
        reader = await reader_ready(pilot)
        await pilot.pause()
        heading = reader.view.render_line(0)
        colours = {str(segment.style.color) for segment in heading if "Heading" in segment.text}
        assert any("255, 0, 0" in colour or "ff0000" in colour for colour in colours), colours


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", ""),
        ("utf16.txt", "première ligne\r\nzweite Zeile\r\n".encode("utf-16"), "première ligne"),
        ("one-long-line.txt", b"abc " * 100_000, "abc abc"),
    ],
)
async def test_odd_files_open(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    """Empty, UTF-16 and one-huge-line files open, show their text, and survive movement keys."""
    path = tmp_path / name
    path.write_bytes(data)
    app = TuiReaderApp(start_file=path)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        assert expected in screen_text(reader)
        await pilot.press("G", "g", "space", "b")
        assert reader.top_line == 1


async def test_wide_characters_wrap_by_cell_width(tmp_path: Path) -> None:
    """CJK text and emoji wrap by terminal cells: no row overflows and no character is lost."""
    from rich.cells import cell_len

    line = "東京の夜は静かで、古い図書館の灯りが遠くに見えた。" * 12 + "🌙📚"
    path = tmp_path / "wide.txt"
    path.write_text(line + "\n", encoding="utf-8")
    app = TuiReaderApp(start_file=path)
    async with app.run_test(size=(60, 24)) as pilot:
        reader = await reader_ready(pilot)
        rows = [reader.view.render_line(y).text for y in range(reader.view.size.height)]
        drawn = [row.strip() for row in rows if row.strip()]
        assert len(drawn) > 5
        assert all(cell_len(row) <= reader.view.size.width for row in rows)
        assert "".join(drawn) == line


async def test_an_empty_file_says_so_in_the_status_line(tmp_path: Path) -> None:
    """A 0-byte file opens on a blank page whose status line says it is empty, not "line 1/0"."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    app = TuiReaderApp(start_file=empty)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        status = str(reader.query_one("#reader-status").render())
        assert "empty document" in status and "line 1/0" not in status, status
