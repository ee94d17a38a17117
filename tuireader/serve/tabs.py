"""One browser tab's reader process: started without a shell, ended for sure.

textual-serve's ``AppService`` runs its command through a shell and trusts the app to
quit when asked. Here the reader is started directly (no quoting of paths), in its own
session (a Ctrl+C typed at ``serve`` reaches only ``serve``, which then ends every tab
in order), asked by Linux to die with ``serve`` if ``serve`` itself is killed, and
killed when it does not quit within a grace period.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import signal
import sys
from asyncio.subprocess import PIPE, Process
from typing import Any

from textual_serve.app_service import AppService

STOP_GRACE = 3.0
"""Seconds a tab's reader has to quit when asked before it is killed."""

_PR_SET_PDEATHSIG = 1
_LIBC: Any = None
if sys.platform.startswith("linux"):
    with contextlib.suppress(OSError):
        _LIBC = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to send SIGTERM when ``serve`` goes away."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class TabService(AppService):
    """A textual-serve app service that runs ``argv`` and always reaps its process."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        """Run ``argv`` (a list, no shell); other arguments go to ``AppService``."""
        super().__init__(" ".join(argv), **kwargs)
        self.argv = argv
        self._stopping: asyncio.Task[None] | None = None

    @property
    def process(self) -> Process | None:
        """The reader's process once started."""
        return self._process

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """Start the reader with the web driver's environment, in a session of its own."""
        environment = self._build_environment(width=width, height=height)
        process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=environment,
            start_new_session=True,
            preexec_fn=_die_with_parent if _LIBC is not None else None,
        )
        self._process = process
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the reader to quit, wait a little, then kill it; safe to call more than once."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        """The one stopping sequence."""
        process = self._process
        with contextlib.suppress(asyncio.TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(super().stop(), STOP_GRACE)
        if process is None:
            return
        try:
            await asyncio.wait_for(process.wait(), STOP_GRACE)
        except TimeoutError:
            self.kill()
            await process.wait()

    def kill(self) -> None:
        """Kill the reader now (used on the way out, when waiting is no longer possible)."""
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
