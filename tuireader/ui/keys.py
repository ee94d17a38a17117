"""Binding ids (``SCREEN.ACTION``) for your own keys, and the keys in force for the help screen.

Screens wrap their ``BINDINGS`` in :func:`with_ids`, so ``keys:`` in config.yaml
can name any action; the app checks the user's keymap against
:func:`binding_ids` and hands it to Textual's ``App.set_keymap``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType

from tuireader.core.keymap import KeymapCheck, check_keymap

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _as_binding(item: BindingType) -> Binding:
    """A ``Binding`` from any binding form."""
    return item if isinstance(item, Binding) else Binding(*item)


def action_id(screen: str, binding: Binding) -> str:
    """``SCREEN.ACTION``: the action's name, or its description for an action with arguments."""
    action = binding.action.removeprefix("app.").removeprefix("screen.")
    if "(" in action:
        action = _NOT_WORD.sub("_", binding.description.lower()).strip("_") or action
    return f"{screen}.{action}"


def with_ids(screen: str, bindings: Iterable[BindingType]) -> list[BindingType]:
    """``bindings`` with an id each (``SCREEN.ACTION``) unless they have one."""
    result: list[BindingType] = []
    for item in bindings:
        binding = _as_binding(item)
        if binding.id is None:
            binding = dataclasses.replace(binding, id=action_id(screen, binding))
        result.append(binding)
    return result


def class_bindings(cls: type[Any]) -> list[Binding]:
    """The bindings a class has, its own first, then those of its tuireader bases whose keys
    it left free (Textual's own classes' bindings are not listed)."""
    claimed: set[str] = set()
    result: list[Binding] = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith("tuireader."):
            continue
        own = [_as_binding(item) for item in klass.__dict__.get("BINDINGS", [])]
        kept = [b for b in own if any(k.strip() not in claimed for k in b.key.split(","))]
        result += kept
        claimed.update(k.strip() for b in own for k in b.key.split(","))
    return result


def binding_ids(cls: type[Any], screen: str) -> list[tuple[str, str]]:
    """(id, default keys) of a class's bindings whose ids start with ``SCREEN.``."""
    found: dict[str, str] = {}
    for binding in class_bindings(cls):
        if binding.id and binding.id.startswith(f"{screen}."):
            found.setdefault(binding.id, binding.key)
    return list(found.items())


def in_force(bindings: Iterable[BindingType], keymap: Mapping[str, str]) -> list[Binding]:
    """``bindings`` with the keys the keymap gives them (for the help screen)."""
    result = []
    for item in bindings:
        binding = _as_binding(item)
        if binding.id and binding.id in keymap:
            binding = binding.with_key(keymap[binding.id])
        result.append(binding)
    return result


def check_user_keys(
    app: App[Any], keys: Mapping[str, str], sections: Iterable[tuple[str, type[Any]]]
) -> KeymapCheck:
    """Check ``keys:`` against the app's and the screens' actions (ids ``app.*``, ``reader.*``...).

    Apply the result's ``keymap`` with ``App.set_keymap`` once the app runs.
    """
    screens = {"app": binding_ids(type(app), "app")}
    for name, screen in sections:
        screens[name.lower()] = binding_ids(screen, name.lower())
    return check_keymap(keys, screens)
