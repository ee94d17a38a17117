"""The README's two set-up commands stay true: CI runs the test one verbatim."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _shell_blocks() -> list[str]:
    """The ```sh blocks of the README."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL)]


def test_readme_has_exactly_two_setup_commands() -> None:
    """One command installs and starts the reader, one installs the test extra and runs pytest."""
    blocks = _shell_blocks()
    assert len(blocks) == 2
    run, test = blocks
    assert "pip install ." in run and run.endswith("tuireader")
    assert "pip install -e '.[test]'" in test and test.endswith("pytest")


def test_ci_runs_the_readme_test_command() -> None:
    """``.ci/run`` runs the README's test command verbatim."""
    test_command = _shell_blocks()[1]
    ci_lines = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_the_bundled_guide_names_every_format_and_bookmarks_command() -> None:
    """The seed guide (what a newcomer reads first) keeps up with the formats and commands."""
    from tuireader.core.formats.registry import FORMATS

    guide = (REPO_ROOT / "seeds" / "tuireader-guide.md").read_text(encoding="utf-8")
    intro = guide.split("## Starting")[0]
    words = {"text": "plain text", "markdown": "Markdown", "epub": "EPUB", "html": "web pages"}
    assert {fmt.name for fmt in FORMATS} == set(words)
    for name in words.values():
        assert name in intro, name
    assert "chapters" in guide  # t lists a book's chapters
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"`tuireader bookmarks (\w+)", readme))
    assert {"list", "check"} <= commands
    for command in sorted(commands):
        assert f"{command}`" in guide, command
