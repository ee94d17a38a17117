"""The table of contents: the document's headings; Enter jumps to one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class TocScreen(ModalScreen[int | None]):
    """Lists headings as (1-based line, level, text); dismisses with the chosen line."""

    CSS_PATH = "dialogs.tcss"  # app-level rules, read when a dialog first opens

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,t", "cancel", "Close"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, headings: list[tuple[int, int, str]], current: int, note: str = "") -> None:
        """``current`` is the 1-based top line, to preselect the heading above it."""
        super().__init__()
        self.headings = headings
        self.current = current
        self.note = note

    def compose(self) -> ComposeResult:
        """A title and the option list."""
        with Vertical(id="toc-box"):
            yield Label(Text(f"Contents{self.note}"), id="toc-title")
            options = [
                Option(
                    Text("  " * (level - 1) + text, no_wrap=True, overflow="ellipsis"), id=str(line)
                )
                for line, level, text in self.headings
            ]
            yield OptionList(*options, id="toc-list")

    def on_mount(self) -> None:
        """Highlight the heading of the section being read."""
        options = self.query_one(OptionList)
        chosen = 0
        for position, (line, _, _) in enumerate(self.headings):
            if line <= self.current:
                chosen = position
        if self.headings:
            options.highlighted = chosen
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Jump to the chosen heading."""
        event.stop()
        self.dismiss(int(event.option.id or "1"))

    def action_cursor_down(self) -> None:
        """Vim-style down."""
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Vim-style up."""
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        """Close without jumping."""
        self.dismiss(None)
