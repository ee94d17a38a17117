"""Word forms per document language: each document's words are matched by its own stemmer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.search.index import SearchIndex
from tuireader.core.search.vocabulary import Matches


def _doc(folder: Path, name: str, text: str, language: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    head = f"---\nlanguage: {language}\n---\n\n" if language else ""
    path.write_text(head + text + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def bilingual(tmp_path: Path) -> SearchIndex:
    """German and English documents whose words the other language's stemmer would join."""
    folder = tmp_path / "lib"
    _doc(folder, "de.md", "Die Kinder spielen im Garten.\n\nFalls es regnet, bleiben wir.", "de")
    _doc(folder, "en.md", "Kinder and gentler times.\n\nHe falls asleep early.", "en")
    return SearchIndex.build([folder], use_cache=False)


def _names(index: SearchIndex, query: str) -> list[str]:
    """The documents of the hits; the query ends with a space: no word is being typed (no
    prefix matches)."""
    return [hit.path.name for hit in index.search(query + " ")]


def test_a_german_query_finds_german_forms_only_in_german_documents(
    bilingual: SearchIndex,
) -> None:
    """ "Kind" is a form of "Kinder" in German (German stemmer), not in English: the English
    "kinder" is left alone."""
    assert _names(bilingual, "Kind") == ["de.md"]
    hit = bilingual.search("Kind ")[0]
    assert [hit.passage[s:e] for s, e in hit.spans] == ["Kinder"]


def test_an_english_query_finds_english_forms_only_in_english_documents(
    bilingual: SearchIndex,
) -> None:
    """ "falling" shares the English stem of "falls", so it finds the English "falls"; the
    German "Falls" ("in case") is another word to the German stemmer."""
    assert _names(bilingual, "falling") == ["en.md"]


def test_search_in_one_document_uses_its_language(bilingual: SearchIndex, tmp_path: Path) -> None:
    """``/`` in the German document finds "Kinder" for "Kind"; in the English one, nothing."""
    german, english = tmp_path / "lib" / "de.md", tmp_path / "lib" / "en.md"
    assert [hit.passage for hit in bilingual.search_all("Kind ", german)] == [
        "Die Kinder spielen im Garten."
    ]
    assert list(bilingual.search_all("Kind ", english)) == []
    assert [hit.passage for hit in bilingual.search_all("falling", english)] == [
        "He falls asleep early."
    ]
    assert list(bilingual.search_all("falling", german)) == []


def test_a_document_without_language_metadata_gets_its_guessed_language(tmp_path: Path) -> None:
    """No metadata: the language is guessed from the text (German here), so German forms
    match in it."""
    folder = tmp_path / "lib"
    _doc(folder, "brief.txt", "Die Kinder sind nicht mit dem Hund auf der Straße und es regnet.")
    index = SearchIndex.build([folder], use_cache=False)
    assert index.documents[0].language == "de"
    assert _names(index, "Kind") == ["brief.txt"]


def test_matches_hold_word_forms_in_their_languages_only() -> None:
    """``Matches.quality_in``: a word-form match holds in its languages; elsewhere it keeps
    the quality it has as a typo (or is no match)."""
    matches = Matches(
        {1: 1.0, 2: 0.8, 3: 0.8}, {2: (frozenset({"de"}), 0.0), 3: (frozenset({"de"}), 0.7)}
    )
    assert matches.quality_in("de") == {1: 1.0, 2: 0.8, 3: 0.8}
    assert matches.quality_in("en") == {1: 1.0, 3: 0.7}
    assert Matches({1: 1.0}).quality_in("en") == {1: 1.0}
