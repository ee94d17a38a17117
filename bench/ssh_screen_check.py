#!/usr/bin/env python3
"""Check that the SSH profile's brief output shows the same screen as Textual's full output.

Two tmux panes (a private server, ``tmux -L ssh-check-PID``) run tuireader on the
same file, one with the SSH profile (``SSH_CONNECTION`` set), one with it turned
off (``TUIREADER_FULL_OUTPUT``).  The same keys go to both; after each step, once
both screens are still, ``capture-pane -p -e -N`` (cells with their styles) and
the cursor (where it is shown) must be identical.  A blinking cursor is watched
until each pane has shown a screen the other one showed.  Steps include single
lines, pages, jumps, held keys (sent faster than frames are drawn), a search,
dialogs, a theme change and resizes.

    python bench/ssh_screen_check.py            # prints each step, exit 1 on a difference
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ssh_bytes import write_text

STEPS: list[tuple[str, list[str]]] = [
    ("start", []),
    ("j", ["j"]),
    ("j x3", ["j", "j", "j"]),
    ("k", ["k"]),
    ("page down", ["PageDown"]),
    ("page down x2", ["PageDown", "PageDown"]),
    ("page up", ["PageUp"]),
    ("held j (40 keys)", ["j"] * 40),
    ("held k (25 keys)", ["k"] * 25),
    ("end", ["G"]),
    ("top", ["g"]),
    ("space", ["Space"]),
    ("resize 80x24", ["@resize 80 24"]),
    ("j after resize", ["j"]),
    ("resize 120x40", ["@resize 120 40"]),
    ("page down after resize", ["PageDown"]),
    ("search prompt", ["/"]),
    ("search typed", ["w", "o", "u", "l", "d"]),
    ("search run", ["Enter"]),
    ("escape", ["Escape"]),
    ("help", ["?"]),
    ("help closed", ["Escape"]),
    ("full width", ["w"]),
    ("narrow again", ["w"]),
    ("next theme", ["T"]),
    ("j in new theme", ["j"]),
    ("mark dialog", ["m"]),
    ("note typed", ["a", "b", "c"]),
    ("mark cancelled", ["Escape"]),
    ("select and extend", ["v", "j", "j"]),
    ("select cleared", ["v"]),
    ("resize 100x30", ["@resize 100 30"]),
    ("held page down (10)", ["PageDown"] * 10),
]


_CAPTURE = re.compile(r"\x1b\[([0-9;:]*)m|(.)", re.DOTALL)


Cell = tuple[str, str, str, frozenset[str]]


def cells(capture: str) -> list[list[Cell]]:
    """A ``capture-pane -e`` screen as rows of cells (text, fg, bg, attributes).

    What cannot be seen is left out: a space's foreground and weight (unless
    underlined, struck or reversed).  A row's blank tail is left out too, whatever its
    background: tmux does not capture cells erased in a colour (``ESC[K``),
    though it shows them (the model replay in tests/unit checks those exactly).
    """
    rows = []
    fg = bg = ""
    flags: set[str] = set()
    for line in capture.split("\n"):
        row: list[Cell] = []
        for match in _CAPTURE.finditer(line):
            if match.group(2) is None:
                fg, bg = _sgr(match.group(1), fg, bg, flags)
                continue
            char = match.group(2)
            lines = flags & {"4", "7", "9"}
            if char == " " and not lines:
                row.append((char, "", bg, frozenset()))
            else:
                row.append((char, fg, bg, frozenset(flags if char != " " else lines)))
        while row and row[-1][0] == " " and not row[-1][3]:
            row.pop()
        rows.append(row)
    return rows


def _sgr(params: str, fg: str, bg: str, flags: set[str]) -> tuple[str, str]:
    """Apply one SGR to (fg, bg, flags); flags change in place."""
    codes = params.split(";") if params else ["0"]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code in ("38", "48"):
            size = 3 if codes[index + 1 : index + 2] == ["5"] else 5
            value = ":".join(codes[index + 1 : index + size])
            fg, bg = (value, bg) if code == "38" else (fg, value)
            index += size
            continue
        if code in ("0", ""):
            fg, bg = "", ""
            flags.clear()
        elif code == "39":
            fg = ""
        elif code == "49":
            bg = ""
        elif code.isdigit() and (30 <= int(code) <= 37 or 90 <= int(code) <= 97):
            fg = code
        elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
            bg = code
        elif code.startswith("2") and len(code) == 2:
            flags.discard(code[1])
        else:
            flags.add(code)
        index += 1
    return fg, bg


class Pane:
    """One tmux session on a private server running one command."""

    def __init__(self, server: str, name: str, command: str, cols: int, rows: int) -> None:
        """Start ``command`` in a detached session ``name`` of ``cols`` x ``rows``."""
        self.server = server
        self.name = name
        self.tmux("new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), command)
        self.tmux("set-option", "-t", name, "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        """Run a tmux command on the private server; its output."""
        result = subprocess.run(["tmux", "-L", self.server, *args], capture_output=True,
                                text=True, check=True)
        return result.stdout

    def screen(self) -> str:
        """The cells with styles, and the cursor."""
        cells = self.tmux("capture-pane", "-p", "-e", "-N", "-t", self.name)
        cursor = self.tmux("display", "-p", "-t", self.name,
                           "#{cursor_flag},#{cursor_x},#{cursor_y}").strip()
        if cursor.startswith("0"):
            cursor = "hidden"  # where a hidden cursor is cannot be seen
        return cells + "\x1b[0m\ncursor " + cursor

    def send(self, key: str) -> None:
        """Type a key (tmux key name), or resize the window (``@resize W H``)."""
        if key.startswith("@resize"):
            _, cols, rows = key.split()
            self.tmux("resize-window", "-t", self.name, "-x", cols, "-y", rows)
        else:
            self.tmux("send-keys", "-t", self.name, key)


def settle(panes: list[Pane], quiet: float, limit: float = 5.0) -> list[str]:
    """Every pane's screen once none has changed for ``quiet`` seconds."""
    last = [pane.screen() for pane in panes]
    still_since = time.monotonic()
    start = still_since
    while time.monotonic() - start < limit:
        time.sleep(0.05)
        now = [pane.screen() for pane in panes]
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            break
    return last


def report(lean: list[list[Cell]], full: list[list[Cell]], most: int = 4) -> None:
    """Print the first rows that differ, and where."""
    shown = 0
    for number, (a, b) in enumerate(zip(lean, full, strict=False)):
        if a == b or shown >= most:
            continue
        shown += 1
        pairs = enumerate(zip(a, b, strict=False))
        col = next((x for x, (p, q) in pairs if p != q), min(len(a), len(b)))
        print(f"  row {number} from column {col}:")
        print(f"    lean {a[col:col + 3]}\n    full {b[col:col + 3]}")


def main() -> int:
    """Run the steps on both panes; print each step's verdict; 1 if any screens differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", type=float, default=0.6, help="seconds still = settled")
    parser.add_argument("--theme", default=None)
    parser.add_argument("--lean-launcher", type=Path, default=None,
                        help="a script run instead of -m tuireader in the lean pane (debugging)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ssh-check")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    text = args.work / "document.txt"
    write_text(text)
    server = f"ssh-check-{os.getpid()}"
    theme = f"--theme {shlex.quote(args.theme)} " if args.theme else ""
    panes = []
    for name, extra in (("lean", ""), ("full", "TUIREADER_FULL_OUTPUT=1 ")):
        home = args.work / name
        env = " ".join(f"XDG_{part}_HOME={shlex.quote(str(home / part.lower()))}"
                       for part in ("CONFIG", "DATA", "STATE", "CACHE"))
        for stale in (home / "state" / "tuireader").glob("state.yaml*"):
            stale.unlink()
        program = "-m tuireader"
        if name == "lean" and args.lean_launcher:
            program = shlex.quote(str(args.lean_launcher))
        command = (f"env {env} TERM=xterm-256color SSH_CONNECTION='192.0.2.1 1 192.0.2.2 22' "
                   f"{extra}{shlex.quote(sys.executable)} {program} {theme}"
                   f"{shlex.quote(str(text))}")
        panes.append(Pane(server, name, command, 100, 30))
    failures = 0
    try:
        for label, keys in STEPS:
            for key in keys:
                for pane in panes:
                    pane.send(key)
            lean, full = settle(panes, args.quiet)
            same = cells(lean) == cells(full)
            seen: tuple[list[str], list[str]] = ([lean], [full])
            for _ in range(15 if not same else 0):  # a blinking cursor: a screen of each phase
                time.sleep(0.1)
                for shots, pane in zip(seen, panes, strict=True):
                    shots.append(pane.screen())
                if any(cells(a) == cells(b) for a in seen[0] for b in seen[1]):
                    same = True
                    break
            failures += not same
            print(f"{'same' if same else 'DIFFERENT':9s} {label}", flush=True)
            if not same:
                report(cells(lean), cells(full))
    finally:
        subprocess.run(["tmux", "-L", server, "kill-server"], capture_output=True, check=False)
    print("all screens identical" if not failures else f"{failures} step(s) differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
