#!/usr/bin/env python3
"""Bytes written to the terminal by tuireader and by ``less``, in the same run.

Every byte a program writes to its terminal crosses the network over SSH.  Each
program reads the same plain text file in a fresh pseudo-terminal (``pty``,
100x30 by default); this script reads everything it writes and counts:

* the first screen: from start until the output has been quiet for a moment
  after the file's first line showed,
* per page: PageDown pressed ``--pages`` times (each waits for quiet), the mean,
* per line: ``j`` pressed ``--lines`` times, the mean,
* a held key: ``j`` sent ``--rate`` times a second for ``--hold`` seconds,
  counted until quiet (so a program that coalesces redraws sends fewer).

tuireader is measured with its SSH profile (``SSH_CONNECTION`` set, as over
SSH) and with the default profile.  Ratios are to ``less`` in the same run.

    python bench/ssh_bytes.py
    python bench/ssh_bytes.py --runs 3 --theme terminal
    python bench/ssh_bytes.py --baseline DIR   # also another tuireader (DIR/tuireader)
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import random
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import paragraph

_ESCAPES = re.compile(
    rb"\x1b(\[[0-9;?<>=!]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|.)"
)
PAGE_DOWN = b"\x1b[6~"


@dataclass
class Figures:
    """Bytes counted for one program in one run."""

    first: int
    page: float
    line: float
    held: int


class Terminal:
    """A program running in a fresh pty whose output is counted."""

    def __init__(self, command: list[str], env: dict[str, str], cols: int, rows: int,
                 cwd: Path | None = None) -> None:
        """Start ``command`` in a pty of ``cols`` x ``rows`` (in folder ``cwd``)."""
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env,
            start_new_session=True, close_fds=True, cwd=cwd,
        )
        os.close(slave)
        self.seen = b""

    def read_until_quiet(self, quiet: float, limit: float = 30.0,
                         marker: bytes | None = None) -> int:
        """Read output until none came for ``quiet`` s (after ``marker``, if given); bytes."""
        count = 0
        start = last = time.monotonic()
        found = marker is None
        while time.monotonic() - start < limit:
            ready, _, _ = select.select([self.master], [], [], 0.01)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                count += len(chunk)
                last = time.monotonic()
                if not found:
                    self.seen += chunk
                    found = marker in _ESCAPES.sub(b"", self.seen)  # type: ignore[operator]
            elif found and time.monotonic() - last >= quiet:
                break
        if not found:
            raise RuntimeError(f"marker {marker!r} never shown")
        return count

    def send(self, data: bytes) -> None:
        """Type ``data``."""
        os.write(self.master, data)

    def close(self) -> None:
        """End the program's process group."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=2)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        os.close(self.master)


def measure(command: list[str], env: dict[str, str], args: argparse.Namespace) -> Figures:
    """One run of one program: first screen, pages, lines, a held key."""
    terminal = Terminal(command, env, args.cols, args.rows, cwd=args.work)  # not this checkout
    try:
        first = terminal.read_until_quiet(args.quiet, marker=b"SSHBYTES")
        pages = []
        for _ in range(args.pages):
            terminal.send(PAGE_DOWN)
            pages.append(terminal.read_until_quiet(args.quiet))
        lines = []
        for _ in range(args.lines):
            terminal.send(b"j")
            lines.append(terminal.read_until_quiet(args.quiet))
        held = 0
        interval = 1 / args.rate
        start = time.monotonic()
        sent = 0
        while time.monotonic() - start < args.hold:
            if time.monotonic() >= start + sent * interval:
                terminal.send(b"j")
                sent += 1
            ready, _, _ = select.select([terminal.master], [], [], 0.002)
            if ready:
                held += len(os.read(terminal.master, 65536))
        held += terminal.read_until_quiet(args.quiet)
        return Figures(first, statistics.mean(pages), statistics.mean(lines), held)
    finally:
        terminal.close()


def write_text(path: Path) -> None:
    """A seeded plain text file of short-ish lines (like a wrapped article), long enough."""
    rng = random.Random(4)
    lines = ["SSHBYTES first line of the document", ""]
    while len(lines) < 3000:
        text = paragraph(rng, rng.randint(2, 5))
        words = text.split()
        line: list[str] = []
        for word in words:
            if sum(len(item) + 1 for item in line) + len(word) > 72:
                lines.append(" ".join(line))
                line = []
            line.append(word)
        lines.extend([" ".join(line), ""])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    """Measure every program, print medians over runs and the ratios to less."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cols", type=int, default=100)
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--rate", type=float, default=30.0, help="key repeats a second")
    parser.add_argument("--hold", type=float, default=2.0, help="seconds the key is held")
    parser.add_argument("--quiet", type=float, default=0.3, help="seconds of silence = done")
    parser.add_argument("--theme", default=None, help="tuireader theme (default: its default)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a folder holding another tuireader package (e.g. from "
                        "`git archive main tuireader | tar -x -C DIR`), measured too")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ssh-bytes")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    text = args.work / "document.txt"
    write_text(text)
    base = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    base.update(TERM="xterm-256color", LESS="", LESSHISTFILE="-")
    base.pop("SSH_CONNECTION", None)
    for part in ("CONFIG", "DATA", "STATE", "CACHE"):
        folder = args.work / part.lower()
        folder.mkdir(exist_ok=True)
        base[f"XDG_{part}_HOME"] = str(folder)
    theme = ["--theme", args.theme] if args.theme else []
    reader = [sys.executable, "-m", "tuireader", *theme, str(text)]
    ssh = {**base, "SSH_CONNECTION": "192.0.2.1 50000 192.0.2.2 22"}
    programs = {
        "less": (["less", str(text)], base),
        "tuireader (SSH profile)": (reader, ssh),
        "tuireader (default)": (reader, base),
    }
    if args.baseline:
        path = str(args.baseline.resolve())
        programs["baseline (SSH profile)"] = (reader, {**ssh, "PYTHONPATH": path})
    results: dict[str, list[Figures]] = {name: [] for name in programs}
    for _ in range(args.runs):
        for name, (command, env) in programs.items():
            state = Path(env["XDG_STATE_HOME"]) / "tuireader"
            for stale in state.glob("state.yaml*"):
                stale.unlink()  # every run opens at the top
            results[name].append(measure(command, env, args))
    print(f"{args.cols}x{args.rows} pty, {args.runs} runs (medians), theme "
          f"{args.theme or 'default'}; held key: {args.rate:.0f}/s for {args.hold:.0f} s; "
          f"load average {os.getloadavg()[0]:.1f}")
    less = {field: statistics.median(getattr(f, field) for f in results["less"])
            for field in ("first", "page", "line", "held")}
    print(f"{'program':26s} {'first screen':>18s} {'per page':>16s} {'per line':>16s} "
          f"{'held key 2 s':>18s}")
    for name, figures in results.items():
        cells = []
        for field in ("first", "page", "line", "held"):
            value = statistics.median(getattr(f, field) for f in figures)
            ratio = f"{value / less[field]:.1f}x" if less[field] else "-"
            cells.append(f"{value:8.0f} B {ratio:>6s}")
        print(f"{name:26s} " + " ".join(f"{cell:>16s}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
