"""Piped Markdown (``cat notes.md | tuireader``) is told by its content and rendered."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import reader_ready

import tuireader.cli as cli
import tuireader.core.piped as piped
import tuireader.ui.app as app_module
from tuireader.core.formats.markdown_format import looks_like_markdown
from tuireader.core.formats.registry import format_of, name_by_content
from tuireader.ui.app import TuiReaderApp

NOTES = """# Shopping notes

Some *thoughts* on the [market](https://example.org).

## Fruit

- apples
- pears

Setext title
============

```python
print("hi")
```
"""

PLAIN = {
    "prose": "It was a cold morning.\n\nThe boats came back at dawn - slowly.\n",
    "shell": "#!/bin/sh\n# build it\nmake all\n# then test\nmake test\n# done\n",
    "log": "2024-01-01 started\n- retry 1\n- retry 2\n2024-01-01 stopped\n",
    "one fence": "```\nnot closed, and nothing else\n",
}


def test_content_rule_tells_markdown_from_plain_text() -> None:
    """Headings, lists, links and fences make Markdown; prose, scripts and logs do not."""
    assert looks_like_markdown(NOTES)
    assert looks_like_markdown("---\ntitle: x\n---\nbody\n")
    assert looks_like_markdown("Title\n=====\n\n- one\n- two\n")
    for name, text in PLAIN.items():
        assert not looks_like_markdown(text), name


@pytest.mark.parametrize(("text", "suffix"), [(NOTES, ".md"), (PLAIN["prose"], ".txt")])
def test_piped_input_is_named_by_its_content(
    monkeypatch: pytest.MonkeyPatch, text: str, suffix: str
) -> None:
    """``command | tuireader``: the spooled text gets the suffix of its format, then is removed."""
    seen: dict[str, Any] = {}

    def fake_run_app(args: Any, config: Any) -> int:
        path = Path(args.paths[0])
        seen["path"] = path
        seen["format"] = format_of(path).name
        seen["text"] = path.read_text(encoding="utf-8")
        return 0

    data = io.BytesIO(text.encode("utf-8"))
    monkeypatch.setattr(cli, "_spool_stdin", lambda: piped.spool(data))
    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert cli.main([]) == 0
    assert seen["path"].suffix == suffix and seen["text"] == text
    assert seen["format"] == ("markdown" if suffix == ".md" else "text")
    assert piped.is_piped(seen["path"]) and not seen["path"].exists()


async def test_piped_markdown_renders_and_t_finds_headings(tmp_path: Path) -> None:
    """Once told Markdown, piped text renders headings and code, and t lists the headings."""
    spooled = tmp_path / "standard-input.txt"
    spooled.write_text(NOTES, encoding="utf-8")
    named = name_by_content(spooled)
    assert named.suffix == ".md" and not spooled.exists()
    app = TuiReaderApp(start_file=named)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await reader_ready(pilot)
        assert [(level, text) for _, level, text in reader.headings()] == [
            (1, "Shopping notes"),
            (2, "Fruit"),
            (1, "Setext title"),
        ]
        shown = [reader.view.render_line(y).text.strip() for y in range(reader.view.size.height)]
        assert "Shopping notes" in shown and "# Shopping notes" not in shown
        assert not any(row.startswith("```") for row in shown)
