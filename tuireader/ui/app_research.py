"""The app's side of reading like a researcher: the jump list and the editor.

``TuiReaderApp`` inherits this: it answers the reader's ``RecordJump``,
``StepJump`` and ``EditDocument`` and reopens a document after editing.  The
flows are made on first use (start-up imports stay small).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import App
from textual.screen import Screen

from tuireader.core.paths import same_file
from tuireader.ui.messages import EditDocument, RecordJump, StepJump
from tuireader.ui.screens.reader import ReaderScreen

if TYPE_CHECKING:
    from tuireader.ui.flows.editor import EditorFlow
    from tuireader.ui.flows.navigation import NavigationFlow


class ResearchApp(App[int]):
    """Jumps back and forward, and ``e`` (the editor), for the tuireader app."""

    if TYPE_CHECKING:  # provided by TuiReaderApp, the one class built on this mixin

        def open_document(
            self,
            path: Path,
            line: int | None = None,
            *,
            highlight: tuple[int, int] | None = None,
            words: Sequence[str] = (),
            notice: str | None = None,
        ) -> None:
            """Show ``path`` in the reader at ``line``."""

        def refresh_search_index(self, path: Path) -> None:
            """Drop search results that hold ``path``'s old text."""

    @cached_property
    def navigation(self) -> NavigationFlow:
        """The jump list: back and forward through links, search hits, g/G, contents."""
        from tuireader.ui.flows.navigation import NavigationFlow

        return NavigationFlow(self, self._open_at)

    @cached_property
    def editor_flow(self) -> EditorFlow:
        """``e``: the document in the user's editor, then reloaded."""
        from tuireader.ui.flows.editor import EditorFlow

        return EditorFlow(self, self.reload_document)

    @on(RecordJump)
    def _record_jump_asked(self, message: RecordJump) -> None:
        """Remember the place a jump left, for going back."""
        self.navigation.record(message.path, message.line)

    @on(StepJump)
    def _step_jump_asked(self, message: StepJump) -> None:
        """Go back or forward through the jump list."""
        self.navigation.step(message.direction, message.path, message.line)

    @on(EditDocument)
    def _edit_asked(self, message: EditDocument) -> None:
        """Open a document in the user's editor, then reload it."""
        self.editor_flow.edit(message.path, message.line)

    def _open_at(self, path: Path, line: int) -> None:
        """Open ``path`` at 1-based ``line`` (going back or forward)."""
        self.open_document(path, line)

    def reload_document(self, path: Path, line: int) -> None:
        """Read ``path`` again after it was edited: reopen it at ``line``, refresh its index."""
        current = self.screen
        if isinstance(current, ReaderScreen) and same_file(current.document.path, path):
            current.save_position()
            if len(self.screen_stack) > 1:
                self.pop_screen()
            else:  # opened on this file, the reader is the first screen: a blank one replaces it
                self.switch_screen(Screen())
        self.refresh_search_index(path)
        with self.navigation.paused():
            self.open_document(path, line, notice="Reloaded after editing.")
