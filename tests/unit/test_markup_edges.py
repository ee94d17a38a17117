"""Bytes of saved pages and book files to text: byte-order marks, false claims, bad bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tuireader.core.formats.markup import (
    UnsafeXmlError,
    attr,
    decode_markup,
    html_entities_to_refs,
    local_name,
    markup_encoding,
    parse_xml,
)


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_byte_order_mark_decides_and_is_dropped(codec: str) -> None:
    """A page with a byte-order mark is read in that encoding, the mark not kept as text."""
    data = "\ufeff<p>Ærø café</p>".encode(codec)
    assert decode_markup(data) == "<p>Ærø café</p>"


def test_utf8_byte_order_mark_is_named_utf8_sig() -> None:
    """A UTF-8 mark gives 'utf-8-sig', so decoding drops the mark."""
    assert markup_encoding(b"\xef\xbb\xbf<html/>") == "utf-8-sig"


def test_an_unknown_declared_charset_falls_back_to_utf8() -> None:
    """``<meta charset="klingon">`` is not a codec: the page is read as UTF-8."""
    data = '<meta charset="klingon"><p>café</p>'.encode()
    assert markup_encoding(data) == "utf-8"
    assert decode_markup(data) == '<meta charset="klingon"><p>café</p>'


def test_a_wide_encoding_claimed_in_ascii_bytes_is_ignored() -> None:
    """An XML declaration saying UTF-16 in one-byte text cannot be true: UTF-8 is used."""
    data = b'<?xml version="1.0" encoding="UTF-16"?><p>plain</p>'
    assert markup_encoding(data) == "utf-8"
    assert decode_markup(data) == '<?xml version="1.0" encoding="UTF-16"?><p>plain</p>'


def test_a_declared_charset_is_used() -> None:
    """A page declaring windows-1251 is decoded as Cyrillic."""
    data = '<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251")
    assert markup_encoding(data) == "cp1251"
    assert decode_markup(data) == '<meta charset="windows-1251"><p>Привет</p>'


def test_undeclared_latin1_bytes_are_read_as_windows_1252() -> None:
    """A page with no declaration that is not UTF-8 is read as Windows-1252, as browsers do."""
    assert decode_markup(b"<p>caf\xe9 \x93quoted\x94</p>") == "<p>café \u201cquoted\u201d</p>"


def test_bytes_neither_utf8_nor_windows_1252_become_replacement_characters() -> None:
    """0x81 is undefined in Windows-1252 too: it becomes U+FFFD, the rest is kept."""
    assert decode_markup(b"<p>a\x81b \xff</p>") == "<p>a\ufffdb \ufffd</p>"


def test_bad_bytes_in_a_declared_encoding_become_replacement_characters() -> None:
    """Bytes that do not fit the declared encoding become U+FFFD; no exception."""
    data = b'<?xml version="1.0" encoding="shift_jis"?><p>ok \x81</p>'
    assert decode_markup(data).endswith("<p>ok \ufffd</p>")


def test_html_entities_become_references_and_xml_ones_stay() -> None:
    """``&nbsp;`` becomes ``&#160;``; ``&amp;`` and unknown names are left alone."""
    assert html_entities_to_refs("a&nbsp;b &amp; c &bogus; &eacute;") == (
        "a&#160;b &amp; c &bogus; &#233;"
    )
    assert html_entities_to_refs("no entities") == "no entities"


def test_parse_xml_reads_html_entities_and_refuses_declared_ones() -> None:
    """Named HTML entities parse; an entity declaration is refused; broken XML says why."""
    root = parse_xml('<?xml version="1.0"?><p>a&nbsp;b</p>')
    assert root.text == "a\u00a0b"
    bomb = '<!DOCTYPE p [<!ENTITY lol "lol">]><p>&lol;</p>'
    with pytest.raises(UnsafeXmlError, match=r"^declares XML entities \(EntitiesForbidden\)"):
        parse_xml(bomb)
    with pytest.raises(ValueError, match=r"^malformed XML \(mismatched tag: line 1, column 8\)$"):
        parse_xml("<p><b></p>")


def test_local_name_drops_the_namespace_and_is_empty_for_comments() -> None:
    """``{ns}Body`` is 'body'; a comment (whose tag is not a string) has no name."""
    assert local_name("{http://www.w3.org/1999/xhtml}Body") == "body"
    assert local_name(ET.Comment) == ""


def test_attr_finds_plain_and_namespaced_attributes() -> None:
    """An attribute is found by its local name with or without a namespace."""
    element = parse_xml(
        '<a xmlns:epub="http://www.idpf.org/2007/ops" href="#n1" epub:type="noteref"/>'
    )
    assert attr(element, "href") == "#n1"
    assert attr(element, "type") == "noteref"
    assert attr(element, "id") is None
