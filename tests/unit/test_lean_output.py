"""The SSH profile's brief frames paint exactly the cells Textual's frames paint."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import pytest

from tuireader.ui.lean_output import LeanFrames
from tuireader.ui.ssh_profile import cap_frame_rate, lean_output_wanted

ROWS, COLS = 12, 40
_SEQUENCE = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\r|\n|[^\x1b\r\n]")


@dataclass
class Model:
    """A tiny terminal (no autowrap, as Textual sets it): CUP, CUF, ECH, SGR, CR, LF, text."""

    cells: list[list[tuple[object, ...]]] = field(
        default_factory=lambda: [[(" ", "bg:default", (), None)] * COLS for _ in range(ROWS)]
    )
    row: int = 0
    col: int = 0
    style: dict[str, object] = field(default_factory=dict)

    def feed(self, data: str) -> None:
        """Apply a terminal write."""
        for match in _SEQUENCE.finditer(data):
            params, final = match.group(1), match.group(2)
            text = match.group()
            if final == "H":
                row, _, col = (params or "1;1").partition(";")
                self.row, self.col = int(row) - 1, int(col or 1) - 1
            elif final == "C":
                self.col = min(COLS - 1, self.col + int(params or 1))
            elif final == "X":
                erased = (" ", self.style.get("bg", "bg:default"), (), None)  # bg only
                for col in range(self.col, min(COLS, self.col + int(params or 1))):
                    self.cells[self.row][col] = erased
            elif final == "m":
                self._sgr(params)
            elif final is not None:
                continue  # modes and the like: no cell changes
            elif text == "\r":
                self.col = 0
            elif text == "\n":
                self.row = min(ROWS - 1, self.row + 1)
            else:
                self.cells[self.row][self.col] = self._cell(text)
                self.col = min(COLS - 1, self.col + 1)

    def _cell(self, char: str) -> tuple[object, ...]:
        """What a cell looks like: a space shows only its background (and lines, reverse)."""
        bg = self.style.get("bg", "bg:default")
        flags = tuple(sorted(str(flag) for flag in self.style.get("flags", ())))  # type: ignore[attr-defined]
        if char == " ":
            lines = tuple(flag for flag in flags if flag in ("4", "7", "9"))
            return (" ", bg, lines, self.style.get("fg") if "7" in flags else None)
        return (char, self.style.get("fg", "fg:default"), bg, flags)

    def _sgr(self, params: str) -> None:
        """Apply an SGR (colours, flags, reset)."""
        codes = params.split(";") if params else ["0"]
        index = 0
        while index < len(codes):
            code = codes[index]
            if code == "0":
                self.style = {}
            elif code in ("38", "48"):
                size = 3 if codes[index + 1] == "5" else 5
                key = "fg" if code == "38" else "bg"
                self.style[key] = ":".join(codes[index : index + size])
                index += size
                continue
            elif code in ("39", "49"):
                self.style.pop("fg" if code == "39" else "bg", None)
            else:
                flags = set(self.style.get("flags", ()))  # type: ignore[call-overload]
                flags.add(code)
                self.style["flags"] = flags
            index += 1


STYLES = [
    "38;5;252;48;5;234",
    "38;5;252;48;5;16",
    "1;38;5;179;48;5;236",
    "7;38;5;59;48;5;16",
    "4;38;5;252;48;5;234",
    "38;2;10;20;30;48;2;200;210;220",
    "39;49",
    "",
]


def _frame(rng: random.Random) -> str:
    """A Textual-like frame: rows of styled segments, each reset, padded, newline, move."""
    parts = []
    rows = sorted(rng.sample(range(1, ROWS + 1), rng.randint(1, ROWS)))
    for number, row in enumerate(rows):
        col = rng.choice([1, 1, 5])
        parts.append(f"\x1b[{row};{col}H")
        while col <= COLS:
            width = min(COLS - col + 1, rng.randint(1, 25))
            text = "".join(rng.choice("ab ") for _ in range(width))
            if rng.random() < 0.4:
                text = text[: rng.randint(0, width)].ljust(width)  # padding
            style = rng.choice(STYLES)
            parts.append(f"\x1b[{style}m{text}\x1b[0m" if style else text)
            col += width
        if number != len(rows) - 1:
            parts.append("\n")
    return "".join(parts)


@pytest.mark.parametrize("seed", range(8))
def test_lean_frames_paint_the_same_cells(seed: int) -> None:
    """A run of frames, briefly said, leaves the same screen after every frame, in fewer bytes."""
    rng = random.Random(seed)
    plain, lean = Model(), Model()
    frames = LeanFrames()
    written = saved = 0
    for _ in range(30):
        frame = _frame(rng)
        brief = frames.frame(frame)
        plain.feed(frame)
        lean.feed(brief)
        assert lean.cells == plain.cells
        written += len(frame)
        saved += len(frame) - len(brief)
    assert saved > written // 20


def test_textual_rows_lose_repeated_styles_padding_and_newlines() -> None:
    """A row as Textual writes it (captured from a real run) shrinks, painting the same."""
    row = (
        "\x1b[1;1H\x1b[38;5;252;48;5;234m        \x1b[0m\x1b[38;5;252;48;5;234m  \x1b[0m"
        "\x1b[38;5;252;48;5;234mdoor one.\x1b[0m\x1b[38;5;252;48;5;234m" + " " * 20 + "\x1b[0m"
        "\x1b[1;40H\x1b[38;5;59;48;5;16m\u2587\x1b[0m\n\x1b[2;1H\x1b[38;5;252;48;5;234mx\x1b[0m"
    )
    brief = LeanFrames().frame(row)
    assert brief.count("38;5;252;48;5;234") == 2  # once per row, not once per segment
    assert "\x1b[20X\x1b[20C" in brief and " " * 20 not in brief
    assert "\n" not in brief
    plain, lean = Model(), Model()
    plain.feed(row)
    lean.feed(brief)
    assert lean.cells == plain.cells


def test_a_cut_escape_sequence_passes_unchanged() -> None:
    """A write ending inside a sequence is not rewritten, and the next style is sent in full."""
    frames = LeanFrames()
    assert frames.frame("abc\x1b") == "abc\x1b"
    assert frames.frame("\x1b[38;5;1mX") == "\x1b[0;38;5;1mX"


def test_ssh_profile_is_chosen_by_ssh_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """SSH_CONNECTION selects the profile; TUIREADER_FULL_OUTPUT turns it off; FPS capped."""
    assert lean_output_wanted({"SSH_CONNECTION": "1 2 3 4"})
    assert not lean_output_wanted({})
    assert not lean_output_wanted({"SSH_CONNECTION": "1 2 3 4", "TUIREADER_FULL_OUTPUT": "1"})
    monkeypatch.delenv("TEXTUAL_FPS", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "1 2 3 4")
    cap_frame_rate()
    import os

    assert os.environ["TEXTUAL_FPS"] == "20"
    monkeypatch.setenv("TEXTUAL_FPS", "45")
    cap_frame_rate()
    assert os.environ["TEXTUAL_FPS"] == "45"  # the user's own setting wins
