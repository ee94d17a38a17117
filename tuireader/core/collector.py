"""The garbage collector paused while the program starts.

Starting the reader creates a few hundred thousand long-lived objects (Textual,
the app, its styles); the cyclic collector would walk them again and again,
including a full collection, costing tens of milliseconds before the first
paint.  The command line pauses the collector as it starts and resumes it once
the command is under way (the reader: after its first paint; ``list``, which is
brief and makes no reference cycles, only at its end); the objects made until
then are moved to the permanent generation (``gc.freeze``), so later
collections skip them too.  Only a pause made here is resumed here: a program
that imports tuireader (the tests) keeps its collector as it was.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    """Stop automatic collection for start-up (does nothing if it is already off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Freeze what start-up made and collect automatically again, if ``pause_collector`` paused."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
