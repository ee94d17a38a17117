"""What a search gives back: ``SearchHit``, and ``snippet`` to show one on a line."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tuireader.core.sanitize import path_fields


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One passage matching a query."""

    path: Path
    """The document's path."""
    title: str
    """The document's title."""
    line: int
    """1-based first source line of the passage."""
    last_line: int
    """1-based last source line of the passage (inclusive)."""
    score: float
    """Relevance from 0 to 100."""
    passage: str
    """The passage's clean text (lines joined by newlines)."""
    spans: tuple[tuple[int, int], ...] = ()
    """Character ranges ``[start, end)`` of the matched words in ``passage``."""
    chapter: str | None = None
    """The book chapter (or page section) holding the passage, for converted formats."""

    @property
    def match_line(self) -> int:
        """1-based source line of the first matched word (the passage's first line if none)."""
        if not self.spans:
            return self.line
        first = min(start for start, _ in self.spans)
        return min(self.last_line, self.line + self.passage.count("\n", 0, first))

    def to_json(self) -> dict[str, object]:
        """The fields printed by ``tuireader search --json``.

        ``line`` is where the matched words are; ``passage_start`` and
        ``passage_end`` the passage's first and last lines.
        """
        return {
            **path_fields(self.path),
            "title": self.title,
            "line": self.match_line,
            "passage_start": self.line,
            "passage_end": self.last_line,
            "score": self.score,
            "passage": self.passage,
            "spans": [list(span) for span in self.spans],
            "chapter": self.chapter,
        }


def _match_lines(hit: SearchHit) -> set[int]:
    """The 1-based lines holding a hit's matched words."""
    return {hit.line + hit.passage.count("\n", 0, start) for start, _ in hit.spans}


def distinct(hits: Sequence[SearchHit]) -> list[SearchHit]:
    """``hits`` (best first) without those whose every match a better hit already shows.

    Long paragraphs are indexed as overlapping windows: a match in the overlap
    would otherwise be listed twice.
    """
    shown: dict[Path, set[int]] = {}
    kept: list[SearchHit] = []
    for hit in hits:
        lines = _match_lines(hit) or {hit.line}
        seen = shown.setdefault(hit.path, set())
        if lines <= seen:
            continue
        seen |= lines
        kept.append(hit)
    return kept


def shown_passage(hit: SearchHit) -> tuple[str, list[tuple[int, int]]]:
    """A hit's passage as the reader shows it (Markdown rendered), with its matched spans."""
    from tuireader.core.formats.registry import is_markdown

    if not is_markdown(hit.path):
        return hit.passage, list(hit.spans)
    from tuireader.core.formats.markdown import plain_text
    from tuireader.core.highlight import match_pattern, match_spans

    text = plain_text(hit.passage)
    words = {hit.passage[start:end] for start, end in hit.spans if end > start}
    return text, [(start, end) for start, end, _ in match_spans(match_pattern(words), text)]


def snippet(hit: SearchHit, width: int = 160) -> tuple[str, list[tuple[int, int]]]:
    """A one-line excerpt of a hit around its first match, with the spans inside it.

    Markdown shows as rendered text, not source.  Newlines and tabs become
    spaces; an ellipsis marks cut ends.
    """
    passage, found = shown_passage(hit)
    text = passage.replace("\n", " ").replace("\t", " ")
    if len(text) <= width:
        return text, found
    first = _densest(found, width)
    start = max(0, first - width // 4)
    if start:
        space = text.find(" ", start, first)
        if space >= 0:
            start = space + 1
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        if space > 0:
            end = space
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    spans = [
        (max(s, start) + shift, min(e, end) + shift) for s, e in found if e > start and s < end
    ]
    return prefix + text[start:end] + suffix, spans


def _densest(spans: Sequence[tuple[int, int]], width: int) -> int:
    """Start of the span beginning the window (of ``width`` characters) holding most spans."""
    if not spans:
        return 0
    starts = [start for start, _ in spans]
    best, best_count = starts[0], 0
    for start in starts:
        count = bisect.bisect_left(starts, start + width * 3 // 4) - bisect.bisect_left(
            starts, start
        )
        if count > best_count:
            best, best_count = start, count
    return best
