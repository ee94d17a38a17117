#!/usr/bin/env python3
"""What serving costs: a browser tab's reader against the same reader in a terminal.

Starts ``tuireader serve`` (needs the ``serve`` extra) on a free loopback port with
the bundled seeds and temporary XDG folders, then for ``--runs`` runs:

- serve start: launch until it prints its URL (listening);
- tab: websocket connect until the frames show the seed article's title (what a
  browser tab waits for), the tab process's peak RSS, and close until the process
  has gone;
- terminal: the same ``python -m tuireader`` in a pseudo-terminal until its output
  shows the title (then Ctrl+Q).

Prints medians. Talks only to 127.0.0.1.

    python bench/serve_bench.py --runs 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import re
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from fcntl import ioctl
from pathlib import Path

import aiohttp

TITLE = "General Sorkin's Admiration"
DEADLINE = 30.0
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def plain(data: bytes) -> str:
    """Terminal output without escape sequences."""
    return _ESCAPES.sub("", data.decode("utf-8", "replace"))


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def peak_rss_kib(pid: int) -> int:
    """VmHWM of a live process, in KiB (0 when unknown)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def start_serve(port: int) -> tuple[subprocess.Popen[str], float]:
    """Start serve; return it and the seconds until it printed its URL."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "tuireader", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "serving" not in line:
        process.kill()
        raise SystemExit(f"serve did not start: {line!r}")
    return process, time.perf_counter() - started


async def one_tab(port: int, serve_pid: int) -> tuple[float, int, float]:
    """Seconds to the title, the tab's peak RSS (KiB), seconds from close to exit."""
    url = f"ws://127.0.0.1:{port}/ws?width=120&height=40"
    async with aiohttp.ClientSession() as http:
        started = time.perf_counter()
        async with http.ws_connect(url) as websocket:
            data = bytearray()
            while TITLE not in plain(bytes(data)):
                message = await websocket.receive(timeout=DEADLINE)
                if message.type == aiohttp.WSMsgType.BINARY:
                    data += message.data
                elif message.type != aiohttp.WSMsgType.TEXT:
                    raise SystemExit("the tab closed before showing the title")
            to_title = time.perf_counter() - started
            readers = children(serve_pid)
            rss = max((peak_rss_kib(pid) for pid in readers), default=0)
        closed = time.perf_counter()
        while any(Path(f"/proc/{pid}").exists() and pid in children(serve_pid) for pid in readers):
            if time.perf_counter() - closed > DEADLINE:
                raise SystemExit("a closed tab's reader did not exit")
            await asyncio.sleep(0.01)
        return to_title, rss, time.perf_counter() - closed


def in_terminal() -> float:
    """Seconds until ``python -m tuireader`` in a 120x40 pseudo-terminal shows the title."""
    master, slave = pty.openpty()
    ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "tuireader"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    data = bytearray()
    try:
        while TITLE not in plain(bytes(data)):
            if time.perf_counter() - started > DEADLINE:
                raise SystemExit("the reader did not show the title in a terminal")
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                data += os.read(master, 65536)
        elapsed = time.perf_counter() - started
        os.write(master, b"\x11")  # Ctrl+Q
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return elapsed
    finally:
        os.close(master)


def main() -> None:
    """Run the measurements and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        for name in ("CONFIG", "DATA", "STATE", "CACHE"):
            os.environ[f"XDG_{name}_HOME"] = str(Path(home) / name.lower())
        starts, titles, rss, closes, terminal = [], [], [], [], []
        for _ in range(args.runs):
            port = free_port()
            process, started = start_serve(port)
            starts.append(started)
            try:
                to_title, peak, to_exit = asyncio.run(one_tab(port, process.pid))
            finally:
                process.send_signal(signal.SIGINT)
                process.wait(timeout=DEADLINE)
            titles.append(to_title)
            rss.append(peak)
            closes.append(to_exit)
            terminal.append(in_terminal())
    median = statistics.median
    print(f"runs: {args.runs} (medians)")
    print(f"serve: launch to listening            {median(starts) * 1000:7.0f} ms")
    print(f"tab: connect to the seed's title     {median(titles) * 1000:7.0f} ms")
    print(f"terminal: launch to the seed's title {median(terminal) * 1000:7.0f} ms")
    print(f"tab: close to process gone           {median(closes) * 1000:7.0f} ms")
    print(f"tab: reader peak RSS                 {median(rss) / 1024:7.1f} MiB")


if __name__ == "__main__":
    main()
