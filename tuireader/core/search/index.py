"""Typo-tolerant passage search over a library, built in the background and cached.

How a query is answered (see ``LibraryIndex.search``):

1. The query is cut into folded words (``core.search_text``).
2. Each word is matched against the vocabulary: exactly, with up to one or two
   typos (rapidfuzz OSA distance, which counts a swap of two letters as one edit,
   searched only among words of a close length), and, for the last word, as a
   prefix of longer words (the word being typed).  Each match has a quality.
3. Candidate passages come from the inverted index: the postings of the rarer
   query words are gathered into sets and counted (in C, through ``set`` and
   ``Counter``); the passages covering most words are kept.  Very common words
   (stopwords) are only checked on the few candidates left.
4. The best candidates are scored on their text: idf-weighted coverage of the
   query words (times match quality), proximity (the smallest window holding
   them), order (query words adjacent and in order, i.e. phrases); the top ones
   are re-ranked with rapidfuzz ``partial_ratio`` on the passage text.

Scores run from 0 to 100.  Hits carry the character spans of the matched words.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import math
import os
import stat
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tuireader.core import paths
from tuireader.core.models import MARKDOWN_SUFFIXES, Document
from tuireader.core.search import hangul
from tuireader.core.search.cjk import merge_spans
from tuireader.core.search.constraints import Constraints
from tuireader.core.search.filters import DocFilter
from tuireader.core.search.index_file import CacheError, DocEntry, IndexData, IndexWriter
from tuireader.core.search.query_syntax import ParsedQuery, parse_query
from tuireader.core.search.stemming import DEFAULT_LANGUAGE
from tuireader.core.search.text import STOPWORDS, is_cjk, max_typos, word_spans, words
from tuireader.core.search.vocab_match import VocabularyMatcher

MAX_QUERY_WORDS = 24
"""Query words beyond this many are ignored (a pasted page is not a query)."""
MAX_VARIANTS = 40
"""Vocabulary words kept per query word (the best ones)."""
ENUMERATE_LIMIT = 60_000
"""Postings per query word gathered into sets; commoner words are only checked later."""
ENUMERATE_BUDGET = 300_000
"""Postings gathered into sets per query, at most."""
CHEAP_LIMIT = 4_000
"""Candidates scored from the index alone, at most."""
DETAIL_LIMIT = 200
"""Candidates scored on their text."""
PHRASE_DETAIL_LIMIT = 1000
"""Candidates scored on their text when a phrase or exclusion may drop many of them."""
MAX_SCOPE_RANGES = 64
"""Filtered documents looked up range by range; beyond, candidates are filtered instead."""
RERANK_LIMIT = 40
"""Candidates re-ranked with rapidfuzz on their text."""
CACHE_FILES_KEPT = 8
"""Index files kept in the cache folder (the least recently used ones go)."""

ProgressCallback = Callable[["BuildProgress"], None]
CancelCheck = Callable[[], bool]
Source = Path | str | Document


class BuildCancelled(Exception):
    """Raised by ``LibraryIndex.build`` when ``should_cancel`` returned true."""


@dataclass(frozen=True, slots=True)
class BuildProgress:
    """How far an index build has got."""

    documents_done: int
    """Documents indexed (or reused from the cache) so far."""
    documents_total: int
    """Documents to index."""
    passages: int
    """Passages indexed so far."""
    reused: int = 0
    """Documents taken from the cache without reading them."""
    finished: bool = False
    """True on the last report."""


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

    def to_json(self) -> dict[str, object]:
        """The fields printed by ``tuireader search --json``."""
        return {
            "path": str(self.path),
            "title": self.title,
            "line": self.line,
            "last_line": self.last_line,
            "score": self.score,
            "passage": self.passage,
            "spans": [list(span) for span in self.spans],
        }


def snippet(hit: SearchHit, width: int = 160) -> tuple[str, list[tuple[int, int]]]:
    """A one-line excerpt of a hit around its first match, with the spans inside it.

    Newlines and tabs become spaces; an ellipsis marks cut ends.
    """
    text = hit.passage.replace("\n", " ").replace("\t", " ")
    if len(text) <= width:
        return text, list(hit.spans)
    first = _densest(hit.spans, width)
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
        (max(s, start) + shift, min(e, end) + shift) for s, e in hit.spans if e > start and s < end
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


# ---------------------------------------------------------------- building


@dataclass(slots=True)
class _Wanted:
    """A document to have in the index."""

    path: str
    size: int
    mtime_ns: int
    title: str | None = None


def _cache_file(key_paths: Sequence[str]) -> Path:
    """The cache file for a library given by these root paths."""
    digest = hashlib.sha256("\0".join(sorted(set(key_paths))).encode("utf-8", "surrogatepass"))
    return paths.cache_dir() / "search" / f"{digest.hexdigest()[:24]}.idx"


def _resolve_sources(
    sources: Iterable[Source], warnings: list[str]
) -> tuple[list[_Wanted], list[str]]:
    """Expand files, folders and documents into the documents to index, once each."""
    from tuireader.core.library import iter_document_paths

    wanted: list[_Wanted] = []
    roots: list[str] = []
    seen: set[tuple[int, int]] = set()
    for source in sources:
        title = source.title if isinstance(source, Document) else None
        given = Path(source.path if isinstance(source, Document) else source).expanduser()
        try:
            info = os.stat(given)
        except OSError as error:
            warnings.append(f"{given}: {error.strerror or error}")
            continue
        roots.append(os.path.abspath(given))
        if stat.S_ISDIR(info.st_mode):
            candidates: Iterable[Path] = iter_document_paths(given, warnings.append)
        else:
            candidates = [given]
        for candidate in candidates:
            absolute = os.path.abspath(candidate)
            try:
                file_info = os.stat(absolute)
            except OSError as error:
                warnings.append(f"{absolute}: {error.strerror or error}")
                continue
            if not stat.S_ISREG(file_info.st_mode):
                warnings.append(f"{absolute}: not a regular file")
                continue
            key = (file_info.st_dev, file_info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            wanted.append(_Wanted(absolute, file_info.st_size, file_info.st_mtime_ns, title))
    return wanted, roots


def _load_cached(path: Path) -> IndexData | None:
    """The index cached at ``path``, or None when missing or unusable (then deleted)."""
    if not path.exists():
        return None
    try:
        return IndexData(path)
    except CacheError:
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def _prune_cache(folder: Path, keep: Path) -> None:
    """Keep the cache folder small: drop the least recently used index files."""
    try:
        files = sorted(
            (entry for entry in folder.glob("*.idx") if entry != keep),
            key=lambda entry: entry.stat().st_mtime,
            reverse=True,
        )
        for old in files[CACHE_FILES_KEPT - 1 :]:
            old.unlink()
        for stale in folder.glob(".*.tmp"):
            if stale.stat().st_mtime < os_time() - 3600:
                stale.unlink()
    except OSError:
        pass


def os_time() -> float:
    """The current time (a seam for tests)."""
    import time

    return time.time()


# ---------------------------------------------------------------- the index


@dataclass(slots=True)
class _Term:
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


class LibraryIndex:
    """A built search index over the passages of some documents."""

    def __init__(self, data: IndexData, warnings: list[str] | None = None) -> None:
        """Wrap loaded index data (use ``build`` or ``from_cache``)."""
        self._data = data
        self.warnings: list[str] = list(warnings or [])
        """Problems met while building (unreadable files...), one line each."""
        self.documents: list[DocEntry] = data.documents
        self._by_path = {entry.path: number for number, entry in enumerate(self.documents)}
        self._ids = {word: number for number, word in enumerate(data.words)}
        self._by_key: dict[tuple[int, int, str], tuple[list[str], list[int]]] | None = None
        self._lock = threading.Lock()
        self._matcher = VocabularyMatcher(data.words, self._df)
        known = {entry.language for entry in self.documents if entry.language}
        if not known or any(not entry.language for entry in self.documents):
            known.add(DEFAULT_LANGUAGE)
        self._languages = sorted(known)
        self.loaded_from_cache = False
        """True when no document had to be read."""

    # -- construction

    @classmethod
    def build(
        cls,
        sources: Iterable[Source],
        *,
        progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
        use_cache: bool = True,
    ) -> LibraryIndex:
        """Index files, folders or ``Document``s, reusing the on-disk cache.

        Unchanged documents (same path, size and modification time) are taken
        from the cache without being read.  ``progress`` is called with a
        ``BuildProgress`` after each document (and every few thousand passages);
        ``should_cancel`` is polled as often and a true answer raises
        ``BuildCancelled``.  Unreadable documents become ``warnings``.  Safe to
        call from a worker thread.
        """
        warnings: list[str] = []
        wanted, roots = _resolve_sources(sources, warnings)
        target = _cache_file(roots)
        old = _load_cached(target) if use_cache else None
        if old is not None:
            reusable = {entry.path: number for number, entry in enumerate(old.documents)}
            if len(old.documents) == len(wanted) and all(
                _same(old.documents[reusable[item.path]], item) if item.path in reusable else False
                for item in wanted
            ):
                index = cls(old, warnings)
                index.loaded_from_cache = True
                if progress is not None:
                    progress(
                        BuildProgress(len(wanted), len(wanted), old.passages, len(wanted), True)
                    )
                with contextlib.suppress(OSError):
                    os.utime(target)
                return index
        else:
            reusable = {}
        data = _write_index(
            wanted, old, reusable, target, warnings, progress, should_cancel, use_cache
        )
        if use_cache:
            _prune_cache(target.parent, target)
        return cls(data, warnings)

    @property
    def passages(self) -> int:
        """Number of passages indexed."""
        return self._data.passages

    def has_document(self, path: Path | str) -> bool:
        """Whether the document at ``path`` is in the index."""
        return os.path.abspath(path) in self._by_path

    def close(self) -> None:
        """Release the mapped index file."""
        self._data.close()

    # -- vocabulary matching

    def _buckets(self) -> dict[tuple[int, int, str], tuple[list[str], list[int]]]:
        """Vocabulary words grouped by (length, 0, first letter) and (length, 1, second letter).

        A word within one or two typos of a query word nearly always shares its first
        letter with the query's first or second letter, or its second letter with them
        (a typo at the very start is a substitution, insertion, deletion or swap there),
        so only those groups are scanned: a fraction of the vocabulary.  Built on first use.
        """
        with self._lock:
            if self._by_key is None:
                buckets: dict[tuple[int, int, str], tuple[list[str], list[int]]] = {}
                for number, word in enumerate(self._data.words):
                    size = len(word)
                    for key in ((size, 0, word[:1]), (size, 1, word[1:2])):
                        bucket = buckets.get(key)
                        if bucket is None:
                            bucket = buckets[key] = ([], [])
                        bucket[0].append(word)
                        bucket[1].append(number)
                self._by_key = buckets
            return self._by_key

    def _df(self, word_id: int) -> int:
        """How many passages hold the word."""
        offsets = self._data.post_offsets
        return offsets[word_id + 1] - offsets[word_id]

    def _variants(self, word: str, prefix: bool) -> dict[int, float]:
        """Vocabulary words matching a query word, with their match quality."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        found: dict[int, float] = {}
        if hangul.initials_query(word) is not None:
            return self._matcher.initials(word)
        exact = self._ids.get(word)
        if exact is not None:
            found[exact] = 1.0
        length = len(word)
        typos = 0 if word in STOPWORDS or hangul.has_hangul(word) else max_typos(word)
        for extra_id, quality in (
            *self._matcher.hangul(word).items(),
            *self._matcher.stems(word, self._languages).items(),
        ):
            if quality > found.get(extra_id, 0.0):
                found[extra_id] = quality
        if typos:
            buckets = self._buckets()
            keys = {
                (size, slot, letter)
                for size in range(max(1, length - typos), length + typos + 1)
                for slot in (0, 1)
                for letter in (word[0], word[1])
            }
            for key in keys:
                size = key[0]
                bucket = buckets.get(key)
                if bucket is None:
                    continue
                matches = process.extract(
                    word, bucket[0], scorer=OSA.distance, score_cutoff=typos, limit=None
                )
                for _, distance, position in matches:
                    if distance:
                        quality = max(0.3, 1.0 - 1.5 * distance / max(length, size))
                        word_id = bucket[1][position]
                        if quality > found.get(word_id, 0.0):
                            found[word_id] = quality
        if prefix and length >= 2 and not is_cjk(word):
            vocab = self._data.words
            low = bisect.bisect_right(vocab, word)
            high = bisect.bisect_left(vocab, word + "\U0010ffff", low)
            extra = range(low, high)
            if high - low > MAX_VARIANTS:
                extra = sorted(extra, key=self._df, reverse=True)[:MAX_VARIANTS]
            for word_id in extra:
                quality = 0.55 + 0.35 * length / len(vocab[word_id])
                if quality > found.get(word_id, 0.0):
                    found[word_id] = quality
        if len(found) > MAX_VARIANTS:
            best = sorted(found.items(), key=lambda item: (-item[1], -self._df(item[0])))
            found = dict(best[:MAX_VARIANTS])
        return found

    # -- searching

    def scope_range(self, scope_path: Path | str | None) -> tuple[int, int] | None:
        """Passage numbers ``[first, end)`` of a scope, or None if the document is unknown."""
        if scope_path is None:
            return 0, self._data.passages
        number = self._by_path.get(os.path.abspath(scope_path))
        if number is None:
            return None
        entry = self.documents[number]
        return entry.first, entry.end

    def search(
        self, query: str, limit: int = 20, scope_path: Path | str | None = None
    ) -> list[SearchHit]:
        """The passages best matching ``query``, best first.

        The query may use the syntax of ``core.search.query_syntax`` (phrases,
        ``-exclusions``, ``title:``/``author:``/``in:``/``lang:`` filters).
        ``scope_path`` limits the search to one document (an unknown one gives no
        hits).  An empty query gives no hits.  Thread-safe for concurrent reads.
        """
        parsed = parse_query(query[:20_000])
        if parsed.is_empty or limit <= 0:
            return []
        scopes, allowed = self._scopes(scope_path, DocFilter.from_query(parsed))
        if not scopes:
            return []
        terms = self._terms(parsed, scopes)
        if not terms or not any(term.variants for term in terms):
            return []
        constraints = Constraints.from_query(parsed)
        excluded = self._excluded(constraints, scopes)
        detail = PHRASE_DETAIL_LIMIT if constraints.filters_passages else DETAIL_LIMIT
        candidates = self._candidates(terms, excluded, allowed, detail, len(scopes))
        if not candidates:
            return []
        return self._rank(terms, candidates, limit, constraints)

    def _scopes(
        self, scope_path: Path | str | None, doc_filter: DocFilter
    ) -> tuple[list[tuple[int, int]], set[int] | None]:
        """Passage ranges to search, and the allowed documents when ranges are too many."""
        scope = self.scope_range(scope_path)
        if scope is None:
            return [], None
        if not doc_filter.active:
            return [scope], None
        first, end = scope
        ranges: list[tuple[int, int]] = []
        allowed: set[int] = set()
        for number, entry in enumerate(self.documents):
            if entry.end <= first or entry.first >= end or entry.first == entry.end:
                continue
            if not doc_filter.accepts(entry.path, entry.title, entry.author, entry.language):
                continue
            allowed.add(number)
            start, stop = max(first, entry.first), min(end, entry.end)
            if ranges and ranges[-1][1] == start:
                ranges[-1] = (ranges[-1][0], stop)
            else:
                ranges.append((start, stop))
        if len(ranges) > MAX_SCOPE_RANGES:
            return [(ranges[0][0], ranges[-1][1])], allowed
        return ranges, None

    def _excluded(self, constraints: Constraints, scopes: list[tuple[int, int]]) -> set[int]:
        """Passages holding an excluded word (folded, exactly) within the scopes."""
        excluded: set[int] = set()
        postings = self._data.postings
        offsets = self._data.post_offsets
        for word in constraints.exclude_words:
            word_id = self._ids.get(word)
            if word_id is None:
                continue
            start, stop = offsets[word_id], offsets[word_id + 1]
            for first, end in scopes:
                low = bisect.bisect_left(postings, first, start, stop)
                high = bisect.bisect_left(postings, end, low, stop)
                excluded.update(postings[low:high].tolist())
        return excluded

    def _terms(self, parsed: ParsedQuery, scopes: list[tuple[int, int]]) -> list[_Term]:
        """The distinct query words with their vocabulary matches and weights."""
        tokens: list[str] = []
        for token in words(parsed.text):
            if token not in tokens:
                tokens.append(token)
                if len(tokens) >= MAX_QUERY_WORDS:
                    break
        plain = words(" ".join(parsed.words))
        typing = parsed.typing and bool(plain) and tokens.index(plain[-1]) == len(tokens) - 1
        offsets = self._data.post_offsets
        postings = self._data.postings
        whole = scopes == [(0, self._data.passages)]
        total_passages = max(1, self._data.passages)
        terms: list[_Term] = []
        for number, token in enumerate(tokens):
            variants = self._variants(token, prefix=typing and number == len(tokens) - 1)
            term = _Term(token, variants, stop=token in STOPWORDS)
            for word_id, quality in variants.items():
                low, high = offsets[word_id], offsets[word_id + 1]
                for first, end in scopes:
                    start, stop = low, high
                    if not whole:
                        start = bisect.bisect_left(postings, first, low, high)
                        stop = bisect.bisect_left(postings, end, start, high)
                    if stop <= start:
                        continue
                    term.ranges.append((start, stop, quality))
                    term.total += stop - start
            if variants:
                # Weigh the word by its best match (the commonest among equals), not by a
                # rare look-alike.
                best = max(variants, key=lambda word_id: (variants[word_id], self._df(word_id)))
                idf = math.log(1.0 + total_passages / max(1, self._df(best)))
                term.weight = idf * variants[best]
            terms.append(term)
        return terms

    def _candidates(
        self,
        terms: list[_Term],
        excluded: set[int],
        allowed: set[int] | None,
        detail_limit: int = DETAIL_LIMIT,
        scope_count: int = 1,
    ) -> list[int]:
        """Passages worth scoring on their text: those covering the most query words.

        Passages in ``excluded``, or (when ``allowed`` is given) of documents not in
        it, are left out.
        """
        postings = self._data.postings
        present = [term for term in terms if term.ranges]
        if not present:
            return []
        order = sorted(present, key=lambda term: term.total)
        budget = ENUMERATE_BUDGET
        sets: list[tuple[_Term, set[int], list[tuple[float, set[int]]]]] = []
        checked: list[_Term] = []
        for term in order:
            if sets and (term.total > ENUMERATE_LIMIT or term.total > budget):
                checked.append(term)
                continue
            every: set[int] = set()
            tiers: dict[float, set[int]] = {}
            # Even the rarest word may be very common (a query of stopwords): gather
            # a bounded sample of its passages, best matches first.
            left = ENUMERATE_LIMIT if not sets else term.total
            for start, stop, quality in sorted(term.ranges, key=lambda item: -item[2]):
                if left <= 0:
                    break
                chunk = postings[start : min(stop, start + left)].tolist()
                left -= len(chunk)
                every.update(chunk)
                tiers.setdefault(quality, set()).update(chunk)
            if excluded or allowed is not None:
                drop = {
                    passage
                    for passage in every
                    if passage in excluded
                    or (allowed is not None and self._data.passage_doc[passage] not in allowed)
                }
                if drop:
                    every -= drop
                    tiers = {quality: found - drop for quality, found in tiers.items()}
            budget -= len(every)
            sets.append((term, every, sorted(tiers.items(), reverse=True)))
        if len(sets) == 1:
            # One word: its best matches first (an exact word before a look-alike).
            pool = []
            seen: set[int] = set()
            for _, tier_set in sets[0][2]:
                fresh = tier_set - seen
                seen |= fresh
                pool += sorted(fresh)
                if len(pool) >= CHEAP_LIMIT:
                    break
        else:
            counts: Counter[int] = Counter()
            for _, every, _ in sets:
                counts.update(every)
            histogram = Counter(counts.values())
            threshold = 1
            running = 0
            for covered in sorted(histogram, reverse=True):
                running += histogram[covered]
                threshold = covered
                if running >= detail_limit:
                    break
            pool = [passage for passage, covered in counts.items() if covered > threshold]
            room = max(0, CHEAP_LIMIT - len(pool))
            tier = [passage for passage, covered in counts.items() if covered == threshold]
            if len(tier) > room:
                tier.sort()
            pool += tier[:room]
        if len(pool) <= detail_limit:
            return pool
        pool = pool[:CHEAP_LIMIT]
        # Cheap score from the index alone: idf weight x best match quality per word.
        scores = dict.fromkeys(pool, 0.0)
        for term, _, tier_list in sets:
            weight = term.weight
            for passage in pool:
                for quality, tier_set in tier_list:
                    if passage in tier_set:
                        scores[passage] += weight * quality
                        break
        for term in checked:
            # The best three variants, in every scope range (a filter may give several).
            ranges = sorted(term.ranges, key=lambda item: -item[2])[: 3 * scope_count]
            weight = term.weight
            for passage in pool:
                for start, stop, quality in ranges:
                    at = bisect.bisect_left(postings, passage, start, stop)
                    if at < stop and postings[at] == passage:
                        scores[passage] += weight * quality
                        break
        pool.sort(key=lambda passage: (-scores[passage], passage))
        return pool[:detail_limit]

    def _rank(
        self, terms: list[_Term], candidates: list[int], limit: int, constraints: Constraints
    ) -> list[SearchHit]:
        """Score candidates on their text and return the best ``limit`` hits.

        Passages failing the query's phrases or exclusions are dropped; a passage
        holding a Chinese or Japanese run of the query exactly ranks above any
        that does not.
        """
        from rapidfuzz import fuzz

        data = self._data
        vocab = data.words
        wanted: dict[str, tuple[int, float]] = {}
        for number, term in enumerate(terms):
            for word_id, quality in term.variants.items():
                known = wanted.get(vocab[word_id])
                if known is None or quality > known[1]:
                    wanted[vocab[word_id]] = (number, quality)
        weights = [max(term.weight, 0.05) for term in terms]
        total_weight = (
            sum(weight for weight, term in zip(weights, terms, strict=True) if term.variants) or 1.0
        )
        found_terms = sum(1 for term in terms if term.variants)
        reach = found_terms / len(terms)
        all_stop = all(term.stop for term in terms)
        count = len(terms)
        # A one-character CJK query word matches the character pairs holding it.
        single = {word for word in wanted if len(word) == 1 and is_cjk(word)}
        scored: list[tuple[int, float, int, str, list[str], set[int]]] = []
        for passage in candidates:
            text = data.text(passage)
            tokens = words(text)
            if not constraints.passes(tokens):
                continue
            matches = [
                (position, *wanted[token])
                for position, token in enumerate(tokens)
                if token in wanted
            ]
            if single:
                matches = _single_cjk_matches(tokens, wanted, single) or matches
            if not matches:
                continue
            best = [0.0] * count
            at: dict[int, set[int]] = {}
            for position, term_number, quality in matches:
                if quality > best[term_number]:
                    best[term_number] = quality
                at.setdefault(term_number, set()).add(position)
            coverage = sum(weights[i] * best[i] for i in range(count)) / total_weight
            proximity = _proximity(matches, len(at))
            if count > 1:
                adjacent = sum(
                    1
                    for i in range(count - 1)
                    if i in at and i + 1 in at and any(p + 1 in at[i + 1] for p in at[i])
                )
                order = adjacent / (count - 1)
            else:
                order = 1.0
            score = (0.72 * coverage + 0.13 * proximity + 0.15 * order) * reach
            tier = constraints.exact_runs(text)
            scored.append((tier, score, passage, text, tokens, _visible(matches, terms, all_stop)))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        folded_query = " ".join(term.word for term in terms)
        head = scored[:RERANK_LIMIT]
        reranked = []
        for tier, score, passage, text, tokens, keep in head:
            closeness = fuzz.partial_ratio(folded_query, " ".join(tokens)) / 100.0
            reranked.append(
                (tier, 0.9 * score + 0.1 * closeness * score, passage, text, tokens, keep)
            )
        reranked.sort(key=lambda item: (-item[0], -item[1], item[2]))
        results = reranked + scored[RERANK_LIMIT:]
        hits: list[SearchHit] = []
        for _, score, passage, text, _, keep in results[:limit]:
            entry = self.documents[data.passage_doc[passage]]
            spans = merge_spans(
                [
                    (start, end)
                    for position, (start, end) in enumerate(word_spans(text))
                    if position in keep
                ]
            )
            hits.append(
                SearchHit(
                    path=Path(entry.path),
                    title=entry.title,
                    line=data.first_line[passage],
                    last_line=data.last_line[passage],
                    score=round(100.0 * score, 1),
                    passage=text,
                    spans=spans,
                )
            )
        return hits


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


def _visible(matches: list[tuple[int, int, float]], terms: list[_Term], all_stop: bool) -> set[int]:
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
    """How tightly the matched query words sit: distinct words / smallest window holding them."""
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


def _same(entry: DocEntry, wanted: _Wanted) -> bool:
    """Whether a cached document is the wanted one, unchanged."""
    return (
        entry.path == wanted.path
        and entry.size == wanted.size
        and entry.mtime_ns == wanted.mtime_ns
        and (wanted.title is None or wanted.title == entry.title)
    )


def _write_index(
    wanted: list[_Wanted],
    old: IndexData | None,
    reusable: dict[str, int],
    target: Path,
    warnings: list[str],
    progress: ProgressCallback | None,
    should_cancel: CancelCheck | None,
    use_cache: bool,
) -> IndexData:
    """Write a new index file, reusing unchanged documents of ``old``; map it."""
    from tuireader.core.library import describe
    from tuireader.core.search.passages import split_lines
    from tuireader.core.search.stemming import LanguageSample, metadata_language
    from tuireader.core.textload import DocumentError, iter_lines

    try:
        writer = IndexWriter(target)
    except OSError:
        if not use_cache:
            raise
        # The cache folder is unusable: build in a temporary file instead.
        import tempfile

        writer = IndexWriter(Path(tempfile.gettempdir()) / target.name)
        use_cache = False
    reused = 0
    total = len(wanted)

    def report(done: int, finished: bool = False) -> None:
        if progress is not None:
            progress(BuildProgress(done, total, writer.passages, reused, finished))

    def cancelled() -> bool:
        return should_cancel is not None and bool(should_cancel())

    try:
        for done, item in enumerate(wanted):
            if cancelled():
                raise BuildCancelled
            number = len(writer.documents)
            first = writer.passages
            old_number = reusable.get(item.path)
            if (
                old is not None
                and old_number is not None
                and _same(old.documents[old_number], item)
            ):
                source = old.documents[old_number]
                for passage in range(source.first, source.end):
                    writer.add_passage(
                        number,
                        old.first_line[passage],
                        old.last_line[passage],
                        old.text(passage),
                    )
                title, author, language = source.title, source.author, source.language
                reused += 1
            else:
                author = language = ""
                try:
                    described = describe(Path(item.path))
                    title = item.title or described.title
                    author = _author(described.extra)
                    language = metadata_language(described.extra) or ""
                    sample = None if language else LanguageSample()
                    markdown = Path(item.path).suffix.lower() in MARKDOWN_SUFFIXES
                    lines = iter_lines(Path(item.path))
                    for count, (line, last, text) in enumerate(
                        split_lines(lines, skip_front_matter=markdown), 1
                    ):
                        writer.add_passage(number, line, last, text)
                        if sample is not None and not sample.full:
                            sample.add(text)
                        if count % 5000 == 0:
                            if cancelled():
                                raise BuildCancelled
                            report(done)
                except (DocumentError, OSError) as error:
                    warnings.append(str(error))
                    if writer.passages == first:
                        continue
                    title = item.title or Path(item.path).name
                    sample = None
                if sample is not None:
                    language = sample.guess() or ""
            writer.add_document(
                DocEntry(
                    item.path,
                    title,
                    item.size,
                    item.mtime_ns,
                    first,
                    writer.passages,
                    author,
                    language,
                )
            )
            report(done + 1)
        path = writer.finish(keep=use_cache)
    except BaseException:
        writer.abort()
        raise
    finally:
        if old is not None:
            old.close()
    report(total, finished=True)
    return IndexData(path, unlink=not use_cache)


def _author(extra: dict[str, object]) -> str:
    """The author named by a document's metadata, or empty."""
    for key in ("author", "authors", "creator", "by"):
        value = extra.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""
