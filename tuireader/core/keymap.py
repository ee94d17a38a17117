"""Your own keys: ``keys:`` in config.yaml maps ``SCREEN.ACTION`` to keys.

``reader.page_down: "z"`` or ``library.open: "l,enter"``.  Checked against the
actions the app has: an unknown action or a key that two actions of one screen
would share is dropped with a one-line warning, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

KEY_ALIASES = {
    "?": "question_mark",
    "/": "slash",
    ":": "colon",
    "%": "percent_sign",
    "<": "less_than_sign",
    ">": "greater_than_sign",
    " ": "space",
}
"""Characters written as themselves in config.yaml and the key names they stand for."""


@dataclass
class KeymapCheck:
    """The keymap to apply and the warnings about what was dropped."""

    keymap: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def split_keys(keys: str) -> list[str]:
    """``"l, enter"`` as ``["l", "enter"]`` (a lone ``,`` key is written ``comma``)."""
    return [KEY_ALIASES.get(key.strip(), key.strip()) for key in keys.split(",") if key.strip()]


def parse_keys(raw: Any, source: str) -> tuple[dict[str, str], list[str]]:
    """The ``keys:`` mapping read from config.yaml, and warnings for entries that are not text."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"{source}: keys: expected a mapping of SCREEN.ACTION to keys"]
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for action, keys in raw.items():
        if not isinstance(action, str) or not isinstance(keys, str) or not split_keys(keys):
            warnings.append(f"{source}: keys: {action!r}: expected keys such as 'z' or 'l,enter'")
            continue
        keymap[action.strip()] = ",".join(split_keys(keys))
    return keymap, warnings


def check_keymap(
    keymap: Mapping[str, str], screens: Mapping[str, Sequence[tuple[str, str]]]
) -> KeymapCheck:
    """Keep the entries that name a known action and clash with no other key of its screen.

    ``screens`` maps a screen name to its (action id, default keys) pairs, where
    an id is ``SCREEN.ACTION``.
    """
    result = KeymapCheck()
    known = {action for pairs in screens.values() for action, _ in pairs}
    for action in keymap:
        if action not in known:
            names = ", ".join(sorted(known)[:6])
            result.warnings.append(f"keys: unknown action {action!r} (for example: {names}, ...)")
    for pairs in screens.values():
        wanted = {action: keymap[action] for action, _ in pairs if action in keymap}
        owners = {
            key: action
            for action, default in pairs
            if action not in wanted
            for key in split_keys(default)
        }
        for action, keys in wanted.items():
            clashes = [key for key in split_keys(keys) if owners.get(key, action) != action]
            if clashes:
                other = owners[clashes[0]]
                result.warnings.append(
                    f"keys: {action}: {clashes[0]!r} is already the key of {other}; ignored"
                )
                continue
            result.keymap[action] = keys
            owners.update(dict.fromkeys(split_keys(keys), action))
    return result
