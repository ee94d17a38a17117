"""The query language: each element, and bad syntax read as plain words."""

from __future__ import annotations

from tuireader.core.search.query_syntax import ParsedQuery, parse_query


def test_plain_words_keep_their_order_and_mark_the_word_being_typed() -> None:
    """Plain words keep their order and mark the word being typed."""
    parsed = parse_query("  quick  brwn fox")
    assert parsed.words == ("quick", "brwn", "fox")
    assert parsed.typing
    assert not parse_query("quick fox ").typing
    assert not parsed.has_filters


def test_a_quoted_phrase() -> None:
    """A quoted phrase."""
    parsed = parse_query('lenin "respected   comrade" rifle')
    assert parsed.phrases == ("respected comrade",)
    assert parsed.words == ("lenin", "rifle")
    assert parsed.text == "lenin rifle respected comrade"
    assert not parse_query('"respected comrade"').typing


def test_minus_excludes_a_word_or_a_phrase() -> None:
    """Minus excludes a word or a phrase."""
    parsed = parse_query('comrade -sorkin -"far east"')
    assert parsed.exclude == ("sorkin", "far east")
    assert parsed.words == ("comrade",)


def test_a_hyphen_inside_a_word_or_alone_is_not_an_exclusion() -> None:
    """A hyphen inside a word or alone is not an exclusion."""
    assert parse_query("re-use").words == ("re-use",)
    assert parse_query("war - peace").words == ("war", "peace")
    assert parse_query("war -").exclude == ()


def test_title_and_author_filters_take_a_word_or_a_quoted_value() -> None:
    """Title and author filters take a word or a quoted value."""
    parsed = parse_query('comrade title:admiration author:"kim il"')
    assert parsed.titles == ("admiration",)
    assert parsed.authors == ("kim il",)
    assert parsed.words == ("comrade",)
    assert parsed.has_filters


def test_in_filter_keeps_the_glob_as_written() -> None:
    """In filter keeps the glob as written."""
    parsed = parse_query("setup in:Notes/*.MD")
    assert parsed.paths == ("Notes/*.MD",)
    assert parsed.words == ("setup",)


def test_lang_filter_is_lower_cased_and_several_are_kept() -> None:
    """Lang filter is lower cased and several are kept."""
    parsed = parse_query("haus LANG:DE lang:nl")
    assert parsed.languages == ("de", "nl")
    assert parsed.words == ("haus",)


def test_the_acceptance_query() -> None:
    """The acceptance query."""
    parsed = parse_query('"respected comrade" -sorkin title:admiration')
    assert parsed == ParsedQuery(
        phrases=("respected comrade",), exclude=("sorkin",), titles=("admiration",)
    )


def test_an_unclosed_quote_is_read_as_plain_words() -> None:
    """An unclosed quote is read as plain words."""
    parsed = parse_query('war "and peace')
    assert parsed.words == ("war", "and", "peace")
    assert parsed.phrases == ()
    assert parsed.typing


def test_an_unclosed_quoted_filter_value_is_plain_words() -> None:
    """An unclosed quoted filter value is plain words."""
    parsed = parse_query('title:"war and')
    assert parsed.titles == ()
    assert "war" in parsed.words and "and" in parsed.words


def test_an_empty_or_unknown_field_is_a_plain_word() -> None:
    """An empty or unknown field is a plain word."""
    assert parse_query("title: war").words == ("title:", "war")
    assert parse_query("title:").titles == ()
    assert parse_query("foo:bar").words == ("foo:bar",)
    assert parse_query("http://example.org").words == ("http://example.org",)


def test_empty_quotes_and_lone_marks_give_nothing_to_search() -> None:
    """Empty quotes and lone marks give nothing to search."""
    for query in ('""', "-", '"', "   ", "-sorkin", "title:admiration"):
        assert parse_query(query).is_empty, query
