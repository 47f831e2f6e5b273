"""Where the program finds what it ships (fonts) and where it writes its log: cheap to import, no Qt."""

from __future__ import annotations

import os
from pathlib import Path

from app import APP_NAME

LOG_DIR_ENV = "GOVDESK_LOG_DIR"
CACHE_DIR_ENV = "GOVDESK_CACHE_DIR"
LOG_FILE_NAME = "govdesk.log"


def resources_dir() -> Path:
    """The fonts and their licences, read at run time.

    Installed (`pip install .`), the checkout's top-level resources/ is the package data app/resources
    (setup.py maps it there), and build_installer.spec puts it at the same place in the PyInstaller
    bundle. Run from a source checkout, it is resources/ beside app/.
    """
    package = Path(__file__).resolve().parent
    installed = package / "resources"
    return installed if installed.is_dir() else package.parent / "resources"


def log_dir() -> Path:
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def cache_dir() -> Path:
    """The per-user cache folder (parsed font metrics, rendered icons): anything in it may be deleted."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
