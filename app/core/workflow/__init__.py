"""Workflow definitions: the engine, the office's default flows and their serialisation."""

from app.core.workflow.engine import (
    ANY_ROLE,
    Condition,
    Flow,
    FlowDefinitionError,
    Predicate,
    Step,
    TimeLimit,
    Transition,
    roles,
)
from app.core.workflow.flows import DEFAULT_FLOWS, default_flow
from app.core.workflow.serialize import flow_from_dict, flow_to_dict

__all__ = [
    "ANY_ROLE",
    "Condition",
    "DEFAULT_FLOWS",
    "Flow",
    "FlowDefinitionError",
    "Predicate",
    "Step",
    "TimeLimit",
    "Transition",
    "default_flow",
    "flow_from_dict",
    "flow_to_dict",
    "roles",
]
