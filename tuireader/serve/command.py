"""The ``serve`` subcommand's arguments, and the checks made before any web server is imported.

``tuireader serve [PATH...] [--host H] [--port P] [--token T] [--public-url URL]``
serves the reader in browser tabs; it needs the optional extra ``serve``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tuireader.serve.options import ServeOptions

EXIT_USAGE = 2
INSTALL_HINT = "tuireader serve needs the web server: pip install 'tuireader[serve]'"
DEFAULT_TITLE = "tuireader"
MAX_TITLE = 120


def _port(text: str) -> int:
    """An argparse type: a TCP port."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text}")
    return value


def _count(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {text!r}")
    return int(text)


def register_serve(commands: Any) -> None:
    """``tuireader serve [PATH...] [--host H] [--port P] [--token T] [--public-url URL]``."""
    parser = commands.add_parser(
        "serve",
        help="read the library in a browser tab (needs the 'serve' extra)",
        description=(
            "Serve the reader to web browsers: each tab runs its own reader. Bound to "
            "127.0.0.1 by default; any other --host requires a token (generated and "
            "printed in the URL unless --token gives one)."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to read")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (8000)")
    parser.add_argument("--token", default=None, help="the token every request must carry")
    parser.add_argument(
        "--public-url", default=None, metavar="URL", help="the URL browsers use (behind a proxy)"
    )
    parser.add_argument(
        "--max-tabs", type=_count, default=8, metavar="N", help="tabs open at once (8)"
    )
    parser.set_defaults(handler=cmd_serve)


def _fail(message: str) -> int:
    """One line on stderr; the usage exit status."""
    from tuireader.core.sanitize import strip_control

    print(f"tuireader: {strip_control(message)}", file=sys.stderr)
    return EXIT_USAGE


def page_title(paths: list[Path]) -> str:
    """The browser tab's title: the document's own title when serving one file."""
    from tuireader.core.library import describe
    from tuireader.core.sanitize import strip_control
    from tuireader.core.textload import DocumentError

    if len(paths) != 1 or paths[0].is_dir():
        return DEFAULT_TITLE
    try:
        title = describe(paths[0]).title
    except (DocumentError, OSError):
        return DEFAULT_TITLE
    title = " ".join(strip_control(title).split())[:MAX_TITLE]
    return f"{title} · {DEFAULT_TITLE}" if title else DEFAULT_TITLE


def build_options(args: argparse.Namespace) -> ServeOptions:
    """Check the arguments and decide the token; raises ``ValueError`` with one line."""
    from tuireader.core.library import describe
    from tuireader.core.textload import DocumentError
    from tuireader.serve.security import choose_token

    paths = [Path(path).expanduser().absolute() for path in args.paths]
    if paths and not any(path.exists() for path in paths):
        raise ValueError(f"{paths[0]}: no such file or directory")
    if len(paths) == 1 and not paths[0].is_dir():
        try:
            describe(paths[0])
        except DocumentError as error:
            raise ValueError(str(error)) from None
    if args.public_url is not None and not args.public_url.startswith(("http://", "https://")):
        raise ValueError("--public-url must start with http:// or https://")
    if args.token is not None and len(args.token) < 8:
        raise ValueError("--token must be at least 8 characters long")
    child = [sys.executable, "-m", "tuireader"]
    for option in ("theme", "bookmarks"):
        value = getattr(args, option, None)
        if value is not None:
            child += [f"--{option}", str(value)]
    child += ["--", *map(str, paths)] if paths else []
    return ServeOptions(
        host=args.host,
        port=args.port,
        token=choose_token(args.host, args.token),
        public_url=args.public_url.rstrip("/") if args.public_url else None,
        max_tabs=args.max_tabs,
        title=page_title(paths),
        child_argv=child,
    )


def cmd_serve(args: argparse.Namespace, config: Any) -> int:
    """Serve until Ctrl+C; without the ``serve`` extra, say how to install it (exit 2)."""
    try:
        import tuireader.serve.server as server
    except ImportError:
        return _fail(INSTALL_HINT)
    try:
        options = build_options(args)
    except ValueError as error:
        return _fail(str(error))
    return server.run(options)
