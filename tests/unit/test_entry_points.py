"""The ways tuireader is started: ``python -m tuireader``, the ``tuireader`` script,
``run_app``, and text piped into the reader on a real (pseudo) terminal."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tuireader.core.config import load_config
from tuireader.ui.app import run_app

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "general-sorkins-admiration.txt"


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command with the test's XDG folders, capturing its output."""
    return subprocess.run(
        list(args), input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_python_dash_m_runs_the_command_line(tmp_path: Path) -> None:
    """``python -m tuireader list DIR --json`` lists the folder; ``--version`` answers."""
    (tmp_path / "note.md").write_text("# A note\n\nText.\n")
    listed = _run(sys.executable, "-m", "tuireader", "list", str(tmp_path), "--json")
    assert listed.returncode == 0, listed.stderr
    assert '"title": "A note"' in listed.stdout
    version = _run(sys.executable, "-m", "tuireader", "--version")
    assert (version.returncode, version.stdout.split()[0]) == (0, "tuireader")


def test_installed_script_lists_themes() -> None:
    """The ``tuireader`` script installed with the package runs ``themes``."""
    script = Path(sys.executable).with_name("tuireader")
    assert script.exists(), "pip install -e . installs the tuireader script"
    result = _run(str(script), "themes")
    assert result.returncode == 0, result.stderr
    names = [line[2:].split()[0] for line in result.stdout.splitlines() if line[:1] in "* "]
    assert {"tuireader-dark", "paper", "night", "high-contrast", "terminal"} <= set(names)
    assert [line for line in result.stdout.splitlines() if line.startswith("*")] == [
        line for line in result.stdout.splitlines() if line.startswith("* tuireader-dark ")
    ]


def test_reader_without_a_terminal_and_bad_paths_say_so_in_one_line(tmp_path: Path) -> None:
    """Without a terminal, or with a file it cannot show, the reader refuses in one line."""
    no_tty = _run(sys.executable, "-m", "tuireader", str(SEED))
    assert no_tty.returncode == 2
    assert no_tty.stderr.startswith("tuireader: the reader needs a terminal")
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01" * 100)
    refused = _run(sys.executable, "-m", "tuireader", str(binary))
    assert (refused.returncode, refused.stderr.count("\n")) == (2, 1)
    assert "binary file skipped" in refused.stderr


def test_run_app_refuses_a_file_it_cannot_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``run_app`` with one unreadable file prints one line and returns 2, starting no UI."""
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01" * 100)
    args = argparse.Namespace(paths=[str(binary)], bookmarks=None, theme=None)
    assert run_app(args, load_config()) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tuireader: {binary}: binary file skipped (") and err.count("\n") == 1


# ---------------------------------------------------------------- on a pseudo-terminal


class _Terminal:
    """A pseudo-terminal, 100x30, that a child process takes as its controlling terminal."""

    def __init__(self) -> None:
        """Open the pair and set the window size."""
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.seen = b""

    def take_as_controlling_terminal(self) -> None:
        """In the child: a new session whose controlling terminal is this one."""
        os.setsid()
        fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)

    def read_until(self, wanted: bytes, limit: float = 30.0) -> None:
        """Read the screen output until ``wanted`` appeared; fail after ``limit`` seconds."""
        deadline = time.monotonic() + limit
        while wanted not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{wanted!r} not shown within {limit:g} s")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    break
        assert wanted in self.seen, f"{wanted!r} not shown before the terminal closed"

    def drain(self, process: subprocess.Popen[bytes], limit: float = 30.0) -> int:
        """Keep reading output until the process exits; its exit status."""
        deadline = time.monotonic() + limit
        while process.poll() is None:
            if time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"tuireader did not exit within {limit:g} s")
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                with contextlib.suppress(OSError):
                    self.seen += os.read(self.master, 65536)
        return process.wait()

    def close(self) -> None:
        """Close both ends."""
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal test: Linux")
def test_text_piped_into_the_reader_is_shown_and_q_quits(tmp_path: Path) -> None:
    """``command | tuireader``: the piped text is shown, keys come from the terminal,
    ``q`` quits with status 0, and the spooled copy of the input is removed."""
    terminal = _Terminal()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("TEXTUAL", None)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tuireader"],
            stdin=subprocess.PIPE,
            stdout=terminal.slave,
            stderr=terminal.slave,
            env=env,
            preexec_fn=terminal.take_as_controlling_terminal,
        )
        assert process.stdin is not None
        process.stdin.write(b"Piped first line\nA second line from the pipe\n")
        process.stdin.close()
        terminal.read_until(b"A second line from the pipe")
        os.write(terminal.master, b"q")
        status = terminal.drain(process)
    finally:
        terminal.close()
    assert status == 0, terminal.seen[-2000:]
    spool = Path(os.environ["XDG_CACHE_HOME"]) / "tuireader" / "stdin"
    assert not spool.exists() or list(spool.iterdir()) == []
