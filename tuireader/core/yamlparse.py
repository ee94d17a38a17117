"""The PyYAML side of ``yamlio``: strict safe loaders, parsing and dumping.

Imported only when YAML is actually parsed or written (``yamlio`` imports it
lazily): start-up reads its files from mirrors (``yamlmirror.py``) without PyYAML.
"""

from __future__ import annotations

from typing import Any

import yaml


class YamlRefused(Exception):
    """Text that cannot be used as YAML; ``str()`` is the one-line message (``yamlio`` wraps it)."""


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


def _check_node_graph(root: Any, max_aliases: int, max_depth: int) -> None:
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
            if aliases > max_aliases:
                raise yaml.YAMLError(f"more than {max_aliases} aliases, near {_where(node)}")
            continue
        entered.add(id(node))
        if depth > max_depth:
            raise yaml.YAMLError(f"nesting deeper than {max_depth} levels near {_where(node)}")
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


def parse(text: str, source: str, *, max_aliases: int, max_depth: int) -> Any:
    """Parse YAML text strictly (``yamlio.parse_yaml``); ``YamlRefused`` with a one-line reason."""
    loader_class = _FastStrictLoader if yaml.__with_libyaml__ else _StrictLoader
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_node_graph(node, max_aliases, max_depth)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise YamlRefused(f"{source}: {where}{problem}") from None
    except yaml.YAMLError as error:
        raise YamlRefused(f"{source}: {' '.join(str(error).split())}") from None
    except RecursionError:
        raise YamlRefused(f"{source}: nesting too deep") from None
    except (ValueError, TypeError, OverflowError) as error:
        raise YamlRefused(f"{source}: {error}") from None
    except (IndexError, KeyError, AttributeError):
        # PyYAML's constructors fail this way on e.g. "!!int ''", "!!bool maybe", "!!timestamp x".
        raise YamlRefused(f"{source}: a value does not fit its explicit !!type tag") from None
    finally:
        loader.dispose()


_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(data: Any) -> str:
    """Dump data as readable block-style YAML, keys in the given order, Unicode as itself."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
