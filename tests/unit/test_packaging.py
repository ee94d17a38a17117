"""The bundled seeds and themes are found from a built wheel and from an editable install."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, sys\n"
    "{setup}\n"
    "from tuireader.core import paths\n"
    "print(json.dumps({{'module': paths.__file__, 'seeds': str(paths.seeds_dir()),"
    " 'themes': str(paths.bundled_themes_dir())}}))\n"
)


def _build(target: str, out: Path) -> Path:
    """Build a wheel of the given hatch target into ``out`` and return its path."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", target, "-d", str(out)],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def _probe(setup: str, cwd: Path, env_path: str | None = None) -> dict[str, str]:
    """Run a fresh interpreter that imports tuireader after ``setup`` and reports its paths."""
    env = {"PATH": "/usr/bin:/bin"}
    if env_path:
        env["PYTHONPATH"] = env_path
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup)],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def seed_bytes() -> bytes:
    """The seed article as shipped in the repository."""
    return (REPO_ROOT / "seeds" / "general-sorkins-admiration.txt").read_bytes()


def test_wheel_ships_seeds_and_themes(tmp_path: Path, seed_bytes: bytes) -> None:
    """An installed wheel finds seeds/ and themes/ inside the package, byte for byte."""
    wheel = _build("wheel", tmp_path / "dist")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    found = _probe("", cwd=tmp_path, env_path=str(site))
    assert Path(found["module"]).is_relative_to(site)
    seeds = Path(found["seeds"])
    assert seeds == site / "tuireader" / "_data" / "seeds"
    assert (seeds / "general-sorkins-admiration.txt").read_bytes() == seed_bytes
    shipped_themes = sorted(p.name for p in (REPO_ROOT / "themes").glob("*.yaml"))
    assert sorted(p.name for p in Path(found["themes"]).glob("*.yaml")) == shipped_themes


def test_editable_install_uses_source_tree(tmp_path: Path, seed_bytes: bytes) -> None:
    """An editable install imports the source tree and finds the top-level seeds/ and themes/."""
    wheel = _build("wheel:editable", tmp_path / "dist")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    assert list(site.glob("*.pth")), "the editable wheel should add the source tree by a .pth file"
    found = _probe(f"import site; site.addsitedir({str(site)!r})", cwd=tmp_path)
    assert Path(found["module"]).is_relative_to(REPO_ROOT / "tuireader")
    assert Path(found["seeds"]) == REPO_ROOT / "seeds"
    assert Path(found["themes"]) == REPO_ROOT / "themes"
    assert (Path(found["seeds"]) / "general-sorkins-admiration.txt").read_bytes() == seed_bytes
