"""What a query demands of a passage beyond its words: phrases, exclusions, exact CJK runs.

Built from a ``ParsedQuery``; checked on the folded words of each candidate
passage (``text.words``), so phrases match across case, accents and line
breaks, and a Chinese or Japanese phrase or run matches as its character pairs.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tuireader.core.search.query_syntax import ParsedQuery
from tuireader.core.search.text import WORD_RE, is_cjk, words


@dataclass(frozen=True, slots=True)
class Constraints:
    """A query's phrases, exclusions and CJK runs, folded."""

    phrases: tuple[str, ...] = ()
    """Each phrase's folded words joined by spaces, with a space on each side."""
    exclude_words: frozenset[str] = frozenset()
    """Single folded words whose passages are left out."""
    exclude_phrases: tuple[str, ...] = ()
    """Phrases (as ``phrases``) whose passages are left out."""
    cjk_runs: tuple[str, ...] = ()
    """Runs of two or more CJK characters among the plain words (NFKC)."""

    @classmethod
    def from_query(cls, query: ParsedQuery) -> Constraints:
        """The constraints of a parsed query."""
        phrases = tuple(key for key in map(_key, query.phrases) if key.strip())
        single: set[str] = set()
        multiple: list[str] = []
        for value in query.exclude:
            folded = words(value)
            if len(folded) == 1:
                single.add(folded[0])
            elif folded:
                multiple.append(_key(value))
        runs = tuple(
            unicodedata.normalize("NFKC", run)
            for word in query.words
            for run in WORD_RE.findall(word)
            if len(run) >= 2 and is_cjk(run)
        )
        return cls(phrases, frozenset(single), tuple(multiple), runs)

    @property
    def filters_passages(self) -> bool:
        """Whether some passages holding the words may still be left out."""
        return bool(self.phrases or self.exclude_words or self.exclude_phrases)

    def passes(self, tokens: list[str]) -> bool:
        """Whether a passage with these folded words holds every phrase and no exclusion."""
        if self.exclude_words and not self.exclude_words.isdisjoint(tokens):
            return False
        if not (self.phrases or self.exclude_phrases):
            return True
        joined = " " + " ".join(tokens) + " "
        return all(phrase in joined for phrase in self.phrases) and not any(
            phrase in joined for phrase in self.exclude_phrases
        )

    def exact_runs(self, text: str) -> int:
        """How many of the query's CJK runs appear, exactly, in a passage's text."""
        if not self.cjk_runs:
            return 0
        normal = unicodedata.normalize("NFKC", text)
        return sum(1 for run in self.cjk_runs if run in normal)


def _key(phrase: str) -> str:
    """A phrase as matched in a passage's joined words."""
    return " " + " ".join(words(phrase)) + " "
