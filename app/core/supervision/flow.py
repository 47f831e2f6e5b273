"""The 督办事项 flow (DOMAIN.md §3), declared once as data: it drives the services, the 工作台 and both
flowcharts.

立项 → 交办 (the lead and co-units each get their task as a parallel work item; progress reports start, on the
rhythm of the item's 督办类别) → 报请销号, once the 主办's completion report is in → 销号审核 by the office's
leaders → 已销号. A 销号 that needs more work goes back with the reason. The office's leaders may 撤销 an item
that is no longer to be done, with the reason; a 已销号 item is reopened (重新打开) by its own service, with a
reason, since a final step has no moves.
"""

from __future__ import annotations

from app.core.roles import Role
from app.core.workflow.duties import WEEKLY, Duty
from app.core.workflow.engine import Condition, Flow, Step, TimeLimit, Transition, roles

FLOW_KEY = "supervision_item"
ENTITY = "supervision_item"

REGISTER, HANDLE, REVIEW, CLOSED, CANCELLED = "register", "handle", "review", "closed", "cancelled"
# The step a reopened item goes back to.
REOPEN_TO = HANDLE
PROGRESS_DUTY = "progress"

OFFICE_LEADS = roles(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
OFFICE_STAFF = roles(Role.SECRETARY) | OFFICE_LEADS
# 一事一人: the item's responsible person 交办s it and asks for its 销号; nobody else holds it as a to-do.
RESPONSIBLE = Condition("actor_is_responsible", "==", True)

SUPERVISION_ITEM = Flow(
    key=FLOW_KEY,
    label="督办事项",
    start=REGISTER,
    steps=(
        Step(REGISTER, "立项", OFFICE_STAFF, TimeLimit(2, "workday"),
             description="登记事项来源、工作要求、牵头和协办单位、责任人、督办类别和办结时限"),
        Step(HANDLE, "督办落实", OFFICE_STAFF,
             description="承办单位按督办类别报送进展；牵头单位办结后报送办结报告和佐证材料"),
        Step(REVIEW, "销号审核", OFFICE_LEADS, TimeLimit(2, "workday")),
        Step(CLOSED, "已销号", frozenset(), final=True),
        Step(CANCELLED, "已撤销", frozenset(), final=True),
    ),
    transitions=(
        # Neither forward move may be taken back (撤回): 交办 has sent the units their tasks, and the item's
        # deadline, which the service sets on entering 督办落实, is no step's time limit.
        Transition(REGISTER, "assign", HANDLE, "交办", conditions=(RESPONSIBLE,), withdrawable=False),
        Transition(REGISTER, "cancel", CANCELLED, "撤销", roles=OFFICE_LEADS, kind="cancel", requires_opinion=True),
        Transition(HANDLE, "request_close", REVIEW, "报请销号", conditions=(RESPONSIBLE,), waits_for="lead",
                   withdrawable=False),
        Transition(HANDLE, "cancel", CANCELLED, "撤销", roles=OFFICE_LEADS, kind="cancel", requires_opinion=True),
        Transition(REVIEW, "close", CLOSED, "销号"),
        Transition(REVIEW, "return", HANDLE, "退回", kind="return", requires_opinion=True),
    ),
    duties=(
        # The lead unit's 联络员 reports while the item is being carried out, on the rhythm its class sets
        # (app.core.supervision.classes), which the service gives each item when it is 交办. Only then: at
        # 销号审核 the unit has nothing to report, and a 退回 starts the reports again counted from that day
        # (kept running through the review, a returned item's next report was already overdue).
        Duty(PROGRESS_DUTY, "进展报告", HANDLE, HANDLE, "unit", WEEKLY),
    ),
)
