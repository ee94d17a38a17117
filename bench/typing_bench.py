"""Key-to-results latency of the search overlay while typing, on a large library.

Builds (or reuses) the corpus of ``search_bench.py`` (same seed: generated
English-like text, one passage per paragraph), loads its index, opens the app's
``SearchScreen`` headless and types each query key by key with a pause between
keys like a fast typist.  For each query it measures the time from the last key
press to the hits of the full query being listed (the first screenful set in the
result list; it is painted at the next refresh).  It prints the median and p95,
for the overlay as it is (``DEBOUNCE_SECONDS`` of the module) and, in the same
run, with the old 0.15 s debounce, plus the time of ``search`` alone on every
prefix typed (what each key costs the index).  Usage:

    python bench/typing_bench.py                    # 200,000 passages, 30 queries
    python bench/typing_bench.py --size 20000 --queries 10
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench

KEY_GAP = 0.12
"""Seconds between keys (a fast typist: about 100 words a minute)."""
OLD_DEBOUNCE = 0.15
"""The overlay's debounce before results updated on every key."""


async def _type_queries(index: Any, queries: list[str], debounce: float) -> list[float]:
    """Seconds from the last key of each query to its hits being listed.

    Keys go straight into the input (``insert_text_at_cursor``, what a key press
    does) rather than through ``Pilot.press``, which waits for the app to be idle
    and so would count its own waiting.
    """
    from textual.app import App
    from textual.widgets import Input

    from tuireader.ui.screens import search as screen_module

    screen_module.DEBOUNCE_SECONDS = debounce  # type: ignore[attr-defined]
    listed: list[float] = [0.0]

    class Timed(screen_module.SearchScreen):  # type: ignore[misc]
        """Notes when the hits of the current query were last listed."""

        def _show_hits(self, *args: Any) -> None:
            super()._show_hits(*args)
            listed[0] = time.perf_counter()

    class Bench(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Timed(index))

    latencies: list[float] = []
    app = Bench()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        field = screen.query_one(Input)
        for query in queries:
            field.value = ""
            await pilot.pause()
            for char in query[:-1]:
                field.insert_text_at_cursor(char)
                await asyncio.sleep(KEY_GAP)
            before = screen.searches  # type: ignore[attr-defined]
            started = time.perf_counter()
            field.insert_text_at_cursor(query[-1])
            while screen.searches == before:  # type: ignore[attr-defined]
                await asyncio.sleep(0.0005)
            latencies.append(listed[0] - started)
            await pilot.pause()
    return latencies


def _percentile(values: list[float], percent: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def main() -> None:
    """Build the corpus and index, type the queries, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=200_000, help="passages")
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "tuireader-bench"))
    args = parser.parse_args()
    folder = Path(args.workdir) / f"corpus-{args.size}"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    vocab, lines_file = search_bench.generate(folder, args.size, args.seed)
    made = search_bench.make_queries(lines_file, vocab, args.size, args.queries, args.seed)
    queries = [str(query["query"]) for query in made]

    from tuireader.core.search import index as index_module
    from tuireader.ui.screens import search as screen_module

    started = time.perf_counter()
    index = index_module.SearchIndex.build([folder / "docs"])
    print(f"{index.passages:,} passages, index ready in {time.perf_counter() - started:.1f} s")
    per_key: list[float] = []
    cpu: list[float] = []
    for query in queries:
        for end in range(1, len(query) + 1):
            begin, begin_cpu = time.perf_counter(), time.thread_time()
            index.search(query[:end], screen_module.RESULT_LIMIT)
            per_key.append(time.perf_counter() - begin)
            cpu.append(time.thread_time() - begin_cpu)
    print(
        f"search() per key typed   median {1000 * statistics.median(per_key):6.1f} ms   "
        f"p95 {1000 * _percentile(per_key, 95):6.1f} ms   ({len(per_key)} prefixes; CPU time "
        f"median {1000 * statistics.median(cpu):.1f} ms, p95 {1000 * _percentile(cpu, 95):.1f} ms)"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    current = float(getattr(screen_module, "DEBOUNCE_SECONDS", 0.0))
    for label, debounce in (("overlay now", current), ("old debounce", OLD_DEBOUNCE)):
        latencies = asyncio.run(_type_queries(index, queries, debounce))
        print(
            f"{label:<13} ({debounce:.2f} s debounce)  last key -> hits listed: median "
            f"{1000 * statistics.median(latencies):6.1f} ms   p95 "
            f"{1000 * _percentile(latencies, 95):6.1f} ms   ({len(latencies)} queries)"
        )


if __name__ == "__main__":
    main()
