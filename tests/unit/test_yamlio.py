"""Safe YAML reading: any text gives a value or one clean ``YamlFileError``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from tuireader.core import yamlio
from tuireader.core.yamlio import (
    MAX_ALIASES,
    MAX_DEPTH,
    YamlFileError,
    dump_yaml,
    parse_yaml,
    read_yaml_file,
)

_YAML_CHARS = "[]{}:,-&*!|>'\"#%@`? \n\t\r\\abcxyz019.~=<\x00\x07\x85\ufeff"
_YAML_TOKENS = [
    "a: ", "b: ", "- ", "&x ", "*x", "&y ", "*y", "[", "]", "{", "}", ", ", "\n", "  ", "? ",
    "<<: ", "!!str ", "!!int ", "!!python/name:os.system ", "!local ", "|\n", ">-\n", "'",
    '"', "2024-13-45", "1.0e+999", "0x1F", "~", "---\n", "...\n", "%YAML 1.1\n", "#c\n",
]  # fmt: skip
yaml_like_text = st.one_of(
    st.text(alphabet=st.sampled_from(_YAML_CHARS), max_size=120),
    st.lists(st.sampled_from(_YAML_TOKENS), max_size=40).map("".join),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=30,
)


def _parse_or_error(text: str) -> tuple[bool, Any]:
    """(True, value) or (False, message): anything but YamlFileError fails the test."""
    try:
        return True, parse_yaml(text, "f.yaml")
    except YamlFileError as error:
        message = str(error)
        assert message.startswith("f.yaml: ")
        assert "\n" not in message
        return False, message


@given(yaml_like_text)
@example("a: 2024-13-45")  # a ValueError while constructing a date
@example("[" * 5000)
@example("!!int ")  # PyYAML raises IndexError, KeyError, AttributeError on these three
@example("!!bool maybe")
@example("!!timestamp x")
def test_any_text_gives_a_value_or_a_clean_error(text: str) -> None:
    """Random YAML-ish text never raises anything but a one-line YamlFileError."""
    _parse_or_error(text)


@given(values)
def test_dumped_values_read_back_equal(value: Any) -> None:
    """Whatever tuireader dumps, it reads back equal."""
    ok, parsed = _parse_or_error(dump_yaml(value))
    assert ok and parsed == value


@given(st.integers(1, 3 * MAX_DEPTH), st.sampled_from(["[", "{a: ", "- "]))
@example(MAX_DEPTH, "[")
@example(MAX_DEPTH + 1, "{a: ")
@example(MAX_DEPTH + 1, "- ")
def test_nesting_is_limited_by_our_depth(depth: int, opener: str) -> None:
    """Nesting up to MAX_DEPTH levels reads; one level more is refused by our own check."""
    if opener == "[":
        text = "[" * depth + "]" * depth
    elif opener == "{a: ":
        text = "{a: " * (depth - 1) + "1" + "}" * (depth - 1)
    else:  # block sequences, indented
        text = "".join("  " * level + "-\n" for level in range(depth - 1)) + "  " * depth + "x\n"
    ok, result = _parse_or_error(text)
    if depth <= MAX_DEPTH:
        assert ok, result
    else:
        assert not ok and f"nesting deeper than {MAX_DEPTH} levels" in result


def test_depth_just_over_our_limit_is_refused_by_us_not_libyaml() -> None:
    """MAX_DEPTH + 1 levels (well under libyaml's own limit) is refused with our message."""
    text = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    with pytest.raises(YamlFileError, match=f"nesting deeper than {MAX_DEPTH} levels"):
        parse_yaml(text, "f.yaml")
    assert parse_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


@given(st.integers(0, 3 * MAX_ALIASES), st.booleans())
@example(MAX_ALIASES, False)
@example(MAX_ALIASES + 1, True)
def test_aliases_are_counted_and_limited(count: int, nested: bool) -> None:
    """Up to MAX_ALIASES aliases read (each the same object); more are refused."""
    anchor = "&a [x, [y, z]]" if nested else "&a x"
    text = f"base: {anchor}\nrefs: [{', '.join(['*a'] * count)}]\n"
    ok, result = _parse_or_error(text)
    if count <= MAX_ALIASES:
        assert ok and len(result["refs"]) == count
        assert all(ref == result["base"] for ref in result["refs"])
    else:
        assert not ok and f"more than {MAX_ALIASES} aliases" in result


def test_alias_bomb_is_refused_quickly() -> None:
    """A billion-laughs file (12 aliases a level, 10 levels) is refused by the alias limit."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 12)}]")
    with pytest.raises(YamlFileError, match="aliases"):
        parse_yaml("\n".join(lines))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "f.yaml: duplicate key 'a' at line 2, column 1"),
        ("a: [1, 2\n", "f.yaml: line 2, column 1: did not find expected ',' or ']'"),
        ("!!python/object/apply:os.system ['true']\n", "python/object/apply"),
        ("a: 1\n---\nb: 2\n", "f.yaml: line 2, column 1: but found another document"),
        ("when: 2024-13-45\n", "f.yaml: month must be in 1..12"),  # a ValueError inside
        ("line: !!int\n", "f.yaml: a value does not fit its explicit !!type tag"),
        ("ok: !!bool maybe\n", "f.yaml: a value does not fit its explicit !!type tag"),
        ("at: !!timestamp soon\n", "f.yaml: a value does not fit its explicit !!type tag"),
    ],
)
def test_error_messages_name_the_place(text: str, message: str) -> None:
    """Duplicate keys, syntax errors, unsafe tags and two documents give a one-line reason."""
    with pytest.raises(YamlFileError) as caught:
        parse_yaml(text, "f.yaml")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_merge_keys_and_unhashable_keys_are_not_duplicates() -> None:
    """A merge key and its overrides, and complex keys, are not taken for duplicates."""
    assert parse_yaml("base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n") == {
        "base": {"x": 1},
        "child": {"x": 1, "y": 2},
    }
    with pytest.raises(YamlFileError, match="unhashable key"):
        parse_yaml("? [1, 2]\n: value\n")


def test_empty_and_odd_values() -> None:
    """Empty text is None; numbers out of float range are infinite, not an error."""
    assert parse_yaml("") is None
    assert parse_yaml("# only a comment\n") is None
    assert math.isinf(parse_yaml("1.0e+999"))
    assert parse_yaml("1e999") == "1e999"  # YAML 1.1: no dot, not a float


def test_read_yaml_file_errors(tmp_path: Path) -> None:
    """Missing, oversized, non-UTF-8 and BOM-prefixed files."""
    missing = tmp_path / "missing.yaml"
    with pytest.raises(YamlFileError, match=r"missing\.yaml: No such file"):
        read_yaml_file(missing)
    big = tmp_path / "big.yaml"
    big.write_text("".join(f"k{n}: 1\n" for n in range(10)))
    with pytest.raises(YamlFileError, match="file is 60 bytes, larger than the 59 limit"):
        read_yaml_file(big, max_bytes=59)
    assert read_yaml_file(big, max_bytes=60) == {f"k{n}": 1 for n in range(10)}
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(YamlFileError, match=r"latin\.yaml: not valid UTF-8"):
        read_yaml_file(latin)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes("\ufeffa: 1\n".encode())
    assert read_yaml_file(bom) == {"a": 1}
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    assert read_yaml_file(empty) is None


def test_pure_python_loader_is_used_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml the pure-Python strict loader applies the same rules."""
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert parse_yaml("a: [1, 2]\n") == {"a": [1, 2]}
    with pytest.raises(YamlFileError, match="duplicate key"):
        parse_yaml("a: 1\na: 2\n")
    with pytest.raises(YamlFileError, match="nesting deeper"):
        parse_yaml("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    # The pure-Python composer recurses: far deeper nesting overflows before our check.
    with pytest.raises(YamlFileError, match=r"f\.yaml: nesting too deep"):
        parse_yaml("[" * 5000 + "]" * 5000, "f.yaml")


def test_dump_is_block_style_ordered_and_unicode() -> None:
    """Dumps keep key order, write Unicode as itself and use block style."""
    assert dump_yaml({"z": 1, "a": ["é", "—"]}) == "z: 1\na:\n- é\n- —\n"
    assert yamlio.MAX_YAML_BYTES == 16 * 1024 * 1024


def test_limit_messages_say_where() -> None:
    """Alias and depth refusals name the line and column of the offending node."""
    aliases = "base: &a x\nrefs: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(YamlFileError, match=r"aliases, near line 1, column 7$"):
        parse_yaml(aliases, "f.yaml")
    deep = "top:\n  k: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    with pytest.raises(YamlFileError, match=r"levels near line 2, column \d+$"):
        parse_yaml(deep, "f.yaml")


def test_nesting_in_mapping_keys_counts_too() -> None:
    """A complex mapping key nested too deep is refused like a deep value; one level less reads."""
    over = "? " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n: v\n"
    with pytest.raises(YamlFileError, match="nesting deeper"):
        parse_yaml(over)
    ok = "? " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n: v\n"
    with pytest.raises(YamlFileError, match="unhashable key"):  # read fine, then refused as a key
        parse_yaml(ok)


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    """A parse error read from a file names that file."""
    path = tmp_path / "conf.yaml"
    path.write_text("a: [1\n")
    with pytest.raises(YamlFileError) as caught:
        read_yaml_file(path)
    assert str(caught.value).startswith(f"{path}: line 2, column 1: ")


def test_duplicates_are_found_after_merge_keys_and_odd_keys() -> None:
    """A merge key or an unhashable key earlier in a mapping does not stop the duplicate check."""
    with pytest.raises(YamlFileError, match="duplicate key 'a' at line 5, column 3"):
        parse_yaml("base: &b {x: 1}\nchild:\n  <<: *b\n  a: 1\n  a: 2\n")
    with pytest.raises(YamlFileError, match="duplicate key 'a' at line 4"):
        parse_yaml("? [1]\n: list key\na: 1\na: 2\n")


def test_dump_wraps_long_text_at_100_columns() -> None:
    """Long strings are folded near 100 columns (PyYAML's default of 80 folds them before 90)."""
    text = dump_yaml({"note": " ".join(f"word{n}" for n in range(60))})
    widths = [len(line) for line in text.splitlines()]
    assert 100 <= max(widths) < 110  # the width is where a line may break, not a hard limit
    assert parse_yaml(text) == {"note": " ".join(f"word{n}" for n in range(60))}


def test_errors_without_a_source_name_say_string() -> None:
    """Text parsed without naming its source is called '<string>' in the message."""
    with pytest.raises(YamlFileError) as caught:
        parse_yaml("a: [1\n")
    assert str(caught.value).startswith("<string>: line ")


def test_dump_writes_only_what_the_safe_loader_reads() -> None:
    """Python objects are refused, never written with a '!!python/...' tag; a tuple is a list."""
    with pytest.raises(yaml.representer.RepresenterError):
        dump_yaml({"when": object()})
    assert dump_yaml({"tags": ("a", "b")}) == "tags:\n- a\n- b\n"
