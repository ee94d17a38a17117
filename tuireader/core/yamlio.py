"""Safe YAML reading and readable YAML writing for every file tuireader keeps.

Reading uses a ``SafeLoader`` subclass (never constructs Python objects) that
also rejects what plain ``yaml.safe_load`` lets through silently or crashes on:
duplicate keys, alias bombs, over-deep nesting and oversized files.  Every
problem becomes a ``YamlFileError`` with a one-line message naming the file.
PyYAML itself is imported only when YAML is parsed or written (``yamlparse.py``):
start-up reads its files through mirrors (``yamlmirror.py``) and needs none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MAX_YAML_BYTES = 16 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 100


class YamlFileError(Exception):
    """A YAML file that cannot be used; ``str()`` is a one-line message for the user."""


def parse_yaml(text: str, source: str = "<string>") -> Any:
    """Parse YAML text strictly; raise ``YamlFileError`` with a one-line reason."""
    from tuireader.core.yamlparse import YamlRefused, parse  # PyYAML: imported on first use

    try:
        return parse(text, source, max_aliases=MAX_ALIASES, max_depth=MAX_DEPTH)
    except YamlRefused as error:
        raise YamlFileError(str(error)) from None


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
    from tuireader.core.yamlparse import dump  # PyYAML: imported on first use

    return dump(data)
