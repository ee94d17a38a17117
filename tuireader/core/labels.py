"""Telling look-alike documents apart: two ``todo.md`` in different folders get their folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tuireader.core.models import Document


def folder_hints(documents: Iterable[Document]) -> dict[Path, str]:
    """For documents whose title another one shares: the shortest folder path telling them apart.

    ``{…/work/todo.md: "work/", …/home/todo.md: "home/"}``; documents with a
    title of their own are left out.
    """
    groups: dict[str, list[Path]] = {}
    for document in documents:
        groups.setdefault(document.title.casefold(), []).append(document.path)
    hints: dict[Path, str] = {}
    for group in groups.values():
        if len(group) > 1:
            hints.update(_distinct_folders(group))
    return hints


def _distinct_folders(group: list[Path]) -> dict[Path, str]:
    """The fewest trailing folder names (at least one) that differ within ``group``."""
    parts = {path: path.parent.parts for path in group}
    deepest = max(len(folders) for folders in parts.values())
    for depth in range(1, deepest + 1):
        labels = {path: "/".join(folders[-depth:]) + "/" for path, folders in parts.items()}
        if len(set(labels.values())) == len(labels):
            return labels
    # The same folder: the file names tell them apart.
    return {path: "/".join(path.parts[-2:]) for path in group}
