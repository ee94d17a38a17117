"""A pytest plugin (loaded by tests/conftest.py): fail the run when core coverage falls.

pytest-cov measures the whole package (``--cov`` in ``addopts``, branches on, see
``[tool.coverage]`` in pyproject.toml) and prints the table.  Its own
``fail_under`` knows one total only, so this plugin checks ``tuireader/core``
against two floors, set in ``[tool.pytest.ini_options]``:
``core_coverage_lines`` and ``core_coverage_branches`` (percent).  It prints
both figures, and fails the run when either is below its floor.  The floors
apply to a run of the whole suite only (not to ``pytest tests/unit/x.py`` or
``-k``), and not with ``--no-cov``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CORE = Path(__file__).resolve().parent.parent / "tuireader" / "core"
_FIGURES = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the two floors as ini options."""
    parser.addini("core_coverage_lines", "floor for core line coverage, in %", default="0")
    parser.addini("core_coverage_branches", "floor for core branch coverage, in %", default="0")


def _whole_suite(config: pytest.Config) -> bool:
    """Whether this run is the whole test suite (no paths, -k, -m or --lf narrowing it)."""
    option = config.option
    if option.keyword or option.markexpr or option.lf or option.deselect:
        return False
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS:
        return True
    tests = config.rootpath / "tests"
    here = config.invocation_params.dir
    return all((here / arg).resolve() == tests for arg in config.args)


def core_figures(cov: Any) -> tuple[float, float]:
    """(line %, branch %) of tuireader/core in the coverage data of ``cov``."""
    statements = missing = branches = missing_branches = 0
    for path in sorted(CORE.rglob("*.py")):
        numbers = cov._analyze(str(path)).numbers
        statements += numbers.n_statements
        missing += numbers.n_missing
        branches += numbers.n_branches
        missing_branches += numbers.n_missing_branches
    lines = 100.0 * (statements - missing) / statements if statements else 100.0
    branch = 100.0 * (branches - missing_branches) / branches if branches else 100.0
    return lines, branch


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> Any:
    """After pytest-cov has combined and reported the data, check the core floors."""
    result = yield
    config = session.config
    plugin = config.pluginmanager.getplugin("_cov")
    controller = getattr(plugin, "cov_controller", None)
    if controller is None or getattr(controller, "cov", None) is None:
        return result  # --no-cov, or an xdist worker
    if hasattr(config, "workerinput") or config.option.collectonly:
        return result
    lines, branches = core_figures(controller.cov)
    floor_lines = float(config.getini("core_coverage_lines"))
    floor_branches = float(config.getini("core_coverage_branches"))
    below = lines < floor_lines or branches < floor_branches
    if below and _whole_suite(config):
        session.testsfailed += 1
    config.stash[_FIGURES] = (
        f"tuireader/core coverage: lines {lines:.1f} % (floor {floor_lines:g} %), "
        f"branches {branches:.1f} % (floor {floor_branches:g} %)"
        + ("  BELOW THE FLOOR" if below and _whole_suite(config) else "")
    )
    return result


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the core figures under pytest-cov's table."""
    line = config.stash.get(_FIGURES, None)
    if line is not None:
        terminalreporter.write_line(line, red="BELOW" in line, bold=True)
