"""What a screen may ask of the app: the messages screens and dialogs post.

Screens never reach into the app (no ``getattr(self.app, ...)``) and never import
one another or the flows.  They post one of these messages; it bubbles from the
screen to the app, and the app (or the flow that owns the work, through the app)
handles it with ``@on``.  Each message names what is asked, with typed fields.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, dataclass_transform

from textual.message import Message

if TYPE_CHECKING:  # the store is imported on first use, not at start-up
    from tuireader.core.bookmarks.store import BookmarkStore

_M = TypeVar("_M", bound=type[Message])


@dataclass_transform()
def request(cls: _M) -> _M:
    """Give a message class a dataclass's ``__init__``, ``__eq__`` and ``__repr__`` (its fields).

    The fields are the class's annotated names, in order; a value assigned in
    the class body is the default.  ``dataclasses.dataclass`` would do the same
    but generates code with ``exec``, which costs start-up time for each class.
    """
    names = tuple(inspect.get_annotations(cls))
    defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}
    title = cls.__qualname__

    def __init__(self: Message, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{title}() takes {len(names)} arguments but {len(args)} were given")
        values = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in names or key in values:
                raise TypeError(f"{title}() got an unexpected or repeated argument {key!r}")
            values[key] = value
        for name in names:
            if name not in values and name not in defaults:
                raise TypeError(f"{title}() missing required argument: {name!r}")
            setattr(self, name, values[name] if name in values else defaults[name])
        Message.__init__(self)

    def __eq__(self: Message, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        mine = tuple(getattr(self, name) for name in names)
        return mine == tuple(getattr(other, name) for name in names)

    def __repr__(self: Message) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{title}({fields})"

    type.__setattr__(cls, "__init__", __init__)
    type.__setattr__(cls, "__eq__", __eq__)
    type.__setattr__(cls, "__repr__", __repr__)
    type.__setattr__(cls, "__hash__", None)  # equal by value and mutable, as a dataclass
    type.__setattr__(cls, "__match_args__", names)
    return cls


@request
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


@request
class OpenSearch(Message):
    """Open the search overlay: on ``document`` (``None``: the whole library)."""

    document: Path | None = None


@request
class StepHit(Message):
    """Go to the next (``direction`` 1) or previous (-1) hit of the last search."""

    direction: int = 1


@request
class MarkLine(Message):
    """Bookmark line ``line`` (1-based) of ``path``; ``text`` is that line as shown."""

    path: Path
    line: int
    text: str = ""


@request
class ShowBookmarks(Message):
    """List the bookmarks: of ``document``, or all of them when ``None``."""

    document: Path | None = None


@request
class DocumentClosed(Message):
    """The reader left ``path`` at ``line`` (1-based top line): remember the place."""

    path: Path
    line: int
    row: int = 0


@request
class LibraryScanned(Message):
    """The library's folder walk is over: these are its documents' paths."""

    paths: tuple[Path, ...]


@request
class BookmarksChanged(Message):
    """Bookmarks in ``store`` were deleted, restored or edited: redraw the gutter marks."""

    store: BookmarkStore


@request
class MarkRange(Message):
    """Highlight lines ``start``..``end`` (1-based, inclusive) of ``path``; ``text`` as shown."""

    path: Path
    start: int
    end: int
    text: str = ""


@request
class RecordJump(Message):
    """A jump leaves line ``line`` (1-based) of ``path``: remember it for going back."""

    path: Path
    line: int


@request
class StepJump(Message):
    """Go back (``direction`` -1) or forward (1) in the jump list, from ``path`` at ``line``."""

    direction: int
    path: Path
    line: int


@request
class EditDocument(Message):
    """Open ``path`` in the user's editor at 1-based ``line``, then reload it."""

    path: Path
    line: int


@request
class WidthToggled(Message):
    """The reader switched to the full width (``full``) or back: keep it for next time."""

    full: bool
