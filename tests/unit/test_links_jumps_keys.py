"""Links (finding, resolving, anchors), the jump list, and checking ``keys:`` from config.yaml."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.config import load_config
from tuireader.core.jumplist import JumpList, Place
from tuireader.core.keymap import check_keymap, parse_keys
from tuireader.core.links import find_anchor, is_external, links_in_line, resolve_link, slugify


def test_links_in_a_markdown_line() -> None:
    """Inline links, autolinks and images in drawing order; plain text has none."""
    line = "See [the *other* part](other.md#part-two), <https://example.org> and ![a map](map.png)."
    links = links_in_line(line)
    assert [(link.label, link.target) for link in links] == [
        ("the other part", "other.md#part-two"),
        ("https://example.org", "https://example.org"),
        ("a map", "map.png"),
    ]
    assert links_in_line("No links [here] at all.") == []
    assert links_in_line("") == []


def test_resolve_link(tmp_path: Path) -> None:
    """Relative paths from the document's folder; #anchors; URLs are external; missing noted."""
    here = tmp_path / "a.md"
    other = tmp_path / "sub" / "b.md"
    other.parent.mkdir()
    here.write_text("x\n")
    other.write_text("y\n")
    found = resolve_link("sub/b.md#Part%20Two", here)
    assert (found.kind, found.path, found.anchor) == ("document", other, "Part Two")
    assert resolve_link("#intro", here) == resolve_link("#intro", here)
    assert resolve_link("#intro", here).kind == "internal"
    assert resolve_link("https://example.org/x", here).url == "https://example.org/x"
    assert resolve_link("mailto:someone@example.org", here).kind == "external"
    assert resolve_link("nope.md", here).kind == "missing"
    assert not is_external("C:/books/x.md") and not is_external("file:///x")


def test_find_anchor() -> None:
    """GitHub slugs (repeats numbered), explicit ids, L42; headings in code fences are skipped."""
    lines = [
        "# Title",
        "```",
        "# Part Two",
        "```",
        "## Part Two!",
        "text",
        "## Part Two",
        "<a id='here'></a> A place",
        "### Notes {#notes}",
    ]
    assert slugify("Part Two!") == "part-two"
    assert find_anchor(lines, "part-two") == 5
    assert find_anchor(lines, "part-two-1") == 7
    assert find_anchor(lines, "Part Two") == 5
    assert find_anchor(lines, "here") == 8
    assert find_anchor(lines, "notes") == 9
    assert find_anchor(lines, "L6") == 6
    assert find_anchor(lines, "nowhere") is None


def test_jump_list_back_and_forward() -> None:
    """Back returns through recorded places; forward returns to where back started."""
    a, b, c = (Place(Path("/d.md"), n) for n in (1, 50, 90))
    other = Place(Path("/e.md"), 3)
    jumps = JumpList()
    assert jumps.back(a) is None
    jumps.record(a)  # jumped from a to b
    jumps.record(b)  # jumped from b to c
    assert jumps.back(c) == b
    assert jumps.back(b) == a
    assert jumps.back(a) is None
    assert jumps.forward(a) == b
    assert jumps.forward(b) == c
    assert jumps.forward(c) is None
    # A new jump after going back drops the places ahead.
    jumps.back(c)
    jumps.record(Place(Path("/d.md"), 51))
    assert jumps.forward(other) is None
    assert jumps.back(other) == Place(Path("/d.md"), 51)


def test_jump_list_limit() -> None:
    """Only the newest places are kept."""
    jumps = JumpList(limit=3)
    for line in range(10):
        jumps.record(Place(Path("/x"), line))
    assert [p.line for p in jumps.places] == [7, 8, 9]


SCREENS = {
    "reader": [
        ("reader.page_down", "space,pagedown,f"),
        ("reader.top", "g,home"),
        ("reader.zoom", "z"),
    ],
    "library": [("library.open", "enter"), ("library.cursor_down", "down")],
}


def test_keymap_applies_known_actions_and_warns_for_unknown_and_clashes() -> None:
    """Known actions are kept; an unknown action or a key another action holds is a warning."""
    result = check_keymap(
        {
            "library.open": "l,enter",
            "reader.page_down": "g",
            "reader.nonsense": "x",
            "library.cursor_down": "j",
        },
        SCREENS,
    )
    assert result.keymap == {"library.open": "l,enter", "library.cursor_down": "j"}
    assert len(result.warnings) == 2
    assert any("unknown action 'reader.nonsense'" in w for w in result.warnings)
    assert any("reader.page_down" in w and "reader.top" in w for w in result.warnings)
    # Moving the other action away first is not a clash.
    swapped = check_keymap({"reader.page_down": "z", "reader.zoom": "Z"}, SCREENS)
    assert swapped.keymap == {"reader.page_down": "z", "reader.zoom": "Z"} and not swapped.warnings


def test_keys_in_config(tmp_path: Path) -> None:
    """``keys:`` is read from config.yaml; entries that are not text are one warning each."""
    config = tmp_path / "config.yaml"
    config.write_text(
        'keys:\n  reader.page_down: "z"\n  library.open: "l, enter"\n  reader.top: [1, 2]\n'
        "  reader.help: '?'\n",
        encoding="utf-8",
    )
    loaded = load_config(config)
    assert loaded.keys == {
        "reader.page_down": "z",
        "library.open": "l,enter",
        "reader.help": "question_mark",
    }
    assert len(loaded.warnings) == 1 and "reader.top" in loaded.warnings[0]
    assert parse_keys(["x"], "c.yaml")[1] == [
        "c.yaml: keys: expected a mapping of SCREEN.ACTION to keys"
    ]
