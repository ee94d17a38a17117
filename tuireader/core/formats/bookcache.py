"""Converted text of books and web pages, cached as Markdown files in the cache folder.

A book (or saved page) is converted once into ``<key>.md`` plus a ``<key>.json``
sidecar (metadata, table of contents and chapter starts as line numbers), the
key made from the path, size and mtime like the search index's.  The reader
opens the ``.md`` with the ordinary line index and search reads its lines, so
every format takes the same fast path and XHTML is parsed once per book.

Conversion is lazy and streaming: chapters are appended to a temporary file one
at a time, and after the first the caller is told where to read, so the first
chapter shows while the rest converts.  When the last chapter is written the
file is renamed into place (``os.replace``: a reader's open descriptor stays
valid) and the sidecar written atomically; a crash leaves no half entry.
One conversion per book runs at a time in a process; other callers follow it.
The folder is kept under a size cap, least recently opened books first
(``cachetrim.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tuireader.core.formats import cachetrim
from tuireader.core.paths import cache_dir
from tuireader.core.sanitize import strip_control
from tuireader.core.storage import atomic_write_text
from tuireader.core.textload import DocumentError

CACHE_VERSION = 2
"""Bumped when conversions change: 2 keeps internal links and drops escape-sequence residue."""
MAX_TOC = 20_000
MAX_ANCHORS = 200_000
"""Element ids kept per book for internal links (a bound on the sidecar's size)."""


def anchor_key(href: str, fragment: str = "") -> str:
    """The name of a place in a converted source: a section's href and an element id.

    Internal links in the converted text point at ``#`` + this name (see
    ``xhtml.py``) and ``BookText.anchors`` maps it to a line.
    """
    return f"{href}#{fragment}" if fragment else href


@dataclass(frozen=True, slots=True)
class Section:
    """One converted piece of a source: a chapter of a book, or a whole page."""

    href: str
    title: str | None
    lines: list[str]
    anchors: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TocTarget:
    """A table-of-contents entry before it is resolved to a line."""

    title: str
    level: int
    href: str
    fragment: str = ""


class Source(Protocol):
    """What a format gives the cache: metadata, sections in order, a ToC."""

    def info(self) -> dict[str, Any]:
        """Metadata (title, authors, ...) as plain JSON values."""
        ...

    def sections(self) -> Iterator[Section]:
        """The converted sections in reading order."""
        ...

    def toc_targets(self) -> list[TocTarget]:
        """The table of contents, pointing at section hrefs and fragments."""
        ...

    def section_count(self) -> int:
        """How many sections ``sections`` will yield (for progress)."""
        ...

    def close(self) -> None:
        """Release the source."""
        ...


Opener = Callable[[Path], Source]


@dataclass(frozen=True, slots=True)
class TocLine:
    """A resolved table-of-contents entry: title, depth and 0-based line."""

    title: str
    level: int
    line: int


@dataclass(frozen=True, slots=True)
class ChapterStart:
    """Where a chapter starts in the converted text (0-based line)."""

    line: int
    title: str | None
    href: str


@dataclass(slots=True)
class BookText:
    """The converted text of a source and what is known about it so far."""

    source: Path
    text_path: Path
    """The Markdown file to read (a growing temporary file until ``complete``)."""
    info: dict[str, Any]
    chapters: list[ChapterStart]
    toc: list[TocLine]
    lines: int
    complete: bool
    words: int = 0
    planned: int = 0
    """Sections the source announced (progress while converting)."""
    anchors: dict[str, int] = field(default_factory=dict)
    """Places internal links lead to (``anchor_key``) -> 0-based line."""

    def chapter_at(self, line: int) -> str | None:
        """The title of the chapter holding a 0-based line, or None."""
        found = None
        for start in self.chapters:
            if start.line > line:
                break
            found = start
        return found.title if found else None


def cache_folder() -> Path:
    """Where converted texts are kept."""
    return cache_dir() / "books"


def cache_key(path: Path) -> tuple[str, str]:
    """(path part, state part) of a source's cache key; raises ``DocumentError``."""
    try:
        info = os.stat(path)
        resolved = str(Path(path).resolve())
    except OSError as error:
        raise DocumentError(f"{path}: {error.strerror or error}") from None
    path_part = hashlib.sha1(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    state = f"{info.st_size}\0{info.st_mtime_ns}\0{CACHE_VERSION}"
    return path_part, hashlib.sha1(state.encode()).hexdigest()[:12]


def _entry(path: Path) -> tuple[Path, Path, str]:
    """The ``.md`` and ``.json`` paths of a source's cache entry, and its path part."""
    path_part, state = cache_key(path)
    base = cache_folder() / f"{path_part}-{state}"
    return base.with_suffix(".md"), base.with_suffix(".json"), path_part


def cached_text(path: Path) -> BookText | None:
    """The complete cached conversion of ``path``, if one matches its size and mtime."""
    text_path, meta_path, _ = _entry(path)
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
        if data.get("version") != CACHE_VERSION or not text_path.is_file():
            return None
        return BookText(
            Path(path),
            text_path,
            dict(data["info"]),
            [ChapterStart(**item) for item in data["chapters"]],
            [TocLine(**item) for item in data["toc"]],
            int(data["lines"]),
            complete=True,
            words=int(data.get("words", 0)),
            anchors={str(key): int(line) for key, line in data.get("anchors", {}).items()},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class ConversionCancelled(DocumentError):
    """A conversion was stopped before it finished (its caller cancelled it)."""


class Conversion:
    """One conversion of one source, run by its first caller and followed by others."""

    def __init__(self, path: Path, opener: Opener) -> None:
        """Prepare (not start) the conversion of ``path`` with a format's ``opener``."""
        self.path = Path(path)
        self.text_path, self.meta_path, self._path_part = _entry(self.path)
        self.partial = self.text_path.parent / (
            f".{self.text_path.stem}.{os.getpid()}.{id(self):x}.partial"
        )
        """The growing file the text is written to; readable as soon as it exists."""
        self._opener = opener
        self._source: Source | None = None
        self._prepared = threading.Event()
        self._cond = threading.Condition()
        self._claimed = False
        self._state: BookText | None = None
        self._version = 0
        self._finished = False
        self._error: DocumentError | None = None

    def prepare(self) -> None:
        """Open the source (so a bad file fails now) and create the empty growing file."""
        try:
            self._source = self._opener(self.path)
            self.partial.parent.mkdir(parents=True, exist_ok=True)
            self.partial.touch()
        except OSError as error:
            failure = DocumentError(f"{self.path}: cache: {error.strerror or error}")
            self._fail(failure)
            raise failure from None
        except DocumentError as error:
            self._fail(error)
            raise
        finally:
            self._prepared.set()

    def _fail(self, error: DocumentError) -> None:
        """Record a failure, release the source and leave the registry."""
        self._error = error
        if self._source is not None:
            self._source.close()
            self._source = None
        with contextlib.suppress(OSError):
            self.partial.unlink()
        _forget(self)
        self._publish(None, finished=True)

    def wait_prepared(self) -> None:
        """Wait until ``prepare`` has run; raise its error if it failed."""
        self._prepared.wait()
        if self._error is not None and not self._claimed:
            raise self._error

    def follow(
        self,
        on_progress: Callable[[BookText], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> BookText:
        """Run the conversion (first caller) or follow it; return the complete text.

        ``on_progress`` gets the text so far after every chapter (after the first,
        the caller can already show it).  Raises ``DocumentError`` for a source
        that cannot be read, or when the conversion was cancelled.
        """
        self.wait_prepared()
        with self._cond:
            owner = not self._claimed
            self._claimed = True
        if owner:
            return self._run(on_progress, cancelled)
        seen = -1
        while True:
            with self._cond:
                while self._version == seen and not self._finished:
                    self._cond.wait(0.5)
                    if cancelled is not None and cancelled():
                        raise ConversionCancelled(f"{self.path}: conversion cancelled")
                seen, state, finished = self._version, self._state, self._finished
            if finished:
                if self._error is not None or state is None:
                    raise self._error or DocumentError(f"{self.path}: conversion failed")
                return state
            if state is not None and on_progress is not None:
                on_progress(state)

    def _publish(self, state: BookText | None, *, finished: bool = False) -> None:
        """Share progress with followers."""
        with self._cond:
            self._state = state
            self._version += 1
            self._finished = finished
            self._cond.notify_all()

    def _run(
        self,
        on_progress: Callable[[BookText], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> BookText:
        """Convert section by section into the growing file, then move it into place."""
        source = self._source
        if source is None:
            raise self._error or DocumentError(f"{self.path}: conversion failed")

        def report(state: BookText) -> None:
            self._publish(state)
            if on_progress is not None:
                on_progress(state)

        try:
            state = self._write(source, report, cancelled)
        except DocumentError as error:
            self._fail(error)
            raise
        except BaseException:
            self._fail(ConversionCancelled(f"{self.path}: conversion stopped"))
            raise
        source.close()
        self._source = None
        _forget(self)
        self._publish(state, finished=True)
        return state

    def _write(
        self,
        source: Source,
        report: Callable[[BookText], None],
        cancelled: Callable[[], bool] | None,
    ) -> BookText:
        """Write every section and the sidecar; return the complete text."""
        with open(self.partial, "a", encoding="utf-8", newline="\n") as out:
            state = _write_sections(self.path, source, out, self.partial, report, cancelled)
            out.flush()
            os.fsync(out.fileno())
        os.replace(self.partial, self.text_path)
        state.text_path = self.text_path
        state.complete = True
        atomic_write_text(self.meta_path, json.dumps(_sidecar(state), ensure_ascii=False))
        _prune(self.text_path.parent, self._path_part, self.text_path.stem)
        with contextlib.suppress(OSError):
            size = self.text_path.stat().st_size + self.meta_path.stat().st_size
            cachetrim.budget.wrote(self.text_path.parent, size, keep=self.text_path.stem)
        return state


_registry_lock = threading.Lock()
_active: dict[str, Conversion] = {}


def _forget(conversion: Conversion) -> None:
    """Drop a finished or failed conversion from the registry."""
    with _registry_lock:
        if _active.get(str(conversion.path)) is conversion:
            del _active[str(conversion.path)]


def start_conversion(path: Path, opener: Opener) -> BookText | Conversion:
    """The cached text of ``path``, or the (new or running) conversion to follow.

    A new conversion opens its source here, so a book that cannot be opened
    raises ``DocumentError`` now; its growing file exists on return.
    """
    found = cached_text(path)
    if found is not None:
        cachetrim.touch(_entry(path)[1])
        return found
    with _registry_lock:
        conversion = _active.get(str(path))
        new = conversion is None
        if conversion is None:
            conversion = _active[str(path)] = Conversion(path, opener)
    if new:
        conversion.prepare()
    else:
        conversion.wait_prepared()
    return conversion


def converted_text(
    path: Path,
    opener: Opener,
    on_progress: Callable[[BookText], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BookText:
    """The complete converted text of ``path``: from the cache, or converted now.

    While converting, ``on_progress`` is called after each section with the text
    so far (the first call comes after the first chapter).  Blocks until done:
    call it from a worker thread.  Raises ``DocumentError``.
    """
    for _ in range(3):
        started = start_conversion(path, opener)
        if isinstance(started, BookText):
            if on_progress is not None:
                on_progress(started)
            return started
        try:
            return started.follow(on_progress, cancelled)
        except ConversionCancelled:
            if cancelled is not None and cancelled():
                raise
            # Another caller's conversion was stopped: convert it ourselves.
    raise ConversionCancelled(f"{path}: conversion kept being cancelled")


def _write_sections(
    path: Path,
    source: Source,
    out: Any,
    partial: Path,
    report: Callable[[BookText], None],
    cancelled: Callable[[], bool] | None,
) -> BookText:
    """Append every section to ``out``, reporting after each; return the final state."""
    state = BookText(path, partial, source.info(), [], [], 0, complete=False)
    state.planned = source.section_count()
    anchors = state.anchors
    for section in source.sections():
        if cancelled is not None and cancelled():
            raise ConversionCancelled(f"{path}: conversion cancelled")
        title = _clean_title(section.title)
        if not section.lines:
            state.chapters.append(ChapterStart(state.lines, title, section.href))
            continue
        start = state.lines
        state.chapters.append(ChapterStart(start, title, section.href))
        anchors.setdefault(anchor_key(section.href), start)
        for anchor, line in section.anchors.items():
            if len(anchors) >= MAX_ANCHORS:
                break
            anchors.setdefault(anchor_key(section.href, anchor), start + line)
        state.words += sum(len(line.split()) for line in section.lines)
        out.write("\n".join(section.lines))
        out.write("\n\n")
        state.lines += len(section.lines) + 1
        out.flush()
        state.toc = _resolve_toc(source.toc_targets(), anchors, state.chapters)
        report(state)
    state.toc = _resolve_toc(source.toc_targets(), anchors, state.chapters)
    return state


def _resolve_toc(
    targets: list[TocTarget], anchors: dict[str, int], chapters: list[ChapterStart]
) -> list[TocLine]:
    """ToC entries with line numbers; entries whose target is unknown are dropped."""
    if not targets:
        return [TocLine(start.title, 1, start.line) for start in chapters if start.title]
    targets = targets[:MAX_TOC]
    resolved: list[TocLine] = []
    for target in targets:
        line = anchors.get(anchor_key(target.href, target.fragment))
        if line is None:
            line = anchors.get(anchor_key(target.href))
        if line is not None:
            resolved.append(TocLine(_clean_title(target.title) or "Untitled", target.level, line))
    return resolved


def _clean_title(title: str | None) -> str | None:
    """A chapter or ToC title safe to draw: one line, no control sequences, bounded."""
    if not title:
        return None
    text = " ".join(strip_control(title).split())
    return text[:200] or None


def _sidecar(state: BookText) -> dict[str, Any]:
    """The JSON sidecar of a complete conversion."""
    return {
        "version": CACHE_VERSION,
        "source": str(state.source),
        "info": state.info,
        "chapters": [asdict(start) for start in state.chapters],
        "toc": [asdict(entry) for entry in state.toc],
        "lines": state.lines,
        "words": state.words,
        "anchors": state.anchors,
    }


def _prune(folder: Path, path_part: str, keep: str) -> None:
    """Remove older conversions of the same source (it changed since)."""
    for old in folder.glob(f"{path_part}-*"):
        if old.stem != keep:
            with contextlib.suppress(OSError):
                old.unlink()
