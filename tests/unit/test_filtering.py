"""The library's document filter (core/filtering.py), without a terminal."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.filtering import FUZZY_CUTOFF, document_score, filter_documents
from tuireader.core.models import Document


def _doc(title: str, path: str) -> Document:
    """A document with only a title and a path that matter."""
    return Document(Path(path), title, None, None, words=100, size=600, mtime=0.0)


DOCS = [
    _doc("The history of kettles", "/lib/kettles.md"),
    _doc("Notes on gardening", "/lib/garden/notes.md"),
    _doc("Untitled", "/lib/gardening-diary.txt"),
    _doc("Gardening for beginners", "/lib/begin.md"),
]


def test_empty_or_blank_query_keeps_every_document_in_order() -> None:
    """No query (or only spaces) lists all documents in their order."""
    assert filter_documents("", DOCS) == [0, 1, 2, 3]
    assert filter_documents("   ", DOCS) == [0, 1, 2, 3]


def test_title_match_beats_path_match_and_earlier_beats_later() -> None:
    """A title starting with the query ranks first, then a title containing it, then a path."""
    assert filter_documents("gardening", DOCS) == [3, 1, 2]


def test_query_is_case_and_space_insensitive() -> None:
    """Upper case and surrounding spaces do not change the result."""
    assert filter_documents("  KETTLES ", DOCS) == filter_documents("kettles", DOCS) == [0]


def test_typo_tolerant_match_on_title() -> None:
    """A misspelt word still finds its document; nonsense finds none."""
    assert filter_documents("kettels", DOCS)[:1] == [0]
    assert filter_documents("zzzzqqq", DOCS) == []


def test_document_score_orders_kinds_of_match() -> None:
    """Title contains > path contains > fuzzy match >= cutoff; no match is None."""
    title = document_score("kettles", DOCS[0])
    path = document_score("garden/", DOCS[1])
    fuzzy = document_score("kettels", DOCS[0])
    assert title is not None and path is not None and fuzzy is not None
    assert title > path > fuzzy >= FUZZY_CUTOFF
    assert document_score("zzzzqqq", DOCS[0]) is None


def test_filter_documents_on_a_scanned_library(tmp_path: Path) -> None:
    """On documents described from real files, the title match comes first."""
    from tuireader.core.library import load_library

    (tmp_path / "gardening.md").write_text("# Notes on gardening\n\nDig.\n")
    (tmp_path / "kettles.md").write_text("# The history of kettles\n\nBoil.\n")
    documents = load_library([tmp_path]).documents
    order = filter_documents("gardening", documents)
    assert documents[order[0]].title == "Notes on gardening"
    assert len(order) == 1
