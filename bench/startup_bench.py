#!/usr/bin/env python3
"""Start-up against the floor: time to first paint of tuireader beside a bare Textual app.

In one run, each case is started in a fresh pseudo-terminal (``pty``, 100x30)
and timed from just before the exec until a marker shows in what it wrote to
the terminal (escape sequences removed); the process group is then killed.

Cases: the *floor* (a bare Textual app that paints one line), ``tuireader FILE``
on the seed article and on a 20 KB text file, the library of 1,000 and 10,000
documents (first rows painted, metadata cache warm and cold) and
``tuireader list`` on 10,000 documents, cold (no metadata cache) and warm.
The cases are interleaved run by run so the machine's load hits them alike;
each prints its median of ``--runs`` and its ratio to the floor's median.

Bytecode is compiled first (``python -m compileall``), as an installed wheel
has it; ``PYTHONDONTWRITEBYTECODE`` would otherwise make every start compile.

    python bench/startup_bench.py --runs 7
    python bench/startup_bench.py --cases floor seed text20k --runs 9
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import paragraph
from list_bench import generate

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "general-sorkins-admiration.txt"
COLS, ROWS = 100, 30
_ESCAPES = re.compile(
    rb"\x1b(\[[0-9;?<>=!]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|.)"
)

FLOOR_APP = '''
from textual.app import App, ComposeResult
from textual.widgets import Static


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("FLOOR-READY one line")


Floor().run()
'''


@dataclass
class Case:
    """One thing to time: a command, its environment, and how to tell it has painted."""

    name: str
    command: list[str]
    marker: re.Pattern[bytes] | None
    """Searched in the output without escapes; ``None``: time until the process exits."""
    env: dict[str, str] = field(default_factory=dict)
    before: Callable[[], None] | None = None
    """Run (untimed) before each repetition, e.g. to empty a cache."""
    times: list[float] = field(default_factory=list)
    failures: int = 0


def first_paint(command: list[str], env: dict[str, str], marker: re.Pattern[bytes],
                timeout: float) -> float | None:
    """Seconds from exec to ``marker`` in the pty's output; ``None`` on timeout."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        close_fds=True, cwd=tempfile.gettempdir(),  # not the source tree: PYTHONPATH decides
    )
    os.close(slave)
    seen = b""
    found: float | None = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if marker.search(_ESCAPES.sub(b"", seen)):
                found = time.perf_counter() - start
                break
    finally:
        _stop(process)
        os.close(master)
    if found is None:
        tail = _ESCAPES.sub(b"", seen)[-300:]
        print(f"  timeout; last output: {tail!r}", file=sys.stderr)
    return found


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the child's process group: SIGTERM, then SIGKILL after a moment."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=2)
            break
        except subprocess.TimeoutExpired:
            continue


def run_to_exit(command: list[str], env: dict[str, str]) -> float:
    """Seconds for a command to run to its end, output discarded."""
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True, cwd=tempfile.gettempdir())
    return time.perf_counter() - start


def write_text_file(path: Path, kilobytes: int) -> None:
    """A seeded plain text file of about ``kilobytes`` KB, its first line the marker."""
    import random

    rng = random.Random(20)
    parts = ["BENCH20K first line of a plain text document", ""]
    size = 0
    while size < kilobytes * 1000:
        text = paragraph(rng, rng.randint(2, 5))
        parts.append(text)
        size += len(text) + 2
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def compile_bytecode(python: str) -> None:
    """Compile tuireader and the site-packages, as an installed wheel would be."""
    import sysconfig

    site = sysconfig.get_paths()["purelib"]
    for target in (str(ROOT / "tuireader"), site):
        subprocess.run([python, "-m", "compileall", "-q", "-j", "0", target],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def build_cases(args: argparse.Namespace, work: Path) -> list[Case]:
    """Every case, with its corpus and environment."""
    python = sys.executable
    tuireader = [python, "-m", "tuireader"]
    base = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    base.update(TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
    base.pop("SSH_CONNECTION", None)

    def xdg(name: str) -> dict[str, str]:
        home = work / f"xdg-{name}"
        env = dict(base)
        for part in ("CONFIG", "DATA", "STATE", "CACHE"):
            folder = home / part.lower()
            folder.mkdir(parents=True, exist_ok=True)
            env[f"XDG_{part}_HOME"] = str(folder)
        (home / "config" / "tuireader").mkdir(exist_ok=True)
        (home / "config" / "tuireader" / "config.yaml").write_text("include_seeds: false\n")
        return env

    def emptier(env: dict[str, str]) -> Callable[[], None]:
        return lambda: _empty(Path(env["XDG_CACHE_HOME"]))

    floor = work / "floor_app.py"
    floor.write_text(FLOOR_APP)
    text20k = work / "text-20k.txt"
    write_text_file(text20k, 20)
    row = re.compile(rb"\d{4}-\d\d-\d\d")
    cases = [
        Case("floor (bare Textual)", [python, str(floor)], re.compile(b"FLOOR-READY"), dict(base)),
        Case("seed article", [*tuireader, str(SEED)], re.compile(b"Admiration"), xdg("seed")),
        Case("20 KB text", [*tuireader, str(text20k)], re.compile(b"BENCH20K"), xdg("text")),
    ]
    for count in args.library:
        folder = work / f"docs-{count}"
        generate(folder, count, args.doc_kb, 1)
        warm = xdg(f"lib{count}")
        cases.append(Case(f"library {count:,} warm", [*tuireader, str(folder)], row, warm))
        if args.cold:
            cold = xdg(f"lib{count}-cold")
            cases.append(Case(f"library {count:,} cold", [*tuireader, str(folder)], row, cold,
                              before=emptier(cold)))
    folder = work / f"docs-{args.list_count}"
    generate(folder, args.list_count, args.doc_kb, 1)
    cold = xdg("list-cold")
    cases.append(Case(f"list {args.list_count:,} cold", [*tuireader, "list", str(folder)], None,
                      cold, before=emptier(cold)))
    cases.append(Case(f"list {args.list_count:,} warm", [*tuireader, "list", str(folder)], None,
                      xdg("list-warm")))
    chosen = [case for case in cases if not args.cases or _wanted(case.name, args.cases)]
    if args.baseline is None:
        return chosen
    # The same cases run from another source tree (e.g. ``git archive main``), interleaved.
    twins: list[Case] = []
    for case in chosen:
        twins.append(case)
        if case.name.startswith("floor"):
            continue
        env = {**case.env, "PYTHONPATH": str(args.baseline.resolve())}
        if "XDG_CACHE_HOME" in env:
            env["XDG_CACHE_HOME"] += "-baseline"
            Path(env["XDG_CACHE_HOME"]).mkdir(parents=True, exist_ok=True)
        before = case.before and (lambda env=env: _empty(Path(env["XDG_CACHE_HOME"])))
        twins.append(Case(f"{case.name} [base]", case.command, case.marker, env, before))
    return twins


def _empty(folder: Path) -> None:
    """Remove a folder's content (an emptied cache)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def _wanted(name: str, wanted: list[str]) -> bool:
    """Whether a case is among those asked for (by a word of its name)."""
    key = name.split()[0].lower()
    aliases = {"floor": "floor", "seed": "seed", "20": "text20k", "library": "library",
               "list": "list"}
    return aliases.get(key, key) in wanted


def main() -> int:
    """Build the cases, time them interleaved, print medians and ratios to the floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--library", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--list-count", type=int, default=10000)
    parser.add_argument("--doc-kb", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="also the library with no cache")
    parser.add_argument("--cases", nargs="*", default=[],
                        help="floor seed text20k library list (default: all)")
    parser.add_argument("--no-compile", action="store_true")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another tuireader source tree to time beside this one, same run")
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "tuireader-startup-bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if not args.no_compile:
        compile_bytecode(sys.executable)
        if args.baseline is not None:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.baseline)],
                           stdout=subprocess.DEVNULL, check=False)
    cases = build_cases(args, args.work)
    load_before = os.getloadavg()
    for case in cases:  # one untimed warm-up each: page cache, caches for the "warm" cases
        _one(case, args.timeout)
        case.times.clear()
        case.failures = 0
    for _ in range(args.runs):
        for case in cases:
            _one(case, args.timeout)
    load_after = os.getloadavg()
    floor = next((case for case in cases if case.name.startswith("floor")), None)
    floor_median = statistics.median(floor.times) if floor and floor.times else None
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; {args.runs} runs; "
          f"{COLS}x{ROWS} pty; bytecode {'not ' if args.no_compile else ''}compiled")
    width = max(len(case.name) for case in cases) + 1
    print(f"{'case':{width}s} {'median':>8s} {'min':>8s} {'max':>8s} {'x floor':>8s}")
    for case in cases:
        if not case.times:
            print(f"{case.name:{width}s} failed ({case.failures} timeouts)")
            continue
        middle = statistics.median(case.times)
        ratio = f"{middle / floor_median:.2f}x" if floor_median else "-"
        failed = f"  ({case.failures} timeouts)" if case.failures else ""
        low, high = min(case.times), max(case.times)
        print(f"{case.name:{width}s} {middle:7.3f}s {low:7.3f}s {high:7.3f}s {ratio:>8s}{failed}")
    return 0


def _one(case: Case, timeout: float) -> None:
    """One timed repetition of a case."""
    if case.before is not None:
        case.before()
    if case.marker is None:
        case.times.append(run_to_exit(case.command, case.env))
        return
    found = first_paint(case.command, case.env, case.marker, timeout)
    if found is None:
        case.failures += 1
    else:
        case.times.append(found)


if __name__ == "__main__":
    sys.exit(main())
