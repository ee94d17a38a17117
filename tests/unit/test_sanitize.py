"""The sanitiser: properties over any text, and the sequences it must remove whole."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tuireader.core.sanitize import (
    clean_text,
    display_cells,
    display_text,
    normalise_newlines,
    strip_control,
    utf8_needs_cleaning,
)
from tuireader.core.textload import decode

HOSTILE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""ESC, C0 controls except tab and newline, DEL, C1 controls, bidi overrides and isolates."""

_SPECIAL = "\x1b\x07\x9b\x9c\x9d\x90\x00\x0b\r\n\t\x7f\x85[]\\?;:0123456789 /~mP_^X"
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Text rich in escape-sequence material: introducers, parameters, terminators, bidi marks.
hostile_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(_SPECIAL + _BIDI), st.characters(codec="utf-8", exclude_categories=("Cs",))
    ),
    max_size=80,
)
# Text whose only hostile characters may be bidi controls, among multi-byte neighbours.
_NEIGHBOURS = "ab \u00e9\u00a0\u2014\u2028\u2065"
bidi_text = st.text(alphabet=st.sampled_from(_BIDI + _NEIGHBOURS), max_size=20)
any_text = st.one_of(st.text(max_size=200), hostile_text, bidi_text)


@given(any_text)
@example("\x1b[?25l")
@example("\u202e")
def test_output_holds_no_control_character(text: str) -> None:
    """For any input, the output has no ESC, C0 (but tab/newline), DEL, C1 or bidi control."""
    assert HOSTILE.search(strip_control(text)) is None
    assert HOSTILE.search(clean_text(text)) is None


@given(any_text)
def test_sanitising_twice_changes_nothing(text: str) -> None:
    """strip_control and clean_text are idempotent."""
    once = strip_control(text)
    assert strip_control(once) == once
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned


@given(st.text(alphabet=st.characters(exclude_characters="\r", exclude_categories=("Cs", "Cc"))))
def test_harmless_text_is_returned_unchanged(text: str) -> None:
    """Text without control or bidi characters comes back as it went in."""
    if HOSTILE.search(text) is None:
        assert strip_control(text) == text


@given(any_text)
def test_utf8_precheck_agrees_with_the_text_cleaner(text: str) -> None:
    """The byte pre-check says 'needs cleaning' exactly when cleaning would change the text."""
    newlines_done = normalise_newlines(text)
    changes = strip_control(newlines_done) != newlines_done
    assert utf8_needs_cleaning(text.encode("utf-8")) == changes


@given(any_text)
def test_decoded_documents_are_clean(text: str) -> None:
    """A UTF-8 document decodes to text with no hostile character, whatever it holds."""
    data = text.encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    decoded = decode(data)
    assert HOSTILE.search(decoded) is None
    assert decoded == clean_text(data.decode("utf-8"))


csi = st.builds(
    lambda intro, params, inter, final: intro + params + inter + final,
    st.sampled_from(["\x1b[", "\x9b"]),
    st.text(alphabet="0123456789:;<=>?", max_size=8),
    st.text(alphabet=" !\"#$%&'()*+,-./", max_size=2),
    st.characters(min_codepoint=0x40, max_codepoint=0x7E),
)


@given(csi, st.text(alphabet="abc xyz", max_size=5), st.text(alphabet="abc xyz", max_size=5))
def test_csi_sequences_are_removed_whole(sequence: str, before: str, after: str) -> None:
    """A CSI sequence with any parameters, intermediates and final byte leaves nothing behind."""
    assert strip_control(before + sequence + after) == before + after


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x1b[?25lb", "ab"),  # hide the cursor: private-mode parameter
        ("a\x1b[38;2;255;0;0mb", "ab"),
        ("a\x1b]0;evil title\x07b", "ab"),  # OSC ended by BEL
        ("a\x1b]8;;http://x\x1b\\b", "ab"),  # OSC 8 hyperlink ended by ST
        ("a\x9d0;title\x9cb", "ab"),  # 8-bit OSC and ST
        ("a\x1bP1$r\x1b\\b", "ab"),  # DCS
        ("a\x1b_payload\x1b\\b", "ab"),  # APC
        ("a\x1b^pm\x07b", "ab"),  # PM
        ("a\x1bXsos\x07b", "ab"),  # SOS
        ("a\x1b(Bb", "ab"),  # charset designation: an intermediate, then a final byte
        ("a\x1bcb", "ab"),  # reset: ESC and one final byte
        ("a\x1b]0;unterminated\nnext", "a\nnext"),  # an OSC stops at the line end
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        # other controls and bidi marks are shown as visible escapes, never sent raw
        ("bell\x07 del\x7f nul\x00 c1\x85", "bell\\x07 del\\x7f nul\\x00 c1\\x85"),
        ("\u202eevil\u202c \u2066iso\u2069", "\\u202eevil\\u202c \\u2066iso\\u2069"),
    ],
)
def test_known_sequences(text: str, expected: str) -> None:
    """Escape sequences are removed and other controls escaped visibly; text around is kept."""
    assert strip_control(text) == expected


def test_newlines_are_normalised() -> None:
    """CRLF and lone CR become LF; clean_text does both jobs."""
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    assert normalise_newlines("plain") == "plain"
    assert clean_text("a\r\n\x1b[1mb\r") == "a\nb\n"


@pytest.mark.parametrize(
    ("data", "needs"),
    [
        (b"plain text\twith tab\r\n", False),
        ("caf\u00e9 \u00a0 \u2014 \u2019".encode(), False),  # 0xC2 and 0xE2 leads, harmless
        ("only \u202e hostile".encode(), True),  # the bidi override alone
        ("\u2067".encode(), True),
        ("\u2069".encode(), True),
        ("x\u0085".encode(), True),  # C1 next-line
        ("x\u009b".encode(), True),
        (b"\x1b", True),
        (b"\x7f", True),
        (b"\xc2", False),  # a lone lead byte at the end
        (b"\xe2\x80", False),
        ("\u2028\u202f\u2065".encode(), False),  # neighbours of the bidi controls
        ("\u2014 \u202e \u2014".encode(), True),  # a bidi control between two harmless 0xE2
        ("\u00a0 \u0085 \u00a0".encode(), True),  # a C1 control between two harmless 0xC2
    ],
)
def test_utf8_precheck_cases(data: bytes, needs: bool) -> None:
    """The byte pre-check spots each hostile character and lets near neighbours through."""
    assert utf8_needs_cleaning(data) is needs


def test_file_whose_only_hostile_character_is_a_bidi_override() -> None:
    """A document whose one hostile character is U+202E is still cleaned."""
    assert decode("abc \u202edef\n".encode()) == "abc \\u202edef\n"


@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
@example(["plain", "a\x1b[31mred", "tab\there"])
def test_display_cells_shows_each_cell_as_display_text(cells: list[str]) -> None:
    """Cells shown together are each what ``display_text`` makes of them alone."""
    assert display_cells(*cells) == tuple(display_text(cell) for cell in cells)
