"""The help screen: every key, generated from the BINDINGS so it stays true."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from tuireader.core.search.query_syntax import SYNTAX_HELP

NOTES = (
    ("Reader", "a number, then g or G", "go to that line (also j/k repeat)"),
    ("Reader", "a number, then %", "go to that percentage of the document"),
)


def binding_rows(bindings: Iterable[BindingType]) -> list[tuple[list[str], str]]:
    """(keys, description) for each binding; bindings without a description are skipped."""
    rows: list[tuple[list[str], str]] = []
    for item in bindings:
        binding = item if isinstance(item, Binding) else Binding(*item)
        description = binding.tooltip or binding.description
        if not description:
            continue
        keys = [key.strip() for key in binding.key.split(",") if key.strip()]
        rows.append((keys, description))
    return rows


class HelpScreen(ModalScreen[None]):
    """A table of the keys of each part of the app."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, sections: Sequence[tuple[str, Iterable[BindingType]]]) -> None:
        """``sections`` are (name, bindings) pairs, e.g. ("Reader", ReaderScreen.BINDINGS)."""
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        """Title and table."""
        with Vertical(id="help-box"):
            yield Label("Keys  (Escape closes)", id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Fill the table from the bindings."""
        table = self.query_one(DataTable)
        table.add_columns("Where", "Keys", "Action")
        for name, bindings in self.sections:
            for keys, description in binding_rows(bindings):
                shown = ", ".join(self._display(key) for key in keys)
                table.add_row(Text(name), Text(shown), Text(description))
            for where, keys_text, description in NOTES:
                if where == name:
                    table.add_row(Text(name), Text(keys_text), Text(description))
        for syntax, meaning in SYNTAX_HELP:
            table.add_row(Text("Search query"), Text(syntax), Text(meaning))
        table.focus()

    def _display(self, key: str) -> str:
        """How a key is written for people."""
        return self.app.get_key_display(Binding(key, ""))

    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss(None)
