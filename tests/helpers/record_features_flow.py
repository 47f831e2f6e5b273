"""A small 督办-shaped test flow for the engine's record features (issue 15): a responsible person, recurring
duties, parallel work items that a move waits for, and linked records. It is stored in flow_definitions, as an
administrator's edited flow is, and driven by the generic moves.start and moves.transition. No tests live here."""

from __future__ import annotations

import json
from datetime import date

from app.bootstrap import AppContext
from app.core.workflow import Flow, Step, Transition, flow_to_dict, roles
from app.core.workflow.duties import NEXT_WORKDAY, WEEKLY, Duty
from app.models import FlowDefinition
from app.services.workflow import moves
from tests.helpers.document_office import TODAY, Office, build_office

FLOW_KEY = "record_features_test"
# A record of a flow alone (no area's record behind it): the unit rule decides who sees it.
ENTITY = "task"

SUPERVISION = Flow(
    key=FLOW_KEY,
    label="督办测试流程",
    start="register",
    steps=(
        Step("register", "登记", roles("secretary", "director")),
        Step("handle", "承办", roles("secretary", "director", "deputy_director")),
        Step("review", "审核", roles("director", "deputy_director")),
        Step("closed", "已销号", frozenset(), final=True),
    ),
    transitions=(
        Transition("register", "submit", "handle", "交办"),
        Transition("handle", "report_done", "review", "报请审核", waits_for="all"),
        Transition("handle", "lead_done", "review", "主办办结报审", roles=roles("director"), waits_for="lead"),
        Transition("review", "approve", "closed", "销号"),
        Transition("review", "return", "handle", "退回", kind="return", requires_opinion=True),
    ),
    duties=(
        # 重点督办: the responsible person reports every week while the item is being handled.
        Duty("progress", "进展汇报", "handle", "handle", "responsible", WEEKLY),
        # The lead unit's 联络员 reports within a working day, until the office has reviewed the item.
        Duty("unit_report", "单位汇报", "handle", "review", "unit", NEXT_WORKDAY),
    ),
)


def save_flow(office: Office, flow: Flow = SUPERVISION) -> None:
    with office.ctx.uow() as uow:
        uow.session.add(FlowDefinition(
            flow_key=flow.key, flow_version=flow.version, created_by=office.admin.id,
            definition=json.dumps(flow_to_dict(flow), ensure_ascii=False),
        ))
        uow.commit()


def build(ctx: AppContext) -> Office:
    """The 公文 tests' office (a holder of every role, two 文秘, two 联络员) with the test flow saved."""
    office = build_office(ctx)
    save_flow(office)
    return office


def start_item(office: Office, title: str = "推进城区停车场建设", unit: str = "财政局", by: str = "clerk",
               today: date = TODAY) -> int:
    """An item registered by ``by`` (who becomes responsible) for a unit, at the flow's first step."""
    with office.ctx.uow() as uow:
        instance = moves.start(uow, office.people[by], flow_key=FLOW_KEY, entity_type=ENTITY, title=title,
                               unit_id=office.units[unit], today=today)
        uow.commit()
        return int(instance.id)


def move(office: Office, who: str, instance_id: int, action: str, opinion: str = "",
         today: date = TODAY) -> moves.InstanceInfo:
    return office.run(moves.transition, office.people[who], instance_id, action, opinion, today=today)


def item_at_handle(office: Office, title: str = "推进城区停车场建设", unit: str = "财政局",
                   today: date = TODAY) -> int:
    """An item 交办 to its unit by the clerk: at the 承办 step, its duties started."""
    instance_id = start_item(office, title, unit, today=today)
    move(office, "clerk", instance_id, "submit", today=today)
    return instance_id


def prepare_for_matrix(office: Office) -> dict[str, int]:
    """The records the permission matrix's rows of these features act on (tests/services/test_permission_matrix):
    an item of the 财政局 at 承办, answered for by the clerk, its duties running; a second item of the 财政局 to
    link it to; a 主办 work item of the 财政局 not yet reported, and a 协办 one of the 教育局 reported."""
    from app.services.workflow import parallel

    save_flow(office)
    item = item_at_handle(office, unit="财政局")
    other = start_item(office, "城区停车场收费标准", "财政局")
    lead, assist = office.run(parallel.send_work_items, office.clerk, item, [
        parallel.WorkItemInput("牵头制定方案", unit_id=office.units["财政局"], lead=True),
        parallel.WorkItemInput("配合规划", unit_id=office.units["教育局"]),
    ], TODAY)
    office.run(parallel.report_work_item, office.liaison_edu, assist.id, "规划已完成")
    return {"rf_item": item, "rf_other": other, "rf_lead": lead.id, "rf_reported": assist.id}
