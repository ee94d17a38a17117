"""Run ``tuireader serve`` in a subprocess and talk to it as a browser would (aiohttp).

Every wait has a deadline and fails loudly with what was seen; nothing sleeps for a
fixed time.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_ARTICLE = REPO_ROOT / "seeds" / "general-sorkins-admiration.txt"
SEED_TITLE = "General Sorkin's Admiration"
START_DEADLINE = 20.0
FRAME_DEADLINE = 20.0
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def screen_text(data: bytes) -> str:
    """Terminal output as plain text: escape sequences removed."""
    return _ESCAPES.sub("", data.decode("utf-8", "replace"))


def children_of(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid`` (from /proc)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running (not zombie) process."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Served:
    """A running ``tuireader serve``: its process, the URL it printed, its port."""

    process: subprocess.Popen[str]
    url: str
    port: int
    token: str | None
    output: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (always reached through loopback)."""
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> int:
        """SIGINT, as Ctrl+C; returns the exit status (fails after the deadline)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=START_DEADLINE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError("serve did not stop within the deadline after SIGINT") from None


@contextmanager
def serving(*args: str, host: str = "127.0.0.1") -> Iterator[Served]:
    """Start ``tuireader serve ARGS`` on a free port; stop it (SIGINT) afterwards."""
    port = free_port("0.0.0.0" if host == "0.0.0.0" else host)
    command = [sys.executable, "-m", "tuireader", "serve", "--host", host, "--port", str(port)]
    process = subprocess.Popen(
        [*command, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ),
        cwd=REPO_ROOT,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + START_DEADLINE
    lines: list[str] = []
    url = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "serving" in line:
            url = line.split(" at ", 1)[1].split()[0]
            break
    if not url:
        process.kill()
        raise AssertionError(f"serve did not start: {''.join(lines)!r}")
    token = url.split("?token=", 1)[1] if "?token=" in url else None
    served = Served(process, url, port, token, lines)
    try:
        yield served
    finally:
        readers = children_of(process.pid) if process.poll() is None else set()
        served.stop()
        served.output.append(process.stdout.read())
        left = [pid for pid in readers if alive(pid)]
        for pid in left:  # never leave a reader behind, even when a test fails
            os.kill(pid, signal.SIGKILL)
        assert not left, f"readers outlived serve: {left}"


class Tab:
    """One browser tab's websocket: collects the app's frames, sends keys."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an open websocket."""
        self.websocket = websocket
        self.data = bytearray()

    async def wait_for(self, text: str, deadline: float = FRAME_DEADLINE) -> str:
        """Read frames until the screen output contains ``text``; fail loudly at the deadline."""
        end = time.monotonic() + deadline
        start = len(self.data)
        while text not in screen_text(bytes(self.data[start:])):
            left = end - time.monotonic()
            if left <= 0:
                break
            try:
                message = await self.websocket.receive(timeout=left)
            except TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                self.data += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
        seen = screen_text(bytes(self.data[start:]))
        assert text in seen, f"{text!r} not seen within {deadline}s; tail: {seen[-500:]!r}"
        return seen

    async def keys(self, text: str) -> None:
        """Type ``text`` (characters as a terminal sends them)."""
        await self.websocket.send_json(["stdin", text])

    async def resize(self, width: int, height: int) -> None:
        """Tell the app the tab's size, as the page does once connected."""
        await self.websocket.send_json(["resize", {"width": width, "height": height}])


def ws_url(served: Served, *, token: str | None = None) -> str:
    """The websocket URL, with ``?token=`` when given."""
    query = f"&token={token}" if token else ""
    return f"ws://127.0.0.1:{served.port}/ws?width=100&height=30{query}"
