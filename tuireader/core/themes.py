"""Theme files: load the shipped and user themes, validate them, pick and save the choice.

A theme file is YAML::

    name: paper                 # required; letters, digits, '-' and '_'
    description: Warm off-white page, dark ink
    dark: false                 # required
    primary: "#1f5f8b"          # required
    foreground: "#2b2722"       # required
    background: "#f4efe4"       # required
    secondary/accent/surface/panel/success/warning/error: optional colours
    reader:                     # optional; missing entries are derived from the colours above
      page-text: ...            # see READER_VARIABLES
    variables:                  # optional extra Textual variables, e.g. footer-key-foreground
      footer-key-foreground: "#1f5f8b"

User themes (``$XDG_CONFIG_HOME/tuireader/themes/*.yaml``) add to the shipped
ones and replace a shipped theme of the same name.  A bad file never stops
loading: each problem becomes one line naming the file and the field, and the
theme is skipped.  Nothing here imports textual; ``tuireader.ui.themes`` turns a
``ThemeSpec`` into a Textual ``Theme``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from tuireader.core import paths
from tuireader.core.colors import Color, ColorError, best_text_on, contrast_ratio, parse_color
from tuireader.core.config import save_setting
from tuireader.core.yamlio import YamlFileError, read_yaml_file
from tuireader.core.yamlmirror import YamlMirror

DEFAULT_THEME = "tuireader-dark"
"""The theme used when neither ``--theme`` nor the config names a usable one."""

THEME_COLOR_FIELDS: tuple[str, ...] = (
    "primary", "secondary", "accent", "foreground", "background",
    "surface", "panel", "success", "warning", "error",
)  # fmt: skip
"""Textual's base theme colours, as keys of a theme file."""

REQUIRED_FIELDS: tuple[str, ...] = ("name", "dark", "primary", "foreground", "background")
"""Keys every theme file must have."""

READER_VARIABLES: dict[str, str] = {
    "page-text": "body text of the page",
    "page-background": "background of the page",
    "page-muted": "secondary text: line numbers, metadata, status",
    "heading": "Markdown headings and titles",
    "link": "links",
    "search-match": "background of a search match",
    "search-match-text": "text on a search match",
    "passage-highlight": "background of a highlighted passage (a search hit's lines)",
    "passage-text": "text on a highlighted passage",
    "bookmark-marker": "the bookmark mark in the gutter",
    "selection": "background of the cursor line / selected text",
    "selection-text": "text on the selection",
    "code": "inline code and code blocks (Markdown)",
    "code-background": "background of code",
    "quote": "block quotes (Markdown)",
}
"""The reader's CSS variables (``$page-text`` …): every converted theme defines all of them."""

OPTIONAL_KEYS: tuple[str, ...] = ("description", "reader", "variables")

TEXT_CONTRAST_PAIRS: tuple[tuple[str, str], ...] = (
    ("foreground", "background"),
    ("page-text", "page-background"),
    ("page-muted", "page-background"),
    ("heading", "page-background"),
    ("link", "page-background"),
    ("search-match-text", "search-match"),
    ("passage-text", "passage-highlight"),
    ("selection-text", "selection"),
    ("code", "code-background"),
    ("quote", "page-background"),
)
"""Text/background pairs that must reach WCAG AA (4.5:1) in a theme with fixed colours."""

MARKER_CONTRAST_PAIRS: tuple[tuple[str, str], ...] = (("bookmark-marker", "page-background"),)
"""Non-text marks that must reach 3:1 (WCAG non-text contrast)."""

MAX_THEME_FILES = 200
MAX_THEME_BYTES = 256 * 1024
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_VARIABLE_NAME = re.compile(r"[a-z][a-z0-9-]{0,63}")
_VARIABLE_VALUE = re.compile(r"[A-Za-z0-9_#%(),. -]{1,100}")

Origin = Literal["shipped", "user"]


@dataclass(frozen=True)
class ThemeSpec:
    """One theme, neutral of any UI toolkit; colours are normalised (``#RRGGBB`` / ``ansi_*``)."""

    name: str
    path: Path | None
    origin: Origin
    colors: dict[str, str]
    """The base colours the file gives (a subset of ``THEME_COLOR_FIELDS``)."""
    reader: dict[str, str]
    """Every reader variable of ``READER_VARIABLES`` (missing ones derived from the colours)."""
    dark: bool
    description: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    """Extra Textual variables passed through as they are."""
    overrides: Path | None = None
    """The shipped file this user theme replaces, if any."""

    @property
    def ansi(self) -> bool:
        """True when every base colour is an ANSI name: Textual then emits native ANSI colours.

        The terminal's palette decides the look; reader colours that are not ANSI
        are still shown (as true colour, downgraded by the terminal if needed).
        """
        return all(value.startswith("ansi_") for value in self.colors.values())

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description (for ``tuireader themes --json``)."""
        return {
            "name": self.name,
            "origin": self.origin,
            "path": str(self.path) if self.path else None,
            "overrides": str(self.overrides) if self.overrides else None,
            "dark": self.dark,
            "ansi": self.ansi,
            "description": self.description,
            "colors": dict(self.colors),
            "reader": dict(self.reader),
        }


@dataclass
class ThemeSet:
    """Themes by name (shipped first, then user, in file order) plus the problems found."""

    themes: dict[str, ThemeSpec] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        """Theme names in listing order."""
        return list(self.themes)

    def get(self, name: str) -> ThemeSpec | None:
        """The theme called ``name``, or ``None``."""
        return self.themes.get(name)


# ---------------------------------------------------------------- loading


class _Invalid(Exception):
    """One problem in one theme file (already formatted as 'file: field: reason')."""


def _color(path: Path, key: str, value: Any, *, allow_opacity: bool = False) -> Color:
    """Parse a colour field or raise ``_Invalid`` naming the file and field."""
    if value is None:
        raise _Invalid(
            f"{path}: {key}: no colour given (quote colours that start with '#', "
            'e.g. "#1b1e23": YAML reads an unquoted # as a comment)'
        )
    if not isinstance(value, str):
        raise _Invalid(f"{path}: {key}: expected a colour string, got {_type_name(value)}")
    try:
        return parse_color(value, allow_opacity=allow_opacity)
    except ColorError as error:
        raise _Invalid(f"{path}: {key}: {error}") from None


def _type_name(value: Any) -> str:
    """A user-facing name for a YAML value's type."""
    if value is None:
        return "nothing"
    return {
        bool: "true/false", int: "a number", float: "a number", str: "text",
        list: "a list", dict: "a mapping",
    }.get(type(value), type(value).__name__)  # fmt: skip


def _parse_theme(data: Any, path: Path, origin: Origin) -> tuple[ThemeSpec, list[str]]:
    """Validate one theme's parsed YAML: the spec and non-fatal notes, or ``_Invalid``."""
    notes: list[str] = []
    if data is None:
        raise _Invalid(f"{path}: empty file (expected a theme mapping with name, dark, colours)")
    if not isinstance(data, dict):
        raise _Invalid(f"{path}: expected a mapping at the top level, got {_type_name(data)}")
    for key in REQUIRED_FIELDS:
        if key not in data:
            raise _Invalid(f"{path}: {key}: missing required field")
    name = data["name"]
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise _Invalid(
            f"{path}: name: expected a name of letters, digits, '-' or '_' (at most 64), "
            f"got {name!r}"[:300]
        )
    dark = data["dark"]
    if not isinstance(dark, bool):
        raise _Invalid(f"{path}: dark: expected true or false, got {_type_name(dark)}")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _Invalid(f"{path}: description: expected text, got {_type_name(description)}")
    parsed: dict[str, Color] = {}
    for key in THEME_COLOR_FIELDS:
        if key in data:
            parsed[key] = _color(path, key, data[key])
    known = {*THEME_COLOR_FIELDS, *REQUIRED_FIELDS, *OPTIONAL_KEYS}
    for key in data:
        if key not in known:
            notes.append(f"{path}: {str(key)[:60]!r}: unknown field, ignored")
    reader = _parse_reader(data.get("reader", {}), path, parsed, notes)
    variables = _parse_variables(data.get("variables", {}), path)
    spec = ThemeSpec(
        name=name,
        path=path,
        origin=origin,
        colors={key: color.css for key, color in parsed.items()},
        reader=reader,
        dark=dark,
        description=description.strip().splitlines()[0][:200] if description.strip() else "",
        variables=variables,
    )
    return spec, notes


def _parse_reader(raw: Any, path: Path, base: dict[str, Color], notes: list[str]) -> dict[str, str]:
    """Validate the ``reader:`` mapping and fill every missing variable."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _Invalid(f"{path}: reader: expected a mapping, got {_type_name(raw)}")
    given: dict[str, Color] = {}
    for key, value in raw.items():
        if key not in READER_VARIABLES:
            notes.append(f"{path}: reader.{str(key)[:60]}: unknown reader variable, ignored")
            continue
        given[key] = _color(path, f"reader.{key}", value, allow_opacity=True)
    return {key: color.css for key, color in derive_reader_colors(base, given).items()}


def _parse_variables(raw: Any, path: Path) -> dict[str, str]:
    """Validate the ``variables:`` mapping of extra Textual variables."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _Invalid(f"{path}: variables: expected a mapping, got {_type_name(raw)}")
    result: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not _VARIABLE_NAME.fullmatch(key):
            raise _Invalid(f"{path}: variables: {str(key)[:60]!r} is not a variable name")
        if key in READER_VARIABLES:
            raise _Invalid(f"{path}: variables.{key}: put reader variables under 'reader:'")
        if not isinstance(value, str) or not _VARIABLE_VALUE.fullmatch(value.strip()):
            raise _Invalid(f"{path}: variables.{key}: expected a colour or a style word")
        try:
            result[key] = parse_color(value, allow_opacity=True).css
        except ColorError:
            if "#" in value or "(" in value:
                raise _Invalid(f"{path}: variables.{key}: unknown colour {value!r}") from None
            result[key] = value.strip()
    return result


def derive_reader_colors(base: dict[str, Color], given: dict[str, Color]) -> dict[str, Color]:
    """Every reader variable: the ``given`` ones, the rest derived from the base colours."""
    out: dict[str, Color] = dict(given)

    def pick(*keys: str) -> Color:
        # Every call ends with a required colour (foreground, background or primary).
        return next(base[key] for key in keys if key in base)

    out.setdefault("page-text", pick("foreground"))
    out.setdefault("page-background", pick("background"))
    text, page = out["page-text"], out["page-background"]
    rgb = not text.is_ansi and not page.is_ansi
    out.setdefault("page-muted", text.blend(page, 0.3) if rgb else text)
    out.setdefault("heading", pick("primary"))
    out.setdefault("link", pick("accent", "secondary", "primary"))
    out.setdefault("search-match", pick("warning", "accent", "primary"))
    match = out["search-match"]
    if match.is_ansi:
        out.setdefault("search-match-text", Color(0, 0, 0, ansi="ansi_black"))
    else:
        out.setdefault("search-match-text", best_text_on(match.over(page)))
    if rgb:
        out.setdefault("passage-highlight", page.blend(pick("primary").over(page), 0.15))
    else:
        out.setdefault("passage-highlight", page)
    out.setdefault("passage-text", text)
    out.setdefault("bookmark-marker", pick("accent", "warning", "primary"))
    out.setdefault("selection", pick("primary"))
    selection = out["selection"]
    if selection.is_ansi:
        out.setdefault("selection-text", Color(255, 255, 255, ansi="ansi_bright_white"))
    else:
        out.setdefault("selection-text", best_text_on(selection.over(page)))
    out.setdefault("code-background", page.blend(text, 0.07) if rgb else page)
    out.setdefault("code", text)
    out.setdefault("quote", out["page-muted"])
    return {key: out[key] for key in READER_VARIABLES}


def load_theme_file(
    path: Path, origin: Origin = "user", *, mirror: YamlMirror | None = None
) -> tuple[ThemeSpec | None, list[str]]:
    """Load one theme file: ``(spec, notes)``, or ``(None, [reason])`` if it is unusable.

    With a ``mirror`` (``yamlmirror.py``) the parsed YAML comes from it while the file is unchanged.
    """
    if not path.is_file():
        return None, [f"{path}: not a regular file, ignored"]
    try:
        if mirror is None:
            data = read_yaml_file(path, max_bytes=MAX_THEME_BYTES)
        else:
            data = mirror.read(path, max_bytes=MAX_THEME_BYTES)
    except YamlFileError as error:
        return None, [str(error)]
    try:
        return _parse_theme(data, path, origin)
    except _Invalid as error:
        return None, [str(error)]


def _theme_files(folder: Path, problems: list[str]) -> list[Path]:
    """The ``*.yaml``/``*.yml`` files of a folder, sorted; problems noted, never raised."""
    try:
        if not folder.exists():
            return []
        if not folder.is_dir():
            problems.append(f"{folder}: not a folder, no themes read from it")
            return []
        files = sorted(
            entry
            for entry in folder.iterdir()
            if entry.suffix.lower() in (".yaml", ".yml") and not entry.name.startswith(".")
        )
    except OSError as error:
        problems.append(f"{folder}: {error.strerror or error}")
        return []
    if len(files) > MAX_THEME_FILES:
        problems.append(f"{folder}: more than {MAX_THEME_FILES} theme files; only the first read")
        files = files[:MAX_THEME_FILES]
    return files


def load_themes(shipped_dir: Path | None = None, user_dir: Path | None = None) -> ThemeSet:
    """Load the shipped themes, then the user's (a user theme replaces a shipped one by name)."""
    shipped_dir = paths.bundled_themes_dir() if shipped_dir is None else shipped_dir
    user_dir = paths.user_themes_dir() if user_dir is None else user_dir
    result = ThemeSet()
    mirror = YamlMirror("themes")  # the parsed files, kept as JSON: no PyYAML at start-up
    origins: tuple[tuple[Origin, Path], ...] = (("shipped", shipped_dir), ("user", user_dir))
    for origin, folder in origins:
        seen: dict[str, Path] = {}
        if origin == "shipped" and not folder.is_dir():
            result.problems.append(f"{folder}: shipped themes not found (broken install?)")
        for path in _theme_files(folder, result.problems):
            spec, notes = load_theme_file(path, origin, mirror=mirror)
            result.problems.extend(notes)
            if spec is None:
                continue
            if spec.name in seen:
                result.problems.append(
                    f"{path}: name: theme {spec.name!r} is already defined in {seen[spec.name]}; "
                    "this file is ignored"
                )
                continue
            seen[spec.name] = path
            previous = result.themes.pop(spec.name, None)
            if previous is not None and previous.origin == "shipped" and origin == "user":
                spec = _with_override(spec, previous.path)
            result.themes[spec.name] = spec
    mirror.save()
    return result


def _with_override(spec: ThemeSpec, shipped: Path | None) -> ThemeSpec:
    """A copy of a user theme recording the shipped file it replaces."""
    return replace(spec, overrides=shipped)


# ---------------------------------------------------------------- contrast


def contrast_report(spec: ThemeSpec) -> dict[str, float]:
    """Contrast ratios ``'fore/back' -> ratio`` for the pairs made of fixed (non-ANSI) colours.

    Translucent backgrounds (e.g. a search match at 40%) are composited over the
    page background first.
    """
    values = {**spec.colors, **spec.reader}
    page = parse_color(values["page-background"], allow_opacity=True)
    report: dict[str, float] = {}
    for fore_key, back_key in TEXT_CONTRAST_PAIRS + MARKER_CONTRAST_PAIRS:
        # Every pair is there: the base colours are required and every reader one is filled.
        fore = parse_color(values[fore_key], allow_opacity=True)
        back = parse_color(values[back_key], allow_opacity=True)
        if fore.is_ansi or back.is_ansi or (page.is_ansi and (fore.a < 1 or back.a < 1)):
            continue
        back = back.over(page)
        report[f"{fore_key}/{back_key}"] = round(contrast_ratio(fore, back), 2)
    return report


def contrast_failures(spec: ThemeSpec, text: float = 4.5, marker: float = 3.0) -> list[str]:
    """The pairs of ``contrast_report`` below WCAG AA (``text`` for text, ``marker`` for marks)."""
    markers = {f"{fore}/{back}" for fore, back in MARKER_CONTRAST_PAIRS}
    return [
        f"{spec.name}: {pair} is {ratio}:1"
        for pair, ratio in contrast_report(spec).items()
        if ratio < (marker if pair in markers else text)
    ]


# ---------------------------------------------------------------- choosing and saving


def choose_theme(
    requested: str | None,
    configured: str | None,
    available: Iterable[str],
    default: str = DEFAULT_THEME,
) -> tuple[str, list[str]]:
    """The theme to start with: ``--theme`` > config > default; warnings for unknown names.

    If even ``default`` is not available, the first available name is used.
    """
    names = list(available)
    warnings: list[str] = []
    for label, wanted in (("--theme", requested), ("config theme", configured)):
        if not wanted:
            continue
        if wanted in names:
            return wanted, warnings
        warnings.append(f"{label}: unknown theme {wanted[:80]!r}; using {default!r}")
        break
    if default in names or not names:
        return default, warnings
    return names[0], warnings


def next_theme(current: str, names: Sequence[str], step: int = 1) -> str:
    """The theme after ``current`` in ``names`` (wrapping; ``step=-1`` goes back)."""
    if not names:
        return current
    try:
        index = list(names).index(current)
    except ValueError:
        return names[0] if step >= 0 else names[-1]
    return names[(index + step) % len(names)]


def save_theme_choice(name: str, config_path: Path | None = None) -> str | None:
    """Save ``theme: name`` in config.yaml atomically; a one-line problem or ``None``."""
    try:
        save_setting("theme", name, config_path)
    except YamlFileError as error:
        return f"theme not saved: {error}"
    except OSError as error:
        return f"theme not saved: {error.strerror or error}"
    return None
