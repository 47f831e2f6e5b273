"""The areas (公文, 报账, and the ones to come) meet only through the shared packages and the workflow.

Each layer that has area code keeps one package per area: app/services/<area>, app/printing/<area>,
app/ui/<area>, and a module per area in app/demo/<area>.py and app/forms/<area>.py (the loaders of its forms);
its models are the module its manifest names. An area is every package of app/services that is not shared, so a
new area is held to the rule as soon as it exists. An area's code, in any layer, imports nothing of another
area in any layer; and the shared packages below the UI import no area at all, so that what one area
changes in them can only reach another through an interface both see.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.areas import manifests
from tests.helpers.areas import APP, AREA_LAYERS, SHARED, area_of, areas, imported_modules


def new_path(module: str) -> str:
    return module.replace(".", "/") + ".py"


def area_files(area: str) -> list[Path]:
    files: list[Path] = []
    for layer in AREA_LAYERS:
        package = APP / layer / area
        files += sorted(package.rglob("*.py")) if package.is_dir() else []
        module = APP / layer / f"{area}.py"
        files += [module] if module.exists() else []
    # Its models, wherever its manifest says they are (报账's are app/models/reimbursement.py).
    manifest = next(m for m in manifests() if m.key == area)
    return files + [APP.parent / new_path(manifest.models)]


def test_the_areas_are_found() -> None:
    assert areas() == ["claims", "documents", "information", "meetings", "petitions", "supervision"]
    for area in areas():
        layers = {path.relative_to(APP).parts[0] for path in area_files(area)}
        assert layers == {*AREA_LAYERS, "models"}, f"{area} has no code in {set(AREA_LAYERS) - layers}"


@pytest.mark.parametrize("area", areas())
def test_an_area_imports_no_other_area(area: str) -> None:
    offenders = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path in area_files(area)
        for name in imported_modules(path)
        if area_of(name) not in (None, area)
    ]
    assert not offenders, "areas meet only through the shared packages and the workflow:\n" + "\n".join(offenders)


@pytest.mark.parametrize("layer", ["services", "printing"])
def test_shared_packages_import_no_area(layer: str) -> None:
    offenders = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for package in sorted(SHARED[layer])
        for path in sorted((APP / layer / package).rglob("*.py"))
        for name in imported_modules(path)
        if area_of(name) is not None
    ]
    assert not offenders, "a shared package must not depend on an area:\n" + "\n".join(offenders)


def test_ui_widgets_import_no_area() -> None:
    offenders = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path in sorted((APP / "ui" / "widgets").rglob("*.py"))
        for name in imported_modules(path)
        if area_of(name) is not None
    ]
    assert not offenders, "\n".join(offenders)


def test_the_check_sees_a_reach_into_another_area(tmp_path: Path) -> None:
    """The rule is read from the AST as written: a top-level, an aliased and a lazy import are all found."""
    source = tmp_path / "window.py"
    source.write_text(
        "from app.services.kernel import uow\n"
        "from app.services.documents import records as documents\n"
        "def later():\n"
        "    from app.ui.documents.window import DocumentWindow\n"
        "    import app.printing.documents.notice\n",
        encoding="utf-8",
    )
    found = [area_of(name) for name in imported_modules(source)]
    assert found == [None, "documents", "documents", "documents"]
    assert area_of("app.models.reimbursement") == "claims" and area_of("app.models.workflow") is None
