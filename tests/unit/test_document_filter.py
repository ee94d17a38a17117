"""``DocumentFilter`` (prepared once, typed into many times) ranks exactly as ``document_score``."""

from __future__ import annotations

import random
from pathlib import Path

from tuireader.core.filtering import DocumentFilter, document_score
from tuireader.core.models import Document

WORDS = [
    "river", "kettle", "garden", "harbour", "lantern", "meadow",
    "orchard", "thunder", "notes", "the", "of",
]


def _documents(count: int, seed: int) -> list[Document]:
    """Seeded documents with word titles in a few folders."""
    rng = random.Random(seed)
    return [
        Document(
            path=Path(f"/lib/{rng.choice(WORDS)}/doc{number:04d}.txt"),
            title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5))).title(),
            date=None,
            category=None,
            words=100,
            size=1000,
            mtime=0.0,
            extra={"author": rng.choice(["", "Ada Lovelace", "Mary Garden", "River Song"])},
        )
        for number in range(count)
    ]


def _reference(query: str, documents: list[Document]) -> list[int]:
    """The ranking by ``document_score`` one document at a time, ties in list order."""
    query = query.strip().lower()
    if not query:
        return list(range(len(documents)))
    scored = [
        (-score, position)
        for position, document in enumerate(documents)
        if (score := document_score(query, document)) is not None
    ]
    return [position for _, position in sorted(scored)]


def test_prepared_filter_ranks_like_document_score() -> None:
    """Substring, path and typo matches, and misses, in the same order as the reference."""
    documents = _documents(400, seed=3)
    prepared = DocumentFilter(documents)
    rng = random.Random(9)
    queries = ["", " ", "r", "riv", "rievr", "kettel", "garden/", "doc01", "zzqq", "The O"]
    queries += ["ada", "lovelace", "lovelcae", "song", "mary g"]
    queries += [rng.choice(WORDS)[: rng.randint(2, 6)] for _ in range(30)]
    checked = 0
    for query in queries:
        expected = _reference(query, documents)
        assert prepared.matches(query) == expected, query
        checked += bool(expected)
    assert checked > 20  # most queries match something: the comparison is not vacuous
