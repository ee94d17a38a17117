#!/usr/bin/env python3
"""Import cost of the reader: ``tuireader.cli`` + ``tuireader.ui.app`` beyond Textual's own.

Each run starts a fresh interpreter that imports what the floor app does
(``textual.app``, ``textual.widgets.Static``), then, timed apart, what the
reader adds on the way to its first paint (``tuireader.cli`` and
``tuireader.ui.app``, with the collector paused as ``cli.main()`` pauses it).
Medians of ``--runs``; with ``--baseline DIR`` (another source tree, e.g. main
exported with ``git archive``) the same is timed from there, interleaved.
``--top N`` also lists the N modules of ours (and others first imported by
ours) with the most self time, from ``python -X importtime`` (medians).

Bytecode is compiled first (``python -m compileall``), as an installed wheel
has it.  The goal of issue 17: ``import tuireader.ui.app`` <= textual + 40 ms.

    python bench/import_bench.py --runs 15
    python bench/import_bench.py --runs 15 --baseline /tmp/base --top 25
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

PROBE = """
import json, sys, time
start = time.perf_counter()
import textual.app, textual.widgets
from textual.widgets import Static
middle = time.perf_counter()
import gc
gc.disable()  # as cli.main() does for the reader (core/collector.py); the floor has it on
import tuireader.cli
import tuireader.ui.app
end = time.perf_counter()
print(json.dumps([(middle - start) * 1000, (end - middle) * 1000]))
"""


def one_run(tree: Path) -> tuple[float, float]:
    """Milliseconds for textual's imports and for ours after them, in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                         check=True, cwd=tempfile.gettempdir())  # fmt: skip
    textual, ours = json.loads(out.stdout.strip().splitlines()[-1])
    return float(textual), float(ours)


def self_times(tree: Path) -> dict[str, float]:
    """Self time (ms) of each module first imported after textual's, from ``-X importtime``."""
    marked = "print('MARK', file=sys.stderr)\nimport tuireader.cli"
    script = PROBE.replace("import tuireader.cli", marked)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", script], env=env,
                         capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    lines = out.stderr.split("MARK\n", 1)[-1].splitlines()
    found: dict[str, float] = {}
    for line in lines:
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _cumulative, name = line[len("import time:"):].split("|")
        found[name.strip()] = int(own) / 1000
    return found


def compile_tree(tree: Path) -> None:
    """Compile a source tree's bytecode, as an installed wheel has it."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(tree / "tuireader")],
                   stdout=subprocess.DEVNULL, check=False)


def main() -> int:
    """Time the imports, interleaved with the baseline's; print medians and differences."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--top", type=int, default=0, help="list the N slowest modules of ours")
    args = parser.parse_args()
    trees = {"this tree": ROOT}
    if args.baseline is not None:
        trees["baseline"] = args.baseline.resolve()
    for tree in trees.values():
        compile_tree(tree)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for tree in trees.values():
        one_run(tree)  # warm-up: page cache
    for _ in range(args.runs):
        for name, tree in trees.items():
            times[name].append(one_run(tree))
    print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}; "
          f"{args.runs} runs, medians, bytecode compiled")
    for name, runs in times.items():
        textual = statistics.median(run[0] for run in runs)
        ours = statistics.median(run[1] for run in runs)
        print(f"  {name:10s} textual.app + Static {textual:6.1f} ms; then tuireader.cli + "
              f"tuireader.ui.app {ours:+6.1f} ms (goal <= +40)")
    if args.top:
        for name, tree in trees.items():
            samples = [self_times(tree) for _ in range(max(3, min(args.runs, 7)))]
            names = set().union(*samples)
            medians = {module: statistics.median(s.get(module, 0.0) for s in samples)
                       for module in names}
            total = statistics.median(sum(s.values()) for s in samples)
            print(f"{name}: {len(names)} modules after textual's, self time {total:.1f} ms "
                  f"(-X importtime inflates it); the slowest:")
            for module, value in sorted(medians.items(), key=lambda item: -item[1])[: args.top]:
                print(f"  {value:6.2f} ms  {module}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
