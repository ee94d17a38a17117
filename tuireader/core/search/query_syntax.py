"""The query language: plain words, "exact phrases", -exclusions and field filters.

``parse_query`` reads what a user typed into a ``ParsedQuery``:

* plain words: typo-tolerant, in any order (the default);
* ``"exact phrase"``: these words, together and in this order;
* ``-word`` or ``-"some phrase"``: passages holding it are left out;
* ``title:WORDS``, ``author:WORDS``: only documents whose title (author) has
  these words (a value with spaces is quoted: ``title:"war and peace"``);
* ``in:PATH-GLOB``: only documents whose path matches the glob
  (``in:*.md``, ``in:notes/*``; without a ``/`` it is matched on the file name);
* ``lang:CODE``: only documents in that language (``lang:de`` or ``lang:german``).

Nothing is ever an error: an unclosed quote, a lone ``-``, an empty or unknown
``field:`` is read as plain words, so a query typed key by key always means
something.  Several filters of one field are alternatives (``lang:en lang:de``);
filters of different fields must all hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FIELDS = ("title", "author", "in", "lang")
"""The filter fields, written ``FIELD:VALUE``."""

SYNTAX_HELP = (
    ("words", "passages with these words, in any order, typos and word forms allowed"),
    ('"exact phrase"', "these words together, in this order"),
    ('-word  -"a phrase"', "leave out passages holding it"),
    ("title:WORDS", 'only documents whose title has these words (quote spaces: title:"a b")'),
    ("author:WORDS", "only documents by this author"),
    ("in:PATH-GLOB", "only documents whose path matches (in:*.md, in:notes/*)"),
    ("lang:CODE", "only documents in this language (lang:de, lang:russian)"),
    ("CONSONANTS", "Korean words by their initial consonants: ㄷㅂㅇ finds 데비안"),
    ("/ in a document", "the same, but title:, author:, in: and lang: are ignored there"),
)
"""(syntax, meaning) rows for the help screen and ``tuireader search --help``."""


def search_parser_text() -> dict[str, Any]:
    """``tuireader search``'s help line, description and syntax (argparse keywords)."""
    import argparse

    return {
        "help": "find passages by a few words, even misspelled and out of order",
        "description": "Search the library (or the given files and folders) for passages.",
        "epilog": syntax_help(),
        "formatter_class": argparse.RawDescriptionHelpFormatter,
    }


def syntax_help() -> str:
    """The query syntax as a plain-text block (``tuireader search --help``)."""
    width = max(len(syntax) for syntax, _ in SYNTAX_HELP)
    rows = "\n".join(f"  {syntax:<{width}}  {meaning}" for syntax, meaning in SYNTAX_HELP)
    return (
        f"query syntax (parts combine; an unclosed quote is read as plain words):\n{rows}\n\n"
        "example: tuireader search '\"respected comrade\" -sorkin title:admiration'"
    )


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query read into its parts (texts as written; folding is the matcher's job)."""

    words: tuple[str, ...] = ()
    """Plain words, typo-tolerant and in any order."""
    phrases: tuple[str, ...] = ()
    """Exact phrases (their words together, in order)."""
    exclude: tuple[str, ...] = ()
    """Words or phrases whose passages are left out."""
    titles: tuple[str, ...] = ()
    """``title:`` values: the document's title must hold one of them."""
    authors: tuple[str, ...] = ()
    """``author:`` values: the document's author must hold one of them."""
    paths: tuple[str, ...] = ()
    """``in:`` globs: the document's path must match one of them."""
    languages: tuple[str, ...] = ()
    """``lang:`` values, lower-cased: the document's language must be one of them."""
    typing: bool = False
    """True when the query ends inside a plain word (the word being typed: a prefix)."""

    @property
    def text(self) -> str:
        """The words to look for: the plain words then the phrases' words."""
        return " ".join((*self.words, *self.phrases))

    @property
    def has_filters(self) -> bool:
        """Whether any document filter (title, author, in, lang) is given."""
        return bool(self.titles or self.authors or self.paths or self.languages)

    @property
    def filter_fields(self) -> list[str]:
        """The document filters given, as written before their values (``title:``...)."""
        given = (self.titles, self.authors, self.paths, self.languages)
        return [f"{name}:" for name, values in zip(FIELDS, given, strict=True) if values]

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to look for (exclusions and filters alone find nothing)."""
        return not self.text.strip()


def parse_query(query: str) -> ParsedQuery:
    """Read ``query`` into its parts; never raises (bad syntax becomes plain words)."""
    parts: dict[str, list[str]] = {
        "words": [],
        "phrases": [],
        "exclude": [],
        "title": [],
        "author": [],
        "in": [],
        "lang": [],
    }
    typing = False
    position = 0
    length = len(query)
    while position < length:
        if query[position].isspace():
            position += 1
            continue
        typing = False
        start = position
        negate = query[position] == "-" and position + 1 < length
        if negate:
            position += 1
        field, value_at = _field_at(query, position)
        if field is not None and not negate:
            position = value_at
        if position < length and query[position] == '"':
            close = query.find('"', position + 1)
            if close < 0:
                # An unclosed quote: the rest is plain words (and the field, if any).
                rest = query[start:].replace('"', " ").lstrip("-")
                parts["words"] += rest.split()
                typing = not query[-1].isspace()
                break
            value = " ".join(query[position + 1 : close].split())
            position = close + 1
            if not value:
                continue
            if negate:
                parts["exclude"].append(value)
            elif field is not None:
                parts[field].append(value)
            else:
                parts["phrases"].append(value)
            continue
        end = _token_end(query, position)
        value = query[position:end]
        position = end
        if negate and value and not value.startswith("-"):
            parts["exclude"].append(value)
        elif field is not None and value and not negate:
            parts[field].append(value.lower() if field == "lang" else value)
        else:
            plain = query[start:end].strip('-"')
            if plain:
                parts["words"].append(plain)
                typing = end >= length
    return ParsedQuery(
        words=tuple(parts["words"]),
        phrases=tuple(parts["phrases"]),
        exclude=tuple(parts["exclude"]),
        titles=tuple(parts["title"]),
        authors=tuple(parts["author"]),
        paths=tuple(parts["in"]),
        languages=tuple(parts["lang"]),
        typing=typing,
    )


def _field_at(query: str, position: int) -> tuple[str | None, int]:
    """The filter field at ``position`` (with a value after it) and where its value starts."""
    colon = query.find(":", position, position + 7)
    if colon < 0:
        return None, position
    field = query[position:colon].lower()
    if field not in FIELDS:
        return None, position
    value_at = colon + 1
    if value_at >= len(query) or query[value_at].isspace():
        return None, position
    return field, value_at


def _token_end(query: str, position: int) -> int:
    """Where the whitespace-separated token starting at ``position`` ends."""
    end = position
    while end < len(query) and not query[end].isspace():
        end += 1
    return end
