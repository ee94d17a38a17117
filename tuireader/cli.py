"""The ``tuireader`` command line: a thin shell over ``tuireader.core``.

``tuireader [PATH...]`` opens the reader (the UI is imported only then, so the
non-interactive commands start fast); ``tuireader list``, ``search``,
``bookmarks`` and ``themes`` call the core directly and print.  Each command
imports what it needs when it runs (tests/unit/test_startup_imports.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from tuireader.cli_errors import UsageError
from tuireader.core.collector import pause_collector, resume_collector
from tuireader.core.config import Config, default_library_paths, load_config
from tuireader.core.sanitize import display_cells, display_lines, display_text, safe_json

if TYPE_CHECKING:
    import argparse

    from tuireader.core.models import Document

EXIT_OK = 0
EXIT_NO_MATCH = 1
EXIT_USAGE = 2


def safe(text: object) -> str:
    """Outside text as one printable line: control characters shown as visible escapes."""
    return display_text(text)


def warn(message: str) -> None:
    """Print a one-line warning on stderr."""
    print(f"tuireader: warning: {safe(message)}", file=sys.stderr)


def print_json(data: Any) -> None:
    """Print JSON that is valid UTF-8 and cannot steer a terminal (see ``safe_json``)."""
    print(safe_json(data))


def library_paths(given: Sequence[str], config: Config) -> list[Path]:
    """The paths named on the command line, or the default library."""
    if given:
        return [Path(path) for path in given]
    return default_library_paths(config)


# ---------------------------------------------------------------- list


def _register_list(commands: Any) -> None:
    """``tuireader list [PATH...] [--json]``."""
    parser = commands.add_parser("list", help="list the documents of the library")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(handler=cmd_list)


def cmd_list(args: argparse.Namespace, config: Config) -> int:
    """Print one line (or JSON object) per document."""
    from tuireader.core.library import load_library

    scan = load_library(library_paths(args.paths, config), use_cache=True)
    for message in scan.warnings:
        warn(message)
    if args.paths and scan.usable_paths == 0:
        return EXIT_USAGE
    if args.json:
        print_json([document.to_json() for document in scan.documents])
        return EXIT_OK
    rows = [_list_row(document) for document in scan.documents]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(4)]
    lines = [
        f"{row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2].ljust(widths[2])}  "
        f"{row[3].ljust(widths[3])}  {row[4].rjust(7)}"
        for row in rows
    ]
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")  # one write: 10,000 prints cost more
    return EXIT_OK


def _list_row(document: Document) -> tuple[str, ...]:
    """The cells of ``list``'s line for a document: path, title, date, category, words."""
    cells = display_cells(str(document.path), document.title, document.date or "-",
                          document.category or "-")
    return (*cells, f"{'~' if document.words_estimated else ''}{document.words}")


# ---------------------------------------------------------------- themes


def _register_themes(commands: Any) -> None:
    """``tuireader themes [--json] [--contrast]``."""
    parser = commands.add_parser(
        "themes", help="list the themes (shipped and your own) and where each comes from"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument(
        "--contrast", action="store_true", help="also show WCAG contrast ratios of the page colours"
    )
    parser.set_defaults(handler=cmd_themes)


def cmd_themes(args: argparse.Namespace, config: Config) -> int:
    """List the themes; bad theme files are reported on stderr, one line each."""
    from tuireader.core.themes import choose_theme, contrast_failures, contrast_report, load_themes

    themes = load_themes()
    for message in themes.problems:
        warn(message)
    current, _ = choose_theme(getattr(args, "theme", None), config.theme, themes.names())
    if args.json:
        rows = []
        for spec in themes.themes.values():
            row = spec.to_json()
            row["current"] = spec.name == current
            if args.contrast:
                row["contrast"] = contrast_report(spec)
            rows.append(row)
        print_json(rows)
        return EXIT_OK
    width = max((len(name) for name in themes.names()), default=0)
    for spec in themes.themes.values():
        kind = "ansi" if spec.ansi else ("dark" if spec.dark else "light")
        where = f"{spec.origin:7}  {safe(spec.path)}"
        if spec.overrides:
            where += f"  (replaces {safe(spec.overrides)})"
        mark = "*" if spec.name == current else " "
        print(f"{mark} {safe(spec.name).ljust(width)}  {kind:5}  {where}")
        if args.contrast:
            report = contrast_report(spec)
            if report:
                low = contrast_failures(spec)
                figures = ", ".join(f"{pair} {ratio}" for pair, ratio in report.items())
                print(f"    contrast: {figures}{'  LOW: ' + '; '.join(low) if low else ''}")
            else:
                print("    contrast: set by your terminal's palette (ANSI colours)")
    return EXIT_OK


# ---------------------------------------------------------------- bookmarks


def _register_bookmarks(commands: Any) -> None:
    """``tuireader bookmarks [--bookmarks FILE] list|add|remove|relocate|export|merge|check``."""
    from tuireader.cli_bookmarks import add_bookmarks_parser
    from tuireader.cli_parsers import Parser, add_global_options

    parser = add_bookmarks_parser(commands, Parser, add_global_options)
    parser.set_defaults(handler=cmd_bookmarks)


def cmd_bookmarks(args: argparse.Namespace, config: Config) -> int:
    """Run a ``bookmarks`` action; a bad file or bad arguments exit 2 with one line."""
    from tuireader.core.bookmarks.check import check_bookmarks
    from tuireader.core.bookmarks.merge import merge_file
    from tuireader.core.bookmarks.output import export_to
    from tuireader.core.bookmarks.store import BookmarkError, BookmarkStore, resolve_bookmarks_file

    given = getattr(args, "bookmarks", None)
    store = BookmarkStore(resolve_bookmarks_file(given, config.bookmarks))
    if store.error:
        raise UsageError(store.error)
    action = args.bookmarks_action
    try:
        if action in ("add", "remove", "relocate"):
            if action == "add":
                bookmark = store.add(Path(args.path), args.line, note=args.note, tags=args.tag)
            elif action == "remove":
                bookmark = store.remove(args.id)
            else:
                bookmark = store.relocate(args.id, Path(args.path))
            if args.json:
                print_json(bookmark.to_json())
            else:
                done = "removed " if action == "remove" else ""
                print(f"{done}{safe(bookmark.id)}  {safe(bookmark.path)}:{bookmark.line}")
        elif action == "check" and args.json:
            print_json([result.to_json() for result in check_bookmarks(store, args.fix)])
        elif action == "check":
            for result in check_bookmarks(store, args.fix):
                print(safe(result.summary()))
        elif action == "merge":
            print(safe(f"{args.other}: {merge_file(store, Path(args.other)).summary()}"))
        elif action == "export":
            fmt = "json" if args.json else args.format
            sys.stdout.write(display_lines(export_to(store.list(), fmt, args.output)))
        elif args.json:
            print_json([bookmark.to_json() for bookmark in store.list()])
        else:
            for bookmark in store.list():
                about = " ".join((bookmark.note or bookmark.snippet).split())
                tags = f"  [{', '.join(bookmark.tags)}]" if bookmark.tags else ""
                title = " ".join(bookmark.title.split())
                lines = f"{bookmark.line}" + (f"-{bookmark.end_line}" if bookmark.end_line else "")
                print(safe(f"{bookmark.id}  {title}:{lines}  {about}{tags}"))
    except BookmarkError as error:
        raise UsageError(str(error)) from None
    return EXIT_OK


# ---------------------------------------------------------------- search


def _register_search(commands: Any) -> None:
    """``tuireader search QUERY [PATH...] [--limit N] [--json]``."""
    from tuireader.cli_parsers import positive_int
    from tuireader.core.search.query_syntax import search_parser_text

    parser = commands.add_parser("search", **search_parser_text())
    parser.add_argument("query", metavar="QUERY", help="words to look for (syntax below)")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    limit = "show at most N hits (default 10)"
    parser.add_argument("--limit", type=positive_int, default=10, metavar="N", help=limit)
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
    from tuireader.core.search.hits import snippet
    from tuireader.core.search.index import SearchIndex

    if not args.query.strip():
        raise UsageError("search: the query is empty")
    index = SearchIndex.build(library_paths(args.paths, config), progress=_search_progress())
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
        chapter = f"[{safe(hit.chapter)}] " if hit.chapter else ""
        print(
            f"{safe(_shown_path(hit.path))}:{hit.match_line}: {hit.score:.0f}: "
            f"{chapter}{_marked(text, spans, tty)}"
        )
    return EXIT_OK if hits else EXIT_NO_MATCH


# ---------------------------------------------------------------- the reader


def _ui_parser() -> argparse.ArgumentParser:
    """Parser for ``tuireader [OPTIONS] [PATH...]``, which opens the reader."""
    from tuireader.cli_parsers import ui_parser

    return ui_parser()


def _spool_stdin() -> Path:
    """Copy piped standard input to a file in the cache, then take keys from the terminal.

    This is what ``less`` does for ``command | less``: the text arrives on fd 0,
    so once it is saved, fd 0 is pointed at ``/dev/tty`` for the keyboard.
    """
    from tuireader.core.piped import spool

    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise UsageError(
            "standard input is not a terminal, and there is no terminal to read keys from"
        ) from None
    target = spool(sys.stdin.buffer)
    os.dup2(tty, 0)
    os.close(tty)
    return target


def _check_reader_paths(given: Sequence[str]) -> None:
    """Refuse, with one line, paths the reader could show nothing for."""
    paths = [Path(path).expanduser() for path in given]
    if len(paths) == 1 and not paths[0].is_dir():
        from tuireader.core.library import describe
        from tuireader.core.textload import DocumentError

        try:
            describe(paths[0].absolute())
        except DocumentError as error:
            raise UsageError(str(error)) from None
    elif paths and not any(path.exists() for path in paths):
        raise UsageError(f"{paths[0]}: no such file or directory")


def run_reader(args: argparse.Namespace, config: Config) -> int:
    """Start the Textual app (imported only here); it draws on stderr, which must be a terminal."""
    from tuireader.serve.mode import enter_served_mode

    _check_reader_paths(args.paths)
    served = enter_served_mode()  # in a browser tab (tuireader serve): no terminal needed
    if not served and not sys.stderr.isatty():
        raise UsageError(
            "the reader needs a terminal; in scripts use 'tuireader list' or 'tuireader search'"
        )
    spooled: Path | None = None
    if not served and not sys.stdin.isatty():
        if args.paths:
            raise UsageError("standard input is not a terminal: cannot read keys")
        spooled = _spool_stdin()
        args.paths = [str(spooled)]
    from tuireader.ui.app import run_app

    try:
        return run_app(args, config)
    finally:
        if spooled is not None:
            from tuireader.core.piped import discard

            discard(spooled)


# ---------------------------------------------------------------- dispatch


def _register_serve(commands: Any) -> None:
    """``tuireader serve ...`` (its arguments live with the server's code)."""
    from tuireader.serve.command import register_serve

    register_serve(commands)


Registrar = Callable[[Any], None]
REGISTRARS: dict[str, Registrar] = {
    "list": _register_list,
    "search": _register_search,
    "bookmarks": _register_bookmarks,
    "themes": _register_themes,
    "serve": _register_serve,
}


def _command_parser(only: str | None = None) -> tuple[argparse.ArgumentParser, set[str]]:
    """Parser for the subcommands (or just ``only``, the one run), and their names."""
    from tuireader.cli_parsers import command_parser

    return command_parser(REGISTRARS, only)


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
    if argv is None:  # this process's own command line (not a caller's): start-up time counts
        pause_collector()  # until the command is under way (core/collector.py)
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        command = _first_positional(argv)
        if command in REGISTRARS:
            parser, _ = _command_parser(command)  # the others' parsers are not needed
            args, extra = parser.parse_known_args(argv)
            if extra:
                # argparse stops filling PATH... after an option ('search Q --json DIR').
                if not isinstance(getattr(args, "paths", None), list) or any(
                    word.startswith("-") for word in extra
                ):
                    raise UsageError(f"unrecognized arguments: {' '.join(extra)}")
                args.paths += extra
        elif any(word.startswith("-") for word in argv):
            args = _ui_parser().parse_args(argv)
            args.handler = run_reader
        else:  # 'tuireader [PATH...]' reads as argparse would, without loading it
            args = cast("argparse.Namespace", SimpleNamespace(paths=argv, handler=run_reader))
        if args.handler not in (run_reader, cmd_list):  # list: brief, makes no cycles;
            resume_collector()  # the reader resumes it after its first paint
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
    finally:
        resume_collector()
