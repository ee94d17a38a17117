"""Every match of a query in one document: each line once, in document order (``/`` in a reader).

Ranked search (``query.py``) answers "which passages are best" and stops at a
few hundred candidates; searching the document being read wants what ``less``
gives: every line holding the query, top to bottom, so that ``n`` and ``N``
walk them all.  The query's words are matched against the vocabulary as in
ranked search (typos and word forms included); a passage qualifies when it
holds every word of the query (stopwords only count in a query made of them);
its lines holding a matched word are the hits.  Passages of a long paragraph
overlap: a line is given once.  Hits are produced lazily, a passage at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tuireader.core.search.cjk import merge_spans
from tuireader.core.search.hits import SearchHit
from tuireader.core.search.index_file import DocEntry, IndexData
from tuireader.core.search.query import Term, query_terms
from tuireader.core.search.query_syntax import parse_query
from tuireader.core.search.text import is_cjk, word_spans, words
from tuireader.core.search.vocabulary import Vocabulary


def _passages_with_all(data: IndexData, terms: list[Term]) -> list[int]:
    """The passages (in order) holding at least one variant of each term."""
    found: set[int] | None = None
    for term in sorted(terms, key=lambda term: term.total):
        passages: set[int] = set()
        for start, stop, _ in term.ranges:
            passages.update(data.postings[start:stop].tolist())
        found = passages if found is None else found & passages
        if not found:
            return []
    return sorted(found or ())


def _line_spans(text: str, first_line: int, wanted: set[str]) -> dict[int, list[tuple[int, int]]]:
    """Matched word spans by 1-based line, relative to each line's start.

    A CJK run's character pairs light as one span; a one-character CJK query word
    matches the pairs holding it.
    """
    by_line: dict[int, list[tuple[int, int]]] = {}
    line_start = 0
    line = first_line
    scanned = 0
    single = {word for word in wanted if len(word) == 1 and is_cjk(word)}
    for (start, end), token in zip(word_spans(text), words(text), strict=True):
        if token not in wanted and not (
            single and len(token) == 2 and (token[0] in single or token[1] in single)
        ):
            continue
        newlines = text.count("\n", scanned, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", 0, start) + 1
        scanned = start
        by_line.setdefault(line, []).append((start - line_start, end - line_start))
    return {number: list(merge_spans(spans)) for number, spans in by_line.items()}


def iter_document_hits(
    data: IndexData,
    vocabulary: Vocabulary,
    documents: list[DocEntry],
    query: str,
    scope: tuple[int, int],
) -> Iterator[SearchHit]:
    """Every line of the passages ``[first, end)`` of ``scope`` matching ``query``, in order.

    Each hit is one line (``line == last_line``), its text the passage's line and
    its spans the matched words in it.
    """
    parsed = parse_query(query)
    terms = [term for term in query_terms(data, vocabulary, parsed, [scope]) if term.variants]
    if not terms:
        return
    required = [term for term in terms if not term.stop] or terms
    wanted = {data.words[word_id] for term in required for word_id in term.variants}
    done_through = 0
    for passage in _passages_with_all(data, required):
        text = data.text(passage)
        first = data.first_line[passage]
        lines = text.split("\n")
        entry = documents[data.passage_doc[passage]]
        for line, spans in sorted(_line_spans(text, first, wanted).items()):
            if line <= done_through:
                continue  # already given by the overlapping passage before
            done_through = line
            yield SearchHit(
                path=Path(entry.path),
                title=entry.title,
                line=line,
                last_line=line,
                score=100.0,
                passage=lines[line - first] if 0 <= line - first < len(lines) else text,
                spans=tuple(spans),
            )
