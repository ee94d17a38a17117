"""``e``: the document in ``$VISUAL``/``$EDITOR`` at the line in view, then reloaded.

The app is suspended (``App.suspend``) while the editor runs in the terminal.
Served in a browser, or wherever the terminal cannot be handed over, ``e``
says so instead.  On return the document is opened again at the same line,
its search index is refreshed and its bookmarks are re-anchored.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported

from tuireader.core.sanitize import strip_control

DEFAULT_EDITOR = "vi"

Reload = Callable[[Path, int], None]
"""Reopens a document at a 1-based line after editing."""


def editor_command(path: Path, line: int, environ: dict[str, str] | None = None) -> list[str]:
    """The command line: ``$VISUAL`` or ``$EDITOR`` (or vi), ``+LINE``, the file."""
    env = os.environ if environ is None else environ
    editor = env.get("VISUAL") or env.get("EDITOR") or DEFAULT_EDITOR
    return [*shlex.split(editor), f"+{max(1, line)}", str(path)]


class EditorFlow:
    """Runs the user's editor on a document and reloads it afterwards."""

    def __init__(self, app: App[Any], reload: Reload) -> None:
        """Work for ``app``; ``reload`` opens the document again at a line."""
        self.app = app
        self.reload = reload

    def edit(self, path: Path, line: int) -> None:
        """Suspend the app, run the editor, then reload ``path`` (or say why not)."""
        if self.app.is_web:
            self.app.notify(
                "Editing is not possible in the browser: open the file in a terminal.",
                severity="warning",
                markup=False,
            )
            return
        command = editor_command(path, line)
        try:
            with self.app.suspend():
                result = subprocess.run(command, check=False)
        except SuspendNotSupported:
            self.app.notify(
                "Cannot hand the terminal to an editor here.", severity="warning", markup=False
            )
            return
        except OSError as error:
            self.app.notify(
                strip_control(f"Could not start {command[0]}: {error.strerror or error}"),
                severity="error",
                markup=False,
            )
            return
        if result.returncode != 0:
            self.app.notify(
                f"The editor exited with status {result.returncode}.", severity="warning"
            )
        self.reload(path, line)
