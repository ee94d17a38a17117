"""The word being typed matches the commonest longer words it begins, ties in word order."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.search.index import SearchIndex
from tuireader.core.search.vocabulary import MAX_VARIANTS


def test_a_typed_prefix_keeps_the_commonest_words_it_begins(tmp_path: Path) -> None:
    """Of 60 words starting "zq", the 40 in most passages are kept (equal counts: first)."""
    folder = tmp_path / "lib"
    folder.mkdir()
    paragraphs = []
    for number in range(60):
        # Word zqNN is in (NN % 7) + 1 passages: many ties among the counts.
        paragraphs += [f"zq{number:02d} filler"] * (number % 7 + 1)
    (folder / "words.txt").write_text("\n\n".join(paragraphs) + "\n")
    index = SearchIndex.build([folder], use_cache=False)
    vocabulary = index._vocabulary
    found = vocabulary.variants("zq", prefix=True)
    words = index._data.words
    begun = [word_id for word_id, word in enumerate(words) if word.startswith("zq")]
    expected = sorted(begun, key=vocabulary.df, reverse=True)[:MAX_VARIANTS]
    assert len(begun) == 60
    assert sorted(found) == sorted(expected)
    assert vocabulary.variants("zq", prefix=True) == found  # remembered, the same
    found.clear()
    assert len(vocabulary.variants("zq", prefix=True)) == MAX_VARIANTS  # a copy was given
    index.close()
