"""代理/委托: a person names a colleague and a period; inside it their to-dos show for the colleague, marked, and
what the colleague does is recorded as done on their behalf; outside it, nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.db.tables import users
from app.services.workflow import delegation, detail, urges
from tests.helpers.document_office import Office, build_office
from tests.helpers.worklist_flow import (
    move,
    save_test_flow,
    snapshot,
    start_record,
    todo_items,
    todo_titles,
    trail,
)

# The windows read the period against the real date: the periods here are around it.
DAY = date.today()
AFTER = DAY + timedelta(days=10)
TITLE = "关于冬季防火的请示"


@pytest.fixture
def office(ctx: AppContext) -> Office:
    o = build_office(ctx)
    save_test_flow(o)
    return o


def _delegate(o: Office, who: object, to: object, starts: date = DAY, ends: date = DAY + timedelta(days=5),
              **more: object) -> delegation.DelegationInfo:
    return o.run(delegation.delegate, who, delegate_id=to.id, starts_on=starts, ends_on=ends,  # type: ignore[attr-defined]
                 reason="外出开会", today=DAY, **more)


def _at_sign_for_mayor(o: Office) -> int:
    record = start_record(o, o.clerk)
    move(o, o.clerk, record, "submit", today=DAY)
    move(o, o.deputy, record, "approve", send_to=o.mayor.id, today=DAY)
    return record


def test_the_delegate_sees_the_principals_to_dos_marked_and_acts_on_their_behalf(office: Office) -> None:
    o = office
    record = _at_sign_for_mayor(o)
    assert todo_titles(o, o.vice, DAY) == []
    _delegate(o, o.mayor, o.vice)
    items = todo_items(o, o.vice, DAY)
    assert [(i.info.title, i.on_behalf_of) for i in items] == [(TITLE, "陈县长")]
    # The mayor still has it; a third leader does not.
    assert [i.on_behalf_of for i in todo_items(o, o.mayor, DAY)] == [""]
    assert todo_titles(o, o.director, DAY) == []
    with o.ctx.uow() as uow:
        assert [a.action for a in detail.instance_detail(uow, o.vice, record).actions] == ["sign", "return"]
    # 签批 needs the principal leader: the vice signs as the mayor's delegate.
    move(o, o.vice, record, "sign", "同意", today=DAY)
    assert trail(o, record)[-1] == ("sign", "刘副县长", "陈县长")
    with o.ctx.uow() as uow:
        assert detail.instance_detail(uow, o.vice, record).history[-1].actor_text == "刘副县长（代陈县长）"


def test_outside_the_period_the_delegate_neither_sees_nor_acts(office: Office) -> None:
    o = office
    record = _at_sign_for_mayor(o)
    _delegate(o, o.mayor, o.vice, starts=DAY + timedelta(days=1), ends=DAY + timedelta(days=3))
    assert todo_titles(o, o.vice, DAY) == []
    assert todo_titles(o, o.vice, AFTER) == []
    assert todo_titles(o, o.vice, DAY + timedelta(days=2)) == [TITLE]
    before = snapshot(o, record)
    for day in (DAY, AFTER):
        with pytest.raises(PermissionDenied, match="此事项在当前环节由陈县长办理"):
            move(o, o.vice, record, "sign", "同意", today=day)
    assert snapshot(o, record) == before


def test_a_revoked_delegation_ends_at_once(office: Office) -> None:
    o = office
    _at_sign_for_mayor(o)
    given = _delegate(o, o.mayor, o.vice)
    for who in (o.vice, o.clerk):
        with pytest.raises(PermissionDenied, match="只有委托人本人或系统管理员可以撤销委托"):
            o.run(delegation.revoke_delegation, who, given.id)
    o.run(delegation.revoke_delegation, o.mayor, given.id)
    assert todo_titles(o, o.vice, DAY) == []
    with pytest.raises(ValidationError, match="已撤销"):
        o.run(delegation.revoke_delegation, o.admin, given.id)


def test_a_delegation_that_cannot_work_is_refused_saying_why(office: Office) -> None:
    o = office
    with pytest.raises(ValidationError, match="不能委托给自己"):
        _delegate(o, o.mayor, o.mayor)
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        _delegate(o, o.mayor, o.vice, starts=DAY + timedelta(days=3), ends=DAY)
    with o.ctx.uow() as uow:
        uow.execute(update(users).where(users.c.id == o.deputy.id).values(active=False))
        uow.commit()
    with pytest.raises(ValidationError, match="李副主任的账户已停用"):
        _delegate(o, o.director, o.deputy)
    _delegate(o, o.mayor, o.vice)
    with pytest.raises(ValidationError, match="已委托刘副县长代办，与所选期间重叠"):
        _delegate(o, o.mayor, o.director, starts=DAY + timedelta(days=2), ends=AFTER)
    # Someone else's delegation is the administrator's to set.
    with pytest.raises(PermissionDenied, match="只有系统管理员可以替他人设置委托"):
        _delegate(o, o.clerk, o.clerk2, principal_id=o.director.id)
    made = _delegate(o, o.admin, o.clerk2, principal_id=o.clerk.id)
    assert (made.principal_name, made.delegate_name) == ("张文秘", "赵文秘")


def test_my_delegations_lists_those_given_and_received(office: Office) -> None:
    o = office
    _delegate(o, o.mayor, o.vice)
    with o.ctx.uow() as uow:
        mine = delegation.my_delegations(uow, o.mayor)
        theirs = delegation.my_delegations(uow, o.vice)
    assert [d.delegate_name for d in mine.given] == ["刘副县长"] and mine.received == []
    assert [d.principal_name for d in theirs.received] == ["陈县长"] and theirs.given == []
    assert theirs.received[0].in_force(DAY) and not theirs.received[0].in_force(AFTER)


def test_an_urge_aimed_at_the_principal_reaches_the_delegate(office: Office) -> None:
    o = office
    record = start_record(o, o.clerk, urgency="特急")
    move(o, o.clerk, record, "submit", today=DAY)
    move(o, o.deputy, record, "approve", send_to=o.mayor.id, today=DAY)
    o.run(urges.urge, o.clerk, record, "电话", "请尽快签批", today=DAY)
    assert todo_titles(o, o.vice, DAY, view="urged") == []
    _delegate(o, o.mayor, o.vice)
    assert todo_titles(o, o.vice, DAY, view="urged") == [TITLE]
    assert todo_titles(o, o.mayor, DAY, view="urged") == [TITLE]
