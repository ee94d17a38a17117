#!/usr/bin/env python3
"""How often re-anchoring lands right, says so, or is silently wrong, on generated edit histories.

Usage: python bench/reanchor_bench.py [--trials 3000] [--seed 13] [FILE...]

Without FILEs it uses the seed texts, prose found on the machine (licence texts,
NEWS and changelogs) and a generated 20-chapter Markdown book.  Each trial puts
a bookmark on a random line, then edits the document the way people do: a few
edits elsewhere (paragraphs inserted, lines deleted, words changed, paragraphs
moved); in some trials the document already holds a near-duplicate of the
marked line (a word changed), sometimes right next to it
and one fate for the marked line itself (unchanged, words changed, text
appended, deleted, paragraph moved far away, moved and edited).  The true new
line is known, so each answer is *right*, *said so* (uncertain or gone while
the line still exists: kept in place, the user is told) or *silently wrong*
(a confident answer on the wrong line, or a deleted line "found" elsewhere).

Compared in the same run: line numbers alone, the first batch's re-anchoring
(text and distance) and the current one (text, context and distance).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WORDS, sentence
from _reanchor_baseline import baseline_reanchor

from tuireader.core.bookmarks.reanchor import context_of, count_copies, reanchor

ROOT = Path(__file__).resolve().parent.parent
MACHINE_PROSE = [
    "/usr/share/common-licenses/GPL-3",
    "/usr/share/common-licenses/GFDL-1.3",
    "/usr/share/common-licenses/Apache-2.0",
    "/usr/share/common-licenses/MPL-2.0",
    "/root/.pyenv/CHANGELOG.md",
    "/root/.pyenv/versions/3.12.1/lib/python3.12/idlelib/NEWS.txt",
]
FATES = {
    "unchanged": 3,
    "word edit": 3,
    "appended": 1,
    "deleted": 2,
    "moved far": 1,
    "moved+edited": 1,
}
EDITED = ("word edit", "appended", "moved+edited")
TWINS = 0.3
"""Share of trials where the document already has a near-duplicate of the marked line."""
SUFFIXES = [": The Storm", " (revised)", ", and then a few more words", " - see the notes", "!"]

Line = tuple[str, int]
"""A line's text and a unique id (to know where it went)."""


def book(rng: random.Random) -> list[str]:
    """A 20-chapter Markdown book: `## Chapter N` headings, paragraphs, scene breaks."""
    lines = ["# A generated book", ""]
    for number in range(1, 21):
        lines += [f"## Chapter {number}", ""]
        for part in range(rng.randint(3, 6)):
            lines += [sentence(rng, 12, 30), ""]
            if part == 2:
                lines += ["* * *", ""]
    return lines


def corpus(files: Sequence[str], rng: random.Random) -> dict[str, list[str]]:
    """The documents to edit: name -> lines."""
    names = list(files) or [str(p) for p in sorted((ROOT / "seeds").glob("*"))] + MACHINE_PROSE
    docs: dict[str, list[str]] = {}
    for name in names:
        path = Path(name)
        if path.is_file():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            if len(lines) >= 100:
                docs[path.name] = lines[:6000]
    if not files:
        docs["generated-book.md"] = book(rng)
    return docs


class Editor:
    """A document being edited, remembering where each original line went."""

    def __init__(self, lines: Sequence[str], rng: random.Random) -> None:
        """Start from ``lines``; new lines get fresh ids."""
        self.lines: list[Line] = [(text, index) for index, text in enumerate(lines)]
        self.rng = rng
        self.next_id = len(self.lines)

    def new(self, text: str) -> Line:
        """A new line (not from the original)."""
        self.next_id += 1
        return (text, self.next_id)

    def where(self, ident: int) -> int | None:
        """The current index of the line with ``ident``."""
        return next((i for i, (_, other) in enumerate(self.lines) if other == ident), None)

    def change_words(self, index: int) -> None:
        """Replace, insert or delete a word or two."""
        text, ident = self.lines[index]
        words = text.split()
        if not words:
            return
        spot = self.rng.randrange(len(words))
        kind = self.rng.choice(("replace", "insert", "delete") if len(words) > 3 else ("replace",))
        if kind == "replace":
            words[spot] = self.rng.choice(WORDS)
        elif kind == "insert":
            words.insert(spot, self.rng.choice(WORDS))
        else:
            del words[spot]
        self.lines[index] = (" ".join(words), ident)

    def paragraph_at(self, index: int) -> tuple[int, int]:
        """The block of lines with text around ``index`` (start, end)."""
        start = index
        while start > 0 and self.lines[start - 1][0].strip():
            start -= 1
        end = index + 1
        while end < len(self.lines) and self.lines[end][0].strip():
            end += 1
        return start, end

    def move_far(self, index: int) -> None:
        """Move the paragraph holding ``index`` at least a third of the document away."""
        start, end = self.paragraph_at(index)
        block = self.lines[start:end]
        del self.lines[start:end]
        size = len(self.lines)
        far = [
            i for i in range(size) if abs(i - start) > size // 3 and not self.lines[i][0].strip()
        ]
        spot = self.rng.choice(far) if far else size
        self.lines[spot:spot] = [self.new(""), *block]

    def noise(self, marked: int) -> None:
        """One edit somewhere: insert, delete, change words, move, or a near-duplicate."""
        size = len(self.lines)
        spot = self.rng.randrange(size)
        kind = self.rng.choice(("insert", "insert", "delete", "words", "words", "move"))
        if kind == "insert":
            self.lines[spot:spot] = [self.new(sentence(self.rng)), self.new("")]
        elif kind == "delete" and self.lines[spot][1] != marked:
            del self.lines[spot]
        elif kind == "words" and self.lines[spot][1] != marked:
            self.change_words(spot)
        elif kind == "move" and self.lines[spot][1] != marked:
            self.move_far(spot)


@dataclass
class Tally:
    """Outcomes of one method for one fate."""

    outcomes: Counter[str]

    def share(self, key: str) -> float:
        """Percentage of trials with outcome ``key``."""
        total = sum(self.outcomes.values())
        return 100.0 * self.outcomes[key] / total if total else 0.0


Method = Callable[[list[str], str, int, str, str, int], tuple[str, int]]


def by_lines(
    lines: list[str], snippet: str, line: int, before: str, after: str, copies: int
) -> tuple[str, int]:
    """Line numbers alone: the bookmark stays on its line number."""
    return "same", line


def first_batch(
    lines: list[str], snippet: str, line: int, before: str, after: str, copies: int
) -> tuple[str, int]:
    """The first batch: text and distance."""
    return baseline_reanchor(lines, snippet, line)


def current(
    lines: list[str], snippet: str, line: int, before: str, after: str, copies: int
) -> tuple[str, int]:
    """Now: text, context and distance; uncertain when unclear."""
    anchor = reanchor(lines, snippet, line, before, after, copies)
    return anchor.status, anchor.line


METHODS: dict[str, Method] = {
    "line numbers": by_lines,
    "first batch": first_batch,
    "text+context+distance": current,
}


def judge(status: str, line: int, truth: int | None) -> str:
    """right, said (kept and told), or wrong (silently)."""
    confident = status in ("same", "moved")
    if truth is None:
        return "wrong" if confident else "right"
    if not confident:
        return "said"
    return "right" if line == truth + 1 else "wrong"


def trial(
    rng: random.Random, docs: dict[str, list[str]]
) -> tuple[str, list[str], str, int, str, str, int, int | None]:
    """One edit history: (fate, new lines, snippet, old line, before, after, copies, truth)."""
    name = rng.choice(sorted(docs))
    lines = list(docs[name])
    marked = rng.choice([i for i, text in enumerate(lines) if text.strip()])
    if rng.random() < TWINS:
        # The document has a near-duplicate of the marked line: next to it, or anywhere.
        twin = Editor([lines[marked]], rng)
        twin.change_words(0)
        near = marked + rng.choice((0, 1)) if rng.random() < 0.4 else rng.randrange(len(lines))
        lines.insert(near, twin.lines[0][0])
        marked += 1 if near <= marked else 0
    before, after = context_of(lines, marked + 1)
    copies = count_copies(lines, lines[marked])
    fate = rng.choices(list(FATES), weights=list(FATES.values()))[0]
    editor = Editor(lines, rng)
    for _ in range(rng.randint(1, 8)):
        editor.noise(marked)
    index = editor.where(marked)
    assert index is not None
    if fate in ("word edit", "moved+edited"):
        editor.change_words(index)
    elif fate == "appended":
        text, ident = editor.lines[index]
        editor.lines[index] = (text + rng.choice(SUFFIXES), ident)
    elif fate == "deleted":
        del editor.lines[index]
    if fate in ("moved far", "moved+edited"):
        editor.move_far(index)
    truth = editor.where(marked)
    new = [text for text, _ in editor.lines]
    return fate, new, lines[marked], marked + 1, before, after, copies, truth


def main() -> None:
    """Run the trials and print a table per method."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--trials", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    docs = corpus(args.files, rng)
    print(f"documents: {', '.join(f'{n} ({len(v)} lines)' for n, v in docs.items())}")
    tallies: dict[str, dict[str, Counter[str]]] = {m: defaultdict(Counter) for m in METHODS}
    times: dict[str, list[float]] = {m: [] for m in METHODS}
    for _ in range(args.trials):
        fate, new, snippet, line, before, after, copies, truth = trial(rng, docs)
        for name, method in METHODS.items():
            start = time.perf_counter()
            status, found = method(new, snippet, line, before, after, copies)
            times[name].append(time.perf_counter() - start)
            tallies[name][fate][judge(status, found, truth)] += 1
    for name in METHODS:
        print(f"\n{name}  (median {1000 * statistics.median(times[name]):.2f} ms per bookmark)")
        print(f"  {'fate':14} {'n':>5} {'right':>7} {'said so':>8} {'silent wrong':>13}")
        everything: Counter[str] = Counter()
        edited: Counter[str] = Counter()
        for fate in FATES:
            outcome = tallies[name][fate]
            everything.update(outcome)
            if fate in EDITED:
                edited.update(outcome)
            tally = Tally(outcome)
            print(
                f"  {fate:14} {sum(outcome.values()):5} {tally.share('right'):6.1f}% "
                f"{tally.share('said'):7.1f}% {tally.share('wrong'):12.1f}%"
            )
        for label, outcome in (("edited lines", edited), ("all bookmarks", everything)):
            tally = Tally(outcome)
            print(
                f"  {label:14} {sum(outcome.values()):5} {tally.share('right'):6.1f}% "
                f"{tally.share('said'):7.1f}% {tally.share('wrong'):12.1f}%"
            )


if __name__ == "__main__":
    main()
