"""Messages screens post: built, compared and shown like the dataclasses they stand in for."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message

from tuireader.ui import messages
from tuireader.ui.messages import MarkLine, OpenDocument, StepHit, request

MESSAGE_CLASSES = [
    value
    for value in vars(messages).values()
    if isinstance(value, type) and issubclass(value, Message) and value is not Message
]


def _twin(cls: type[Message]) -> type[Any]:
    """The same fields as a real dataclass (not a message), to compare behaviour with."""
    namespace = {name: cls.__dict__[name] for name in cls.__annotations__ if name in cls.__dict__}
    twin = type(cls.__name__, (), {"__annotations__": dict(cls.__annotations__), **namespace})
    twin.__qualname__ = cls.__qualname__
    return dataclasses.dataclass(twin)


def test_every_message_class_is_made_by_request() -> None:
    """All thirteen messages have the generated methods (and the list is not empty)."""
    assert len(MESSAGE_CLASSES) == 13
    for cls in MESSAGE_CLASSES:
        assert cls.__match_args__ == tuple(cls.__annotations__)  # type: ignore[attr-defined]


@pytest.mark.parametrize("cls", MESSAGE_CLASSES, ids=lambda cls: cls.__name__)
def test_init_eq_and_repr_match_a_dataclass(cls: type[Message]) -> None:
    """Positional and keyword arguments, defaults, equality and repr as ``@dataclass`` gives."""
    twin = _twin(cls)
    required = [field for field in dataclasses.fields(twin) if field.default is dataclasses.MISSING]
    values = [Path(f"/doc{n}.txt") for n in range(len(required))]
    made, expected = cls(*values), twin(*values)
    assert repr(made) == repr(expected)
    for field in dataclasses.fields(twin):
        assert getattr(made, field.name) == getattr(expected, field.name)
    assert made == cls(*values) and made != object()
    if required:
        by_name = dict(zip([field.name for field in required], values, strict=True))
        assert cls(**by_name) == made
        assert cls(**{**by_name, required[0].name: Path("/elsewhere")}) != made
    with pytest.raises(TypeError):
        hash(made)
    # Still a Textual message: sender, time and bubbling set up by Message.__init__.
    assert made.bubble is True and made.time > 0 and made._sender is None


def test_bad_arguments_are_refused_as_a_dataclass_refuses_them() -> None:
    """Missing, extra, unknown and repeated arguments raise ``TypeError``."""
    path = Path("/a.txt")
    assert OpenDocument(path, 3, words=("w",)).words == ("w",)
    assert StepHit().direction == 1 and StepHit(-1).direction == -1
    for attempt in (
        lambda: MarkLine(path),  # type: ignore[call-arg]
        lambda: StepHit(1, 2),  # type: ignore[call-arg]
        lambda: StepHit(directio=1),  # type: ignore[call-arg]
        lambda: StepHit(1, direction=2),  # type: ignore[misc]
    ):
        with pytest.raises(TypeError):
            attempt()


def test_request_on_a_new_message_class() -> None:
    """The decorator works on any message class, with defaults taken from the class body."""

    @request
    class Ping(Message):
        count: int
        label: str = "x"

    ping = Ping(2)
    assert (ping.count, ping.label) == (2, "x")
    assert repr(ping).endswith("Ping(count=2, label='x')")
    assert Ping(2) == Ping(count=2, label="x") != Ping(3)
