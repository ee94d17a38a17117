"""The ``tuireader bookmarks`` command line: its actions and their arguments (argparse only)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

EXPORT_FORMATS = ("markdown", "json", "readwise")
"""``--format`` choices (``core/bookmarks/output.py`` renders each; not imported at start-up)."""


def add_bookmarks_parser(
    commands: Any,
    parser_class: type[argparse.ArgumentParser],
    add_options: Callable[[argparse.ArgumentParser], None],
) -> argparse.ArgumentParser:
    """Add ``bookmarks`` and its actions to ``commands``; each action also takes ``add_options``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "bookmarks", help="list, add, remove or export bookmarks"
    )
    actions = parser.add_subparsers(
        dest="bookmarks_action", required=True, parser_class=parser_class
    )
    listing = actions.add_parser("list", help="list bookmarks")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    add = actions.add_parser("add", help="bookmark a line of a document")
    add.add_argument("path", metavar="PATH", help="the document")
    add.add_argument("line", metavar="LINE", type=int, help="1-based line number")
    add.add_argument("--note", default="", metavar="TEXT", help="a note to keep with the mark")
    add.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeatable)")
    remove = actions.add_parser("remove", help="delete a bookmark")
    remove.add_argument("id", metavar="ID", help="the bookmark's id (see 'list')")
    relocate = actions.add_parser("relocate", help="point a bookmark at a moved document")
    relocate.add_argument("id", metavar="ID", help="the bookmark's id")
    relocate.add_argument("path", metavar="PATH", help="the document's new path")
    export = actions.add_parser("export", help="export as Markdown, JSON or a Readwise CSV")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="markdown")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    merge = actions.add_parser("merge", help="merge another bookmarks file into this one")
    merge.add_argument("other", metavar="OTHER", help="the other file (e.g. a sync conflict copy)")
    check = actions.add_parser("check", help="find each bookmark again: same/moved/uncertain/gone")
    check.add_argument("--json", action="store_true", help="print a JSON list")
    check.add_argument("--fix", action="store_true", help="save confident moves (only those)")
    for sub in actions.choices.values():
        add_options(sub)
        if "--json" not in sub._option_string_actions:
            sub.add_argument("--json", action="store_true", help="print JSON")
    return parser
