"""Theme files at the edges: odd fields, extra variables, odd folders, saving that fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core import paths, themes
from tuireader.core.themes import load_theme_file, load_themes, next_theme, save_theme_choice

BASE = 'name: edge\ndark: true\nprimary: "#88c0d0"\nforeground: "#d8dee9"\nbackground: "#2e3440"\n'


def _load(tmp_path: Path, extra: str) -> tuple[themes.ThemeSpec | None, list[str]]:
    """Load a theme file made of the base fields plus ``extra``."""
    path = tmp_path / "edge.yaml"
    path.write_text(BASE + extra, encoding="utf-8")
    return load_theme_file(path)


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ("description: 12\n", "description: expected text, got a number"),
        ("variables: [1, 2]\n", "variables: expected a mapping, got a list"),
        ("variables:\n  Bad_Name: red\n", "variables: 'Bad_Name' is not a variable name"),
        ("variables:\n  7: red\n", "variables: '7' is not a variable name"),
        ("variables:\n  link: '#ffffff'\n", "variables.link: put reader variables under 'reader:'"),
        ("variables:\n  border: 'red; x'\n", "variables.border: expected a colour or a style word"),
        ("variables:\n  border: 3\n", "variables.border: expected a colour or a style word"),
        ("variables:\n  border: 'rgb(1, 2)'\n", "variables.border: unknown colour 'rgb(1, 2)'"),
        ("reader:\n  link: [1]\n", "reader.link: expected a colour string, got a list"),
    ],
)
def test_bad_optional_field_refuses_the_theme_with_file_and_field(
    tmp_path: Path, extra: str, reason: str
) -> None:
    """A bad description, variable or reader colour: no theme, one line 'file: field: reason'."""
    spec, notes = _load(tmp_path, extra)
    assert spec is None
    assert notes == [f"{tmp_path / 'edge.yaml'}: {reason}"]


def test_dark_left_empty_is_reported_as_nothing(tmp_path: Path) -> None:
    """``dark:`` with no value names the missing value as 'nothing', not 'NoneType'."""
    path = tmp_path / "edge.yaml"
    path.write_text(BASE.replace("dark: true", "dark:"), encoding="utf-8")
    assert load_theme_file(path) == (None, [f"{path}: dark: expected true or false, got nothing"])


def test_empty_reader_and_variables_sections_are_the_same_as_none(tmp_path: Path) -> None:
    """``reader:`` and ``variables:`` left empty: the theme loads with derived reader colours."""
    spec, notes = _load(tmp_path, "reader:\nvariables:\n")
    plain, _ = _load(tmp_path, "")
    assert notes == []
    assert spec is not None and plain is not None
    assert spec.variables == {}
    assert spec.reader == plain.reader
    assert spec.reader["page-text"] == "#D8DEE9"


def test_unknown_reader_variable_is_noted_and_the_rest_is_used(tmp_path: Path) -> None:
    """A misspelt reader variable is one note; the theme loads with the good ones."""
    spec, notes = _load(tmp_path, "reader:\n  pagetext: '#ffffff'\n  link: '#ff0000'\n")
    assert spec is not None
    assert notes == [f"{tmp_path / 'edge.yaml'}: reader.pagetext: unknown reader variable, ignored"]
    assert spec.reader["link"] == "#FF0000"
    assert spec.reader["page-text"] == "#D8DEE9"


def test_variables_keep_colours_normalised_and_style_words_as_written(tmp_path: Path) -> None:
    """Extra variables: a colour is normalised, a style word ('bold') is kept stripped."""
    spec, notes = _load(
        tmp_path, "variables:\n  footer-key-foreground: '#1f5f8b'\n  footer-key-style: ' bold '\n"
    )
    assert notes == []
    assert spec is not None
    assert spec.variables == {"footer-key-foreground": "#1F5F8B", "footer-key-style": "bold"}


def test_a_description_keeps_its_first_line_only(tmp_path: Path) -> None:
    """A multi-line description is cut to its first line (it is shown in one row)."""
    spec, _ = _load(tmp_path, "description: |\n  Warm page\n  second line\n")
    assert spec is not None and spec.description == "Warm page"


def test_a_themes_folder_that_cannot_be_listed_is_one_problem(tmp_path: Path) -> None:
    """A user themes path the system refuses (name too long) is reported, shipped themes load."""
    folder = tmp_path / ("x" * 300)
    result = load_themes(user_dir=folder)
    assert result.problems == [f"{folder}: File name too long"]
    assert "paper" in result.names()


def test_more_theme_files_than_the_limit_reads_only_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_THEME_FILES the folder is reported and only the first files (sorted) are read."""
    monkeypatch.setattr(themes, "MAX_THEME_FILES", 2)
    for letter in "abc":
        (tmp_path / f"{letter}.yaml").write_text(BASE.replace("edge", f"t-{letter}"))
    result = load_themes(shipped_dir=tmp_path / "none", user_dir=tmp_path)
    assert result.names() == ["t-a", "t-b"]
    assert result.problems == [
        f"{tmp_path / 'none'}: shipped themes not found (broken install?)",
        f"{tmp_path}: more than 2 theme files; only the first read",
    ]


def test_next_theme_with_no_themes_keeps_the_current_one() -> None:
    """With no theme names at all the current theme stays."""
    assert next_theme("paper", []) == "paper"
    assert next_theme("paper", [], step=-1) == "paper"


def test_next_theme_from_an_unknown_theme_starts_at_either_end() -> None:
    """From a name not in the list: forward gives the first, backward the last."""
    assert next_theme("gone", ["a", "b", "c"], step=-1) == "c"


def test_saving_the_theme_where_the_config_folder_is_a_file_reports_why() -> None:
    """When the config folder is a file, saving says why in one line and nothing is raised."""
    folder = paths.config_file().parent
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder", encoding="utf-8")
    problem = save_theme_choice("paper")
    assert problem is not None
    assert problem.startswith("theme not saved: ")
    assert "\n" not in problem
    assert folder.read_text(encoding="utf-8") == "not a folder"
