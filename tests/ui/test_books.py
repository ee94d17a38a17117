"""Pilot tests of books and saved pages in the real app: open, contents, search, bookmarks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pilot_waits import filter_applied, library_loaded, until
from textual.pilot import Pilot
from tui_helpers import reader_ready

from tuireader.core.bookmarks.store import BookmarkStore
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.dialogs.note import NoteScreen
from tuireader.ui.dialogs.toc import TocScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.screens.search import SearchScreen

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from epub_builder import ChapterSpec, chapter, make_book

FILLER = [f"Filler paragraph {n} about the sea and the long evenings." for n in range(40)]
SPECS = [
    chapter("ch1.xhtml", "Arrival", "The ferry reached the island at dusk.", *FILLER),
    chapter("ch2.xhtml", "The Village", "Nets dried along the harbour wall.", *FILLER),
    chapter("ch3.xhtml", "The Lantern", "The keeper trimmed the quixotic lantern wick.", *FILLER),
]

PAGE = """<!DOCTYPE html><html><head><title>Tide Tables | Coast News</title>
<meta property="og:title" content="Tide Tables Explained">
<script>var hidden = "SCRIPT-TEXT";</script><style>body { content: "STYLE-TEXT"; }</style>
</head><body><nav><a href="/">Home menu</a></nav>
<article><h1>Tide Tables Explained</h1>
<p>High water comes twice a day, roughly fifty minutes later each day, because the moon
moves along its orbit while the earth turns beneath it.</p>
<p>Spring tides follow the new and the full moon; neap tides fall between them.</p>
</article><footer>Footer links</footer></body></html>"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A three-chapter EPUB 3 with a nav table of contents."""
    return make_book(tmp_path / "island.epub", SPECS, title="The Island")


def pane_text(reader: ReaderScreen) -> str:
    """The text drawn in the reading pane."""
    view = reader.view
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


def status_text(reader: ReaderScreen) -> str:
    """The reader's status line."""
    return str(reader.query_one("#reader-status").render())


async def opened(pilot: Pilot[int]) -> ReaderScreen:
    """The reader once the book is converted, indexed and drawn."""
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, ReaderScreen) and pilot.app.screen.index.done,
        "the book to be converted",
    )
    return await reader_ready(pilot)


async def test_book_opens_at_its_first_chapter(book: Path) -> None:
    """The first chapter's heading and text show; the status names the book and chapter."""
    app = TuiReaderApp(start_file=book)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await opened(pilot)
        assert reader.top_line == 1
        text = pane_text(reader)
        assert "Arrival" in text and "# Arrival" not in text
        assert "The ferry reached the island at dusk." in text
        assert "The Island › Arrival" in status_text(reader)


async def test_t_lists_chapters_and_jumps(book: Path) -> None:
    """t shows the book's contents; choosing the third chapter shows it at the top."""
    app = TuiReaderApp(start_file=book)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await opened(pilot)
        assert [title for _, _, title in reader.headings()] == [
            "Arrival",
            "The Village",
            "The Lantern",
        ]
        await pilot.press("t")
        assert isinstance(app.screen, TocScreen)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.screen is reader
        third = reader.headings()[2][0]
        assert reader.top_line == third
        assert "The keeper trimmed the quixotic lantern wick." in pane_text(reader)
        assert "The Island › The Lantern" in status_text(reader)


async def test_search_hit_in_chapter_three_opens_there(book: Path) -> None:
    """ctrl+f finds a passage of chapter 3, names the chapter, and Enter opens it there."""
    app = TuiReaderApp([book.parent])
    async with app.run_test(size=(100, 30)) as pilot:
        await library_loaded(pilot)
        await until(pilot, lambda: app.search_flow.index is not None, "the search index")
        await pilot.press("ctrl+f")
        overlay = app.screen
        assert isinstance(overlay, SearchScreen)
        await pilot.press(*"quixotic lantern")
        await until(pilot, lambda: bool(overlay.hits), "search hits")
        hit = overlay.hits[0]
        assert hit.chapter == "The Lantern"
        await pilot.press("enter")
        reader = await opened(pilot)
        assert reader.document.path == book
        assert reader.highlight == (hit.line, hit.last_line)
        assert "The keeper trimmed the quixotic lantern wick." in pane_text(reader)


async def test_bookmark_and_position_in_a_book_survive_restart(book: Path) -> None:
    """A mark made in chapter 2 and the reading place come back after a restart."""
    app = TuiReaderApp(start_file=book)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await opened(pilot)
        second = reader.headings()[1][0]
        await pilot.press(*str(second + 2), "g")
        assert reader.top_line == second + 2
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, NoteScreen), "the note dialog")
        await pilot.press(*"nets", "enter")
        await until(pilot, lambda: bool(BookmarkStore().list()), "the bookmark to be saved")
        await pilot.press("q")
    (mark,) = BookmarkStore().list()
    assert (Path(mark.path), mark.line, mark.note) == (book, second + 2, "nets")
    again = TuiReaderApp(start_file=book)
    async with again.run_test(size=(100, 30)) as pilot:
        reader = await opened(pilot)
        await until(pilot, lambda: bool(reader._marks), "the gutter marks")
        assert reader.top_line == second + 2
        assert reader._marks == {second + 2}
        assert "Nets dried along the harbour wall." in pane_text(reader)


async def test_html_article_shows_title_and_main_text_only(tmp_path: Path) -> None:
    """A saved page shows its title and article text, never its script, style or menus."""
    page = tmp_path / "tides.html"
    page.write_text(PAGE, encoding="utf-8")
    app = TuiReaderApp(start_file=page)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await opened(pilot)
        text = pane_text(reader)
        assert "Tide Tables Explained" in text
        assert "Spring tides follow the new and the full moon" in " ".join(text.split())
        for junk in ("SCRIPT-TEXT", "STYLE-TEXT", "Home menu", "Footer links"):
            assert junk not in text
        assert "Tide Tables Explained" in status_text(reader)


async def test_hostile_book_gives_one_line_error(tmp_path: Path) -> None:
    """A file named .epub that is not a zip: the app exits with one clear line."""
    bad = tmp_path / "bad.epub"
    bad.write_text("not a book at all")
    app = TuiReaderApp(start_file=bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        messages = [str(message) for message in app._exit_renderables]
    assert app.return_value == 2
    assert any("bad.epub: not an EPUB (not a zip archive" in text for text in messages)
    assert all("\n" not in text and "Traceback" not in text for text in messages)


async def test_library_lists_books_with_author(book: Path) -> None:
    """The library row of a book shows its title and author; typing the author filters."""
    app = TuiReaderApp([book.parent])
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await library_loaded(pilot)
        (document,) = screen.documents
        assert (document.title, document.author) == ("The Island", "Ada Lovelace")
        assert "Ada Lovelace" in [str(cell) for cell in screen.table.get_row_at(0)]
        await pilot.press(*"lovelace")
        await filter_applied(pilot, screen)
        assert screen.matches == [0]
        await pilot.press("escape", *"qqzzj")
        await filter_applied(pilot, screen)
        assert screen.matches == []


def test_long_books_show_hours_in_the_length_column() -> None:
    """A book's reading time fits the 7-cell Length column: hours past 100 minutes."""
    from tuireader.core.models import Document
    from tuireader.ui.screens.library import _length

    def doc(words: int, estimated: bool) -> Document:
        return Document(Path("b.epub"), "B", None, None, words, 1, 0.0, estimated)

    assert _length(doc(230 * 45, False)) == "45 min"
    assert _length(doc(230 * 559, True)) == "~9.3 h"
    assert _length(doc(230 * 60 * 250, True)) == "~250 h"
    assert all(len(_length(doc(words, True))) <= 7 for words in (1, 10**5, 10**7, 10**8))


async def test_copy_in_a_book_cites_author_and_chapter(book: Path) -> None:
    """y in a book copies the paragraph with a citation naming the author and the chapter."""
    app = TuiReaderApp(start_file=book)
    copied: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        reader = await opened(pilot)
        third = reader.headings()[2][0]
        lines = [reader.index.read_line(n) for n in range(third, third + 6)]
        wick = third + 1 + next(n for n, text in enumerate(lines) if "lantern wick" in text)
        reader.go_to_line(wick)
        await pilot.pause()
        await pilot.press("y")
        (text,) = copied
        quote, cite = text.rstrip("\n").split("\n")
        assert quote == "The keeper trimmed the quixotic lantern wick."
        assert cite.startswith("— The Island, Ada Lovelace")
        assert ", The Lantern, " in cite
        assert cite.endswith(f":{wick}")


async def test_footnote_link_jumps_inside_the_book_and_back(tmp_path: Path) -> None:
    """Tab focuses a footnote mark, Enter shows the note (another chapter), Backspace returns."""
    notes = "".join(f"<p id='n{n}'>Note {n}: a source for claim {n}.</p>" for n in range(1, 30))
    specs = [
        ChapterSpec(
            "ch1.xhtml",
            "Claims",
            "<h1>Claims</h1><p>The tide turns twice a day.<a href='notes.xhtml#n7'>7</a></p>"
            + "".join(f"<p>{text}</p>" for text in FILLER),
        ),
        ChapterSpec("notes.xhtml", "Notes", f"<h1>Notes</h1>{notes}"),
    ]
    book = make_book(tmp_path / "noted.epub", specs, title="Noted")
    app = TuiReaderApp(start_file=book)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await opened(pilot)
        start = reader.top_line
        await pilot.press("tab")
        assert reader.pane.link_focus is not None
        await pilot.press("enter")
        await until(pilot, lambda: reader.top_line != start, "the jump to the note")
        assert app.screen is reader
        top = reader.pane.render_line(0).text
        assert "Note 7: a source for claim 7." in top
        assert "The Island" not in status_text(reader) and "Noted › Notes" in status_text(reader)
        await pilot.press("backspace")
        await until(pilot, lambda: reader.top_line == start, "the way back")
        assert "The tide turns twice a day." in pane_text(reader)


async def test_a_book_link_to_no_place_says_so_and_stays(tmp_path: Path) -> None:
    """A link to an id the book lacks: a one-line notice, the view does not move."""
    specs = [
        ChapterSpec(
            "ch1.xhtml", "Only", "<h1>Only</h1><p>See <a href='gone.xhtml#x'>nowhere</a>.</p>"
        )
    ]
    book = make_book(tmp_path / "lost.epub", specs, title="Lost")
    app = TuiReaderApp(start_file=book)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await opened(pilot)
        await pilot.press("tab", "enter")
        await until(pilot, lambda: app._notifications, "the notice")
        (notice,) = [str(n.message) for n in app._notifications]
        assert "leads to no place in the book" in notice and "gone.xhtml#x" in notice
        assert reader.top_line == 1
