"""What a screen may ask of the app: the messages screens and dialogs post.

Screens never reach into the app (no ``getattr(self.app, ...)``) and never import
one another or the flows.  They post one of these messages; it bubbles from the
screen to the app, and the app (or the flow that owns the work, through the app)
handles it with ``@on``.  Each message names what is asked, with typed fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the store is imported on first use, not at start-up
    from tuireader.core.bookmarks.store import BookmarkStore


@dataclass
class OpenDocument(Message):
    """Show ``path`` in the reader.

    ``line`` is 1-based (``None``: the remembered place); ``highlight`` an inclusive
    1-based line range to mark; ``words`` the matched words to style inside it;
    ``notice`` a message to show once the document is open; ``hit`` the search
    hit shown, ``(k, total)``, for the reader's status line.
    """

    path: Path
    line: int | None = None
    highlight: tuple[int, int] | None = None
    words: tuple[str, ...] = ()
    notice: str | None = None
    hit: tuple[int, int] | None = None


@dataclass
class OpenSearch(Message):
    """Open the search overlay: on ``document`` (``None``: the whole library)."""

    document: Path | None = None


@dataclass
class StepHit(Message):
    """Go to the next (``direction`` 1) or previous (-1) hit of the last search."""

    direction: int = 1


@dataclass
class MarkLine(Message):
    """Bookmark line ``line`` (1-based) of ``path``; ``text`` is that line as shown."""

    path: Path
    line: int
    text: str = ""


@dataclass
class ShowBookmarks(Message):
    """List the bookmarks: of ``document``, or all of them when ``None``."""

    document: Path | None = None


@dataclass
class DocumentClosed(Message):
    """The reader left ``path`` at ``line`` (1-based top line): remember the place."""

    path: Path
    line: int
    row: int = 0


@dataclass
class LibraryScanned(Message):
    """The library's folder walk is over: these are its documents' paths."""

    paths: tuple[Path, ...]


@dataclass
class BookmarksChanged(Message):
    """Bookmarks in ``store`` were deleted, restored or edited: redraw the gutter marks."""

    store: BookmarkStore


@dataclass
class WidthToggled(Message):
    """The reader switched to the full width (``full``) or back: keep it for next time."""

    full: bool
