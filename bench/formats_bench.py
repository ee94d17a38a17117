#!/usr/bin/env python3
"""Books and saved pages: first chapter ready, full conversion, index build, peak RSS.

Builds seeded EPUBs of 1, 10 and 50 MB of text (chapters of ~200 KB with
headings, lists and tables) and a folder of 1,000 saved HTML pages under a work
folder, then measures, each in a fresh child process (median of ``--runs``):

- core, cold cache: seconds until the first chapter is readable (the point the
  reader can show it), until the whole book is converted, and the peak RSS;
- core, warm cache: seconds to get the cached text of an already converted book;
- search index build over the converted book (tuireader's own index);
- on screen, in a private tmux server at 120x40: tuireader and, where installed,
  epy, from launch until the first chapter's text is drawn;
- HTML: converting 1,000 pages (trafilatura, and the built-in fallback) and
  listing the folder cold with ``tuireader list --json``.

    python bench/formats_bench.py --sizes 1 10 50 --runs 3
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WORDS, median

FIRST_MARK = "FIRSTCHAPTERMARK"
_SERVERS = itertools.count()
CHAPTER_BYTES = 200 * 1024


def _para(rng: random.Random) -> str:
    """A paragraph of seeded words."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(40, 120))]
    words[2] = f"<em>{words[2]}</em>"
    return "<p>" + " ".join(words).capitalize() + ".</p>"


def _chapter(rng: random.Random, number: int) -> str:
    """One chapter of about ``CHAPTER_BYTES`` of XHTML."""
    parts = [f'<h1 id="c{number}">Chapter {number}</h1>']
    if number == 1:
        parts.append(f"<p>{FIRST_MARK} the keeper opened the door.</p>")
    size = 0
    while size < CHAPTER_BYTES:
        block = _para(rng)
        if rng.random() < 0.05:
            block += "<ul>" + "".join(f"<li>{rng.choice(WORDS)}</li>" for _ in range(4)) + "</ul>"
        if rng.random() < 0.02:
            block += (
                "<table><tr><th>Name</th><th>Count</th></tr>"
                + "".join(
                    f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randint(1, 99)}</td></tr>"
                    for _ in range(4)
                )
                + "</table>"
            )
        parts.append(block)
        size += len(block)
    body = "\n".join(parts)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>Chapter {number}</title></head><body>{body}</body></html>"
    )


def build_epub(path: Path, megabytes: int, seed: int = 11) -> None:
    """Write a seeded EPUB 3 of about ``megabytes`` of XHTML text."""
    rng = random.Random(seed + megabytes)
    count = max(1, megabytes * 1024 * 1024 // CHAPTER_BYTES)
    manifest, spine, nav = [], [], []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        for number in range(1, count + 1):
            name = f"ch{number:04d}.xhtml"
            book.writestr(f"OEBPS/{name}", _chapter(rng, number))
            manifest.append(
                f'<item id="c{number}" href="{name}" media-type="application/xhtml+xml"/>'
            )
            spine.append(f'<itemref idref="c{number}"/>')
            nav.append(f'<li><a href="{name}">Chapter {number}</a></li>')
        book.writestr(
            "OEBPS/nav.xhtml",
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
            f'<body><nav epub:type="toc"><ol>{"".join(nav)}</ol></nav></body></html>',
        )
        book.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>Bench Book {megabytes} MB</dc:title><dc:creator>Bench Author</dc:creator>"
            "<dc:language>en</dc:language></metadata><manifest>"
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
            f"{''.join(manifest)}</manifest><spine>{''.join(spine)}</spine></package>",
        )


def build_pages(folder: Path, count: int = 1000, seed: int = 5) -> None:
    """Write ``count`` seeded saved pages with chrome, scripts and an article."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    menu = "".join(f'<li><a href="/s{n}">Section {n}</a></li>' for n in range(30))
    for number in range(count):
        title = escape(" ".join(rng.choice(WORDS) for _ in range(5)).capitalize())
        article = "".join(_para(rng) for _ in range(rng.randint(8, 30)))
        page = (
            f"<!DOCTYPE html><html lang='en'><head><title>{title} | Site</title>"
            f'<meta property="og:title" content="{title}">'
            f'<meta name="author" content="Writer {number % 37}">'
            f'<meta property="article:published_time" '
            f'content="2024-0{1 + number % 9}-1{number % 9}">'
            f"<script>{'var x = 1;' * 300}</script><style>{'a{b:c}' * 200}</style></head><body>"
            f"<header><nav><ul>{menu}</ul></nav></header><article><h1>{title}</h1>{article}</article>"
            f"<aside class='related'>{_para(rng)}</aside><footer>Copyright</footer></body></html>"
        )
        (folder / f"page-{number:04d}.html").write_text(page, encoding="utf-8")


# ---------------------------------------------------------------- child measurements


def _peak_mb() -> float:
    """This process's peak RSS in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_convert(path: Path) -> dict[str, float]:
    """Convert a book cold: seconds to first chapter and to the end, peak RSS."""
    from tuireader.core.formats.bookcache import converted_text
    from tuireader.core.formats.epub import EpubSource

    start = time.perf_counter()
    first: list[float] = []

    def progress(_state: object) -> None:
        if not first:
            first.append(time.perf_counter() - start)

    converted_text(path, EpubSource, on_progress=progress)
    total = time.perf_counter() - start
    warm_start = time.perf_counter()
    converted_text(path, EpubSource)
    warm = time.perf_counter() - warm_start
    return {"first": first[0], "full": total, "warm": warm, "rss": _peak_mb()}


def child_index(path: Path) -> dict[str, float]:
    """Build the search index over one (already converted) book."""
    from tuireader.core.search.index import SearchIndex

    start = time.perf_counter()
    index = SearchIndex.build([path], use_cache=False)
    took = time.perf_counter() - start
    index.close()
    return {"index": took, "rss": _peak_mb()}


def child_app(path: Path) -> dict[str, float]:
    """Seconds from creating the app (headless) until the first chapter's text is drawn."""
    import asyncio

    from tuireader.ui.app import TuiReaderApp
    from tuireader.ui.screens.reader import ReaderScreen

    async def run() -> float:
        start = time.perf_counter()
        app = TuiReaderApp(start_file=path)
        async with app.run_test(size=(120, 40)):
            while True:
                await asyncio.sleep(0.002)
                screen = app.screen
                if isinstance(screen, ReaderScreen) and screen.index.line_count:
                    rows = (screen.view.render_line(y).text for y in range(20))
                    if FIRST_MARK in "".join(rows):
                        return time.perf_counter() - start

    return {"app": asyncio.run(run()), "rss": _peak_mb()}


def child_pages(folder: Path, use_library: bool) -> dict[str, float]:
    """Extract the main text of every page in a folder."""
    from tuireader.core.formats.html import article_lines, load_page

    start = time.perf_counter()
    for page in sorted(folder.glob("*.html")):
        article_lines(load_page(page), use_library=use_library)
    return {"pages": time.perf_counter() - start, "rss": _peak_mb()}


def run_child(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run this script in child mode with a private cache; parse its JSON."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr else "failed")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def fresh_env(work: Path) -> dict[str, str]:
    """Environment with empty XDG folders (a cold cache)."""
    home = Path(tempfile.mkdtemp(prefix="xdg-", dir=work))
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        (home / name.lower()).mkdir()
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    env["HOME"] = str(home)
    return env


# ---------------------------------------------------------------- on screen


def screen_first(work: Path, command: list[str], runs: int, timeout: float) -> str:
    """Median seconds from launch until the first chapter's mark is on screen (tmux)."""
    from open_bench import Tmux, measure

    config = work / "tmux.conf"
    config.write_text("set -g status off\nset -g escape-time 0\n")
    tmux = Tmux(f"fmtbench-{os.getpid()}-{next(_SERVERS)}", config)
    tmux.run("new-session", "-d", "-s", "keeper", "sleep 100000")
    times, peaks = [], []
    try:
        for run in range(runs):
            env = fresh_env(work)
            keep = {k: env[k] for k in env if k.startswith("XDG_") or k == "HOME"}
            keep["TERM"] = "xterm-256color"
            keep["PATH"] = os.environ.get("PATH", "")
            paint, _, rss = measure(
                tmux, command, lambda screen: FIRST_MARK in screen, None, keep, timeout, run
            )
            times.append(paint)
            peaks.append(rss)
    finally:
        tmux.kill_server()
    good = [value for value in times if value is not None]
    if len(good) < len(times) or not good:
        return f"fail (no first chapter within {timeout:.0f} s)"
    return f"{median(good):.3f} s, peak RSS {median(peaks):.0f} MB"


# ---------------------------------------------------------------- main


def main() -> int:
    """Build the inputs, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10, 50])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "formats-bench")
    parser.add_argument("--no-screen", action="store_true", help="skip the tmux measurements")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, target = args.child[0], Path(args.child[1])
        if kind == "convert":
            print(json.dumps(child_convert(target)))
        elif kind == "index":
            print(json.dumps(child_index(target)))
        elif kind == "app":
            print(json.dumps(child_app(target)))
        else:
            print(json.dumps(child_pages(target, use_library=kind == "pages-library")))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    tuireader = str(Path(sys.executable).parent / "tuireader")
    epy = shutil.which("epy") or shutil.which("epy", path=str(Path(sys.executable).parent))
    print(f"medians of {args.runs} runs, each in a fresh process with an empty cache")
    for size in args.sizes:
        book = args.work / f"book-{size}MB.epub"
        if not book.exists():
            build_epub(book, size)
        rows = [run_child(["convert", str(book)], fresh_env(args.work)) for _ in range(args.runs)]
        mb = book.stat().st_size / 1e6
        print(
            f"EPUB {size} MB text ({mb:.1f} MB zipped): first chapter ready "
            f"{median([r['first'] for r in rows]):.3f} s, full conversion "
            f"{median([r['full'] for r in rows]):.2f} s, cached reopen "
            f"{median([r['warm'] for r in rows]) * 1000:.1f} ms, peak RSS "
            f"{median([r['rss'] for r in rows]):.0f} MB"
        )
        try:
            env = fresh_env(args.work)
            run_child(["convert", str(book)], env)
            index = [run_child(["index", str(book)], env) for _ in range(args.runs)]
            print(
                f"  search index build over it: {median([r['index'] for r in index]):.2f} s, "
                f"peak RSS {median([r['rss'] for r in index]):.0f} MB"
            )
        except RuntimeError as error:
            print(f"  search index build: not measured ({error})")
        shown = [run_child(["app", str(book)], fresh_env(args.work)) for _ in range(args.runs)]
        print(
            f"  app (headless, cold cache) draws the first chapter: "
            f"{median([r['app'] for r in shown]):.3f} s"
        )
        if args.no_screen or not shutil.which("tmux"):
            continue
        baseline = args.work / "baseline.md"
        baseline.write_text(f"# Baseline\n\n{FIRST_MARK} a tiny Markdown file\n", encoding="utf-8")
        base = screen_first(args.work, [tuireader, str(baseline)], args.runs, args.timeout)
        print(f"  on screen, tuireader on a tiny .md (start-up baseline): {base}")
        ours = screen_first(args.work, [tuireader, str(book)], args.runs, args.timeout)
        print(f"  on screen, tuireader: {ours}")
        if epy:
            theirs = screen_first(args.work, [epy, str(book)], args.runs, args.timeout)
            print(f"  on screen, epy:       {theirs}")
        else:
            print("  epy: not installed")
    if args.pages <= 0:
        return 0
    pages = args.work / "pages"
    if not (pages / f"page-{args.pages - 1:04d}.html").exists():
        build_pages(pages, args.pages)
    for kind, label in (("pages-library", "trafilatura"), ("pages-builtin", "built-in")):
        try:
            rows = [run_child([kind, str(pages)], fresh_env(args.work)) for _ in range(args.runs)]
            print(
                f"HTML {args.pages} pages, main text ({label}): "
                f"{median([r['pages'] for r in rows]):.2f} s, "
                f"peak RSS {median([r['rss'] for r in rows]):.0f} MB"
            )
        except RuntimeError as error:
            print(f"HTML pages ({label}): not measured ({error})")
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run([tuireader, "list", "--json", str(pages)], env=fresh_env(args.work),
                       capture_output=True, check=False, timeout=600)  # fmt: skip
        times.append(time.perf_counter() - start)
    print(f"HTML {args.pages} pages listed cold (tuireader list --json): {median(times):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
