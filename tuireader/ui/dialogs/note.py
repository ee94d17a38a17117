"""A small modal asking for one line of text: a bookmark's note (or a new path)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tuireader.core.sanitize import display_text


class NoteScreen(ModalScreen[str | None]):
    """Ask for a note; dismisses with the text (possibly empty) on Enter, ``None`` on Escape.

    Used by the reader's ``m`` (mark, with an optional note: Enter on an empty
    field marks without a note) and by the bookmarks list's ``e`` (edit note).
    """

    DEFAULT_CSS = """
    NoteScreen {
        align: center middle;
    }
    NoteScreen > #note-dialog {
        width: 80%;
        max-width: 90;
        height: auto;
        padding: 1 2;
        background: $surface;
        border: round $primary;
    }
    NoteScreen #note-title {
        color: $text-accent;
        text-style: bold;
        margin-bottom: 1;
    }
    NoteScreen #note-context {
        color: $text-muted;
        margin-bottom: 1;
    }
    NoteScreen #note-help {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(
        self,
        title: str = "Note",
        note: str = "",
        *,
        context: str = "",
        placeholder: str = "A note for this mark (optional)",
        help_text: str = "Enter to save · Esc to cancel",
    ) -> None:
        """Set the dialog's title, starting note, context line, placeholder and help text."""
        super().__init__()
        self._dialog_title = title
        self._dialog_note = note
        self._dialog_context = context
        self._dialog_placeholder = placeholder
        self._dialog_help_text = help_text

    def compose(self) -> ComposeResult:
        """A title, the marked text for context, the input and a hint."""
        with Vertical(id="note-dialog"):
            yield Static(Content(display_text(self._dialog_title)), id="note-title")
            if self._dialog_context:
                yield Static(Content(display_text(self._dialog_context)), id="note-context")
            yield Input(
                self._dialog_note,
                placeholder=self._dialog_placeholder,
                id="note-input",
                select_on_focus=False,  # the first key must not wipe the old note
            )
            yield Static(Content(self._dialog_help_text), id="note-help")

    def on_mount(self) -> None:
        """Start typing at once, at the end of the text already there."""
        field = self.query_one("#note-input", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: dismiss with the (trimmed) text."""
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Escape: dismiss with ``None``."""
        self.dismiss(None)
