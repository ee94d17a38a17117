"""SharedIndex: built once and reused, rebuilt on change, cancellable, one build for two threads."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from tuireader.core.search.backend import SearchBackend
from tuireader.core.search.build import BuildCancelled, BuildProgress
from tuireader.core.search.index import SearchIndex
from tuireader.core.search.shared import SharedIndex


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    """Two small documents."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "harbour.txt").write_text("The Harbour\n\nBoats came back with herring.\n")
    (folder / "orchard.txt").write_text("The Orchard\n\nApples ripened in the orchard.\n")
    return folder


class CountingBuilder:
    """``SearchIndex.build`` that counts its calls (and can be held until released)."""

    def __init__(self, hold: bool = False) -> None:
        """Count builds; with ``hold``, each waits for ``release`` first."""
        self.calls: list[list[Path]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def __call__(self, sources: Iterable[Path], **options: Any) -> SearchIndex:
        """Build after ``release``, reporting progress first; honour ``should_cancel``."""
        self.calls.append(list(sources))
        progress = options.get("progress")
        if progress is not None:
            progress(BuildProgress(0, 2, 0))
        self.started.set()
        should_cancel = options.get("should_cancel")
        while not self.release.wait(0.01):
            if should_cancel is not None and should_cancel():
                raise BuildCancelled
        return SearchIndex.build(self.calls[-1], **options)


def test_search_index_is_a_search_backend() -> None:
    """SearchIndex satisfies the SearchBackend protocol (also checked by mypy)."""
    backend: type[SearchBackend] = SearchIndex
    assert backend is SearchIndex
    for name in ("build", "search", "has_document", "is_stale", "close", "passages"):
        assert hasattr(SearchIndex, name), name


def test_built_once_and_reused(library: Path) -> None:
    """The first ensure builds; later ones return the same index without building."""
    builder = CountingBuilder()
    shared = SharedIndex(builder)
    assert shared.index is None
    shared.set_sources([library])
    first = shared.ensure()
    assert shared.ensure() is first
    assert shared.index is first
    assert len(builder.calls) == 1
    assert first.search("herring")[0].path.name == "harbour.txt"
    shared.set_sources([library])  # the same sources: nothing is dropped
    assert shared.ensure() is first
    assert len(builder.calls) == 1
    shared.close()


def test_rebuilt_after_a_source_file_changes(library: Path) -> None:
    """is_stale spots an edited document; after invalidate the new text is found."""
    shared = SharedIndex()
    shared.set_sources([library])
    first = shared.ensure()
    harbour = library / "harbour.txt"
    assert not shared.is_stale(harbour)
    harbour.write_text("Five\n\n\n\n\nThe Harbour\n\nBoats came back with mackerel.\n")
    stamp = harbour.stat().st_mtime_ns + 5_000_000_000
    os.utime(harbour, ns=(stamp, stamp))
    assert shared.is_stale(harbour)
    assert not shared.is_stale(library / "orchard.txt")
    shared.invalidate()
    assert shared.index is None
    second = shared.ensure()
    assert second is not first
    assert not shared.is_stale(harbour)
    hits = second.search("mackerel")
    assert hits and hits[0].path.name == "harbour.txt" and hits[0].line == 8
    assert not second.search("herring")
    shared.close()


def test_changed_sources_drop_the_index(library: Path, tmp_path: Path) -> None:
    """New sources make the next ensure build an index of them."""
    other = tmp_path / "other.txt"
    other.write_text("Elsewhere\n\nA lonely lighthouse.\n")
    shared = SharedIndex()
    shared.set_sources([library])
    assert not shared.ensure().search("lighthouse")
    shared.set_sources([library, other])
    assert shared.index is None
    assert shared.ensure().search("lighthouse")[0].path.name == "other.txt"
    shared.close()


def test_cancelled_build_raises_and_the_next_ensure_builds(library: Path) -> None:
    """A cancelled ensure raises BuildCancelled, keeps no index; the next one builds."""
    shared = SharedIndex()
    shared.set_sources([library])
    with pytest.raises(BuildCancelled):
        shared.ensure(should_cancel=lambda: True)
    assert shared.index is None and not shared.building
    assert shared.ensure().passages > 0
    shared.close()


def test_a_build_goes_on_while_another_caller_waits(library: Path) -> None:
    """A cancelled caller gets BuildCancelled, but the build goes on for a caller still waiting."""
    builder = CountingBuilder(hold=True)
    shared = SharedIndex(builder)
    shared.set_sources([library])
    stop = threading.Event()
    outcome: list[object] = []

    def first() -> None:
        try:
            outcome.append(shared.ensure(should_cancel=stop.is_set))
        except BuildCancelled as error:
            outcome.append(error)

    thread = threading.Thread(target=first)
    thread.start()
    assert builder.started.wait(5)
    waiter_result: list[SearchBackend] = []
    waiter = threading.Thread(target=lambda: waiter_result.append(shared.ensure()))
    waiter.start()
    stop.set()
    builder.release.set()
    thread.join(5)
    waiter.join(5)
    assert outcome and isinstance(outcome[0], BuildCancelled)
    assert waiter_result and waiter_result[0] is shared.index
    assert len(builder.calls) == 1
    shared.close()


def test_a_build_stops_when_every_caller_is_cancelled(library: Path) -> None:
    """When all the callers waiting for a build are cancelled, the build itself stops."""
    builder = CountingBuilder(hold=True)
    shared = SharedIndex(builder)
    shared.set_sources([library])
    stop = threading.Event()
    outcomes: list[object] = []

    def caller() -> None:
        try:
            outcomes.append(shared.ensure(should_cancel=stop.is_set))
        except BuildCancelled as error:
            outcomes.append(error)

    threads = [threading.Thread(target=caller) for _ in range(2)]
    for thread in threads:
        thread.start()
    assert builder.started.wait(5)
    stop.set()
    for thread in threads:
        thread.join(5)
    assert len(outcomes) == 2 and all(isinstance(item, BuildCancelled) for item in outcomes)
    assert shared.index is None and not shared.building
    assert len(builder.calls) == 1


def test_sources_changed_during_a_build_give_the_new_index(library: Path, tmp_path: Path) -> None:
    """New sources set while building: the outdated build stops, the caller gets the new one."""
    other = tmp_path / "other.txt"
    other.write_text("Elsewhere\n\nA lonely lighthouse.\n")
    builder = CountingBuilder(hold=True)
    shared = SharedIndex(builder)
    shared.set_sources([library])
    results: list[SearchBackend] = []
    thread = threading.Thread(target=lambda: results.append(shared.ensure()))
    thread.start()
    assert builder.started.wait(5)
    shared.set_sources([other])
    builder.release.set()
    thread.join(5)
    assert results and results[0] is shared.index
    assert results[0].search("lighthouse")[0].path.name == "other.txt"
    assert builder.calls[-1] == [other]
    shared.close()


def test_two_threads_ensuring_at_once_build_once(library: Path) -> None:
    """Two threads calling ensure during one build get the same index; the waiter sees progress."""
    builder = CountingBuilder(hold=True)
    shared = SharedIndex(builder)
    shared.set_sources([library])
    results: list[SearchBackend] = []
    reports: list[BuildProgress] = []
    first = threading.Thread(target=lambda: results.append(shared.ensure()))
    first.start()
    assert builder.started.wait(5)
    assert shared.building
    second = threading.Thread(target=lambda: results.append(shared.ensure(reports.append)))
    second.start()
    builder.release.set()
    first.join(5)
    second.join(5)
    assert len(results) == 2 and results[0] is results[1]
    assert len(builder.calls) == 1
    assert reports and reports[-1].finished
    shared.close()


def test_a_failed_build_raises_one_line_and_is_retried(library: Path) -> None:
    """A failing builder gives RuntimeError with its message; a later ensure tries again."""
    attempts: list[int] = []

    def failing(sources: list[Path], **options: Any) -> SearchIndex:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("disk on fire\nsecond line")
        return SearchIndex.build(sources, **options)

    shared = SharedIndex(failing)
    shared.set_sources([library])
    with pytest.raises(RuntimeError, match=r"^disk on fire$"):
        shared.ensure()
    assert shared.error == "disk on fire"
    assert shared.ensure().passages > 0
    assert len(attempts) == 2
    shared.close()


def test_no_sources_is_a_clear_error() -> None:
    """ensure without sources says so."""
    with pytest.raises(RuntimeError, match="nothing to index"):
        SharedIndex().ensure()


def test_a_document_outside_the_sources_gets_its_own_index(
    library: Path, tmp_path: Path
) -> None:
    """ensure_for a document outside the library builds its index once and keeps it."""
    outside = tmp_path / "outside.txt"
    outside.write_text("Outside\n\nA walrus on the rocks.\n")
    shared = SharedIndex()
    shared.set_sources([library])
    assert shared.ensure_for(None) is shared.ensure()
    assert shared.ensure_for(library / "harbour.txt") is shared.ensure()
    own = shared.ensure_for(outside)
    assert own is not shared.ensure()
    assert own.search("walrus")[0].path.name == "outside.txt"
    assert shared.ensure_for(outside) is own
    shared.close()
