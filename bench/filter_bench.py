#!/usr/bin/env python3
"""Filtering the library as you type: milliseconds per key on 10,000 documents.

Describes a seeded library (``list_bench``'s corpus), then types a few queries
one key at a time and times, per key, the library screen's filter
(``DocumentFilter``, prepared once per list) beside scoring every document with
``document_score`` one by one (the filter before it was prepared), same run.
Prints medians and maxima of the per-key times over ``--runs`` passes.

    python bench/filter_bench.py --count 10000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_bench import generate

QUERIES = ["river mountain", "harbour", "lantern", "kettel", "part07", "the light"]


def one_by_one(query: str, documents: list[object]) -> list[int]:
    """The filter as it was: ``document_score`` for each document, then sorted."""
    from tuireader.core.filtering import document_score

    query = query.strip().lower()
    scored = [
        (-score, position)
        for position, document in enumerate(documents)
        if (score := document_score(query, document)) is not None  # type: ignore[arg-type]
    ]
    return [position for _, position in sorted(scored)]


def main() -> int:
    """Describe the corpus, type the queries, print the per-key figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "tuireader-bench")
    args = parser.parse_args()
    folder = args.dir / f"docs-{args.count}x20kb-s1"
    generate(folder, args.count, 20, 1)
    from tuireader.core.filtering import DocumentFilter
    from tuireader.core.library import load_library

    documents = load_library([folder]).documents
    prepare: list[float] = []
    prepared: list[float] = []
    plain: list[float] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        search = DocumentFilter(documents)
        prepare.append(time.perf_counter() - started)
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                typed = query[:end]
                started = time.perf_counter()
                fast = search.matches(typed)
                prepared.append(time.perf_counter() - started)
                started = time.perf_counter()
                slow = one_by_one(typed, documents)  # type: ignore[arg-type]
                plain.append(time.perf_counter() - started)
                assert fast == slow, typed
    print(f"{len(documents):,} documents, {len(prepared) // args.runs} keys x {args.runs} runs, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, times in (("DocumentFilter (prepared)", prepared),
                        ("document_score one by one", plain)):
        print(f"{name:27s} per key: median {1000 * statistics.median(times):6.1f} ms   "
              f"max {1000 * max(times):6.1f} ms")
    print(f"{'preparing, once per list':27s} median {1000 * statistics.median(prepare):6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
