#!/usr/bin/env python3
"""Where start-up time goes: tuireader's first paint split into phases, beside bare Textual.

Each run starts a fresh interpreter in a pseudo-terminal (100x30) that times its
own phases, wall clock and CPU (``time.process_time``: all threads, steadier
than wall time on a loaded machine), until the first frame is drawn (the app's
``_after_first_paint``, the floor's ``call_after_refresh``), then exits.  Runs
of the floor (a bare Textual app painting one line) and of tuireader alternate;
medians are printed, and the difference of the totals.

    python bench/startup_phases.py                 # the seed article, 7 runs
    python bench/startup_phases.py --runs 9 FILE   # any file (or a folder: the library)

The probes patch methods of the app for timing only; the command line runs as
``tuireader FILE`` does (``cli.main()``, collector paused as there).  A folder's
first frame is drawn before its rows (they come from a worker): for the rows,
use ``startup_bench.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "general-sorkins-admiration.txt"

_CLOCK = '''
import json, os, sys, time
_marks = [("start", time.perf_counter(), time.process_time())]
def mark(name):
    _marks.append((name, time.perf_counter(), time.process_time()))
def dump():
    rows = [(b[0], (b[1] - a[1]) * 1000, (b[2] - a[2]) * 1000) for a, b in zip(_marks, _marks[1:])]
    with open(os.environ["PHASES_OUT"], "a") as out:
        out.write(json.dumps(rows) + "\\n")
'''

FLOOR = _CLOCK + '''
from textual.app import App
from textual.widgets import Static
mark("import textual")

class Floor(App):
    def compose(self):
        yield Static("FLOOR-READY one line")
    def on_mount(self):
        mark("start the app (driver, CSS)")
        self.call_after_refresh(self.done)
    def done(self):
        mark("first frame")
        dump()
        self.exit()

app = Floor()
mark("App()")
app.run()
'''

TUIREADER = _CLOCK + '''
import tuireader.cli as cli
mark("import cli (config, YAML, argparse)")
from tuireader.core.collector import pause_collector
pause_collector()  # as cli.main() does before it imports the UI
import textual.app, textual.widgets
mark("import textual (the floor's imports)")
import tuireader.ui.app as A
mark("import the rest of tuireader.ui.app")
import tuireader.ui.screens.reader as R

def wrap(owner, name, before, after, handler=False):
    original = getattr(owner, name)
    def timed(self, *args, **kwargs):
        mark(before)
        result = original(self, *args, **kwargs)
        mark(after)
        return result
    def timed_handler(self):  # Textual passes the event only to handlers that take one
        mark(before)
        original(self)
        mark(after)
    setattr(owner, name, timed_handler if handler else timed)

load = cli.load_config
def load_config(*args, **kwargs):
    mark("parse arguments")
    result = load(*args, **kwargs)
    mark("read config.yaml")
    return result
cli.load_config = load_config
wrap(A.TuiReaderApp, "__init__", "check the path (describe)", "App() (state, themes, keys)")
wrap(A.TuiReaderApp, "on_mount", "start the app (driver, CSS)", "app on_mount (open the document)",
     handler=True)
wrap(R.ReaderScreen, "on_mount", "reader: compose, mount, styles", "reader on_mount", handler=True)

def first_paint(self, original=A.TuiReaderApp._after_first_paint):
    mark("layout, render, write the first frame")
    dump()
    original(self)
    self.exit()
A.TuiReaderApp._after_first_paint = first_paint
sys.exit(cli.main())
'''


def run(script: str, args: list[str], out: Path, env: dict[str, str]) -> None:
    """Run a probe script in a 100x30 pty until it exits."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args], stdin=slave, stdout=slave, stderr=slave,
        env={**env, "PHASES_OUT": str(out)}, start_new_session=True, cwd=tempfile.gettempdir(),
    )  # fmt: skip
    os.close(slave)
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    if not os.read(master, 65536):
                        break
                except OSError:
                    break
            elif process.poll() is not None:
                break
        process.wait(timeout=60)
    finally:
        os.close(master)


def report(name: str, path: Path) -> float:
    """Print the median of each phase (wall and CPU ms); returns the median CPU total."""
    runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    if not runs:
        print(f"{name}: no run finished")
        return 0.0
    labels = [row[0] for row in runs[0]]
    runs = [run for run in runs if [row[0] for row in run] == labels]
    print(f"{name} ({len(runs)} runs)                              wall ms   CPU ms")
    for position, label in enumerate(labels):
        wall = statistics.median(run[position][1] for run in runs)
        cpu = statistics.median(run[position][2] for run in runs)
        print(f"  {label:48s} {wall:7.1f}  {cpu:7.1f}")
    wall = statistics.median(sum(row[1] for row in run) for run in runs)
    cpu = statistics.median(sum(row[2] for row in run) for run in runs)
    print(f"  {'total':48s} {wall:7.1f}  {cpu:7.1f}")
    return cpu


def main() -> int:
    """Run the floor and tuireader alternately; print the phases and the difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=SEED)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="startup-phases-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    env.update(TERM="xterm-256color")
    env.pop("SSH_CONNECTION", None)
    for part in ("CONFIG", "DATA", "STATE", "CACHE"):
        (work / part.lower()).mkdir()
        env[f"XDG_{part}_HOME"] = str(work / part.lower())
    (work / "config" / "tuireader").mkdir()
    (work / "config" / "tuireader" / "config.yaml").write_text("include_seeds: false\n")
    floor_out, ours_out = work / "floor.jsonl", work / "tuireader.jsonl"
    run(TUIREADER, [str(args.path.resolve())], work / "warm-up.jsonl", env)
    for _ in range(args.runs):
        run(FLOOR, [], floor_out, env)
        run(TUIREADER, [str(args.path.resolve())], ours_out, env)
    load = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]}, load average {load:.1f}; {args.path.name}")
    floor = report("floor (bare Textual, one line)", floor_out)
    ours = report(f"tuireader {args.path.name}", ours_out)
    if floor:
        print(f"CPU to the first frame: tuireader {ours:.0f} ms = {ours / floor:.2f}x the floor "
              f"({ours - floor:+.0f} ms; interpreter start-up, the same for both, not counted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
