"""What waits for one person or one unit reaches them: a unit's 会签 opinion and 签收 go to its liaison's
待办, a reader's 传阅 copy to their 待阅, a 催办 to whoever the hastened item waits for, each with its
deadline; and nobody unrelated sees them. The 工作台's counts come from count queries, past the 500
items its list holds."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from app.bootstrap import AppContext
from app.core.roles import Role
from app.db.tables import utcnow, workflow_instances, workflow_work_items
from app.models import Urge, WorkflowInstance
from app.services.documents import incoming, outgoing
from app.services.documents.records import get_document
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.workflow import todo, urges, work_items
from tests.helpers import add_user
from tests.helpers.document_office import (
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def mine(office: Office, who: Actor, today: date = TODAY, **kwargs: object) -> todo.TodoList:
    with office.ctx.uow() as uow:
        return todo.todo(uow, who, today=today, **kwargs)  # type: ignore[arg-type]


def kinds(result: todo.TodoList, kind: str) -> list[str]:
    return [item.info.title for item in result.items if item.kind == kind]


def test_a_cosigning_unit_s_liaison_is_asked_for_its_opinion(office: Office) -> None:
    o = office
    town_liaison = add_user(o.ctx, "liaison_town", [Role.LIAISON], o.units["城关镇"], "黄联络")
    doc = new_draft(o, title="关于联合开展森林防火检查的通知", cosigner_unit_ids=[o.units["财政局"], o.units["教育局"]])
    advance_outgoing(o, doc, "cosign")
    for liaison in (o.liaison_fin, o.liaison_edu):
        result = mine(o, liaison)
        (item,) = result.items
        assert (item.kind, item.info.title, item.info.entity_id) == (todo.COSIGN, "关于联合开展森林防火检查的通知", doc)
        # The unit answers within the 会签 step's own time limit.
        assert item.due_date == item.info.due_date and item.due_date is not None and item.due_date > TODAY
        assert result.counts.total == 1 and result.counts_by_flow == {"outgoing_document": 1}
    # Neither another unit's liaison nor a leader is asked.
    for unrelated in (town_liaison, o.mayor, o.vice):
        assert kinds(mine(o, unrelated), todo.COSIGN) == []
    o.run(outgoing.cosign, o.liaison_fin, doc, opinion="同意")
    assert mine(o, o.liaison_fin).items == [] and mine(o, o.liaison_fin).counts.total == 0
    assert kinds(mine(o, o.liaison_edu), todo.COSIGN) == ["关于联合开展森林防火检查的通知"]
    # A unit that disagrees has answered: the office holds the document now.
    o.run(outgoing.cosign, o.liaison_edu, doc, agree=False, opinion="经费来源需另行研究")
    assert kinds(mine(o, o.liaison_edu), todo.COSIGN) == []


def test_a_receiving_unit_s_liaison_signs_for_its_copy(office: Office) -> None:
    o = office
    doc = new_draft(o, title="关于印发防汛应急预案的通知")
    advance_outgoing(o, doc, "distribute")
    o.run(outgoing.distribute, o.clerk, doc, [o.units["财政局"], o.units["城关镇"]], today=TODAY)
    town_liaison = add_user(o.ctx, "liaison_town", [Role.LIAISON], o.units["城关镇"], "黄联络")
    with o.ctx.uow() as uow:
        items = workflow_work_items.c
        sent = uow.execute(
            select(items.sent_at).where(items.unit_id == o.units["财政局"], items.kind == "receipt")
        ).scalar_one()
        # A unit signs for a copy within the limit of 收文's 签收 step: one working day.
        expected = work_calendar(uow).add_workdays(sent.astimezone().date(), 1)
    today = sent.astimezone().date()
    for liaison in (o.liaison_fin, town_liaison):
        (item,) = mine(o, liaison, today).items
        assert (item.kind, item.info.entity_id, item.due_date) == (todo.RECEIPT, doc, expected.date)
        assert item.due_soon and not item.overdue
    assert kinds(mine(o, o.liaison_edu, today), todo.RECEIPT) == []
    assert kinds(mine(o, o.mayor, today), todo.RECEIPT) == []
    # Two weeks on, the copy is overdue, and counted so.
    late = mine(o, o.liaison_fin, today + timedelta(days=14))
    assert late.items[0].overdue and late.counts.overdue == 1 and late.count_of("overdue") == 1
    assert [i.kind for i in mine(o, o.liaison_fin, today + timedelta(days=14), view="overdue").items] == [todo.RECEIPT]
    o.run(outgoing.confirm_receipt, o.liaison_fin, doc)
    assert mine(o, o.liaison_fin, today).items == []
    assert len(mine(o, town_liaison, today).items) == 1


def test_a_reader_finds_the_circulated_copy_in_their_reading(office: Office) -> None:
    o = office
    doc = new_incoming(o, title="江州市关于加强安全生产工作的通报")
    advance_incoming(o, doc, "instruct")
    o.run(incoming.instruct, o.mayor, doc, "请各位领导阅", needs_handling=False, today=TODAY)
    sent = o.run(incoming.circulate, o.clerk, doc, [o.mayor.id, o.vice.id, o.liaison_edu.id], note="请阅")
    with o.ctx.uow() as uow:
        items = workflow_work_items.c
        sent_at = uow.execute(select(items.sent_at).where(items.id == sent[0].id, items.kind == "read")).scalar_one()
        expected = work_calendar(uow).add_workdays(sent_at.astimezone().date(), 5).date
    today = sent_at.astimezone().date()
    for reader in (o.mayor, o.vice):
        result = mine(o, reader, today)
        # Reading only: 待阅, not 待办.
        assert kinds(result, todo.READ) == [] and result.read_counts.total == 1 and result.counts.total == 0
        (item,) = result.reading
        assert (item.kind, item.info.entity_id, item.due_date) == (todo.READ, doc, expected)
        assert [i.info.entity_id for i in mine(o, reader, today, view="read").items] == [doc]
    # The director was not sent it; the liaison was, but their unit has nothing to do with the document,
    # so they could not open it: it is not theirs to see.
    assert mine(o, o.director, today).reading == [] and mine(o, o.director, today).read_counts.total == 0
    assert mine(o, o.liaison_edu, today).reading == [] and mine(o, o.liaison_edu, today, view="read").total == 0
    o.run(incoming.mark_read, o.mayor, sent[0].id, remark="已阅")
    o.run(incoming.recall, o.clerk, sent[1].id)
    assert mine(o, o.mayor, today).read_counts.total == 0 and mine(o, o.vice, today).reading == []
    # A week of working days later, an unread copy is overdue.
    again = o.run(incoming.circulate, o.clerk, doc, [o.vice.id])
    late = mine(o, o.vice, today + timedelta(days=10))
    assert late.reading[0].overdue and late.read_counts.overdue == 1
    assert again[0].reader_name == "刘副县长"


def test_a_liaison_reads_what_their_unit_handles(office: Office) -> None:
    o = office
    doc = new_incoming(o, title="关于做好预算编制工作的通知")
    advance_incoming(o, doc, "handle")  # handled by 财政局, assisted by 教育局
    o.run(incoming.circulate, o.clerk, doc, [o.liaison_edu.id])
    assert [i.info.entity_id for i in mine(o, o.liaison_edu, date.today()).reading] == [doc]


def test_a_system_reminder_reaches_whoever_the_item_waits_for(office: Office) -> None:
    o = office
    late = new_draft(o, title="关于报送年度工作总结的通知", today=date(2026, 11, 2))
    new_draft(o, title="未到期的通知", today=TODAY)
    with o.ctx.uow() as uow:
        assert urges.urge_overdue(uow, o.director, today=TODAY) == 1
    result = mine(o, o.clerk)
    urged = [item for item in result.items if item.urge is not None]
    assert [item.info.entity_id for item in urged] == [late]
    assert urged[0].urge is not None and urged[0].urge.method == "系统提醒"
    assert "已超过办理时限" in urged[0].urge.note and urged[0].overdue
    assert result.counts.urged == 1 and mine(o, o.clerk, view="urged").total == 1
    assert [i.info.entity_id for i in mine(o, o.clerk, view="urged").items] == [late]
    # The other secretary drafted neither; nobody else is told.
    for unrelated in (o.clerk2, o.deputy, o.liaison_fin):
        assert mine(o, unrelated).counts.urged == 0
    # Once the draft moves on, the urge was for the step it left: the reviewer is not shown it as hastened.
    o.run(outgoing.submit, o.clerk, late, today=TODAY)
    review = mine(o, o.deputy)
    assert [i.info.entity_id for i in review.items] == [late] and review.items[0].urge is None
    assert review.counts.urged == 0 and mine(o, o.clerk).counts.urged == 0


def test_an_urged_cosigning_goes_to_the_units_yet_to_answer(office: Office) -> None:
    o = office
    doc = new_draft(o, title="关于联合发文的请示", cosigner_unit_ids=[o.units["财政局"], o.units["教育局"]])
    advance_outgoing(o, doc, "cosign")
    o.run(outgoing.cosign, o.liaison_fin, doc, opinion="同意")
    with o.ctx.uow() as uow:
        instance_id = uow.session.execute(
            select(WorkflowInstance.id).where(WorkflowInstance.entity_id == doc)
        ).scalar_one()
        uow.session.add(Urge(instance_id=instance_id, by_id=o.director.id, by_name="王主任", method="电话",
                             note="请教育局今天反馈会签意见"))
        uow.commit()
    (item,) = mine(o, o.liaison_edu).items
    assert item.kind == todo.COSIGN and item.urge is not None and item.urge.note == "请教育局今天反馈会签意见"
    assert mine(o, o.liaison_edu).counts.urged == 1
    assert mine(o, o.liaison_fin).counts.urged == 0


def test_the_counts_are_counted_past_the_500_the_list_holds(office: Office) -> None:
    """938 to-dos, 658 of them 收文: the list holds the 500 most urgent and says so; the tiles count all."""
    o = office
    now = utcnow()
    rows = []
    for n in range(938):
        incoming_doc = n < 658
        rows.append({
            "flow_key": "incoming_document" if incoming_doc else "outgoing_document", "flow_version": 1,
            "entity_type": "test", "entity_id": None, "title": f"事项{n:04d}",
            "state": "register" if incoming_doc else "draft", "closed": False, "unit_id": None,
            "owner_id": o.clerk.id, "assignee_id": None, "urgency": "", "entered_at": now,
            # One in four overdue, the rest well ahead.
            "due_date": TODAY - timedelta(days=1 + n % 7) if n % 4 == 0 else TODAY + timedelta(days=30 + n % 50),
            "due_provisional": False, "created_at": now, "updated_at": now, "version": 1,
        })
    with o.ctx.uow() as uow:
        uow.execute(insert(workflow_instances), rows)
        uow.commit()
    result = mine(o, o.clerk)
    assert len(result.items) == 500 and result.total == 938 and result.truncated
    assert result.counts.total == 938 and result.counts_by_flow == {"incoming_document": 658,
                                                                    "outgoing_document": 280}
    assert result.counts.overdue == 235 and result.count_of("overdue") == 235
    # The most urgent first: every overdue item is in the list.
    assert len(result.overdue) == 235
    assert all(a.due_date <= b.due_date for a, b in zip(result.items, result.items[1:], strict=False))  # type: ignore[operator]
    only_in = mine(o, o.clerk, flow_keys=frozenset({"incoming_document"}))
    assert len(only_in.items) == 500 and only_in.total == 658
    assert {i.info.flow_key for i in only_in.items} == {"incoming_document"}
    overdue = mine(o, o.clerk, view="overdue")
    assert len(overdue.items) == 235 and overdue.total == 235 and not overdue.truncated
    # 登记 is every secretary's step, a draft only its drafter's; a leader has none of them.
    assert mine(o, o.clerk2).counts.total == 658 and mine(o, o.mayor).counts.total == 0


def test_deadline_cutoffs_agree_with_the_calendar(ctx: AppContext) -> None:
    """'Overdue' and 'due soon' of items counted from when they were sent are ranges of the sending day;
    for every sending day of two months they agree with the deadline the calendar gives."""
    from app.core.workflow.engine import TimeLimit

    with ctx.uow() as uow:
        calendar = work_calendar(uow)
    today = date(2026, 10, 9)  # just after the 国庆 holiday
    soon_limit = calendar.add_workdays(today, todo.DUE_SOON_WORKDAYS).date
    for limit in (TimeLimit(1), TimeLimit(5), TimeLimit(30, "day")):
        due = work_items.due_from(calendar, limit)
        cutoffs = work_items.sent_cutoffs(due, today, soon_limit)
        assert cutoffs.overdue_before is not None and cutoffs.soon_before is not None
        for back in range(60):
            sent = datetime.combine(today - timedelta(days=back), datetime.min.time()).astimezone()
            deadline = due(sent.date())
            assert deadline is not None
            assert (sent < cutoffs.overdue_before) == (deadline.date < today), (limit, sent)
            assert (cutoffs.overdue_before <= sent < cutoffs.soon_before) == (today <= deadline.date <= soon_limit)


def test_each_item_opens_the_record_where_its_holder_can_act(office: Office) -> None:
    """A 会签, a 签收 and a 阅文 each open their document, whose window offers that act to the holder."""
    o = office
    cosigned = new_draft(o, title="关于联合开展检查的通知", cosigner_unit_ids=[o.units["财政局"]])
    advance_outgoing(o, cosigned, "cosign")
    distributed = new_draft(o, title="关于印发值班制度的通知")
    advance_outgoing(o, distributed, "distribute")
    o.run(outgoing.distribute, o.clerk, distributed, [o.units["财政局"]], today=TODAY)
    read = new_incoming(o)
    advance_incoming(o, read, "handle")
    (sent,) = o.run(incoming.circulate, o.clerk, read, [o.liaison_fin.id])
    result = mine(o, o.liaison_fin, date.today())
    by_kind = {item.kind: item.info.entity_id for item in [*result.items, *result.reading]}
    assert by_kind == {todo.COSIGN: cosigned, todo.RECEIPT: distributed, todo.READ: read, todo.STEP: read}
    assert o.run(get_document, o.liaison_fin, cosigned).my_cosign_unit_id == o.units["财政局"]
    assert o.run(get_document, o.liaison_fin, distributed).my_receipt_unit_id == o.units["财政局"]
    assert o.run(get_document, o.liaison_fin, read).my_circulation_id == sent.id


def test_the_parallel_items_are_read_without_the_orm(office: Office) -> None:
    """The 工作台 runs at every start: reading a liaison's 会签 and 签收 and a reader's 待阅 loads neither
    SQLAlchemy's ORM nor the mapped classes. A fresh process, since this one has loaded them long ago."""
    import subprocess
    import sys

    o = office
    doc = new_draft(o, cosigner_unit_ids=[o.units["财政局"]])
    advance_outgoing(o, doc, "cosign")
    read = new_incoming(o)
    advance_incoming(o, read, "handle")
    o.run(incoming.circulate, o.clerk, read, [o.liaison_fin.id])
    who = o.liaison_fin
    script = (
        "import sys\n"
        "from app.bootstrap import bootstrap, load_database_layer\n"
        "load_database_layer()\n"
        "from app.services.workflow import todo\n"
        "from app.services.kernel.actor import Actor\n"
        "ctx = bootstrap(sys.argv[1])\n"
        f"actor = Actor({who.id}, {who.username!r}, {who.full_name!r}, frozenset({sorted(who.roles)!r}), {who.unit_id})\n"
        "with ctx.uow() as uow:\n"
        "    result = todo.todo(uow, actor)\n"
        "    urged = todo.todo(uow, actor, view='urged')\n"
        "loaded = sorted(m for m in ('sqlalchemy.orm', 'app.models') if m in sys.modules)\n"
        "print(len(result.items), len(result.reading), 'loaded:', *loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, o.ctx.url.render_as_string(hide_password=False)],
        capture_output=True, text=True, check=True,
    )
    assert done.stdout.split() == ["2", "1", "loaded:"]
