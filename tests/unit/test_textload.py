"""Encodings, newline normalisation, control-sequence stripping and binary detection."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tuireader.core.sanitize import clean_text, strip_control
from tuireader.core.textload import (
    BinaryFileError,
    DocumentError,
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
        ("bell\x07 back\x08space del\x7f", "bell backspace del"),
        ("bidi \u202eevil\u202c \u2066iso\u2069", "bidi evil iso"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("ESC alone \x1b", "ESC alone "),
    ],
)
def test_control_sequences_removed(hostile: str, kept: str) -> None:
    """No escape sequence, control character or bidi override survives."""
    assert strip_control(hostile) == kept


def test_clean_text_leaves_no_escape(tmp_path: Path) -> None:
    """After loading, a hostile file holds no ESC, C1 or bidi override character."""
    path = tmp_path / "hostile.txt"
    path.write_bytes(b"\x1b]0;title\x07\x1b[2J\xc2\x9b6n\r\nok\xe2\x80\xae\n")
    text = load_text(path)
    assert text == "\nok\n"
    assert not any(ord(ch) < 0x20 and ch not in "\t\n" for ch in clean_text(text))


def test_binary_detected(tmp_path: Path) -> None:
    """A file with NUL bytes or mostly control bytes is binary."""
    assert looks_binary(b"abc\x00def")
    assert looks_binary(bytes(range(0, 32)) * 10)
    assert not looks_binary(b"")
    assert not looks_binary(codecs.BOM_UTF16_LE + "hi".encode("utf-16-le"))
    path = tmp_path / "blob"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(200))
    with pytest.raises(BinaryFileError):
        load_text(path)


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    """A missing file raises DocumentError with a one-line message naming it."""
    with pytest.raises(DocumentError) as caught:
        load_text(tmp_path / "nope.txt")
    assert "nope.txt" in str(caught.value) and "\n" not in str(caught.value)
