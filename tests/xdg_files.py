"""Helpers that write user files into the test's XDG folders (no textual import)."""

from __future__ import annotations

from pathlib import Path

from tuireader.core import paths


def write_config(text: str) -> None:
    """Write the user's config file with this text."""
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_user_theme(filename: str, text: str) -> Path:
    """Write a file into the user's theme folder and return its path."""
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path
