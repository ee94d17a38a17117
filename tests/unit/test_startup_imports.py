"""Start-up imports only what the first screen needs.

Each case runs in a fresh interpreter: it goes through the command line's
dispatch for the reader, starts the app headless (``run_test``) and records
``sys.modules`` at the moment the app says its first screen is drawn
(``_after_first_paint``), then fails if a module the first screen does without
(search, bookmarks, rapidfuzz, the EPUB and HTML readers, the other commands,
the Markdown parser, ...) was already imported.

PyYAML is on the lists too: config.yaml, state.yaml and the theme files are
read from their JSON mirrors (core/yamlmirror.py), made here beforehand as a
first start makes them.  Not on the lists: ``ssl`` (asyncio imports it, so bare
Textual does too).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tuireader.core import paths
from tuireader.core.config import load_config
from tuireader.core.state import ReadingState
from tuireader.core.themes import load_themes

FORBIDDEN_ALWAYS = (
    "rapidfuzz",
    "tuireader.core.search",
    "tuireader.core.bookmarks",
    "tuireader.ui.flows",
    "tuireader.ui.screens.search",
    "tuireader.ui.screens.bookmarks",
    "tuireader.ui.dialogs.help",
    "charset_normalizer",
    "filelock",
    "aiohttp",
    "textual_serve",
    # books and saved pages: their format modules load on first use (formats/registry.py)
    "tuireader.core.formats.epub",
    "tuireader.core.formats.epub_zip",
    "tuireader.core.formats.epub_package",
    "tuireader.core.formats.html",
    "tuireader.core.formats.xhtml",
    "tuireader.core.formats.xhtml_blocks",
    "tuireader.core.formats.markup",
    "tuireader.core.formats.bookcache",
    "tuireader.core.formats.booklines",
    "tuireader.core.formats.converted",
    "zipfile",
    "html.parser",
    "xml.parsers.expat",
    "hashlib",
    "trafilatura",
    # the other commands' parsers and code
    "tuireader.cli_bookmarks",
    "tuireader.serve.command",
    "tuireader.serve.server",
    # YAML files are read from their mirrors once a start has read them (core/yamlmirror.py)
    "yaml",
    "tuireader.core.yamlparse",
    # the reader's links and citations: imported when a link is followed or a quote copied
    "tuireader.core.links",
    "tuireader.core.citation",
    # dialogs the reader opens on a key
    "tuireader.ui.dialogs.goto",
    "tuireader.ui.dialogs.toc",
    # 'tuireader [PATH...]' without options is read without argparse (cli_parsers.py)
    "argparse",
    "gettext",
    "tuireader.cli_parsers",
)
"""Never needed to draw the first screen (prefixes: a package and its modules)."""
FORBIDDEN_FOR_MARKDOWN = (*FORBIDDEN_ALWAYS, "textual.widgets._data_table")
"""Also unneeded for a single Markdown file: the library's table."""
FORBIDDEN_FOR_TEXT = (
    *FORBIDDEN_FOR_MARKDOWN,
    "markdown_it",
    "tuireader.core.formats.tables",
    # the Markdown renderer and block parse: plain text draws with formats/styled.py
    "tuireader.core.formats.markdown",
    "tuireader.core.formats.mdblocks",
    "tuireader.core.formats.blocks",
    "tuireader.core.formats.codehighlight",
)
"""Also unneeded for a plain text file: the Markdown parser, renderer and tables."""

_PROBE = textwrap.dedent(
    """
    import asyncio, json, sys
    from pathlib import Path

    import tuireader.cli  # the command line is on the path to the first paint too
    reader = tuireader.cli.run_reader
    tuireader.cli.run_reader = lambda args, config: 0  # the reader's dispatch, up to the app
    words = [sys.argv[2]] if sys.argv[2] else json.loads(sys.argv[1])
    assert tuireader.cli.main(words) == 0
    tuireader.cli.run_reader = reader
    import tuireader.ui.app
    from tuireader.ui.app import TuiReaderApp

    seen = []

    class Probe(TuiReaderApp):
        CSS_PATH = str(Path(tuireader.ui.app.__file__).with_name("app.tcss"))

        def _after_first_paint(self):
            seen.append(sorted(sys.modules))
            super()._after_first_paint()

    async def main(paths, start_file):
        app = Probe([Path(p) for p in paths], start_file=start_file and Path(start_file))
        async with app.run_test(size=(100, 30)) as pilot:
            while not seen:
                await pilot.pause()

    asyncio.run(main(json.loads(sys.argv[1]), sys.argv[2] or None))
    print(json.dumps(seen[0]))
    """
)


def _warm_yaml_mirrors(document: Path) -> None:
    """A config.yaml, a state.yaml remembering ``document``, and the mirrors a start leaves."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("include_seeds: false\nfull_width: false\ntheme: paper\n")
    state = paths.state_file()
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(
        f"version: 1\npositions:\n  {json.dumps(str(document.resolve()))}:\n"
        "    line: 3\n    total: 40\n    progress: 0.1\n    updated: '2026-01-02T03:04:05+00:00'\n"
    )
    assert load_config().theme == "paper"  # each read leaves its mirror
    assert ReadingState().position(document) is not None
    assert "paper" in load_themes().themes


def _modules_at_first_paint(paths: list[str], start_file: str | None) -> list[str]:
    """The modules imported when the first screen is drawn, in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(paths), start_file or ""],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return modules


def _offending(modules: list[str], forbidden: tuple[str, ...]) -> list[str]:
    """The modules that are, or are inside, a forbidden name."""
    return [
        name
        for name in modules
        if any(name == bad or name.startswith(bad + ".") for bad in forbidden)
    ]


def test_reading_a_text_file_imports_only_what_the_reader_needs(seed_article: Path) -> None:
    """``tuireader FILE.txt``: no search, bookmarks, rapidfuzz, Markdown or table first."""
    _warm_yaml_mirrors(seed_article)
    modules = _modules_at_first_paint([], str(seed_article))
    assert "tuireader.ui.screens.reader" in modules  # the probe saw the reader's start
    assert _offending(modules, FORBIDDEN_FOR_TEXT) == []


def test_reading_a_markdown_file_imports_only_what_the_reader_needs(tmp_path: Path) -> None:
    """``tuireader FILE.md``: no search, bookmarks, books, other commands or table first."""
    page = tmp_path / "page.md"
    page.write_text("# A page\n\nSome *words* in a [link](https://example.org).\n")
    _warm_yaml_mirrors(page)
    modules = _modules_at_first_paint([], str(page))
    assert "tuireader.ui.screens.reader" in modules
    assert _offending(modules, FORBIDDEN_FOR_MARKDOWN) == []


def test_the_library_imports_only_what_its_first_rows_need(tmp_path: Path) -> None:
    """``tuireader FOLDER``: the library table, but no search, bookmarks or rapidfuzz."""
    library = tmp_path / "library"
    library.mkdir()
    for number in range(3):
        (library / f"note{number}.txt").write_text(f"Note {number}\n\nSome words.\n")
    (library / "page.md").write_text("# A page\n\nText.\n")
    _warm_yaml_mirrors(library / "page.md")
    modules = _modules_at_first_paint([str(library)], None)
    assert "tuireader.ui.screens.library" in modules
    assert _offending(modules, FORBIDDEN_ALWAYS) == []


@pytest.mark.parametrize("forbidden", ["rapidfuzz", "tuireader.core.search"])
def test_the_probe_notices_a_forbidden_import(forbidden: str) -> None:
    """The check itself works: a forbidden module (or one inside it) is reported."""
    assert _offending(["textual", f"{forbidden}.x", forbidden], (forbidden,)) == [
        f"{forbidden}.x",
        forbidden,
    ]
    assert _offending([f"{forbidden}er"], (forbidden,)) == []
