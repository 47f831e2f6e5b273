"""The areas of the program (公文, 报账, …) and the shared packages each layer gives them, read from app/ itself;
and the modules a source file imports. tests/test_areas.py holds the areas to their rule with these."""

from __future__ import annotations

import ast
from pathlib import Path

from app.core.areas import manifests

APP = Path(__file__).resolve().parents[2] / "app"
# What every area may use, by layer. Each one of these is a package of its layer.
SHARED: dict[str, frozenset[str]] = {
    "services": frozenset({"kernel", "admin", "workflow", "search"}),
    "printing": frozenset({"kit", "admin"}),
    "ui": frozenset({"widgets", "admin", "workbench", "search"}),
}
AREA_LAYERS = ("services", "printing", "ui", "demo", "forms")


def areas() -> list[str]:
    return sorted(
        path.name
        for path in (APP / "services").iterdir()
        if (path / "__init__.py").exists() and path.name not in SHARED["services"]
    )


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, also inside functions (the lazy imports of the windows and forms)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from app.services.documents import records` names a module through the imported name.
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def area_of(module: str) -> str | None:
    """The area a dotted module name belongs to, in whichever layer, or None for shared code."""
    for manifest in manifests():
        if module == manifest.models or module.startswith(manifest.models + "."):
            return manifest.key
    parts = module.split(".")
    if len(parts) < 3 or parts[0] != "app" or parts[1] not in AREA_LAYERS:
        return None
    return parts[2] if parts[2] in areas() else None
