"""The bookmarks list's filter: which bookmarks match what the user typed, best first.

Typo-tolerant (rapidfuzz partial ratio) over a bookmark's title, note, snippet
and ``#tags``; no Textual, so it is tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from tuireader.core.bookmarks.schema import Bookmark

FILTER_CUTOFF = 70.0
"""Lowest rapidfuzz partial-ratio score (0-100) for a bookmark to pass the filter."""


def bookmark_haystack(bookmark: Bookmark) -> str:
    """The text the filter searches: title, note, snippet and tags (as ``#tag``)."""
    tags = " ".join(f"#{tag}" for tag in bookmark.tags)
    return f"{bookmark.title} {bookmark.note} {bookmark.snippet} {tags}"


def filter_bookmarks(bookmarks: Sequence[Bookmark], query: str) -> list[Bookmark]:
    """Bookmarks matching ``query`` (typo-tolerant), best first; all of them for no query.

    Equal scores keep the given order.
    """
    query = query.strip()
    if not query:
        return list(bookmarks)
    found = process.extract(
        query,
        [bookmark_haystack(b) for b in bookmarks],
        scorer=fuzz.partial_ratio,
        processor=utils.default_process,
        score_cutoff=FILTER_CUTOFF,
        limit=None,
    )
    found.sort(key=lambda hit: (-hit[1], hit[2]))
    return [bookmarks[index] for _, _, index in found]
