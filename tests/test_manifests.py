"""Each area declares itself once, in its manifest (app/core/areas/<area>.py), and what used to name every
area reads the manifests instead: a manifest that names something that is not there fails here, and so
does a composition point that names an area again."""

from __future__ import annotations

import ast
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QDialog

from app.core.areas import AreaManifest, area_of_entity, area_of_navigation, entity_types, manifests, resolve
from app.core.workflow import DEFAULT_FLOWS
from app.core.workflow.flows import BUILTIN_FLOWS
from app.demo.flows import FlowDemo
from app.demo.generate import FLOWS
from app.forms import build_registry
from app.models import Base, load_all_models
from app.printing.kit.registry import default_registry
from app.services.workflow.moves import OWN_SERVICES
from app.ui.areas import AREA_BY_KEY
from app.ui.widgets.pages import Page
from tests.helpers.areas import APP, area_of, areas, imported_modules

MANIFESTS = manifests()
IDS = [manifest.key for manifest in MANIFESTS]
# Where the program used to name each area, and now reads the manifests. (The navigation, app/ui/areas.py,
# lists every area the program will have, built or still to come, with what each will hold; a built one's
# flows come from its manifest.)
COMPOSITION = (
    "ui/main_window.py", "ui/workbench/page.py", "services/workflow/moves.py",
    "printing/kit/registry.py", "forms/__init__.py", "demo/generate.py",
)


def test_every_area_has_a_manifest_and_every_manifest_an_area() -> None:
    assert IDS == ["documents", "meetings", "supervision", "petitions", "claims", "information"]
    assert sorted(IDS) == areas()


def test_the_flows_and_entity_types_belong_to_one_area_each() -> None:
    flows = [key for manifest in MANIFESTS for key in manifest.flow_keys]
    assert sorted(flows) == sorted(DEFAULT_FLOWS), "every flow belongs to exactly one area"
    kinds = [kind for manifest in MANIFESTS for kind in manifest.entity_types]
    assert len(kinds) == len(set(kinds))
    assert OWN_SERVICES == entity_types() == {
        "document": "公文", "meeting": "会议", "supervision_item": "督办事项", "petition": "信访件",
        "petition_problem": "排查问题", "claim": "报销单", "information_item": "政务信息",
    }
    assert area_of_entity("claim") is MANIFESTS[4] and area_of_entity("information_item") is MANIFESTS[5]
    assert area_of_entity("study_session") is None


@pytest.mark.parametrize("manifest", MANIFESTS, ids=IDS)
def test_a_manifest_names_what_is_there(manifest: AreaManifest) -> None:
    for layer in ("services", "printing", "ui"):
        assert (APP / layer / manifest.key / "__init__.py").exists(), f"app/{layer}/{manifest.key}/"
    for layer in ("demo", "forms"):
        assert (APP / layer / f"{manifest.key}.py").exists(), f"app/{layer}/{manifest.key}.py"
    assert issubclass(resolve(manifest.page), Page)
    assert set(manifest.record_windows) == set(manifest.entity_types)
    for reference in manifest.record_windows.values():
        assert issubclass(resolve(reference), QDialog)
    assert area_of_navigation(manifest.navigation) is manifest
    assert AREA_BY_KEY[manifest.navigation].flow_keys == manifest.flow_keys


@pytest.mark.parametrize("manifest", MANIFESTS, ids=IDS)
def test_its_models_are_loaded_with_the_rest(manifest: AreaManifest) -> None:
    load_all_models()
    module = resolve(manifest.models)
    tables = {mapped.__table__.name for mapped in vars(module).values()
              if isinstance(mapped, type) and issubclass(mapped, Base) and mapped.__module__ == module.__name__}
    assert tables and tables <= set(Base.metadata.tables)


@pytest.mark.parametrize("manifest", MANIFESTS, ids=IDS)
def test_its_demo_drives_its_flows(manifest: AreaManifest) -> None:
    demo = resolve(manifest.demo)
    assert set(demo.FLOWS) == set(manifest.flow_keys)
    assert all(isinstance(flow, FlowDemo) for flow in demo.FLOWS.values())
    assert all(issubclass(kind, Base) for kind in demo.RECORD_TIMES)
    assert {key: FLOWS[key] for key in manifest.flow_keys} == demo.FLOWS


@pytest.mark.parametrize("manifest", MANIFESTS, ids=IDS)
def test_its_forms_print_with_their_loaders(manifest: AreaManifest) -> None:
    plain, full = default_registry(), build_registry()
    assert manifest.forms
    for form in manifest.forms:
        assert callable(resolve(form.renderer)) and callable(resolve(form.loader))
        assert plain.get(form.name).loader is None and plain.get(form.name).title == form.title
        assert full.get(form.name).loader is not None
        assert full.get(form.name).arguments == form.arguments


def _area_words() -> set[str]:
    words = set()
    for manifest in MANIFESTS:
        words |= {manifest.key, manifest.navigation, *manifest.entity_types, *manifest.flow_keys}
    return words


@pytest.mark.parametrize("path", COMPOSITION)
def test_the_composition_points_name_no_area(path: str) -> None:
    """No import of an area's module and no area's name in code; the manifests say which areas there are."""
    source = APP / path
    imports = [name for name in imported_modules(source) if area_of(name) is not None]
    assert not imports, f"{path} imports {imports}"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
        and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    named = [
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and id(node) not in docstrings and node.value in _area_words()
    ]
    assert not named, f"{path} names {named}"


def test_the_flow_registry_is_what_the_manifests_declare() -> None:
    assert list(DEFAULT_FLOWS.values()) == [flow for manifest in MANIFESTS for flow in manifest.flows]
    versions = {(flow.key, flow.version) for manifest in MANIFESTS for flow in (*manifest.flows, *manifest.past_flows)}
    assert set(BUILTIN_FLOWS) == versions
    assert ("outgoing_document", 1) in versions, "a document begun before 复核 keeps its version"


def test_a_flow_declared_by_two_areas_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core import areas as areas_module
    from app.core.workflow import flows as flow_registry

    twice = (MANIFESTS[0], replace(MANIFESTS[1], flows=(*MANIFESTS[1].flows, MANIFESTS[0].flows[0])))
    monkeypatch.setattr(areas_module, "manifests", lambda: twice)
    with pytest.raises(ValueError, match="outgoing_document"):
        flow_registry._FlowRegistry(flow_registry._current_flows)["reimbursement"]


def test_every_area_is_searched_under_codes_that_never_change() -> None:
    """综合查询's codes are kept in every database's index: they are fixed, one per kind, and each names a source
    of the area's own that reads a batch of its records."""
    from app.core.areas import search_specs
    from app.services.search.sources import searched

    codes = {spec.entity_type: spec.code for spec in search_specs()}
    assert codes == {
        "document": 1, "meeting": 3, "supervision_item": 4, "petition": 5, "claim": 2, "information_item": 6,
    }
    for manifest in MANIFESTS:
        for spec in manifest.searches:
            assert spec.entity_type in manifest.entity_types
            assert spec.source.startswith(f"app.services.{manifest.key}.search:")
    assert set(searched()) == set(codes)


def test_a_searched_kinds_flows_and_file_owning_parts_are_its_areas() -> None:
    """The flows a searched kind names are its area's, and a kind whose parts own files has a source that says
    which parts are whose (else their files would go unsearched without a word)."""
    from app.services.search.sources import PartFiles, searched

    for manifest in MANIFESTS:
        flow_keys = {flow.key for flow in manifest.flows}
        for spec in manifest.searches:
            assert set(spec.flows) <= flow_keys, spec
            if spec.file_owners:
                assert isinstance(searched()[spec.entity_type][1], PartFiles), spec
                assert not set(spec.file_owners) & {s.entity_type for s in manifest.searches}, spec
