"""Book archives that are damaged or hostile: bad checksums, odd compression, encryption, bombs."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from tuireader.core.formats import epub_zip
from tuireader.core.formats.epub_zip import BookError, MemberError, SafeZip


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> Path:
    """Write a zip archive of ``members``."""
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _patch_headers(path: Path, offset_local: int, offset_central: int, value: int) -> None:
    """Overwrite a two-byte field in every local and central header of a zip file."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", offset_local), (b"PK\x01\x02", offset_central)):
        start = data.find(signature)
        while start >= 0:
            struct.pack_into("<H", data, start + offset, value)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))


def test_a_member_with_a_bad_checksum_is_named_corrupt(tmp_path: Path) -> None:
    """A damaged member's bytes: one line naming the member and the CRC failure."""
    path = _zip(tmp_path / "book.epub", {"ch1.xhtml": b"<p>hello world</p>"})
    data = path.read_bytes()
    path.write_bytes(data.replace(b"hello world", b"hellO world"))
    with SafeZip(path) as book, pytest.raises(MemberError) as caught:
        book.read("ch1.xhtml")
    assert str(caught.value) == "'ch1.xhtml' is corrupt (Bad CRC-32 for file 'ch1.xhtml')"


def test_an_unknown_compression_method_is_named(tmp_path: Path) -> None:
    """A member compressed with a method Python cannot read: 'unsupported compression'."""
    path = _zip(tmp_path / "book.epub", {"ch1.xhtml": b"<p>x</p>"})
    _patch_headers(path, 8, 10, 99)
    with SafeZip(path) as book, pytest.raises(MemberError) as caught:
        book.read("ch1.xhtml")
    assert str(caught.value).startswith("'ch1.xhtml' uses an unsupported compression (")


def test_an_encrypted_member_cannot_be_read(tmp_path: Path) -> None:
    """A member flagged as encrypted: said in plain words, never a traceback or internal repr."""
    path = _zip(tmp_path / "book.epub", {"ch1.xhtml": b"<p>x</p>"})
    _patch_headers(path, 6, 8, 0x1)
    with SafeZip(path) as book, pytest.raises(MemberError) as caught:
        book.read("ch1.xhtml")
    assert str(caught.value) == "'ch1.xhtml' is encrypted and cannot be read"


def test_a_member_with_an_absurd_ratio_is_refused_before_inflating(tmp_path: Path) -> None:
    """8 MB of zeros in a few kilobytes: refused from its header as a likely zip bomb."""
    path = _zip(tmp_path / "book.epub", {"big.xhtml": bytes(8 * 1024 * 1024)}, zipfile.ZIP_DEFLATED)
    with SafeZip(path) as book, pytest.raises(MemberError) as caught:
        book.read("big.xhtml")
    assert str(caught.value) == "'big.xhtml' has an absurd compression ratio (zip bomb?)"


def test_too_many_members_refuse_the_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More members than MAX_MEMBERS: the book is refused with the count."""
    monkeypatch.setattr(epub_zip, "MAX_MEMBERS", 2)
    path = _zip(tmp_path / "book.epub", {"a": b"1", "b": b"2", "c": b"3"})
    with pytest.raises(BookError) as caught:
        SafeZip(path)
    assert str(caught.value) == f"{path}: too many members in the archive (3)"


def test_a_huge_claimed_total_refuses_the_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Members claiming more than MAX_TOTAL_BYTES in all: the book is refused with the total."""
    monkeypatch.setattr(epub_zip, "MAX_TOTAL_BYTES", 10)
    path = _zip(tmp_path / "book.epub", {"a": b"123456", "b": b"123456"})
    with pytest.raises(BookError) as caught:
        SafeZip(path)
    assert str(caught.value) == f"{path}: archive claims 12 bytes uncompressed (refused)"


def test_member_paths_resolve_by_case_and_escapes_but_not_outside(tmp_path: Path) -> None:
    """Hrefs find members despite case or %-escapes; folders are not members; '..' never escapes."""
    path = tmp_path / "book.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("OEBPS/", b"")
        archive.writestr("OEBPS/Chapter One.xhtml", b"<p>1</p>")
    with SafeZip(path) as book:
        assert book.names() == ["OEBPS/Chapter One.xhtml"]
        assert book.resolve("oebps/chapter one.XHTML") == "OEBPS/Chapter One.xhtml"
        assert book.resolve("/OEBPS/Chapter%20One.xhtml") == "OEBPS/Chapter One.xhtml"
        assert book.resolve("OEBPS/../../etc/passwd") is None
        assert book.resolve("") is None
        assert book.size("OEBPS/Chapter One.xhtml") == 8
        assert book.size("nowhere.xhtml") == 0
        with pytest.raises(MemberError, match=r"^'nowhere.xhtml' is missing from the book$"):
            book.read("nowhere.xhtml")
