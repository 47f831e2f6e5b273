"""The areas' manifests: each area (公文, 报账, and the ones to come) declares itself once, here, in a module
of its own that holds ``MANIFEST``.

A manifest is data: what it names in the layers above (a page, a window, a loader) it names by a
"module:attribute" reference, imported only when it is used, so that core imports nothing of the layers
above it and a start imports no area that it does not show. The main window, the 工作台, the workflow's
own services, the form registry, the models (and so backup and copy) and the demo data read the
manifests; none of them names an area. Adding an area is one package per layer and one manifest here.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.core.workflow.engine import Flow


@dataclass(frozen=True)
class FormEntry:
    """A printable form of the area: its name for `govdesk print`, its title, how it is drawn (data → PDF),
    how what it prints is loaded (a function of (context, record id or period)) and what it takes to say
    what it prints: a record's id, or a period (app.printing.kit.registry.ARGUMENT_HELP names them)."""

    name: str
    title: str
    renderer: str
    loader: str
    arguments: tuple[str, ...] = ("id",)
    # Further period arguments that may be given, at most one (app.printing.kit.registry.FormSpec.optional).
    optional: tuple[str, ...] = ()


@dataclass(frozen=True)
class Opener:
    """A record of this area opened from another area's record (a 督办事项 from a 公文, later from a meeting's
    decision): the button the other record's window shows, who sees it (role codes), and the dialog, made as
    (ctx, actor, (entity type, id), title, parent), that creates the new record linked to it and says so in
    its ``saved``."""

    label: str
    dialog: str
    roles: tuple[str, ...]
    # The steps of the other record at which it is offered (a meeting's 纪要 once it is held); empty: at any.
    states: tuple[str, ...] = ()
    # Opened for one part of the other record (a meeting's decision) from that area's own tab, which passes the
    # part; never offered on the record window's bar.
    per_part: bool = False


@dataclass(frozen=True)
class SearchSpec:
    """A kind of the area's records that 综合查询 finds: its entity type, the code the index keeps it under
    (fixed for good: a database's index holds it), and the source that says what of a record is searched
    ("module:attribute" naming an app.services.search.sources.SearchSource)."""

    entity_type: str
    code: int
    source: str
    # The keys of the flows its records go through (the 状态 filter's steps); empty: every flow of the area.
    flows: tuple[str, ...] = ()
    # Entity types of the record's parts whose files are searched as the record's (a 会议's 议题 and their
    # materials); its source then answers app.services.search.sources.PartFiles.
    file_owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaManifest:
    # The area's package name in every layer (app/services/<key>, app/printing/<key>, app/ui/<key>,
    # app/demo/<key>.py).
    key: str
    label: str
    # Where it stands among the areas: the navigation's order, and the order demo records are drawn in.
    order: int
    # Its entry in the navigation (app/ui/areas.py).
    navigation: str
    # Its records in flows: entity type → what one is called ("请在它自己的窗口中办理").
    entity_types: Mapping[str, str]
    # Its flows, in their current built-in versions (app.core.workflow.flows gathers them).
    flows: tuple[Flow, ...]
    # The module of its mapped classes.
    models: str
    # Its page: a Page made as (ctx, actor, prefs).
    page: str
    # Its record window per entity type: a dialog made as (ctx, actor, record id, parent).
    record_windows: Mapping[str, str]
    # Its demo data: a module with FLOWS and RECORD_TIMES, and SETTINGS and settle() where it has them
    # (app.demo.flows).
    demo: str
    forms: tuple[FormEntry, ...] = field(default=())
    # The superseded built-in versions that records begun on them still run on.
    past_flows: tuple[Flow, ...] = field(default=())
    # Records of this area opened from another area's records, by the other record's entity type.
    opened_from: Mapping[str, Opener] = field(default_factory=dict)
    # Its records that 综合查询 finds.
    searches: tuple[SearchSpec, ...] = field(default=())

    @property
    def flow_keys(self) -> tuple[str, ...]:
        return tuple(flow.key for flow in self.flows)


def resolve(reference: str) -> Any:
    """What a "module:attribute" reference names (a module for a bare module name), imported now."""
    module_name, _, attribute = reference.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


@functools.cache
def manifests() -> tuple[AreaManifest, ...]:
    """Every area's manifest, in the areas' order: one per module of this package."""
    found = [
        importlib.import_module(info.name).MANIFEST
        for info in pkgutil.iter_modules(__path__, __name__ + ".")
    ]
    return tuple(sorted(found, key=lambda manifest: manifest.order))


def entity_types() -> dict[str, str]:
    """Every entity type that an area owns, with what one is called."""
    return {kind: name for manifest in manifests() for kind, name in manifest.entity_types.items()}


def area_of_entity(entity_type: str) -> AreaManifest | None:
    return next((m for m in manifests() if entity_type in m.entity_types), None)


def openers_from(entity_type: str) -> list[Opener]:
    """What a record of this entity type may open in other areas, in the areas' order."""
    return [m.opened_from[entity_type] for m in manifests() if entity_type in m.opened_from]


def search_specs() -> tuple[SearchSpec, ...]:
    """Every searched kind of record, in the areas' order."""
    return tuple(spec for manifest in manifests() for spec in manifest.searches)


def area_of_navigation(key: str) -> AreaManifest | None:
    return next((m for m in manifests() if m.navigation == key), None)
