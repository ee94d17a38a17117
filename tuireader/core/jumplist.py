"""The jump list: places the reader jumped from, to go back and forward (vim's Ctrl-O/Ctrl-I).

Links, search hits, ``g``/``G``, the contents and line jumps record the place
left; going back remembers the place you were at, so forward returns to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LIMIT = 100
"""Places kept; the oldest are dropped first."""


@dataclass(frozen=True, slots=True)
class Place:
    """A document and a 1-based line in it."""

    path: Path
    line: int


class JumpList:
    """Places in jump order, with a position among them (at the end unless going back)."""

    def __init__(self, limit: int = LIMIT) -> None:
        """An empty list keeping at most ``limit`` places."""
        self.limit = limit
        self._places: list[Place] = []
        self._index = 0

    @property
    def places(self) -> tuple[Place, ...]:
        """The places kept, oldest first."""
        return tuple(self._places)

    def record(self, place: Place) -> None:
        """A jump leaves ``place``: forget the places ahead and add it (not twice in a row)."""
        del self._places[self._index :]
        if not self._places or self._places[-1] != place:
            self._places.append(place)
        del self._places[: max(0, len(self._places) - self.limit)]
        self._index = len(self._places)

    def back(self, current: Place) -> Place | None:
        """The place before; ``current`` is kept so ``forward`` returns to it."""
        if self._index == 0:
            return None
        if self._index == len(self._places):
            if self._places[-1] == current:
                if self._index == 1:
                    return None
                self._index -= 1
            else:
                self._places.append(current)
        else:
            self._places[self._index] = current
        self._index -= 1
        return self._places[self._index]

    def forward(self, current: Place) -> Place | None:
        """The place after (where ``back`` came from), if any."""
        if self._index + 1 >= len(self._places):
            return None
        self._places[self._index] = current
        self._index += 1
        return self._places[self._index]
