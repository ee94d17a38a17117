"""``#tags`` written in a bookmark's note become the bookmark's tags.

``Call the #harbour office #urgent`` tags the mark ``harbour`` and ``urgent``.
A tag needs a letter (``#12`` stays text: it is a number, not a tag).  When a
note is edited, the tags its old text named and the new text drops are
removed; tags given otherwise (``bookmarks add --tag``) stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_HASHTAG = re.compile(r"(?<![\w#&])#([^\W\d_][\w-]*|\d[\w-]*[^\W\d_][\w-]*)")


def hashtags(note: str) -> list[str]:
    """The ``#tags`` of a note, in order, without the ``#``, each once."""
    found: list[str] = []
    for match in _HASHTAG.finditer(note):
        tag = match.group(1).rstrip("-")
        if tag and tag not in found:
            found.append(tag)
    return found


def retag(tags: Iterable[str], old_note: str, new_note: str) -> list[str]:
    """The tags after a note changed from ``old_note`` to ``new_note``."""
    dropped = set(hashtags(old_note)) - set(hashtags(new_note))
    kept = [tag for tag in tags if tag not in dropped]
    return kept + [tag for tag in hashtags(new_note) if tag not in kept]
