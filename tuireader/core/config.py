"""The user's ``config.yaml``: library folders, theme, bookmarks file, keys.

Unknown keys are kept when tuireader saves a setting; a config file that cannot
be parsed is reported and never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuireader.core import paths
from tuireader.core.keymap import parse_keys
from tuireader.core.storage import atomic_write_text
from tuireader.core.yamlio import YamlFileError, dump_yaml, read_yaml_file


@dataclass
class Config:
    """Settings read from ``config.yaml``."""

    library: list[Path] = field(default_factory=list)
    """Extra library folders or files, after the bundled seeds."""
    theme: str | None = None
    """Name of the chosen theme."""
    bookmarks: Path | None = None
    """Bookmarks file overriding the default location."""
    include_seeds: bool = True
    """Whether the bundled sample library is part of the default library."""
    keys: dict[str, str] = field(default_factory=dict)
    """Your own keys: ``SCREEN.ACTION`` to comma-separated keys (``core/keymap.py``)."""
    warnings: list[str] = field(default_factory=list)
    """Problems found while reading the file, one line each."""


def _read_raw(path: Path) -> dict[str, Any]:
    """Read the config mapping; an absent file is empty; raises ``YamlFileError``."""
    if not path.exists():
        return {}
    data = read_yaml_file(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YamlFileError(f"{path}: expected a mapping of settings at the top level")
    return data


def load_config(path: Path | None = None) -> Config:
    """Load ``config.yaml``; problems are listed in ``Config.warnings``, never raised."""
    path = path or paths.config_file()
    config = Config()
    try:
        raw = _read_raw(path)
    except YamlFileError as error:
        config.warnings.append(str(error))
        return config
    library = raw.get("library", [])
    if isinstance(library, str):
        library = [library]
    if isinstance(library, list):
        for item in library:
            if isinstance(item, str) and item.strip():
                config.library.append(Path(item).expanduser())
            else:
                config.warnings.append(f"{path}: library: {item!r} is not a path")
    else:
        config.warnings.append(f"{path}: library: expected a list of folders")
    theme = raw.get("theme")
    if isinstance(theme, str) and theme.strip():
        config.theme = theme.strip()
    bookmarks = raw.get("bookmarks")
    if isinstance(bookmarks, str) and bookmarks.strip():
        config.bookmarks = Path(bookmarks).expanduser()
    seeds = raw.get("include_seeds", True)
    config.include_seeds = bool(seeds)
    config.keys, problems = parse_keys(raw.get("keys"), str(path))
    config.warnings += problems
    return config


def save_setting(key: str, value: Any, path: Path | None = None) -> None:
    """Set one key in ``config.yaml`` atomically, keeping every other key.

    Raises ``YamlFileError`` (and writes nothing) if the existing file is unusable.
    """
    path = path or paths.config_file()
    raw = _read_raw(path)
    raw[key] = value
    atomic_write_text(path, dump_yaml(raw))


def default_library_paths(config: Config) -> list[Path]:
    """The default library: the bundled seeds, then the folders named in the config."""
    found = [paths.seeds_dir()] if config.include_seeds else []
    return found + config.library
