"""The library's table of documents."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class DocumentTable(DataTable[Text]):
    """A table of documents whose Home/End go to the first/last row (not sideways)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first_row", "First document", show=False),
        Binding("end", "last_row", "Last document", show=False),
    ]

    def action_first_row(self) -> None:
        """Select the first row."""
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        """Select the last row."""
        self.move_cursor(row=max(0, self.row_count - 1))
