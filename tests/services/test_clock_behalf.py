"""A delegate's 延期, 暂停计时 and 恢复计时 (代理): allowed where the person who delegated may, inside the period
only, and recorded as done on that person's behalf, on the clock event, in the history and in the audit log, as a
delegate's move is. The delegate's own right comes first: then nothing is marked. On the clock test flow
(tests/helpers/clock_flow.py), on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.core.roles import Role
from app.db.tables import audit_log, workflow_clock_events, workflow_history
from app.services.kernel.actor import Actor
from app.services.workflow import clocks, delegation
from tests.helpers import add_unit, add_user
from tests.helpers.clock_flow import new_clocked

D0 = date(2026, 6, 1)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


@pytest.fixture
def people(ctx: AppContext) -> dict[str, Actor]:
    office = add_unit(ctx, "信访局")
    return {
        "petition": add_user(ctx, "petition", [Role.PETITION_OFFICER], office, "孙接待"),
        "clerk": add_user(ctx, "clerk", [Role.SECRETARY], office, "张文秘"),
        "director": add_user(ctx, "director", [Role.DIRECTOR], office, "王主任"),
        "mayor": add_user(ctx, "mayor", [Role.COUNTY_LEADER], office, "陈县长"),
        "finance": add_user(ctx, "finance", [Role.FINANCE], office, "钱会计"),
    }


def delegate(ctx: AppContext, principal: Actor, to: Actor, starts: date, ends: date) -> None:
    with ctx.uow() as uow:
        delegation.delegate(uow, principal, delegate_id=to.id, starts_on=starts, ends_on=ends, reason="外出",
                            today=starts)


def last_event(ctx: AppContext, record: int) -> Any:
    c = workflow_clock_events.c
    with ctx.uow() as uow:
        return uow.execute(select(workflow_clock_events).where(c.instance_id == record).order_by(c.id.desc())).first()


def last_history(ctx: AppContext, record: int) -> Any:
    h = workflow_history.c
    with ctx.uow() as uow:
        return uow.execute(select(workflow_history).where(h.instance_id == record).order_by(h.id.desc())).first()


def last_audit(ctx: AppContext) -> dict[str, Any]:
    with ctx.uow() as uow:
        detail = uow.execute(select(audit_log.c.detail).order_by(audit_log.c.seq.desc()).limit(1)).scalar_one_or_none()
    assert detail is not None
    found: dict[str, Any] = json.loads(detail)
    return found


def test_a_delegate_pauses_and_resumes_on_the_persons_behalf(ctx: AppContext, people: dict[str, Actor]) -> None:
    record = new_clocked(ctx, people["petition"], D0, at="handle")
    # The 文秘 acts at 办理; the 会计 (no right of her own) holds her delegation for the week.
    delegate(ctx, people["clerk"], people["finance"], day(3), day(9))
    with ctx.uow() as uow:
        [_acceptance, handling] = clocks.clock_readings(uow, people["finance"], record, today=day(5))
    assert handling.may_pause and not handling.may_extend
    with ctx.uow() as uow:
        clocks.pause_clock(uow, people["finance"], record, "handling", "等待补充材料", today=day(5))
    event = last_event(ctx, record)
    assert (event.kind, event.actor_name, event.on_behalf_of_id, event.on_behalf_of_name) == (
        "pause", "钱会计", people["clerk"].id, "张文秘")
    history = last_history(ctx, record)
    assert (history.action, history.actor_name, history.on_behalf_of_id, history.on_behalf_of_name) == (
        "pause_clock", "钱会计", people["clerk"].id, "张文秘")
    assert last_audit(ctx)["on_behalf_of"] == "张文秘"
    with ctx.uow() as uow:
        clocks.resume_clock(uow, people["finance"], record, "handling", "材料已补齐", today=day(8))
    with ctx.uow() as uow:
        [_acceptance, handling] = clocks.clock_readings(uow, people["director"], record, today=day(8))
    # The window lists who did what, for whom.
    assert [(a.kind, a.actor_name, a.on_behalf_of_name, a.on, a.reason) for a in handling.acts] == [
        ("pause", "钱会计", "张文秘", day(5), "等待补充材料"), ("resume", "钱会计", "张文秘", day(8), "材料已补齐")]


def test_a_delegate_extends_for_an_approver(ctx: AppContext, people: dict[str, Actor]) -> None:
    record = new_clocked(ctx, people["petition"], D0, at="handle")
    delegate(ctx, people["director"], people["mayor"], day(40), day(45))
    with ctx.uow() as uow:
        clocks.extend_clock(uow, people["mayor"], record, "handling", 20, "需要现场核查", today=day(41))
    event = last_event(ctx, record)
    assert (event.kind, event.amount, event.actor_name, event.on_behalf_of_name) == ("extend", 20, "陈县长", "王主任")
    assert last_history(ctx, record).on_behalf_of_name == "王主任"


def test_ones_own_right_is_not_marked_as_on_behalf(ctx: AppContext, people: dict[str, Actor]) -> None:
    record = new_clocked(ctx, people["petition"], D0, at="handle")
    # The 信访接待员 answers for the record (首问负责) and holds the 文秘's delegation too: her own pause.
    delegate(ctx, people["clerk"], people["petition"], day(1), day(5))
    with ctx.uow() as uow:
        clocks.pause_clock(uow, people["petition"], record, "handling", "等待补充材料", today=day(2))
    event = last_event(ctx, record)
    assert (event.actor_name, event.on_behalf_of_id, event.on_behalf_of_name) == ("孙接待", None, "")
    assert last_history(ctx, record).on_behalf_of_name == ""
    assert "on_behalf_of" not in last_audit(ctx)


@pytest.mark.parametrize("on", [day(2), day(10)], ids=["before the period", "after the period"])
def test_a_delegate_outside_the_period_is_refused(ctx: AppContext, people: dict[str, Actor], on: date) -> None:
    record = new_clocked(ctx, people["petition"], D0, at="handle")
    delegate(ctx, people["clerk"], people["finance"], day(3), day(9))
    delegate(ctx, people["director"], people["mayor"], day(3), day(9))
    before = last_event(ctx, record).id
    with ctx.uow() as uow, pytest.raises(PermissionDenied, match="只有当前环节的办理人或本事项的负责人可以暂停计时"):
        clocks.pause_clock(uow, people["finance"], record, "handling", "等待补充材料", today=on)
    with ctx.uow() as uow, pytest.raises(PermissionDenied, match="可以批准“办理时限”延期"):
        clocks.extend_clock(uow, people["mayor"], record, "handling", 10, "需要核查", today=on)
    assert last_event(ctx, record).id == before
    with ctx.uow() as uow:
        [_acceptance, handling] = clocks.clock_readings(uow, people["finance"], record, today=on)
    assert not (handling.may_pause or handling.may_extend)


def test_a_delegate_of_someone_without_the_right_is_refused(ctx: AppContext, people: dict[str, Actor]) -> None:
    record = new_clocked(ctx, people["petition"], D0, at="handle")
    # The 县长 neither acts at 办理 nor approves: his delegate gains nothing.
    delegate(ctx, people["mayor"], people["finance"], day(3), day(9))
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        clocks.pause_clock(uow, people["finance"], record, "handling", "等待补充材料", today=day(5))
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        clocks.extend_clock(uow, people["finance"], record, "handling", 10, "需要核查", today=day(5))
