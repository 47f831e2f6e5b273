"""The 信访 flows (DOMAIN.md §4, 《信访工作条例》2022), declared once as data: they drive the services, the 工作台
and both flowcharts.

信访件: 登记 → within 15 days 受理 (the office handles it), 交办 (a unit handles it, with a deadline), 不予受理 or
转送 → 办理, finished within 60 days of acceptance (one extension of at most 30 days, approved by the office's
leaders, with the reason the petitioner is told) → 审核 of the 处理意见书 by a leader → 已答复 (回访; a 复查 may be
asked for within 30 days) → 已办结. A 不满意 回访 sends it back to 办理, handled again or raised to a leader.

首问负责: whoever registers a case answers for it until a recorded hand-over; only they move it on.

复查 and 复核 are records of their own (the 复查复核 flow), opened from the case or the 复查 they review and linked
to it: 受理申请 → 审查办理 → 审核 → 已答复 → 已办结, decided within 30 days of the request.
"""

from __future__ import annotations

from app.core.petitions.limits import (
    ACCEPTANCE_DAYS,
    EXTENSION_MAX_DAYS,
    HANDLING_DAYS,
    REVIEW_DECISION_DAYS,
    REVIEW_REQUEST_DAYS,
)
from app.core.roles import Role
from app.core.workflow.clocks import Clock, ClockExtension
from app.core.workflow.engine import Condition, Flow, Step, TimeLimit, Transition, roles

FLOW_KEY = "petition"
REVIEW_FLOW_KEY = "petition_review"
ENTITY = "petition"

REGISTER, HANDLE, APPROVE, REPLIED = "register", "handle", "approve", "replied"
CONCLUDED, NOT_ACCEPTED, FORWARDED = "concluded", "not_accepted", "forwarded"

OFFICERS = roles(Role.PETITION_OFFICER)
OFFICE_LEADS = roles(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# 首问负责: the case's responsible person moves it; nobody else holds it as a to-do.
RESPONSIBLE = Condition("actor_is_responsible", "==", True)

ACCEPTANCE_CLOCK = Clock("acceptance", "受理时限", REGISTER, REGISTER, TimeLimit(ACCEPTANCE_DAYS, "day"))
HANDLING_CLOCK = Clock(
    "handling", "办理时限", HANDLE, APPROVE, TimeLimit(HANDLING_DAYS, "day"),
    extension=ClockExtension(EXTENSION_MAX_DAYS, OFFICE_LEADS),
)
DECISION_CLOCK = Clock("decision", "复查复核时限", REGISTER, APPROVE, TimeLimit(REVIEW_DECISION_DAYS, "day"))

# The case's handler and an office leader (one an unsatisfied case was raised to) both act at 办理 and 已答复.
HANDLERS = OFFICERS | OFFICE_LEADS

PETITION = Flow(
    key=FLOW_KEY,
    label="信访件",
    start=REGISTER,
    steps=(
        Step(REGISTER, "登记", HANDLERS,
             description="登记信访人、诉求、事实和理由、问题类别和属地；15日内决定受理、交办、转送或不予受理"),
        Step(HANDLE, "办理", HANDLERS,
             description="自行办理或督促承办单位办理，60日内办结；拟写处理意见书"),
        Step(APPROVE, "审核", OFFICE_LEADS, TimeLimit(3, "workday"), description="审核处理意见书"),
        # The 30 days in which the petitioner may ask for a 复查: the office visits them and closes the case.
        Step(REPLIED, "已答复", HANDLERS, TimeLimit(REVIEW_REQUEST_DAYS, "day"),
             description="送达处理意见书，回访信访人；信访人可在30日内请求复查，期满办结"),
        Step(CONCLUDED, "已办结", frozenset(), final=True),
        Step(NOT_ACCEPTED, "不予受理", frozenset(), final=True),
        Step(FORWARDED, "已转送", frozenset(), final=True),
    ),
    transitions=(
        Transition(REGISTER, "accept", HANDLE, "受理", conditions=(RESPONSIBLE,), withdrawable=False),
        Transition(REGISTER, "assign", HANDLE, "交办", conditions=(RESPONSIBLE,), withdrawable=False),
        Transition(REGISTER, "forward", FORWARDED, "转送", conditions=(RESPONSIBLE,), requires_opinion=True,
                   withdrawable=False),
        Transition(REGISTER, "reject", NOT_ACCEPTED, "不予受理", conditions=(RESPONSIBLE,), kind="cancel",
                   requires_opinion=True, withdrawable=False),
        # An assigned case goes to 审核 once its unit has reported how it was handled.
        Transition(HANDLE, "submit", APPROVE, "报送审核", conditions=(RESPONSIBLE,), waits_for="lead"),
        Transition(APPROVE, "sign", REPLIED, "审核通过", withdrawable=False),
        Transition(APPROVE, "return", HANDLE, "退回修改", kind="return", requires_opinion=True),
        Transition(REPLIED, "conclude", CONCLUDED, "办结", conditions=(RESPONSIBLE,), withdrawable=False),
        Transition(REPLIED, "reopen", HANDLE, "重新办理", conditions=(RESPONSIBLE,), kind="return",
                   requires_opinion=True, withdrawable=False),
    ),
    clocks=(ACCEPTANCE_CLOCK, HANDLING_CLOCK),
)

PETITION_REVIEW = Flow(
    key=REVIEW_FLOW_KEY,
    label="复查复核",
    start=REGISTER,
    steps=(
        Step(REGISTER, "受理申请", HANDLERS, description="核对请求是否在期限内提出，决定受理或不予受理"),
        Step(HANDLE, "审查办理", HANDLERS, description="审查原处理意见，拟写复查（复核）意见书"),
        Step(APPROVE, "审核", OFFICE_LEADS, TimeLimit(3, "workday"), description="审核复查（复核）意见书"),
        Step(REPLIED, "已答复", HANDLERS, TimeLimit(REVIEW_REQUEST_DAYS, "day"),
             description="送达意见书，回访信访人；复查意见送达后信访人可在30日内请求复核，期满办结"),
        Step(CONCLUDED, "已办结", frozenset(), final=True),
        Step(NOT_ACCEPTED, "不予受理", frozenset(), final=True),
    ),
    transitions=(
        Transition(REGISTER, "accept", HANDLE, "受理", conditions=(RESPONSIBLE,), withdrawable=False),
        Transition(REGISTER, "reject", NOT_ACCEPTED, "不予受理", conditions=(RESPONSIBLE,), kind="cancel",
                   requires_opinion=True, withdrawable=False),
        Transition(HANDLE, "submit", APPROVE, "报送审核", conditions=(RESPONSIBLE,)),
        Transition(APPROVE, "sign", REPLIED, "审核通过", withdrawable=False),
        Transition(APPROVE, "return", HANDLE, "退回修改", kind="return", requires_opinion=True),
        Transition(REPLIED, "conclude", CONCLUDED, "办结", conditions=(RESPONSIBLE,), withdrawable=False),
        Transition(REPLIED, "reopen", HANDLE, "重新办理", conditions=(RESPONSIBLE,), kind="return",
                   requires_opinion=True, withdrawable=False),
    ),
    clocks=(DECISION_CLOCK,),
)

# 排查化解: a hot problem the screening found (商品房两证办理 in one town, say), assigned to the unit that answers
# for it (谁主管、谁负责) with a deadline; the unit's 联络员 reports, the office closes it.
PROBLEM_FLOW_KEY = "petition_problem"
PROBLEM_ENTITY = "petition_problem"
SOLVED = "solved"

PETITION_PROBLEM = Flow(
    key=PROBLEM_FLOW_KEY,
    label="排查问题",
    start=REGISTER,
    steps=(
        Step(REGISTER, "立项", HANDLERS, TimeLimit(2, "workday"), description="确定问题、责任单位和化解时限"),
        Step(HANDLE, "化解落实", HANDLERS, description="责任单位化解问题并报送化解情况"),
        Step(SOLVED, "已化解", frozenset(), final=True),
    ),
    transitions=(
        Transition(REGISTER, "assign", HANDLE, "交办", withdrawable=False),
        Transition(HANDLE, "solve", SOLVED, "化解办结", waits_for="lead", withdrawable=False),
    ),
)
