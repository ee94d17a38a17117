#!/usr/bin/env python3
"""Markdown block structure: the first screen's chunk against a whole-document parse.

Generates a seeded Markdown document (headings, setext headings, paragraphs,
lists, quotes, fenced Python and indented code) of ``--megabytes`` MB, then
times, as medians of ``--runs`` runs:

- the reader's first screen: ``BlockContext.info`` for the first 60 lines
  (one chunk parsed);
- the whole document parsed chunk by chunk (what the reader's worker does
  after the scan, ``parse_all``);
- markdown-it parsing the whole document at once (what a reader without
  chunks would have to do before drawing anything), block rules only.

    python bench/markdown_blocks_bench.py --megabytes 5 --runs 5
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median, paragraph

from tuireader.core.formats.blocks import BlockContext
from tuireader.core.formats.mdblocks import parse_tokens
from tuireader.core.lineindex import LineIndex

CODE = 'def greet(name: str) -> str:\n    """Say hello."""\n    return f"Hello, {name}!"\n'


def document(megabytes: float, seed: int = 7) -> str:
    """A seeded Markdown text of about ``megabytes`` MB."""
    rng = random.Random(seed)
    parts: list[str] = ["---\ntitle: Bench\nauthor: A. Reader\n---\n"]
    size = 0
    number = 0
    while size < megabytes * 1_000_000:
        number += 1
        kind = number % 6
        if kind == 0:
            part = f"## Section {number}\n"
        elif kind == 1:
            part = f"Part {number}\n" + "-" * 10 + "\n"
        elif kind == 2:
            part = "\n".join(f"- {paragraph(rng, 1)[:70]}" for _ in range(4)) + "\n"
        elif kind == 3:
            part = "> " + paragraph(rng, 2)[:300] + "\n"
        elif kind == 4:
            part = "```python\n" + CODE + "```\n\n    indented code\n"
        else:
            part = paragraph(rng, 4) + "\n"
        parts.append(part)
        size += len(part) + 1
    return "\n".join(parts)


def timed(action: object) -> float:
    """Seconds one call of ``action`` takes."""
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    """Print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = document(args.megabytes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.md"
        path.write_text(text, encoding="utf-8")
        index = LineIndex(path, markdown=True)
        index.scan()
        lines = text.split("\n")
        first: list[float] = []
        chunked: list[float] = []
        whole: list[float] = []
        for _ in range(args.runs):
            blocks = BlockContext(index)
            first.append(timed(lambda b=blocks: [b.info(line) for line in range(60)]))
            blocks = BlockContext(index)
            chunked.append(timed(blocks.parse_all))
            whole.append(timed(lambda: parse_tokens(lines)))
        index.close()
    print(f"document: {len(text) / 1e6:.1f} MB, {len(lines):,} lines, {args.runs} runs (medians)")
    print(f"first screen (one chunk):        {median(first) * 1000:8.1f} ms")
    print(f"whole document, chunk by chunk:  {median(chunked) * 1000:8.1f} ms")
    print(f"whole document in one parse:     {median(whole) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
