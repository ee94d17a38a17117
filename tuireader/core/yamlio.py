"""Safe YAML reading and readable YAML writing for every file tuireader keeps.

Reading uses a ``SafeLoader`` subclass (never constructs Python objects) that
also rejects what plain ``yaml.safe_load`` lets through silently or crashes on:
duplicate keys, alias bombs, over-deep nesting and oversized files.  Every
problem becomes a ``YamlFileError`` with a one-line message naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_YAML_BYTES = 16 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 100


class YamlFileError(Exception):
    """A YAML file that cannot be used; ``str()`` is a one-line message for the user."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, many aliases and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        """Count aliases and nesting depth while composing the node tree."""
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()
                raise yaml.YAMLError(
                    f"too many aliases (more than {MAX_ALIASES}) near {_where(event)}"
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()
                raise yaml.YAMLError(f"nesting deeper than {MAX_DEPTH} levels near {_where(event)}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, refusing a key that appears twice."""
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                continue
            if duplicate:
                raise yaml.YAMLError(f"duplicate key {key!r} at {_where(key_node)}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _where(item: Any) -> str:
    """Describe a node or event position as 'line L, column C'."""
    mark = getattr(item, "start_mark", None)
    if mark is None:
        return "end of file"
    return f"line {mark.line + 1}, column {mark.column + 1}"


def parse_yaml(text: str, source: str = "<string>") -> Any:
    """Parse YAML text strictly; raise ``YamlFileError`` with a one-line reason."""
    loader = _StrictLoader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise YamlFileError(f"{source}: {where}{problem}") from None
    except yaml.YAMLError as error:
        raise YamlFileError(f"{source}: {error}") from None
    except RecursionError:
        raise YamlFileError(f"{source}: nesting too deep") from None
    except (ValueError, TypeError, OverflowError) as error:
        raise YamlFileError(f"{source}: {error}") from None
    finally:
        loader.dispose()


def read_yaml_file(path: Path, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Read and parse a YAML file; ``None`` for an empty file; ``YamlFileError`` if unusable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YamlFileError(f"{path}: file is {size} bytes, larger than the {max_bytes} limit")
        data = path.read_bytes()
    except YamlFileError:
        raise
    except OSError as error:
        raise YamlFileError(f"{path}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise YamlFileError(f"{path}: not valid UTF-8") from None
    return parse_yaml(text, str(path))


def dump_yaml(data: Any) -> str:
    """Dump data as readable block-style YAML, keys in the given order, Unicode as itself."""
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
