"""Search in every script, other word forms, and the query syntax, on small libraries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.search import index as index_module

Index = index_module.SearchIndex


def _doc(folder: Path, name: str, paragraphs: list[str], front: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    head = f"---\n{front}\n---\n\n" if front else ""
    path.write_text(head + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def _first(index: object, query: str) -> tuple[str, str]:
    hits = index.search(query)  # type: ignore[attr-defined]
    assert hits, query
    return hits[0].path.name, hits[0].passage


def _marked(hit: object) -> list[str]:
    return [hit.passage[start:end] for start, end in hit.spans]  # type: ignore[attr-defined]


@pytest.fixture()
def asia(tmp_path: Path) -> object:
    """Japanese and Chinese passages where the query's characters also occur scattered."""
    folder = tmp_path / "asia"
    _doc(
        folder, "ja-near.txt", ["都の庁舎は東京の北にある。舎の都、庁の都。" * 3, "庁舎と都と舎。"]
    )
    _doc(folder, "ja-exact.txt", ["私は昨日、都庁舎の展望室から富士山を見た。"])
    _doc(folder, "zh-near.txt", ["图书在北京，大学有馆，书馆图大学京北。" * 3, "北京的大学很多。"])
    _doc(folder, "zh-exact.txt", ["我在北京大学图书馆看了一本书。"])
    return Index.build([folder], use_cache=False)


def test_a_japanese_run_ranks_its_exact_passage_first_and_lights_the_run(asia: object) -> None:
    """A Japanese run is found where it occurs whole, above passages sharing its characters."""
    hit = asia.search("都庁舎の展望室")[0]  # type: ignore[attr-defined]
    assert hit.path.name == "ja-exact.txt"
    assert "都庁舎の展望室" in _marked(hit)


def test_a_chinese_run_ranks_its_exact_passage_first(asia: object) -> None:
    """A Chinese run beats passages holding the same characters in other orders."""
    hit = asia.search("北京大学图书馆")[0]  # type: ignore[attr-defined]
    assert hit.path.name == "zh-exact.txt"
    assert "北京大学图书馆" in _marked(hit)


def test_a_single_cjk_character_still_finds_its_passages(asia: object) -> None:
    """One character (the end of a run) is found though runs are indexed in pairs."""
    names = {hit.path.name for hit in asia.search("馆")}  # type: ignore[attr-defined]
    assert "zh-exact.txt" in names


@pytest.fixture()
def korean(tmp_path: Path) -> object:
    """Korean passages, words with particles attached."""
    folder = tmp_path / "ko"
    _doc(folder, "debian.txt", ["데비안을 설치하는 방법을 설명합니다."])
    _doc(folder, "other.txt", ["대한민국의 수도는 서울입니다.", "도서관에서 책을 읽었습니다."])
    return Index.build([folder], use_cache=False)


def test_a_hangul_typo_of_one_jamo_is_one_typo(korean: object) -> None:
    """대비안 (ㅐ for ㅔ) finds 데비안을, the particle set aside."""
    name, _ = _first(korean, "대비안")
    assert name == "debian.txt"


def test_initial_consonants_find_the_word(korean: object) -> None:
    """ㄷㅂㅇ finds 데비안(을); ㄷㅅㄱ finds 도서관(에서)."""
    assert _first(korean, "ㄷㅂㅇ")[0] == "debian.txt"
    hit = korean.search("ㄷㅅㄱ")[0]  # type: ignore[attr-defined]
    assert hit.path.name == "other.txt" and _marked(hit) == ["도서관에서"]


@pytest.fixture()
def forms(tmp_path: Path) -> object:
    """English, German and Russian passages, each with decoys."""
    folder = tmp_path / "forms"
    _doc(
        folder,
        "en.md",
        ["The package was installed on every server.", "Nothing about software here."],
        "language: en",
    )
    _doc(folder, "en2.md", ["Installing the package again changed nothing."], "language: en")
    _doc(
        folder,
        "de.md",
        ["Das waren die schlechtesten Ergebnisse des Jahres.", "Ein gutes Jahr."],
        "language: de",
    )
    _doc(folder, "ru.md", ["Город был основан в 1703 году.", "Другой текст о погоде."])
    return Index.build([folder], use_cache=False)


def test_an_inflected_english_query_finds_other_forms(forms: object) -> None:
    """ "installing packages" finds "package was installed"; the exact form ranks first."""
    names = [hit.path.name for hit in forms.search("installing packages")]  # type: ignore[attr-defined]
    assert set(names[:2]) == {"en.md", "en2.md"}
    assert _first(forms, "installed package")[0] == "en.md"


def test_an_inflected_german_query(forms: object) -> None:
    """ "schlechte Ergebnis" finds "schlechtesten Ergebnisse"."""
    assert _first(forms, "schlechte Ergebnis")[0] == "de.md"


def test_an_inflected_russian_query(forms: object) -> None:
    """ "основал город" finds "Город был основан" (language guessed: no metadata)."""
    name, passage = _first(forms, "основал городе")
    assert name == "ru.md" and "основан" in passage


@pytest.fixture()
def shelf(tmp_path: Path) -> object:
    """Books with titles, authors and languages, sharing words."""
    folder = tmp_path / "shelf"
    _doc(
        folder / "war",
        "peace.md",
        ["The respected comrade spoke of peace.", "Comrade respected nobody."],
        "title: War and Peace\nauthor: Lev Tolstoy\nlanguage: en",
    )
    _doc(
        folder / "notes",
        "admiration.md",
        ["The respected comrade spoke to Sorkin.", "A respected comrade arrived."],
        "title: General Sorkin's Admiration\nauthor: Anonymous\nlanguage: en",
    )
    _doc(
        folder / "notes",
        "haus.txt",
        ["Der respektierte Genosse sprach über das Haus und den Frieden."],
    )
    return Index.build([folder], use_cache=False)


def _passages(index: object, query: str) -> list[str]:
    return [hit.passage for hit in index.search(query)]  # type: ignore[attr-defined]


def test_a_phrase_keeps_only_passages_with_the_words_together(shelf: object) -> None:
    """ "respected comrade" leaves out "Comrade respected nobody"."""
    found = _passages(shelf, '"respected comrade"')
    assert "Comrade respected nobody." not in found
    assert len(found) == 3


def test_an_exclusion_leaves_out_passages_with_the_word(shelf: object) -> None:
    """-sorkin drops the passage naming Sorkin."""
    found = _passages(shelf, "respected comrade -sorkin")
    assert found and not any("Sorkin" in passage for passage in found)


def test_title_author_in_and_lang_filters(shelf: object) -> None:
    """Each filter keeps only its documents' passages."""
    assert set(_passages(shelf, "comrade title:admiration")) == {
        "The respected comrade spoke to Sorkin.",
        "A respected comrade arrived.",
    }
    assert all("Sorkin" not in p for p in _passages(shelf, "comrade author:tolstoy"))
    assert _passages(shelf, "comrade author:tolstoy")
    assert _passages(shelf, "respected in:war/*") == [
        "The respected comrade spoke of peace.",
        "Comrade respected nobody.",
    ]
    assert _passages(shelf, "haus in:*.txt") and not _passages(shelf, "comrade in:*.txt")
    assert _passages(shelf, "genosse lang:de") and not _passages(shelf, "comrade lang:german")


def test_the_acceptance_query(shelf: object) -> None:
    """Phrase, exclusion and title filter together."""
    assert _passages(shelf, '"respected comrade" -sorkin title:admiration') == [
        "A respected comrade arrived."
    ]


def test_an_unclosed_quote_searches_the_words(shelf: object) -> None:
    """'"respected comrade' is read as two plain words, not an error."""
    assert len(_passages(shelf, '"respected comrade')) == 4


def test_filters_or_exclusions_alone_find_nothing(shelf: object) -> None:
    """A query of only filters or exclusions has no words to look for."""
    assert _passages(shelf, "title:admiration") == []
    assert _passages(shelf, "-sorkin") == []


def test_a_cancelled_search_stops_with_no_hits(shelf: object) -> None:
    """``should_cancel`` answering true stops the search (a newer key replaced it)."""
    assert shelf.search("respected comrade")  # type: ignore[attr-defined]
    assert shelf.search("respected comrade", should_cancel=lambda: True) == []  # type: ignore[attr-defined]


def test_a_very_long_query_is_cut_without_error(shelf: object) -> None:
    """More words than a query keeps: the extra ones are ignored, the search still answers."""
    long_query = " ".join(f"word{number}" for number in range(40)) + " comrade"
    assert isinstance(shelf.search(long_query), list)  # type: ignore[attr-defined]
    assert shelf.search("comrade " + " ".join(["respected"] * 40))  # type: ignore[attr-defined]
