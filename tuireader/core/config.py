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
from tuireader.core.yamlio import YamlFileError, dump_yaml, parse_yaml, read_yaml_file
from tuireader.core.yamlmirror import YamlMirror, read_yaml_mirrored


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
    full_width: bool = False
    """Whether the reader uses the whole width (``w``) rather than a comfortable measure."""
    warnings: list[str] = field(default_factory=list)
    """Problems found while reading the file, one line each."""


def _read_raw(path: Path, *, mirrored: bool = False) -> dict[str, Any]:
    """Read the config mapping; an absent file is empty; raises ``YamlFileError``.

    ``mirrored``: through the YAML mirror (``yamlmirror.py``), as start-up reads it.
    """
    if not path.exists():
        return {}
    data = read_yaml_mirrored(path, "config") if mirrored else read_yaml_file(path)
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
        raw = _read_raw(path, mirrored=True)
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
    config.full_width = raw.get("full_width") is True
    return config


def save_setting(key: str, value: Any, path: Path | None = None) -> None:
    """Set one top-level key in ``config.yaml`` atomically, keeping everything else as written.

    Only the value of ``key`` changes (or a ``key: value`` line is added at the
    end): the user's comments, blank lines and order stay.  Raises
    ``YamlFileError`` (and writes nothing) if the existing file is unusable.
    """
    path = path or paths.config_file()
    raw = _read_raw(path)
    text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    edited = _edit_key(text, key, value)
    expected = {**raw, key: value}
    try:
        same = parse_yaml(edited, str(path)) == expected
    except YamlFileError:
        same = False
    # The line edit is checked; if it would not read back as intended, write a clean dump.
    written = atomic_write_text(path, edited if same else dump_yaml(expected))
    if same:  # what the file now reads as, known: the next start need not parse it
        mirror = YamlMirror("config")
        mirror.record(path, expected, written)
        mirror.save()


def _flow(value: Any) -> str:
    """A value as one line of YAML (quoted when needed)."""
    import yaml  # saving a setting: not on the way to the first paint

    line = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 20)
    return line.strip()[1:-1]


def _edit_key(text: str, key: str, value: Any) -> str:
    """``text`` with the top-level ``key``'s value replaced (or ``key: value`` appended)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        root = None
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                start, end = value_node.start_mark.index, value_node.end_mark.index
                if start == end:  # ``key:`` with no value
                    return f"{text[:start]} {_flow(value)}{text[end:]}"
                if isinstance(value_node, yaml.ScalarNode):
                    inline = value_node.style not in ("|", ">")
                else:
                    inline = bool(value_node.flow_style)
                if inline:
                    return text[:start] + _flow(value) + text[end:]
                # A block list, mapping or ``|``/``>`` text (its end takes the line break with
                # it): replace it whole, from the key's line on.
                head = text[: key_node.start_mark.index]
                tail = text[end:]
                return f"{head}{key}: {_flow(value)}\n{tail}"
    if text and not text.endswith("\n"):
        text += "\n"
    if root is not None and not isinstance(root, yaml.MappingNode):
        return dump_yaml({key: value})
    return f"{text}{key}: {_flow(value)}\n"


def default_library_paths(config: Config) -> list[Path]:
    """The default library: the bundled seeds, then the folders named in the config."""
    found = [paths.seeds_dir()] if config.include_seeds else []
    return found + config.library
