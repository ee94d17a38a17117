"""Which documents a query's filters let through: ``title:``, ``author:``, ``in:``, ``lang:``.

A title or author filter holds when each of its words matches a word of the
document's title (author): the same word folded, or a longer word it begins
(``title:admir`` finds "Admiration"), or the same word with one typo in words
of five letters or more.  ``in:`` globs are matched, case-insensitively, on the
whole path when they hold a ``/`` (any leading folders allowed), else on the
file name.  ``lang:`` takes a code or a language name (``de``, ``german``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass

from tuireader.core.search.query_syntax import ParsedQuery
from tuireader.core.search.stemming import normalize_language
from tuireader.core.search.text import words


@dataclass(frozen=True, slots=True)
class DocFilter:
    """The document filters of one query, folded and ready to test."""

    titles: tuple[tuple[str, ...], ...] = ()
    authors: tuple[tuple[str, ...], ...] = ()
    paths: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query: ParsedQuery) -> DocFilter:
        """The filters of a parsed query."""
        return cls(
            titles=tuple(tuple(words(value)) for value in query.titles if words(value)),
            authors=tuple(tuple(words(value)) for value in query.authors if words(value)),
            paths=tuple(value.casefold() for value in query.paths),
            languages=tuple(normalize_language(value) or value for value in query.languages),
        )

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.titles or self.authors or self.paths or self.languages)

    def accepts(self, path: str, title: str, author: str, language: str) -> bool:
        """Whether a document with these details passes every filter."""
        if self.titles and not any(_has_words(title, wanted) for wanted in self.titles):
            return False
        if self.authors and not any(_has_words(author, wanted) for wanted in self.authors):
            return False
        if self.paths and not any(_path_matches(path, glob) for glob in self.paths):
            return False
        return not self.languages or language in self.languages


def _has_words(text: str, wanted: Sequence[str]) -> bool:
    """Whether every wanted (folded) word matches a word of ``text``."""
    from rapidfuzz.distance import OSA

    have = words(text)
    for want in wanted:
        if not any(
            word.startswith(want) or (len(want) >= 5 and OSA.distance(want, word) <= 1)
            for word in have
        ):
            return False
    return True


def _path_matches(path: str, glob: str) -> bool:
    """Whether a path matches an ``in:`` glob (see the module's docstring)."""
    path = path.casefold().replace("\\", "/")
    if "/" not in glob:
        return fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], glob)
    return fnmatch.fnmatchcase(path, glob) or fnmatch.fnmatchcase(path, "*/" + glob.lstrip("/"))
