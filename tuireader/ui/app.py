"""The tuireader Textual app: library screen, reader screen, help; ``run_app`` starts it."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandListItem
from textual.screen import ModalScreen, Screen

from tuireader.core.collector import resume_collector
from tuireader.core.config import Config, default_library_paths, save_setting
from tuireader.core.formats.registry import format_of, is_markdown
from tuireader.core.keymap import KeymapCheck
from tuireader.core.library import describe
from tuireader.core.paths import same_file
from tuireader.core.sanitize import display_text
from tuireader.core.state import ReadingState
from tuireader.core.textload import DocumentError
from tuireader.core.yamlio import YamlFileError
from tuireader.ui.app_base import StyledApp
from tuireader.ui.app_research import ResearchApp
from tuireader.ui.commands import enabled_bindings, screen_commands
from tuireader.ui.keys import check_user_keys, class_bindings, in_force, with_ids
from tuireader.ui.messages import (
    BookmarksChanged,
    LibraryScanned,
    MarkLine,
    MarkRange,
    OpenDocument,
    OpenSearch,
    ShowBookmarks,
    StepHit,
    WidthToggled,
)
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.themes import (
    cycle_theme,
    persist_theme_changes,
    start_themes,
)

if TYPE_CHECKING:
    from tuireader.core.bookmarks.schema import Bookmark
    from tuireader.ui.flows.bookmarks import BookmarkFlow
    from tuireader.ui.flows.search import SearchFlow

# What the first screen does not need (bookmarks, search, the Markdown parser, the
# help dialog) is imported on first use or after the first paint: start-up time
# matters (tests/unit/test_startup_imports.py keeps it so).


def _warm_up_markdown() -> None:
    """Build the Markdown parser (run in a thread while Textual starts)."""
    from tuireader.core.formats.markdown import warm_up

    warm_up()


class TuiReaderApp(ResearchApp, StyledApp):
    """A calm terminal reader.  Reserved keys for other features: / n N m B T ctrl+f ctrl+b."""

    CSS_PATH = "app.tcss"
    TITLE = "tuireader"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = with_ids("app", [
        Binding("question_mark", "help", "Help"),
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit"),
        Binding("ctrl+t", "cycle_theme", "Next theme", show=False),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            priority=True,
            tooltip="Command palette: pick a theme, keys, quit",
        ),
    ])  # fmt: skip
    HELP_SECTIONS: ClassVar[list[tuple[str, str]]] = [
        ("Library", "tuireader.ui.screens.library:LibraryScreen"),
        ("Reader", "tuireader.ui.screens.reader:ReaderScreen"),
        ("Bookmarks", "tuireader.ui.screens.bookmarks:BookmarksScreen"),
    ]
    """(name, screen class) pairs whose BINDINGS the help screen lists, after the app's.

    Classes are named ``module:Class`` and imported when help is first shown.
    """

    @classmethod
    def help_sections(cls) -> list[tuple[str, type[Screen[Any]]]]:
        """``HELP_SECTIONS`` with the screen classes imported (on first use, not at start-up)."""
        from importlib import import_module

        found: list[tuple[str, type[Screen[Any]]]] = []
        for name, where in cls.HELP_SECTIONS:
            module, _, class_name = where.partition(":")
            found.append((name, getattr(import_module(module), class_name)))
        return found

    def __init__(
        self,
        paths: Sequence[Path] = (),
        config: Config | None = None,
        *,
        start_file: Path | None = None,
        state: ReadingState | None = None,
        bookmarks: Path | None = None,
        theme: str | None = None,
    ) -> None:
        """Show the library of ``paths``, or read ``start_file`` directly (``q`` quits)."""
        super().__init__()
        self.config = config or Config()
        self.library_paths = list(paths)
        self.start_file = start_file
        self.state = state if state is not None else ReadingState()
        self._bookmarks_given = bookmarks
        self._painted = False
        """Whether the first screen has been drawn (what it does not need waits for that)."""
        self._marks_pending: Path | None = None
        self._library_pending: list[Path] | None = None
        self.theme_name = theme
        self.reader_themes = start_themes(self, theme, self.config.theme)
        self.user_keys = KeymapCheck()
        """``keys:`` from config.yaml as applied, and the problems found (shown once)."""
        if self.config.keys:
            self.user_keys = check_user_keys(self, self.config.keys, self.help_sections())
        if os.environ.get("SSH_CONNECTION"):
            self.animation_level = "none"
        if start_file is not None and is_markdown(start_file):
            # Build the Markdown parser while Textual starts, not when the first screen draws.
            # The one bare thread in the UI: workers only run once the app does.
            threading.Thread(
                target=_warm_up_markdown, name="markdown-warm-up", daemon=True
            ).start()

    @cached_property
    def bookmarks_path(self) -> Path:
        """The bookmarks file: ``--bookmarks``, else the config's, else the default."""
        from tuireader.core.bookmarks.store import resolve_bookmarks_file

        return resolve_bookmarks_file(self._bookmarks_given, self.config.bookmarks)

    @cached_property
    def bookmark_flow(self) -> BookmarkFlow:
        """Marking, the list and jumps (made, with its store, on first use)."""
        from tuireader.core.bookmarks.store import BookmarkStore
        from tuireader.ui.flows.bookmarks import BookmarkFlow

        store = BookmarkStore(self.bookmarks_path, load=False)
        return BookmarkFlow(self, store, on_marks=self._show_bookmark_marks)

    @cached_property
    def search_flow(self) -> SearchFlow:
        """Passage search: the shared index (built in the background), the overlay, n/N."""
        from tuireader.ui.flows.search import SearchFlow

        flow = SearchFlow(self)
        if self.start_file is None:
            flow.set_sources(self.library_paths)
        return flow

    def _load_bookmarks(self) -> None:
        """Read the bookmarks file off the UI thread; report an unusable file once."""
        self.bookmark_flow.store.reload()
        if warning := self.bookmark_flow.startup_warning:
            self.call_from_thread(
                self.notify,
                display_text(warning),
                title="Bookmarks",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def on_mount(self) -> None:
        """Open the first screen and report problems with the state and config files."""
        for message in self.state.warnings:
            self.notify(display_text(message), severity="warning", markup=False)
        self.state.warnings.clear()
        for message in self.config.warnings:  # printed on stderr too, hidden by the screen
            self.notify(
                display_text(message),
                title="config.yaml",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self.call_after_refresh(self._after_first_paint)
        self.set_keymap(self.user_keys.keymap)
        for message in [*self.reader_themes.messages, *self.user_keys.warnings]:
            self.notify(display_text(message), severity="warning", markup=False, timeout=10)
        persist_theme_changes(self)
        if self.start_file is not None and not isinstance(self.screen, ReaderScreen):
            self.open_document(self.start_file)

    def _after_first_paint(self) -> None:
        """Start what the first screen does without: the bookmarks, a single file's index."""
        self._painted = True
        resume_collector()  # paused by the command line while starting
        self.run_worker(self._load_bookmarks, thread=True, group="bookmarks-load", exclusive=True)
        if self._marks_pending is not None:
            self.bookmark_flow.refresh_marks(self._marks_pending)
            self._marks_pending = None
        if self._library_pending is not None:
            self.search_flow.library_known(self._library_pending)
            self._library_pending = None
        if self.start_file is not None:
            from tuireader.ui.flows.search import FILE_INDEX_DELAY

            self.search_flow.file_known(self.start_file, delay=FILE_INDEX_DELAY)

    # ------------------------------------------------------------ what screens ask for

    @on(LibraryScanned)
    def _library_scanned(self, message: LibraryScanned) -> None:
        """The library is known: index it for search in the background (after the first paint)."""
        if self._painted:
            self.search_flow.library_known(list(message.paths))
        else:
            self._library_pending = list(message.paths)

    @on(OpenDocument)
    def _open_document_asked(self, message: OpenDocument) -> None:
        """A screen or flow asks to read a document (at a line, maybe highlighted)."""
        self.open_document(
            message.path,
            message.line,
            highlight=message.highlight,
            words=message.words,
            notice=message.notice,
            hit=message.hit,
        )

    @on(OpenSearch)
    def _open_search_asked(self, message: OpenSearch) -> None:
        """Open the search overlay on a document or the whole library."""
        self.search_flow.open_search(message.document)

    @on(StepHit)
    def _step_hit_asked(self, message: StepHit) -> None:
        """Go to the next or previous hit of the last search."""
        self.search_flow.step(message.direction)

    @on(MarkLine)
    def _mark_line_asked(self, message: MarkLine) -> None:
        """Bookmark a line (the flow asks for an optional note first)."""
        self.bookmark_flow.mark(message.path, message.line, message.text)

    @on(MarkRange)
    def _mark_range_asked(self, message: MarkRange) -> None:
        """Highlight a range of lines (the flow asks for an optional note first)."""
        self.bookmark_flow.mark_range(message.path, message.start, message.end, message.text)

    @on(ShowBookmarks)
    def _show_bookmarks_asked(self, message: ShowBookmarks) -> None:
        """List the bookmarks of a document (or all of them)."""
        self.bookmark_flow.open_list(message.document)

    @on(WidthToggled)
    def _width_toggled(self, message: WidthToggled) -> None:
        """``w`` in the reader: the next document and the next start use that width too."""
        self.config.full_width = message.full
        self.run_worker(
            partial(self._save_setting, "full_width", message.full),
            thread=True,
            group="config-save",
        )

    def _save_setting(self, key: str, value: Any) -> None:
        """Write one setting to config.yaml (in a worker thread); report a problem once."""
        try:
            save_setting(key, value)
        except (YamlFileError, OSError) as error:
            problem = display_text(f"{key} not saved: {error}")
            self.call_from_thread(self.notify, problem, severity="warning", markup=False)

    def get_default_screen(self) -> Screen[Any]:
        """The library, or the reader when started on a single file (no screen under it)."""
        if self.start_file is None:
            from tuireader.ui.screens.library import LibraryScreen  # DataTable: not for a file

            return LibraryScreen(self.library_paths, self.state)
        try:
            reader = self._reader_screen(self.start_file)
        except DocumentError:
            return Screen()  # on_mount opens the file again: the error is reported, the app ends
        reader._push_result_callback(self, None)  # as push_screen does: switch_screen pops it
        self._show_marks_soon(reader.document.path)
        return reader

    # ------------------------------------------------------------ public API

    def open_document(
        self,
        path: Path,
        line: int | None = None,
        *,
        highlight: tuple[int, int] | None = None,
        words: Sequence[str] = (),
        notice: str | None = None,
        hit: tuple[int, int] | None = None,
    ) -> None:
        """Show ``path`` in the reader at 1-based ``line`` (default: the remembered place).

        ``highlight`` is an inclusive 1-based line range to mark, ``words`` the words
        to style in it (a search passage, then brought into view with context);
        ``notice`` a message to show; ``hit`` the search hit shown (k of total), for
        the status line.  Overlays above the reader are closed; a reader already
        showing ``path`` just moves.
        """
        path = Path(path)
        while isinstance(self.screen, ModalScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        current = self.screen
        if isinstance(current, ReaderScreen) and not same_file(current.document.path, path):
            self.navigation.record(current.document.path, current.top_line)
        if isinstance(current, ReaderScreen) and same_file(current.document.path, path):
            current.set_search_hit(hit)
            if highlight is not None and words:
                current.show_passage(highlight[0], highlight[1], words, line or 0)
            else:
                if line is not None:
                    current.go_to_line(line)
                current.set_highlight(highlight)
            if notice:
                self.notify(display_text(notice), markup=False)
            return
        try:
            screen = self._reader_screen(
                path, line, highlight=highlight, words=words, notice=notice, hit=hit
            )
        except DocumentError as error:
            self.notify(display_text(str(error)), severity="error", markup=False)
            if self.start_file is not None and not isinstance(current, ReaderScreen):
                self.exit(2, message=display_text(str(error)))
            return
        if isinstance(current, ReaderScreen):
            current.save_position()
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self._show_marks_soon(screen.document.path)

    def _reader_screen(
        self,
        path: Path,
        line: int | None = None,
        *,
        highlight: tuple[int, int] | None = None,
        words: Sequence[str] = (),
        notice: str | None = None,
        hit: tuple[int, int] | None = None,
    ) -> ReaderScreen:
        """A reader of ``path`` (see ``open_document``); raises ``DocumentError``."""
        document = describe(path.absolute())
        index = format_of(document.path).open_lines(document.path)
        if document.is_markdown and self.start_file is None:
            self.run_worker(
                _warm_up_markdown, thread=True, group="markdown-warm-up", exclusive=True
            )
        fraction = 0.0
        if line is None:
            remembered = self.state.position(document.path)
            line = remembered.line if remembered else None
            fraction = remembered.row_fraction if remembered else 0.0
        screen = ReaderScreen(
            document, index, self.state, line=line, row_fraction=fraction, highlight=highlight,
            notice=notice, quit_on_close=self.start_file is not None,
            full_width=self.config.full_width,
        )  # fmt: skip
        screen.set_search_hit(hit)
        if highlight is not None and words:
            screen.show_passage(highlight[0], highlight[1], words, line or 0)
        return screen

    def _show_marks_soon(self, path: Path) -> None:
        """Draw a document's bookmarks: now, or once the first screen has painted."""
        if self._painted:
            self.bookmark_flow.refresh_marks(path)
        else:
            self._marks_pending = path

    def _show_bookmark_marks(self, path: Path, marks: list[Bookmark]) -> None:
        """Draw a document's marks (gutter) and highlights in any reader showing it."""
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen) and same_file(screen.document.path, path):
                screen.set_gutter_marks({mark.line for mark in marks})
                screen.set_user_highlights(
                    [(mark.line, mark.last_line) for mark in marks if mark.is_highlight]
                )

    @on(BookmarksChanged)
    def _bookmarks_changed(self, event: BookmarksChanged) -> None:
        """A bookmark was deleted, restored or edited: redraw the readers' marks."""
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                path = screen.document.path
                self._show_bookmark_marks(path, self.bookmark_flow.marks_of(path))

    def refresh_search_index(self, path: Path) -> None:
        """After ``path`` changed: drop the search index if it holds the old text."""
        if self.search_flow.shared.is_stale(path):
            self.search_flow.shared.invalidate()

    def action_help(self) -> None:
        """Show every key: the current screen's first, then those that work anywhere."""
        from tuireader.ui.dialogs.help import HelpScreen  # first use: not at start-up

        if isinstance(self.screen, HelpScreen):
            return
        keymap = self.user_keys.keymap
        current = self.screen
        sections: list[tuple[str, Any]] = []
        help_sections = self.help_sections()
        for name, screen_class in help_sections:
            if isinstance(current, screen_class):
                sections.append((name, in_force(enabled_bindings(current), keymap)))
        sections.append(("Anywhere", in_force(self.BINDINGS, keymap)))
        sections += [
            (name, in_force(class_bindings(screen_class), keymap))
            for name, screen_class in help_sections
            if not isinstance(current, screen_class)
        ]
        self.push_screen(HelpScreen(sections))

    def action_cycle_theme(self) -> None:
        """Switch to the next theme (saved in config.yaml for next time)."""
        name = cycle_theme(self, self.reader_themes.names)
        self.notify(f"Theme: {display_text(name)}", timeout=1.5, markup=False)

    def search_themes(self) -> None:
        """The palette's theme picker: tuireader's themes only (what ``tuireader themes`` lists)."""

        def pick(name: str) -> Callable[[], None]:
            def choose() -> None:
                self.theme = name

            return choose

        commands: list[CommandListItem] = [
            (name, pick(name), "current theme" if name == self.theme else None)
            for name in self.reader_themes.names
        ]
        self.search_commands(commands, placeholder="Search for themes…")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: every action of the current screen, then themes, help, quit."""
        yield from screen_commands(screen)
        yield SystemCommand("Theme", "Pick a theme (kept for next time)", self.action_change_theme)
        yield SystemCommand("Next theme", "Switch to the next theme", self.action_cycle_theme)
        yield SystemCommand("Keys", "Show every key", self.action_help)
        yield SystemCommand("Quit", "Save the reading position and quit", self.action_quit)

    async def action_quit(self) -> None:
        """Save the reading position, then quit."""
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                screen.save_position()
        self.exit(0)


def run_app(args: Any, config: Config) -> int:
    """Start the UI for ``tuireader [PATH...]``; returns the exit status."""
    given = [Path(path).expanduser() for path in getattr(args, "paths", []) or []]
    start_file: Path | None = None
    if len(given) == 1 and not given[0].is_dir():
        start_file = given[0]
        try:
            describe(start_file.absolute())
        except DocumentError as error:
            print(f"tuireader: {display_text(str(error))}", file=sys.stderr)
            return 2
    paths = given or default_library_paths(config)
    app = TuiReaderApp(
        paths,
        config,
        start_file=start_file,
        bookmarks=getattr(args, "bookmarks", None),
        theme=getattr(args, "theme", None),
    )
    result = app.run()
    # Quitting is immediate: what is left is freed by the OS, not walked by the collector
    # (a 20,000-document library otherwise takes seconds of garbage collection at exit).
    gc.freeze()
    return int(result or app.return_code or 0)
