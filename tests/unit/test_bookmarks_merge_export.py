"""``bookmarks merge`` and the three export formats (Markdown, JSON, Readwise CSV); citations."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import filelock
import pytest
import yaml

from tuireader import cli
from tuireader.core.bookmarks import store as store_module
from tuireader.core.bookmarks.marking import add_highlight
from tuireader.core.bookmarks.merge import merge_file, merge_marks
from tuireader.core.bookmarks.readwise import COLUMNS
from tuireader.core.bookmarks.store import BookmarkError, BookmarkFileError, BookmarkStore
from tuireader.core.citation import Source, author_of, citation, quote_with_citation


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    """A Markdown essay with front matter naming its author and date."""
    path = tmp_path / "essay.md"
    body = [f"Sentence {n} of the essay, plainly distinct from the others." for n in range(1, 21)]
    path.write_text(
        "---\ntitle: On Valleys\nauthor: Ada Vale\ndate: 2024-05-01\n---\n\n"
        + "\n\n".join(body)
        + "\n",
        encoding="utf-8",
    )
    return path


def _stores(tmp_path: Path) -> tuple[BookmarkStore, BookmarkStore]:
    return BookmarkStore(tmp_path / "ours.yaml"), BookmarkStore(tmp_path / "theirs.yaml")


def test_merge_disjoint_adds_all_and_reports(tmp_path: Path, doc: Path) -> None:
    """Marks only in the other file are added (ids kept); a second merge adds nothing."""
    ours, theirs = _stores(tmp_path)
    mine = ours.add(doc, 7)
    other_mark = theirs.add(doc, 9, note="theirs")
    other_highlight = add_highlight(theirs, doc, 11, 13, note="a passage")
    report = merge_file(ours, theirs.path)
    assert [m.id for m in report.added] == [other_mark.id, other_highlight.id]
    assert report.summary() == "added 2, merged notes or tags of 0, 0 already present"
    ids = [m.id for m in BookmarkStore(ours.path).list()]
    assert ids == [mine.id, other_mark.id, other_highlight.id]
    again = merge_file(ours, theirs.path)
    assert (len(again.added), again.unchanged) == (0, 2)
    assert len(BookmarkStore(ours.path).list()) == 3  # never doubled


def test_merge_overlapping_same_place_different_ids_is_one_mark(tmp_path: Path, doc: Path) -> None:
    """The same lines marked apart on two machines (different ids) stay one mark."""
    ours, theirs = _stores(tmp_path)
    ours.add(doc, 7, tags=["a"])
    theirs.add(doc, 7, tags=["b"])
    add_highlight(ours, doc, 11, 13)
    add_highlight(theirs, doc, 11, 13)
    report = merge_file(ours, theirs.path)
    assert report.added == [] and report.unchanged == 1 and len(report.updated) == 1
    marks = BookmarkStore(ours.path).list()
    assert len(marks) == 2
    assert marks[0].tags == ("a", "b")


def test_merge_conflicting_notes_keeps_both(tmp_path: Path, doc: Path) -> None:
    """The same mark (same id) with two different notes keeps both notes."""
    ours, _ = _stores(tmp_path)
    mark = add_highlight(ours, doc, 11, 13, note="My first thought")
    theirs_list = [mark.replace(note="Written on the laptop")]
    marks = ours.list()
    report = merge_marks(marks, theirs_list)
    assert len(report.updated) == 1
    assert marks[0].note == "My first thought\n\nWritten on the laptop"
    # The same id on a different document is a different mark: added under a new id.
    other_doc = tmp_path / "other.txt"
    other_doc.write_text("Other text.\n", encoding="utf-8")
    clash = mark.replace(path=other_doc.resolve(), text_fingerprint="text:other")
    report = merge_marks(marks, [clash])
    assert len(report.added) == 1 and report.added[0].id != mark.id
    assert len(marks) == 2


def test_merge_is_locked_and_refuses_bad_input(
    tmp_path: Path, doc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Merging waits for the store's lock (a held lock is a one-line error, nothing written);
    a corrupt, missing or self file is refused."""
    ours, theirs = _stores(tmp_path)
    ours.add(doc, 7)
    theirs.add(doc, 9)
    before = ours.path.read_bytes()
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT", 0.05)
    with filelock.FileLock(str(ours.lock_path)), pytest.raises(BookmarkError, match="lock"):
        merge_file(ours, theirs.path)
    assert ours.path.read_bytes() == before
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 2\nbookmarks: [oops\n", encoding="utf-8")
    with pytest.raises(BookmarkFileError):
        merge_file(ours, broken)
    with pytest.raises(BookmarkFileError, match="no such file"):
        merge_file(ours, tmp_path / "nope.yaml")
    with pytest.raises(BookmarkFileError, match="itself"):
        merge_file(ours, ours.path)
    assert ours.path.read_bytes() == before
    assert not list(tmp_path.glob(".ours.yaml.*.tmp"))


def test_cli_merge_reports_what_it_added(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, doc: Path
) -> None:
    """``tuireader bookmarks merge OTHER`` prints what it added; exit 0."""
    ours, theirs = _stores(tmp_path)
    theirs.add(doc, 9)
    code = cli.main(["bookmarks", "--bookmarks", str(ours.path), "merge", str(theirs.path)])
    out, _ = capsys.readouterr()
    assert code == 0 and "added 1" in out
    assert yaml.safe_load(ours.path.read_text())["bookmarks"][0]["line"] == 9
    code = cli.main(["bookmarks", "--bookmarks", str(ours.path), "merge", str(tmp_path / "x")])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "no such file" in err


def _export(capsys: pytest.CaptureFixture[str], store: BookmarkStore, *extra: str) -> str:
    code = cli.main(["bookmarks", "--bookmarks", str(store.path), "export", *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_export_markdown_one_section_per_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, doc: Path
) -> None:
    """Markdown: a section per document (title, author), each highlight quoted, note, location."""
    store = BookmarkStore(tmp_path / "b.yaml")
    add_highlight(store, doc, 11, 13, note="The heart of it")
    other = tmp_path / "other.txt"
    other.write_text("Other Title\n\nA line in the other document.\n", encoding="utf-8")
    store.add(other, 3)
    out = _export(capsys, store, "--format", "markdown")
    assert out.count("\n## ") == 2
    section = out.split("## On Valleys\n", 1)[1].split("\n## ", 1)[0]
    assert "Ada Vale · 2024-05-01" in section
    lines = doc.read_text().splitlines()
    assert f"> {lines[10]}\n>\n> {lines[12]}\n\nThe heart of it\n" in section
    assert "— lines 11-13 (" in section and f"{doc.resolve().as_uri()}#L11" in section


def test_export_json_has_highlights(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, doc: Path
) -> None:
    """JSON: version 2, each mark's kind, lines, quote and note."""
    store = BookmarkStore(tmp_path / "b.yaml")
    add_highlight(store, doc, 11, 13, note="n")
    data = json.loads(_export(capsys, store, "--format", "json"))
    assert data["version"] == 2
    (mark,) = data["bookmarks"]
    assert (mark["kind"], mark["line"], mark["end_line"], mark["note"]) == (
        "highlight",
        11,
        13,
        "n",
    )
    assert mark["quote"].startswith("Sentence 3 of the essay")


def test_export_readwise_csv_parses_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, doc: Path
) -> None:
    """Readwise CSV: its columns; quotes with commas, quotes and newlines survive ``csv``."""
    store = BookmarkStore(tmp_path / "b.yaml")
    add_highlight(store, doc, 11, 13, note='She said "yes", then left.\nSecond line.')
    store.add(doc, 17)
    rows = list(csv.DictReader(io.StringIO(_export(capsys, store, "--format", "readwise"))))
    assert tuple(rows[0]) == COLUMNS
    first, second = rows
    assert first["Highlight"].startswith("Sentence 3 of the essay") and "\n" in first["Highlight"]
    assert first["Title"] == "On Valleys" and first["Author"] == "Ada Vale"
    assert first["Note"] == 'She said "yes", then left.\nSecond line.'
    assert first["Location"] == "11" and first["URL"] == doc.resolve().as_uri()
    assert len(first["Date"]) == 19 and first["Date"][4] == "-"
    assert second["Location"] == "17" and second["Highlight"].startswith("Sentence 6")


def test_export_to_file_is_atomic_and_bad_path_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, doc: Path
) -> None:
    """``-o FILE`` writes the file (nothing on stdout); an unwritable path exits 2 in one line."""
    store = BookmarkStore(tmp_path / "b.yaml")
    add_highlight(store, doc, 11, 13)
    target = tmp_path / "out.md"
    assert _export(capsys, store, "-o", str(target)) == ""
    assert target.read_text(encoding="utf-8").startswith("# Bookmarks\n")
    code = cli.main(["bookmarks", "--bookmarks", str(store.path), "export", "-o", str(doc / "x")])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1


def test_citation_text() -> None:
    """Title, author, date, chapter and path:lines; outside text on one line without controls."""
    home = Path.home()
    source = Source(
        "General Sorkin's Admiration\x1b[31m",
        home / "texts" / "sorkin.txt",
        12,
        14,
        author="Jane\nDoe",
        date="2024-05-01",
        chapter="Chapter 3",
    )
    line = citation(source)
    assert line == (
        "— General Sorkin's Admiration, Jane Doe (2024-05-01), Chapter 3, ~/texts/sorkin.txt:12-14"
    )
    plain = citation(Source("T", Path("/srv/t.txt"), 5))
    assert plain == "— T, /srv/t.txt:5"
    assert quote_with_citation("a\nb\n", Source("T", Path("/t"), 1)) == "a\nb\n— T, /t:1\n"
    assert author_of({"authors": ["A", "B"]}) == "A, B"
    assert author_of({}) is None


def test_list_shows_a_highlight_with_its_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, doc: Path
) -> None:
    """``bookmarks list`` names a highlight's first and last line."""
    store = BookmarkStore(tmp_path / "b.yaml")
    mark = add_highlight(store, doc, 11, 13, note="n")
    code = cli.main(["bookmarks", "--bookmarks", str(store.path), "list"])
    out, _ = capsys.readouterr()
    assert code == 0 and out.startswith(f"{mark.id}  On Valleys:11-13  n")
