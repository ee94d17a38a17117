"""Making highlights: a range of lines stored with its quote, context and fingerprints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from tuireader.core.bookmarks.highlights import highlight_fields
from tuireader.core.bookmarks.identity import text_fingerprint
from tuireader.core.bookmarks.reanchor import fingerprint_file
from tuireader.core.bookmarks.schema import Bookmark, BookmarkError, normalise_path
from tuireader.core.bookmarks.store import BookmarkStore, now_iso, read_document_lines
from tuireader.core.bookmarks.tags import hashtags
from tuireader.core.piped import NOT_BOOKMARKABLE, is_piped
from tuireader.core.sanitize import strip_control
from tuireader.core.textload import DocumentError


def _title(path: Path) -> str:
    """The title the library shows for ``path`` (its name when unreadable)."""
    from tuireader.core.library import describe

    try:
        return describe(path).title
    except DocumentError:
        return path.name


def add_highlight(
    store: BookmarkStore,
    path: Path,
    start: int,
    end: int,
    *,
    note: str = "",
    tags: Iterable[str] = (),
    title: str | None = None,
    lines: Sequence[str] | None = None,
) -> Bookmark:
    """Highlight 1-based lines ``start``..``end`` of ``path`` with an optional note.

    ``lines`` may pass the document's current lines; ``#tags`` in the note become
    tags, as for bookmarks.  Raises ``BookmarkError`` for an unreadable or piped
    document or a range outside it or without text.
    """
    document = normalise_path(path)
    if is_piped(document):
        raise BookmarkError(NOT_BOOKMARKABLE)
    try:
        if lines is None:
            lines = read_document_lines(document)
        fingerprint = fingerprint_file(document)
        fields = highlight_fields(lines, start, end)
    except DocumentError as error:
        raise BookmarkError(str(error)) from None
    except ValueError as error:
        raise BookmarkError(f"{document}: {error}") from None
    given = [*tags, *hashtags(note)]
    words = [w for tag in given for w in strip_control(str(tag)).replace(",", " ").split()]
    template = Bookmark(
        id="",
        path=document,
        title=title if title is not None else _title(document),
        line=fields.line,
        end_line=fields.end_line,
        snippet=fields.snippet,
        quote=fields.quote,
        before=fields.before,
        after=fields.after,
        fingerprint=fingerprint,
        text_fingerprint=text_fingerprint(lines),
        note=strip_control(note).strip(),
        tags=tuple(dict.fromkeys(words)),
        created=now_iso(),
    )
    return store.append(template)
