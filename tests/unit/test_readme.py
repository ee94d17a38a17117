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
