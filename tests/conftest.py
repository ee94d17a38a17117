"""Shared fixtures: every test gets its own XDG folders and never touches the user's files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

pytest_plugins = ["coverage_floor"]

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO_ROOT / "seeds" / "general-sorkins-admiration.txt"


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point XDG config, data, state and cache folders at a fresh temp folder."""
    home = tmp_path_factory.mktemp("xdg")
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        folder = home / name.lower()
        folder.mkdir()
        monkeypatch.setenv(f"XDG_{name}_HOME", str(folder))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    return home


@pytest.fixture
def seed_article() -> Path:
    """The bundled seed article."""
    return SEED_ARTICLE


# Hypothesis: no per-example deadline (the machine is shared and timings vary); the
# examples are few enough that the property tests take a few seconds in all.
# bench/mutation.sh sets HYPOTHESIS_PROFILE=mutation: fewer examples per mutant.
settings.register_profile("tuireader", deadline=None, max_examples=100)
settings.register_profile("mutation", deadline=None, max_examples=30, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "tuireader"))
