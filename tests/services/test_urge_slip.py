"""The 催办单 from real records: the office's clock, the 反馈时限 in working days (stored with the urge),
the one lateness rule, the provisional mark, and a person (never a role) as 责任人."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from app.bootstrap import AppContext
from app.core.calendar import WorkCalendar
from app.core.roles import Role
from app.forms import build_registry
from app.models import Urge, WorkflowInstance
from app.services.documents import outgoing
from app.services.documents.records import get_document
from app.services.workflow import urges
from tests.helpers.document_office import (
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)
from tests.helpers.pdfcheck import compact, page_text

ROLE_LABELS = tuple(role.label for role in Role)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


@pytest.fixture
def beijing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The office's machines run on China Standard Time; the test machine may not."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def instance_of(o: Office, doc: int) -> int:
    return int(o.run(get_document, o.clerk, doc).document.instance_id)


def set_due(o: Office, instance_id: int, due: date, provisional: bool = False) -> None:
    with o.ctx.uow() as uow:
        uow.session.execute(
            update(WorkflowInstance).where(WorkflowInstance.id == instance_id)
            .values(due_date=due, due_provisional=provisional)
        )
        uow.session.commit()


def slip_text(o: Office, instance_id: int) -> str:
    return compact(page_text(build_registry().load_and_render("urge-slip", o.ctx, instance_id)))


def test_the_slip_prints_the_office_clock_and_a_working_day_reply(office: Office, beijing: None) -> None:
    o = office
    instance = instance_of(o, new_draft(o))
    set_due(o, instance, date(2026, 11, 20))  # a Friday
    # Urged on Friday 12-04 at 16:37 UTC, which is 00:37 on Saturday 12-05 in the office.
    info = o.run(urges.urge, o.director, instance, "电话", "请抓紧办理", today=date(2026, 12, 5))
    # Two working days from Saturday 12-05: Monday 12-07, Tuesday 12-08 (never a Sunday).
    assert (info.reply_due, info.reply_due_provisional) == (date(2026, 12, 8), False)
    with o.ctx.uow() as uow:
        uow.session.execute(update(Urge).where(Urge.id == info.id).values(at=datetime(2026, 12, 4, 16, 37, tzinfo=UTC)))
        uow.session.commit()
    facts = o.run(urges.urge_slip_facts, instance, today=date(2026, 12, 5))
    assert (facts.latest.at.day, facts.latest.at.hour, facts.latest.at.minute) == (5, 0, 37)
    text = slip_text(o, instance)
    assert "催办时间2026年12月5日0:37" in text and "16:37" not in text
    assert "请于2026年12月8日前反馈办理情况" in text
    # The reply deadline is kept as given: a holiday entered later does not move a printed one.
    with o.ctx.uow() as uow:
        stored = uow.session.execute(select(Urge.reply_due).where(Urge.id == info.id)).scalar_one()
    assert stored == date(2026, 12, 8)


def test_lateness_is_counted_in_working_days(office: Office) -> None:
    o = office
    instance = instance_of(o, new_draft(o))
    set_due(o, instance, date(2026, 11, 20))
    o.run(urges.urge, o.director, instance, "电话", today=date(2026, 11, 29))
    facts = o.run(urges.urge_slip_facts, instance, today=date(2026, 11, 29))  # a Sunday
    # 11-23 … 11-27: five working days, not nine calendar days; the same rule as the 通报's.
    assert facts.overdue_days == WorkCalendar().overdue_workdays(date(2026, 11, 20), date(2026, 11, 29)) == 5
    # The printed slip counts to the day it is printed, by the same rule.
    printed_today = o.run(urges.urge_slip_facts, instance).overdue_days
    assert printed_today == WorkCalendar().overdue_workdays(date(2026, 11, 20), date.today())
    assert f"已逾期{printed_today}个工作日" in slip_text(o, instance)
    assert o.run(urges.urge_slip_facts, instance, today=date(2026, 11, 20)).overdue_days == 0
    assert o.run(urges.urge_slip_facts, instance, today=date(2026, 11, 18)).overdue_days == -2


def test_provisional_deadlines_carry_their_mark(office: Office) -> None:
    """A 办理时限 or a 反馈时限 in 2027, whose holidays are not published, says 待国务院公布; the reply
    skips 元旦 as the law fixes it."""
    o = office
    instance = instance_of(o, new_draft(o, urgency="特急"))
    set_due(o, instance, date(2027, 1, 6), provisional=True)
    info = o.run(urges.urge, o.director, instance, "短信", today=date(2026, 12, 30))
    calendar = WorkCalendar()
    if calendar.is_known(date(2027, 1, 4)):
        pytest.skip("chinesecalendar now has 2027's holidays")
    # Wednesday 12-30: Thursday 12-31, then 元旦 (Friday) is off: Monday 2027-01-04.
    assert (info.reply_due, info.reply_due_provisional) == (date(2027, 1, 4), True)
    text = slip_text(o, instance)
    assert "办理时限2027年1月6日（待国务院公布）" in text
    assert "请于2027年1月4日（待国务院公布）前反馈办理情况" in text


def test_the_responsible_person_is_a_person(office: Office) -> None:
    o = office
    late = date(2026, 12, 10)

    def person(instance_id: int) -> str:
        set_due(o, instance_id, date(2026, 11, 20))
        o.run(urges.urge, o.director, instance_id, "电话", today=late)
        name = o.run(urges.urge_slip_facts, instance_id, today=late).responsible_person
        assert not any(role in name for role in ROLE_LABELS), name
        assert f"责任人{name}办理时限" in slip_text(o, instance_id)
        return str(name)

    # A draft waits for its drafter, who alone may act on it.
    drafting = instance_of(o, new_draft(o))
    assert person(drafting) == "张文秘"
    # 承办 at 县财政局: its liaison is the one person of that unit who acts at the step.
    handling = new_incoming(o)
    advance_incoming(o, handling, "handle")
    assert person(instance_of(o, handling)) == "吴联络"
    # 核稿 waits for the director or the deputy: nobody in particular, so the drafting unit's head.
    review = new_draft(o, title="关于做好元旦春节期间安全生产工作的通知")
    advance_outgoing(o, review, "review")
    assert person(instance_of(o, review)) == "张文秘（单位负责人）"
    # A unit without a head, at the same step: the slip asks the office to name someone.
    orphan = new_draft(o, drafter=o.liaison_fin, title="关于申请拨付防汛资金的请示", doc_type="请示")
    o.run(outgoing.submit, o.liaison_fin, orphan)
    assert person(instance_of(o, orphan)) == urges.NOBODY_RESPONSIBLE == "未指定（请指定承办人）"
    # Someone named to the step answers for it.
    with o.ctx.uow() as uow:
        clerk2 = o.people["clerk2"].id
        uow.session.execute(
            update(WorkflowInstance).where(WorkflowInstance.id == instance_of(o, orphan)).values(assignee_id=clerk2)
        )
        uow.session.commit()
    assert o.run(urges.urge_slip_facts, instance_of(o, orphan), today=late).responsible_person == "赵文秘"


def test_the_scheduled_urge_sets_the_same_reply_deadline(office: Office) -> None:
    o = office
    instance = instance_of(o, new_draft(o))
    set_due(o, instance, date(2026, 11, 20))
    with o.ctx.uow() as uow:
        assert urges.urge_overdue(uow, o.director, today=date(2026, 11, 27)) == 1
    (record,) = o.run(urges.urges_for, instance)
    assert record.method == "系统提醒"
    # Friday 11-27 + 2 working days: Tuesday 12-01.
    assert (record.reply_due, record.reply_due_provisional) == (date(2026, 12, 1), False)


def test_an_urge_from_before_the_stored_deadline_gets_the_same_rule(office: Office) -> None:
    """Urges recorded before migration 0005 have no reply_due: the slip computes it from the urge's day."""
    o = office
    instance = instance_of(o, new_draft(o))
    set_due(o, instance, date(2026, 11, 20))
    info = o.run(urges.urge, o.director, instance, "电话", today=date(2026, 11, 27))
    with o.ctx.uow() as uow:
        uow.session.execute(
            update(Urge).where(Urge.id == info.id)
            .values(reply_due=None, at=datetime(2026, 11, 27, 2, 0, tzinfo=UTC))
        )
        uow.session.commit()
    facts = o.run(urges.urge_slip_facts, instance)
    local_day = facts.latest.at.date()
    assert (facts.reply_due, facts.reply_provisional) == (
        WorkCalendar().add_workdays(local_day, urges.REPLY_WORKDAYS).date, False
    )
