"""Every match of a query in one document: each line once, in document order (``/`` in a reader).

Ranked search (``query.py``) answers "which passages are best" and stops at a
few hundred candidates; searching the document being read wants what ``less``
gives: every line holding the query, top to bottom, so that ``n`` and ``N``
walk them all.  The query is read with the library's syntax
(``query_syntax``): its plain words are matched against the vocabulary as in
ranked search (typos, and word forms of the document's language); a passage
qualifies when it holds every plain word (stopwords only count in a query made
of them), every ``"phrase"`` and no ``-exclusion`` (``constraints``).  Its lines
holding a plain word or a phrase are the hits.  Document filters (``title:``,
``in:``...) do not apply inside one document and are ignored
(``ParsedQuery.filter_fields`` names them for the status line).  Passages of a
long paragraph overlap: a line is given once.  Hits are produced lazily, a
passage at a time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from pathlib import Path

from tuireader.core.search.cjk import merge_spans
from tuireader.core.search.constraints import Constraints
from tuireader.core.search.hits import SearchHit
from tuireader.core.search.index_file import DocEntry, IndexData
from tuireader.core.search.query import Term, query_terms
from tuireader.core.search.query_syntax import ParsedQuery, parse_query
from tuireader.core.search.stemming import forms_language
from tuireader.core.search.text import is_cjk, word_spans, words
from tuireader.core.search.vocabulary import Vocabulary


def _passages_with_all(
    data: IndexData, variants: list[dict[int, float]], scope: tuple[int, int]
) -> list[int]:
    """The passages (in order) of ``scope`` holding at least one of each variant set."""
    found: set[int] | None = None
    postings, offsets = data.postings, data.post_offsets
    first, end = scope
    sizes = [sum(offsets[i + 1] - offsets[i] for i in ids) for ids in variants]
    for _, ids in sorted(zip(sizes, variants, strict=True), key=lambda item: item[0]):
        passages: set[int] = set()
        for word_id in ids:
            low, high = offsets[word_id], offsets[word_id + 1]
            start = bisect.bisect_left(postings, first, low, high)
            stop = bisect.bisect_left(postings, end, start, high)
            passages.update(postings[start:stop].tolist())
        found = passages if found is None else found & passages
        if not found:
            return []
    return sorted(found or ())


def _phrase_positions(tokens: list[str], phrases: list[list[str]]) -> set[int]:
    """Positions of the passage's words that are part of an occurrence of a phrase."""
    positions: set[int] = set()
    for phrase in phrases:
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            if tokens[start] == phrase[0] and tokens[start : start + size] == phrase:
                positions.update(range(start, start + size))
    return positions


def _word_positions(tokens: list[str], wanted: set[str]) -> set[int]:
    """Positions of the passage's words matching a plain query word.

    A one-character CJK query word matches the character pairs holding it.
    """
    single = {word for word in wanted if len(word) == 1 and is_cjk(word)}
    return {
        position
        for position, token in enumerate(tokens)
        if token in wanted
        or (single and len(token) == 2 and (token[0] in single or token[1] in single))
    }


def _line_spans(
    text: str, first_line: int, positions: set[int]
) -> dict[int, list[tuple[int, int]]]:
    """Spans of the words at ``positions`` by 1-based line, relative to each line's start.

    A CJK run's character pairs light as one span.
    """
    by_line: dict[int, list[tuple[int, int]]] = {}
    line_start = 0
    line = first_line
    scanned = 0
    for position, (start, end) in enumerate(word_spans(text)):
        if position not in positions:
            continue
        newlines = text.count("\n", scanned, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", 0, start) + 1
        scanned = start
        by_line.setdefault(line, []).append((start - line_start, end - line_start))
    return {number: list(merge_spans(spans)) for number, spans in by_line.items()}


class _DocumentQuery:
    """A parsed query as it applies to the passages of one document of a language."""

    def __init__(self, parsed: ParsedQuery, terms: list[Term], vocab: list[str], language: str):
        """Resolve each term's variants in the document's language."""
        self.constraints = Constraints.from_query(parsed)
        plain = set(words(" ".join(parsed.words)))
        # A word matching nothing (in this language) is left out, as in ranked search.
        present = [(term, term.variants_in(language)) for term in terms]
        present = [(term, variants) for term, variants in present if variants]
        content = [(term, variants) for term, variants in present if not term.stop]
        required = content or present
        self.required = [variants for _, variants in required]
        self.wanted = {
            vocab[word_id]
            for term, variants in required
            if term.word in plain
            for word_id in variants
        }
        self.phrases = [words(phrase) for phrase in parsed.phrases]

    def positions(self, tokens: list[str]) -> set[int]:
        """Positions to light in a passage's words, or none when the passage fails the query."""
        if not self.constraints.passes(tokens):
            return set()
        return _word_positions(tokens, self.wanted) | _phrase_positions(tokens, self.phrases)


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
    if parsed.is_empty or scope[1] <= scope[0]:
        return
    terms = query_terms(data, vocabulary, parsed, [scope])
    language = forms_language(documents[data.passage_doc[scope[0]]].language)
    wanted = _DocumentQuery(parsed, terms, data.words, language)
    if not wanted.required:
        return
    done_through = 0
    for passage in _passages_with_all(data, wanted.required, scope):
        text = data.text(passage)
        positions = wanted.positions(words(text))
        if not positions:
            continue
        first = data.first_line[passage]
        lines = text.split("\n")
        entry = documents[data.passage_doc[passage]]
        for line, spans in sorted(_line_spans(text, first, positions).items()):
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
