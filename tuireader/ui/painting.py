"""Letting a screen paint before a worker thread's work competes with it for the GIL.

A worker scanning a file or a folder holds the GIL most of the time; if it
goes on at once after handing the first screenful over, the UI thread paints
that screenful only in the gaps.  ``wait_for_paint``, called from the worker,
returns once the screen has refreshed (or after a short timeout).
"""

from __future__ import annotations

import threading

from textual.dom import DOMNode

FIRST_PAINT_WAIT = 0.5
"""Longest a worker waits for the paint before it goes on."""


def wait_for_paint(node: DOMNode, timeout: float = FIRST_PAINT_WAIT) -> None:
    """From a worker thread: wait until ``node``'s screen has refreshed (at most ``timeout``).

    Raises ``RuntimeError`` (from ``call_from_thread``) when the app is closing.
    """
    painted = threading.Event()
    node.app.call_from_thread(node.call_after_refresh, painted.set)
    painted.wait(timeout)
