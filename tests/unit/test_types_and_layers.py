"""The layers and the types are checked by the test command: import-linter and strict mypy."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE = REPO_ROOT / "tuireader"
MAX_MODULE_LINES = 500


def _tool(name: str) -> str:
    """The path of a console script installed beside this interpreter."""
    return shutil.which(name) or str(Path(sys.executable).parent / name)


def test_import_contracts_are_kept() -> None:
    """``lint-imports``: cli -> ui -> core, core never imports textual, screens independent."""
    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_mypy_strict_is_clean() -> None:
    """``mypy`` with ``strict = true`` (configured in pyproject.toml) finds nothing."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _module_name(path: Path) -> str:
    """``tuireader/core/search/index.py`` -> ``tuireader.core.search.index``."""
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every tuireader module a file imports, at the top or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("tuireader")}


def test_no_import_cycles_counting_imports_inside_functions() -> None:
    """No module reaches itself through tuireader imports, wherever the import stands."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {
        name: {target for target in _imports(path) if target in modules and target != name}
        for name, path in modules.items()
    }
    # a package's __init__ is not an edge source unless it imports something itself
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert cycles == []


def test_no_module_over_the_limit() -> None:
    """Small modules with one job: none over 500 lines."""
    long = {
        str(path.relative_to(REPO_ROOT)): count
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def _reaches_into_app(node: ast.AST) -> bool:
    """``getattr(self.app, ...)`` or ``setattr(self.app, ...)`` (or on ``app``)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return False
    if node.func.id not in {"getattr", "setattr"} or not node.args:
        return False
    target = ast.unparse(node.args[0])
    return target in {"self.app", "app"}


def test_screens_never_reach_into_the_app() -> None:
    """Screens ask by messages: no ``getattr``/``setattr`` on the app anywhere in the UI."""
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{node.lineno}"
        for path in (PACKAGE / "ui").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _reaches_into_app(node)
    ]
    assert offenders == []


def test_the_app_check_sees_a_reach() -> None:
    """The check above recognises the pattern it forbids."""
    tree = ast.parse("x = getattr(self.app, 'state', None)\nsetattr(app, 'flow', 1)")
    assert sum(_reaches_into_app(node) for node in ast.walk(tree)) == 2


def test_few_type_ignores_in_the_ui() -> None:
    """At most two ``type: ignore`` comments in the UI, each justified by a comment."""
    found = [
        line
        for path in (PACKAGE / "ui").rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "type: ignore" in line
    ]
    assert len(found) <= 2
