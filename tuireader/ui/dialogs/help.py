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


BOX_MAX_WIDTH = 96
"""The help box's widest (app.tcss ``#help-box``: 90% of the screen, at most this)."""
CHROME = 4 + 2 + 6
"""Border and padding of the box, the table's scrollbar, and the cells' padding."""


class HelpScreen(ModalScreen[None]):
    """A table of the keys of each part of the app, the current screen first.

    Descriptions wrap inside the box (rows grow taller), so nothing scrolls sideways.
    """

    CSS_PATH = "dialogs.tcss"  # app-level rules, read when a dialog first opens

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
        self._fill()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        """Wrap again for the new width."""
        self._fill()

    def _rows(self) -> list[tuple[str, str, str]]:
        """(where, keys, action) for every row, in order."""
        rows: list[tuple[str, str, str]] = []
        for name, bindings in self.sections:
            for keys, description in binding_rows(bindings):
                rows.append((name, ", ".join(self._display(key) for key in keys), description))
            rows += [(name, keys, text) for where, keys, text in NOTES if where == name]
        rows += [("Search query", syntax, meaning) for syntax, meaning in SYNTAX_HELP]
        return rows

    def _fill(self) -> None:
        """Columns sized to the box, so long descriptions wrap instead of scrolling sideways."""
        rows = self._rows()
        box = min(BOX_MAX_WIDTH, self.app.size.width * 9 // 10)
        where = max((len(row[0]) for row in rows), default=5)
        keys = min(18, max((len(row[1]) for row in rows), default=4))
        action = max(12, box - CHROME - where - keys)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_column("Where", width=where)
        table.add_column("Keys", width=keys)
        table.add_column("Action", width=action)
        for name, shown, description in rows:
            table.add_row(Text(name), Text(shown), Text(description), height=None)
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1), animate=False)

    def _display(self, key: str) -> str:
        """How a key is written for people."""
        return self.app.get_key_display(Binding(key, ""))

    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss(None)
