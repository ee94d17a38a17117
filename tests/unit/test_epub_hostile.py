"""Hostile and broken books: one clear error naming the file, or a note for a bad chapter."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from epub_builder import book_members, chapter, write_zip

from tuireader.core.formats import epub_zip
from tuireader.core.formats.epub import NOTE_PREFIX, open_book
from tuireader.core.textload import DocumentError

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE package [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata>
<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">&lol3;</dc:title></metadata>
<manifest/><spine/></package>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata>
<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">&xxe;</dc:title></metadata>
<manifest/><spine/></package>"""


def members() -> dict[str, bytes]:
    """A good two-chapter book to break."""
    return book_members(
        [chapter("ch1.xhtml", "One", "First."), chapter("ch2.xhtml", "Two", "Second.")]
    )


def error_of(path: Path) -> str:
    """The one-line error opening ``path`` raises."""
    with pytest.raises(DocumentError) as caught:
        open_book(path).close()
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_not_a_zip(tmp_path: Path) -> None:
    """A text file named .epub."""
    path = tmp_path / "fake.epub"
    path.write_text("this is not a book")
    assert "not a zip" in error_of(path)


def test_missing_container_and_no_opf(tmp_path: Path) -> None:
    """No container.xml and no OPF anywhere."""
    found = members()
    del found["META-INF/container.xml"]
    del found["OEBPS/content.opf"]
    assert "container.xml" in error_of(write_zip(tmp_path / "x.epub", found))


def test_broken_container_with_no_fallback(tmp_path: Path) -> None:
    """container.xml is not XML, and two OPFs leave nothing clear to pick."""
    found = members()
    found["META-INF/container.xml"] = b"<container><rootfiles"
    found["other.opf"] = found["OEBPS/content.opf"]
    assert "container" in error_of(write_zip(tmp_path / "x.epub", found))


def test_broken_opf(tmp_path: Path) -> None:
    """The OPF is truncated XML."""
    found = members()
    found["OEBPS/content.opf"] = found["OEBPS/content.opf"][:200]
    assert "broken OPF package" in error_of(write_zip(tmp_path / "x.epub", found))


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_tricks_are_refused(tmp_path: Path, payload: str) -> None:
    """Entity declarations in the OPF are refused, never expanded or fetched."""
    found = members()
    found["OEBPS/content.opf"] = payload.encode()
    message = error_of(write_zip(tmp_path / "x.epub", found))
    assert "entities" in message and "root:" not in message


def test_entity_tricks_in_a_chapter_stay_inert(tmp_path: Path) -> None:
    """A chapter with a billion-laughs DTD: no expansion, the text is kept."""
    found = members()
    found["OEBPS/ch1.xhtml"] = (
        BILLION_LAUGHS.split("<package")[0] + "<html><body><p>&lol3; plain words</p></body></html>"
    ).encode()
    with open_book(write_zip(tmp_path / "x.epub", found)) as book:
        text = "\n".join(book.chapter(0).lines)
    assert "plain words" in text and "lollol" not in text


@pytest.mark.parametrize("name", ["../evil.xhtml", "/etc/evil.xhtml", "OEBPS/../../x.xhtml"])
def test_escaping_member_names_are_refused(tmp_path: Path, name: str) -> None:
    """A member that climbs out of the archive or is absolute refuses the book."""
    found = members()
    found[name] = b"<p>evil</p>"
    assert "unsafe member name" in error_of(write_zip(tmp_path / "x.epub", found))


def test_spine_href_outside_the_book_is_a_skipped_chapter(tmp_path: Path) -> None:
    """An OPF href climbing out of the archive reads nothing and notes the chapter."""
    found = members()
    opf = (
        found["OEBPS/content.opf"]
        .decode()
        .replace('href="ch1.xhtml"', 'href="../../../etc/passwd"')
    )
    found["OEBPS/content.opf"] = opf.encode()
    with open_book(write_zip(tmp_path / "x.epub", found)) as book:
        first, second = list(book.chapters())
    assert first.lines[0].startswith(NOTE_PREFIX) and "missing" in first.lines[0]
    assert "Second." in second.lines


def test_missing_spine_item_is_noted_and_the_rest_opens(tmp_path: Path) -> None:
    """A chapter file absent from the zip, and an idref absent from the manifest."""
    found = members()
    del found["OEBPS/ch1.xhtml"]
    opf = (
        found["OEBPS/content.opf"].decode().replace("</spine>", '<itemref idref="ghost"/></spine>')
    )
    found["OEBPS/content.opf"] = opf.encode()
    with open_book(write_zip(tmp_path / "x.epub", found)) as book:
        chapters = list(book.chapters())
    assert chapters[0].error and "missing" in chapters[0].lines[0]
    assert "Second." in chapters[1].lines
    assert chapters[2].error and "ghost" in chapters[2].lines[0]


def test_zip_bomb_member_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chapter inflating far past the cap stops early with a note, not a memory blow-up."""
    monkeypatch.setattr(epub_zip, "MAX_MEMBER_BYTES", 4 * 1024 * 1024)
    found = members()
    del found["OEBPS/ch2.xhtml"]
    path = tmp_path / "bomb.epub"
    write_zip(path, found)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OEBPS/ch2.xhtml", b"<p>" + b"a" * (40 * 1024 * 1024))
    with open_book(path) as book:
        second = book.chapter(1)
    assert second.error is not None
    assert "too large" in second.error or "zip bomb" in second.error


def test_stream_cap_stops_inflating_members(tmp_path: Path) -> None:
    """The streaming read stops once a member passes its cap, whatever its header says."""
    path = tmp_path / "liar.epub"
    write_zip(path, members())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OEBPS/big.xhtml", b"<p>" + b"z" * (12 * 1024 * 1024))
    with epub_zip.SafeZip(path) as book, pytest.raises(epub_zip.MemberError, match=r"zip bomb\?"):
        book._stream(book.resolve("OEBPS/big.xhtml") or "", "big", 5 * 1024 * 1024)


def test_empty_file_and_directory(tmp_path: Path) -> None:
    """An empty file and a directory named .epub."""
    empty = tmp_path / "empty.epub"
    empty.write_bytes(b"")
    assert "not a zip" in error_of(empty)
    folder = tmp_path / "folder.epub"
    folder.mkdir()
    assert "directory" in error_of(folder)


def test_drm_protected_book_is_named_as_such(tmp_path: Path) -> None:
    """Chapters listed in META-INF/encryption.xml: one line saying the book is DRM-protected."""
    found = members()
    found["META-INF/encryption.xml"] = (
        b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        b'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        b'<enc:CipherData><enc:CipherReference URI="OEBPS/ch1.xhtml"/></enc:CipherData>'
        b"</enc:EncryptedData></encryption>"
    )
    assert "DRM-protected" in error_of(write_zip(tmp_path / "drm.epub", found))
    found["META-INF/encryption.xml"] = found["META-INF/encryption.xml"].replace(
        b"OEBPS/ch1.xhtml", b"OEBPS/fonts/serif.otf"
    )
    with open_book(write_zip(tmp_path / "fonts.epub", found)) as book:
        assert "First." in book.chapter(0).lines
