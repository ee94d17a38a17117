"""Textual side of themes: ``ThemeSpec`` -> ``textual.theme.Theme``, registration, switching.

Every theme the app can show, including Textual's built-in ones offered by the
command palette, ends up defining every reader variable of
``tuireader.core.themes.READER_VARIABLES``, so ``app.tcss`` may use ``$page-text``,
``$heading`` … freely.

The reader app (``tuireader.ui.app``) wires it like this::

    class TuiReaderApp(App):
        def __init__(self, ..., theme: str | None = None) -> None:
            super().__init__()
            # load + register (shipped, then user), set app.theme: --theme > config > default
            self.reader_themes = start_themes(self, theme, self.config.theme)

        def on_mount(self) -> None:
            for message in self.reader_themes.messages:   # bad theme files: once, one line
                self.notify(message, severity="warning", markup=False)
            persist_theme_changes(self)   # T, ctrl+t, command palette: saved to config.yaml

        def action_cycle_theme(self) -> None:    # "T" in the reader, ctrl+t anywhere
            cycle_theme(self, self.reader_themes.names)

        def get_theme_variable_defaults(self) -> dict[str, str]:
            return reader_variable_defaults(self.current_theme)  # safety net

        def get_css_variables(self) -> dict[str, str]:
            return with_legacy_aliases(super().get_css_variables(), self.current_theme.variables)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from textual.app import App
from textual.theme import Theme

from tuireader.core.colors import ColorError, parse_color
from tuireader.core.sanitize import display_text
from tuireader.core.themes import (
    DEFAULT_THEME,
    READER_VARIABLES,
    THEME_COLOR_FIELDS,
    ThemeSet,
    ThemeSpec,
    choose_theme,
    derive_reader_colors,
    load_themes,
    next_theme,
    save_theme_choice,
)

__all__ = [
    "DEFAULT_THEME",
    "LEGACY_ALIASES",
    "READER_VARIABLES",
    "ThemeStart",
    "cycle_theme",
    "initial_theme",
    "persist_theme_changes",
    "reader_variable_defaults",
    "register_themes",
    "save_theme_choice",
    "start_themes",
    "to_textual_theme",
    "with_legacy_aliases",
]

LEGACY_ALIASES: dict[str, str] = {
    "reader-heading": "heading",
    "reader-subheading": "heading",
    "reader-code": "code",
    "reader-code-background": "code-background",
    "reader-link": "link",
    "reader-quote": "quote",
    "reader-muted": "page-muted",
    "reader-mark": "bookmark-marker",
    "reader-highlight": "passage-highlight",
}
"""Older reader variable names (``$reader-mark`` …) and the theme variable each now equals.

Kept so CSS written against the first reader app still resolves; new CSS should
use the theme variables of ``READER_VARIABLES`` directly.
"""

MAX_REPORTED_PROBLEMS = 4
"""Theme problems shown as separate notifications at start; the rest are summed up."""


def to_textual_theme(spec: ThemeSpec) -> Theme:
    """A Textual ``Theme`` for a spec; its ``variables`` hold every reader variable.

    The reader's selection colours also become Textual's screen-selection colours
    (unless the file's ``variables:`` sets those), so selecting text matches the page.
    ANSI themes also get ``ansi-background``/``ansi-foreground``, which Textual's
    widgets reference in ANSI mode.
    """
    colors = {key: spec.colors.get(key) for key in THEME_COLOR_FIELDS}
    ansi_defaults = {
        # Textual's own CSS needs these two in ANSI themes (its ColorSystem leaves them out).
        "ansi-background": "ansi_black" if spec.dark else "ansi_white",
        "ansi-foreground": "ansi_white" if spec.dark else "ansi_black",
    }
    variables = {
        **(ansi_defaults if spec.ansi else {}),
        "screen-selection-background": spec.reader["selection"],
        "screen-selection-foreground": spec.reader["selection-text"],
        **spec.variables,
        **spec.reader,
    }
    return Theme(
        name=spec.name,
        primary=spec.colors["primary"],
        secondary=colors["secondary"],
        accent=colors["accent"],
        foreground=colors["foreground"],
        background=colors["background"],
        surface=colors["surface"],
        panel=colors["panel"],
        success=colors["success"],
        warning=colors["warning"],
        error=colors["error"],
        dark=spec.dark,
        ansi=spec.ansi,
        variables=variables,
    )


def reader_variable_defaults(theme: Theme) -> dict[str, str]:
    """Reader variables derived from any Textual theme's colours (for themes not made by us).

    Suitable as the body of ``App.get_theme_variable_defaults`` (pass ``self.current_theme``).
    """
    generated = theme.to_color_system().generate()
    base = {}
    for key in ("primary", "secondary", "accent", "warning", "foreground", "background"):
        try:
            color = parse_color(generated[key], allow_opacity=True)
        except (ColorError, KeyError):
            continue
        if key in ("foreground", "background") or color.a >= 1.0:
            base[key] = color
    given = {}
    for key in READER_VARIABLES:
        if key in theme.variables:
            try:
                given[key] = parse_color(theme.variables[key], allow_opacity=True)
            except ColorError:
                continue
    return {key: color.css for key, color in derive_reader_colors(base, given).items()}


def register_themes(
    app: App[Any], specs: ThemeSet | Iterable[ThemeSpec], *, complete_builtins: bool = True
) -> list[str]:
    """Register tuireader's themes with ``app``; return their names in order.

    Themes already registered (Textual's built-ins) get the reader variables they
    lack, derived from their colours, so choosing one from the command palette
    never leaves ``$page-text`` undefined.  An app whose ``get_theme_variable_defaults``
    returns ``reader_variable_defaults(self.current_theme)`` gets that lazily and may pass
    ``complete_builtins=False`` (saves ~15 ms at start).
    """
    items = list(specs.themes.values()) if isinstance(specs, ThemeSet) else list(specs)
    ours = {spec.name for spec in items}
    for name, theme in list(app.available_themes.items()) if complete_builtins else []:
        if name in ours or all(key in theme.variables for key in READER_VARIABLES):
            continue
        derived = reader_variable_defaults(theme)
        app.register_theme(replace(theme, variables={**derived, **theme.variables}))
    names: list[str] = []
    for spec in items:
        app.register_theme(to_textual_theme(spec))
        names.append(spec.name)
    return names


def initial_theme(
    app: App[Any],
    requested: str | None,
    configured: str | None,
    default: str = DEFAULT_THEME,
    names: Sequence[str] | None = None,
) -> tuple[str, list[str]]:
    """The theme to start with: ``--theme`` > config > default, among ``names``.

    ``names`` defaults to every theme the app has.  Returns ``(name, warnings)``;
    an unknown name gives a one-line warning and the default.
    """
    return choose_theme(requested, configured, names or app.available_themes, default)


def cycle_theme(app: App[Any], names: Sequence[str], step: int = 1, *, save: bool = False) -> str:
    """Switch ``app`` to the next theme of ``names`` (``step=-1``: previous); return its name.

    With ``save`` the choice is also written to config.yaml; apps that call
    ``persist_theme_changes`` get that for every change and leave ``save`` off.
    """
    app.theme = next_theme(app.theme, names, step)
    if save and (problem := save_theme_choice(app.theme)):
        app.notify(display_text(problem), severity="warning", markup=False)
    return app.theme


def persist_theme_changes(app: App[Any], report: Callable[[str], None] | None = None) -> None:
    """Save every later theme change (key, command palette, code) in config.yaml, atomically.

    Call once the app runs (e.g. in ``on_mount``), after the start-up theme is set,
    so a one-off ``--theme`` is not saved.  ``report`` receives a one-line problem
    (default: ``app.notify`` as a warning).
    """
    last = app.theme

    def changed(theme: Theme) -> None:
        nonlocal last
        if theme.name == last:
            return
        last = theme.name
        problem = save_theme_choice(theme.name)
        if problem:
            if report is not None:
                report(problem)
            else:
                app.notify(display_text(problem), severity="warning", markup=False)

    app.theme_changed_signal.subscribe(app, changed)


def with_legacy_aliases(
    variables: Mapping[str, str], theme_variables: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``variables`` with the names of ``LEGACY_ALIASES`` kept in step with the theme variables.

    A theme that sets only an old name (``theme_variables``, e.g. ``reader-heading``)
    still colours the new one (``heading``); every old name then equals its new one.
    """
    result = dict(variables)
    given = theme_variables or {}
    taken: set[str] = set()
    for old, new in LEGACY_ALIASES.items():
        if old in given and new not in given and new not in taken:
            result[new] = given[old]
            taken.add(new)
    for old, new in LEGACY_ALIASES.items():
        if old not in given and new in result:
            result[old] = result[new]
    return result


@dataclass
class ThemeStart:
    """What ``start_themes`` did: the themes loaded, their names, and what to tell the user."""

    themes: ThemeSet
    names: list[str]
    """tuireader's themes (shipped, then user), the order ``T`` cycles through."""
    messages: list[str] = field(default_factory=list)
    """One line per problem (bad theme file, unknown theme name), capped for notifications."""


def start_themes(
    app: App[Any],
    requested: str | None,
    configured: str | None,
    *,
    themes: ThemeSet | None = None,
) -> ThemeStart:
    """Load and register every theme, then set ``app.theme``: ``--theme`` > config > default.

    Call from the app's ``__init__``; the app's ``get_theme_variable_defaults`` must
    return ``reader_variable_defaults(self.current_theme)`` (for Textual's own themes).
    Bad files never stop this: each is a message naming the file and the field, and
    the theme it would have defined is not offered (the default is used instead).
    """
    loaded = load_themes() if themes is None else themes
    names = register_themes(app, loaded, complete_builtins=False)  # the app derives lazily
    # Only tuireader's themes, as `tuireader themes` lists them and the picker offers them.
    name, warnings = initial_theme(app, requested, configured, names=names)
    app.theme = name
    problems = [*loaded.problems, *warnings]
    messages = problems[:MAX_REPORTED_PROBLEMS]
    if len(problems) > MAX_REPORTED_PROBLEMS:
        more = len(problems) - MAX_REPORTED_PROBLEMS
        messages.append(f"{more} more theme problem(s): run 'tuireader themes' to see them all")
    return ThemeStart(loaded, names, messages)
