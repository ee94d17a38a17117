"""The YAML mirror: the same data as parsing the file, used only while the file is unchanged."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuireader.core import yamlmirror
from tuireader.core.config import load_config, save_setting
from tuireader.core.state import ReadingState, _parse_positions
from tuireader.core.themes import MAX_THEME_BYTES, load_themes
from tuireader.core.yamlio import YamlFileError, dump_yaml, read_yaml_file
from tuireader.core.yamlmirror import YamlMirror, json_exact, mirror_file, read_yaml_mirrored

SAMPLES = {
    "mapping": "a: 1\nb: [x, 'y', 2.5, true, null]\nc: {d: {e: -3}}\n",
    "unicode": "name: \"caf\\u00e9 \\u6771 \\U0001F600\"\nnote: |\n  two\n  lines\n",
    "scalars": "- 1e3\n- 0x1F\n- .inf\n- yes\n- ~\n- '2024-01-02'\n",
    "empty": "",
    "list": "- [1, [2, [3]]]\n- {}\n- []\n",
    "dates and int keys": "when: 2024-01-02\n1: one\nstamp: 2024-01-02T03:04:05Z\n",
    "binary and set": "data: !!binary aGVsbG8=\nset: !!set {a, b}\n",
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_mirror_gives_what_parsing_the_file_gives(tmp_path: Path, name: str) -> None:
    """Cold (parsed, then mirrored) and warm (from the mirror): equal to ``read_yaml_file``."""
    path = _write(tmp_path / "file.yaml", SAMPLES[name])
    expected = read_yaml_file(path)
    cold = YamlMirror("test")
    first = cold.read(path)
    cold.save()
    warm = YamlMirror("test")
    second = warm.read(path)
    assert first == expected and second == expected
    assert type(second) is type(expected)
    assert warm.hits == (1 if json_exact(expected) else 0)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )
)
def test_any_dumped_data_comes_back_equal_through_the_mirror(tmp_path: Path, data: Any) -> None:
    """Whatever our dumper writes, the warm mirror reads as the YAML parser does."""
    path = _write(tmp_path / "any.yaml", dump_yaml(data))
    read_yaml_mirrored(path, "any")
    warm = YamlMirror("any")
    assert warm.read(path) == read_yaml_file(path)


def test_only_data_json_holds_exactly_is_mirrored() -> None:
    """Dates, bytes, sets, non-string keys and non-finite floats are parsed every time."""
    assert json_exact({"a": [1, 2.5, "x", None, True, {"b": []}]})
    for value in (dt.date(2024, 1, 2), b"x", {1: "a"}, {"a"}, float("nan"), float("inf"), (1,)):
        assert not json_exact({"k": [value]}), value


def _hit(path: Path, role: str = "test") -> tuple[bool, Any]:
    """Read through a fresh mirror; whether it was a hit, and the data."""
    mirror = YamlMirror(role)
    data = mirror.read(path)
    mirror.save()
    return mirror.hits == 1, data


def test_an_edit_touch_or_same_size_replacement_is_noticed(tmp_path: Path) -> None:
    """Any change of size, times, inode or device makes the mirror parse the file again."""
    path = _write(tmp_path / "config.yaml", "theme: paper\n")
    assert _hit(path) == (False, {"theme": "paper"})
    assert _hit(path) == (True, {"theme": "paper"})
    _write(path, "theme: night\n")  # same size, edited in place
    assert _hit(path) == (False, {"theme": "night"})
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))  # touched
    assert _hit(path) == (False, {"theme": "night"})
    assert _hit(path) == (True, {"theme": "night"})
    # Same size, the old modification time put back (``cp -p``, rsync -t): the change time tells.
    status = path.stat()
    _write(path, "theme: dusky\n")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size and path.stat().st_mtime_ns == status.st_mtime_ns
    assert _hit(path) == (False, {"theme": "dusky"})
    # Replaced by another file of the same size (a new inode), as editors save.
    other = _write(tmp_path / "other.yaml", "theme: light\n")
    os.replace(other, path)
    assert _hit(path) == (False, {"theme": "light"})
    path.unlink()
    with pytest.raises(YamlFileError, match=r"config\.yaml"):
        YamlMirror("test").read(path)


def test_the_size_limit_applies_to_a_mirrored_file(tmp_path: Path) -> None:
    """A file over the caller's limit is refused even when its mirror is warm."""
    path = _write(tmp_path / "big.yaml", "text: " + "x" * 500 + "\n")
    read_yaml_mirrored(path, "test")
    with pytest.raises(YamlFileError, match="larger than the 100 limit"):
        YamlMirror("test").read(path, max_bytes=100)


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff not json",
        b"[1, 2]",
        b'{"format": "someone-else", "version": 1, "entries": {}}',
        b'{"format": "tuireader-yaml-mirror", "version": 99, "entries": {}}',
        b'{"format": "tuireader-yaml-mirror", "version": 1, "entries": []}',
        b'{"format": "tuireader-yaml-mirror", "version": 1, "entries": {"x": NaN}}',
        b"[" * 100_000,
    ],
)
def test_a_corrupt_or_foreign_mirror_is_ignored_and_replaced(
    tmp_path: Path, content: bytes
) -> None:
    """An unusable mirror file reads as empty; the next save replaces it with a good one."""
    path = _write(tmp_path / "state.yaml", "a: 1\n")
    target = mirror_file("test")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    assert _hit(path) == (False, {"a": 1})
    assert json.loads(target.read_text())["format"] == "tuireader-yaml-mirror"
    assert _hit(path) == (True, {"a": 1})


def test_a_wrong_entry_for_the_file_is_not_used(tmp_path: Path) -> None:
    """An entry of another shape, or keyed for another version of the file, is a miss."""
    path = _write(tmp_path / "c.yaml", "a: 1\n")
    name = os.path.abspath(path)
    key = yamlmirror.file_key(path.stat())
    target = mirror_file("test")
    target.parent.mkdir(parents=True, exist_ok=True)
    for entry in ([key], [key, {"a": 2}, 3], [[*key[:-1], key[-1] + 1], {"a": 2}], "x"):
        document = {"format": yamlmirror.FORMAT, "version": yamlmirror.VERSION,
                    "entries": {name: entry}}  # fmt: skip
        target.write_text(json.dumps(document))
        assert _hit(path) == (False, {"a": 1}), entry


def test_the_caller_changing_its_data_does_not_change_the_mirror(tmp_path: Path) -> None:
    """The mirror keeps a copy of what it was given."""
    path = _write(tmp_path / "c.yaml", "a: [1]\n")
    mirror = YamlMirror("test")
    mirror.read(path)["a"].append(2)
    mirror.save()
    assert _hit(path) == (True, {"a": [1]})


def test_saving_a_position_keeps_the_state_mirror_current(tmp_path: Path) -> None:
    """After ``record`` writes state.yaml, the mirror holds what the file reads as."""
    state = ReadingState()
    document = _write(tmp_path / "doc.txt", "one\ntwo\n")
    state.record(document, 2, 10, 0.25, row=1, rows=3)
    hit, data = _hit(state.path, "state")
    assert hit and data == read_yaml_file(state.path)
    again = ReadingState()
    assert again.positions == _parse_positions(read_yaml_file(state.path))
    assert again.position(document) is not None and again.position(document).line == 2
    state.path.write_text("version: 1\npositions: {}\n")  # edited by hand: the YAML wins
    assert ReadingState().position(document) is None


def test_saving_a_setting_keeps_the_config_mirror_current() -> None:
    """``save_setting`` records the new content; the next start reads it without parsing."""
    config = load_config()
    assert config.theme is None
    save_setting("theme", "night")
    path = mirror_file("config")
    assert path.exists()
    hit, data = _hit(Path(os.environ["XDG_CONFIG_HOME"]) / "tuireader" / "config.yaml", "config")
    assert hit and data == {"theme": "night"}
    assert load_config().theme == "night"


def test_themes_through_the_mirror_are_the_themes_parsed(tmp_path: Path) -> None:
    """Loading the themes twice (mirror cold, then warm) gives the same theme set."""
    user = tmp_path / "themes"
    user.mkdir()
    shipped_paper = next(p for p in load_themes().themes.values() if p.name == "paper").path
    assert shipped_paper is not None
    text = shipped_paper.read_text().replace("name: paper", "name: mine")
    _write(user / "mine.yaml", text)
    _write(user / "broken.yaml", "name: [\n")
    cold = load_themes(user_dir=user)
    assert mirror_file("themes").exists()
    warm = load_themes(user_dir=user)
    assert warm == cold and "mine" in warm.themes
    assert any("broken.yaml" in problem for problem in warm.problems)
    assert MAX_THEME_BYTES < yamlmirror.MAX_MIRROR_BYTES
