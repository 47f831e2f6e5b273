"""The 会议 flow (DOMAIN.md §2), declared once as data: it drives the services, the 工作台 and both flowcharts.

会前筹备 (the plan's tasks, the agenda, the notice, the seating) → 会议召开 (sign-in) → 会后落实 (the 纪要 goes
on as a 发文, the decisions become supervision items) → 已办结. The office's leaders and its 文秘 may 取消 a
meeting not yet held, with the reason (the 文秘 too: calling a meeting off follows a leader's word, which the reason
records); a meeting opened for sign-in too early goes back to 筹备 with 退回.
"""

from __future__ import annotations

from app.core.roles import Role
from app.core.workflow.engine import Flow, Step, TimeLimit, Transition, roles

FLOW_KEY = "meeting"
ENTITY = "meeting"
# The entity type of a topic's materials (attachments), which the proposing unit adds.
TOPIC_ENTITY = "meeting_topic"

PREPARE, HELD, FOLLOW_UP, CLOSED, CANCELLED = "prepare", "held", "follow_up", "closed", "cancelled"

OFFICE_LEADS = roles(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
OFFICE_STAFF = roles(Role.SECRETARY) | OFFICE_LEADS

MEETING = Flow(
    key=FLOW_KEY,
    label="会议",
    start=PREPARE,
    steps=(
        Step(PREPARE, "会前筹备", OFFICE_STAFF,
             description="确定会议室和参会人员，征集议题，落实会议方案，印发会议通知，排定座次"),
        Step(HELD, "会议召开", OFFICE_STAFF, description="会议签到，统计到会、请假和代会情况"),
        Step(FOLLOW_UP, "会后落实", OFFICE_STAFF, TimeLimit(5, "workday"),
             description="起草会议纪要转入发文办理，议定事项转督查督办"),
        Step(CLOSED, "已办结", frozenset(), final=True),
        Step(CANCELLED, "已取消", frozenset(), final=True),
    ),
    transitions=(
        Transition(PREPARE, "convene", HELD, "开始签到"),
        Transition(PREPARE, "cancel", CANCELLED, "取消会议", roles=OFFICE_LEADS | roles(Role.SECRETARY),
                   kind="cancel", requires_opinion=True, withdrawable=False),
        Transition(HELD, "conclude", FOLLOW_UP, "会议结束", withdrawable=False),
        Transition(HELD, "return", PREPARE, "退回筹备", kind="return", requires_opinion=True),
        Transition(FOLLOW_UP, "finish", CLOSED, "办结", withdrawable=False),
    ),
)
