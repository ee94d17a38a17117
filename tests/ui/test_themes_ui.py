"""Themes in a running Textual app: registration, reader CSS variables, switching, saving."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual._color_constants import COLOR_NAME_TO_RGB
from textual.app import App, ComposeResult
from textual.color import Color as TextualColor
from textual.theme import BUILTIN_THEMES
from textual.widgets import Static

from tuireader.core.colors import NAMED_COLORS, parse_color
from tuireader.core.config import load_config
from tuireader.core.themes import READER_VARIABLES, ThemeSet, load_themes
from tuireader.ui.themes import (
    DEFAULT_THEME,
    cycle_theme,
    initial_theme,
    persist_theme_changes,
    reader_variable_defaults,
    register_themes,
    to_textual_theme,
)

# Every reader variable used at least once, as app.tcss will.
READER_CSS = "\n".join(
    [
        "#page { color: $page-text; background: $page-background; }",
        "#muted { color: $page-muted; background: $page-background; }",
        "#heading { color: $heading; }",
        "#link { color: $link; }",
        "#match { color: $search-match-text; background: $search-match; }",
        "#passage { color: $passage-text; background: $passage-highlight; }",
        "#mark { color: $bookmark-marker; }",
        "#selection { color: $selection-text; background: $selection; }",
    ]
)
WIDGET_IDS = ("page", "muted", "heading", "link", "match", "passage", "mark", "selection")


class ThemedApp(App[None]):
    """A tiny app styled only with the reader variables."""

    CSS = READER_CSS

    def __init__(self, requested: str | None = None, configured: str | None = None) -> None:
        """Register the themes and pick one from the requested and configured names."""
        super().__init__()
        self.theme_set: ThemeSet = load_themes()
        self.theme_names = register_themes(self, self.theme_set)
        self.theme, self.theme_warnings = initial_theme(self, requested, configured)
        self.problems: list[str] = []

    def on_mount(self) -> None:
        """Save later theme changes, as the reader app does."""
        persist_theme_changes(self, report=self.problems.append)

    def compose(self) -> ComposeResult:
        """One Static per styled role."""
        for widget_id in WIDGET_IDS:
            yield Static(widget_id, id=widget_id)


def _same(textual_color: TextualColor, value: str) -> bool:
    """Whether a resolved Textual colour is the theme value we asked for."""
    return textual_color == TextualColor.parse(value)


def test_converted_themes_carry_every_reader_variable() -> None:
    """Each theme converts to a Textual theme with its reader variables and valid colours."""
    for spec in load_themes().themes.values():
        theme = to_textual_theme(spec)
        assert theme.name == spec.name
        assert theme.dark == spec.dark
        assert theme.ansi == (spec.name == "terminal")
        for key in READER_VARIABLES:
            assert theme.variables[key] == spec.reader[key]
        # Textual must accept every base colour we hand it.
        theme.to_color_system().generate()


async def test_reader_css_resolves_in_every_theme_including_builtins() -> None:
    """Reader CSS resolves in every available theme, with our themes' colours."""
    app = ThemedApp()
    async with app.run_test() as pilot:
        assert app.theme == DEFAULT_THEME
        assert set(app.theme_names) == set(app.theme_set.names())
        everything = list(app.available_themes)
        assert set(app.theme_names) < set(everything)  # Textual's own themes stay available
        for name in everything:
            app.theme = name
            await pilot.pause()
            page = app.query_one("#page", Static)
            spec = app.theme_set.get(name)
            if spec is None:
                continue
            assert _same(page.styles.color, spec.reader["page-text"]), name
            assert _same(page.styles.background, spec.reader["page-background"]), name
            heading = app.query_one("#heading", Static)
            assert _same(heading.styles.color, spec.reader["heading"]), name
            match = app.query_one("#match", Static)
            assert _same(match.styles.background, spec.reader["search-match"]), name


async def test_terminal_theme_renders_with_ansi_colours() -> None:
    """The terminal theme uses ANSI colours and the terminal's default text colour."""
    app = ThemedApp(requested="terminal")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "terminal"
        assert app.native_ansi_color
        for widget_id in ("heading", "link", "match", "mark", "selection"):
            widget = app.query_one(f"#{widget_id}", Static)
            assert widget.styles.color.ansi is not None, widget_id
        page = app.query_one("#page", Static)
        assert page.styles.color.ansi == -1  # ansi_default: the terminal's own text colour


async def test_unknown_theme_name_warns_and_uses_default() -> None:
    """An unknown requested theme warns once and falls back to the default, not the config's."""
    app = ThemedApp(requested="no-such-theme", configured="paper")
    async with app.run_test():
        assert app.theme == DEFAULT_THEME
        assert len(app.theme_warnings) == 1 and "no-such-theme" in app.theme_warnings[0]


async def test_config_theme_used_when_no_command_line_theme() -> None:
    """Without a requested theme the configured one is used without warnings."""
    app = ThemedApp(configured="paper")
    async with app.run_test():
        assert app.theme == "paper"
        assert app.theme_warnings == []


async def test_cycling_switches_theme_and_the_choice_persists() -> None:
    """cycle_theme moves both ways, saves each choice, and a new app starts with the saved theme."""
    app = ThemedApp(requested="paper")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert load_config().theme is None  # a one-off --theme is not saved
        names = app.theme_names
        chosen = cycle_theme(app, names)
        await pilot.pause()
        assert chosen == app.theme == names[(names.index("paper") + 1) % len(names)]
        assert load_config().theme == chosen
        assert cycle_theme(app, names, -1) == "paper"
        await pilot.pause()
        assert load_config().theme == "paper"
        assert app.problems == []
    # "Restart": a new app started from the saved config uses the saved theme.
    again = ThemedApp(configured=load_config().theme)
    async with again.run_test():
        assert again.theme == "paper"


async def test_theme_picked_elsewhere_is_saved_too() -> None:
    """The command palette sets app.theme; that change is saved like the T key's."""
    app = ThemedApp()
    async with app.run_test() as pilot:
        app.theme = "nord"  # a Textual built-in, offered by the palette
        await pilot.pause()
        assert load_config().theme == "nord"
    again = ThemedApp(configured="nord")
    async with again.run_test():
        assert again.theme == "nord" and again.theme_warnings == []


async def test_unwritable_config_is_reported_not_raised() -> None:
    """Cycling with a corrupt config reports 'not saved' and leaves the file unchanged."""
    from tuireader.core import paths

    paths.config_file().parent.mkdir(parents=True)
    paths.config_file().write_text("theme: [broken\n", encoding="utf-8")
    app = ThemedApp()
    async with app.run_test() as pilot:
        cycle_theme(app, app.theme_names)
        await pilot.pause()
        assert len(app.problems) == 1 and "not saved" in app.problems[0]
    assert paths.config_file().read_text(encoding="utf-8") == "theme: [broken\n"


async def test_user_theme_overriding_shipped_one_is_what_the_app_shows(tmp_path: Path) -> None:
    """A user theme overriding 'paper' is what the page is drawn with."""
    from tuireader.core import paths

    folder = paths.user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "paper.yaml").write_text(
        'name: paper\ndark: false\nprimary: "#004400"\nforeground: "#101010"\n'
        'background: "#fbfbf8"\n',
        encoding="utf-8",
    )
    app = ThemedApp(requested="paper")
    async with app.run_test() as pilot:
        await pilot.pause()
        page = app.query_one("#page", Static)
        assert _same(page.styles.background, "#fbfbf8")
        assert _same(page.styles.color, "#101010")


def test_reader_defaults_cover_textual_builtin_themes() -> None:
    """Textual's built-in themes get a valid colour for every reader variable."""
    for name, theme in BUILTIN_THEMES.items():
        values = reader_variable_defaults(theme)
        assert set(values) == set(READER_VARIABLES), name
        for value in values.values():
            TextualColor.parse(value)


def test_core_colour_names_match_textual() -> None:
    """core.colors (no textual) accepts exactly Textual's colour names, with the same RGB."""
    textual_names = {
        name for name in COLOR_NAME_TO_RGB if not name.startswith("ansi_") and name != "transparent"
    }
    assert set(NAMED_COLORS) == textual_names
    for name in NAMED_COLORS:
        ours = parse_color(name)
        assert (ours.r, ours.g, ours.b) == tuple(COLOR_NAME_TO_RGB[name][:3]), name


@pytest.mark.parametrize(
    "text",
    ["#abc", "#abcd", "#a1b2c3", "#a1b2c3d4", "rgb(10,20,30)", "rgba(10,20,30,0.5)",
     "hsl(200,50%,40%)", "hsla(200,50%,40%,0.25)", "ansi_bright_cyan", "ansi_default"],
)  # fmt: skip
def test_core_colour_parser_agrees_with_textual(text: str) -> None:
    """The core colour parser gives the same colour as Textual's parser."""
    ours = parse_color(text)
    theirs = TextualColor.parse(text)
    if ours.is_ansi:
        assert TextualColor.parse(ours.css) == theirs
    else:
        assert abs(ours.r - theirs.r) <= 1 and abs(ours.g - theirs.g) <= 1
        assert abs(ours.b - theirs.b) <= 1 and abs(ours.a - theirs.a) < 0.01
