"""All ORM models, by area.

The areas every start reads (people and units, settings, workflow, audit) are imported with the
package; their tables are declared in Core in app.db.tables, so that the start itself, which works
on those tables, needs neither this package nor SQLAlchemy's ORM. The other areas (attachments, 催办,
公文, 报账 …) are imported the first time one of their models is named (each mapped class costs some
5 ms); `load_all_models()` imports every one, and whatever needs the whole schema (backup, copy,
migrations) calls it first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from app.models.audit import AuditEntry, ChangeFeedEntry, Sequence
from app.models.base import Base, RecordMixin
from app.models.org import UNIT_KINDS, Role, Unit, User, UserRole
from app.models.settings import HolidayOverride, Setting
from app.models.workflow import FlowDefinition, WorkflowHistory, WorkflowInstance

if TYPE_CHECKING:
    from app.models.accountability import AccountabilityRecord
    from app.models.attachments import Attachment
    from app.models.documents import (
        Document,
        DocumentArchive,
        DocumentCoHandler,
        DocumentError,
        DocumentReply,
    )
    from app.models.reimbursement import Budget, Claim, ClaimLineItem
    from app.models.urges import Urge

_AREA_MODULES: dict[str, tuple[str, ...]] = {
    "app.models.accountability": ("AccountabilityRecord",),
    "app.models.attachments": ("Attachment",),
    "app.models.urges": ("Urge",),
    "app.models.documents": (
        "Document", "DocumentArchive", "DocumentCoHandler", "DocumentError", "DocumentReply",
    ),
    "app.models.reimbursement": ("Budget", "Claim", "ClaimLineItem"),
}
_MODULE_OF = {name: module for module, names in _AREA_MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'app.models' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def load_all_models() -> None:
    """Registers every table on Base.metadata: the shared models' and every area's (its manifest names them)."""
    from app.core.areas import manifests

    for module in (*_AREA_MODULES, *(manifest.models for manifest in manifests())):
        importlib.import_module(module)


__all__ = [
    "AccountabilityRecord",
    "Attachment",
    "AuditEntry",
    "Base",
    "Budget",
    "Claim",
    "ClaimLineItem",
    "ChangeFeedEntry",
    "Document",
    "DocumentArchive",
    "DocumentCoHandler",
    "DocumentError",
    "DocumentReply",
    "FlowDefinition",
    "HolidayOverride",
    "RecordMixin",
    "Role",
    "Sequence",
    "Setting",
    "UNIT_KINDS",
    "Unit",
    "Urge",
    "User",
    "UserRole",
    "WorkflowHistory",
    "WorkflowInstance",
    "load_all_models",
]
