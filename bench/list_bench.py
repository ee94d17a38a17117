#!/usr/bin/env python3
"""Time ``tuireader list DIR --json`` on a seeded folder of documents.

Generates (once, seeded) N documents of about K KB each in the seed article's
header form, then times several runs and prints the median, the spread and the
peak RSS, beside a shell baseline that reads the head of every file
(``find | xargs head``), which is what a user without tuireader would script.

    python bench/list_bench.py                 # 10,000 documents of ~20 KB, 5 runs
    python bench/list_bench.py --count 1000 --runs 3
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CATEGORIES, median, paragraph, run_timed


def generate(folder: Path, count: int, doc_kb: int, seed: int) -> None:
    """Write ``count`` documents of about ``doc_kb`` KB into ``folder`` (skipped if present)."""
    stamp = folder / ".stamp"
    want = f"{count} {doc_kb} {seed}"
    if stamp.exists() and stamp.read_text() == want:
        return
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    for index in range(count):
        sub = folder / f"part{index % 50:02d}"
        sub.mkdir(exist_ok=True)
        title = " ".join(word.capitalize() for word in paragraph(rng, 1).split()[:5]).rstrip(".")
        date = f"{rng.randint(1990, 2026)}.{rng.randint(1, 12)}.{rng.randint(1, 28)}."
        parts = [rng.choice(CATEGORIES), title, "\u00a0" + date]
        size = 0
        while size < doc_kb * 1000:
            text = paragraph(rng, rng.randint(2, 6))
            parts.append(text)
            size += len(text) + 2
        (sub / f"doc{index:05d}.txt").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    stamp.write_text(want)


def main() -> int:
    """Generate the corpus, run the timings and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--doc-kb", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "tuireader-bench")
    args = parser.parse_args()

    folder = args.dir / f"docs-{args.count}x{args.doc_kb}kb-s{args.seed}"
    generate(folder, args.count, args.doc_kb, args.seed)
    tuireader = shutil.which("tuireader") or sys.exit("tuireader is not installed")
    commands = {
        "tuireader list --json": [tuireader, "list", str(folder), "--json"],
        "find | xargs head -n 5": [
            "sh",
            "-c",
            f"find '{folder}' -type f -name '*.txt' -print0 | xargs -0 head -n 5",
        ],
    }
    print(f"corpus: {folder} ({args.count} documents of ~{args.doc_kb} KB)")
    for name, command in commands.items():
        run_timed(command)  # warm the page cache
        times, peaks = [], []
        for _ in range(args.runs):
            elapsed, peak_kib = run_timed(command)
            times.append(elapsed)
            peaks.append(peak_kib)
        print(
            f"{name:26s} median {median(times):.3f} s  (min {min(times):.3f}, "
            f"max {max(times):.3f}, {args.runs} runs)  peak RSS {max(peaks) / 1024:.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
