"""Telling piped Markdown from plain text: very short notes with a leading heading."""

from __future__ import annotations

import io

import pytest

from tuireader.core import piped
from tuireader.core.formats.markdown_format import looks_like_markdown

SHORT_NOTES = {
    "emphasis": "# Piped\n\nhello *world*",
    "underscores": "# Piped\n\nhello _world_\n",
    "list": "# Shopping\n\n- milk\n- eggs\n",
    "link": "# See\n\n[the docs](https://example.org)\n",
    "quote": "\n# Said\n\n> nothing at all\n",
    "code": "# Run\n\nthen `make test`\n",
}
NOT_MARKDOWN = {
    "heading only": "# Piped\n\nhello world\n",
    "shell comments": "# build it\nmake all\n# then test\nmake test\n",
    "script with a blank line": "# build\n\nimport os\n# helper\nx = 1\n",
    "coding line": "# -*- coding: utf-8 -*-\n\nimport os\nx = a*b*c\n",
    "globs": "# backup\n\ncp *.txt /tmp/*\n",
    "arithmetic and names": "# Totals\n\n2*3*4 in snake_case_name and __init__\n",
    "no blank after the heading": "# config\nitems:\n  - one\n",
    "heading not first": "hello *world*\n# Piped\n",
}


@pytest.mark.parametrize("name", SHORT_NOTES)
def test_a_short_note_with_a_leading_heading_is_markdown(name: str) -> None:
    """A leading ATX heading, a blank line and one more sign: Markdown."""
    assert looks_like_markdown(SHORT_NOTES[name])


@pytest.mark.parametrize("name", NOT_MARKDOWN)
def test_comments_scripts_and_bare_headings_stay_plain_text(name: str) -> None:
    """A ``#`` line with no other sign, or with only script-like text after it: plain text."""
    assert not looks_like_markdown(NOT_MARKDOWN[name])


def test_piped_short_note_is_spooled_as_markdown() -> None:
    """``printf '# Piped\\n\\nhello *world*' | tuireader`` gets a ``.md`` spool file."""
    path = piped.spool(io.BytesIO(b"# Piped\n\nhello *world*"))
    try:
        assert path.suffix == ".md"
    finally:
        piped.discard(path)
