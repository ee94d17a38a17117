"""The SSH profile: whether to save bytes on the way to the terminal (no Textual here).

``SSH_CONNECTION`` (set by sshd) selects it, as it already turns animations off.
``TUIREADER_FULL_OUTPUT`` in the environment turns the byte savings off again.
Imported by ``cli`` before Textual is, so the frame-rate cap takes effect.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

SSH_MAX_FPS = 20
"""Frames a second at most over SSH: a held key then sends at most this many screens."""


def lean_output_wanted(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal is reached over SSH and the byte savings are not turned off."""
    environ = os.environ if environ is None else environ
    return bool(environ.get("SSH_CONNECTION")) and "TUIREADER_FULL_OUTPUT" not in environ


def cap_frame_rate() -> None:
    """Over SSH, ask Textual (not yet imported) for at most ``SSH_MAX_FPS`` frames a second.

    Textual reads ``TEXTUAL_FPS`` once, when imported; a value the user set is kept.
    """
    if lean_output_wanted():
        os.environ.setdefault("TEXTUAL_FPS", str(SSH_MAX_FPS))
