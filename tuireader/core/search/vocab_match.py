"""Matching a query word against the index's vocabulary beyond Latin typos.

``VocabularyMatcher`` wraps the sorted vocabulary (folded words; a word's
number is its id) and finds, for one query word:

* ``hangul``: Hangul words within one or two jamo edits (``hangul.to_jamo``), a
  trailing particle (을, 에서...) of the vocabulary word set aside, so 대비안
  finds 데비안 and 데비안을;
* ``initials``: Hangul words whose syllables start with the query's initial
  consonants (ㄷㅂㅇ: 데비안, 데비안을);
* ``stems``: words sharing the query word's Snowball stem in one of the given
  languages (installing: installed, installs), with the languages where they do.

``hangul`` and ``initials`` return ``{word id: quality}``, quality below 1.0
(an exact word is 1.0); ``stems`` returns ``{word id: languages}``, its quality
being ``STEM_QUALITY`` in documents of those languages.
The tables each needs are built on first use, under a lock; the matcher is
then safe for concurrent searches.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterable, Sequence

from tuireader.core.search import hangul, stemming

STEM_QUALITY = 0.8
"""Quality of a match on the stem: a little below an exact word or a one-typo match."""
PARTICLE_QUALITY = 0.92
"""Quality of a Hangul word that is the query word plus a particle."""
INITIALS_QUALITY = 0.9
"""Quality of a word matched by its initial consonants (a little less with more syllables)."""
MAX_STEM_SCAN = 4000
"""Vocabulary words sharing a stem's head that are stemmed per query word, at most."""
MAX_INITIALS = 200
"""Words kept per initials query (the commonest)."""
PARTICLES = sorted(
    [
        "은",
        "는",
        "이",
        "가",
        "을",
        "를",
        "에",
        "의",
        "도",
        "와",
        "과",
        "로",
        "으로",
        "만",
        "에서",
        "에게",
        "까지",
        "부터",
        "처럼",
        "보다",
        "한테",
        "께서",
        "이다",
        "입니다",
    ],
    key=len,
    reverse=True,
)
"""Korean particles and endings that follow a noun inside one written word."""


class VocabularyMatcher:
    """Hangul, initials and stem matches of query words in a sorted vocabulary."""

    def __init__(self, vocabulary: Sequence[str], df: Callable[[int], int]) -> None:
        """``vocabulary``: sorted folded words; ``df(id)``: how many passages hold a word."""
        self._words = vocabulary
        self._df = df
        self._lock = threading.Lock()
        self._jamo: dict[int, tuple[list[str], list[int]]] | None = None
        self._initials: tuple[list[str], list[int]] | None = None
        self._stems: dict[tuple[str, int], str | None] = {}

    # -- Hangul

    def _hangul_tables(self) -> None:
        """Build the jamo-by-length buckets and the sorted initials of the Hangul words."""
        with self._lock:
            if self._jamo is not None:
                return
            buckets: dict[int, tuple[list[str], list[int]]] = {}
            pairs: list[tuple[str, int]] = []
            for number, word in enumerate(self._words):
                if not hangul.has_hangul(word):
                    continue
                pairs.append((hangul.initials(word), number))
                forms = {word, _without_particle(word)}
                for form in forms:
                    if not form:
                        continue
                    jamo = hangul.to_jamo(form)
                    bucket = buckets.setdefault(len(jamo), ([], []))
                    bucket[0].append(jamo)
                    bucket[1].append(number)
            pairs.sort()
            self._initials = ([key for key, _ in pairs], [number for _, number in pairs])
            self._jamo = buckets

    def hangul(self, word: str) -> dict[int, float]:
        """Hangul words within a few jamo edits of ``word`` (particles aside), with quality."""
        if not hangul.has_hangul(word):
            return {}
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        self._hangul_tables()
        assert self._jamo is not None
        query = hangul.to_jamo(word)
        typos = hangul.jamo_typos(query)
        found: dict[int, float] = {}
        for size in range(len(query) - typos, len(query) + typos + 1):
            bucket = self._jamo.get(size)
            if bucket is None:
                continue
            matches = process.extract(
                query, bucket[0], scorer=OSA.distance, score_cutoff=typos, limit=None
            )
            for _, distance, position in matches:
                word_id = bucket[1][position]
                whole = self._words[word_id]
                if whole == word:
                    quality = 1.0
                elif distance == 0:
                    quality = PARTICLE_QUALITY  # the query word plus a particle
                else:
                    quality = hangul.jamo_quality(distance, query, bucket[0][position])
                    if len(hangul.to_jamo(whole)) != len(bucket[0][position]):
                        quality *= 0.95  # matched with its particle set aside
                if quality > found.get(word_id, 0.0):
                    found[word_id] = quality
        return found

    def initials(self, word: str) -> dict[int, float]:
        """Hangul words whose initial consonants start with those of the query ``ㄷㅂㅇ``."""
        wanted = hangul.initials_query(word)
        if wanted is None:
            return {}
        self._hangul_tables()
        assert self._initials is not None
        keys, ids = self._initials
        low = bisect.bisect_left(keys, wanted)
        high = bisect.bisect_left(keys, wanted + "\U0010ffff", low)
        found = {
            ids[at]: INITIALS_QUALITY * (1.0 if len(keys[at]) == len(wanted) else 0.95)
            for at in range(low, high)
        }
        if len(found) > MAX_INITIALS:
            best = sorted(found, key=lambda word_id: (-found[word_id], -self._df(word_id)))
            found = {word_id: found[word_id] for word_id in best[:MAX_INITIALS]}
        return found

    # -- word forms

    def stems(self, word: str, languages: Iterable[str]) -> dict[int, set[str]]:
        """Words sharing ``word``'s stem in one of ``languages`` written in its script.

        Each word id comes with the languages in which it shares the stem: such a
        match holds only in documents of those languages (``STEM_QUALITY``).
        """
        script = stemming.script_of(word)
        found: dict[int, set[str]] = {}
        for language in languages:
            if stemming.language_script(language) != script:
                continue
            target = stemming.stem(word, language)
            if target is None:
                continue
            head = target[: max(3, len(target) - 1)] if len(target) > 3 else target
            low = bisect.bisect_left(self._words, head)
            high = bisect.bisect_left(self._words, head + "\U0010ffff", low)
            for word_id in range(low, min(high, low + MAX_STEM_SCAN)):
                if self._words[word_id] != word and self._stem(language, word_id) == target:
                    found.setdefault(word_id, set()).add(language)
        return found

    def _stem(self, language: str, word_id: int) -> str | None:
        """The stem of a vocabulary word in a language, remembered."""
        key = (language, word_id)
        try:
            return self._stems[key]
        except KeyError:
            value = stemming.stem(self._words[word_id], language)
            self._stems[key] = value
            return value


def _without_particle(word: str) -> str:
    """A Hangul word with a trailing particle removed (the word itself when it has none)."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1:
            return word[: -len(particle)]
    return word
