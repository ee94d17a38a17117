"""The parts of the ranking, each with exact values: proximity, order, highlighted words,
idf weights, the order of the candidates beyond the re-ranked head, ties, chapters,
cancellation and the cut of large candidate pools.

``test_search_ranking.py`` checks whole orders on a small corpus; these tests pin
down each rule of ``core/search/query.py`` so that changing one changes a result.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from tuireader.core.search import query
from tuireader.core.search.constraints import Constraints
from tuireader.core.search.index import SearchIndex
from tuireader.core.search.index_file import IndexData
from tuireader.core.search.query import Term, rank
from tuireader.core.search.query_syntax import parse_query
from tuireader.core.search.scoring import Scorer, _order, _proximity, _visible


def _index(tmp_path: Path, paragraphs: list[str], name: str = "doc.txt") -> SearchIndex:
    """An index of one text document made of ``paragraphs``."""
    folder = tmp_path / "lib"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return SearchIndex.build([folder])


def _idf(passages: int, df: int) -> float:
    """The documented idf of a word held by ``df`` of ``passages`` passages."""
    return math.log(1.0 + passages / df)


def _raw(coverage: float, proximity: float, order: float, reach: float = 1.0) -> float:
    """The documented score before the re-rank, in percent, rounded as hits are."""
    return round(100.0 * (0.72 * coverage + 0.13 * proximity + 0.15 * order) * reach, 1)


# ---------------------------------------------------------------- proximity


def test_proximity_is_one_for_a_single_word() -> None:
    """One distinct word is as close as can be."""
    assert _proximity([(4, 0, 1.0)], 1) == 1.0
    assert _proximity([(4, 0, 1.0), (9, 0, 1.0)], 1) == 1.0


def test_proximity_is_words_over_the_smallest_window_anywhere_in_the_passage() -> None:
    """Two words at positions 5 and 6 sit in a window of two: proximity 1, not 2/12."""
    assert _proximity([(5, 0, 1.0), (6, 1, 1.0)], 2) == 1.0
    assert _proximity([(5, 0, 1.0), (8, 1, 1.0)], 2) == 2 / 4


def test_proximity_finds_the_tightest_window_after_repeats() -> None:
    """'a a a b' at 0-3: the window 'a b' at 2-3 counts, not one from an earlier 'a'."""
    assert _proximity([(0, 0, 1.0), (1, 0, 1.0), (2, 0, 1.0), (3, 1, 1.0)], 2) == 1.0
    assert _proximity([(0, 0, 1.0), (1, 0, 1.0), (2, 1, 1.0)], 2) == 1.0
    # a b . . a: the best window is still 'a b'.
    assert _proximity([(0, 0, 1.0), (1, 1, 1.0), (4, 0, 1.0)], 2) == 1.0
    # a . . b c: three words in a window of five.
    assert _proximity([(0, 0, 1.0), (3, 1, 1.0), (4, 2, 1.0)], 3) == 3 / 5


# ---------------------------------------------------------------- order


def test_order_of_one_word_is_one() -> None:
    """A one-word query is always 'in order'."""
    assert _order({0: {3}}, 1) == 1.0
    assert _order({}, 1) == 1.0


def test_order_counts_adjacent_pairs_in_query_order() -> None:
    """Each neighbouring pair of query words found adjacent and in order adds 1/(n-1)."""
    assert _order({0: {1}, 1: {2}, 2: {3}}, 3) == 1.0
    assert _order({0: {1}, 1: {2}, 2: {7}}, 3) == 0.5
    assert _order({0: {2}, 1: {1}}, 2) == 0.0
    assert _order({0: {1}, 2: {2}}, 3) == 0.0


# ---------------------------------------------------------------- highlighted words


def _terms(*stops: bool) -> list[Term]:
    """Query terms, stopwords where ``stops`` says so."""
    return [Term(f"w{n}", {}, stop=stop) for n, stop in enumerate(stops)]


def test_stopwords_light_up_in_chains_next_to_a_lit_word() -> None:
    """'of the end of the' around 'storm': every stopword touching the chain lights up."""
    terms = _terms(True, True, False)  # of, the, storm
    # positions: 0 of, 1 of, 2 the, 3 storm, 4 of, 5 the, 6 (other), 8 the (alone)
    matches = [(0, 0, 1.0), (1, 0, 1.0), (2, 1, 1.0), (3, 2, 1.0), (4, 0, 1.0), (5, 1, 1.0)]
    matches.append((8, 1, 1.0))
    assert _visible(matches, terms, all_stop=False) == {0, 1, 2, 3, 4, 5}


def test_a_stopword_two_words_from_a_lit_one_stays_dark() -> None:
    """'the' at 0, an unmatched word at 1, 'storm' at 2: 'the' is not lit."""
    terms = _terms(True, False)
    assert _visible([(0, 0, 1.0), (2, 1, 1.0)], terms, all_stop=False) == {2}
    assert _visible([(2, 1, 1.0), (4, 0, 1.0)], terms, all_stop=False) == {2}


def test_only_stopwords_light_where_they_form_a_phrase() -> None:
    """A query of stopwords lights its phrase, or every match when there is none."""
    terms = _terms(True, True)
    assert _visible([(0, 0, 1.0), (1, 1, 1.0), (5, 0, 1.0)], terms, all_stop=True) == {0, 1}
    assert _visible([(0, 0, 1.0), (5, 0, 1.0)], terms, all_stop=True) == {0, 5}


# ---------------------------------------------------------------- weights


def test_coverage_weighs_each_word_by_its_idf(tmp_path: Path) -> None:
    """'alpha' in 5 of 6 passages, 'zircon' in 1: a passage with only 'alpha' covers
    idf(alpha) / (idf(alpha) + idf(zircon)) of the query (and, holding one word of two,
    has proximity 1/2)."""
    paragraphs = [f"alpha filler{n}" for n in range(5)] + ["zircon stone"]
    index = _index(tmp_path, paragraphs)
    monkey = pytest.MonkeyPatch()
    monkey.setattr(query, "RERANK_LIMIT", 0)  # the raw scores, without the re-rank nudge
    try:
        hits = index.search("alpha zircon")
    finally:
        monkey.undo()
    alpha, zircon = _idf(6, 5), _idf(6, 1)
    assert [(hit.passage, hit.score) for hit in hits] == [
        ("zircon stone", _raw(zircon / (alpha + zircon), 0.5, 0)),
        *[(f"alpha filler{n}", _raw(alpha / (alpha + zircon), 0.5, 0)) for n in range(5)],
    ]


def test_a_look_alike_counts_by_its_match_quality(tmp_path: Path) -> None:
    """'zirkon' matches the word 'zircon' with a quality below 1: both its coverage and
    its weight are scaled by that quality."""
    paragraphs = [f"alpha filler{n}" for n in range(5)] + ["zircon stone"]
    index = _index(tmp_path, paragraphs)
    variants = index._vocabulary.variants("zirkon", prefix=False)
    assert len(variants) == 1
    quality = next(iter(variants.values()))
    assert 0.5 < quality < 1.0
    with pytest.MonkeyPatch.context() as monkey:
        monkey.setattr(query, "RERANK_LIMIT", 0)
        hits = index.search("alpha zirkon")
    alpha, zircon = _idf(6, 5), _idf(6, 1) * quality
    assert [(hit.passage, hit.score) for hit in hits][:2] == [
        ("zircon stone", _raw(zircon * quality / (alpha + zircon), 0.5, 0)),
        ("alpha filler0", _raw(alpha / (alpha + zircon), 0.5, 0)),
    ]


def test_two_query_words_matching_one_word_give_it_to_the_better_match(tmp_path: Path) -> None:
    """'zircon zirkon': the text's 'zircon' is the first query word's exact match, so the
    first word is fully covered and the second (its look-alike) is not."""
    index = _index(tmp_path, ["alpha filler", "zircon stone"])
    terms = query.query_terms(
        index._data, index._vocabulary, parse_query("zircon zirkon"), [(0, 2)]
    )
    constraints = Constraints.from_query(parse_query("zircon zirkon"))
    scorer = Scorer.for_terms(index._data, terms, constraints)
    zircon = index._data.words.index("zircon")
    assert scorer.wanted["zircon"] == (0, 1.0)
    assert zircon in terms[1].variants and terms[1].variants[zircon] < 1.0


# ---------------------------------------------------------------- order of the results


def test_passages_beyond_the_reranked_head_are_ordered_by_score_then_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no passage re-ranked, the raw scores decide, and equal scores keep file order
    (here the later passage's text sorts first, so only the place explains the order)."""
    monkeypatch.setattr(query, "RERANK_LIMIT", 0)
    index = _index(tmp_path, ["moss beta", "alpha moss", "alpha beta fern"])
    hits = index.search("alpha beta")
    assert [(hit.passage, hit.score) for hit in hits] == [
        ("alpha beta fern", _raw(1, 1, 1)),
        ("moss beta", _raw(0.5, 0.5, 0)),
        ("alpha moss", _raw(0.5, 0.5, 0)),
    ]


def test_equal_scores_after_the_rerank_keep_file_order(tmp_path: Path) -> None:
    """'beta' and 'alpha' score the same for 'alpha beta' (same idf, same closeness):
    the earlier passage comes first, although its text sorts later."""
    index = _index(tmp_path, ["beta", "alpha"])
    hits = index.search("alpha beta")
    assert [hit.passage for hit in hits] == ["beta", "alpha"]
    assert hits[0].score == hits[1].score


def test_hits_name_their_chapter(tmp_path: Path) -> None:
    """A hit in a saved page names its chapter (a page is one chapter, named by its title);
    a hit in a text file has none."""
    folder = tmp_path / "lib"
    folder.mkdir()
    page = (
        "<html><head><title>Sea birds</title></head><body>"
        "<h1>First part</h1><p>nothing here</p>"
        "<h1>Second part</h1><p>the albatross flies</p>"
        "</body></html>"
    )
    (folder / "book.html").write_text(page, encoding="utf-8")
    (folder / "notes.txt").write_text("an albatross note\n", encoding="utf-8")
    hits = SearchIndex.build([folder]).search("albatross")
    assert sorted((hit.passage, hit.chapter) for hit in hits) == [
        ("an albatross note", None),
        ("the albatross flies", "Sea birds"),
    ]


# ---------------------------------------------------------------- cancellation


def _cancel_after(answers: list[bool]) -> tuple[Callable[[], bool], list[int]]:
    """A cancel check giving ``answers`` in turn (then True), and the count of its calls."""
    calls = [0]

    def check() -> bool:
        calls[0] += 1
        return answers[calls[0] - 1] if calls[0] <= len(answers) else True

    return check, calls


def test_a_query_cancelled_at_once_does_no_work(tmp_path: Path) -> None:
    """Cancelled before it starts: no hits, and the check is asked only once."""
    index = _index(tmp_path, ["alpha beta", "beta gamma"])
    check, calls = _cancel_after([True])
    assert index.search("alpha beta", should_cancel=check) == []
    assert calls[0] == 1


def test_a_query_cancelled_after_choosing_candidates_does_not_rank_them(tmp_path: Path) -> None:
    """Cancelled once the candidates are chosen: no hits, the check is asked twice."""
    index = _index(tmp_path, ["alpha beta", "beta gamma"])
    check, calls = _cancel_after([False, True])
    assert index.search("alpha beta", should_cancel=check) == []
    assert calls[0] == 2


def test_ranking_checks_for_cancellation_every_64_passages(tmp_path: Path) -> None:
    """Cancelled at its second check (before passage 128), ranking stops having scored 127."""
    index = _index(tmp_path, [f"alpha filler{n}" for n in range(200)])
    data = index._data
    parsed = parse_query("alpha")
    terms = query.query_terms(data, index._vocabulary, parsed, [(0, data.passages)])
    scored: list[int] = []
    text = data.text

    class Counting:
        """The index data, counting the passages whose text is read."""

        words = data.words
        documents = data.documents
        passage_doc = data.passage_doc

        def text(self, passage: int) -> str:
            scored.append(passage)
            return text(passage)

    counting: IndexData = Counting()  # type: ignore[assignment]
    constraints = Constraints.from_query(parsed)
    check, calls = _cancel_after([False, True])
    assert rank(counting, terms, list(range(200)), constraints, check) == []
    assert len(scored) == 127 and calls[0] == 2
    scored.clear()
    assert len(rank(counting, terms, list(range(200)), constraints, lambda: False)) == 200
    assert len(scored) == 200


# ---------------------------------------------------------------- scopes and large pools


def _library(tmp_path: Path, files: dict[str, list[str]]) -> SearchIndex:
    """An index of several documents, each made of its paragraphs."""
    folder = tmp_path / "lib"
    folder.mkdir()
    for name, paragraphs in files.items():
        (folder / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return SearchIndex.build([folder])


def test_a_filtered_search_finds_a_word_absent_from_the_first_document(tmp_path: Path) -> None:
    """'in:*.md' leaves two separate documents; the word only in the second is found."""
    index = _library(
        tmp_path,
        {
            "a.md": ["nothing here", "still nothing"],
            "b.txt": ["gannet in the wrong file"],
            "c.md": ["a gannet at sea"],
        },
    )
    assert [hit.passage for hit in index.search("gannet in:*.md")] == ["a gannet at sea"]
    assert sorted(hit.passage for hit in index.search("gannet")) == [
        "a gannet at sea",
        "gannet in the wrong file",
    ]


def test_a_word_only_outside_the_filter_does_not_hide_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'gannet' is only in the filtered-out file: the common word's passages are still found
    (by the sample gathered for the rarest word present, here 3 passages)."""
    monkeypatch.setattr(query, "ENUMERATE_LIMIT", 3)
    index = _library(
        tmp_path,
        {
            "b.txt": ["gannet alone"],
            "c.md": [f"common word {n}" for n in range(5)],
        },
    )
    hits = index.search("gannet common in:*.md")
    assert [hit.passage for hit in hits] == [f"common word {n}" for n in range(3)]


def test_a_one_word_query_keeps_exact_matches_before_look_alikes_when_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More candidates than can be scored: the exact word's passages are kept before its
    look-alikes', however early in the file the look-alikes are."""
    monkeypatch.setattr(query, "CHEAP_LIMIT", 2)
    monkeypatch.setattr(query, "DETAIL_LIMIT", 1)
    index = _index(tmp_path, ["zirkon one", "zirkon two", "zirkon three", "zircon four"])
    assert [hit.passage for hit in index.search("zircon")] == ["zircon four"]


def test_a_vocabulary_word_matched_equally_by_two_query_words_goes_to_the_first(
    tmp_path: Path,
) -> None:
    """'zirkon zircom' are both one letter from 'zircon': the first query word gets it."""
    index = _index(tmp_path, ["alpha filler", "zircon stone"])
    parsed = parse_query("zirkon zircom")
    terms = query.query_terms(index._data, index._vocabulary, parsed, [(0, 2)])
    zircon = index._data.words.index("zircon")
    assert terms[0].variants[zircon] == terms[1].variants[zircon] < 1.0
    scorer = Scorer.for_terms(index._data, terms, Constraints.from_query(parsed))
    assert scorer.wanted["zircon"] == (0, terms[0].variants[zircon])


def test_the_last_word_being_typed_matches_as_a_prefix_after_other_words(tmp_path: Path) -> None:
    """'moss albat' (no space after it): 'albat' is being typed and finds 'albatross'."""
    index = _index(tmp_path, ["moss only", "an albatross"])
    assert sorted(hit.passage for hit in index.search("moss albat")) == [
        "an albatross",
        "moss only",
    ]
    assert [hit.passage for hit in index.search("moss albat ")] == ["moss only"]


def test_excluded_passages_make_room_before_the_candidate_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With room for one candidate, '-sea' drops the first passage before the cut, so the
    second one is scored and found."""
    monkeypatch.setattr(query, "DETAIL_LIMIT", 1)
    monkeypatch.setattr(query, "PHRASE_DETAIL_LIMIT", 1)
    index = _index(tmp_path, ["gannet at sea", "gannet on land"])
    assert [hit.passage for hit in index.search("gannet -sea")] == ["gannet on land"]


def test_phrases_get_the_larger_candidate_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Phrases may fail many candidates, so more are scored: the passage holding the phrase
    is found although an earlier one holds both words in the other order."""
    monkeypatch.setattr(query, "DETAIL_LIMIT", 1)
    monkeypatch.setattr(query, "PHRASE_DETAIL_LIMIT", 2)
    index = _index(tmp_path, ["sea gannet", "gannet sea"])
    assert [hit.passage for hit in index.search('"gannet sea"')] == ["gannet sea"]
