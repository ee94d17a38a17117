"""A real browser reads through ``tuireader serve``: headless Chromium driven by Playwright.

xterm.js draws on a canvas, so the checks read the websocket frames the page receives;
a screenshot is kept in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="needs the 'serve' extra")
playwright_api = pytest.importorskip("playwright.async_api", reason="needs playwright")

from serve_harness import REPO_ROOT, SEED_TITLE, screen_text, serving  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DEADLINE = 20.0

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not shutil.which("chromium"),
        reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it",
    ),
]


class Frames:
    """The text of every websocket frame the page received, as the terminal would show it."""

    def __init__(self) -> None:
        """Start empty."""
        self.data = bytearray()
        self.arrived = asyncio.Event()

    def add(self, payload: str | bytes) -> None:
        """Keep a binary frame (the app's output); text frames are protocol messages."""
        if isinstance(payload, bytes):
            self.data += payload
            self.arrived.set()

    async def wait_for(self, text: str, since: int = 0) -> None:
        """Wait until frames after ``since`` bytes show ``text``; fail loudly at the deadline."""
        end = time.monotonic() + DEADLINE
        while text not in screen_text(bytes(self.data[since:])):
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), max(end - time.monotonic(), 0))
            except TimeoutError:
                tail = screen_text(bytes(self.data[since:]))[-400:]
                raise AssertionError(
                    f"{text!r} not in the frames within {DEADLINE}s: {tail!r}"
                ) from None


async def _painted(page: object) -> None:
    """Let the browser paint what it received (two animation frames)."""
    await page.evaluate(  # type: ignore[attr-defined]
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


async def test_chromium_opens_the_seed_article() -> None:
    """The page loads offline, the app draws, keys open the seed article, a screenshot is kept.

    The token comes once in the URL; the page's websocket then carries only the cookie.
    """
    executable = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
    frames = Frames()
    outside: list[str] = []
    with serving("--token", "browser-test-token") as served:
        async with playwright_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=executable, headless=True, args=BROWSER_ARGS
            )
            try:
                page = await browser.new_page(viewport={"width": 1100, "height": 700})
                page.on(
                    "request",
                    lambda request: None
                    if request.url.startswith(served.base)
                    else outside.append(request.url),
                )
                page.on(
                    "websocket",
                    lambda websocket: websocket.on(
                        "framereceived", lambda frame: frames.add(frame)
                    ),
                )
                response = await page.goto(served.url)
                assert response is not None and response.status == 200
                await page.wait_for_selector("body.-first-byte", timeout=DEADLINE * 1000)
                await frames.wait_for(SEED_TITLE)
                assert await page.title() == "tuireader"

                before = len(frames.data)
                await page.focus("textarea.xterm-helper-textarea")  # as a click would
                await page.keyboard.type("Sorkin")
                await page.keyboard.press("Enter")
                await frames.wait_for("The respected Comrade", since=before)
                await _painted(page)
                ARTIFACTS.mkdir(exist_ok=True)
                shot = ARTIFACTS / "serve-chromium-reader.png"
                await page.screenshot(path=str(shot))
                assert shot.stat().st_size > 0
            finally:
                await browser.close()
    assert outside == [], "the page fetched something from outside the server"
