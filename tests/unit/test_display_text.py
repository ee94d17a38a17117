"""Display text for outside strings and clean document text: nothing may drive the terminal."""

from __future__ import annotations

import json
import os
import unicodedata

import pytest

from tuireader.core.sanitize import (
    clean_text,
    display_text,
    escape_json_text,
    json_safe,
    normalise_newlines,
    path_fields,
    path_from_fields,
    strip_control,
    utf8_needs_cleaning,
)

C0 = [chr(code) for code in range(0x20)]
C1 = [chr(code) for code in range(0x80, 0xA0)]
CONTROLS = [*C0, "\x7f", *C1]
BIDI_OVERRIDES = [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]
BIDI = ["\u061c", "\u200e", "\u200f", *BIDI_OVERRIDES]
_BIDI_CLASSES = ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI")

SEQUENCES = {
    "sgr": "\x1b[1;31m",
    "csi-cursor": "\x1b[2J\x1b[H",
    "csi-private": "\x1b[?1049h",
    "csi-8bit": "\x9b31m",
    "osc-title-bel": "\x1b]2;pwned\x07",
    "osc-52-st": "\x1b]52;c;ZXZpbA==\x1b\\",
    "osc-8bit": "\x9d0;title\x9c",
    "osc-hyperlink": "\x1b]8;;http://evil\x1b\\",
    "dcs": "\x1bPq#0;2;0;0;0\x1b\\",
    "dcs-8bit": "\x90qdata\x9c",
    "sos": "\x1bXstring\x1b\\",
    "pm": "\x1b^privacy\x1b\\",
    "apc": "\x1b_kitty graphics\x1b\\",
    "reset": "\x1bc",
    "save-cursor": "\x1b7",
    "charset": "\x1b(0",
    "keypad": "\x1b=",
}


def _is_unsafe(char: str) -> bool:
    """A character that must never reach a terminal raw from a name."""
    return (
        unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
        or unicodedata.bidirectional(char) in _BIDI_CLASSES
        or char in "\u061c\u200e\u200f"
    )


def _raw_unsafe(text: str) -> list[str]:
    """The unsafe characters left in ``text``."""
    return [char for char in text if _is_unsafe(char)]


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_c0_c1_and_del_is_escaped_in_names(char: str) -> None:
    """Each control code point becomes a visible escape naming it; nothing else changes."""
    shown = display_text(f"name{char}.txt")
    assert _raw_unsafe(shown) == []
    named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char, f"\\x{ord(char):02x}")
    assert shown == f"name{named}.txt"


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_c0_c1_and_del_is_neutralised_in_documents(char: str) -> None:
    """In document text no control character except tab and newline survives raw."""
    cleaned = strip_control(f"before {char}after\nnext line")
    assert [c for c in cleaned if unicodedata.category(c) == "Cc" and c not in "\t\n"] == []
    assert cleaned.endswith("\nnext line"), "a control never swallows the next line"
    assert "before" in cleaned


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_utf8_precheck_agrees_with_strip_control(char: str) -> None:
    """The cheap byte pre-check says 'clean' only when cleaning would change nothing."""
    text = f"plain {char} text"
    if clean_text(text) != normalise_newlines(text):
        assert utf8_needs_cleaning(text.encode("utf-8"))


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_sequences_in_names_are_drawn_as_text(name: str) -> None:
    """An escape sequence in a name is shown visibly (starting escape included), never raw."""
    sequence = SEQUENCES[name]
    shown = display_text(f"a{sequence}b")
    assert _raw_unsafe(shown) == []
    assert shown.startswith("a\\x") and shown.endswith("b")
    assert "\n" not in shown


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_sequences_in_documents_are_removed_keeping_words(name: str) -> None:
    """In document text each kind of sequence is removed whole; the words around it stay."""
    assert strip_control(f"left {SEQUENCES[name]}right") == "left right"


@pytest.mark.parametrize("introducer", ["\x1b]", "\x1bP", "\x9d", "\x90", "\x1b_"])
def test_unterminated_string_sequence_ends_at_its_line(introducer: str) -> None:
    """An OSC/DCS/APC without terminator is removed to the end of its line only."""
    text = f"kept {introducer}52;c;ZXZpbA== never ended\nsecond line stays\nthird"
    assert strip_control(text) == "kept \nsecond line stays\nthird"


def test_unterminated_osc_in_a_name_is_visible() -> None:
    """In a name the whole unterminated sequence is shown as text."""
    assert display_text("x\x1b]0;title") == "x\\x1b]0;title"


@pytest.mark.parametrize("char", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_bidi_controls_are_escaped_in_names(char: str) -> None:
    """Bidi overrides, isolates and marks in names are shown as \\uXXXX."""
    assert display_text(f"invoice{char}fdp.exe") == f"invoice\\u{ord(char):04x}fdp.exe"


@pytest.mark.parametrize("char", BIDI_OVERRIDES, ids=[f"U+{ord(c):04X}" for c in BIDI_OVERRIDES])
def test_bidi_overrides_are_visible_in_documents(char: str) -> None:
    """In documents overrides and isolates are visible; they cannot reorder what follows."""
    assert strip_control(f"a{char}b") == f"a\\u{ord(char):04x}b"


def test_bidi_marks_stay_in_documents() -> None:
    """Right-to-left marks are ordinary in Arabic and Hebrew text and are kept."""
    text = "שלום\u200f עולם \u061cمرحبا"
    assert strip_control(text) == text


def test_undecodable_name_bytes_are_shown_as_bytes() -> None:
    """Bytes of a file name that are not UTF-8 are shown as \\xNN."""
    name = os.fsdecode(b"caf\xe9 \xff.txt")
    assert display_text(name) == "caf\\xe9 \\xff.txt"
    assert display_text(b"raw\x1b.txt") == "raw\\x1b.txt"
    display_text(name).encode("utf-8")  # valid UTF-8: never raises


def test_line_separators_never_break_a_line() -> None:
    """Newlines and Unicode line/paragraph separators in a name keep it on one line."""
    shown = display_text("one\ntwo\r\nthree\u2028four\u2029five\x85six")
    assert len(shown.splitlines()) == 1


def test_ordinary_text_is_unchanged() -> None:
    """Names without controls come back identical (accents, CJK, emoji, backslashes)."""
    for text in ("Café — naïve", "東京の本.md", "📚 notes", r"C:\path\to", ""):
        assert display_text(text) == text
        assert strip_control(text) == text


def test_path_fields_add_exact_bytes_only_when_needed() -> None:
    """``path_bytes`` (hex) appears only for names that are not UTF-8 and restores them."""
    assert path_fields("/texts/café.md") == {"path": "/texts/café.md"}
    raw = b"/texts/bad\xff\xfename.txt"
    fields = path_fields(os.fsdecode(raw))
    fields["path"].encode("utf-8")
    assert bytes.fromhex(fields["path_bytes"]) == raw
    assert os.fsencode(path_from_fields(fields["path"], fields["path_bytes"])) == raw
    assert path_from_fields("/plain", None) == "/plain"
    assert path_from_fields("/plain", "not hex") == "/plain"


def test_json_safe_output_is_valid_utf8_json() -> None:
    """Data with lone surrogates and controls dumps to UTF-8 JSON with nothing raw."""
    data = {"title": os.fsdecode(b"t\xff"), "note": "\x1b]52;c;x\x07 \x9b \u202e", "n": [1, None]}
    text = escape_json_text(json.dumps(json_safe(data), ensure_ascii=False))
    text.encode("utf-8")
    assert _raw_unsafe(text) == []
    back = json.loads(text)
    assert back["note"] == strip_control(data["note"]) and back["n"] == [1, None]
    assert "\x1b" not in back["note"] and "\x07" not in back["note"]
    assert json_safe({"path": "a\x1bb"}) == {"path": "a\x1bb"}  # a file's name stays exact
