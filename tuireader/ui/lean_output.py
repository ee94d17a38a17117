"""Fewer bytes to the terminal over SSH: only what changed on the screen, said briefly.

Textual repaints whole regions with every style in full; scrolling the reading
pane by a line rewrites all of it.  Over a slow link every byte is latency, so
the SSH profile's driver passes each frame through a ``FrameWriter``
(``frame_model``), which remembers the screen the terminal shows and sends only
the difference (scrolling a band of rows with the terminal's scroll region when
that is cheaper).  Frames that change nothing send nothing, not even the
synchronized-update brackets around them.

Anything else written (modes, titles, the clipboard) passes unchanged; what may
change the screen (clearing, the alternate screen) makes every cell unknown, as
does a change of the terminal's size, so the next frame repaints in full.
The default profile keeps Textual's own driver.
"""

from __future__ import annotations

import re

from textual.drivers.linux_driver import LinuxDriver

from tuireader.ui.frame_model import FrameWriter, is_frame

SYNC_START = "\x1b[?2026h"
SYNC_END = "\x1b[?2026l"
_CHANGES_SCREEN = re.compile(r"\x1b\[[0-9;]*[JKLMPSTX@r]|\x1b\[\?(?:1049|1047|47)[hl]|\x1bc")
_KEEPS_PLACE = re.compile(r"(?:\x1b\[\?[0-9;]*[hl]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))*")
"""Modes and titles: they move no cursor and change no style."""


class LeanOutput:
    """Turns the driver's writes into brief ones (no Textual calls: testable alone)."""

    def __init__(self) -> None:
        """Nothing known about the terminal yet."""
        self.frames: FrameWriter | None = None
        self.held = ""
        """A synchronized-update start not sent yet: dropped with its end if the frame is empty."""
        self.cursor_shown = True
        """Textual hides the terminal's cursor (it draws its own); then frames need not place it."""

    def write(self, data: str, size: tuple[int, int]) -> str:
        """What to send for ``data`` on a terminal of ``size`` (width, height)."""
        if data == SYNC_START:
            self.held = data
            return ""
        if data == SYNC_END and self.held:
            self.held = ""
            return ""
        if is_frame(data):
            return self._frame(data, size)
        held, self.held = self.held, ""
        shows = _cursor_shown(data, self.cursor_shown)
        frames = self.frames
        if frames is not None:
            if _CHANGES_SCREEN.search(data):
                frames.forget()
            elif not _KEEPS_PLACE.fullmatch(data):
                frames.style = None  # anything else: say the style and place afresh
                frames.cursor = (None, None)
            elif shows and not self.cursor_shown:
                self.cursor_shown = shows
                return held + frames.place_cursor() + data
        self.cursor_shown = shows
        return held + data

    def _frame(self, data: str, size: tuple[int, int]) -> str:
        """A frame's difference from the screen shown, after the held sync start."""
        width, height = size
        frames = self.frames
        if frames is None or (frames.width, frames.height) != (width, height):
            frames = self.frames = FrameWriter(width, height)
        brief = frames.frame(data, place_cursor=self.cursor_shown)
        if not brief:
            return ""
        held, self.held = self.held, ""
        return held + brief


def _cursor_shown(data: str, shown: bool) -> bool:
    """Whether the cursor is shown after ``data`` (the last show or hide in it wins)."""
    at_show = data.rfind("\x1b[?25h")
    at_hide = data.rfind("\x1b[?25l")
    if at_show == at_hide:
        return shown
    return at_show > at_hide


class LeanLinuxDriver(LinuxDriver):
    """Textual's Linux driver, writing each frame through ``LeanOutput``."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """As ``LinuxDriver``, with a frame rewriter."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._lean = LeanOutput()

    def write(self, data: str) -> None:
        """Write only what changes the screen (all of it if the model ever fails)."""
        try:
            brief = self._lean.write(data, self._get_terminal_size())
        except Exception:  # a bug here must cost bytes, never the screen: say it all
            brief = self._lean.held + data
            self._lean = LeanOutput()
        if brief:
            super().write(brief)
