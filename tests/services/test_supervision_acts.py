"""督办事项's acts (app.services.supervision.items and .lifecycle), each by whoever may do it and refused to
everyone else, a refused act leaving no history, audit or change-feed row; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from app.models import AccountabilityRecord, WorkflowHistory, WorkflowInstance
from app.services.kernel import attachments
from app.services.supervision import items, ledger, lifecycle
from app.services.supervision.items import FILES
from app.services.workflow import duties, parallel
from tests.helpers.document_office import TODAY, Office, build_office, counts
from tests.helpers.supervision_office import (
    DEADLINE,
    EVIDENCE,
    PROGRESS_FILE,
    assigned_item,
    closed_item,
    completed_item,
    info,
    item_in_review,
    item_input,
    new_item,
)

REFUSED = (PermissionDenied, WorkflowError)
EVERYONE = ("director", "deputy", "clerk", "clerk2", "petition", "finance", "cashier", "mayor", "vice",
            "liaison_fin", "liaison_edu", "admin")
LEADERS = ("director", "deputy")


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _refused(o: Office, call: object, *args: object, **kwargs: object) -> None:
    """The act is refused (not permitted, or not at this step) and writes nothing."""
    before = counts(o.ctx)
    with pytest.raises(REFUSED):
        o.run(call, *args, **kwargs)  # type: ignore[arg-type]
    assert counts(o.ctx) == before


def _tasks(o: Office, item: int) -> list[parallel.WorkItem]:
    return list(o.run(parallel.work_items_of, o.director, info(o, item).instance_id).items)


# ----- 立项 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk", "clerk2", "director", "deputy"])
def test_the_office_staff_and_leaders_register_an_item(office: Office, who: str) -> None:
    made = office.run(items.create_item, office.people[who], item_input(office), today=TODAY)
    assert (made.number, made.state, made.state_label, made.responsible_name) == ("督〔2026〕1号", "register", "立项",
                                                                                  "张文秘")
    assert (made.lead_unit_name, made.co_unit_names, made.priority, made.deadline) == (
        "县财政局", "县教育局", "重点督办", DEADLINE)
    second = office.run(items.create_item, office.people[who], item_input(office, title="第二件"), today=TODAY)
    assert second.number == "督〔2026〕2号"


@pytest.mark.parametrize("who", ["petition", "finance", "cashier", "mayor", "liaison_fin", "admin"])
def test_nobody_else_registers_an_item(office: Office, who: str) -> None:
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="登记督办事项"):
        office.run(items.create_item, office.people[who], item_input(office), today=TODAY)
    assert counts(office.ctx) == before
    assert office.run(ledger.list_items, office.director, ledger.LedgerFilter(box="all")).total == 0


@pytest.mark.parametrize(("fields", "words"), [
    ({"title": "  "}, "请填写事项名称"),
    ({"source": "群众来信"}, "事项来源“群众来信”无效"),
    ({"lead_unit_id": None}, "请选择牵头单位"),
    ({"responsible_id": None}, "请选择责任人"),
    ({"deadline": TODAY - timedelta(days=1)}, "办结时限不能早于今天"),
    ({"priority": "一般"}, "督办类别“一般”无效"),
])
def test_a_bad_item_is_refused_in_its_own_words(office: Office, fields: dict[str, object], words: str) -> None:
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match=words):
        office.run(items.create_item, office.clerk, item_input(office, **fields), today=TODAY)
    assert counts(office.ctx) == before


def test_the_responsible_person_must_be_of_the_office(office: Office) -> None:
    with pytest.raises(ValidationError, match="责任人须是在岗的文秘人员、办公室主任或副主任"):
        office.run(items.create_item, office.clerk, item_input(office, responsible_id=office.liaison_fin.id),
                   today=TODAY)
    with pytest.raises(ValidationError, match="已是牵头单位"):
        office.run(items.create_item, office.clerk,
                   item_input(office, co_unit_ids=[office.units["财政局"]]), today=TODAY)


# ----- 交办 and 报请销号: the item's responsible person only --------------------------------------------------


def test_the_responsible_person_assigns_and_each_unit_gets_its_task(office: Office) -> None:
    item = new_item(office, responsible_id=office.clerk2.id)
    for who in EVERYONE:
        if who != "clerk2":
            _refused(office, lifecycle.assign_item, office.people[who], item, today=TODAY)
    shown = office.run(lifecycle.assign_item, office.clerk2, item, "请按期办结", today=TODAY)
    assert (shown.state, shown.state_label) == ("handle", "督办落实")
    tasks = _tasks(office, item)
    assert [(t.unit_id, t.lead, t.due_date, t.state) for t in tasks] == [
        (office.units["财政局"], True, DEADLINE, "sent"), (office.units["教育局"], False, DEADLINE, "sent")]
    assert tasks[0].task == "牵头落实：年内建成公共停车位500个"
    # Taken along: 交办 cannot be done twice.
    _refused(office, lifecycle.assign_item, office.clerk2, item, today=TODAY)


def test_an_item_past_its_deadline_is_not_assigned(office: Office) -> None:
    item = new_item(office, deadline=TODAY + timedelta(days=2))
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="办结时限已过，请先修改办结时限再交办"):
        office.run(lifecycle.assign_item, office.clerk, item, today=TODAY + timedelta(days=3))
    assert counts(office.ctx) == before


def test_only_the_responsible_person_requests_the_close(office: Office) -> None:
    item = completed_item(office)
    for who in EVERYONE:
        if who != "clerk":
            _refused(office, lifecycle.request_close, office.people[who], item, today=TODAY)
    shown = office.run(lifecycle.request_close, office.clerk, item, "牵头单位已办结", today=TODAY)
    assert shown.state == "review"
    lead = next(t for t in _tasks(office, item) if t.lead)
    assert lead.state == "done"


def test_no_close_is_requested_before_the_lead_units_completion_report(office: Office) -> None:
    item = assigned_item(office)
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="牵头单位尚未报送办结报告，不能报请销号"):
        office.run(lifecycle.request_close, office.clerk, item, today=TODAY)
    assert counts(office.ctx) == before


# ----- reports of the units ------------------------------------------------------------------------------


def test_the_lead_units_liaison_reports_progress_with_its_material(office: Office) -> None:
    item = assigned_item(office)
    day = TODAY + timedelta(days=3)
    office.run(lifecycle.report_progress, office.liaison_fin, item, "已完成选址", [PROGRESS_FILE], today=day)
    with office.ctx.uow() as uow:
        files = attachments.list_attachments(uow, "supervision_item", item)
    assert [(f.filename, f.purpose) for f in files] == [("进展照片.pdf", "progress")]
    [row] = office.run(ledger.list_items, office.director, today=day).rows
    assert (row.latest_report, row.latest_report_on) == ("已完成选址", day)


@pytest.mark.parametrize("who", ["clerk", "director", "liaison_edu", "mayor", "admin"])
def test_nobody_else_reports_the_items_progress(office: Office, who: str) -> None:
    item = assigned_item(office)
    _refused(office, lifecycle.report_progress, office.people[who], item, "进展", today=TODAY)


def test_a_co_units_liaison_reports_its_own_task_only(office: Office) -> None:
    item = assigned_item(office)
    office.run(lifecycle.report_task, office.liaison_edu, item, "已配合完成规划", [PROGRESS_FILE])
    assist = next(t for t in _tasks(office, item) if not t.lead)
    lead = next(t for t in _tasks(office, item) if t.lead)
    assert (assist.state, assist.feedback, lead.state) == ("reported", "已配合完成规划", "sent")
    # The lead unit's 办结报告 is not its to send.
    with pytest.raises(PermissionDenied, match="办结报告由牵头单位的联络员报送"):
        office.run(lifecycle.report_task, office.liaison_edu, item, "已办结", [EVIDENCE], completion=True)
    # The lead unit's task is reported by the 办结报告 only.
    with pytest.raises(PermissionDenied, match="没有待反馈的任务"):
        office.run(lifecycle.report_task, office.liaison_fin, item, "协办情况", [])
    for who in ("clerk", "director", "mayor"):
        _refused(office, lifecycle.report_task, office.people[who], item, "办理情况", [])


def test_a_completion_report_needs_evidence(office: Office) -> None:
    item = assigned_item(office)
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="办结报告须附上佐证材料"):
        office.run(lifecycle.report_task, office.liaison_fin, item, "已办结", [], completion=True)
    assert counts(office.ctx) == before
    assert next(t for t in _tasks(office, item) if t.lead).state == "sent"
    # Progress material is not evidence.
    office.run(lifecycle.report_progress, office.liaison_fin, item, "进展", [PROGRESS_FILE], today=TODAY)
    with pytest.raises(ValidationError, match="佐证材料"):
        office.run(lifecycle.report_task, office.liaison_fin, item, "已办结", [], completion=True)
    office.run(lifecycle.report_task, office.liaison_fin, item, "已办结", [EVIDENCE], completion=True)
    lead = next(t for t in _tasks(office, item) if t.lead)
    assert (lead.state, lead.feedback) == ("reported", "已办结")


def test_no_report_before_the_item_is_assigned(office: Office) -> None:
    item = new_item(office)
    _refused(office, lifecycle.report_task, office.liaison_fin, item, "已办结", [EVIDENCE], completion=True)
    _refused(office, lifecycle.report_progress, office.liaison_fin, item, "进展", today=TODAY)


# ----- 销号, 退回, 撤销 and 重新打开: the office's leaders ------------------------------------------------------


@pytest.mark.parametrize("who", LEADERS)
def test_a_leader_closes_the_item(office: Office, who: str) -> None:
    item = item_in_review(office)
    shown = office.run(lifecycle.close_item, office.people[who], item, "同意销号", today=TODAY)
    assert (shown.state, shown.closed, shown.closed_on) == ("closed", True, TODAY)
    assert office.run(ledger.list_items, office.director, today=TODAY).total == 0
    closed = office.run(ledger.list_items, office.director, ledger.LedgerFilter(box="closed"), today=TODAY).rows
    assert [(r.id, r.status) for r in closed] == [(item, "已销号")]
    # On time: no 责任追究.
    with office.ctx.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(AccountabilityRecord)).scalar_one() == 0


@pytest.mark.parametrize("act", ["close", "return"])
def test_nobody_but_the_leaders_closes_or_returns(office: Office, act: str) -> None:
    item = item_in_review(office)
    call = lifecycle.close_item if act == "close" else lifecycle.return_item
    for who in EVERYONE:
        if who not in LEADERS:
            _refused(office, call, office.people[who], item, "意见", today=TODAY)


def test_a_close_after_the_deadline_leaves_one_accountability_record(office: Office) -> None:
    item = item_in_review(office)
    late = DEADLINE + timedelta(days=4)
    # The sweep ran before: the item was already recorded as overdue on its deadline.
    assert office.run(lifecycle.record_overdue, office.clerk, late) == 1
    shown = office.run(lifecycle.close_item, office.deputy, item, "同意销号", today=late)
    assert shown.closed_late()
    with office.ctx.uow() as uow:
        records = uow.session.execute(select(AccountabilityRecord)).scalars().all()
        assert [(r.kind, r.entity_id, r.person_name, r.unit_name, r.occurred_on) for r in records] == [
            ("overdue", item, "张文秘", "县财政局", DEADLINE)]
    assert office.run(lifecycle.record_overdue, office.clerk, late) == 0
    [row] = office.run(ledger.list_items, office.director, ledger.LedgerFilter(box="closed"), today=late).rows
    assert row.status == "逾期办结"


def test_a_late_close_without_a_sweep_records_it_there(office: Office) -> None:
    item = item_in_review(office)
    late = DEADLINE + timedelta(days=4)
    office.run(lifecycle.close_item, office.director, item, "同意销号", today=late)
    with office.ctx.uow() as uow:
        [record] = uow.session.execute(select(AccountabilityRecord)).scalars().all()
        assert (record.kind, record.occurred_on, record.person_name) == ("overdue", DEADLINE, "张文秘")
        assert "逾期4天" in record.reason


def test_the_sweep_records_each_overdue_item_once(office: Office) -> None:
    late_one = assigned_item(office, deadline=TODAY + timedelta(days=5))
    new_item(office, title="未交办的事项", deadline=TODAY + timedelta(days=5))
    on_time = assigned_item(office, title="尚未到期", deadline=TODAY + timedelta(days=60))
    closed = closed_item(office, title="已销号的事项", deadline=TODAY + timedelta(days=5))
    day = TODAY + timedelta(days=6)
    for who in ("petition", "mayor", "liaison_fin", "admin"):
        _refused(office, lifecycle.record_overdue, office.people[who], day)
    before = counts(office.ctx)
    assert office.run(lifecycle.record_overdue, office.clerk, day) == 2
    assert counts(office.ctx)[1] == before[1] + 1
    after = counts(office.ctx)
    assert office.run(lifecycle.record_overdue, office.director, day) == 0
    assert office.run(lifecycle.record_overdue, office.clerk, day + timedelta(days=3)) == 0
    assert counts(office.ctx) == after
    with office.ctx.uow() as uow:
        recorded = set(uow.session.execute(select(AccountabilityRecord.entity_id)).scalars())
    assert late_one in recorded and on_time not in recorded and closed not in recorded


@pytest.mark.parametrize("who", LEADERS)
def test_a_return_gives_the_lead_unit_a_new_task(office: Office, who: str) -> None:
    item = item_in_review(office)
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="退回时必须填写意见或理由"):
        office.run(lifecycle.return_item, office.people[who], item, "  ", today=TODAY)
    assert counts(office.ctx) == before
    shown = office.run(lifecycle.return_item, office.people[who], item, "佐证材料不全", today=TODAY)
    assert shown.state == "handle"
    leads = [t for t in _tasks(office, item) if t.lead]
    assert [(t.state, t.task, t.due_date) for t in leads] == [
        ("done", "牵头落实：年内建成公共停车位500个", DEADLINE), ("sent", "补充办结：佐证材料不全", DEADLINE)]
    # The lead unit completes again, and the item goes back to review.
    office.run(lifecycle.report_task, office.liaison_fin, item, "已补充", [EVIDENCE], completion=True)
    assert office.run(lifecycle.request_close, office.clerk, item, today=TODAY).state == "review"


def test_a_return_after_the_deadline_sends_a_task_without_a_due_date(office: Office) -> None:
    item = item_in_review(office)
    late = DEADLINE + timedelta(days=1)
    office.run(lifecycle.return_item, office.director, item, "请补充验收资料", today=late)
    newest = [t for t in _tasks(office, item) if t.lead][-1]
    assert (newest.state, newest.due_date) == ("sent", None)


@pytest.mark.parametrize("stage", ["register", "handle"])
def test_a_leader_cancels_with_the_reason(office: Office, stage: str) -> None:
    item = new_item(office) if stage == "register" else assigned_item(office)
    for who in EVERYONE:
        if who not in LEADERS:
            _refused(office, lifecycle.cancel_item, office.people[who], item, "上级已调整", today=TODAY)
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="撤销时必须填写意见或理由"):
        office.run(lifecycle.cancel_item, office.deputy, item, " ", today=TODAY)
    assert counts(office.ctx) == before
    shown = office.run(lifecycle.cancel_item, office.deputy, item, "上级已调整部署", today=TODAY)
    assert (shown.state, shown.cancelled, shown.closed) == ("cancelled", True, True)
    [row] = office.run(ledger.list_items, office.director, ledger.LedgerFilter(box="all")).rows
    assert row.status == "已撤销"
    assert office.run(ledger.list_items, office.director, ledger.LedgerFilter(box="closed")).total == 0
    # A cancelled item is not reopened.
    _refused(office, lifecycle.reopen_item, office.director, item, "重新督办", today=TODAY)


@pytest.mark.parametrize("who", LEADERS)
def test_a_leader_reopens_a_closed_item_with_the_reason(office: Office, who: str) -> None:
    item = closed_item(office)
    for other in EVERYONE:
        if other not in LEADERS:
            _refused(office, lifecycle.reopen_item, office.people[other], item, "问题反弹", today=TODAY)
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="请填写重新打开的理由"):
        office.run(lifecycle.reopen_item, office.people[who], item, "  ", today=TODAY)
    assert counts(office.ctx) == before
    day = TODAY + timedelta(days=2)
    shown = office.run(lifecycle.reopen_item, office.people[who], item, "群众反映问题反弹", today=day)
    assert (shown.state, shown.closed, shown.closed_on, shown.deadline) == ("handle", False, None, DEADLINE)
    newest = [t for t in _tasks(office, item) if t.lead][-1]
    assert (newest.state, newest.task) == ("sent", "重新办理：群众反映问题反弹")
    with office.ctx.uow() as uow:
        last = uow.session.execute(
            select(WorkflowHistory).where(WorkflowHistory.instance_id == shown.instance_id)
            .order_by(WorkflowHistory.id.desc())
        ).scalars().first()
        assert last is not None and (last.action_label, last.opinion) == ("重新打开", "群众反映问题反弹")
    # Open again: not reopened twice.
    _refused(office, lifecycle.reopen_item, office.people[who], item, "再次", today=day)


def test_reopening_past_the_deadline_needs_a_new_one(office: Office) -> None:
    item = closed_item(office)
    late = DEADLINE + timedelta(days=10)
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="原办结时限已过，请填写新的办结时限"):
        office.run(lifecycle.reopen_item, office.director, item, "问题反弹", today=late)
    with pytest.raises(ValidationError, match="新的办结时限不能早于今天"):
        office.run(lifecycle.reopen_item, office.director, item, "问题反弹", late - timedelta(days=1), today=late)
    assert counts(office.ctx) == before
    new_deadline = late + timedelta(days=30)
    shown = office.run(lifecycle.reopen_item, office.director, item, "问题反弹", new_deadline, today=late)
    assert (shown.deadline, shown.state) == (new_deadline, "handle")
    newest = [t for t in _tasks(office, item) if t.lead][-1]
    assert newest.due_date == new_deadline


def test_an_open_item_is_not_reopened(office: Office) -> None:
    item = assigned_item(office)
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="尚未销号，不需要重新打开"):
        office.run(lifecycle.reopen_item, office.director, item, "理由", today=TODAY)
    assert counts(office.ctx) == before


# ----- changing an item -----------------------------------------------------------------------------------


def test_the_responsible_person_or_a_leader_changes_an_item(office: Office) -> None:
    item = new_item(office)
    changed = office.run(items.update_item, office.clerk, item, item_input(office, title="推进停车场建设",
                                                                            co_unit_ids=[]), today=TODAY)
    assert (changed.title, changed.co_units) == ("推进停车场建设", ())
    for who in ("clerk2", "mayor", "liaison_fin", "admin"):
        _refused(office, items.update_item, office.people[who], item, item_input(office), today=TODAY)
    office.run(lifecycle.assign_item, office.clerk, item, today=TODAY)
    with pytest.raises(WorkflowError, match="不能再更改牵头或协办单位"):
        office.run(items.update_item, office.director, item, item_input(office), today=TODAY)
    later = DEADLINE + timedelta(days=20)
    shown = office.run(items.update_item, office.director, item,
                       item_input(office, co_unit_ids=[], deadline=later, priority="定期督办"), today=TODAY)
    assert (shown.deadline, shown.priority) == (later, "定期督办")


def test_a_stale_version_is_refused(office: Office) -> None:
    item = new_item(office)
    seen = info(office, item).version
    office.run(items.update_item, office.clerk, item, item_input(office, title="改过的名称"), today=TODAY)
    with pytest.raises(Exception, match="已被其他人修改或办理"):
        office.run(lifecycle.assign_item, office.clerk, item, expected_version=seen, today=TODAY)


# ----- who sees an item -----------------------------------------------------------------------------------


def test_an_unrelated_units_liaison_sees_nothing_of_the_item(office: Office) -> None:
    item = assigned_item(office, co_unit_ids=[])
    office.run(lifecycle.report_progress, office.liaison_fin, item, "进展", [PROGRESS_FILE], today=TODAY)
    stranger = office.liaison_edu
    with pytest.raises(PermissionDenied, match="不能查看"):
        office.run(items.get_item, stranger, item)
    with pytest.raises(PermissionDenied):
        office.run(items.item_of_instance, stranger, info(office, item).instance_id)
    assert office.run(ledger.list_items, stranger, ledger.LedgerFilter(box="all")).total == 0
    assert office.run(ledger.ledger_rows, stranger, ledger.LedgerFilter(box="all")) == []
    # Nor through the workflow's own reads of its flow instance: its reports and its units' tasks.
    instance = info(office, item).instance_id
    for read in (duties.duties_of, parallel.work_items_of):
        with pytest.raises(PermissionDenied):
            office.run(read, stranger, instance)
    assert office.run(duties.duties_due, stranger, DEADLINE) == []
    with office.ctx.uow() as uow:
        [file] = attachments.list_attachments(uow, "supervision_item", item)
    with pytest.raises(PermissionDenied), office.ctx.uow() as uow:
        FILES.download(uow, stranger, file.id, lambda owner: items.load(uow, stranger, owner))
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied), office.ctx.uow() as uow:
        attachments.add_attachment(uow, stranger, owner_type="supervision_item", owner_id=item,
                                   filename="x.pdf", data=b"%PDF-1.4", purpose="progress")
    assert counts(office.ctx) == before
    # The lead unit's liaison sees it, and its file.
    assert office.run(items.get_item, office.liaison_fin, item).id == item
    with office.ctx.uow() as uow:
        got, data = FILES.download(uow, office.liaison_fin, file.id,
                                   lambda owner: items.load(uow, office.liaison_fin, owner))
    assert data == PROGRESS_FILE[1]


def test_a_co_units_liaison_sees_the_item_but_adds_no_evidence(office: Office) -> None:
    item = assigned_item(office)
    assert office.run(items.get_item, office.liaison_edu, item).co_unit_names == "县教育局"
    with pytest.raises(PermissionDenied, match="办结佐证材料由牵头单位的联络员报送"), office.ctx.uow() as uow:
        attachments.add_attachment(uow, office.liaison_edu, owner_type="supervision_item", owner_id=item,
                                   filename="x.pdf", data=b"%PDF-1.4", purpose="evidence")


def test_a_missing_item_is_not_found(office: Office) -> None:
    with pytest.raises(NotFound, match="找不到该督办事项"):
        office.run(items.get_item, office.director, 999999)


def test_a_closed_items_files_are_kept(office: Office) -> None:
    item = closed_item(office)
    with pytest.raises(WorkflowError, match="已办结，不能再增删材料"), office.ctx.uow() as uow:
        attachments.add_attachment(uow, office.clerk, owner_type="supervision_item", owner_id=item,
                                   filename="x.pdf", data=b"%PDF-1.4", purpose="origin")
    with office.ctx.uow() as uow:
        assert [f.filename for f in attachments.list_attachments(uow, "supervision_item", item)] == [EVIDENCE[0]]


def test_a_new_deadline_after_assignment_moves_the_units_open_tasks(office: Office) -> None:
    item = assigned_item(office)
    office.run(lifecycle.report_task, office.liaison_edu, item, "已配合完成规划", [])
    later = DEADLINE + timedelta(days=20)
    office.run(items.update_item, office.director, item, item_input(office, deadline=later), today=TODAY)
    # Both tasks were due on the item's deadline; neither is done, so both follow it.
    assert [(t.lead, t.due_date) for t in _tasks(office, item)] == [(True, later), (False, later)]
    assert info(office, item).deadline == later


def test_a_unit_sends_its_report_again_until_it_is_accepted(office: Office) -> None:
    item = assigned_item(office)
    office.run(lifecycle.report_task, office.liaison_edu, item, "已配合完成规划", [])
    office.run(lifecycle.report_task, office.liaison_edu, item, "已配合完成规划和选址", [])
    office.run(lifecycle.report_task, office.liaison_fin, item, "已办结", [EVIDENCE], completion=True)
    office.run(lifecycle.report_task, office.liaison_fin, item, "已办结并补充照片", [("照片.pdf", b"%PDF-1.4")],
               completion=True)
    assert [(t.lead, t.state, t.feedback) for t in _tasks(office, item)] == [
        (True, "reported", "已办结并补充照片"), (False, "reported", "已配合完成规划和选址")]
    office.run(lifecycle.request_close, office.clerk, item, today=TODAY)
    # Accepted: the lead unit's task is done, and reported no more.
    _refused(office, lifecycle.report_task, office.liaison_fin, item, "再报", [EVIDENCE], completion=True)


def test_a_refused_report_keeps_none_of_its_files(office: Office) -> None:
    item = assigned_item(office)
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="请填写办理情况"):
        office.run(lifecycle.report_task, office.liaison_fin, item, "  ", [EVIDENCE], completion=True)
    with pytest.raises(ValidationError, match="请填写汇报内容"):
        office.run(lifecycle.report_progress, office.liaison_fin, item, "  ", [PROGRESS_FILE], today=TODAY)
    assert counts(office.ctx) == before
    with office.ctx.uow() as uow:
        assert attachments.list_attachments(uow, "supervision_item", item) == []


def test_a_new_deadline_at_review_leaves_the_reviews_own_time_limit(office: Office) -> None:
    item = item_in_review(office)
    instance_id = info(office, item).instance_id
    with office.ctx.uow() as uow:
        review_due = uow.found(WorkflowInstance, instance_id, "").due_date
    assert review_due is not None and review_due < DEADLINE
    later = DEADLINE + timedelta(days=20)
    office.run(items.update_item, office.director, item, item_input(office, deadline=later), today=TODAY)
    with office.ctx.uow() as uow:
        assert uow.found(WorkflowInstance, instance_id, "").due_date == review_due
    # Back at 督办落实, the item's deadline is its to-do's again.
    office.run(lifecycle.return_item, office.director, item, "请补充照片", today=TODAY)
    with office.ctx.uow() as uow:
        assert uow.found(WorkflowInstance, instance_id, "").due_date == later
