"""A small 信访-shaped test flow with two clocks, stored in flow_definitions as an administrator's flow is, and
records on it driven by the generic moves.start / moves.transition.

登记 (信访接待员) → 办理 (文秘人员) → 答复 (信访接待员) → 办结, with 退回登记 (办理 → 登记) and 退回重办 (答复 → 办理).
- 受理时限: 15 days over 登记, no extension, no pause.
- 办理时限: 60 days from entering 办理 until leaving 答复; one extension of up to 30 days approved by the 办公室主任
  or 副主任; it may be paused.
答复 has a step limit of its own (15 days), 登记 one of 3 working days; 办理 none.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from sqlalchemy import insert, select

from app.bootstrap import AppContext
from app.core.roles import Role
from app.core.workflow import Flow, Step, Transition, flow_to_dict, roles
from app.core.workflow.clocks import Clock, ClockExtension
from app.core.workflow.engine import TimeLimit
from app.db.tables import flow_definitions
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves

FLOW_KEY = "test_clocked_petition"
ENTITY = "test_clocked"

ACCEPTANCE = Clock("acceptance", "受理时限", "register", "register", TimeLimit(15, "day"))
HANDLING = Clock(
    "handling", "办理时限", "handle", "reply", TimeLimit(60, "day"),
    extension=ClockExtension(30, frozenset({Role.DIRECTOR.value, Role.DEPUTY_DIRECTOR.value})), pausable=True,
)


def clock_flow() -> Flow:
    petition, secretary = roles(Role.PETITION_OFFICER), roles(Role.SECRETARY)
    return Flow(
        key=FLOW_KEY, label="测试信访", start="register",
        steps=(
            Step("register", "登记", petition, time_limit=TimeLimit(3)),
            Step("handle", "办理", secretary),
            Step("reply", "答复", petition, time_limit=TimeLimit(15, "day")),
            Step("done", "办结", frozenset(), final=True),
        ),
        transitions=(
            Transition("register", "accept", "handle", "受理"),
            Transition("handle", "back", "register", "退回登记", kind="return", requires_opinion=True),
            Transition("handle", "handled", "reply", "办理完毕"),
            Transition("reply", "redo", "handle", "退回重办", kind="return", requires_opinion=True),
            Transition("reply", "reply", "done", "答复"),
        ),
        clocks=(ACCEPTANCE, HANDLING),
    )


def store_clock_flow(uow: UnitOfWork) -> None:
    """The flow saved as version 1 in flow_definitions, once."""
    stored = flow_definitions.c
    if uow.execute(select(stored.id).where(stored.flow_key == FLOW_KEY)).first() is None:
        uow.execute(insert(flow_definitions).values(
            flow_key=FLOW_KEY, flow_version=1, definition=json.dumps(flow_to_dict(clock_flow()), ensure_ascii=False),
        ))


def as_role(role: Role, unit_id: int | None = None) -> Actor:
    """Someone with the role and no account behind them (as the command line acts), for preparing records
    without depending on any real user being still current."""
    return Actor(id=None, username="prepare", full_name="准备", roles=frozenset({role.value}), unit_id=unit_id)


def start_clocked(
    uow: UnitOfWork, starter: Actor, today: date, *, title: str = "群众反映道路破损", unit_id: int | None = None,
    at: str = "register",
) -> int:
    """A record of the clock flow started by ``starter`` on ``today`` and moved on (the same day) to ``at``
    (register, handle or reply). Does not commit."""
    store_clock_flow(uow)
    instance = moves.start(uow, starter, flow_key=FLOW_KEY, entity_type=ENTITY, title=title, unit_id=unit_id,
                           today=today)
    uow.flush()
    path = {"register": [], "handle": ["accept"], "reply": ["accept", "handled"]}[at]
    for action in path:
        mover = as_role(Role.PETITION_OFFICER if action == "accept" else Role.SECRETARY)
        moves.apply_transition(uow, mover, instance, action, today=today)
    uow.flush()
    return int(instance.id)


def new_clocked(ctx: AppContext, starter: Actor, today: date, **kwargs: object) -> int:
    with ctx.uow() as uow:
        instance_id = start_clocked(uow, starter, today, **kwargs)  # type: ignore[arg-type]
        uow.commit()
    return instance_id


def overdue_reading(text: str, today: date) -> str:
    """"已超期N日" for the 办理时限 of a record started on it 70 days before ``today``, N counted from the due date
    the text names: 60 days after the start, or the next working day where that is a weekend or a holiday (so
    not always 10)."""
    found = re.search(r"应于(\d+)年(\d+)月(\d+)日前完成", text)
    assert found, text
    due = date(*(int(part) for part in found.groups()))
    assert today - timedelta(days=10) <= due <= today, text
    return f"已超期{(today - due).days}日"
