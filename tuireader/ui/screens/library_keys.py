"""The library list's keys: j/k/g/G move, ``/`` or any other letter filters, q and Esc quit.

``LibraryKeys`` is the part of ``LibraryScreen`` that decides what a key does
on the list and in the filter box; the screen supplies the table and the filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input


class FilterInput(Input):
    """The filter box; ``?`` on an empty filter opens help."""

    async def _on_key(self, event: events.Key) -> None:
        """Let ``?`` open help when nothing is typed; other keys edit the filter."""
        if event.character == "?" and not self.value:
            event.stop()
            event.prevent_default()
            await self.app.run_action("help")
            return
        await super()._on_key(event)


NAVIGATION_KEYS = frozenset("jkgGq/?")
"""Printable keys the list keeps for itself; any other printable key starts filtering."""


class LibraryKeys(Screen[None]):
    """Key handling of the library list (see ``LibraryScreen`` for the bindings)."""

    _filter_timer: Timer | None = None

    if TYPE_CHECKING:  # provided by LibraryScreen, the one class built on this mixin

        @property
        def table(self) -> DataTable[Text]:
            """The table on show."""

        def _apply_filter(self, keep_cursor: bool = False) -> None:
            """Show the filter's matches."""

    def on_key(self, event: events.Key) -> None:
        """A printable key pressed on the list (not a list key) starts filtering with it."""
        filter_box = self.query_one(FilterInput)
        character = event.character
        if filter_box.has_focus or not event.is_printable or character is None:
            return
        if character in NAVIGATION_KEYS or character == " ":
            return
        event.stop()
        event.prevent_default()
        filter_box.focus()
        filter_box.insert_text_at_cursor(character)

    def action_focus_filter(self) -> None:
        """Move to the filter box (``/``)."""
        self.query_one(FilterInput).focus()

    def action_first(self) -> None:
        """Select the first document."""
        self.table.move_cursor(row=0)

    def action_last(self) -> None:
        """Select the last document."""
        self.table.move_cursor(row=max(0, self.table.row_count - 1))

    async def action_quit_if_idle(self) -> None:
        """``q`` on the list quits when nothing is being filtered (else it is typed)."""
        filter_box = self.query_one(FilterInput)
        if filter_box.value:
            filter_box.focus()
            filter_box.insert_text_at_cursor("q")
            return
        await self.app.run_action("quit")

    async def action_clear_filter(self) -> None:
        """Esc: empty the filter and go back to the list; on the list with no filter, quit."""
        filter_box = self.query_one(FilterInput)
        if not filter_box.has_focus and not filter_box.value:
            await self.app.run_action("quit")
            return
        filter_box.value = ""
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._apply_filter()
        self.table.focus()
