"""Parallel work items under one record: several units or people, each with their own task, deadline,
feedback and state, sent at one step. A transition may wait for them (Transition.waits_for): until every
item of the step is done ("all"), or until the 主办 (lead) item is ("lead"). A step where no item was sent
waits for nothing.

The services read the items of the record's current step into PENDING_WORK_FACT, a tuple of
PendingWork, and hand it to the guards with the record's other facts; a flow whose transitions wait for
nothing never needs it read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.core.workflow.engine import PENDING_WORK_FACT

WaitsFor = Literal["", "all", "lead"]
WAITS_FOR: tuple[WaitsFor, ...] = ("", "all", "lead")
WorkItemState = Literal["sent", "reported", "done", "recalled"]
WORK_ITEM_STATE_LABELS: dict[str, str] = {"sent": "办理中", "reported": "已反馈", "done": "已办结", "recalled": "已收回"}

__all__ = ["PENDING_WORK_FACT", "PendingWork", "describe_wait", "describe_waiting", "waiting_on"]


@dataclass(frozen=True)
class PendingWork:
    """One unfinished item, as a guard needs it: whose it is (a unit's or a person's name) and whether it leads."""

    holder: str
    lead: bool


def waiting_on(waits_for: WaitsFor, pending: Sequence[PendingWork]) -> list[PendingWork]:
    """The unfinished items a transition that waits for ``waits_for`` still waits on."""
    if waits_for == "all":
        return list(pending)
    if waits_for == "lead":
        return [p for p in pending if p.lead]
    return []


def describe_wait(waits_for: WaitsFor) -> str:
    """The guard, as a flowchart's branch reads it."""
    return {"all": "各单位均已办结", "lead": "主办单位已办结"}.get(waits_for, "")


def describe_waiting(waits_for: WaitsFor, pending: Sequence[PendingWork]) -> str:
    """Why a transition cannot be taken yet, naming who has not finished."""
    names = "、".join(dict.fromkeys(p.holder for p in waiting_on(waits_for, pending)))
    if waits_for == "lead":
        return f"主办单位{names}尚未办结"
    return f"{names}尚未办结"
