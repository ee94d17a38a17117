"""``tuireader serve`` over HTTP and websockets, as a browser talks to it (aiohttp client)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="needs the 'serve' extra")
import aiohttp
from serve_harness import (
    SEED_ARTICLE,
    SEED_TITLE,
    Tab,
    alive,
    children_of,
    serving,
    ws_url,
)

from tuireader.core.bookmarks.store import BookmarkStore, resolve_bookmarks_file

pytestmark = pytest.mark.timeout(60)


def _cookie_jar() -> aiohttp.CookieJar:
    """A cookie jar that keeps cookies from IP addresses, as browsers do."""
    return aiohttp.CookieJar(unsafe=True)


async def _status_of_upgrade(url: str, **kwargs: object) -> int:
    """The HTTP status a websocket upgrade gets (101 when it is accepted)."""
    async with aiohttp.ClientSession() as http:
        try:
            async with http.ws_connect(url, **kwargs) as websocket:  # type: ignore[arg-type]
                await websocket.close()
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


async def test_loopback_serves_page_and_tab_without_token() -> None:
    """Bound to 127.0.0.1: the page is 200 with no token and a tab draws the seed's title."""
    with serving() as served:
        assert "?token=" not in served.url
        async with aiohttp.ClientSession() as http:
            page = await http.get(served.base + "/")
            html = await page.text()
            assert page.status == 200
            assert page.headers["Referrer-Policy"] == "no-referrer"
            assert 'data-session-websocket-url="ws://127.0.0.1:' in html
            assert "googleapis" not in html and "https://" not in html, "the page needs no internet"
            script = await http.get(served.base + "/static/js/textual.js")
            assert script.status == 200
            async with http.ws_connect(ws_url(served)) as websocket:
                await Tab(websocket).wait_for(SEED_TITLE)


async def test_loopback_refuses_foreign_host_and_origin() -> None:
    """Without a token, a DNS-rebinding Host or a cross-site websocket Origin gets 403."""
    with serving() as served:
        async with aiohttp.ClientSession() as http:
            rebound = await http.get(served.base + "/", headers={"Host": "evil.example:80"})
            assert rebound.status == 403
            local = await http.get(served.base + "/", headers={"Host": f"localhost:{served.port}"})
            assert local.status == 200
        foreign = {"Origin": "http://evil.example"}
        assert await _status_of_upgrade(ws_url(served), headers=foreign) == 403
        own = {"Origin": served.base}
        assert await _status_of_upgrade(ws_url(served), headers=own) == 101


async def test_public_address_requires_the_token() -> None:
    """Bound to 0.0.0.0: every request without the right token is 403; with it, 200 and 101."""
    with serving(host="0.0.0.0") as served:
        token = served.token
        assert token and len(token) >= 16, served.url
        async with aiohttp.ClientSession(cookie_jar=_cookie_jar()) as http:
            for path in ("/", "/?token=wrong-token", "/static/js/textual.js", "/ws"):
                response = await http.get(served.base + path)
                assert response.status == 403, path
                assert token not in await response.text()
            assert await _status_of_upgrade(ws_url(served)) == 403
            assert await _status_of_upgrade(ws_url(served, token="wrong-token")) == 403

            page = await http.get(f"{served.base}/?token={token}")
            assert page.status == 200
            cookie = page.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            again = await http.get(served.base + "/static/js/textual.js")
            assert again.status == 200, "the cookie stands for the token after the first visit"
            async with http.ws_connect(ws_url(served)) as websocket:
                await Tab(websocket).wait_for(SEED_TITLE)
        foreign = {"Origin": "http://evil.example"}
        assert await _status_of_upgrade(ws_url(served, token=token), headers=foreign) == 403
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(ws_url(served, token=token)) as websocket,
        ):
            await Tab(websocket).wait_for(SEED_TITLE)


async def test_given_token_is_required_even_on_loopback() -> None:
    """``--token`` on 127.0.0.1 is required too."""
    with serving("--token", "a-long-enough-token") as served:
        assert served.url.endswith("/?token=a-long-enough-token")
        async with aiohttp.ClientSession() as http:
            assert (await http.get(served.base + "/")).status == 403
            good = await http.get(served.base + "/?token=a-long-enough-token")
            assert good.status == 200


async def test_page_title_is_the_documents_sanitised_title(tmp_path: Path) -> None:
    """Serving one file: the page's title is its title, stripped of controls and escaped."""
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "---\ntitle: \"<script>alert(1)</script>\\e]0;owned\\a Report\"\n---\n\nBody text.\n",
        encoding="utf-8",
    )
    with serving(str(hostile)) as served:
        async with aiohttp.ClientSession() as http:
            html = await (await http.get(served.base + "/")).text()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in title
    assert "\x1b" not in title and "\x07" not in title
    assert "Report" in title


async def test_two_tabs_marking_at_once_lose_nothing() -> None:
    """Two tabs add a bookmark each at the same moment: both are in the bookmarks file."""
    with serving(str(SEED_ARTICLE)) as served:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(ws_url(served)) as first_ws,
            http.ws_connect(ws_url(served)) as second_ws,
        ):
            tabs = [Tab(first_ws), Tab(second_ws)]
            await asyncio.gather(*(tab.wait_for("Sorkin") for tab in tabs))
            await asyncio.gather(*(tab.keys("m") for tab in tabs))
            await asyncio.gather(*(tab.wait_for("Bookmark line") for tab in tabs))
            for tab, note in zip(tabs, ("from tab one", "from tab two"), strict=True):
                await tab.keys(note)
            await asyncio.gather(*(tab.keys("\r") for tab in tabs))
            await asyncio.gather(*(tab.wait_for("Bookmarked line") for tab in tabs))
    store = BookmarkStore(resolve_bookmarks_file())
    notes = sorted(bookmark.note for bookmark in store.list())
    assert notes == ["from tab one", "from tab two"]


async def test_closed_tab_ends_its_process() -> None:
    """Closing a tab's websocket ends the reader it started; tabs past --max-tabs get 503."""
    with serving("--max-tabs", "1") as served:
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(ws_url(served)) as websocket:
                await Tab(websocket).wait_for(SEED_TITLE)
                readers = children_of(served.process.pid)
                assert len(readers) == 1
                assert await _status_of_upgrade(ws_url(served)) == 503
            # A justified poll: the readers are serve's children, not ours, so there is no
            # exit to wait on; the loop stops at its condition and the assert fails at 10 s.
            deadline = time.monotonic() + 10
            while any(alive(pid) for pid in readers) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert not any(alive(pid) for pid in readers), "the closed tab's reader still runs"


async def test_sigint_with_two_tabs_leaves_no_process() -> None:
    """Ctrl+C (SIGINT) on serve with two tabs open: serve exits 0 and no reader is left."""
    with serving() as served:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(ws_url(served)) as first,
            http.ws_connect(ws_url(served)) as second,
        ):
            await asyncio.gather(Tab(first).wait_for(SEED_TITLE), Tab(second).wait_for(SEED_TITLE))
            readers = children_of(served.process.pid)
            assert len(readers) == 2
            status = await asyncio.to_thread(served.stop)
        assert status == 0, "".join(served.output)
    assert not [pid for pid in readers if alive(pid)], "readers outlived serve"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
async def test_readers_follow_a_killed_server() -> None:
    """Even when serve is killed outright (SIGKILL, no clean-up), its readers end."""
    with serving() as served:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(ws_url(served)) as websocket,
        ):
            await Tab(websocket).wait_for(SEED_TITLE)
            readers = children_of(served.process.pid)
            assert len(readers) == 1
            served.process.kill()
            served.process.wait(timeout=10)
            # A justified poll: the readers are serve's children, not ours, so there is no
            # exit to wait on; the loop stops at its condition and the assert fails at 10 s.
            deadline = time.monotonic() + 10
            while any(alive(pid) for pid in readers) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            left = [pid for pid in readers if alive(pid)]
            for pid in left:  # do not leave them behind when the test fails
                os.kill(pid, signal.SIGKILL)
            assert not left, "a reader outlived a killed serve"
