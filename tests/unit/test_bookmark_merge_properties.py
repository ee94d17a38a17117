"""Property test of the bookmarks store's merge: two stores changing one file in any order."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.core.bookmarks.schema import read_bookmark_file
from tuireader.core.bookmarks.store import Bookmark, BookmarkStore

# One operation of one store: ("add", line) | ("remove", which) | ("edit", which) | ("restore", 0)
operation = st.one_of(
    st.tuples(st.just("add"), st.integers(1, 12)),
    st.tuples(st.sampled_from(["remove", "edit", "restore"]), st.integers(0, 9)),
)
plans = st.lists(st.tuples(st.integers(0, 1), operation), max_size=14)


class _Client:
    """One store and what its user did, in a model the file must agree with."""

    def __init__(self, name: str, path: Path) -> None:
        """A store on ``path``; ``name`` tells its notes apart from the other client's."""
        self.name = name
        self.store = BookmarkStore(path)
        self.mine: list[Bookmark] = []
        self.removed: list[Bookmark] = []
        self.count = 0

    def apply(self, document: Path, kind: str, value: int) -> None:
        """Do one operation through the store and record its expected effect."""
        if kind == "add":
            self.count += 1
            self.mine.append(self.store.add(document, value, note=f"{self.name}{self.count}"))
        elif kind == "remove" and self.mine:
            mark = self.mine.pop(value % len(self.mine))
            self.removed.append(self.store.remove(mark.id))
        elif kind == "edit" and self.mine:
            at = value % len(self.mine)
            self.mine[at] = self.store.edit(self.mine[at].id, note=self.mine[at].note + "!")
        elif kind == "restore" and self.removed:
            self.mine.append(self.store.restore(self.removed.pop()))


def _keys(marks: list[Bookmark]) -> Counter[tuple[str, int, str]]:
    """The marks as a multiset of (id, line, note)."""
    return Counter((mark.id, mark.line, mark.note) for mark in marks)


@settings(max_examples=40)
@given(plans)
def test_interleaved_changes_of_two_stores_merge(plan: list[tuple[int, tuple[str, int]]]) -> None:
    """Whatever the order of two stores' changes, the file holds every mark kept, once.

    Each store sees a stale view of the file (the other store changed it since), yet
    no mark is lost or doubled, edits land on the right mark, and both stores and a
    fresh reader agree on the result.
    """
    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / "doc.txt"
        document.write_text("".join(f"line {n} of the document\n" for n in range(1, 13)))
        target = Path(folder) / "bookmarks.yaml"
        clients = [_Client("a", target), _Client("b", target)]
        for who, (kind, value) in plan:
            clients[who].apply(document, kind, value)
        on_disk = read_bookmark_file(target).bookmarks
        expected = _keys(clients[0].mine) + _keys(clients[1].mine)
        assert _keys(on_disk) == expected
        assert max(Counter(mark.id for mark in on_disk).values(), default=1) == 1
        assert _keys(clients[0].store.list()) == _keys(clients[1].store.list()) == expected
