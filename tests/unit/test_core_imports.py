"""The core must work without a terminal: importing it must not import textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tuireader.core


def test_core_does_not_import_textual() -> None:
    """Importing every module of tuireader.core (and the CLI) leaves textual unimported."""
    modules = [
        f"tuireader.core.{info.name}" for info in pkgutil.iter_modules(tuireader.core.__path__)
    ]
    modules.append("tuireader.cli")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert len(modules) > 5
    assert result.stdout.strip() == ""
