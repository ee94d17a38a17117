"""Going back and forward through jumps (Backspace/H/Ctrl+O back, L forward), across documents.

The reader reports each jump (a link, a search hit, g/G, the contents, a line
number) with ``RecordJump``; the app records the place left when it opens
another document from a reader.  ``StepJump`` moves through the list.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from textual.app import App

from tuireader.core.jumplist import JumpList, Place
from tuireader.core.paths import same_file
from tuireader.ui.screens.reader import ReaderScreen

Opener = Callable[[Path, int], None]
"""Opens a document at a 1-based line (the app's ``open_document``)."""


class NavigationFlow:
    """The app's jump list and the moves through it."""

    def __init__(self, app: App[Any], open_document: Opener) -> None:
        """Work for ``app``; ``open_document`` opens another document at a line."""
        self.app = app
        self.open_document = open_document
        self.jumps = JumpList()
        self.moving = False
        """True while going back or forward (those moves are not recorded)."""

    def record(self, path: Path, line: int) -> None:
        """A jump left ``line`` of ``path``."""
        if not self.moving:
            self.jumps.record(Place(Path(path), line))

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Record no jump meanwhile (going back or forward, reloading)."""
        self.moving = True
        try:
            yield
        finally:
            self.moving = False

    def step(self, direction: int, path: Path, line: int) -> None:
        """Go back (-1) or forward (1) from ``line`` of ``path``."""
        here = Place(Path(path), line)
        place = self.jumps.back(here) if direction < 0 else self.jumps.forward(here)
        if place is None:
            word = "back" if direction < 0 else "forward"
            self.app.notify(f"Nothing to go {word} to.", timeout=2, markup=False)
            return
        screen = self.app.screen
        with self.paused():
            if isinstance(screen, ReaderScreen) and same_file(screen.document.path, place.path):
                screen.return_to(place.line)
            else:
                self.open_document(place.path, place.line)
