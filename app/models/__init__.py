"""All ORM models; importing this package registers every table on Base.metadata."""

from app.models.attachments import Attachment
from app.models.audit import AuditEntry, ChangeFeedEntry, Sequence
from app.models.base import Base, RecordMixin
from app.models.documents import (
    Document,
    DocumentArchive,
    DocumentCirculation,
    DocumentCoHandler,
    DocumentCosigner,
    DocumentDistribution,
    DocumentError,
)
from app.models.org import UNIT_KINDS, Role, Unit, User, UserRole
from app.models.reimbursement import Budget, Claim, ClaimLineItem
from app.models.settings import HolidayOverride, Setting
from app.models.workflow import FlowDefinition, Urge, WorkflowHistory, WorkflowInstance

__all__ = [
    "Attachment",
    "AuditEntry",
    "Base",
    "Budget",
    "Claim",
    "ClaimLineItem",
    "ChangeFeedEntry",
    "Document",
    "DocumentArchive",
    "DocumentCirculation",
    "DocumentCoHandler",
    "DocumentCosigner",
    "DocumentDistribution",
    "DocumentError",
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
]
