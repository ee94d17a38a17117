"""The library's folder walk, started by the command line before the UI is imported.

Importing and starting the UI takes a few hundred milliseconds; the walk and
the metadata-cache lookups of the library run meanwhile in a thread (their
waits on the disk release the GIL), so the library screen finds its first rows
ready when it mounts and can show them in its first frame.  The screen claims
the scan (for the same paths) and reads the documents in the order the walk
found them: the same rows, order and warnings as a scan the screen starts
itself (``scan_paths`` with the user's metadata cache, which it saves at the end).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.core.config import Config, default_library_paths

if TYPE_CHECKING:
    from tuireader.core.models import Document

_WAIT_STEP = 0.05
"""How often (seconds) a reader waiting for the walk checks whether it was cancelled."""


class EarlyScan:
    """``scan_paths(paths, cache=MetadataCache())`` in a thread, read while it runs."""

    def __init__(self, paths: Sequence[Path]) -> None:
        """Scan ``paths`` (call ``start``)."""
        self.paths = list(paths)
        self.warnings: list[str] = []
        """The walk's warnings (complete once ``documents`` has ended)."""
        self._found: list[Document] = []
        self._done = False
        self._cancelled = False
        self._error: BaseException | None = None
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="tuireader-early-scan", daemon=True)

    def start(self) -> EarlyScan:
        """Start the walk in its thread; returns ``self``."""
        self._thread.start()
        return self

    def _run(self) -> None:
        """The walk (in its thread): every document found is appended at once."""
        try:
            from tuireader.core.library import scan_paths
            from tuireader.core.metadata_cache import MetadataCache

            for document in scan_paths(self.paths, self.warnings.append, cache=MetadataCache()):
                with self._changed:
                    if self._cancelled:
                        return
                    self._found.append(document)
                    self._changed.notify_all()
        except BaseException as error:  # handed to the reader, as a worker's scan would raise
            self._error = error
        finally:
            with self._changed:
                self._done = True
                self._changed.notify_all()

    def ready(self, limit: int) -> list[Document]:
        """The first documents found so far (at most ``limit``), without waiting."""
        with self._changed:
            return self._found[:limit]

    def documents(self, start: int, cancelled: Callable[[], bool]) -> Iterator[Document]:
        """The documents from the ``start``-th on, as the walk finds them (until ``cancelled``)."""
        given = start
        while True:
            with self._changed:
                while given >= len(self._found) and not self._done:
                    if cancelled():
                        self.cancel()
                        return
                    self._changed.wait(_WAIT_STEP)
                fresh, done = self._found[given:], self._done
            given += len(fresh)
            yield from fresh
            if done and given >= len(self._found):
                if self._error is not None:
                    raise self._error
                return

    def cancel(self) -> None:
        """Stop the walk at the next document (the cache is then not saved)."""
        with self._changed:
            self._cancelled = True


_pending: EarlyScan | None = None
_lock = threading.Lock()


def start_early_scan(paths: Sequence[Path]) -> None:
    """Start scanning the library of ``paths`` for the library screen to claim."""
    global _pending
    with _lock:
        if _pending is not None:
            _pending.cancel()
        _pending = EarlyScan(paths).start()


def start_for_command_line(given: Sequence[str], config: Config) -> None:
    """``tuireader [PATH...]``: start the walk when the library will show (not for one file).

    The paths are the ones ``run_app`` gives the library screen.
    """
    paths = [Path(path).expanduser() for path in given]
    if len(paths) == 1 and not paths[0].is_dir():
        return
    start_early_scan(paths or default_library_paths(config))


def claim_early_scan(paths: Sequence[Path]) -> EarlyScan | None:
    """The scan started for exactly ``paths``, once (``None`` if there is none)."""
    global _pending
    with _lock:
        scan, _pending = _pending, None
    if scan is not None and scan.paths != list(paths):
        scan.cancel()
        return None
    return scan
