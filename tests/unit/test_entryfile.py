"""Keyed-entry cache files: a round trip, and every kind of foreign or broken file read as empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.entryfile import entries_text, read_entries

HEADER = {"format": "kind-a", "version": 2, "fields": ["x", "y"]}


def test_round_trip_keeps_entries_exactly(tmp_path: Path) -> None:
    """What is written is read back equal, odd strings included (ASCII JSON)."""
    entries = {"/a\udcff b": [1, "\u2028é", None, 2.5], "/c": [[0, 1], {"k": True}]}
    path = tmp_path / "cache.json"
    path.write_text(entries_text(HEADER, entries), encoding="ascii")
    assert read_entries(path, HEADER, 1 << 20) == entries


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[1, 2]",
        '{"format": "kind-b", "version": 2, "fields": ["x", "y"], "entries": {}}',
        '{"format": "kind-a", "version": 1, "fields": ["x", "y"], "entries": {"a": [1]}}',
        '{"format": "kind-a", "version": 2, "fields": ["y", "x"], "entries": {"a": [1]}}',
        '{"format": "kind-a", "version": 2, "fields": ["x", "y"], "entries": [1]}',
        '{"format": "kind-a", "version": 2, "fields": ["x", "y"], "entries": {"a": [NaN]}}',
        "[" * 100_000,
    ],
    ids=["empty", "text", "list", "format", "version", "fields", "entries", "nan", "deep"],
)
def test_foreign_or_broken_file_reads_empty(tmp_path: Path, text: str) -> None:
    """Another kind, version or field list, a non-object, NaN or deep nesting: no entries."""
    path = tmp_path / "cache.json"
    path.write_text(text, encoding="ascii")
    assert read_entries(path, HEADER, 1 << 20) == {}


def test_too_big_or_missing_file_reads_empty(tmp_path: Path) -> None:
    """A file over the size limit is not read; a missing file is simply empty."""
    path = tmp_path / "cache.json"
    text = entries_text(HEADER, {"a": [1]})
    path.write_text(text, encoding="ascii")
    assert read_entries(path, HEADER, len(text)) == {"a": [1]}
    assert read_entries(path, HEADER, len(text) - 1) == {}
    assert read_entries(tmp_path / "absent.json", HEADER, 1 << 20) == {}
