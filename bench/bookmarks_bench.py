#!/usr/bin/env python3
"""Bookmark costs on big inputs: fingerprinting, re-anchoring, adding with many bookmarks.

Usage: python bench/bookmarks_bench.py BIG_FILE [--runs 5]
(make BIG_FILE with ../shared/bench/make_corpus.py big --size-mb 100 --out /tmp/NAME/big.txt)
Prints the median of several runs for each step.  Uses a temporary bookmarks file.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tuireader.core.bookmarks.reanchor import fingerprint_file, reanchor
from tuireader.core.bookmarks.schema import BookmarkFile, render_bookmark_file
from tuireader.core.bookmarks.store import BookmarkStore, read_document_lines
from tuireader.core.storage import atomic_write_text


def median_time(action: Callable[[], Any], runs: int) -> float:
    """Median wall time of ``action`` in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def show(label: str, seconds: float) -> None:
    """Print one figure."""
    print(f"{label}: {seconds:.3f} s")


def bench_document(big: Path, runs: int) -> None:
    """Fingerprinting and re-anchoring in one big document."""
    print(f"document: {big} ({big.stat().st_size / 1e6:.0f} MB), median of {runs} runs")
    show("fingerprint_file (blake2b, streamed)", median_time(lambda: fingerprint_file(big), runs))
    lines = read_document_lines(big)
    show(
        f"read_document_lines ({len(lines)} lines)",
        median_time(lambda: read_document_lines(big), max(1, runs // 2)),
    )
    target = len(lines) // 2
    while not lines[target].strip():
        target += 1
    snippet = lines[target]
    shifted = ["inserted"] * 5 + lines
    show(
        "reanchor, 5 lines inserted above (exact, near)",
        median_time(lambda: reanchor(shifted, snippet, target + 1), runs),
    )
    edited = list(lines)
    edited[target] = snippet[:-3] + "xyz"
    show(
        "reanchor, marked line edited (fuzzy, near)",
        median_time(lambda: reanchor(edited, snippet, target + 1), runs),
    )
    far = edited[:target] + edited[target + 1 :] + [edited[target]]
    show(
        "reanchor, edited line moved to the end (fuzzy, whole document)",
        median_time(lambda: reanchor(far, snippet, target + 1), runs),
    )
    gone = edited[:target] + edited[target + 1 :]
    show(
        "reanchor, text gone (whole document searched)",
        median_time(lambda: reanchor(gone, "no such sentence anywhere in it", target + 1), runs),
    )


def bench_file(count: int, folder: Path, runs: int) -> None:
    """Opening and changing a bookmarks file of ``count`` bookmarks."""
    small = folder / "doc.txt"
    small.write_text("A line to mark.\n" * 50)
    target = folder / f"bm{count}.yaml"
    template = BookmarkStore(target).add(small, 1, note="a note about this passage")
    marks = [template.replace(id=f"x{n:05d}") for n in range(count)]
    atomic_write_text(target, render_bookmark_file(BookmarkFile(marks, {})))
    show(
        f"{count} bookmarks: open (parse)", median_time(lambda: BookmarkStore(target).list(), runs)
    )
    store = BookmarkStore(target)
    show(
        f"{count} bookmarks: add (lock, re-read, write)",
        median_time(lambda: store.add(small, 2), runs),
    )
    other = BookmarkStore(target)

    def add_after_other_process() -> None:
        other.add(small, 3)  # the file changed under `store`: it must parse again
        store.add(small, 4)

    show(
        f"{count} bookmarks: add by another process, then add here",
        median_time(add_after_other_process, runs),
    )


def main() -> None:
    """Run the measurements and print one line each."""
    parser = argparse.ArgumentParser()
    parser.add_argument("big", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_document(args.big, args.runs)
    with tempfile.TemporaryDirectory(prefix="bookmarks-bench-") as folder:
        for count in (100, 1000):
            bench_file(count, Path(folder), args.runs)


if __name__ == "__main__":
    main()
