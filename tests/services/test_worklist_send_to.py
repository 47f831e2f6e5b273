"""Send to a named person: who may be picked at the step a move leads to, only that person (and their delegate)
has it in 待办, a person who may not act there is refused; and actor facts agree between SQL and Python."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, WorkflowError
from app.core.workflow.actor_facts import ACTOR_FACTS
from app.services.documents import outgoing
from app.services.documents.records import get_document
from app.services.kernel.light_tables import urges as urges_table
from app.services.workflow import handlers, moves, todo, urges
from tests.helpers.document_office import TODAY, Office, advance_outgoing, build_office, new_draft
from tests.helpers.worklist_flow import (
    move,
    save_test_flow,
    snapshot,
    start_record,
    state_of,
    todo_titles,
)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    o = build_office(ctx)
    save_test_flow(o)
    return o


def _names(o: Office, who: object, instance_id: int, action: str) -> list[str]:
    with o.ctx.uow() as uow:
        return [c.name for c in handlers.handler_candidates(uow, who, instance_id, action)]  # type: ignore[arg-type]


def test_every_registered_actor_fact_has_a_value_and_an_sql_form() -> None:
    assert set(moves.FACT_VALUES) == set(ACTOR_FACTS)
    assert set(todo.FACT_SQL) == set(ACTOR_FACTS)


def test_the_candidates_are_those_who_may_take_the_next_step_on(office: Office) -> None:
    o = office
    record = start_record(o, o.clerk)
    # 审核: the director (a principal) first, then the deputy, then the record's responsible person, who
    # may close it there; the other secretary may not.
    assert _names(o, o.clerk, record, "submit") == ["王主任", "李副主任", "张文秘"]
    move(o, o.clerk, record, "submit")
    # 签批 is the principal leader's: 刘副县长 may only send it back, so is no candidate.
    assert _names(o, o.deputy, record, "approve") == ["陈县长"]
    # Someone who may not take the move is not told whom it could go to.
    with pytest.raises(PermissionDenied):
        _names(o, o.clerk2, record, "approve")


def test_only_the_named_person_has_it_and_the_rest_of_the_role_does_not(office: Office) -> None:
    o = office
    record = start_record(o, o.clerk)
    move(o, o.clerk, record, "submit", send_to=o.deputy.id)
    assert state_of(o, record)[:2] == ("review", o.deputy.id)
    assert todo_titles(o, o.deputy) == ["关于冬季防火的请示"]
    assert todo_titles(o, o.director) == []
    with pytest.raises(PermissionDenied, match="此事项在当前环节由李副主任办理"):
        move(o, o.director, record, "approve")
    # Nobody named: the role pool has it, as before.
    pooled = start_record(o, o.clerk, "关于春季植树的请示")
    move(o, o.clerk, pooled, "submit")
    assert "关于春季植树的请示" in todo_titles(o, o.director)
    assert "关于春季植树的请示" in todo_titles(o, o.deputy)


def test_a_person_who_may_not_act_at_the_step_is_refused_and_nothing_changes(office: Office) -> None:
    o = office
    record = start_record(o, o.clerk)
    move(o, o.clerk, record, "submit")
    before = snapshot(o, record)
    with pytest.raises(WorkflowError, match="所选人员不能办理“签批”环节"):
        move(o, o.deputy, record, "approve", send_to=o.vice.id)
    with pytest.raises(WorkflowError, match="签批"):
        move(o, o.deputy, record, "approve", send_to=o.clerk2.id)
    assert snapshot(o, record) == before


def test_the_responsible_person_fact_reads_the_same_in_sql_and_in_python(office: Office) -> None:
    o = office
    record = start_record(o, o.clerk)
    move(o, o.clerk, record, "submit")
    # 直接办结 at 审核 is the responsible person's (the starter): in their 待办, not another secretary's.
    assert todo_titles(o, o.clerk) == ["关于冬季防火的请示"]
    assert todo_titles(o, o.clerk2) == []
    with pytest.raises(PermissionDenied):
        move(o, o.clerk2, record, "close")
    assert move(o, o.clerk, record, "close").closed


def test_an_outgoing_draft_is_sent_to_one_leader_to_sign(office: Office) -> None:
    o = office
    doc = new_draft(o)
    advance_outgoing(o, doc, "review")
    with o.ctx.uow() as uow:
        instance_id = get_document(uow, o.deputy, doc).instance.info.id
        # 签发 of an ordinary document: the principal leaders, then the other county leader.
        names = [c.name for c in handlers.handler_candidates(uow, o.deputy, instance_id, "approve")]
    assert names == ["陈县长", "王主任", "刘副县长"]
    o.run(outgoing.review, o.deputy, doc, "approve", "同意送签", today=TODAY, send_to=o.vice.id)
    titles = "关于做好冬季森林防火工作的通知"
    assert todo_titles(o, o.vice) == [titles]
    assert todo_titles(o, o.mayor) == [] and todo_titles(o, o.director) == []
    with pytest.raises(PermissionDenied, match="刘副县长"):
        o.run(outgoing.sign, o.mayor, doc, "同意印发", today=TODAY)
    assert o.run(outgoing.sign, o.vice, doc, "同意印发", today=TODAY).state == "recheck"


def test_an_important_document_can_be_sent_only_to_the_principal_leader(office: Office) -> None:
    o = office
    doc = new_draft(o, important=True)
    advance_outgoing(o, doc, "review")
    with o.ctx.uow() as uow:
        instance_id = get_document(uow, o.deputy, doc).instance.info.id
        names = [c.name for c in handlers.handler_candidates(uow, o.deputy, instance_id, "approve")]
    assert names == ["陈县长"]
    with pytest.raises(WorkflowError, match="签发"):
        o.run(outgoing.review, o.deputy, doc, "approve", "同意送签", today=TODAY, send_to=o.vice.id)


def test_an_urge_reaches_the_person_it_is_aimed_at_not_the_role(office: Office) -> None:
    o = office
    named = start_record(o, o.clerk, "紧急请示", urgency="特急")
    move(o, o.clerk, named, "submit", send_to=o.deputy.id)
    pooled = start_record(o, o.clerk, "普通请示", urgency="特急")
    move(o, o.clerk, pooled, "submit")
    o.run(urges.urge, o.clerk, named, "电话", "请尽快审核", today=TODAY)
    o.run(urges.urge, o.clerk, pooled, "电话", "请尽快审核", today=TODAY)
    with o.ctx.uow() as uow:
        aimed = dict(uow.execute(select(urges_table.c.instance_id, urges_table.c.aimed_at_id)).all())
    assert aimed == {named: o.deputy.id, pooled: None}
    # The deputy sees both hastened; the director, of the same role, only the one aimed at nobody.
    assert sorted(todo_titles(o, o.deputy, view="urged")) == ["普通请示", "紧急请示"]
    assert todo_titles(o, o.director, view="urged") == ["普通请示"]
    with o.ctx.uow() as uow:
        assert todo.todo(uow, o.director, today=TODAY).count_of("urged") == 1
        assert todo.todo(uow, o.deputy, today=TODAY).count_of("urged") == 2
