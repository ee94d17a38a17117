"""Reading positions, remembered per document in ``$XDG_STATE_HOME/tuireader/state.yaml``.

Every save re-reads the file under a lock and changes only this document's
entry, so two readers open at once do not undo each other.  A state file that
cannot be parsed is never overwritten: it is moved aside to
``state.yaml.corrupt-<time>`` with a warning, and reading starts fresh.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tuireader.core import paths
from tuireader.core.piped import is_piped, spool_dir
from tuireader.core.sanitize import unicode_text
from tuireader.core.storage import atomic_write_text
from tuireader.core.yamlio import YamlFileError, dump_yaml
from tuireader.core.yamlmirror import YamlMirror

STATE_VERSION = 1
MAX_ENTRIES = 5000


@dataclass(frozen=True, slots=True)
class Position:
    """Where a document was left: 1-based top line, line count, fraction read.

    ``row`` of ``rows`` is the wrapped row of the top line shown first, so the
    place comes back exactly at the same width and proportionally at another.
    """

    line: int
    total: int
    progress: float
    updated: float
    row: int = 0
    rows: int = 1

    @property
    def row_fraction(self) -> float:
        """How far into the top line the view started (0.0 = its first row)."""
        return min(1.0, self.row / max(1, self.rows))


def document_key(path: Path) -> str:
    """The key of a document in the state file: its absolute, resolved path.

    A path that is not valid UTF-8 is keyed ``bytes:<hex>``, so the YAML file
    stays UTF-8 and the key stays exact.
    """
    try:
        key = str(Path(path).resolve())
    except OSError:
        key = str(Path(path).absolute())
    if unicode_text(key) != key:
        return "bytes:" + os.fsencode(key).hex()
    return key


def _parse_positions(data: Any) -> dict[str, Position]:
    """Positions from the loaded YAML; malformed entries are dropped."""
    result: dict[str, Position] = {}
    if not isinstance(data, dict):
        return result
    raw = data.get("positions")
    if not isinstance(raw, dict):
        return result
    for key, entry in raw.items():
        if not isinstance(key, str) or not isinstance(entry, dict):
            continue
        line, total = entry.get("line"), entry.get("total", 0)
        progress, updated = entry.get("progress", 0.0), entry.get("updated", 0.0)
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            continue
        total = total if isinstance(total, int) and not isinstance(total, bool) else 0
        progress = float(progress) if isinstance(progress, (int, float)) else 0.0
        updated = _timestamp(updated)
        row, rows = _count(entry.get("row"), 0), max(1, _count(entry.get("rows"), 1))
        result[key] = Position(
            line, max(0, total), min(1.0, max(0.0, progress)), updated, min(row, rows - 1), rows
        )
    return result


def _count(value: object, default: int) -> int:
    """A whole number of at least 0 from the file, or ``default``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return default


def _iso_time(seconds: float) -> str:
    """A timestamp as readable ISO 8601 text in UTC."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")


def _timestamp(value: object) -> float:
    """Seconds since the epoch from ISO 8601 text (or a number, as older files had)."""
    if isinstance(value, dt.datetime):
        when = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return when.timestamp()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            return 0.0
        return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp()
    return 0.0


class ReadingState:
    """The reading positions of all documents, loaded once and saved per change."""

    def __init__(self, path: Path | None = None) -> None:
        """Load positions from ``path`` (default: ``paths.state_file()``)."""
        self.path = Path(path) if path is not None else paths.state_file()
        self.warnings: list[str] = []
        """Problems met (corrupt file moved aside, unwritable folder), one line each."""
        self.positions: dict[str, Position] = self._read()

    def _read(self) -> dict[str, Position]:
        """Read the file; a corrupt one is moved aside and reported."""
        if not self.path.exists():
            return {}
        mirror = YamlMirror("state")  # the parsed file, kept as JSON: no PyYAML at start-up
        try:
            data = mirror.read(self.path)
        except YamlFileError as error:
            self._move_aside(str(error))
            return {}
        except OSError as error:
            self.warnings.append(f"{self.path}: {error.strerror or error}")
            return {}
        finally:
            mirror.save()
        if data is not None and not isinstance(data, dict):
            self._move_aside(f"{self.path}: expected a mapping at the top level")
            return {}
        return _parse_positions(data)

    def _move_aside(self, reason: str) -> None:
        """Keep a corrupt state file under another name and warn."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, target)
        except OSError as error:
            self.warnings.append(f"{reason}; could not move it aside: {error.strerror or error}")
            return
        self.warnings.append(f"{reason}; moved to {target.name}, reading positions start afresh")

    def position(self, document: Path) -> Position | None:
        """The remembered position of a document, if any."""
        return self.positions.get(document_key(document))

    def progress(self, document: Path) -> float | None:
        """The fraction read of a document, if it was opened before."""
        found = self.position(document)
        return found.progress if found else None

    def record(
        self, document: Path, line: int, total: int, progress: float, row: int = 0, rows: int = 1
    ) -> None:
        """Remember a position (top ``line``, its wrapped ``row`` of ``rows``) and save it.

        Piped input is not remembered: its file is gone once the reader closes.
        """
        if is_piped(document):
            return
        key = document_key(document)
        rows = max(1, int(rows))
        entry = Position(
            max(1, int(line)),
            max(0, int(total)),
            min(1.0, max(0.0, progress)),
            time.time(),
            min(max(0, int(row)), rows - 1),
            rows,
        )
        previous = self.positions.get(key)
        same = (entry.line, entry.total, entry.row, entry.rows)
        if previous and (previous.line, previous.total, previous.row, previous.rows) == same:
            return
        self.positions[key] = entry
        self._save(key, entry)

    def _save(self, key: str, entry: Position) -> None:
        """Re-read, merge one entry, write atomically; problems become warnings."""
        from filelock import FileLock, Timeout  # imported late: start-up time matters

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(self.path) + ".lock", timeout=2)
            with lock:
                current = self._read()
                current[key] = entry
                spooled = str(spool_dir().resolve()) + os.sep
                for stale in [name for name in current if name.startswith(spooled)]:
                    del current[stale]  # left by older versions: one per pipe
                if len(current) > MAX_ENTRIES:
                    newest = sorted(current.items(), key=lambda item: -item[1].updated)
                    current = dict(newest[:MAX_ENTRIES])
                self.positions = current
                data = self._to_data(current)
                written = atomic_write_text(self.path, dump_yaml(data))
                mirror = YamlMirror("state")  # the next start reads this, not the YAML
                mirror.record(self.path, data, written)
                mirror.save()
        except Timeout:
            self.warnings.append(f"{self.path}: locked by another tuireader; position not saved")
        except OSError as error:
            with contextlib.suppress(Exception):
                self.warnings.append(f"{self.path}: {error.strerror or error}")

    @staticmethod
    def _to_data(positions: dict[str, Position]) -> dict[str, Any]:
        """The YAML structure of the state file."""
        return {
            "version": STATE_VERSION,
            "positions": {
                key: {
                    "line": value.line,
                    **({"row": value.row, "rows": value.rows} if value.row else {}),
                    "total": value.total,
                    "progress": round(value.progress, 4),
                    "updated": _iso_time(value.updated),
                }
                for key, value in sorted(positions.items())
            },
        }
