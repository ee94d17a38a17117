"""What ``tuireader serve`` was asked for, once checked."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ServeOptions:
    """Where to listen, who may come in, and what each tab runs."""

    host: str
    port: int
    token: str | None
    public_url: str | None
    max_tabs: int
    title: str
    child_argv: list[str] = field(default_factory=list)
