"""The web server: textual-serve's ``Server`` with a guard on every request and tidy tabs.

Imported only by ``tuireader serve`` (it needs the ``serve`` extra: aiohttp and
textual-serve). What it adds to textual-serve: the token / Host / Origin checks of
``tuireader.serve.security`` as aiohttp middleware; a page template of our own that
needs nothing from the internet; each tab's reader started without a shell
(``tuireader.serve.tabs``); and on Ctrl+C every tab's process ended before exit.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import WSCloseCode, web
from aiohttp.web_runner import GracefulExit
from textual_serve.server import Server, to_int

from tuireader.serve.options import ServeOptions
from tuireader.serve.security import Guard, url_with_token
from tuireader.serve.tabs import TabService

TEMPLATES = Path(__file__).with_name("templates")
STATICS = Path(textual_serve.__file__).with_name("static")
SHUTDOWN_TIMEOUT = 5.0
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger("tuireader.serve")


def forbidden(reason: str) -> web.HTTPForbidden:
    """A 403 with a one-line reason (never the token)."""
    return web.HTTPForbidden(text=f"403 Forbidden: {reason}\n")


class ReaderServer(Server):
    """textual-serve's server, guarded, serving one reader process per browser tab."""

    def __init__(self, options: ServeOptions) -> None:
        """Serve ``options.child_argv`` per tab on ``options.host``:``options.port``."""
        super().__init__(
            " ".join(options.child_argv),
            host=options.host,
            port=options.port,
            title=options.title,
            public_url=options.public_url,
            statics_path=STATICS,
            templates_path=TEMPLATES,
        )
        self.options = options
        self.guard = Guard(options.token, options.port, options.public_url)
        self.tabs: dict[web.WebSocketResponse, TabService] = {}

    # ------------------------------------------------------------ the app

    async def _make_app(self) -> web.Application:
        """The aiohttp application: guard middleware, our template, four routes."""
        app = web.Application(middlewares=[self._guard_middleware])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", STATICS, show_index=False, name="static"),
            ]
        )
        app.on_response_prepare.append(self._add_headers)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _guard_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse (403) a request without the token, for a foreign Host, or a foreign Origin."""
        guard = self.guard
        query_token = request.query.get("token")
        if not guard.token_ok(query_token, request.cookies.get(guard.cookie_name)):
            raise forbidden("open the URL printed by 'tuireader serve', with its token")
        if not guard.host_ok(request.host):
            raise forbidden("unknown host name")
        if request.headers.get("Upgrade", "").lower() == "websocket" and not guard.origin_ok(
            request.headers.get("Origin"), request.scheme, request.host
        ):
            raise forbidden("the page comes from another site")
        response = await handler(request)
        if guard.token is not None and query_token is not None and not response.prepared:
            response.set_cookie(
                guard.cookie_name, guard.token, httponly=True, samesite="Strict", path="/"
            )
        return response

    async def _add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        """No referrer (the token may be in the URL), no framing, no caching."""
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)

    # ------------------------------------------------------------ the page

    def _public_base(self, request: web.Request) -> str:
        """The URL browsers reach us by: ``--public-url``, else as this request came."""
        return self.options.public_url or f"{request.scheme}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page: our template, with the document's title and the websocket's URL."""
        base = self._public_base(request)
        scheme, rest = base.split(":", 1)
        context = {
            "title": self.title,
            "static_url": f"{base}/static/",
            "websocket_url": f"{'wss' if scheme == 'https' else 'ws'}:{rest}/ws",
            "font_size": min(max(to_int(request.query.get("fontsize", "16"), 16), 8), 48),
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    # ------------------------------------------------------------ the tabs

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: start a reader, relay its frames and the keys, end it when the tab goes."""
        if len(self.tabs) >= self.options.max_tabs:
            raise web.HTTPServiceUnavailable(text="too many tabs open: close one and reload\n")
        width = min(max(to_int(request.query.get("width", "80"), 80), 10), 1000)
        height = min(max(to_int(request.query.get("height", "24"), 24), 5), 500)
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        tab = TabService(
            self.options.child_argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.tabs[websocket] = tab
        try:
            await tab.start(width, height)
            await self._process_messages(websocket, tab)
        except (ValueError, TypeError, KeyError, IndexError, AssertionError) as error:
            log.warning("a tab sent a malformed message (%s); closing it", type(error).__name__)
        finally:
            await tab.stop()
            self.tabs.pop(websocket, None)
            await websocket.close()
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: end every tab's reader (asked, then killed), then close the websockets."""
        await asyncio.gather(*(tab.stop() for tab in list(self.tabs.values())))
        for websocket in list(self.tabs):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    def kill_tabs(self) -> None:
        """Last resort on the way out: kill any reader still running."""
        for tab in list(self.tabs.values()):
            tab.kill()

    # ------------------------------------------------------------ running

    def initialize_logging(self) -> None:
        """Warnings and errors only, on stderr, one line each (no request log)."""
        logging.basicConfig(
            level=logging.WARNING, format="tuireader serve: %(message)s", stream=sys.stderr
        )

    def announce(self, *_: object) -> None:
        """Once listening: print the URL to open (with its token when one is required)."""
        print(f"tuireader: serving {self.title!r} at {self.url()}  (Ctrl+C stops)", flush=True)

    def url(self) -> str:
        """The URL a person should open."""
        if self.options.public_url:
            base = self.options.public_url
        else:
            host = self.options.host
            if host in ("0.0.0.0", "::", ""):
                host = socket.gethostname()
            elif ":" in host:
                host = f"[{host}]"
            base = f"http://{host}:{self.options.port}"
        return url_with_token(base, self.options.token)

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM; every tab's reader is ended before this returns."""
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.add_signal_handler(signal.SIGINT, self.request_exit)
        loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                host=self.options.host,
                port=self.options.port,
                handle_signals=False,
                loop=loop,
                print=self.announce,
                access_log=None,
                shutdown_timeout=SHUTDOWN_TIMEOUT,
            )
        finally:
            self.kill_tabs()


def run(options: ServeOptions) -> int:
    """Serve ``options``; exit status 0 after Ctrl+C, 2 when the address cannot be used."""
    server = ReaderServer(options)
    try:
        server.serve()
    except (GracefulExit, KeyboardInterrupt):
        pass
    except OSError as error:
        print(
            f"tuireader: cannot listen on {options.host}:{options.port}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    return 0
