"""Scoring a candidate passage's text against a query's terms.

A passage's score is ``(0.72 coverage + 0.13 proximity + 0.15 order) x reach``:

* coverage: the query words' idf weights times the quality of their best match
  in the passage (1.0 exact, less for a typo, a word form, a prefix), over the
  total weight;
* proximity: the number of query words the passage holds over the smallest
  window of its words holding them, times the share of the query's words it
  holds (a missing word is near nothing: one word of two alone scores 0.5);
* order: the share of neighbouring query words found side by side and in order;
* reach: the share of the query's words found in the vocabulary at all.

A word-form match holds only in a passage of its stemmer's language
(``Term.limited``).  Passages failing a phrase or holding an exclusion score
None (``constraints``).  ``query.rank`` then re-ranks the best of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from tuireader.core.search.constraints import Constraints
from tuireader.core.search.index_file import IndexData
from tuireader.core.search.stemming import forms_language
from tuireader.core.search.text import is_cjk, words


class Term(Protocol):
    """What scoring needs of a query word (``query.Term``)."""

    variants: dict[int, float]
    """Vocabulary id -> match quality."""
    limited: dict[int, tuple[frozenset[str], float]]
    """Variants matched as word forms in some languages only."""
    weight: float
    """The best idf x quality among the variants."""
    stop: bool
    """Whether the word is a stopword."""


Match = tuple[int, int, float]
"""(word position in the passage, query word number, match quality)."""
Scored = tuple[int, float, int, str, list[str], list[Match]]
"""(exact CJK runs, score, passage, text, folded words, matches: ``highlights`` of them)."""


@dataclass(slots=True)
class Scorer:
    """Scores a passage's text against the query's terms."""

    terms: Sequence[Term]
    wanted: dict[str, tuple[int, float]]
    """Folded vocabulary word -> (term number, match quality)."""
    weights: list[float]
    total_weight: float
    reach: float
    """Share of the query words found in the vocabulary at all."""
    found_terms: int
    """Query words found in the vocabulary: a passage's proximity counts those it lacks."""
    constraints: Constraints
    single: set[str]
    """One-character CJK query words (they match inside character pairs)."""
    limited: dict[str, tuple[frozenset[str], float]]
    """Words of ``wanted`` matched as word forms of some languages only (``Term.limited``)."""
    language_at: Callable[[int], str]
    """The language whose word forms hold in a passage."""

    @classmethod
    def for_terms(cls, data: IndexData, terms: Sequence[Term], constraints: Constraints) -> Scorer:
        """The scorer of a query's terms over an index's passages."""
        vocab = data.words
        wanted: dict[str, tuple[int, float]] = {}
        limited: dict[str, tuple[frozenset[str], float]] = {}
        for number, term in enumerate(terms):
            for word_id, quality in term.variants.items():
                known = wanted.get(vocab[word_id])
                if known is None or quality > known[1]:
                    wanted[vocab[word_id]] = (number, quality)
                    if word_id in term.limited:
                        limited[vocab[word_id]] = term.limited[word_id]
                    else:
                        limited.pop(vocab[word_id], None)
        weights = [max(term.weight, 0.05) for term in terms]
        total_weight = (
            sum(weight for weight, term in zip(weights, terms, strict=True) if term.variants) or 1.0
        )
        found_terms = sum(1 for term in terms if term.variants)
        reach = found_terms / len(terms)
        single = {word for word in wanted if len(word) == 1 and is_cjk(word)}
        documents, owner = data.documents, data.passage_doc

        def language_at(passage: int) -> str:
            return forms_language(documents[owner[passage]].language)

        return cls(
            terms,
            wanted,
            weights,
            total_weight,
            reach,
            max(1, found_terms),
            constraints,
            single,
            limited,
            language_at,
        )

    def score(self, passage: int, text: str) -> Scored | None:
        """The passage's score, or None when it fails the query or holds none of its words."""
        tokens = words(text)
        if not self.constraints.passes(tokens):
            return None
        wanted = self.wanted
        matches = [
            (position, *wanted[token]) for position, token in enumerate(tokens) if token in wanted
        ]
        if self.single:
            matches = _single_cjk_matches(tokens, wanted, self.single) or matches
        if self.limited and matches:
            matches = self._holding(matches, tokens, self.language_at(passage))
        if not matches:
            return None
        count = len(self.terms)
        best = [0.0] * count
        at: dict[int, set[int]] = {}
        for position, term_number, quality in matches:
            if quality > best[term_number]:
                best[term_number] = quality
            at.setdefault(term_number, set()).add(position)
        coverage = sum(self.weights[i] * best[i] for i in range(count)) / self.total_weight
        proximity = _proximity(matches, len(at)) * len(at) / self.found_terms
        order = _order(at, count)
        score = (0.72 * coverage + 0.13 * proximity + 0.15 * order) * self.reach
        return self.constraints.exact_runs(text), score, passage, text, tokens, matches

    def _holding(
        self, matches: list[tuple[int, int, float]], tokens: list[str], language: str
    ) -> list[tuple[int, int, float]]:
        """The matches that hold in a passage of ``language`` (word forms are per language)."""
        kept: list[tuple[int, int, float]] = []
        for position, number, quality in matches:
            found = self.limited.get(tokens[position])
            if found is not None and language not in found[0]:
                quality = found[1]
                if not quality:
                    continue
            kept.append((position, number, quality))
        return kept


def highlights(matches: list[Match], terms: Sequence[Term]) -> set[int]:
    """Word positions to highlight in a scored passage (worked out for the hits shown only)."""
    return _visible(matches, terms, all(term.stop for term in terms))


def _single_cjk_matches(
    tokens: list[str], wanted: dict[str, tuple[int, float]], single: set[str]
) -> list[tuple[int, int, float]]:
    """Matches of a passage's words where one-character CJK query words count inside pairs."""
    matches: list[tuple[int, int, float]] = []
    for position, token in enumerate(tokens):
        found = wanted.get(token)
        if found is None and len(token) == 2:
            char = token[0] if token[0] in single else token[1] if token[1] in single else None
            found = wanted[char] if char is not None else None
        if found is not None:
            matches.append((position, *found))
    return matches


def _order(at: dict[int, set[int]], count: int) -> float:
    """Share of neighbouring query words found adjacent and in order (phrases)."""
    if count <= 1:
        return 1.0
    adjacent = sum(
        1
        for i in range(count - 1)
        if i in at and i + 1 in at and any(p + 1 in at[i + 1] for p in at[i])
    )
    return adjacent / (count - 1)


def _visible(
    matches: list[tuple[int, int, float]], terms: Sequence[Term], all_stop: bool
) -> set[int]:
    """Word positions to highlight: every match, but stopwords only in a phrase."""
    if all_stop:
        # Only common words: highlight where they form a phrase, if anywhere.
        term_at = {position: number for position, number, _ in matches}
        phrase = {
            position
            for position, number, _ in matches
            if term_at.get(position - 1, number) != number
            or term_at.get(position + 1, number) != number
        }
        return phrase or set(term_at)
    kind = {position: terms[number].stop for position, number, _ in matches}
    keep: set[int] = {position for position, stop in kind.items() if not stop}
    for position, stop in sorted(kind.items()):
        if stop and (position - 1 in keep or position + 1 in keep):
            keep.add(position)
    for position, stop in sorted(kind.items(), reverse=True):
        if stop and position + 1 in keep:
            keep.add(position)
    return keep


def _proximity(matches: list[tuple[int, int, float]], distinct: int) -> float:
    """How tightly the matched query words sit: distinct words / smallest window holding them.

    The scorer then scales it by the share of the query's words the passage holds
    at all: a word it lacks is not near the others (one word of two: 0.5, not 1).
    """
    if distinct <= 1:
        return 1.0 if matches else 0.0
    need = distinct
    window: dict[int, int] = {}
    best = math.inf
    left = 0
    for right in range(len(matches)):
        term = matches[right][1]
        window[term] = window.get(term, 0) + 1
        while len(window) == need:
            span = matches[right][0] - matches[left][0] + 1
            best = min(best, span)
            left_term = matches[left][1]
            window[left_term] -= 1
            if not window[left_term]:
                del window[left_term]
            left += 1
    return min(1.0, distinct / best) if best != math.inf else 0.0
