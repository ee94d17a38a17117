"""The command line's argparse parsers (imported only when a command, an option or help needs one).

``tuireader [PATH...]`` with no options, the usual way to open the reader, is
read without them: start-up time counts (tests/unit/test_startup_imports.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import Any

from tuireader import __version__
from tuireader.cli_errors import UsageError


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises ``UsageError`` instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Turn argparse's complaint into a ``UsageError``."""
        raise UsageError(message)


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """Options accepted both before and after a subcommand."""
    parser.add_argument(
        "--bookmarks", metavar="FILE", default=argparse.SUPPRESS, help="bookmarks file to use"
    )
    parser.add_argument("--theme", metavar="NAME", default=argparse.SUPPRESS, help="theme to use")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def ui_parser() -> argparse.ArgumentParser:
    """Parser for ``tuireader [OPTIONS] [PATH...]``, which opens the reader."""
    parser = Parser(
        prog="tuireader",
        description=(
            "A calm terminal reader. With no PATH, opens the library (bundled seeds plus "
            "the folders in config.yaml); with a FILE, opens it in the reader. "
            "Subcommands: list, search, bookmarks, themes, serve (see 'tuireader COMMAND --help')."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to read")
    parser.add_argument("--version", action="version", version=f"tuireader {__version__}")
    add_global_options(parser)
    return parser


def command_parser(
    registrars: Mapping[str, Callable[[Any], None]], only: str | None = None
) -> tuple[argparse.ArgumentParser, set[str]]:
    """Parser for the subcommands (or just ``only``, the one run), and their names."""
    parser = Parser(prog="tuireader")
    add_global_options(parser)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name, register in registrars.items():
        if only is None or name == only:
            register(commands)
    for sub in commands.choices.values():
        add_global_options(sub)
    return parser, set(commands.choices)
