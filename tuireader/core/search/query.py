"""Answering a query: its terms, the candidate passages, their ranking.

1. The query is read (``core.search.query_syntax``: phrases, exclusions,
   filters, already applied to the scope by the caller) and its words cut into
   folded words (``core.search.text``), each matched against the vocabulary
   (``core.search.vocabulary``) and weighted by idf.
2. Candidate passages come from the inverted index: the postings of the rarer
   query words are gathered into sets and counted (in C, through ``set`` and
   ``Counter``); the passages covering most words are kept.  Very common words
   (stopwords) are only checked on the few candidates left.
3. The best candidates are scored on their text (``core.search.scoring``):
   idf-weighted coverage of the query words (times match quality), proximity
   (the smallest window holding them, times the share of the query's words the
   passage holds: a missing word is near nothing), order (query words adjacent
   and in order, i.e. phrases); the top ones are re-ranked with rapidfuzz
   ``partial_ratio`` on the passage text.
   Passages failing a phrase or holding an excluded word are dropped
   (``core.search.constraints``); a passage holding a CJK run of the query
   exactly ranks above every one that does not.

Scores run from 0 to 100.  Hits carry the character spans of the matched words.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tuireader.core.formats.registry import chapter_at, has_chapters
from tuireader.core.search.cjk import merge_spans
from tuireader.core.search.constraints import Constraints
from tuireader.core.search.hits import SearchHit
from tuireader.core.search.index_file import DocEntry, IndexData
from tuireader.core.search.query_syntax import ParsedQuery
from tuireader.core.search.scope import PassageFilter, Scope, excluded_passages
from tuireader.core.search.scoring import Scored, Scorer, highlights
from tuireader.core.search.text import STOPWORDS, word_spans, words
from tuireader.core.search.vocabulary import Matches, Vocabulary

MAX_QUERY_WORDS = 24
"""Query words beyond this many are ignored (a pasted page is not a query)."""
ENUMERATE_LIMIT = 60_000
"""Postings per query word gathered into sets; commoner words are only checked later."""
ENUMERATE_BUDGET = 300_000
"""Postings gathered into sets per query, at most."""
CHEAP_LIMIT = 4_000
"""Candidates scored from the index alone, at most."""
DETAIL_LIMIT = 200
"""Candidates scored on their text."""
PHRASE_DETAIL_LIMIT = 1000
"""Candidates scored on their text when phrases or exclusions may drop many of them."""
RERANK_LIMIT = 40
"""Candidates re-ranked with rapidfuzz on their text."""


@dataclass(slots=True)
class Term:
    """A query word and the vocabulary words it matches."""

    word: str
    variants: dict[int, float]
    """Vocabulary id -> match quality (1.0 exact)."""
    weight: float = 0.0
    """The best idf x quality among the variants."""
    total: int = 0
    """Summed postings length of the variants (within the scope)."""
    stop: bool = False
    ranges: list[tuple[int, int, float]] = field(default_factory=list)
    """(start, end, quality) of each variant's postings within the scope."""
    limited: dict[int, tuple[frozenset[str], float]] = field(default_factory=dict)
    """Variants matched as word forms in some languages only (``Matches.limited``)."""

    def variants_in(self, language: str) -> dict[int, float]:
        """The variants that match in a document of ``language``, with their quality there."""
        return Matches(self.variants, self.limited).quality_in(language)


_Tiers = list[tuple[float, set[int]]]
"""A term's gathered passages by match quality, best first."""
_Gathered = tuple[Term, set[int], _Tiers]
"""A term, all its gathered passages, and the same by quality."""
_Scored = Scored
"""(exact CJK runs, score, passage, text, folded words, matches)."""


def run_query(
    data: IndexData,
    vocabulary: Vocabulary,
    documents: list[DocEntry],
    query: ParsedQuery,
    limit: int,
    scope: Scope,
    should_cancel: Callable[[], bool] | None = None,
) -> list[SearchHit]:
    """The best ``limit`` hits for a parsed query within ``scope`` (none once cancelled)."""
    cancelled = should_cancel or _never
    terms = query_terms(data, vocabulary, query, scope.ranges)
    if not terms or not any(term.variants for term in terms) or cancelled():
        return []
    constraints = Constraints.from_query(query)
    drop = excluded_passages(data, vocabulary.word_id, constraints.exclude_words, scope.ranges)
    detail = PHRASE_DETAIL_LIMIT if constraints.filters_passages else DETAIL_LIMIT
    candidates = select_candidates(data, terms, PassageFilter(drop, scope, detail, data))
    if not candidates or cancelled():
        return []
    scored = rank(data, terms, candidates, constraints, cancelled)
    if cancelled():
        return []
    paths: dict[int, tuple[Path, bool]] = {}
    return [_hit(data, documents, item, terms, paths) for item in scored[:limit]]


def _never() -> bool:
    """A cancel check that never cancels."""
    return False


# ---------------------------------------------------------------- terms


def _query_words(query: str) -> list[str]:
    """The distinct folded words of a query, at most ``MAX_QUERY_WORDS``."""
    tokens: list[str] = []
    for token in words(query):
        if token not in tokens:
            tokens.append(token)
            if len(tokens) >= MAX_QUERY_WORDS:
                break
    return tokens


def query_terms(
    data: IndexData, vocabulary: Vocabulary, query: ParsedQuery, ranges: list[tuple[int, int]]
) -> list[Term]:
    """The distinct query words with their vocabulary matches and weights.

    The last plain word, when the query ends inside it, is being typed: a prefix.
    """
    tokens = _query_words(query.text)
    plain = words(" ".join(query.words))
    typing = query.typing and bool(plain) and bool(tokens) and tokens[-1] == plain[-1]
    terms: list[Term] = []
    for number, token in enumerate(tokens):
        found = vocabulary.match(token, prefix=typing and number == len(tokens) - 1)
        variants = found.quality
        term = Term(token, variants, stop=token in STOPWORDS, limited=found.limited)
        _locate(data, term, ranges)
        if variants:
            # Weigh the word by its best match (the commonest among equals), not by a
            # rare look-alike.
            best = max(variants, key=lambda word_id: (variants[word_id], vocabulary.df(word_id)))
            idf = math.log(1.0 + max(1, data.passages) / max(1, vocabulary.df(best)))
            term.weight = idf * variants[best]
        terms.append(term)
    return terms


def _locate(data: IndexData, term: Term, ranges: list[tuple[int, int]]) -> None:
    """Fill ``term.ranges`` and ``term.total``: its variants' postings within ``ranges``."""
    offsets = data.post_offsets
    whole = ranges == [(0, data.passages)]
    for word_id, quality in term.variants.items():
        low, high = offsets[word_id], offsets[word_id + 1]
        # Within a scope: the word's postings read once, each range found in them.
        own = data.postings[low:high] if not whole and high > low else None
        for first, end in ranges:
            start, stop = low, high
            if own is not None:
                start = low + bisect.bisect_left(own, first)
                stop = low + bisect.bisect_left(own, end, start - low)
            if stop <= start:
                continue
            term.ranges.append((start, stop, quality))
            term.total += stop - start


# ---------------------------------------------------------------- candidates


def select_candidates(data: IndexData, terms: list[Term], keep: PassageFilter) -> list[int]:
    """Passages worth scoring on their text: those covering the most query words."""
    present = [term for term in terms if term.ranges]
    if not present:
        return []
    gathered, checked = _gather(data, sorted(present, key=lambda term: term.total), keep)
    one_word = len(gathered) == 1
    limit = keep.detail_limit
    pool = _best_matches_first(gathered[0][2]) if one_word else _most_covering(gathered, limit)
    if len(pool) <= limit:
        return pool
    pool = pool[:CHEAP_LIMIT]
    scores = _cheap_scores(data, pool, gathered, checked, len(keep.scope.ranges))
    pool.sort()  # best score first, ties by passage number (stable sorts, C-level keys)
    pool.sort(key=scores.__getitem__, reverse=True)
    return pool[:limit]


def _gather(
    data: IndexData, order: list[Term], keep: PassageFilter
) -> tuple[list[_Gathered], list[Term]]:
    """Gather the rarer terms' passages into sets; the commoner terms are only checked."""
    postings = data.postings
    budget = ENUMERATE_BUDGET
    gathered: list[_Gathered] = []
    checked: list[Term] = []
    for term in order:
        if gathered and (term.total > ENUMERATE_LIMIT or term.total > budget):
            checked.append(term)
            continue
        every: set[int] = set()
        tiers: dict[float, set[int]] = {}
        # Even the rarest word may be very common (a query of stopwords): gather
        # a bounded sample of its passages, best matches first.
        left = ENUMERATE_LIMIT if not gathered else term.total
        for start, stop, quality in sorted(term.ranges, key=lambda item: -item[2]):
            if left <= 0:
                break
            chunk = postings[start : min(stop, start + left)].tolist()
            left -= len(chunk)
            every.update(chunk)
            tiers.setdefault(quality, set()).update(chunk)
        drop = keep.drop(every)
        if drop:
            every -= drop
            tiers = {quality: found - drop for quality, found in tiers.items()}
        budget -= len(every)
        gathered.append((term, every, sorted(tiers.items(), reverse=True)))
    return gathered, checked


def _best_matches_first(tiers: _Tiers) -> list[int]:
    """One word's passages: its best matches first (an exact word before a look-alike)."""
    pool: list[int] = []
    seen: set[int] = set()
    for _, tier_set in tiers:
        fresh = tier_set - seen
        seen |= fresh
        pool += sorted(fresh)
        if len(pool) >= CHEAP_LIMIT:
            break
    return pool


def _most_covering(gathered: list[_Gathered], limit: int) -> list[int]:
    """The passages holding the most of the gathered words (about ``limit`` or more)."""
    counts: Counter[int] = Counter()
    for _, every, _ in gathered:
        counts.update(every)
    histogram = Counter(counts.values())
    threshold = 1
    running = 0
    for covered in sorted(histogram, reverse=True):
        running += histogram[covered]
        threshold = covered
        if running >= limit:
            break
    pool = [passage for passage, covered in counts.items() if covered > threshold]
    room = max(0, CHEAP_LIMIT - len(pool))
    tier = [passage for passage, covered in counts.items() if covered == threshold]
    if len(tier) > room:
        tier.sort()
    pool += tier[:room]
    return pool


def _cheap_scores(
    data: IndexData,
    pool: list[int],
    gathered: list[_Gathered],
    checked: list[Term],
    scope_count: int,
) -> dict[int, float]:
    """A score from the index alone: idf weight x best match quality per word."""
    postings = data.postings
    scores = dict.fromkeys(pool, 0.0)
    everyone = set(pool)
    for term, _, tier_list in gathered:
        weight = term.weight
        left = everyone
        for quality, tier_set in tier_list:
            # Each passage counts its best tier only: found here, it is left out below.
            found = left.intersection(tier_set)
            if found:
                for passage in found:
                    scores[passage] += weight * quality
                left = left - found
    for term in checked:
        # The best three variants, in every scope range.
        ranges = [
            (postings[start:stop], quality)
            for start, stop, quality in sorted(term.ranges, key=lambda item: -item[2])[
                : 3 * scope_count
            ]
        ]
        weight = term.weight
        for passage in pool:
            for numbers, quality in ranges:
                at = bisect.bisect_left(numbers, passage)
                if at < len(numbers) and numbers[at] == passage:
                    scores[passage] += weight * quality
                    break
    return scores


# ---------------------------------------------------------------- ranking


def rank(
    data: IndexData,
    terms: list[Term],
    candidates: list[int],
    constraints: Constraints,
    cancelled: Callable[[], bool] = _never,
) -> list[_Scored]:
    """Score candidates on their text, best first, the top ones re-ranked."""
    scorer = Scorer.for_terms(data, terms, constraints)
    scored: list[_Scored] = []
    for count, passage in enumerate(candidates):
        if count % 64 == 63 and cancelled():
            return []
        item = scorer.score(passage, data.text(passage))
        if item is not None:
            scored.append(item)
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    folded_query = " ".join(term.word for term in terms)
    return _rerank(folded_query, scored[:RERANK_LIMIT]) + scored[RERANK_LIMIT:]


def _rerank(folded_query: str, head: list[_Scored]) -> list[_Scored]:
    """Nudge the best candidates by rapidfuzz's ``partial_ratio`` with the query."""
    from rapidfuzz import fuzz

    reranked: list[_Scored] = []
    for runs, score, passage, text, tokens, matches in head:
        closeness = fuzz.partial_ratio(folded_query, " ".join(tokens)) / 100.0
        nudged = 0.9 * score + 0.1 * closeness * score
        reranked.append((runs, nudged, passage, text, tokens, matches))
    reranked.sort(key=lambda item: (-item[0], -item[1], item[2]))
    return reranked


def _hit(
    data: IndexData,
    documents: list[DocEntry],
    item: _Scored,
    terms: list[Term],
    paths: dict[int, tuple[Path, bool]],
) -> SearchHit:
    """The ``SearchHit`` of a scored passage (``paths``: per document, path and chapters)."""
    _, score, passage, text, _, matches = item
    keep = highlights(matches, terms)
    number = data.passage_doc[passage]
    entry = documents[number]
    known = paths.get(number)
    if known is None:
        known = paths[number] = (Path(entry.path), has_chapters(entry.path))
    path, chapters = known
    # A CJK run's overlapping pairs light as one span.
    ordered = sorted(keep)
    found = word_spans(text, limit=ordered[-1] + 1) if ordered else []
    spans = merge_spans([found[position] for position in ordered if position < len(found)])
    return SearchHit(
        path=path,
        title=entry.title,
        line=data.first_line[passage],
        last_line=data.last_line[passage],
        score=round(100.0 * score, 1),
        passage=text,
        spans=spans,
        chapter=chapter_at(path, data.first_line[passage]) if chapters else None,
    )
