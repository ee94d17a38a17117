"""A screen's key bindings as command-palette entries and help rows (what works there now)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.actions import parse
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen


def _binding(item: BindingType) -> Binding:
    """A ``Binding`` from any form BINDINGS allow."""
    return item if isinstance(item, Binding) else Binding(*item)


def _enabled(screen: Screen[Any], binding: Binding) -> bool:
    """Whether ``screen`` allows the binding's action now (``check_action`` is not False)."""
    _, name, parameters = parse(binding.action)
    if "." in binding.action.split("(", 1)[0]:
        return True  # app.… actions are the app's to allow
    return screen.check_action(name, parameters) is not False


def enabled_bindings(screen: Screen[Any]) -> list[Binding]:
    """The bindings of ``screen``'s class that it allows now, in order."""
    return [b for b in map(_binding, type(screen).BINDINGS) if _enabled(screen, b)]


def screen_commands(screen: Screen[Any]) -> Iterator[SystemCommand]:
    """One palette command per described action of ``screen`` (the key is in the help text)."""
    seen: set[str] = set()
    for binding in enabled_bindings(screen):
        title = binding.description
        if not title or binding.action in seen or binding.action.startswith("app."):
            continue  # the app's own actions are its system commands already
        seen.add(binding.action)
        first = binding.key.split(",")[0].strip()
        key = binding.key_display or screen.app.get_key_display(Binding(first, ""))
        about = f"{binding.tooltip} ({key})" if binding.tooltip else f"Key: {key}"

        async def run(action: str = binding.action) -> None:
            await screen.run_action(action)

        yield SystemCommand(title, about, run)
