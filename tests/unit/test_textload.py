"""Encodings, newline normalisation, control-sequence stripping and binary detection."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tuireader.core.sanitize import clean_text, strip_control
from tuireader.core.textload import (
    BinaryFileError,
    DocumentError,
    binary_reason,
    iter_lines,
    load_text,
    looks_binary,
)

SAMPLE = "Café déjà vu — naïve 東京 한국어\nsecond line\n"


@pytest.mark.parametrize(
    "raw",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom"],
)
def test_unicode_encodings(tmp_path: Path, raw: bytes) -> None:
    """UTF-8 with or without BOM and UTF-16 with BOM all decode to the same text."""
    path = tmp_path / "doc.txt"
    path.write_bytes(raw)
    assert load_text(path) == SAMPLE
    assert list(iter_lines(path)) == SAMPLE.rstrip("\n").split("\n")


def test_legacy_encoding_detected(tmp_path: Path) -> None:
    """A Latin-1/cp1252 file is detected, not shown as replacement characters."""
    text = "Le café était très animé, déjà plein à l'heure où naît le jour. " * 20
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("cp1252"))
    assert "café était très" in load_text(path)


def test_undecodable_bytes_never_crash(tmp_path: Path) -> None:
    """Bytes that fit no encoding become text anyway (no exception)."""
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"plain start " + bytes(range(0x80, 0x100)) + b" end\n")
    text = load_text(path)
    assert text.startswith("plain start") and text.rstrip().endswith("end")


def test_newlines_normalised(tmp_path: Path) -> None:
    """CRLF and lone CR become LF."""
    path = tmp_path / "dos.txt"
    path.write_bytes(b"one\r\ntwo\rthree\n")
    assert load_text(path) == "one\ntwo\nthree\n"
    assert list(iter_lines(path)) == ["one", "two", "three"]


@pytest.mark.parametrize(
    ("hostile", "kept"),
    [
        ("a\x1b[31mred\x1b[0m b", "ared b"),
        ("title\x1b]0;pwned\x07 here", "title here"),
        ("clip\x1b]52;c;ZXZpbA==\x1b\\ board", "clip board"),
        ("dcs\x1bPq#0;2;0;0;0\x1b\\ end", "dcs end"),
        ("c1\x9b31m csi", "c1 csi"),
        ("bell\x07 del\x7f nul\x00", "bell\\x07 del\\x7f nul\\x00"),
        ("bidi \u202eevil\u202c \u2066iso\u2069", "bidi \\u202eevil\\u202c \\u2066iso\\u2069"),
        ("B\x08Bold _\x08u", "Bold u"),
        ("page\x0cbreak", "pagebreak"),
        ("osc \x1b]0;no terminator\nnext line", "osc \nnext line"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("ESC alone \x1b", "ESC alone "),
    ],
)
def test_control_sequences_removed(hostile: str, kept: str) -> None:
    """Sequences are removed, other controls shown as visible escapes, overstrikes resolved."""
    assert strip_control(hostile) == kept


def test_clean_text_leaves_no_escape(tmp_path: Path) -> None:
    """After loading, a hostile file holds no ESC, C1 or bidi override character."""
    path = tmp_path / "hostile.txt"
    path.write_bytes(b"\x1b]0;title\x07\x1b[2J\xc2\x9b6n\r\nok\xe2\x80\xae\n")
    text = load_text(path)
    assert text == "\nok\\u202e\n"
    assert not any(ord(ch) < 0x20 and ch not in "\t\n" for ch in clean_text(text))


def test_binary_detected(tmp_path: Path) -> None:
    """A high share of NUL/control bytes is binary; a few NULs or none is text."""
    assert looks_binary(bytes(range(0, 32)) * 10)
    assert looks_binary(b"a\x00" * 100), "UTF-16 without a BOM or a binary record file"
    assert not looks_binary(b"abc\x00def" + b" plain words" * 10), "a stray NUL is still text"
    assert not looks_binary(b"")
    assert not looks_binary(codecs.BOM_UTF16_LE + "hi".encode("utf-16-le"))
    path = tmp_path / "blob"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(200))
    with pytest.raises(BinaryFileError) as caught:
        load_text(path)
    assert str(caught.value) == f"{path}: binary file skipped (an ELF executable)"


_TAR_HEAD = b"notes.txt".ljust(257, b"\x00") + b"ustar\x0000"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x7fELF\x02\x01\x01", "an ELF executable"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "a Windows executable"),
        (b"\xcf\xfa\xed\xfe\x07\x00", "a Mach-O executable"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"GIF89a\x01\x00", "a GIF image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "a WebP image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF file"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive"),
        (b"\x1f\x8b\x08\x00", "a gzip archive"),
        (b"BZh91AY&SY", "a bzip2 archive"),
        (b"\xfd7zXZ\x00\x00", "an xz archive"),
        (_TAR_HEAD, "a tar archive"),
        (b"SQLite format 3\x00\x10\x00", "an SQLite database"),
    ],
)
def test_binary_signatures_name_the_kind(head: bytes, kind: str) -> None:
    """Executables, images, archives and databases are recognised by their magic numbers."""
    assert binary_reason(head + b"plain looking text " * 20) == kind


@pytest.mark.parametrize(
    "text",
    [
        b"\x1b[1;31mERROR\x1b[0m disk full\n\x1b[32mOK\x1b[0m retry\n" * 50,
        b"Script started\r\n\x1b]0;user@host\x07$ ls\x08\x08ls\r\n" * 50,
        b"N\x08NA\x08AM\x08ME\x08E\n  _\x08l_\x08s\n" * 50,
        b"a record\x00 with a few NULs\n" + b"plain text line\n" * 50,
        b"stray \x01\x02 control bytes\x7f\n" + b"plain text line\n" * 20,
        b"RIFFraff is a word, MZ too\n" * 10,
    ],
    ids=["coloured-log", "script-capture", "man-overstrike", "few-nuls", "stray-c0", "text-magic"],
)
def test_text_with_control_bytes_is_not_binary(text: bytes) -> None:
    """Coloured logs, terminal captures, man pages and stray control bytes are documents."""
    assert binary_reason(text) is None


def test_few_nuls_are_read_visibly(tmp_path: Path) -> None:
    """A text file with a few NULs loads; the NULs are shown as escapes, never sent raw."""
    path = tmp_path / "record.txt"
    path.write_bytes(b"name\x00value\n" + b"more text here\n" * 10)
    assert load_text(path).startswith("name\\x00value\n")
    assert next(iter_lines(path)) == "name\\x00value"


def test_coloured_log_loads_as_words(tmp_path: Path) -> None:
    """SGR colours and OSC titles are removed, the words between them kept, line by line."""
    path = tmp_path / "build.log"
    path.write_bytes(
        b"\x1b[1;31mERROR\x1b[0m: disk \x1b[4mfull\x1b[24m\n"
        b"\x1b]0;title without end\n"
        b"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ text\n"
    )
    assert list(iter_lines(path)) == ["ERROR: disk full", "", "link text"]
    assert load_text(path) == "ERROR: disk full\n\nlink text\n"


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    """A missing file raises DocumentError with a one-line message naming it."""
    with pytest.raises(DocumentError) as caught:
        load_text(tmp_path / "nope.txt")
    assert "nope.txt" in str(caught.value) and "\n" not in str(caught.value)
