"""The layers of DESIGN.md: below the UI nothing imports Qt, and imports only point down."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
BELOW_UI = ("core", "db", "models", "services", "printing", "demo")
# What each layer may import from app (besides itself).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "db": {"core", "models"},
    "models": {"core", "db"},
    "services": {"core", "db", "models"},
    "printing": {"core"},
    # Demo data is not a use case: it calls the services as the office's people would.
    "demo": {"core", "db", "models", "services"},
}


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def modules_in(layer: str) -> list[Path]:
    return sorted((APP / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", BELOW_UI)
def test_no_qt_below_the_ui(layer: str) -> None:
    offenders = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path in modules_in(layer)
        for name in imports_of(path)
        if name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6", "qtawesome"}
    ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("layer", BELOW_UI)
def test_imports_point_down(layer: str) -> None:
    offenders = []
    for path in modules_in(layer):
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] != "app" or len(parts) < 2:
                continue
            target = parts[1]
            # app/__init__ (the name and version) and app/paths (where the program's own files are) are leaves
            # that import nothing of the layers: every layer may use them.
            if target in (layer, "__init__", "paths") or target in ALLOWED[layer]:
                continue
            offenders.append(f"{path.relative_to(APP.parent)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_importing_every_service_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, app.services, app.db.backup, app.db.migrate, app.models, app.core.workflow\n"
        "for m in pkgutil.walk_packages(app.services.__path__, 'app.services.'): importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"



# The UI packages whose windows name a service and its arguments (app.ui.widgets.db_call.as_user) instead of
# holding a unit of work themselves. The other packages still open theirs, and move here as they are reworked
# (the 工作台 reads through services, but its arrival check runs in the main window's poll, which hands it the
# poll's unit of work).
UI_THROUGH_SERVICE_CALLS = ("meetings", "search")


def units_of_work_opened(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "uow"
    ]


@pytest.mark.parametrize("package", UI_THROUGH_SERVICE_CALLS)
def test_ui_package_opens_no_unit_of_work(package: str) -> None:
    paths = sorted((APP / "ui" / package).rglob("*.py"))
    offenders = [
        f"{path.relative_to(APP.parent)}:{line} opens a unit of work" for path in paths
        for line in units_of_work_opened(path)
    ]
    # Nor does it take one to hand on: a tab's reading is a service call like any other.
    offenders += [
        f"{path.relative_to(APP.parent)} imports the unit of work" for path in paths
        if "app.services.kernel.uow" in imports_of(path)
    ]
    assert not offenders, "\n".join(offenders)
