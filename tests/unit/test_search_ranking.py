"""Search ranking on small fixed corpora: the whole order and the exact scores.

The score of a passage (``core/search/query.py``) is documented as
``(0.72 coverage + 0.13 proximity + 0.15 order) x reach``, then, for the best
candidates, ``x (0.9 + 0.1 closeness)`` with closeness rapidfuzz's
``partial_ratio`` of the query and the passage.  Proximity is the number of
query words the passage holds over the smallest window holding them, times the
share of the query's words it holds (a missing word is near nothing).  These
tests state the expected value of each term by hand for each passage.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from tuireader.core.search.hits import SearchHit
from tuireader.core.search.index import SearchIndex
from tuireader.core.search.query import RERANK_LIMIT
from tuireader.core.search.text import words

ORDERED = [  # in the file in this order: worst first, so file order never explains a result
    "alpha moss rock fern",  # alpha only
    "alpha moss rock fern beta",  # both, far apart
    "alpha moss beta fern",  # both, one word between
    "beta alpha moss fern",  # both, adjacent but reversed
    "alpha beta moss fern",  # both, adjacent and in order: a phrase
    "beta tree sand clay",  # beta only
]


def _expected(
    passage: str, query: str, coverage: float, proximity: float, order: float, reach: float = 1.0
) -> float:
    """The documented score, in percent, rounded as hits are."""
    score = (0.72 * coverage + 0.13 * proximity + 0.15 * order) * reach
    closeness = fuzz.partial_ratio(query, " ".join(words(passage))) / 100.0
    return round(100.0 * (0.9 * score + 0.1 * closeness * score), 1)


@pytest.fixture()
def index(tmp_path: Path) -> SearchIndex:
    """An index of one document whose paragraphs are ORDERED."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "greek.txt").write_text("\n\n".join(ORDERED) + "\n", encoding="utf-8")
    return SearchIndex.build([folder])


def _ranked(hits: list[SearchHit]) -> list[tuple[str, float]]:
    """(passage, score) of each hit, best first."""
    return [(hit.passage, hit.score) for hit in hits]


def test_phrase_then_adjacent_then_near_then_far_then_one_word(index: SearchIndex) -> None:
    """Order and proximity decide between passages holding the same words."""
    query = "alpha beta"
    assert _ranked(index.search(query)) == [
        ("alpha beta moss fern", _expected("alpha beta moss fern", query, 1, 1, 1)),
        ("beta alpha moss fern", _expected("beta alpha moss fern", query, 1, 1, 0)),
        ("alpha moss beta fern", _expected("alpha moss beta fern", query, 1, 2 / 3, 0)),
        (
            "alpha moss rock fern beta",
            _expected("alpha moss rock fern beta", query, 1, 2 / 5, 0),
        ),
        # One word of two: half the coverage, and alone, so half the proximity.
        ("alpha moss rock fern", _expected("alpha moss rock fern", query, 0.5, 0.5, 0)),
        ("beta tree sand clay", _expected("beta tree sand clay", query, 0.5, 0.5, 0)),
    ]
    assert index.search(query)[0].score == 100.0


def test_reversed_query_prefers_the_reversed_phrase(index: SearchIndex) -> None:
    """Word order counts: 'beta alpha' puts the reversed pair first."""
    query = "beta alpha"
    ranked = _ranked(index.search(query))
    assert ranked[:2] == [
        ("beta alpha moss fern", _expected("beta alpha moss fern", query, 1, 1, 1)),
        ("alpha beta moss fern", _expected("alpha beta moss fern", query, 1, 1, 0)),
    ]


def test_unknown_word_lowers_every_score_by_reach(index: SearchIndex) -> None:
    """A query word found nowhere halves the scores (reach) but keeps the order."""
    query = "alpha beta qqqqzzzz"
    ranked = _ranked(index.search(query))
    assert [text for text, _ in ranked][:4] == [
        "alpha beta moss fern",
        "beta alpha moss fern",
        "alpha moss beta fern",
        "alpha moss rock fern beta",
    ]
    assert ranked[0][1] == _expected("alpha beta moss fern", query, 1, 1, 0.5, reach=2 / 3)


def test_the_only_word_found_has_whole_proximity(index: SearchIndex) -> None:
    """With one query word found, a passage holding it is as near as can be (proximity 1):
    only reach (1 of 2 words) and the missing pair's order lower the score."""
    query = "fern qqqqzzzz"
    ranked = _ranked(index.search(query))
    assert sorted(ranked) == sorted(
        (text, _expected(text, query, 1, 1, 0, reach=1 / 2)) for text in ORDERED if "fern" in text
    )


def test_rare_word_outweighs_a_common_one(tmp_path: Path) -> None:
    """Of two passages each holding one query word, the one with the rarer word ranks first."""
    folder = tmp_path / "lib"
    folder.mkdir()
    paragraphs = [f"common filler number{n}" for n in range(8)] + [
        "the rare albatross",
        "common albatross and common",
    ]
    (folder / "birds.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    index = SearchIndex.build([folder])
    hits = index.search("albatross common")
    assert hits[0].passage == "common albatross and common"  # both words
    assert hits[1].passage == "the rare albatross"  # the rare word alone
    assert {hit.passage for hit in hits[2:]} == {f"common filler number{n}" for n in range(8)}
    assert hits[1].score > hits[2].score


def test_large_candidate_pools_keep_the_best_passages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more candidates than are scored on their text (here: 2), the index-only scores
    keep the passages with both words: the common word, only checked, still counts."""
    from tuireader.core.search import query

    monkeypatch.setattr(query, "DETAIL_LIMIT", 2)
    monkeypatch.setattr(query, "ENUMERATE_LIMIT", 10)
    folder = tmp_path / "lib"
    folder.mkdir()
    paragraphs = [f"common words here number{n}" for n in range(30)] + [
        "common and the rare gannet",
        "just a gannet alone",
        "gannet common together again",
    ]
    (folder / "birds.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    index = SearchIndex.build([folder])
    hits = index.search("gannet common")
    assert [hit.passage for hit in hits] == [
        "gannet common together again",
        "common and the rare gannet",
    ]  # "just a gannet alone" was not among the two best by the index-only score
    one_word = index.search("common")
    assert len(one_word) == 2 and all("common" in hit.passage for hit in one_word)


def test_query_words_are_distinct_and_bounded() -> None:
    """A query keeps its first 24 distinct words."""
    from tuireader.core.search.query import MAX_QUERY_WORDS, _query_words

    assert _query_words("a b a c b") == ["a", "b", "c"]
    many = " ".join(f"w{n}" for n in range(40))
    assert _query_words(many) == [f"w{n}" for n in range(MAX_QUERY_WORDS)]


def test_every_word_in_another_form_beats_two_words_side_by_side(tmp_path: Path) -> None:
    """A passage lacking a query word gets no proximity for it: the passage holding every
    word (in other forms, far apart) outranks the one holding two of them side by side."""
    folder = tmp_path / "lib"
    folder.mkdir()
    filler = " ".join(f"moss{n}" for n in range(4))
    paragraphs = [
        "jumped walked rock fern",  # two of three words, exactly, side by side
        f"walks {filler} jumps {filler} climbs",  # all three in other forms, far apart
    ]
    (folder / "walks.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    index = SearchIndex.build([folder])
    hits = index.search("walked jumped climbing")
    assert [hit.passage for hit in hits] == [paragraphs[1], paragraphs[0]]


def test_a_cjk_run_found_exactly_comes_before_higher_scores(tmp_path: Path) -> None:
    """Passages holding the query's CJK run as written come first, before any re-ranking,
    even when a passage holding its character pairs apart scores higher."""
    folder = tmp_path / "lib"
    folder.mkdir()
    paragraphs = [
        "東京 大学 library",  # two pairs of the run, apart, and the other word
        "大学東京京大 library",  # every pair of the run, out of order, and the other word
        "東京大学 moss",  # the run as written, without the other word
    ]
    (folder / "tokyo.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    hits = SearchIndex.build([folder]).search("東京大学 library")
    assert [hit.passage for hit in hits] == [paragraphs[2], paragraphs[1], paragraphs[0]]
    assert hits[1].score > hits[0].score > hits[2].score  # the run, not the score, puts it first


def test_a_cjk_run_found_exactly_is_re_ranked_even_behind_many_higher_scores(
    tmp_path: Path,
) -> None:
    """The exact-run passage enters the re-ranked head (the best RERANK_LIMIT) and leads it,
    even with RERANK_LIMIT passages scoring higher than it."""
    folder = tmp_path / "lib"
    folder.mkdir()
    apart = [f"大学東京京大 library w{n}" for n in range(RERANK_LIMIT)]
    exact = "東京大学 moss"
    (folder / "tokyo.txt").write_text("\n\n".join([*apart, exact]) + "\n", encoding="utf-8")
    hits = SearchIndex.build([folder]).search("東京大学 library", limit=RERANK_LIMIT + 1)
    assert hits[0].passage == exact
    assert sorted(hit.passage for hit in hits[1:]) == sorted(apart)
    assert min(hit.score for hit in hits[1:]) > hits[0].score
