"""Saving one setting into a hand-written config.yaml: the rest of the file stays as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.config import load_config, save_setting


@pytest.mark.parametrize(
    ("before", "key", "value", "after"),
    [
        (
            "# my settings\nlibrary:\n  - ~/a\n  - ~/b\ntheme: paper\n",
            "library",
            ["~/c"],
            "# my settings\nlibrary: [~/c]\ntheme: paper\n",
        ),
        (
            "theme: |\n  paper\n# keep me\nfull_width: true\n",
            "theme",
            "night",
            "theme: night\n# keep me\nfull_width: true\n",
        ),
        (
            "theme: >\n  paper\nfull_width: true\n",
            "theme",
            "night",
            "theme: night\nfull_width: true\n",
        ),
        ("theme: paper", "full_width", True, "theme: paper\nfull_width: true\n"),
        ("~\n", "theme", "night", "theme: night\n"),
        ("# only a comment\n", "theme", "night", "# only a comment\ntheme: night\n"),
        ("theme:\n# later\n", "theme", "night", "theme: night\n# later\n"),
    ],
    ids=[
        "block-list",
        "literal-block",
        "folded-block",
        "no-final-newline",
        "null",
        "comment",
        "empty-value",
    ],
)
def test_one_setting_is_replaced_and_the_rest_kept(
    tmp_path: Path, before: str, key: str, value: object, after: str
) -> None:
    """Only the key's value changes: other keys, comments and order stay; the file reads back."""
    path = tmp_path / "config.yaml"
    path.write_text(before, encoding="utf-8")
    save_setting(key, value, path)
    assert path.read_text(encoding="utf-8") == after
    assert load_config(path).warnings == []


def test_an_edit_that_would_break_an_alias_writes_a_clean_file(tmp_path: Path) -> None:
    """Replacing an anchored value another key refers to: a clean rewrite keeps both values."""
    path = tmp_path / "config.yaml"
    path.write_text("theme: &t paper\nbookmarks: *t\n", encoding="utf-8")
    save_setting("theme", "night", path)
    assert path.read_text(encoding="utf-8") == "theme: night\nbookmarks: paper\n"
    config = load_config(path)
    assert (config.theme, config.bookmarks) == ("night", Path("paper"))
