"""``tuireader bookmarks export``: the chosen format, to standard output or a file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tuireader.core.bookmarks.export import export_json_data, export_markdown
from tuireader.core.bookmarks.readwise import export_readwise
from tuireader.core.bookmarks.schema import Bookmark, BookmarkError
from tuireader.core.sanitize import safe_json, strip_control
from tuireader.core.storage import atomic_write_text

EXPORT_FORMATS = ("markdown", "json", "readwise")


def render_export(bookmarks: Sequence[Bookmark], fmt: str) -> str:
    """The export text in ``fmt`` (one of ``EXPORT_FORMATS``), control characters removed."""
    if fmt == "json":
        text = safe_json(export_json_data(bookmarks)) + "\n"
    elif fmt == "readwise":
        text = export_readwise(bookmarks)
    elif fmt == "markdown":
        text = export_markdown(bookmarks)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return strip_control(text)


def write_export(path: Path, text: str) -> None:
    """Write an export to ``path`` atomically; raises ``BookmarkError`` in one line."""
    target = Path(path).expanduser()
    try:
        atomic_write_text(target, text)
    except OSError as error:
        raise BookmarkError(f"{target}: {error.strerror or error}") from None


def export_to(bookmarks: Sequence[Bookmark], fmt: str, output: str | Path | None) -> str:
    """Export in ``fmt``: written to ``output`` when given (then ``""``), else returned."""
    text = render_export(bookmarks, fmt)
    if output is None:
        return text
    write_export(Path(output), text)
    return ""
