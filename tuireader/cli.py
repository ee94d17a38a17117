"""The ``tuireader`` command line: a thin shell over ``tuireader.core``.

``tuireader [PATH...]`` opens the reader (the UI is imported only then, so the
non-interactive commands start fast); ``tuireader list``, ``search``,
``bookmarks`` and ``themes`` call the core directly and print.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tuireader import __version__
from tuireader.core.config import Config, default_library_paths, load_config
from tuireader.core.library import load_library
from tuireader.core.sanitize import strip_control

EXIT_OK = 0
EXIT_NO_MATCH = 1
EXIT_USAGE = 2

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class UsageError(Exception):
    """Bad arguments or unusable input: one line on stderr and exit 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises ``UsageError`` instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Turn argparse's complaint into a ``UsageError``."""
        raise UsageError(message)


def safe(text: object) -> str:
    """Text safe to print on a terminal: control sequences removed."""
    return strip_control(str(text))


def warn(message: str) -> None:
    """Print a one-line warning on stderr."""
    print(f"tuireader: warning: {safe(message)}", file=sys.stderr)


def print_json(data: Any) -> None:
    """Print JSON, keeping Unicode readable but escaping characters that steer a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    print(_JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text))


def library_paths(given: Sequence[str], config: Config) -> list[Path]:
    """The paths named on the command line, or the default library."""
    if given:
        return [Path(path) for path in given]
    return default_library_paths(config)


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    """Options accepted both before and after a subcommand."""
    parser.add_argument(
        "--bookmarks", metavar="FILE", default=argparse.SUPPRESS, help="bookmarks file to use"
    )
    parser.add_argument(
        "--theme", metavar="NAME", default=argparse.SUPPRESS, help="theme to use"
    )


# ---------------------------------------------------------------- list


def _register_list(commands: Any) -> None:
    """``tuireader list [PATH...] [--json]``."""
    parser = commands.add_parser("list", help="list the documents of the library")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(handler=cmd_list)


def cmd_list(args: argparse.Namespace, config: Config) -> int:
    """Print one line (or JSON object) per document."""
    scan = load_library(library_paths(args.paths, config))
    for message in scan.warnings:
        warn(message)
    if args.paths and scan.usable_paths == 0:
        return EXIT_USAGE
    if args.json:
        print_json([document.to_json() for document in scan.documents])
        return EXIT_OK
    rows = [
        (
            safe(document.path),
            safe(document.title),
            document.date or "-",
            safe(document.category or "-"),
            f"{'~' if document.words_estimated else ''}{document.words}",
        )
        for document in scan.documents
    ]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4].rjust(7)]))
    return EXIT_OK


# ---------------------------------------------------------------- search


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def _register_search(commands: Any) -> None:
    """``tuireader search QUERY [PATH...] [--limit N] [--json]``."""
    parser = commands.add_parser(
        "search",
        help="find passages by a few words, even misspelled and out of order",
        description="Search the library (or the given files and folders) for passages.",
    )
    parser.add_argument("query", metavar="QUERY", help="words to look for")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    parser.add_argument("--limit", type=_positive_int, default=10, metavar="N",
                        help="show at most N hits (default 10)")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(handler=cmd_search)


def _search_progress() -> Callable[[Any], None] | None:
    """A progress printer for stderr, silent for the first second or when not a terminal."""
    if not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()
    shown = [False]

    def show(progress: Any) -> None:
        if progress.finished:
            if shown[0]:
                print("\r\x1b[K", end="", file=sys.stderr, flush=True)
            return
        if time.monotonic() - started < 1.0:
            return
        shown[0] = True
        print(
            f"\rindexing: {progress.documents_done}/{progress.documents_total} documents, "
            f"{progress.passages} passages\x1b[K",
            end="",
            file=sys.stderr,
            flush=True,
        )

    return show


def _marked(text: str, spans: Sequence[tuple[int, int]], tty: bool) -> str:
    """``text`` with the spans marked: bold on a terminal, else «between guillemets»."""
    start_mark, end_mark = ("\x1b[1m", "\x1b[22m") if tty else ("«", "»")
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        if start < position:
            continue
        pieces += [safe(text[position:start]), start_mark, safe(text[start:end]), end_mark]
        position = end
    pieces.append(safe(text[position:]))
    return "".join(pieces)


def _shown_path(path: Path) -> str:
    """A hit's path, relative to the current folder when inside it (like grep)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def cmd_search(args: argparse.Namespace, config: Config) -> int:
    """Print the best passages for the query, best first."""
    from tuireader.core.search import LibraryIndex, snippet

    if not args.query.strip():
        raise UsageError("search: the query is empty")
    index = LibraryIndex.build(library_paths(args.paths, config), progress=_search_progress())
    for message in index.warnings:
        warn(message)
    if args.paths and not index.documents and index.warnings:
        return EXIT_USAGE
    hits = index.search(args.query, args.limit)
    if args.json:
        print_json([hit.to_json() for hit in hits])
        return EXIT_OK if hits else EXIT_NO_MATCH
    tty = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    for hit in hits:
        text, spans = snippet(hit)
        print(f"{safe(_shown_path(hit.path))}:{hit.line}: {hit.score:.0f}: "
              f"{_marked(text, spans, tty)}")
    return EXIT_OK if hits else EXIT_NO_MATCH


# ---------------------------------------------------------------- the reader


def _ui_parser() -> argparse.ArgumentParser:
    """Parser for ``tuireader [OPTIONS] [PATH...]``, which opens the reader."""
    parser = _Parser(
        prog="tuireader",
        description=(
            "A calm terminal reader. With no PATH, opens the library (bundled seeds plus "
            "the folders in config.yaml); with a FILE, opens it in the reader. "
            "Subcommands: list, search, bookmarks, themes (see 'tuireader COMMAND --help')."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to read")
    parser.add_argument("--version", action="version", version=f"tuireader {__version__}")
    _add_global_options(parser)
    return parser


def run_reader(args: argparse.Namespace, config: Config) -> int:
    """Start the Textual app (imported only here)."""
    from tuireader.ui.app import run_app

    return run_app(args, config)


# ---------------------------------------------------------------- dispatch

Registrar = Callable[[Any], None]
REGISTRARS: list[Registrar] = [_register_list, _register_search]


def _command_parser() -> argparse.ArgumentParser:
    """Parser for the subcommands."""
    parser = _Parser(prog="tuireader")
    _add_global_options(parser)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for register in REGISTRARS:
        register(commands)
    for sub in commands.choices.values():
        _add_global_options(sub)
    return parser


def _command_names() -> set[str]:
    """Names of the subcommands."""
    return set(_command_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def _first_positional(argv: Sequence[str]) -> str | None:
    """The first word that is not an option or an option's value."""
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == "--":
            return None
        if word in ("--bookmarks", "--theme"):
            skip = True
            continue
        if word.startswith("-"):
            continue
        return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if _first_positional(argv) in _command_names():
            args = _command_parser().parse_args(argv)
        else:
            args = _ui_parser().parse_args(argv)
            args.handler = run_reader
        config = load_config()
        for message in config.warnings:
            warn(message)
        return int(args.handler(args, config))
    except UsageError as error:
        print(f"tuireader: {safe(error)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error for the user.
        sys.stderr.close()
        return EXIT_OK
