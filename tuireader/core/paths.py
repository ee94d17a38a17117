"""Every path tuireader reads or writes, from one place.

User directories follow the XDG base-directory spec through platformdirs, so
tests (and users) redirect them with ``XDG_CONFIG_HOME``, ``XDG_DATA_HOME``,
``XDG_STATE_HOME`` and ``XDG_CACHE_HOME``.  Bundled data (``seeds/`` and
``themes/``) is found inside an installed wheel (``tuireader/_data``) or, for an
editable install or a source checkout, at the top of the project.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "tuireader"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def config_dir() -> Path:
    """The folder holding ``config.yaml`` and user ``themes/``."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The folder holding user data such as ``bookmarks.yaml``."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """The folder holding reading positions and other state."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The folder holding caches (the search index) that may be deleted at will."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The user's ``config.yaml``."""
    return config_dir() / "config.yaml"


def user_themes_dir() -> Path:
    """The folder of the user's own theme files."""
    return config_dir() / "themes"


def default_bookmarks_file() -> Path:
    """Where bookmarks live unless the config or ``--bookmarks`` says otherwise."""
    return data_dir() / "bookmarks.yaml"


def state_file() -> Path:
    """The YAML file of reading positions."""
    return state_dir() / "state.yaml"


def _bundled(name: str) -> Path:
    """Find a bundled folder in a wheel (``_data``) or in the source tree."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def seeds_dir() -> Path:
    """The bundled sample library."""
    return _bundled("seeds")


def bundled_themes_dir() -> Path:
    """The folder of the themes shipped with tuireader."""
    return _bundled("themes")


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name the same file (resolved; compared as given if that fails)."""
    try:
        return first.resolve() == second.resolve()
    except OSError:
        return first == second
