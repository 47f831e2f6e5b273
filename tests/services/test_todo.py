"""The to-do query: who must act, what is due within 3 working days, what is overdue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.bootstrap import AppContext
from app.core.roles import Role
from app.services.kernel.actor import Actor
from app.services.workflow import moves as workflow
from app.services.workflow import todo
from tests.helpers import add_unit, add_user, set_unit_head


def start(ctx: AppContext, owner: Actor, flow: str, title: str, today: date, unit_id: int | None = None) -> int:
    with ctx.uow() as uow:
        instance = workflow.start(
            uow, owner, flow_key=flow, entity_type="test", title=title, today=today, unit_id=unit_id
        )
        uow.commit()
        return instance.id


def titles(items: list[todo.TodoItem]) -> list[str]:
    return [i.info.title for i in items]


def test_drafts_belong_to_their_drafter_only(ctx: AppContext) -> None:
    unit = add_unit(ctx, "秘书股", "section")
    mine = add_user(ctx, "mine", [Role.SECRETARY], unit)
    other = add_user(ctx, "other", [Role.SECRETARY], unit)
    start(ctx, mine, "outgoing_document", "我的草稿", date(2026, 11, 27))
    with ctx.uow() as uow:
        assert titles(todo.todo(uow, mine, today=date(2026, 11, 27)).items) == ["我的草稿"]
        assert todo.todo(uow, other, today=date(2026, 11, 27)).items == []


def test_due_soon_and_overdue(ctx: AppContext) -> None:
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    # 拟稿 allows 3 working days. Started 2026-11-02 (Mon): due 11-05.
    start(ctx, clerk, "outgoing_document", "已逾期", date(2026, 11, 2))
    # Started 2026-11-25 (Wed): due 11-30 (Mon), within 3 working days of 11-27 (Fri).
    start(ctx, clerk, "outgoing_document", "即将到期", date(2026, 11, 25))
    # Started 2026-11-27: due 12-02, beyond 3 working days (11-30, 12-01, 12-02 → inclusive edge).
    start(ctx, clerk, "outgoing_document", "时间充裕", date(2026, 12, 20))
    with ctx.uow() as uow:
        result = todo.todo(uow, clerk, today=date(2026, 11, 27))
    assert titles(result.items) == ["已逾期", "即将到期", "时间充裕"]
    assert titles(result.overdue) == ["已逾期"]
    assert titles(result.due_soon) == ["即将到期"]
    assert result.counts_by_flow == {"outgoing_document": 3}
    assert result.flow_labels["outgoing_document"] == "发文办理"


def test_review_waits_for_the_office_leads_not_the_clerks(ctx: AppContext) -> None:
    unit = add_unit(ctx, "秘书股", "section")
    clerk = add_user(ctx, "clerk", [Role.SECRETARY], unit)
    lead = add_user(ctx, "lead", [Role.DEPUTY_DIRECTOR], unit)
    leader = add_user(ctx, "leader", [Role.COUNTY_LEADER])
    doc = start(ctx, clerk, "outgoing_document", "待核稿", date(2026, 11, 27))
    with ctx.uow() as uow:
        workflow.transition(uow, clerk, doc, "submit", today=date(2026, 11, 27))
    with ctx.uow() as uow:
        assert titles(todo.todo(uow, lead, today=date(2026, 11, 27)).items) == ["待核稿"]
        assert todo.todo(uow, clerk, today=date(2026, 11, 27)).items == []
        assert todo.todo(uow, leader, today=date(2026, 11, 27)).items == []


def test_department_review_waits_for_the_unit_head(ctx: AppContext) -> None:
    unit = add_unit(ctx, "综合股", "section")
    claimant = add_user(ctx, "claimant", [Role.SECRETARY], unit)
    head = add_user(ctx, "head", [Role.SECRETARY], unit)
    bystander = add_user(ctx, "bystander", [Role.SECRETARY], unit)
    set_unit_head(ctx, unit, head.id)
    claim = start(ctx, claimant, "reimbursement", "差旅费报销", date(2026, 11, 27))
    with ctx.uow() as uow:
        workflow.transition(uow, claimant, claim, "submit", facts={"amount": Decimal("820.00"), "no_unit_reviewer": False})
    with ctx.uow() as uow:
        assert titles(todo.todo(uow, head, today=date(2026, 11, 27)).items) == ["差旅费报销"]
        assert todo.todo(uow, bystander, today=date(2026, 11, 27)).items == []
        assert todo.todo(uow, claimant, today=date(2026, 11, 27)).items == []


def test_liaison_sees_only_their_units_items(ctx: AppContext) -> None:
    finance = add_unit(ctx, "县财政局")
    education = add_unit(ctx, "县教育局")
    ours = add_user(ctx, "ours", [Role.LIAISON], finance)
    theirs = add_user(ctx, "theirs", [Role.LIAISON], education)
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    with ctx.uow() as uow:
        instance = workflow.start(
            uow, clerk, flow_key="incoming_document", entity_type="test", title="关于报送年度预算的通知",
            unit_id=finance,
        )
        instance.state = "handle"
        uow.commit()
    with ctx.uow() as uow:
        assert titles(todo.todo(uow, ours).items) == ["关于报送年度预算的通知"]
        assert todo.todo(uow, theirs).items == []


def test_an_assigned_item_goes_to_the_named_person(ctx: AppContext) -> None:
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    named = add_user(ctx, "named", [Role.SECRETARY])
    other = add_user(ctx, "other", [Role.SECRETARY])
    with ctx.uow() as uow:
        instance = workflow.start(uow, clerk, flow_key="incoming_document", entity_type="test", title="请登记")
        instance.assignee_id = named.id
        uow.commit()
    with ctx.uow() as uow:
        assert titles(todo.todo(uow, named).items) == ["请登记"]
        assert todo.todo(uow, other).items == []
        assert todo.todo(uow, clerk).items == []


def test_scheduled_urging_hastens_each_overdue_item_once_a_day(ctx: AppContext) -> None:
    from app.core.errors import PermissionDenied
    from app.services.workflow import urges

    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    leader = add_user(ctx, "leader", [Role.COUNTY_LEADER])
    late = start(ctx, clerk, "outgoing_document", "已逾期", date(2026, 11, 2))
    start(ctx, clerk, "outgoing_document", "未到期", date(2026, 11, 27))
    with ctx.uow() as uow:
        assert urges.urge_overdue(uow, clerk, today=date(2026, 11, 27)) == 1
    with ctx.uow() as uow:
        assert urges.urge_overdue(uow, clerk, today=date(2026, 11, 27)) == 0
    with ctx.uow() as uow:
        records = urges.urges_for(uow, late)
    assert [(u.method, u.by_name) for u in records] == [("系统提醒", "clerk")]
    assert "已超过办理时限（2026-11-05）" in records[0].note
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        urges.urge_overdue(uow, leader, today=date(2026, 11, 27))
