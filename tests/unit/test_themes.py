"""Theme files: loading, validation, user overrides, contrast, choosing and saving."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from xdg_files import write_user_theme

from tuireader.cli import main
from tuireader.core import paths
from tuireader.core.colors import (
    ANSI_COLORS,
    ColorError,
    contrast_ratio,
    normalise_color,
    parse_color,
)
from tuireader.core.config import load_config, save_setting
from tuireader.core.themes import (
    DEFAULT_THEME,
    READER_VARIABLES,
    THEME_COLOR_FIELDS,
    choose_theme,
    contrast_failures,
    contrast_report,
    load_theme_file,
    load_themes,
    next_theme,
    save_theme_choice,
)
from tuireader.core.yamlio import read_yaml_file

SHIPPED = ("tuireader-dark", "paper", "high-contrast", "night", "terminal")

GOOD_USER_THEME = """\
name: my-theme
dark: true
primary: "#88c0d0"
foreground: "#d8dee9"
background: "#2e3440"
"""


# ---------------------------------------------------------------- shipped themes


def test_every_shipped_theme_loads_without_problems() -> None:
    """Every shipped theme loads from the bundled folder without problems."""
    themes = load_themes()
    assert themes.problems == []
    for name in SHIPPED:
        spec = themes.get(name)
        assert spec is not None, name
        assert spec.origin == "shipped"
        assert spec.path is not None and spec.path.parent == paths.bundled_themes_dir()
    assert DEFAULT_THEME in themes.names()


def test_shipped_theme_files_spell_out_every_colour() -> None:
    """Shipped files are the examples users copy: every field is given explicitly."""
    files = sorted(paths.bundled_themes_dir().glob("*.yaml"))
    assert len(files) >= len(SHIPPED)
    for path in files:
        raw = read_yaml_file(path)
        missing = [key for key in (*THEME_COLOR_FIELDS, "dark", "name") if key not in raw]
        missing += [f"reader.{key}" for key in READER_VARIABLES if key not in raw["reader"]]
        assert missing == [], f"{path.name} lacks {missing}"
        assert raw.get("description"), path.name


def test_terminal_theme_uses_only_ansi_colours() -> None:
    """The terminal theme uses only ANSI colours, with the terminal's own text and background."""
    spec = load_themes().get("terminal")
    assert spec is not None
    assert spec.ansi
    values = [*spec.colors.values(), *spec.reader.values(), *spec.variables.values()]
    assert values and all(value in ANSI_COLORS for value in values), values
    # Page text and background are the terminal's own, so light and dark terminals both work.
    assert spec.reader["page-text"] == spec.reader["page-background"] == "ansi_default"


def test_other_shipped_themes_use_fixed_colours() -> None:
    """Every shipped theme other than terminal uses fixed colours."""
    for spec in load_themes().themes.values():
        if spec.name != "terminal":
            assert not spec.ansi, spec.name


@pytest.mark.parametrize("name", [name for name in SHIPPED if name != "terminal"])
def test_fixed_colour_themes_reach_wcag_aa(name: str) -> None:
    """Each fixed-colour theme reaches WCAG AA contrast for text pairs and 3:1 for the mark."""
    spec = load_themes().get(name)
    assert spec is not None
    report = contrast_report(spec)
    for pair in (
        "foreground/background",
        "page-text/page-background",
        "heading/page-background",
        "link/page-background",
        "page-muted/page-background",
        "search-match-text/search-match",
        "selection-text/selection",
        "passage-text/passage-highlight",
    ):
        assert report[pair] >= 4.5, f"{name}: {pair} = {report[pair]}"
    assert report["bookmark-marker/page-background"] >= 3.0
    assert contrast_failures(spec) == []


def test_every_theme_with_fixed_colours_reaches_aa_including_user_themes() -> None:
    """The same check over whatever theme files exist (shipped ones here)."""
    checked = 0
    for spec in load_themes().themes.values():
        if spec.ansi:
            continue
        checked += 1
        assert contrast_failures(spec) == [], spec.name
    assert checked >= 3


def test_contrast_failures_flags_a_low_contrast_theme(tmp_path: Path) -> None:
    """contrast_failures flags the page text of a low-contrast theme."""
    path = tmp_path / "murky.yaml"
    path.write_text(
        'name: murky\ndark: true\nprimary: "#555555"\nforeground: "#777777"\n'
        'background: "#555555"\n',
        encoding="utf-8",
    )
    spec, notes = load_theme_file(path)
    assert spec is not None and notes == []
    failures = contrast_failures(spec)
    assert any("page-text/page-background" in line for line in failures)


@pytest.mark.parametrize("system", ["standard", "256"])
@pytest.mark.parametrize("name", [name for name in SHIPPED if name != "terminal"])
def test_fixed_colour_themes_stay_readable_without_true_colour(name: str, system: str) -> None:
    """As over SSH without COLORTERM, or TEXTUAL_COLOR_SYSTEM=standard: Rich downgrades
    every colour to the nearest of 16 (or 256); measured with Rich's xterm-like palette."""
    from rich.color import Color as RichColor
    from rich.color import ColorSystem
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME

    target = ColorSystem.STANDARD if system == "standard" else ColorSystem.EIGHT_BIT
    spec = load_themes().get(name)
    assert spec is not None
    values = {**spec.colors, **spec.reader}

    def down(key: str) -> tuple[int | None, str]:
        color = RichColor.parse(values[key][:7]).downgrade(target)
        return color.number, color.get_truecolor(DEFAULT_TERMINAL_THEME).hex

    strict = {"page-text", "heading", "link", "search-match-text"}
    for fore, back in (
        ("page-text", "page-background"),
        ("heading", "page-background"),
        ("link", "page-background"),
        ("search-match-text", "search-match"),
        ("page-muted", "page-background"),
        ("passage-text", "passage-highlight"),
        ("selection-text", "selection"),
        ("bookmark-marker", "page-background"),
    ):
        ratio = contrast_ratio(down(fore)[1], down(back)[1])
        assert ratio >= (4.5 if fore in strict else 3.0), f"{name} {system}: {fore}/{back} {ratio}"
    page = down("page-background")[0]
    for highlight in ("search-match", "passage-highlight", "selection"):
        assert down(highlight)[0] != page, f"{name} {system}: {highlight} vanishes"


# ---------------------------------------------------------------- user themes


def test_user_theme_overrides_shipped_theme_by_name() -> None:
    """A user theme with a shipped theme's name replaces it and records what it overrides."""
    path = write_user_theme(
        "my-paper.yaml",
        'name: paper\ndark: false\nprimary: "#004400"\nforeground: "#111111"\n'
        'background: "#fafafa"\n',
    )
    themes = load_themes()
    spec = themes.get("paper")
    assert spec is not None
    assert spec.origin == "user"
    assert spec.path == path
    assert spec.colors["primary"] == "#004400"
    assert spec.overrides == paths.bundled_themes_dir() / "paper.yaml"
    assert themes.names().count("paper") == 1
    other = themes.get("tuireader-dark")
    assert other is not None and other.origin == "shipped"


def test_user_theme_adds_a_new_theme_with_derived_reader_colours() -> None:
    """A new user theme without reader colours gets all of them derived from its base colours."""
    write_user_theme("mine.yaml", GOOD_USER_THEME)
    themes = load_themes()
    spec = themes.get("my-theme")
    assert spec is not None and spec.origin == "user"
    assert set(spec.reader) == set(READER_VARIABLES)
    assert spec.reader["page-text"] == "#D8DEE9"
    assert spec.reader["page-background"] == "#2E3440"
    assert spec.reader["heading"] == "#88C0D0"
    assert themes.problems == []


BAD_FILES = {
    "yaml-error": ("name: broken\nprimary: [unclosed\n", "line"),
    "unknown-colour": (GOOD_USER_THEME.replace('"#88c0d0"', "blurple"), "primary"),
    "bad-hex": (GOOD_USER_THEME.replace('"#2e3440"', '"#2e34zz"'), "background"),
    "bad-ansi": (GOOD_USER_THEME.replace('"#88c0d0"', "ansi_purple"), "primary"),
    "missing-field": (GOOD_USER_THEME.replace('background: "#2e3440"\n', ""), "background"),
    "not-a-mapping": ("- name: x\n- dark: true\n", "top level"),
    "duplicate-key": (GOOD_USER_THEME + 'primary: "#ffffff"\n', "duplicate key 'primary'"),
    "wrong-type-dark": (GOOD_USER_THEME.replace("dark: true", 'dark: "yes"'), "dark"),
    "wrong-type-colour": (GOOD_USER_THEME.replace('"#88c0d0"', "12"), "primary"),
    "bad-reader-colour": (GOOD_USER_THEME + "reader:\n  link: bluish\n", "reader.link"),
    "reader-not-mapping": (GOOD_USER_THEME + "reader: [1, 2]\n", "reader"),
    "bad-name": (GOOD_USER_THEME.replace("my-theme", '"my theme; {x}"'), "name"),
    "empty-file": ("", "empty"),
    "unquoted-hash": (GOOD_USER_THEME.replace('"#2e3440"', "#2e3440"), "background: no colour"),
    "bad-variable": (GOOD_USER_THEME + "variables:\n  border: '#zz'\n", "variables.border"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_theme_file_is_reported_with_file_and_field_and_others_still_load(kind: str) -> None:
    """A bad theme file is reported on one line with path and field; others still load."""
    text, field = BAD_FILES[kind]
    bad = write_user_theme(f"a-{kind}.yaml", text.replace("my-theme", "bad-one"))
    write_user_theme("z-good.yaml", GOOD_USER_THEME)
    themes = load_themes()
    assert len(themes.problems) == 1, themes.problems
    message = themes.problems[0]
    assert str(bad) in message
    assert field in message
    assert "\n" not in message
    assert "bad-one" not in themes.names()
    assert "my-theme" in themes.names()
    for name in SHIPPED:
        assert name in themes.names()


def test_unknown_field_is_noted_but_the_theme_loads() -> None:
    """An unknown field is reported with path and name, but the theme still loads."""
    path = write_user_theme("typo.yaml", GOOD_USER_THEME + 'primry: "#ffffff"\n')
    themes = load_themes()
    assert "my-theme" in themes.names()
    assert len(themes.problems) == 1
    assert str(path) in themes.problems[0] and "primry" in themes.problems[0]


def test_two_user_files_with_the_same_name_keep_the_first_and_report_the_second() -> None:
    """Of two user themes with one name the first file wins and the second is reported."""
    first = write_user_theme("a.yaml", GOOD_USER_THEME)
    second = write_user_theme("b.yaml", GOOD_USER_THEME.replace("#88c0d0", "#ff0000"))
    themes = load_themes()
    spec = themes.get("my-theme")
    assert spec is not None and spec.path == first
    assert len(themes.problems) == 1 and str(second) in themes.problems[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_theme_folder_is_skipped_without_hanging() -> None:
    """A FIFO in the themes folder is reported as not a regular file without hanging."""
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.yaml")
    themes = load_themes()
    assert any("pipe.yaml" in line and "not a regular file" in line for line in themes.problems)
    assert "tuireader-dark" in themes.names()


def test_user_themes_path_that_is_a_file_is_reported() -> None:
    """A user themes path that is a file is reported and shipped themes still load."""
    folder = paths.user_themes_dir()
    folder.parent.mkdir(parents=True)
    folder.write_text("oops", encoding="utf-8")
    themes = load_themes()
    assert len(themes.problems) == 1 and str(folder) in themes.problems[0]
    assert "paper" in themes.names()


def test_missing_shipped_folder_is_reported_and_user_themes_still_load(tmp_path: Path) -> None:
    """A missing shipped folder is reported and user themes still load."""
    write_user_theme("mine.yaml", GOOD_USER_THEME)
    themes = load_themes(shipped_dir=tmp_path / "nowhere")
    assert themes.names() == ["my-theme"]
    assert len(themes.problems) == 1 and "nowhere" in themes.problems[0]


# ---------------------------------------------------------------- colours


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#abc", "#AABBCC"),
        ("#AbCd", "#AABBCCDD"),
        ("#1b1e23", "#1B1E23"),
        ("#11223380", "#11223380"),
        ("rgb(1, 2, 3)", "#010203"),
        ("rgba(255,0,0,0.5)", "#FF000080"),
        ("hsl(120, 50%, 50%)", "#40BF40"),
        ("hsla(0,100%,50%,1)", "#FF0000"),
        ("rebeccapurple", "#663399"),
        ("White", "#FFFFFF"),
        ("ansi_bright_blue", "ansi_bright_blue"),
        ("ansi_default", "ansi_default"),
        ("transparent", "#00000000"),
    ],
)
def test_colour_forms_are_accepted_and_normalised(text: str, expected: str) -> None:
    """Each accepted colour form normalises to the expected string."""
    assert normalise_color(text) == expected


@pytest.mark.parametrize(
    "text", ["", "#12", "#12345", "#gggggg", "bluish", "ansi_purple", "rgb(1,2)", "hsl(1,2,3)"]
)
def test_bad_colours_are_rejected(text: str) -> None:
    """Each malformed colour raises ColorError."""
    with pytest.raises(ColorError):
        parse_color(text)


def test_opacity_suffix_only_where_allowed() -> None:
    """An opacity suffix is accepted only where allowed and never on ANSI colours."""
    assert normalise_color("#81a1c1 50%", allow_opacity=True) == "#81A1C180"
    with pytest.raises(ColorError):
        parse_color("#81a1c1 50%")
    with pytest.raises(ColorError):
        parse_color("ansi_blue 50%", allow_opacity=True)


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    """contrast_ratio matches WCAG reference values, is symmetric and blends transparency."""
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    # Symmetric, and a half-transparent black over white is mid-grey.
    assert contrast_ratio("#ffffff", "#777777") == contrast_ratio("#777777", "#ffffff")
    assert contrast_ratio("#00000080", "#ffffff") == pytest.approx(
        contrast_ratio("#7f7f7f", "#ffffff"), abs=0.05
    )


# ---------------------------------------------------------------- choosing and saving


def test_choose_theme_prefers_command_line_then_config_then_default() -> None:
    """choose_theme prefers --theme, then config, then default, warning on unknown names."""
    names = ["paper", "tuireader-dark", "terminal"]
    assert choose_theme("paper", "terminal", names) == ("paper", [])
    assert choose_theme(None, "terminal", names) == ("terminal", [])
    assert choose_theme(None, None, names) == (DEFAULT_THEME, [])
    name, warnings = choose_theme("nope", "terminal", names)
    assert name == DEFAULT_THEME
    assert len(warnings) == 1 and "nope" in warnings[0] and "--theme" in warnings[0]
    name, warnings = choose_theme(None, "gone", names)
    assert name == DEFAULT_THEME and "gone" in warnings[0]
    assert choose_theme(None, None, ["paper"]) == ("paper", [])


def test_next_theme_wraps_both_ways() -> None:
    """next_theme wraps around both ways and starts at the first for an unlisted theme."""
    names = ["a", "b", "c"]
    assert next_theme("a", names) == "b"
    assert next_theme("c", names) == "a"
    assert next_theme("a", names, -1) == "c"
    assert next_theme("textual-dark", names) == "a"


def test_saved_theme_persists_and_keeps_other_settings() -> None:
    """save_theme_choice saves the theme and keeps other settings."""
    save_setting("library", ["~/texts"])
    assert save_theme_choice("paper") is None
    config = load_config()
    assert config.theme == "paper"
    assert config.library == [Path("~/texts").expanduser()]
    assert save_theme_choice("terminal") is None
    assert load_config().theme == "terminal"


def test_saving_over_a_corrupt_config_reports_and_keeps_the_file() -> None:
    """Saving a theme over a corrupt config reports one line and leaves the file unchanged."""
    config_file = paths.config_file()
    config_file.parent.mkdir(parents=True)
    config_file.write_text("theme: [broken\n", encoding="utf-8")
    problem = save_theme_choice("paper")
    assert problem is not None and "not saved" in problem and "\n" not in problem
    assert config_file.read_text(encoding="utf-8") == "theme: [broken\n"


# ---------------------------------------------------------------- command line


def test_themes_command_lists_origins_and_reports_bad_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`themes` lists origins, overrides, current and ANSI themes; bad files go to stderr."""
    write_user_theme("paper.yaml", GOOD_USER_THEME.replace("my-theme", "paper"))
    bad = write_user_theme("bad.yaml", "name: [oops\n")
    assert main(["themes"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    paper = next(line for line in lines if " paper " in line)
    assert "user" in paper and str(paths.user_themes_dir() / "paper.yaml") in paper
    assert f"replaces {paths.bundled_themes_dir() / 'paper.yaml'}" in paper
    dark = next(line for line in lines if "tuireader-dark" in line)
    assert "shipped" in dark and dark.startswith("*")
    terminal = next(line for line in lines if " terminal " in line)
    assert "ansi" in terminal
    assert err.count("\n") == 1 and str(bad) in err


def test_themes_command_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`themes --json --contrast` gives origins, contrast figures and the current theme."""
    import json

    assert main(["themes", "--json", "--contrast"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_name = {row["name"]: row for row in rows}
    assert set(SHIPPED) <= set(by_name)
    assert by_name["terminal"]["ansi"] is True and by_name["terminal"]["contrast"] == {}
    assert by_name["paper"]["contrast"]["page-text/page-background"] >= 4.5
    assert by_name[DEFAULT_THEME]["current"] is True


def test_core_themes_and_themes_command_do_not_import_textual(tmp_path: Path) -> None:
    """Core theme modules and the themes command run without importing textual."""
    code = (
        "import sys\n"
        "import tuireader.core.themes, tuireader.core.colors\n"
        "from tuireader.cli import main\n"
        "status = main(['themes'])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "sys.exit(status)\n"
    )
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "tuireader-dark" in result.stdout
