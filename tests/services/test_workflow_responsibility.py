"""一事一人, 首问负责 (app.services.workflow.responsibility): whoever registers a record answers for it across every
move, until a recorded hand-over by that person or the office's heads. On a small 督办-shaped test flow stored
as an edited flow, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.bootstrap import AppContext
from app.core.errors import ConflictError, PermissionDenied, ValidationError, WorkflowError
from app.db.tables import audit_log, users, workflow_history, workflow_instances
from app.services.workflow import responsibility
from tests.helpers.document_office import Office, counts
from tests.helpers.record_features_flow import build, item_at_handle, move, start_item

REASON = "张文秘调任信息股，由赵文秘接手"


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build(ctx)


def _responsible(o: Office, instance_id: int) -> int | None:
    with o.ctx.uow() as uow:
        return uow.execute(
            select(workflow_instances.c.responsible_id).where(workflow_instances.c.id == instance_id)
        ).scalar_one()


def test_the_starter_answers_for_the_record_across_every_move(office: Office) -> None:
    item = start_item(office)
    assert _responsible(office, item) == office.clerk.id
    move(office, "clerk", item, "submit")
    with office.ctx.uow() as uow:
        uow.execute(update(workflow_instances).values(state="review").where(workflow_instances.c.id == item))
        uow.commit()
    move(office, "director", item, "return", "请补充材料")
    assert _responsible(office, item) == office.clerk.id
    shown = office.run(responsibility.responsible_of, office.clerk, item)
    assert (shown.name, shown.may_hand_over) == ("张文秘", True)


@pytest.mark.parametrize("who", ["clerk", "director", "deputy", "admin"])
def test_the_responsible_person_or_a_head_hands_over_and_it_is_recorded(office: Office, who: str) -> None:
    item = item_at_handle(office)
    before = counts(office.ctx)
    handed = office.run(responsibility.hand_over, office.people[who], item, to_user_id=office.clerk2.id,
                        reason=f"  {REASON} ")
    assert (handed.user_id, handed.name) == (office.clerk2.id, "赵文秘")
    assert _responsible(office, item) == office.clerk2.id
    assert counts(office.ctx) == (before[0] + 1, before[1] + 1, before[2] + 1)
    with office.ctx.uow() as uow:
        row = uow.execute(
            select(workflow_history).where(workflow_history.c.instance_id == item)
            .order_by(workflow_history.c.id.desc()).limit(1)
        ).one()
        audit = uow.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert (row.action, row.action_label, row.opinion) == ("handover", "移交责任人", f"移交给赵文秘：{REASON}")
    assert (row.from_state, row.to_state, row.actor_id) == ("handle", "handle", office.people[who].id)
    assert audit.action == "handover"
    assert office.run(responsibility.responsible_of, office.clerk2, item).may_hand_over


@pytest.mark.parametrize("who", ["clerk2", "petition", "mayor", "finance", "liaison_fin"])
def test_nobody_else_may_hand_over(office: Office, who: str) -> None:
    item = item_at_handle(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied) as refused:
        office.run(responsibility.hand_over, office.people[who], item, to_user_id=office.clerk2.id, reason=REASON)
    assert refused.value.message == "只有本事项的责任人，或办公室主任、副主任、系统管理员，可以移交责任人"
    assert counts(office.ctx) == before and _responsible(office, item) == office.clerk.id
    # The window greys 移交… out and says why.
    shown = office.run(responsibility.responsible_of, office.people[who], item)
    assert not shown.may_hand_over and shown.why_not == refused.value.message


def test_who_may_not_see_the_record_is_told_so(office: Office) -> None:
    item = item_at_handle(office, unit="财政局")
    for call in (responsibility.responsible_of, responsibility.handover_candidates):
        with pytest.raises(PermissionDenied, match="不在您可以查看的范围内"):
            office.run(call, office.liaison_edu, item)
    with pytest.raises(PermissionDenied, match="不在您可以查看的范围内"):
        office.run(responsibility.hand_over, office.liaison_edu, item, to_user_id=office.clerk2.id, reason=REASON)


def test_once_handed_over_the_former_person_may_no_longer(office: Office) -> None:
    item = item_at_handle(office)
    office.run(responsibility.hand_over, office.clerk, item, to_user_id=office.clerk2.id, reason=REASON)
    with pytest.raises(PermissionDenied):
        office.run(responsibility.hand_over, office.clerk, item, to_user_id=office.clerk.id, reason="再交回")
    office.run(responsibility.hand_over, office.clerk2, item, to_user_id=office.clerk.id, reason="交回原经办人")
    assert _responsible(office, item) == office.clerk.id


@pytest.mark.parametrize(("to", "reason", "words"), [
    ("clerk", REASON, "此人已是本事项的责任人"),
    ("clerk2", "   ", "请填写移交的原因"),
    ("clerk2", "因" * 201, "不能超过200个字"),
    ("liaison_edu", REASON, "郑联络无权查看这件事项"),
    ("disabled", REASON, "已停用或被锁定"),
])
def test_a_bad_hand_over_is_refused_and_changes_nothing(office: Office, to: str, reason: str, words: str) -> None:
    item = item_at_handle(office)
    if to == "disabled":
        with office.ctx.uow() as uow:
            uow.execute(update(users).where(users.c.id == office.clerk2.id).values(active=False))
            uow.commit()
    target = office.clerk2 if to == "disabled" else office.people[to]
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match=words):
        office.run(responsibility.hand_over, office.clerk, item, to_user_id=target.id, reason=reason)
    assert counts(office.ctx) == before and _responsible(office, item) == office.clerk.id


def test_a_closed_record_is_not_handed_over(office: Office) -> None:
    item = item_at_handle(office)
    with office.ctx.uow() as uow:
        uow.execute(update(workflow_instances).where(workflow_instances.c.id == item).values(closed=True))
        uow.commit()
    with pytest.raises(WorkflowError, match="已办结"):
        office.run(responsibility.hand_over, office.director, item, to_user_id=office.clerk2.id, reason=REASON)


def test_a_hand_over_on_a_record_changed_since_it_was_read_is_refused(office: Office) -> None:
    item = start_item(office)
    with office.ctx.uow() as uow:
        version = uow.execute(select(workflow_instances.c.version).where(workflow_instances.c.id == item)).scalar_one()
    move(office, "clerk", item, "submit")
    with pytest.raises(ConflictError):
        office.run(responsibility.hand_over, office.clerk, item, to_user_id=office.clerk2.id, reason=REASON,
                   expected_version=version)
    assert _responsible(office, item) == office.clerk.id


def test_the_candidates_are_those_who_may_see_the_record(office: Office) -> None:
    item = item_at_handle(office, unit="财政局")
    names = {c.name for c in office.run(responsibility.handover_candidates, office.clerk, item)}
    assert {"赵文秘", "王主任", "吴联络"} <= names
    # Not the responsible person, nor another unit's 联络员, who may not see the record.
    assert not {"张文秘", "郑联络"} & names
