#!/usr/bin/env python3
"""Time to first line and to the last line after ``G``, for tuireader, less and toolong.

Generates seeded text files (1, 10 and 100 MB by default) and a 10 MB Markdown
file under a work folder, then for each program and file starts it in a fresh
session of a private tmux server (``tmux -L NAME``) at 120x40, polls the
rendered screen (``capture-pane -p``) until the first line's marker shows,
presses ``G`` and polls until the last line's marker shows.  Peak RSS is the
sum of VmHWM over the pane's process tree.  Prints medians of ``--runs`` runs.

Standalone: needs only the standard library, tmux, and the programs measured.

    python bench/open_bench.py --sizes 1 10 100 --runs 5
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

WORDS_TEXT = """
the of and to in a is that for it as was with be by on not he this are or his from at
which but have an they you were her she there been one all we their has would when if so
no more other into some could time these two may then do first any my now such like our
over man me even most made after also did many before must through back years where much
your way well down should because each just those people how too little state good very
make world still own see men work long get here between both life being under never day
same another know while last might us great old year off come since against go came right
used take three reading library passage terminal chapter river mountain quietly
"""
WORDS = WORDS_TEXT.split()
POLL = 0.005


def generate_text(path: Path, megabytes: int, tag: str, seed: int = 42) -> None:
    """Write a seeded English-like file with begin and end markers."""
    rng = random.Random(seed + megabytes)
    target = megabytes * 1024 * 1024
    with path.open("w", encoding="utf-8") as out:
        out.write(f"BENCH-BEGIN-{tag} first line\n")
        written = 0
        number = 1
        while written < target:
            words = rng.choices(WORDS, k=rng.randint(6, 22))
            line = f"{number:08d} " + " ".join(words) + "\n"
            out.write(line)
            written += len(line)
            number += 1
        out.write(f"BENCH-END-{tag} last line\n")


def generate_markdown(path: Path, megabytes: int, seed: int = 7) -> None:
    """Write a seeded Markdown file: headings, paragraphs, lists, quotes, code."""
    rng = random.Random(seed)
    target = megabytes * 1024 * 1024
    with path.open("w", encoding="utf-8") as out:
        out.write("# BENCHMD-BEGIN heading\n\n")
        written = 0
        section = 1
        while written < target:
            parts = [f"## Section {section} *of* the book\n\n"]
            for _ in range(rng.randint(3, 8)):
                words = rng.choices(WORDS, k=rng.randint(20, 60))
                words[3] = f"**{words[3]}**"
                words[7] = f"`{words[7]}`"
                parts.append(" ".join(words) + "\n\n")
            parts.append("- one item with a [link](https://example.org/x)\n- another *item*\n\n")
            parts.append("> a quoted line of text\n\n")
            parts.append("```python\nprint('code')  # not a heading\n```\n\n")
            chunk = "".join(parts)
            out.write(chunk)
            written += len(chunk)
            section += 1
        out.write("BENCHMD-END last line\n")


class Tmux:
    """A private tmux server."""

    def __init__(self, name: str, config: Path) -> None:
        """Remember the server's socket name and the tmux config file it uses."""
        self.name = name
        self.config = config

    def run(self, *args: str, check: bool = True) -> str:
        """Run a tmux command on the private server."""
        result = subprocess.run(
            ["tmux", "-L", self.name, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=20,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def screen(self, session: str) -> str:
        """The rendered text of a session's pane."""
        return self.run("capture-pane", "-p", "-t", session, check=False)

    def kill_server(self) -> None:
        """Stop the private server."""
        self.run("kill-server", check=False)


def process_tree(root: int) -> list[int]:
    """PIDs of ``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            data = Path(f"/proc/{entry}/stat").read_bytes()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def peak_rss_mb(root: int) -> float:
    """Sum of VmHWM over a process tree, in MB."""
    total = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def wait_for(
    tmux: Tmux,
    session: str,
    test: Callable[[str], bool],
    timeout: float,
    since: float | None = None,
) -> float | None:
    """Seconds from ``since`` (default now) until ``test(screen)`` is true; None on timeout."""
    start = time.monotonic() if since is None else since
    while time.monotonic() - start < timeout:
        if test(tmux.screen(session)):
            return time.monotonic() - start
        time.sleep(POLL)
    return None


def wait_settled(tmux: Tmux, session: str, quiet: float = 0.25, limit: float = 10.0) -> None:
    """Wait until the screen stops changing for ``quiet`` seconds (untimed)."""
    last = tmux.screen(session)
    since = time.monotonic()
    start = since
    while time.monotonic() - start < limit:
        time.sleep(0.02)
        now = tmux.screen(session)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def measure(
    tmux: Tmux,
    command: list[str],
    first: Callable[[str], bool],
    last: Callable[[str], bool] | None,
    env: dict[str, str],
    timeout: float,
    run: int,
    end_key: str = "G",
    home: tuple[str, Callable[[str], bool]] | None = None,
) -> tuple[float | None, float | None, float]:
    """One run: (first paint s, G-to-last-line s, peak RSS MB)."""
    session = f"b{run}-{os.getpid()}"
    # A fresh state folder per run, so no run resumes where an earlier one stopped.
    env = {**env, "XDG_STATE_HOME": tempfile.mkdtemp(prefix="run-", dir=env["XDG_STATE_HOME"])}
    env_words = [f"{key}={shlex.quote(value)}" for key, value in env.items()]
    shell = "exec env " + " ".join(env_words) + " " + shlex.join(command)
    start = time.monotonic()
    tmux.run("new-session", "-d", "-s", session, "-x", "120", "-y", "40", shell)
    pid = int(tmux.run("display", "-p", "-t", session, "#{pane_pid}").strip() or 0)
    # Counted from just before new-session, so the program's exec and start-up are included.
    paint = wait_for(tmux, session, first, timeout, since=start)
    found = paint
    end_time = None
    if found is not None and last is not None:
        wait_settled(tmux, session)
        if home is not None:
            # Programs that open at the end (toolong tails) go to the top first, untimed.
            tmux.run("send-keys", "-t", session, home[0])
            wait_for(tmux, session, home[1], timeout)
            wait_settled(tmux, session)
        if last(tmux.screen(session)):
            print("  (last line already visible before G)", file=sys.stderr)
        tmux.run("send-keys", "-t", session, end_key)
        end_time = wait_for(tmux, session, last, timeout)
    rss = peak_rss_mb(pid) if pid else 0.0
    tmux.run("kill-session", "-t", session, check=False)
    return paint, end_time, rss


def fmt(values: list[float | None]) -> str:
    """Median of the runs, or 'fail'."""
    good = [value for value in values if value is not None]
    if len(good) < len(values) or not good:
        return "fail"
    return f"{statistics.median(good):.3f}s"


def main() -> int:
    """Generate, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "reader-bench")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--programs", nargs="*", default=["tuireader", "less", "tl"])
    parser.add_argument(
        "--tuireader", default=None, help="tuireader command (default: the one beside this python)"
    )
    parser.add_argument("--tl", default=None, help="toolong's tl command (default: on PATH)")
    parser.add_argument(
        "--seed-article",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "seeds" / "general-sorkins-admiration.txt",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    tuireader = args.tuireader or str(Path(sys.executable).parent / "tuireader")
    programs: dict[str, list[str]] = {}
    if "tuireader" in args.programs:
        programs["tuireader"] = [tuireader]
    if "less" in args.programs and shutil.which("less"):
        programs["less"] = ["less"]
    tl = args.tl or shutil.which("tl")
    if "tl" in args.programs and tl:
        programs["toolong"] = [tl]
    config = args.work / "tmux.conf"
    config.write_text("set -g status off\nset -g escape-time 0\n")
    state_home = Path(tempfile.mkdtemp(prefix="state-", dir=args.work))
    env = {
        "TERM": "xterm-256color",
        "XDG_STATE_HOME": str(state_home),
        "XDG_CONFIG_HOME": str(state_home),
        "XDG_DATA_HOME": str(state_home),
        "XDG_CACHE_HOME": str(state_home),
    }
    tmux = Tmux(f"readerbench-{os.getpid()}", config)
    tmux.run("new-session", "-d", "-s", "keeper", "sleep 100000")
    print(f"tmux -L {tmux.name}, 120x40, {args.runs} runs each, medians; RSS = peak of pane tree")
    try:
        for size in args.sizes:
            path = args.work / f"big-{size}MB.txt"
            if not path.exists():
                generate_text(path, size, f"{size}MB")
            tag = f"{size}MB"
            begin = f"BENCH-BEGIN-{tag}"
            end = f"BENCH-END-{tag}"
            for name, command in programs.items():
                if name == "toolong":
                    # toolong opens at the end of a file (it tails): its first paint is
                    # either marker; its End key is "end" (its G means Home).
                    results = [
                        measure(
                            tmux,
                            [*command, str(path)],
                            lambda screen, b=begin, e=end: b in screen or e in screen,
                            lambda screen, e=end: e in screen,
                            env,
                            args.timeout,
                            run,
                            end_key="End",
                            home=("Home", lambda screen, b=begin: b in screen),
                        )
                        for run in range(args.runs)
                    ]
                else:
                    results = [
                        measure(
                            tmux,
                            [*command, str(path)],
                            lambda screen, b=begin: b in screen,
                            lambda screen, e=end: e in screen,
                            env,
                            args.timeout,
                            run,
                        )
                        for run in range(args.runs)
                    ]
                paints, ends, rss = zip(*results, strict=True)
                label = "first paint" if name == "toolong" else "first line "
                print(
                    f"{size:>4} MB text  {name:<10} {label} {fmt(list(paints)):>8}   "
                    f"G→last line {fmt(list(ends)):>8}   peak RSS {max(rss):6.1f} MB"
                )
        if "tuireader" in programs:
            markdown = args.work / "book-10MB.md"
            if not markdown.exists():
                generate_markdown(markdown, 10)

            def styled(screen: str) -> bool:
                return "BENCHMD-BEGIN" in screen and "# BENCHMD-BEGIN" not in screen

            results = [
                measure(
                    tmux,
                    [*programs["tuireader"], str(markdown)],
                    styled,
                    lambda screen: "BENCHMD-END" in screen,
                    env,
                    args.timeout,
                    run,
                )
                for run in range(args.runs)
            ]
            paints, ends, rss = zip(*results, strict=True)
            print(
                f"  10 MB md    tuireader  first screen (heading styled) {fmt(list(paints))}   "
                f"G→last line {fmt(list(ends))}   peak RSS {max(rss):6.1f} MB"
            )
            if args.seed_article.exists():
                results = [
                    measure(
                        tmux,
                        [*programs["tuireader"], str(args.seed_article)],
                        lambda screen: "The respected Comrade" in screen,
                        None,
                        env,
                        args.timeout,
                        run,
                    )
                    for run in range(args.runs)
                ]
                paints, _, rss = zip(*results, strict=True)
                print(
                    f"  seed article tuireader first screen {fmt(list(paints))}   "
                    f"peak RSS {max(rss):6.1f} MB"
                )
    finally:
        tmux.kill_server()
        shutil.rmtree(state_home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
