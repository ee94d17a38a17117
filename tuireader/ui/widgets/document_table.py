"""The library's table of documents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


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

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """As ``DataTable``'s, without measuring every new cell when nothing depends on it.

        DataTable measures each cell of each new row for the widths of auto-width
        columns and the heights of auto-height rows; the library's columns have set
        widths and its rows one line, so the measures (most of the time it took to
        add 1,000 rows) are skipped then.  The scrollable size is computed as before.
        """
        rows = list(new_rows)
        if any(column.auto_width for column in self.columns.values()) or any(
            row.label is not None or row.auto_height
            for row in (self.rows.get(key) for key in rows)
            if row is not None
        ):
            super()._update_dimensions(rows)
        else:
            super()._update_dimensions(())
