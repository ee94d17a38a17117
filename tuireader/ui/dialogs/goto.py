"""A small prompt asking for a number: a line to go to, or a percentage."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class GotoScreen(ModalScreen[int | None]):
    """Ask for a whole number; dismisses with it, or with None on Escape."""

    CSS_PATH = "dialogs.tcss"  # app-level rules, read when a dialog first opens

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, placeholder: str = "") -> None:
        """Show ``prompt`` above the input."""
        super().__init__()
        self.prompt = prompt
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        """A label and a digits-only input."""
        with Vertical(id="goto-box"):
            yield Label(self.prompt, id="goto-prompt")
            yield Input(placeholder=self.placeholder, restrict=r"[0-9]*", id="goto-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Dismiss with the number typed (None if empty)."""
        event.stop()
        value = event.value.strip()
        self.dismiss(int(value) if value.isdigit() else None)

    def action_cancel(self) -> None:
        """Close without a number."""
        self.dismiss(None)
