"""Whether this process is a browser tab's reader, and what that changes at start."""

from __future__ import annotations

import os
import sys

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""The driver textual-serve selects for each tab's process through ``TEXTUAL_DRIVER``."""


def served_in_browser() -> bool:
    """Whether this process draws in a browser tab (textual-serve's web driver), not a terminal."""
    return os.environ.get("TEXTUAL_DRIVER", "") == WEB_DRIVER


def enter_served_mode() -> bool:
    """When served, keep standard output for the web driver's protocol; returns whether served.

    The web driver writes its packets to the real stdout file descriptor, so a stray
    ``print`` would corrupt the stream the browser reads: Python-level output goes to
    stderr instead (textual-serve collects it).
    """
    if not served_in_browser():
        return False
    sys.stdout = sys.stderr
    return True
