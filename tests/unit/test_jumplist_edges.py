"""The jump list when the reader is standing on the last place recorded."""

from __future__ import annotations

from pathlib import Path

from tuireader.core.jumplist import JumpList, Place

DOC = Path("/books/harbour.txt")


def test_back_from_the_only_place_recorded_goes_nowhere() -> None:
    """Standing on the one place recorded: there is nothing to go back to."""
    jumps = JumpList()
    jumps.record(Place(DOC, 10))
    assert jumps.back(Place(DOC, 10)) is None
    assert jumps.places == (Place(DOC, 10),)


def test_back_from_the_last_place_recorded_skips_it() -> None:
    """Standing on the last place recorded, back goes to the one before, not to itself."""
    jumps = JumpList()
    jumps.record(Place(DOC, 10))
    jumps.record(Place(DOC, 50))
    assert jumps.back(Place(DOC, 50)) == Place(DOC, 10)
    assert jumps.forward(Place(DOC, 10)) == Place(DOC, 50)
    assert jumps.forward(Place(DOC, 50)) is None
    assert jumps.places == (Place(DOC, 10), Place(DOC, 50))
