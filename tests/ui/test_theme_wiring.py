"""Themes in the reader app: start-up choice, T / ctrl+t / command palette, saving, bad files.

Also checks that the reading pane takes every colour from the theme, that the
``terminal`` theme sends the terminal nothing but ANSI colours, and that no
colour is hard-coded anywhere in ``tuireader/ui``.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path
from typing import Any

import pytest
from pilot_waits import library_loaded, until
from rich.color import Color as RichColor
from rich.console import Console
from textual.color import Color as TextualColor
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import SEED, reader_ready
from xdg_files import write_config, write_user_theme

from tuireader.core import paths
from tuireader.core.colors import NAMED_COLORS
from tuireader.core.config import load_config
from tuireader.core.themes import DEFAULT_THEME, load_themes
from tuireader.ui.app import TuiReaderApp
from tuireader.ui.screens.library import LibraryScreen
from tuireader.ui.screens.reader import ReaderScreen
from tuireader.ui.themes import LEGACY_ALIASES

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ("tuireader-dark", "paper", "night", "high-contrast", "terminal")
MARKDOWN = (
    "# A heading\n\nPlain words with `some code` and a [link](https://example.org).\n\n"
    "> A quoted line.\n\n```\ncode block\n```\n"
)


class RecordingApp(TuiReaderApp):
    """The reader app, remembering every notification it shows."""

    CSS_PATH = str(REPO / "tuireader" / "ui" / "app.tcss")  # relative paths follow the subclass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Start with no recorded notifications."""
        self.notes: list[tuple[str, str]] = []
        super().__init__(*args, **kwargs)

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        """Record, then show."""
        self.notes.append((str(message), str(kwargs.get("severity", "information"))))
        super().notify(message, **kwargs)


async def library_ready(pilot: Pilot[int]) -> LibraryScreen:
    """Wait for the library scan to finish."""
    return await library_loaded(pilot)


def _rich(value: str) -> RichColor:
    """A theme colour as rich sees it in rendered segments."""
    return TextualColor.parse(value).rich_color


def _segments_with(reader: ReaderScreen, needle: str) -> list[Any]:
    """Rendered segments (with their styles) of the pane rows containing ``needle``."""
    view = reader.view
    for y in range(view.size.height):
        strip = view.render_line(y)
        if needle in strip.text:
            return [segment for segment in strip if segment.text.strip()]
    raise AssertionError(f"{needle!r} not on screen")


# ---------------------------------------------------------------- start-up choice


async def test_default_config_and_command_line_theme_in_that_order() -> None:
    """The theme is the default, then the config's, then --theme, which is not saved."""
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(80, 24)):
        assert app.theme == DEFAULT_THEME
    write_config("theme: paper\n")
    app = TuiReaderApp(start_file=SEED, config=load_config())
    async with app.run_test(size=(80, 24)):
        assert app.theme == "paper"
    app = TuiReaderApp(start_file=SEED, config=load_config(), theme="night")
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        assert app.theme == "night"
    assert load_config().theme == "paper"  # a one-off --theme is not saved


async def test_unknown_theme_name_is_reported_once_and_the_default_used() -> None:
    """An unknown --theme gives one warning naming it and the default theme is used."""
    app = RecordingApp(start_file=SEED, theme="no-such-theme")
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        assert app.theme == DEFAULT_THEME
        warnings = [text for text, severity in app.notes if severity == "warning"]
        assert len(warnings) == 1 and "no-such-theme" in warnings[0]


# ---------------------------------------------------------------- user themes


async def test_user_theme_overrides_the_shipped_one_in_the_reader() -> None:
    """A user theme named like a shipped one sets the reader's page and heading colours."""
    write_user_theme(
        "my-paper.yaml",
        'name: paper\ndark: false\nprimary: "#004400"\nforeground: "#101010"\n'
        'background: "#fbfbf8"\nreader:\n  heading: "#7a0000"\n',
    )
    doc = paths.config_dir() / "doc.md"
    doc.write_text(MARKDOWN, encoding="utf-8")
    app = RecordingApp(start_file=doc, theme="paper")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        assert app.theme == "paper"
        assert app.notes == []
        assert reader.view.styles.background == TextualColor.parse("#fbfbf8")
        assert reader.view.styles.color == TextualColor.parse("#101010")
        heading = _segments_with(reader, "A heading")
        assert {segment.style.color for segment in heading} == {_rich("#7a0000")}
        body = _segments_with(reader, "Plain words")
        assert body[0].style.bgcolor == _rich("#fbfbf8")


BAD_FILES = {
    "yaml": ("name: broken\ndark: true\nprimary: [unclosed\n", "broken-yaml.yaml", ""),
    "colour": (
        'name: mine\ndark: true\nprimary: "#12345z"\nforeground: "#eeeeee"\n'
        'background: "#111111"\n',
        "bad-colour.yaml",
        "primary",
    ),
    "missing": (
        'name: mine\ndark: true\nprimary: "#123456"\nforeground: "#eeeeee"\n',
        "no-background.yaml",
        "background",
    ),
    "reader colour": (
        'name: mine\ndark: true\nprimary: "#123456"\nforeground: "#eeeeee"\n'
        'background: "#111111"\nreader:\n  heading: bluish\n',
        "bad-heading.yaml",
        "reader.heading",
    ),
    "type": (
        'name: mine\ndark: "yes"\nprimary: "#123456"\nforeground: "#eeeeee"\n'
        'background: "#111111"\n',
        "bad-dark.yaml",
        "dark",
    ),
    "empty": ("", "empty.yaml", ""),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
async def test_bad_theme_file_is_reported_once_and_the_app_starts_with_the_default(
    kind: str,
) -> None:
    """A bad configured theme file is reported once on one line; the default is used."""
    text, filename, field = BAD_FILES[kind]
    write_user_theme(filename, text)
    write_config("theme: mine\n")
    app = RecordingApp(start_file=SEED, config=load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        assert app.theme == DEFAULT_THEME
        shown = "".join(reader.view.render_line(y).text for y in range(3))
        assert "General Sorkin" in shown
        about_file = [text for text, _ in app.notes if filename in text]
        assert len(about_file) == 1, app.notes
        assert field in about_file[0]
        assert "\n" not in about_file[0]
        await pilot.press("T")  # switching themes does not report the file again
        await pilot.pause()
        assert len([text for text, _ in app.notes if filename in text]) == 1


async def test_many_bad_files_are_summed_up() -> None:
    """Nine bad theme files give a few warnings, the last pointing at `tuireader themes`."""
    for number in range(9):
        write_user_theme(f"bad{number}.yaml", "name: [\n")
    app = RecordingApp(start_file=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        assert app.theme == DEFAULT_THEME
        warnings = [text for text, severity in app.notes if severity == "warning"]
        assert 2 <= len(warnings) <= 6
        assert "tuireader themes" in warnings[-1]


# ---------------------------------------------------------------- switching and saving


async def test_t_cycles_themes_and_the_choice_survives_a_restart() -> None:
    """'T' visits every theme in order, saves the choice, and a restart uses it."""
    write_config("include_seeds: true\n")
    app = RecordingApp(start_file=SEED, config=load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        names = app.reader_themes.names
        assert names == sorted(SHIPPED)
        start = app.theme
        await pilot.press("T")
        await pilot.pause()
        chosen = app.theme
        assert chosen == names[(names.index(start) + 1) % len(names)] != start
        assert any(chosen in text for text, _ in app.notes)
        seen = {start, chosen}
        for _ in range(len(names) - 1):
            await pilot.press("T")
            await pilot.pause()
            seen.add(app.theme)
        assert seen == set(names)  # T visits every theme and comes back
        assert app.theme == start
        await pilot.press("T")
        await pilot.pause()
    config = load_config()
    assert config.theme == chosen
    assert config.include_seeds is True  # other settings kept
    again = TuiReaderApp(start_file=SEED, config=config)
    async with again.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        assert again.theme == chosen


async def test_ctrl_t_cycles_from_the_library_and_t_still_types_in_the_filter() -> None:
    """In the library 'T' types into the filter while ctrl+t switches and saves the theme."""
    app = TuiReaderApp([SEED])
    async with app.run_test(size=(100, 30)) as pilot:
        await library_ready(pilot)
        start = app.theme
        await pilot.press("T")
        await pilot.pause()
        assert app.theme == start
        assert app.screen.query_one("#library-filter", Input).value == "T"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme != start
        assert app.screen.query_one("#library-filter", Input).value == "T"
    assert load_config().theme == app.theme


async def test_command_palette_theme_switcher_changes_and_saves_the_theme() -> None:
    """The palette's theme switcher changes and saves the theme; reader keys work after."""
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await reader_ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"theme")
        await until(pilot, lambda: _palette_offers(app, "Theme"), "the Theme command")
        await pilot.press("enter")
        await until(pilot, lambda: _palette_offers(app, "paper"), "the theme list")
        assert isinstance(app.screen, CommandPalette)  # now listing the themes
        await pilot.press(*"paper")
        await until(pilot, lambda: _palette_first(app) == "paper", "paper first in the list")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is reader, "the palette to close")
        assert app.theme == "paper"
        assert app.screen is reader
        await pilot.press("j")  # the reader's keys work again
        await pilot.pause()
        assert reader.view.top + reader.view.sub > 0
    assert load_config().theme == "paper"


def _palette_prompts(app: TuiReaderApp) -> list[str]:
    """The prompts the command palette lists now (none when it is not open)."""
    if not isinstance(app.screen, CommandPalette):
        return []
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def _palette_offers(app: TuiReaderApp, prompt: str) -> bool:
    """Whether the open command palette lists a command whose prompt starts with ``prompt``."""
    return any(text.startswith(prompt) for text in _palette_prompts(app))


def _palette_first(app: TuiReaderApp) -> str | None:
    """The first prompt of the open command palette, if any."""
    prompts = _palette_prompts(app)
    return prompts[0].split()[0] if prompts else None


def test_the_palette_key_is_not_a_reader_or_library_key() -> None:
    """ctrl+p is bound by neither the reader nor the library, and T is a reader key."""
    def keys(bindings: Any) -> set[str]:
        return {key.strip() for binding in bindings for key in binding.key.split(",")}

    assert "ctrl+p" not in keys(ReaderScreen.BINDINGS) | keys(LibraryScreen.BINDINGS)
    assert "T" in keys(ReaderScreen.BINDINGS)


# ---------------------------------------------------------------- colours


@pytest.mark.parametrize("name", SHIPPED)
async def test_reading_pane_colours_come_from_the_theme(name: str, tmp_path: Path) -> None:
    """After a theme switch, every reading-pane colour is the theme's reader colour."""
    spec = load_themes().get(name)
    assert spec is not None
    doc = tmp_path / "doc.md"
    doc.write_text(MARKDOWN, encoding="utf-8")
    other = "paper" if name != "paper" else "night"
    app = TuiReaderApp(start_file=doc, theme=other)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        _segments_with(reader, "A heading")  # rendered once in another theme (cache)
        app.theme = name  # switching re-renders with the new colours
        reader_colours = spec.reader
        page = TextualColor.parse(reader_colours["page-background"])
        await until(pilot, lambda: reader.view.styles.background == page, "the new theme")
        heading = _segments_with(reader, "A heading")
        assert {segment.style.color for segment in heading} == {_rich(reader_colours["heading"])}
        body = _segments_with(reader, "Plain words")
        by_text = {segment.text.strip(): segment.style for segment in body}
        assert by_text["Plain words with"].color == _rich(reader_colours["page-text"])
        assert by_text["Plain words with"].bgcolor == _rich(reader_colours["page-background"])
        assert by_text["some code"].color == _rich(reader_colours["code"])
        assert by_text["link"].color == _rich(reader_colours["link"])
        quote = _segments_with(reader, "A quoted line")
        assert quote[-1].style.color == _rich(reader_colours["quote"])
        reader.set_highlight((3, 3))
        await pilot.pause()
        highlighted = _segments_with(reader, "Plain words")
        assert highlighted[-1].style.bgcolor == _rich(reader_colours["passage-highlight"])
        reader.set_gutter_marks({1})
        await pilot.pause()
        mark = _segments_with(reader, "A heading")[0]
        assert mark.style.color == _rich(reader_colours["bookmark-marker"])


async def test_legacy_reader_variable_names_still_resolve() -> None:
    """Old reader variable names resolve to the same values as their new names."""
    app = TuiReaderApp(start_file=SEED, theme="paper")
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        variables = app.get_css_variables()
        for old, new in LEGACY_ALIASES.items():
            assert variables[old] == variables[new], old
        assert variables["reader-mark"] == load_themes().themes["paper"].reader["bookmark-marker"]


_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_ANSI_SGR = {
    *range(30, 38), 39, *range(40, 48), 49, *range(90, 98), *range(100, 108),
}  # fmt: skip
_ATTRIBUTE_SGR = {0, 1, 2, 3, 4, 5, 7, 8, 9, 21, 22, 23, 24, 25, 27, 28, 29, 51, 52, 53, 54, 55}


def _colour_codes(app: TuiReaderApp) -> list[int]:
    """The SGR colour codes the terminal receives for a full redraw of the screen."""
    update = app.screen._compositor.render_full_update()
    console = Console(color_system="truecolor", force_terminal=True, file=io.StringIO())
    output = update.render_segments(console)
    codes: list[int] = []
    for params in _SGR.findall(output):
        numbers = [int(part) for part in re.split("[;:]", params) if part] or [0]
        # 38/48 introduce 256-colour or true-colour values: never allowed here.
        assert 38 not in numbers and 48 not in numbers, params
        for number in numbers:
            assert number in _ANSI_SGR or number in _ATTRIBUTE_SGR, params
        codes.extend(number for number in numbers if number in _ANSI_SGR)
    return codes


async def test_terminal_theme_sends_only_ansi_colours(tmp_path: Path) -> None:
    """The terminal theme draws library, reader, toast and palette with ANSI colour codes only."""
    doc = tmp_path / "doc.md"
    doc.write_text(MARKDOWN, encoding="utf-8")
    app = TuiReaderApp([SEED, doc], theme="terminal")
    async with app.run_test(size=(100, 30)) as pilot:
        await library_ready(pilot)
        assert _colour_codes(app)
        app.notify("A notice")
        app.open_document(doc)
        reader = await reader_ready(pilot)
        reader.set_highlight((3, 3))
        reader.set_gutter_marks({1})
        await pilot.pause()
        codes = _colour_codes(app)
        assert 35 in codes  # headings: ansi_magenta
        assert 94 in codes  # links: ansi_bright_blue
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        _colour_codes(app)
        await pilot.press("escape")
        await pilot.pause()
        app.open_document(SEED)
        await reader_ready(pilot)
        assert _colour_codes(app)


_COLOUR_WORDS = {name.lower() for name in NAMED_COLORS} | {
    f"ansi_{suffix}"
    for suffix in (
        "default", "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright_black", "bright_red", "bright_green", "bright_yellow", "bright_blue",
        "bright_magenta", "bright_cyan", "bright_white",
    )
}  # fmt: skip
_HARD_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\s*\(|\bcolor\(\d")
_CSS_DECLARATION = re.compile(r"([a-z-]+)\s*:\s*([^;{}]+);")


def _css_problems(css: str, where: str) -> list[str]:
    problems = []
    for prop, value in _CSS_DECLARATION.findall(css):
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", re.sub(r"\$[a-z0-9-]+", "", value)))
        named = sorted(word for word in words if word.lower() in _COLOUR_WORDS)
        if _HARD_COLOUR.search(value) or (named and prop != "text-style"):
            problems.append(f"{where}: {prop}: {value.strip()}")
    return problems


def _style_problems(text: str, where: str) -> list[str]:
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"\$[a-z0-9-]+", "", text)))
    named = sorted(word for word in words if word.lower() in _COLOUR_WORDS)
    if _HARD_COLOUR.search(text) or named:
        return [f"{where}: {text!r}"]
    return []


def _python_problems(source: Path) -> tuple[list[str], int]:
    """Hard-coded colours in a module's CSS strings and style arguments; (problems, styles seen)."""
    problems: list[str] = []
    checked = 0
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        where = f"{source.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Assign):
            names = {getattr(target, "id", "") for target in node.targets}
            value = node.value
            if names & {"DEFAULT_CSS", "CSS"} and isinstance(value, ast.Constant):
                problems += _css_problems(str(value.value), where)
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        styled = [kw.value for kw in node.keywords if kw.arg in ("style", "color", "bgcolor")]
        if name in ("Style", "parse"):
            styled += node.args
        elif name in ("stylize", "append"):
            styled += node.args[1:]
        for value in styled:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                checked += 1
                problems += _style_problems(value.value, where)
    return problems, checked


def test_no_colour_is_hard_coded_in_the_ui() -> None:
    """CSS (app.tcss, DEFAULT_CSS) and rich styles in tuireader/ui use theme variables only."""
    ui = REPO / "tuireader" / "ui"
    problems: list[str] = []
    for tcss in sorted(ui.rglob("*.tcss")):
        text = re.sub(r"/\*.*?\*/", "", tcss.read_text(encoding="utf-8"), flags=re.DOTALL)
        problems += _css_problems(text, tcss.name)
    checked_styles = 0
    for source in sorted(ui.rglob("*.py")):
        found, checked = _python_problems(source)
        problems += found
        checked_styles += checked
    assert problems == []
    assert checked_styles > 0  # the scan does look at style strings


def test_the_checker_catches_hard_coded_colours() -> None:
    """The CSS/style checkers flag hard-coded colours and accept theme variables."""
    assert _css_problems("Foo { color: red; }", "x")
    assert _css_problems("Foo { background: #123456 50%; }", "x")
    assert _css_problems("Foo { border: hkey black; }", "x")
    assert _css_problems("Foo { color: rgb(1, 2, 3); }", "x")
    assert not _css_problems("Foo { color: $heading; border: round $accent; }", "x")
    assert _style_problems("bold red", "x") and _style_problems("on #222222", "x")
    assert not _style_problems("bold $text-accent", "x")


async def test_textual_builtin_theme_from_the_palette_gets_derived_reader_colours() -> None:
    """A Textual built-in theme gives the reader derived page colours and the text still shows."""
    from tuireader.ui.themes import reader_variable_defaults

    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        app.theme = "nord"
        derived = reader_variable_defaults(app.current_theme)
        page = TextualColor.parse(derived["page-background"])
        await until(pilot, lambda: reader.view.styles.background == page, "the nord colours")
        assert reader.view.styles.background == TextualColor.parse(derived["page-background"])
        assert reader.view.styles.color == TextualColor.parse(derived["page-text"])
        assert "General Sorkin" in "".join(reader.view.render_line(y).text for y in range(3))


async def test_theme_problems_are_shown_as_plain_text() -> None:
    """A bad theme file whose values look like markup is reported literally, not interpreted."""
    write_user_theme(
        "evil.yaml",
        "name: evil\ndark: true\nprimary: '[@click=app.quit]x[/]'\n"
        "foreground: '#ffffff'\nbackground: '#000000'\n",
    )
    app = TuiReaderApp(start_file=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(pilot)
        shown = [n for n in app._notifications if "evil.yaml" in n.message]
        assert len(shown) == 1
        assert "[@click=app.quit]x[/]" in shown[0].message
        assert shown[0].markup is False
        assert app.is_running
