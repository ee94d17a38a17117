"""Marks on the bundled seeds survive a reinstall: check finds the seed in this install."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tuireader import cli
from tuireader.core import paths
from tuireader.core.bookmarks.store import BookmarkStore
from tuireader.core.bookmarks.sync import located_path

OTHER_INSTALL = "/old/venv/lib/python3.12/site-packages/tuireader/_data/seeds"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI; its standard output (exit code 0 asserted)."""
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def seed_mark_moved_to(capsys: pytest.CaptureFixture[str], folder: str) -> tuple[str, Path]:
    """A mark on a bundled seed, its path then rewritten as if made in ``folder``."""
    seed = next(p for p in sorted(paths.seeds_dir().iterdir()) if p.suffix == ".txt")
    mark_id = run(capsys, "bookmarks", "add", str(seed), "5").split()[0]
    store = paths.default_bookmarks_file()
    text = store.read_text(encoding="utf-8")
    store.write_text(text.replace(str(seed.resolve()), f"{folder}/{seed.name}"), "utf-8")
    return mark_id, seed


def test_check_finds_a_seed_marked_in_another_install(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A mark naming another venv's seed is checked against this install's seed: same."""
    mark_id, _ = seed_mark_moved_to(capsys, OTHER_INSTALL)
    (result,) = json.loads(run(capsys, "bookmarks", "check", "--json"))
    assert result["id"] == mark_id and result["path"].startswith(OTHER_INSTALL)
    assert (result["status"], result["new_line"]) == ("same", 5)
    assert "missing" not in run(capsys, "bookmarks", "check")


def test_a_seeds_folder_of_ones_own_needs_the_same_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Outside an install, a gone ``…/seeds/NAME`` is the bundled seed only if its text is."""
    _, seed = seed_mark_moved_to(capsys, str(tmp_path / "mine" / "seeds"))
    (result,) = json.loads(run(capsys, "bookmarks", "check", "--json"))
    assert result["status"] == "same"
    (mark,) = BookmarkStore(paths.default_bookmarks_file()).list()
    other = dataclasses.replace(mark, text_fingerprint="0" * 16)
    assert located_path(mark) == seed
    assert located_path(other) == other.path


def test_an_unknown_seed_name_stays_missing(capsys: pytest.CaptureFixture[str]) -> None:
    """A gone seed that this install does not ship is reported gone, as before."""
    _, seed = seed_mark_moved_to(capsys, OTHER_INSTALL)
    store = paths.default_bookmarks_file()
    text = store.read_text(encoding="utf-8").replace(seed.name, "not-shipped.txt")
    store.write_text(text, "utf-8")
    (result,) = json.loads(run(capsys, "bookmarks", "check", "--json"))
    assert result["status"] == "gone" and "missing" in result["note"]
