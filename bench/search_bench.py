"""Benchmark tuireader's passage search against fzf on generated English-like text.

For each size (number of passages, about 60 words each) it generates a seeded
corpus of documents (1,000 passages per file) and queries of 1-6 words with
0-2 typos whose target passage is known, then prints:

* index build time (cold: no cache) and the corpus size in MB,
* cached reload time,
* query latency median and p95 (one query at a time, index warm),
* recall@1 and recall@10 of the target (all queries, and queries with typos),
* peak RSS of the build and of the search process (each in its own process),
* the same queries through ``fzf --filter`` (latency and recall) when fzf is installed.

Query words are the rarest words of the target passage (the distinctive words a
reader remembers), in shuffled order; typos (insert, delete, substitute, swap) go
to words of four letters or more.  Usage:

    python bench/search_bench.py                  # 100k and 1M passages
    python bench/search_bench.py --sizes 20000    # quick run
    python bench/search_bench.py --sizes 200000 --build-only --runs 3 --baseline /tmp/base
        # index build only (cores given by --workers), alternating with another copy of
        # tuireader (e.g. ``git archive main tuireader | tar -x -C /tmp/base``): medians
        # of wall and CPU seconds, and whether both wrote the same index file
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PASSAGES_PER_FILE = 1000
RARE_WORD_SHARE = 0.3
CORPUS_VERSION = 3
WORDS_PER_PASSAGE = 60
STOP = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "it",
    "was",
    "for",
    "on",
    "as",
    "with",
    "by",
    "he",
    "his",
    "at",
    "be",
    "this",
    "from",
    "had",
    "not",
    "but",
    "are",
    "or",
    "which",
    "they",
    "an",
    "were",
    "her",
    "she",
    "one",
    "all",
    "their",
    "there",
    "been",
    "has",
    "have",
    "we",
    "when",
    "who",
    "will",
    "more",
    "no",
    "if",
    "out",
    "so",
    "said",
    "what",
    "up",
    "its",
    "about",
    "into",
    "than",
    "them",
    "can",
    "only",
]
ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "br",
    "cr",
    "dr",
    "fr",
    "gr",
    "pr",
    "tr",
    "bl",
    "cl",
    "fl",
    "gl",
    "pl",
    "sl",
    "st",
    "sp",
    "sh",
    "ch",
    "th",
]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "oa", "ou", "io"]
CODAS = ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rk", "ng", "ck"]


def make_word(rng: random.Random) -> str:
    """A pseudo-English word of 1-4 syllables."""
    return "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))
    )


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Stopwords, then ``size`` distinct pseudo-English words of 2-4 syllables."""
    words: list[str] = list(STOP)
    seen = set(words)
    while len(words) < size + len(STOP):
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))
        )
        if word not in seen and len(word) >= 3:
            seen.add(word)
            words.append(word)
    return words


def generate(folder: Path, passages: int, seed: int) -> tuple[list[str], Path]:
    """Write the corpus; return the vocabulary and the fzf input file (one passage a line)."""
    rng = random.Random(seed)
    vocab = make_vocabulary(rng, 40_000)
    weights = [1.0 / (rank + 2.7) for rank in range(len(vocab))]
    cumulative: list[float] = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    marker = folder / "done.json"
    lines_file = folder / "passages.txt"
    identity = {"passages": passages, "seed": seed, "version": CORPUS_VERSION}
    if marker.exists() and json.loads(marker.read_text()) == identity:
        return vocab, lines_file
    frequency: Counter[str] = Counter()
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "docs").mkdir(parents=True)
    with open(lines_file, "w", encoding="utf-8") as flat:
        for number in range(0, passages, PASSAGES_PER_FILE):
            count = min(PASSAGES_PER_FILE, passages - number)
            paragraphs = []
            for index in range(count):
                chosen = rng.choices(vocab, cum_weights=cumulative, k=WORDS_PER_PASSAGE)
                if rng.random() < RARE_WORD_SHARE:
                    # Real text has a long tail of names and rare words.
                    chosen[rng.randrange(WORDS_PER_PASSAGE)] = make_word(rng) + make_word(rng)
                frequency.update(set(chosen))
                text = " ".join(chosen)
                text = text[0].upper() + text[1:] + "."
                paragraphs.append(text)
                flat.write(f"{number + index}\t{text}\n")
            name = folder / "docs" / f"doc{number // PASSAGES_PER_FILE:05d}.txt"
            name.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (folder / "df.json").write_text(json.dumps(frequency))
    marker.write_text(json.dumps(identity))
    return vocab, lines_file


def typo(rng: random.Random, word: str) -> str:
    """One random edit of ``word``, anywhere in it (the first letter included)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    kind = rng.choice(("delete", "insert", "substitute", "swap"))
    at = rng.randrange(1 if kind == "swap" else 0, len(word))
    if kind == "delete":
        return word[:at] + word[at + 1 :]
    if kind == "insert":
        return word[:at] + rng.choice(letters) + word[at:]
    if kind == "substitute":
        return word[:at] + rng.choice(letters.replace(word[at], "")) + word[at + 1 :]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


def make_queries(
    lines_file: Path, vocab: list[str], passages: int, count: int, seed: int
) -> list[dict[str, object]]:
    """Queries with their target passage number, typo count and word count."""
    rng = random.Random(seed + 1)
    frequency = json.loads((lines_file.parent / "df.json").read_text())
    targets = sorted(rng.sample(range(passages), count))
    texts: dict[int, str] = {}
    wanted = set(targets)
    with open(lines_file, encoding="utf-8") as flat:
        for line in flat:
            number, _, text = line.rstrip("\n").partition("\t")
            if int(number) in wanted:
                texts[int(number)] = text
    queries = []
    for target in targets:
        distinct = sorted(
            {word.strip(".").lower() for word in texts[target].split()},
            key=lambda word: frequency.get(word, 1),
        )
        size = rng.randint(1, 6)
        # Enough words to tell the passage apart (about 3 expected passages at most),
        # as a reader remembering a passage would: otherwise no engine could find it.
        while size < min(6, len(distinct)):
            expected = passages
            for word in distinct[:size]:
                expected *= frequency.get(word, 1) / passages
            if expected <= 3:
                break
            size += 1
        chosen = distinct[:size]
        clean = list(chosen)
        rng.shuffle(chosen)
        typos = rng.choice((0, 1, 2))
        eligible = [i for i, word in enumerate(chosen) if len(word) >= 4]
        applied = 0
        for i in rng.sample(eligible, min(typos, len(eligible))):
            chosen[i] = typo(rng, chosen[i])
            applied += 1
        queries.append(
            {
                "query": " ".join(chosen),
                "target": target,
                "typos": applied,
                "words": size,
                "clean": clean,
            }
        )
    return queries


def target_location(target: int) -> tuple[str, int]:
    """File name and first line of passage number ``target``."""
    return f"doc{target // PASSAGES_PER_FILE:05d}.txt", 2 * (target % PASSAGES_PER_FILE) + 1


def percentile(values: list[float], percent: float) -> float:
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB.

    ``VmHWM`` where Linux gives it: ``ru_maxrss`` of a process started by
    ``subprocess`` also counts the parent's memory before ``exec``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args: argparse.Namespace) -> None:
    """Run one measured phase in this (fresh) process and print JSON."""
    os.environ["XDG_CACHE_HOME"] = str(Path(args.folder) / args.cache)
    from tuireader.core.search import parallel
    from tuireader.core.search.index import SearchIndex

    if args.workers:
        cores = args.workers
        parallel.usable_cores = lambda: cores  # type: ignore[assignment]
    docs = Path(args.folder) / "docs"
    started = time.perf_counter()
    index = SearchIndex.build([docs])
    elapsed = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, object] = {
        "seconds": elapsed,
        "passages": index.passages,
        "from_cache": index.loaded_from_cache,
        "cpu_main": own.ru_utime + own.ru_stime,
        "cpu_workers": workers.ru_utime + workers.ru_stime,
    }
    if args.child == "search":
        queries = json.loads(Path(args.queries).read_text())
        for query in queries[:5]:
            index.search(str(query["query"]), 10)
        timings = []
        ranks: list[int | None] = []
        equivalent: list[int | None] = []
        for query in queries:
            begin = time.perf_counter()
            hits = index.search(str(query["query"]), 10)
            timings.append(time.perf_counter() - begin)
            name, line = target_location(int(query["target"]))
            found = [i for i, hit in enumerate(hits) if hit.path.name == name and hit.line == line]
            ranks.append(found[0] if found else None)
            clean = set(query["clean"])  # type: ignore[arg-type]
            equal = [
                i
                for i, hit in enumerate(hits)
                if clean <= {word.strip(".").lower() for word in hit.passage.split()}
            ]
            equivalent.append(min(found + equal) if found or equal else None)
        result["timings"] = timings
        result["ranks"] = ranks
        result["equivalent"] = equivalent
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def run_child(
    phase: str,
    folder: Path,
    queries: Path | None = None,
    workers: int = 0,
    cache: str = "cache",
    source: str | None = None,
) -> dict[str, object]:
    """Run ``child`` in a subprocess (so its peak RSS is its own).

    ``source``: a folder holding another ``tuireader`` package to measure instead.
    """
    command = [sys.executable, __file__, "--child", phase, "--folder", str(folder)]
    command += ["--workers", str(workers), "--cache", cache]
    if queries is not None:
        command += ["--queries", str(queries)]
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(output.strip().splitlines()[-1])


def recall(ranks: list[int | None], within: int, keep: list[bool]) -> float:
    """Share of kept queries whose target ranked within the first ``within``."""
    chosen = [rank for rank, flag in zip(ranks, keep, strict=True) if flag]
    if not chosen:
        return float("nan")
    return sum(1 for rank in chosen if rank is not None and rank < within) / len(chosen)


def run_fzf(
    lines_file: Path, queries: list[dict[str, object]], budget: float
) -> dict[str, float] | None:
    """Latency and recall of ``fzf --filter`` on the same passages and queries."""
    fzf = shutil.which("fzf")
    if fzf is None:
        return None
    timings = []
    ranks: list[int | None] = []
    started = time.perf_counter()
    for query in queries:
        if timings and time.perf_counter() - started > budget:
            break
        with open(lines_file, "rb") as stdin:
            begin = time.perf_counter()
            output = subprocess.run(
                [fzf, "--filter", str(query["query"])], stdin=stdin, capture_output=True
            ).stdout
            timings.append(time.perf_counter() - begin)
        top = [line.split(b"\t", 1)[0] for line in output.splitlines()[:10]]
        target = str(query["target"]).encode()
        ranks.append(top.index(target) if target in top else None)
    queries = queries[: len(ranks)]
    typed = [bool(query["typos"]) for query in queries]
    return {
        "queries": len(queries),
        "median_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * percentile(timings, 95),
        "recall1": recall(ranks, 1, [True] * len(ranks)),
        "recall10": recall(ranks, 10, [True] * len(ranks)),
        "recall10_typos": recall(ranks, 10, typed),
    }


def bench_builds(folder: Path, args: argparse.Namespace) -> None:
    """Cold index builds only, this tuireader and ``--baseline`` alternating; medians."""
    sources = {"this": None} | ({"baseline": args.baseline} if args.baseline else {})
    results: dict[str, list[dict[str, object]]] = {name: [] for name in sources}
    files: dict[str, bytes] = {}
    for _ in range(args.runs):
        for name, source in sources.items():
            shutil.rmtree(folder / f"cache-{name}", ignore_errors=True)
            result = run_child(
                "build", folder, workers=args.workers, cache=f"cache-{name}", source=source
            )
            result["load"] = os.getloadavg()[0]
            results[name].append(result)
            (index,) = (folder / f"cache-{name}" / "tuireader" / "search").glob("*.idx")
            files[name] = index.read_bytes()
            shutil.rmtree(folder / f"cache-{name}", ignore_errors=True)
    cores = args.workers or "all"
    print(f"\n== {folder.name}: cold build on {cores} cores, medians of {args.runs} run(s)")
    for name, runs in results.items():

        def median(key: str, runs: list[dict[str, object]] = runs) -> float:
            return statistics.median(float(run[key]) for run in runs)  # type: ignore[arg-type]

        cpu = median("cpu_main") + median("cpu_workers")
        print(
            f"{name:9s} wall {median('seconds'):6.2f} s   CPU {cpu:6.2f} s "
            f"(main {median('cpu_main'):.2f} + workers {median('cpu_workers'):.2f})   "
            f"peak RSS {median('peak_rss_mb'):.0f} MB   load average {median('load'):.1f}"
        )
    if "baseline" in files:
        print(f"same index file as the baseline: {files['this'] == files['baseline']}")


def bench(size: int, args: argparse.Namespace) -> None:
    """Generate, build, reload, query and compare for one corpus size."""
    folder = Path(args.workdir) / f"corpus-{size}"
    started = time.perf_counter()
    vocab, lines_file = generate(folder, size, args.seed)
    generated = time.perf_counter() - started
    if args.build_only:
        bench_builds(folder, args)
        return
    megabytes = sum(path.stat().st_size for path in (folder / "docs").iterdir()) / 1e6
    queries = make_queries(lines_file, vocab, size, args.queries, args.seed)
    query_file = folder / "queries.json"
    query_file.write_text(json.dumps(queries))
    shutil.rmtree(folder / "cache", ignore_errors=True)
    shutil.rmtree(folder / "cache-1", ignore_errors=True)
    single = run_child("build", folder, workers=1, cache="cache-1")
    build = run_child("build", folder, workers=args.workers)
    (one,) = (folder / "cache-1" / "tuireader" / "search").glob("*.idx")
    (many,) = (folder / "cache" / "tuireader" / "search").glob("*.idx")
    same = one.read_bytes() == many.read_bytes()
    shutil.rmtree(folder / "cache-1", ignore_errors=True)
    search = run_child("search", folder, query_file)
    timings = sorted(search["timings"])  # type: ignore[arg-type]
    ranks = search["ranks"]  # type: ignore[assignment]
    typed = [bool(query["typos"]) for query in queries]
    print(
        f"\n== {size:,} passages, {megabytes:.0f} MB in {size // PASSAGES_PER_FILE or 1} files "
        f"(generated/reused in {generated:.1f} s), {len(queries)} queries "
        f"({sum(typed)} with typos)"
    )
    print(
        f"build, 1 process    {single['seconds']:.1f} s   CPU {single['cpu_main']:.1f} s   "
        f"peak RSS {single['peak_rss_mb']:.0f} MB ({single['peak_rss_mb'] / megabytes:.2f}x corpus)"
    )
    cores = args.workers or "all"
    print(
        f"build, {cores} cores    {build['seconds']:.1f} s   CPU {build['cpu_main']:.1f} s "
        f"(writer) + {build['cpu_workers']:.1f} s (workers)   "
        f"peak RSS {build['peak_rss_mb']:.0f} MB ({build['peak_rss_mb'] / megabytes:.2f}x corpus)"
        f"   same file: {same}"
    )
    print(f"   load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"reload (cached)     {search['seconds']:.2f} s   from cache: {search['from_cache']}")
    print(
        f"query latency       median {1000 * statistics.median(timings):.1f} ms   "
        f"p95 {1000 * percentile(timings, 95):.1f} ms   "
        f"max {1000 * timings[-1]:.1f} ms"
    )
    print(
        f"recall@1 / @10      all {recall(ranks, 1, [True] * len(ranks)):.3f} / "
        f"{recall(ranks, 10, [True] * len(ranks)):.3f}   with typos "
        f"{recall(ranks, 1, typed):.3f} / {recall(ranks, 10, typed):.3f}"
    )
    equivalent = search["equivalent"]  # type: ignore[assignment]
    print(
        f"recall@1 / @10      counting a passage with every intended word as a hit: "
        f"{recall(equivalent, 1, [True] * len(ranks)):.3f} / "
        f"{recall(equivalent, 10, [True] * len(ranks)):.3f}"
    )
    for words in range(1, 7):
        keep = [query["words"] == words for query in queries]
        print(f"   {words} word(s): recall@10 {recall(ranks, 10, keep):.3f} ({sum(keep)} queries)")
    print(
        f"search process      peak RSS {search['peak_rss_mb']:.0f} MB "
        f"({search['peak_rss_mb'] / megabytes:.2f}x corpus)"
    )
    if args.fzf_queries:
        fzf = run_fzf(lines_file, queries[: args.fzf_queries], args.fzf_seconds)
        if fzf is None:
            print("fzf                 not installed")
        else:
            print(
                f"fzf --filter        {fzf['queries']:.0f} queries: median "
                f"{fzf['median_ms']:.0f} ms  p95 {fzf['p95_ms']:.0f} ms  recall@1 "
                f"{fzf['recall1']:.3f}  recall@10 {fzf['recall10']:.3f}  with typos "
                f"{fzf['recall10_typos']:.3f}"
            )


def main() -> None:
    """Parse options and run the benchmark (or one child phase)."""
    if "--child" in sys.argv:
        child_parser = argparse.ArgumentParser()
        child_parser.add_argument("--child", choices=("build", "search"))
        child_parser.add_argument("--folder")
        child_parser.add_argument("--queries")
        child_parser.add_argument("--workers", type=int, default=0)
        child_parser.add_argument("--cache", default="cache")
        child(child_parser.parse_args())
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300, help="queries per size")
    parser.add_argument(
        "--fzf-queries",
        type=int,
        default=40,
        help="how many of the queries to run through fzf (0: none)",
    )
    parser.add_argument(
        "--fzf-seconds",
        type=float,
        default=240,
        help="stop starting fzf queries after this long (fzf is slow on big corpora)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workers", type=int, default=0, help="cores for the parallel build (0: all)"
    )
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "tuireader-bench"))
    parser.add_argument("--build-only", action="store_true", help="measure cold index builds only")
    parser.add_argument("--runs", type=int, default=1, help="builds per copy (--build-only)")
    parser.add_argument(
        "--baseline",
        help="with --build-only: a folder holding another tuireader package, built alternately",
    )
    args = parser.parse_args()
    for size in args.sizes:
        bench(size, args)


if __name__ == "__main__":
    main()
