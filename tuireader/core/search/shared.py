"""``SharedIndex``: the one owner of a library's search index for a session.

Every screen and command that searches asks the same ``SharedIndex``: it builds
the index once (on the first ``ensure``), hands the same index to every caller
afterwards, and builds it again when its sources change, when a document changed
on disk (``is_stale``, then ``invalidate``) or after a failed or cancelled build.
It is free of Textual and thread-safe: ``ensure`` blocks and is meant for a
worker thread; a second caller while a build runs waits for that build (getting
its progress reports) instead of starting another.  A document outside the
sources gets a small index of its own (``ensure_for``), kept with the shared one.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tuireader.core.search.backend import SearchBackend
from tuireader.core.search.build import (
    BuildCancelled,
    BuildProgress,
    CancelCheck,
    ProgressCallback,
    Source,
)

Builder = Callable[..., SearchBackend]
"""Builds an index: ``(sources, *, progress, should_cancel)`` as ``SearchIndex.build``."""

WAKE_SECONDS = 0.25
"""Longest a waiting ``ensure`` goes without checking its ``should_cancel``."""


class SharedIndex:
    """The search index of some sources: built once, reused, rebuilt when they change."""

    def __init__(self, builder: Builder | None = None) -> None:
        """An index built with ``builder`` (default ``SearchIndex.build``) once asked for."""
        self.builder = builder
        """What builds an index (``SearchIndex.build`` when None)."""
        self._changed = threading.Condition(threading.Lock())
        self._sources: tuple[Path, ...] | None = None
        self._index: SearchBackend | None = None
        self._extra: dict[str, SearchBackend] = {}
        self._retired: list[SearchBackend] = []
        self._generation = 0
        """Counts invalidations: a build of an older generation is thrown away."""
        self._building: int | None = None
        """The generation being built, if a build runs."""
        self._waiting: dict[object, CancelCheck | None] = {}
        """The cancel checks of the callers inside ``ensure``."""
        self._builds = 0
        """Builds started so far."""
        self._failed: tuple[int, str] | None = None
        """(build number, why) of the last failed build."""
        self._progress: BuildProgress | None = None

    # ------------------------------------------------------------ state

    @property
    def sources(self) -> tuple[Path, ...] | None:
        """What the index is built from (None: not set yet)."""
        with self._changed:
            return self._sources

    @property
    def index(self) -> SearchBackend | None:
        """The built index, or None while none is (or it was invalidated)."""
        with self._changed:
            return self._index

    @property
    def progress(self) -> BuildProgress | None:
        """The latest progress report of the current (or last) build."""
        with self._changed:
            return self._progress

    @property
    def building(self) -> bool:
        """Whether a build runs."""
        with self._changed:
            return self._building is not None

    @property
    def error(self) -> str | None:
        """Why the last build failed (one line), until the next build or invalidation."""
        with self._changed:
            return self._failed[1] if self._failed is not None else None

    def set_sources(self, sources: Iterable[Path | str]) -> None:
        """Index ``sources`` (files, folders); a change drops the index built so far."""
        wanted = tuple(Path(source) for source in sources)
        with self._changed:
            if wanted == self._sources:
                return
            self._sources = wanted
            self._drop()

    def invalidate(self) -> None:
        """Drop the index: the next ``ensure`` builds again (unchanged files come from cache)."""
        with self._changed:
            self._drop()

    def is_stale(self, document: Path | str) -> bool:
        """Whether ``document`` changed on disk since it was indexed (its lines may differ)."""
        with self._changed:
            indexes = [self._index, self._extra.get(os.path.abspath(document))]
        return any(index is not None and index.is_stale(document) for index in indexes)

    def close(self) -> None:
        """Release every index held (call when the session ends)."""
        with self._changed:
            self._drop()
            retired, self._retired = self._retired, []
        for index in retired:
            index.close()

    def _drop(self) -> None:
        """Forget the current indexes (lock held).  They are closed by ``close``.

        A screen may still be searching one, so it is not closed at once.
        """
        self._generation += 1
        self._failed = None
        self._progress = None
        if self._index is not None:
            self._retired.append(self._index)
        self._retired.extend(self._extra.values())
        self._index = None
        self._extra = {}
        self._changed.notify_all()

    # ------------------------------------------------------------ building

    def ensure(
        self,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
    ) -> SearchBackend:
        """The index, built first if needed (blocking: call from a worker thread).

        While another caller builds it, waits for that build, passing on its
        progress.  A build goes on while any caller still waits for it; it stops
        when all of them are cancelled.  Raises ``BuildCancelled`` when
        ``should_cancel`` answers true, ``RuntimeError`` (one line) when the build
        failed or no sources are set.
        """
        token = object()
        with self._changed:
            since = self._builds + (0 if self._building is not None else 1)
            self._waiting[token] = should_cancel
        try:
            return self._wait_or_build(since, progress, should_cancel)
        finally:
            with self._changed:
                del self._waiting[token]

    def _wait_or_build(
        self, since: int, progress: ProgressCallback | None, should_cancel: CancelCheck | None
    ) -> SearchBackend:
        """``ensure``'s loop: return the index, build it, or wait for its build."""
        shown: BuildProgress | None = None
        while True:
            if should_cancel is not None and should_cancel():
                raise BuildCancelled
            with self._changed:
                step = self._next_step(since, should_cancel)
                if step is None:
                    if self._progress is None or self._progress is shown:
                        self._changed.wait(WAKE_SECONDS)
                    current = self._progress
            if isinstance(step, tuple):
                self._run_build(*step, progress=progress)
            elif step is not None:
                return step
            elif progress is not None and current is not None and current is not shown:
                shown = current
                progress(current)  # outside the lock: it may wait on the UI thread

    def _abandoned(self) -> bool:
        """Whether every caller waiting for the index is cancelled (the build stops)."""
        with self._changed:
            checks = list(self._waiting.values())
        return all(check is not None and check() for check in checks)

    def _next_step(
        self, since: int, should_cancel: CancelCheck | None = None
    ) -> SearchBackend | tuple[int, tuple[Path, ...]] | None:
        """The index if built; what to build (generation, sources); or None: wait.

        Called with the lock held.  Raises ``RuntimeError`` when a build started
        since ``since`` failed, or when there is nothing to index;
        ``BuildCancelled`` instead of starting a build for a cancelled caller (one
        cancelled while the build it waited for was abandoned).
        """
        if self._index is not None:
            return self._index
        if self._failed is not None and self._failed[0] >= since:
            raise RuntimeError(self._failed[1])
        if self._sources is None:
            raise RuntimeError("nothing to index")
        if self._building is not None:
            return None
        if should_cancel is not None and should_cancel():
            raise BuildCancelled
        self._builds += 1
        self._building = self._generation
        self._progress = None
        return self._generation, self._sources

    def _run_build(
        self,
        generation: int,
        sources: tuple[Path, ...],
        *,
        progress: ProgressCallback | None,
    ) -> None:
        """Build the index of ``generation`` (lock not held), then publish it."""

        def report(update: BuildProgress) -> None:
            with self._changed:
                if self._generation == generation:
                    self._progress = update
                    self._changed.notify_all()
            if progress is not None:
                progress(update)

        def cancelled() -> bool:
            with self._changed:
                outdated = self._generation != generation
            return outdated or self._abandoned()

        index: SearchBackend | None = None
        failure: str | None = None
        try:
            index = self._build(sources, report, cancelled)
        except BuildCancelled:
            pass  # every caller is cancelled (each one raises) or the sources changed
        except Exception as error:  # one line, never a traceback
            failure = _one_line(error)
        finally:
            self._publish(generation, index, failure)

    def _publish(self, generation: int, index: SearchBackend | None, failure: str | None) -> None:
        """Record a finished build (or its failure); wake the waiting callers."""
        with self._changed:
            self._building = None
            if generation != self._generation:
                if index is not None:  # the sources changed meanwhile: build again
                    self._retired.append(index)
            elif index is not None:
                self._index = index
            elif failure is not None:
                self._failed = (self._builds, failure)
            self._changed.notify_all()

    def _build(
        self,
        sources: Sequence[Source],
        progress: ProgressCallback | None,
        should_cancel: CancelCheck | None,
    ) -> SearchBackend:
        """Run the builder."""
        builder = self.builder
        if builder is None:
            from tuireader.core.search.index import SearchIndex

            builder = SearchIndex.build
        return builder(list(sources), progress=progress, should_cancel=should_cancel)

    def ensure_for(
        self,
        document: Path | None,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
    ) -> SearchBackend:
        """An index holding ``document``: the shared one, or one of its own.

        A document outside the sources (opened from a bookmark, say) gets an index
        of its own, built once and kept until the next invalidation.
        """
        index = self.ensure(progress, should_cancel)
        if document is None or index.has_document(document):
            return index
        key = os.path.abspath(document)
        with self._changed:
            known = self._extra.get(key)
            generation = self._generation
        if known is not None:
            return known
        own = self._build([document], progress, should_cancel)
        with self._changed:
            if generation == self._generation:
                known = self._extra.setdefault(key, own)
                if known is not own:
                    self._retired.append(own)
            else:
                self._retired.append(own)
                known = own
        return known


def _one_line(error: Exception) -> str:
    """An exception as one line of text."""
    from tuireader.core.sanitize import strip_control

    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return strip_control(text)
