"""Typo-tolerant passage search: matching, ranking, spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuireader.core.search.hits import SearchHit, snippet
from tuireader.core.search.index import SearchIndex
from tuireader.core.search.text import fold, words

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _write(folder: Path, name: str, paragraphs: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def corpus(tmp_path: Path) -> SearchIndex:
    """A small fixed corpus whose ranking is known."""
    folder = tmp_path / "lib"
    _write(
        folder,
        "sea.txt",
        [
            "The Sea",
            "The old lighthouse keeper watched the northern storm all night.",
            "A storm is coming, said the keeper of the old lighthouse.",
            "Fishermen mended their nets in the harbour.",
            "The lighthouse stood tall.",
        ],
    )
    _write(
        folder,
        "garden.txt",
        [
            "The Garden",
            "Roses and tulips grew beside the crooked garden wall.",
            "The gardener kept bees; the bees made honey all summer.",
        ],
    )
    return SearchIndex.build([folder])


def _lines(hits: list[SearchHit]) -> list[tuple[str, int]]:
    return [(hit.path.name, hit.line) for hit in hits]


def test_exact_words_rank_their_passage_first(corpus: SearchIndex) -> None:
    """The passage holding both query words exactly ranks first, above the weakest hit."""
    hits = corpus.search("northern storm")
    assert _lines(hits)[0] == ("sea.txt", 3)
    assert hits[0].score > hits[-1].score or len(hits) == 1


def test_typos_are_forgiven(corpus: SearchIndex) -> None:
    """Words with swapped or missing letters still find the intended passage first."""
    assert _lines(corpus.search("lighthuose kepeer nothern"))[0] == ("sea.txt", 3)
    assert _lines(corpus.search("fishermn harbor"))[0] == ("sea.txt", 7)


def test_word_order_does_not_matter_but_phrase_order_ranks_higher(corpus: SearchIndex) -> None:
    """Shuffled query words keep the same top two; the passage with all three words ranks first."""
    forward = corpus.search("old lighthouse keeper")
    assert {("sea.txt", 3), ("sea.txt", 5)} <= set(_lines(forward)[:2])
    # "old lighthouse" is a phrase in line 5 only when read backwards...
    assert set(_lines(corpus.search("keeper lighthouse old"))[:2]) == set(_lines(forward)[:2])
    # ...and "storm is coming" is an exact phrase only in line 5.
    assert _lines(corpus.search("storm coming keeper"))[0] == ("sea.txt", 5)


def test_last_word_is_a_prefix_while_typing(corpus: SearchIndex) -> None:
    """An unfinished last word matches as a prefix ("gar" finds garden, "tuli" tulips)."""
    assert _lines(corpus.search("crooked gar"))[0] == ("garden.txt", 3)
    assert _lines(corpus.search("tuli"))[0] == ("garden.txt", 3)


def test_more_covered_words_rank_higher(corpus: SearchIndex) -> None:
    """The passage with every query word outranks partial matches, which are still listed."""
    hits = corpus.search("lighthouse tall")
    # Both words; then "lighthouse"; then "tall" misspelt as "wall"/"all" and "lighthouse" alone.
    assert _lines(hits) == [
        ("sea.txt", 9),
        ("sea.txt", 3),
        ("garden.txt", 5),
        ("garden.txt", 3),
        ("sea.txt", 5),
    ]
    assert hits[0].score > hits[1].score > hits[2].score


def test_spans_point_at_the_matched_words(corpus: SearchIndex) -> None:
    """Hit spans cover exactly the matched words, including the word a typo stood for."""
    hit = corpus.search("bees hony")[0]
    marked = [hit.passage[start:end] for start, end in hit.spans]
    assert marked == ["bees", "bees", "honey"]


def test_stopwords_alone_still_find_a_phrase(corpus: SearchIndex) -> None:
    """A stopwords-only query finds the passage holding them as a phrase and marks them."""
    hits = corpus.search("of the")
    assert hits
    assert _lines(hits)[0] == ("sea.txt", 5)  # the only passage with "of the" as a phrase
    assert [hits[0].passage[s:e] for s, e in hits[0].spans][:2] == ["of", "the"]


def test_stopwords_are_not_highlighted_alone(corpus: SearchIndex) -> None:
    """A stopword next to a matched word is highlighted with it, and nothing else is marked."""
    hit = corpus.search("the harbour")[0]
    assert [hit.passage[s:e] for s, e in hit.spans] == ["the", "harbour"]
    # "The old lighthouse keeper watched the northern storm": neither "the" touches "keeper".
    alone = next(hit for hit in corpus.search("the keeper") if hit.line == 3)
    assert [alone.passage[s:e] for s, e in alone.spans] == ["keeper"]


def test_empty_and_blank_queries_give_nothing(corpus: SearchIndex) -> None:
    """Empty, blank, punctuation-only and unmatched queries return no hits."""
    assert corpus.search("") == []
    assert corpus.search("   \n\t") == []
    assert corpus.search("!!! ...") == []
    assert corpus.search("zzzzqqqq") == []


def test_huge_query_is_bounded(corpus: SearchIndex) -> None:
    """A 10,000-character query still finds its document; a 10,000-letter non-word finds none."""
    query = ("lighthouse storm " * 700)[:10_000]
    assert len(query) == 10_000
    hits = corpus.search(query)
    assert _lines(hits)[0][0] == "sea.txt"
    assert corpus.search("x" * 10_000) == []


def test_limit_and_scope(corpus: SearchIndex, tmp_path: Path) -> None:
    """`limit` caps the hits (0: none); `scope_path` keeps one document's (unknown path: none)."""
    assert len(corpus.search("the", limit=2)) == 2
    assert corpus.search("the", limit=0) == []
    garden = tmp_path / "lib" / "garden.txt"
    scoped = corpus.search("the", scope_path=garden)
    assert scoped and {hit.path.name for hit in scoped} == {"garden.txt"}
    assert corpus.search("lighthouse", scope_path=garden) == []
    assert corpus.search("lighthouse", scope_path=tmp_path / "unknown.txt") == []


def test_hit_fields(corpus: SearchIndex, tmp_path: Path) -> None:
    """A hit has path, title, 1-based lines and a 0-100 score; to_json keeps them and the spans."""
    hit = corpus.search("roses tulips")[0]
    assert hit.path == tmp_path / "lib" / "garden.txt"
    assert hit.title
    assert (hit.line, hit.last_line) == (3, 3)
    assert 0 < hit.score <= 100
    data = hit.to_json()
    assert data["line"] == 3 and data["path"] == str(hit.path)
    assert data["spans"] == [[0, 5], [10, 16]]


def test_unicode_accents_are_folded(tmp_path: Path) -> None:
    """Case and accents are folded both ways, and spans mark the original accented word."""
    _write(tmp_path / "u", "fr.txt", ["Un café crème à Noël.", "Rien ici."])
    index = SearchIndex.build([tmp_path / "u"])
    for query in ("cafe creme noel", "CAFÉ", "noël", "crme"):
        hits = index.search(query)
        assert hits and hits[0].line == 1, query
    hit = index.search("creme")[0]
    assert [hit.passage[s:e] for s, e in hit.spans] == ["crème"]


def test_cjk_and_hangul(tmp_path: Path) -> None:
    """Chinese/Japanese queries match by character and Korean by word, on the right source lines."""
    _write(
        tmp_path / "u",
        "asia.txt",
        [
            "東京は日本の首都です。",
            "北京是中国的首都。",
            "서울은 한국의 수도입니다.",
            "Plain English.",
        ],
    )
    index = SearchIndex.build([tmp_path / "u"])
    assert index.search("東京")[0].line == 1
    assert index.search("中国")[0].line == 3
    hit = index.search("서울은")[0]
    assert hit.line == 5
    assert [hit.passage[s:e] for s, e in hit.spans] == ["서울은"]
    assert index.search("수도입니다")[0].line == 5
    hits = index.search("首都")
    assert {h.line for h in hits[:2]} == {1, 3}


def test_words_and_fold() -> None:
    """`words` folds case and accents, cuts CJK runs into pairs, keeps Hangul and й whole."""
    assert words("Ångström's CAFÉ") == ["angstrom", "s", "cafe"]
    assert fold("Straße") == "strasse"
    assert words("東京都") == ["東京", "京都"]
    assert words("で") == ["で"]
    assert words("Новый") == ["новый"]
    assert words("한국어") == ["한국어"]


def test_snippet_is_one_line_around_the_matches() -> None:
    """`snippet` gives one line about `width` long around the match, with ellipses and spans."""
    passage = ("filler " * 60) + "the golden\nkey " + ("tail " * 60)
    start = passage.index("golden")
    hit = SearchHit(Path("/x"), "X", 1, 2, 50.0, passage, ((start, start + 6),))
    text, spans = snippet(hit, width=60)
    assert "\n" not in text
    assert len(text) <= 62
    assert text.startswith("…") and text.endswith("…")
    assert [text[s:e] for s, e in spans] == ["golden"]


def test_seed_acceptance_queries() -> None:
    """Misspelled queries over the bundled seeds put the expected passages first."""
    index = SearchIndex.build([SEEDS])
    top = index.search("sorkin salutd comander")[0]
    assert top.passage.startswith("Sorkin saluted Commander Kim Il Sung")
    hits = index.search("independance of the armed forces", limit=3)
    assert any("International Allied Forces" in hit.passage for hit in hits)
    assert "independence of the armed forces" in hits[0].passage


def test_unreadable_documents_become_warnings(tmp_path: Path) -> None:
    """Binary files and missing paths become index warnings; readable documents stay searchable."""
    folder = tmp_path / "mixed"
    _write(folder, "good.txt", ["Readable words here."])
    (folder / "bad.txt").write_bytes(b"\x00\xff" * 500)
    index = SearchIndex.build([folder, tmp_path / "missing"])
    assert index.search("readable")[0].path.name == "good.txt"
    assert any("bad.txt" in warning for warning in index.warnings)
    assert any("missing" in warning for warning in index.warnings)


@pytest.mark.parametrize("query", ["ommander", "xcommander", "ocmmander", "vommander", "comamnder"])
def test_typos_at_the_start_of_a_word(tmp_path: Path, query: str) -> None:
    """A missing, extra, swapped or wrong letter at a word's start still finds the word."""
    _write(tmp_path / "t", "a.txt", ["The commander spoke.", "Nothing else here."])
    index = SearchIndex.build([tmp_path / "t"])
    hits = index.search(query)
    assert hits and hits[0].line == 1, query


def test_prefix_only_for_the_word_being_typed(corpus: SearchIndex) -> None:
    """Only the last word, while unfinished (no trailing space), matches as a prefix."""
    assert _lines(corpus.search("tuli"))[0] == ("garden.txt", 3)
    # A finished word (followed by a space) is not a prefix any more.
    assert corpus.search("tuli ") == []
    # Only the last word is a prefix.
    hits = corpus.search("tuli roses ")
    assert hits
    assert "tulips" not in [hits[0].passage[s:e] for s, e in hits[0].spans]
    assert "Roses" in [hits[0].passage[s:e] for s, e in hits[0].spans]
