#!/usr/bin/env python3
"""The first frames of tuireader, timed inside the process: from ``App()`` to the screen.

Each run starts a fresh interpreter in a 100x30 pseudo-terminal (``startup_phases.run``)
that records, for every frame it writes, the wall time and the main thread's CPU time
(``time.thread_time``: what the UI thread itself spent, which load on a shared machine
barely changes) since ``App()``; it stops 0.6 s after the first paint.  Printed, as
medians: the first frame, the first frame showing the content (the reader's text, the
library's rows), the complete screen (the footer's keys drawn) and, for a library, the
first frame with every row (within the 0.6 s).  Imports are not
counted (``startup_phases.py`` has them).  With ``--baseline DIR`` (e.g. main exported
with ``git archive main tuireader themes seeds | tar -x -C DIR``: the themes are needed)
the same runs are made, interleaved, with that source tree first on ``PYTHONPATH``.

    python bench/first_frame_bench.py --runs 9 --baseline /tmp/base
    python bench/first_frame_bench.py --library 1000 --runs 9 --baseline /tmp/base
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_bench import generate
from startup_phases import SEED, run

PROBE = '''
import json, os, sys, time
import tuireader.cli as cli
import tuireader.ui.app as A
from textual.app import App
from textual.widgets import Footer
start = []
frames = []
init = A.TuiReaderApp.__init__
def timed_init(self, *args, **kwargs):
    start[:] = [time.perf_counter(), time.thread_time()]
    init(self, *args, **kwargs)
A.TuiReaderApp.__init__ = timed_init
display = App._display
def content(screen):
    for selector, count in (("#reader-view", "line_count"), ("#library-table", "row_count")):
        found = screen.query(selector)
        if found:
            return getattr(found.first(), count)
    return 0
def timed_display(self, screen, renderable):
    display(self, screen, renderable)
    footer = screen.query(Footer)
    frames.append([(time.perf_counter() - start[0]) * 1000, (time.thread_time() - start[1]) * 1000,
                   content(screen) > 0, bool(footer and footer.first().children),
                   content(screen)])
App._display = timed_display
after = A.TuiReaderApp._after_first_paint
def done(self):
    with open(os.environ["PHASES_OUT"], "a") as out:
        out.write(json.dumps(frames) + "\\n")
    self.exit()
def first_paint(self):
    after(self)
    self.set_timer(0.6, lambda: done(self))
A.TuiReaderApp._after_first_paint = first_paint
sys.exit(cli.main())
'''


def environment(work: Path, name: str, pythonpath: Path | None) -> dict[str, str]:
    """A clean environment with its own XDG folders (a cache kept between runs)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    env.update(TERM="xterm-256color")
    env.pop("SSH_CONNECTION", None)
    for part in ("CONFIG", "DATA", "STATE", "CACHE"):
        folder = work / name / part.lower()
        folder.mkdir(parents=True)
        env[f"XDG_{part}_HOME"] = str(folder)
    (work / name / "config" / "tuireader").mkdir()
    (work / name / "config" / "tuireader" / "config.yaml").write_text("include_seeds: false\n")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath.resolve())
    return env


def summary(name: str, path: Path) -> None:
    """Print the medians: first frame, first with content, complete (wall and UI-thread CPU)."""
    runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def at(test: int | None, column: int) -> float:
        picked = [next((f[column] for f in frames if test is None or f[test]), float("nan"))
                  for frames in runs]
        return statistics.median(picked)

    print(f"{name:10s} ({len(runs)} runs)  first frame {at(None, 0):6.1f} ms "
          f"(CPU {at(None, 1):5.1f})"
          f"   content {at(2, 0):6.1f} ms (CPU {at(2, 1):5.1f})"
          f"   complete {at(3, 0):6.1f} ms (CPU {at(3, 1):5.1f})")
    every = [next((f[0] for f in frames if f[4] == max(g[4] for g in frames)), float("nan"))
             for frames in runs]  # the first frame with all the rows (or lines) there will be
    print(f"{'':10s} every row shown {statistics.median(every):6.1f} ms")


def main() -> int:
    """Time this tree (and a baseline tree), interleaved; print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=SEED)
    parser.add_argument("--library", type=int, default=0, help="a generated library of N docs")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="first-frame-"))
    target = args.path.resolve()
    if args.library:
        target = work / f"docs-{args.library}"
        generate(target, args.library, 20, 1)
    trees = {"this tree": None, "baseline": args.baseline} if args.baseline else {"this tree": None}
    envs = {
        name: environment(work, f"xdg-{n}", tree) for n, (name, tree) in enumerate(trees.items())
    }
    outputs = {name: work / f"{n}.jsonl" for n, name in enumerate(trees)}
    for env in envs.values():  # untimed: page cache, a warm metadata cache
        run(PROBE, [str(target)], work / "warm-up.jsonl", env)
    for _ in range(args.runs):
        for name, env in envs.items():
            run(PROBE, [str(target)], outputs[name], env)
    load = os.getloadavg()[0]
    what = f"library of {args.library:,} (cache warm)" if args.library else target.name
    print(f"python {sys.version.split()[0]}, load average {load:.1f}; {what}; ms after App()")
    for name, path in outputs.items():
        summary(name, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
