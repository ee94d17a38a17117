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


class TitleHints:
    """``folder_hints`` of a library that grows batch by batch, kept up to date."""

    def __init__(self) -> None:
        """No documents yet."""
        self.titles: dict[str, list[Document]] = {}
        """Documents by title (casefolded), to find rows that would look alike."""
        self.hints: dict[Path, str] = {}
        """The folder shown after a title another document shares."""

    def note(self, batch: Iterable[Document]) -> set[Path]:
        """Remember the batch's titles; the earlier documents whose row must now show a folder."""
        touched: set[str] = set()
        fresh: set[Path] = set()
        for document in batch:
            fresh.add(document.path)
            key = document.title.casefold()
            group = self.titles.setdefault(key, [])
            group.append(document)
            if len(group) > 1:
                touched.add(key)
        changed: set[Path] = set()
        for key in touched:
            for path, hint in folder_hints(self.titles[key]).items():
                if self.hints.get(path) != hint:
                    self.hints[path] = hint
                    changed.add(path)
        return changed - fresh
