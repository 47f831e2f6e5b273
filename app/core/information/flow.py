"""The 政务信息 flow (DOMAIN.md §6), declared once as data: it drives the services, the 工作台 and both flowcharts.

An item or a research article is written by its author (撰写), who 报送s it to the office's editors (文秘人员,
编审): they compile it into a numbered issue of 《政务信息》 (编入期刊), keep it out of the issue (存档, still counted
for the group's quota and open to adoption by a higher level), or send it back to its author (退回修改).

Adoption by a higher level and a leader's 批示 are facts recorded on the item at any time after 报送; they are
not steps of the flow.
"""

from __future__ import annotations

from app.core.roles import Role
from app.core.workflow.engine import ANY_ROLE, OWNER, Flow, Step, TimeLimit, Transition, roles

FLOW_KEY = "information_item"
ENTITY = "information_item"

DRAFT, SUBMITTED, COMPILED, FILED = "draft", "submitted", "compiled", "filed"

# Who edits 《政务信息》: the office's 文秘人员 (编发信息) hold the to-do; the office's leaders may also act.
EDITORS = roles(Role.SECRETARY, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)

INFORMATION_ITEM = Flow(
    key=FLOW_KEY,
    label="政务信息",
    start=DRAFT,
    steps=(
        Step(DRAFT, "撰写", roles(ANY_ROLE), description="作者撰写信息或调研文章，写好后报送编审"),
        Step(SUBMITTED, "编审", roles(Role.SECRETARY), TimeLimit(5, "workday"),
             description="编审报送的稿件：编入《政务信息》、存档或退回修改"),
        Step(COMPILED, "已编入期刊", frozenset(), final=True),
        Step(FILED, "已存档", frozenset(), final=True),
    ),
    transitions=(
        Transition(DRAFT, "submit", SUBMITTED, "报送", conditions=(OWNER,)),
        Transition(SUBMITTED, "compile", COMPILED, "编入期刊", roles=EDITORS, withdrawable=False),
        Transition(SUBMITTED, "file", FILED, "存档", roles=EDITORS, withdrawable=False),
        Transition(SUBMITTED, "return", DRAFT, "退回修改", roles=EDITORS, kind="return", requires_opinion=True),
    ),
    # The flowchart names the guard of 报送 in the office's words.
    field_labels={"actor_is_owner": "作者本人"},
)
