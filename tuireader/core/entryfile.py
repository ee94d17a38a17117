"""Cache files of keyed entries: one JSON object, a header naming its kind, and ``entries``.

The metadata cache and the YAML mirrors are such files.  Reading one never
trusts it blindly: a file that is too big, not JSON, or whose header differs
from the reader's (another format, an older version, other fields) counts as
empty, so the caller rebuilds it.  The text is ASCII JSON, so any string (a
file name with a surrogate escape, a lone surrogate from YAML) comes back exact.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _no_constant(name: str) -> Any:
    """Refuse ``NaN`` and ``Infinity``: these files never hold them."""
    raise ValueError(name)


def read_entries(path: Path, header: dict[str, Any], max_bytes: int) -> dict[str, list[Any]]:
    """The ``entries`` of the file at ``path``; empty when absent, foreign, old or corrupt."""
    try:
        if os.stat(path).st_size > max_bytes:
            return {}
        with open(path, "rb") as handle:
            data = json.loads(handle.read(), parse_constant=_no_constant)
    except (OSError, ValueError, RecursionError):
        return {}
    if (
        not isinstance(data, dict)
        or any(data.get(name) != value for name, value in header.items())
        or not isinstance(data.get("entries"), dict)
    ):
        return {}
    entries: dict[str, list[Any]] = data["entries"]
    return entries


def entries_text(header: dict[str, Any], entries: dict[str, Any]) -> str:
    """The file's text: ``header`` and ``entries`` as one compact ASCII JSON object."""
    return json.dumps({**header, "entries": entries}, ensure_ascii=True, separators=(",", ":"))
