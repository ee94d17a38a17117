"""The typo search's letter prefilter finds exactly what a full scan of its buckets finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from tuireader.core.search.typos import TypoIndex

# A small alphabet makes near words common; the others bring letters beyond the
# 32 tracked ones, non-Latin-1 letters and the replacement character itself.
LETTERS = st.sampled_from(list("aeiostnrlbcd") + list("xyzqéßñæ?жшщ日ç0"))
WORDS = st.text(LETTERS, min_size=1, max_size=12)


def _vocabulary(words: list[str]) -> list[str]:
    """A sorted vocabulary of distinct words, like an index's."""
    return sorted(set(words))


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=120), WORDS, st.integers(1, 2))
def test_filtered_matches_equal_the_full_scan(words: list[str], query: str, typos: int) -> None:
    """Whatever the words, the prefiltered search returns the full scan's matches."""
    index = TypoIndex(_vocabulary(words))
    if len(query) < 2:
        query += "a"
    assert index.matches(query, typos) == index.scan(query, typos)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=40), st.data())
def test_every_edited_vocabulary_word_is_found(words: list[str], data: st.DataObject) -> None:
    """A query one or two edits away from a vocabulary word finds it (when bucketed)."""
    vocabulary = _vocabulary(words)
    target = data.draw(st.sampled_from(vocabulary))
    query = target
    for _ in range(data.draw(st.integers(1, 2))):
        at = data.draw(st.integers(0, max(0, len(query) - 1)))
        edit = data.draw(st.sampled_from(["insert", "delete", "replace", "swap"]))
        letter = data.draw(LETTERS)
        if edit == "insert":
            query = query[:at] + letter + query[at:]
        elif edit == "delete" and len(query) > 1:
            query = query[:at] + query[at + 1 :]
        elif edit == "replace":
            query = query[:at] + letter + query[at + 1 :]
        elif edit == "swap" and at + 1 < len(query):
            query = query[:at] + query[at + 1] + query[at] + query[at + 2 :]
    if len(query) < 2:
        return
    index = TypoIndex(vocabulary)
    found = index.matches(query, 2)
    assert found == index.scan(query, 2)
    distance = OSA.distance(query, target)
    shares_letter = bool({target[:1], target[1:2]} & {query[0], query[1]})
    if 0 < distance <= 2 and shares_letter:
        assert found[vocabulary.index(target)] == distance


def test_matches_on_words_of_every_kind() -> None:
    """Typos, swaps, longer and shorter words; exact words and far words are left out."""
    vocabulary = sorted(["searching", "search", "serach", "seaching", "searchings", "house", "s"])
    index = TypoIndex(vocabulary)
    found = index.matches("searchin", 2)
    assert found == index.scan("searchin", 2)
    named = {vocabulary[word_id]: distance for word_id, distance in found.items()}
    assert named == {"searching": 1, "search": 2, "seaching": 2, "searchings": 2}
    assert index.matches("search", 1) == {vocabulary.index("serach"): 1}
    assert index.matches("house", 1) == {}
