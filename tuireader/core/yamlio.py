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


class _StrictConstruction:
    """Mixin for safe loaders: refuse a mapping key that appears twice."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, refusing a key that appears twice."""
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            try:
                duplicate = key in seen
            except TypeError:
                continue
            if duplicate:
                raise yaml.YAMLError(f"duplicate key {key!r} at {_where(key_node)}")
            seen.add(key)
        built: dict[Any, Any] = super().construct_mapping(node, deep=deep)  # type: ignore[misc]
        return built


class _StrictLoader(_StrictConstruction, yaml.SafeLoader):
    """Pure-Python safe loader, used when PyYAML was built without libyaml."""


_FastBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastStrictLoader(_StrictConstruction, _FastBase):  # type: ignore[misc]
    """Safe loader on libyaml's parser (about ten times quicker than pure Python)."""


def _check_node_graph(root: Any) -> None:
    """Refuse alias bombs and deep nesting by walking the composed node graph once.

    An alias is the same node object reached a second time; each node is entered
    once, so the walk is linear in the size of the file, however the aliases fan out.
    """
    aliases = 0
    entered: set[int] = set()
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in entered:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases, near {_where(node)}")
            continue
        entered.add(id(node))
        if depth > MAX_DEPTH:
            raise yaml.YAMLError(f"nesting deeper than {MAX_DEPTH} levels near {_where(node)}")
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))


def _where(node: Any) -> str:
    """Describe a composed node's position as 'line L, column C' (nodes always carry it)."""
    mark = node.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


def parse_yaml(text: str, source: str = "<string>") -> Any:
    """Parse YAML text strictly; raise ``YamlFileError`` with a one-line reason."""
    loader_class = _FastStrictLoader if yaml.__with_libyaml__ else _StrictLoader
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_node_graph(node)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise YamlFileError(f"{source}: {where}{problem}") from None
    except yaml.YAMLError as error:
        raise YamlFileError(f"{source}: {' '.join(str(error).split())}") from None
    except RecursionError:
        raise YamlFileError(f"{source}: nesting too deep") from None
    except (ValueError, TypeError, OverflowError) as error:
        raise YamlFileError(f"{source}: {error}") from None
    except (IndexError, KeyError, AttributeError):
        # PyYAML's constructors fail this way on e.g. "!!int ''", "!!bool maybe", "!!timestamp x".
        raise YamlFileError(f"{source}: a value does not fit its explicit !!type tag") from None
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


_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: Any) -> str:
    """Dump data as readable block-style YAML, keys in the given order, Unicode as itself."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
