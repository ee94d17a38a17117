"""The SSH profile's brief output paints exactly the cells Textual's frames paint.

Every test replays Textual's frames and the brief output through the same small
terminal model (tests/vt_screen.py) and compares the cells after each frame.
"""

from __future__ import annotations

import os
import random

import pytest
from vt_screen import VtScreen

from tuireader.ui.frame_model import FrameWriter, Scroll, apply_frame, blank_screen, find_scroll
from tuireader.ui.lean_output import SYNC_END, SYNC_START, LeanOutput
from tuireader.ui.sgr import blank_style, switch
from tuireader.ui.ssh_profile import cap_frame_rate, lean_output_wanted

COLS, ROWS = 40, 12
TEXT = "#1;38;5;252;48;5;234"
STYLES = [
    "38;5;252;48;5;234",
    "1;38;5;179;48;5;236",
    "7;38;5;59;48;5;16",
    "4;38;5;252;48;5;234",
    "38;2;10;20;30;48;2;200;210;220",
    "",
]


def _row(y: int, cells: list[tuple[str, str]]) -> str:
    """One row as Textual writes it: a move, then each segment in its style, reset."""
    parts = [f"\x1b[{y + 1};1H"]
    for text, style in cells:
        parts.append(f"\x1b[{style}m{text}\x1b[0m" if style else text)
    return "".join(parts)


def _frame(rows: dict[int, list[tuple[str, str]]], cursor: tuple[int, int] = (0, 0)) -> str:
    """Rows joined as Textual's LayoutUpdate joins them, ending with the cursor move."""
    body = "\n".join(_row(y, cells) for y, cells in sorted(rows.items()))
    return body + f"\x1b[{cursor[1] + 1};{cursor[0] + 1}H"


def _random_row(rng: random.Random) -> list[tuple[str, str]]:
    """A row of random segments filling the width; some wide characters, some padding."""
    segments = []
    col = 0
    while col < COLS:
        width = min(COLS - col, rng.randint(1, 20))
        text = "".join(rng.choice("ab  漢") for _ in range(width))
        while sum(2 if char == "漢" else 1 for char in text) > width:
            text = text[:-1]
        text += " " * (width - sum(2 if char == "漢" else 1 for char in text))
        if rng.random() < 0.4:
            text = text[: rng.randint(0, len(text))].replace("漢", "x").ljust(width)
        segments.append((text, rng.choice(STYLES)))
        col += width
    return segments


def _document(rng: random.Random, length: int) -> list[list[tuple[str, str]]]:
    """Lines of a document in a reading pane: text, margins, blank lines."""
    lines = []
    for _ in range(length):
        words = " ".join(rng.choice(["calm", "river", "light", "word", "漢字", "".join(
            rng.choice("abcdefghij") for _ in range(rng.randint(2, 9)))])
                         for _ in range(rng.randint(3, 9)))[:32]
        words = words[:32 - words.count("漢") - words.count("字")]
        cells = len(words) + words.count("漢") + words.count("字")
        lines.append([("  ", STYLES[0]), (words + " " * (37 - cells), STYLES[0])])
    return lines


def _reader_frame(lines: list[list[tuple[str, str]]], top: int, status: str) -> str:
    """A reader screen: a header, the pane showing lines from ``top`` with a scrollbar, a footer."""
    rows = {0: [(status.ljust(COLS), STYLES[1])], ROWS - 1: [("q Quit".ljust(COLS), STYLES[1])]}
    height = ROWS - 2
    thumb = top * height // max(1, len(lines) - height)
    for y in range(height):
        bar = ("▐", STYLES[2]) if y == thumb else (" ", STYLES[2])
        rows[y + 1] = [*lines[top + y], bar]
    return _frame(rows)


class Replay:
    """Textual's frames and the brief output, each shown on its own terminal model."""

    def __init__(self) -> None:
        """Two blank terminals and a writer."""
        self.full = VtScreen(COLS, ROWS)
        self.lean = VtScreen(COLS, ROWS)
        self.writer = FrameWriter(COLS, ROWS)
        self.written = self.sent = 0

    def show(self, frame: str) -> str:
        """Send one frame both ways; the cells must agree; the brief output."""
        brief = self.writer.frame(frame)
        self.full.feed(frame)
        self.lean.feed(brief)
        assert self.lean.cells == self.full.cells
        self.written += len(frame)
        self.sent += len(brief)
        return brief


@pytest.mark.parametrize("seed", range(10))
def test_random_frames_paint_the_same_cells_in_fewer_bytes(seed: int) -> None:
    """Frames repainting random rows (styles, wide characters, padding) look the same, briefly."""
    rng = random.Random(seed)
    replay = Replay()
    replay.show(_frame({y: _random_row(rng) for y in range(ROWS)}))
    for _ in range(25):
        rows = {y: _random_row(rng) for y in rng.sample(range(ROWS), rng.randint(1, 4))}
        replay.show(_frame(rows, (rng.randrange(COLS), rng.randrange(ROWS))))
    assert replay.sent < replay.written * 0.8


@pytest.mark.parametrize("step", [1, 2, 3, -1, -3])
def test_a_scrolled_pane_is_scrolled_by_the_terminal(step: int) -> None:
    """Moving the pane a few lines scrolls a band of rows; only new rows and changes are sent."""
    lines = _document(random.Random(step), 80)
    replay = Replay()
    replay.show(_reader_frame(lines, 30, "line 30"))
    brief = replay.show(_reader_frame(lines, 30 + step, f"line {30 + step}"))
    assert ("S" if step > 0 else "T") in brief.split("\x1b[r")[0]
    assert len(brief) < 100 + 80 * abs(step)  # the new rows, the scrollbar, the status


def test_page_after_page_and_back_looks_the_same() -> None:
    """Pages, lines and jumps in both directions, one after another, paint the same cells."""
    lines = _document(random.Random(7), 200)
    replay = Replay()
    rng = random.Random(3)
    top = 0
    for _ in range(40):
        top = max(0, min(len(lines) - ROWS + 2, top + rng.choice([1, 1, -1, 10, -10, 3, 150])))
        replay.show(_reader_frame(lines, top, f"line {top}"))
    assert replay.sent < replay.written / 2


def test_find_scroll_names_the_band_and_the_shift() -> None:
    """A pane moved up two rows between a fixed header and footer is a scroll of that band."""
    old = [[(str(y % 10) * 1, "a")] * 4 for y in range(10)]
    old = [[(chr(65 + y), "a")] * 4 for y in range(10)]
    new = [old[0], *old[3:9], [("x", "a")] * 4, [("y", "a")] * 4, old[9]]
    new = new[:10]
    plans = find_scroll(old, new)
    assert plans and plans[0].shift == 2 and plans[0].top == 1
    shifted = plans[0].apply(old)
    assert shifted[1:6] == new[1:6]


def test_scroll_apply_leaves_the_rows_scrolled_in_unknown() -> None:
    """After scrolling, the rows the terminal blanked are unknown, so they are always written."""
    screen = [[(str(y), "")] * 3 for y in range(5)]
    after = Scroll(1, 3, -1).apply(screen)
    assert after[2] == screen[1] and after[3] == screen[2] and after[4] == screen[4]
    assert after[1] == blank_screen(3, 1)[0]
    assert Scroll(1, 3, 1).sequence() == "\x1b[2;4r\x1b[1S\x1b[r"


def test_an_unchanged_frame_sends_nothing_not_even_its_brackets() -> None:
    """A frame equal to the screen shown sends no bytes, nor its synchronized-update pair."""
    output = LeanOutput()
    frame = _frame({y: [("calm".ljust(COLS), STYLES[0])] for y in range(ROWS)})
    first = [output.write(part, (COLS, ROWS)) for part in (SYNC_START, frame, SYNC_END)]
    assert first[0] == "" and first[1].startswith(SYNC_START) and first[2] == SYNC_END
    again = [output.write(part, (COLS, ROWS)) for part in (SYNC_START, frame, SYNC_END)]
    assert again == ["", "", ""]


def test_a_resize_or_a_cleared_screen_repaints_every_cell() -> None:
    """After a size change or anything that may clear the screen, the next frame paints it all."""
    frame = _frame({y: [("river".ljust(COLS), STYLES[0])] for y in range(ROWS)})
    output = LeanOutput()
    output.write(frame, (COLS, ROWS))
    assert output.write(frame, (COLS, ROWS)) == ""
    for disturbance in ("\x1b[2J", "\x1b[?1049h"):
        assert output.write(disturbance, (COLS, ROWS)) == disturbance
        fresh = VtScreen(COLS, ROWS)
        fresh.feed(output.write(frame, (COLS, ROWS)))
        expected = VtScreen(COLS, ROWS)
        expected.feed(frame)
        assert fresh.cells == expected.cells
    small = _frame({y: [("light".ljust(30), STYLES[0])] for y in range(10)})
    fresh = VtScreen(30, 10)
    fresh.feed(output.write(small, (30, 10)))
    expected = VtScreen(30, 10)
    expected.feed(small)
    assert fresh.cells == expected.cells


def test_other_writes_pass_unchanged_and_the_style_is_sent_again() -> None:
    """Titles and modes pass through, keeping the known style; other writes make it unknown."""
    output = LeanOutput()
    output.write(_frame({0: [("a" * COLS, STYLES[0])]}), (COLS, ROWS))
    assert output.write("\x1b]2;title\x07", (COLS, ROWS)) == "\x1b]2;title\x07"
    assert output.write("\x1b[?25h", (COLS, ROWS)) == "\x1b[?25h"
    brief = output.write(_frame({0: [("b" + "a" * (COLS - 1), STYLES[0])]}), (COLS, ROWS))
    assert brief == "b\x1b[D"  # the cursor and the style are still known
    assert output.write("\x1b[0m\x1b[?1000h", (COLS, ROWS)) == "\x1b[0m\x1b[?1000h"
    brief = output.write(_frame({0: [("c" + "a" * (COLS - 1), STYLES[0])]}), (COLS, ROWS))
    assert brief == f"\x1b[0;{STYLES[0]}m\x1b[1Hc\x1b[D"


def test_wide_characters_half_overwritten_become_blank() -> None:
    """Writing over half of a wide character blanks its other half, as terminals do."""
    screen = blank_screen(6, 1)
    apply_frame(screen, "\x1b[1;1H漢字ab")
    assert [cell[0] for cell in screen[0]] == ["漢", "", "字", "", "a", "b"]
    apply_frame(screen, "\x1b[1;2Hx")
    assert [cell[0] for cell in screen[0]] == [" ", "x", "字", "", "a", "b"]
    apply_frame(screen, "\x1b[1;3Hy")
    assert [cell[0] for cell in screen[0]] == [" ", "x", "y", " ", "a", "b"]


def test_spaces_need_only_their_background() -> None:
    """Spaces in another foreground are written without a style switch; lines keep theirs."""
    assert blank_style("1;38;5;1;48;5;2") == "48;5;2"
    assert blank_style("38;5;1") == ""
    assert blank_style("4;38;5;1;48;5;2") == "4;38;5;1;48;5;2"
    replay = Replay()
    brief = replay.show(_frame({0: [("ab", "38;5;1;48;5;2"), (" " * 4, "38;5;9;48;5;2"),
                                    ("cd".ljust(COLS - 6), "38;5;1;48;5;2")]}))
    assert "38;5;9" not in brief and brief.count("48;5;2") == 1


def test_style_switches_are_brief() -> None:
    """Adding an attribute or changing a colour needs no reset; dropping one does."""
    assert switch("38;5;1", "38;5;1") == ""
    assert switch("38;5;1;48;5;2", "1;38;5;1;48;5;2") == "\x1b[1m"
    assert switch("38;5;1;48;5;2", "38;5;3;48;5;2") == "\x1b[38;5;3m"
    assert switch("1;38;5;1", "38;5;1") == "\x1b[0;38;5;1m"
    assert switch(None, "38;5;1") == "\x1b[0;38;5;1m"
    assert switch("38;5;1", "") == "\x1b[0m"


def test_ssh_profile_is_chosen_by_ssh_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """SSH_CONNECTION selects the profile; TUIREADER_FULL_OUTPUT turns it off; FPS capped."""
    assert lean_output_wanted({"SSH_CONNECTION": "1 2 3 4"})
    assert not lean_output_wanted({})
    assert not lean_output_wanted({"SSH_CONNECTION": "1 2 3 4", "TUIREADER_FULL_OUTPUT": "1"})
    monkeypatch.delenv("TEXTUAL_FPS", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "1 2 3 4")
    cap_frame_rate()
    assert os.environ["TEXTUAL_FPS"] == "20"
    monkeypatch.setenv("TEXTUAL_FPS", "45")
    cap_frame_rate()
    assert os.environ["TEXTUAL_FPS"] == "45"  # the user's own setting wins


def test_a_hidden_cursor_is_not_placed_until_it_is_shown() -> None:
    """While Textual hides the cursor frames skip its final move; showing it puts it in place."""
    output = LeanOutput()
    assert output.write("\x1b[?25l", (COLS, ROWS)) == "\x1b[?25l"
    terminal = VtScreen(COLS, ROWS)
    terminal.feed(output.write(_frame({0: [("a" * COLS, STYLES[0])]}, (3, 0)), (COLS, ROWS)))
    brief = output.write(_frame({5: [("b" * COLS, STYLES[0])]}, (7, 2)), (COLS, ROWS))
    assert not brief.endswith("H")
    terminal.feed(brief)
    shown = output.write("\x1b[?25h", (COLS, ROWS))
    assert shown.endswith("\x1b[?25h")
    terminal.feed(shown)
    assert (terminal.col, terminal.row) == (7, 2)
    brief = output.write(_frame({6: [("c" * COLS, STYLES[0])]}, (1, 1)), (COLS, ROWS))
    terminal.feed(brief)
    assert (terminal.col, terminal.row) == (1, 1)


async def test_a_failing_model_costs_bytes_not_the_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the frame model raised, the driver writes Textual's own output and starts afresh."""
    from textual.app import App
    from textual.drivers.linux_driver import LinuxDriver

    from tuireader.ui.lean_output import LeanLinuxDriver

    written: list[str] = []
    monkeypatch.setattr(LinuxDriver, "write", lambda self, data: written.append(data))
    driver = LeanLinuxDriver(App())
    monkeypatch.setattr(driver, "_get_terminal_size", lambda: (COLS, ROWS))
    driver.write(SYNC_START)
    assert written == []

    def broken(self: LeanOutput, data: str, size: tuple[int, int]) -> str:
        raise ValueError(data)

    monkeypatch.setattr(LeanOutput, "write", broken)
    frame = _frame({0: [("a" * COLS, STYLES[0])]})
    driver.write(frame)
    assert written == [SYNC_START + frame]
