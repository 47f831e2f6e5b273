"""Units of work, optimistic locking, and the generic workflow transition on every database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, select

from app.bootstrap import AppContext
from app.core.errors import ConflictError, PermissionDenied, ValidationError, WorkflowError
from app.core.roles import Role
from app.db.tables import units, utcnow
from app.models import Unit, User, WorkflowInstance
from app.services.admin import users as admin
from app.services.kernel.actor import SYSTEM_ACTOR, Actor
from app.services.workflow import detail as workflow_detail
from app.services.workflow import moves as workflow
from tests.helpers import add_unit, add_user
from tests.helpers.document_office import counts


def start_document(ctx: AppContext, owner: Actor, title: str = "关于做好冬季森林防火工作的通知") -> int:
    with ctx.uow() as uow:
        instance = workflow.start(uow, owner, flow_key="outgoing_document", entity_type="item", title=title)
        uow.commit()
        return instance.id


def unit_names(ctx: AppContext) -> list[str]:
    with ctx.uow() as uow:
        return sorted(uow.execute(select(units.c.name)).scalars())


def test_plain_statements_and_orm_objects_share_one_transaction(ctx: AppContext) -> None:
    """uow.execute (Core, before any session) and uow.session (ORM, made later, joining the transaction
    the Core statement began) commit together, and roll back together."""
    before = unit_names(ctx)
    for commit in (False, True):
        with ctx.uow() as uow:
            uow.execute(insert(units).values(name=f"甲股{commit}", version=1, created_at=utcnow(), updated_at=utcnow()))
            uow.session.add(Unit(name=f"乙股{commit}"))
            uow.record(None, "system", "create", "unit", None, change_op="create")
            if commit:
                uow.commit()
    assert unit_names(ctx) == sorted([*before, "甲股True", "乙股True"])


def test_a_plain_query_sees_objects_not_yet_flushed(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        uow.session.add(Unit(name="未写入股"))
        assert uow.execute(select(units.c.id).where(units.c.name == "未写入股")).scalar_one_or_none() is not None


def test_a_unit_of_work_outside_its_block_is_refused(ctx: AppContext) -> None:
    uow = ctx.uow()
    with pytest.raises(RuntimeError, match="outside its with-block"):
        uow.execute(select(units.c.id))
    with uow:
        uow.execute(select(units.c.id))
    with pytest.raises(RuntimeError, match="outside its with-block"):
        uow.session.add(Unit(name="迟到股"))


def test_work_goes_on_while_the_orm_is_still_loading_elsewhere(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The login dialog loads the ORM on a thread of its own while the login's unit of work commits: a
    half-imported sqlalchemy.orm.exc, without its StaleDataError yet, must not break the commit (it
    once did: the login failed with an unexpected error), nor how a refused write is reported."""
    import sys
    import types

    monkeypatch.setitem(sys.modules, "sqlalchemy.orm.exc", types.ModuleType("sqlalchemy.orm.exc"))
    with ctx.uow() as uow:
        uow.execute(insert(units).values(name="半途股", version=1, created_at=utcnow(), updated_at=utcnow()))
        uow.commit()
    with ctx.uow() as uow, pytest.raises(ValidationError, match="冲突"):
        uow.session.add(Unit(name="半途股"))
        uow.commit()
    assert unit_names(ctx).count("半途股") == 1


def test_stale_write_raises_conflict(ctx: AppContext) -> None:
    add_user(ctx, "wang", [Role.SECRETARY], full_name="王芳")
    with ctx.uow() as first, ctx.uow() as second:
        mine = first.session.execute(select(User).where(User.username == "wang")).scalar_one()
        theirs = second.session.execute(select(User).where(User.username == "wang")).scalar_one()
        mine.phone = "13800000001"
        first.commit()
        theirs.phone = "13900000002"
        with pytest.raises(ConflictError, match="已被其他人修改"):
            second.commit()
    with ctx.uow() as uow:
        assert uow.session.execute(select(User.phone).where(User.username == "wang")).scalar_one() == "13800000001"


def test_stale_version_through_a_service_is_refused(ctx: AppContext) -> None:
    user = add_user(ctx, "li", [Role.SECRETARY])
    assert user.id is not None
    with ctx.uow() as uow:
        loaded = admin.get_user(uow, SYSTEM_ACTOR, user.id)
    with ctx.uow() as uow:
        admin.update_user(uow, SYSTEM_ACTOR, user.id, expected_version=loaded.version, title="科员")
    with ctx.uow() as uow, pytest.raises(ConflictError):
        admin.update_user(uow, SYSTEM_ACTOR, user.id, expected_version=loaded.version, title="副科长")
    with ctx.uow() as uow:
        assert admin.get_user(uow, SYSTEM_ACTOR, user.id).title == "科员"


def test_transition_writes_history_audit_and_feed_together(ctx: AppContext) -> None:
    unit = add_unit(ctx, "秘书股", "section")
    clerk = add_user(ctx, "zhang", [Role.SECRETARY], unit, full_name="张伟")
    lead = add_user(ctx, "liu", [Role.DEPUTY_DIRECTOR], unit, full_name="刘洋")
    doc = start_document(ctx, clerk)
    before = counts(ctx)
    with ctx.uow() as uow:
        info = workflow.transition(uow, clerk, doc, "submit", "请审核")
    assert info.state == "review" and info.state_label == "核稿"
    assert counts(ctx) == (before[0] + 1, before[1] + 1, before[2] + 1)
    with ctx.uow() as uow:
        info = workflow.transition(uow, lead, doc, "return", "标题不规范，请按文种修改", {"has_cosigners": False})
    assert info.state == "draft"
    with ctx.uow() as uow:
        trail = workflow_detail.history(uow, doc)
    assert [(h.action_label, h.actor_name, h.opinion) for h in trail] == [
        ("创建", "张伟", ""),
        ("送核稿", "张伟", "请审核"),
        ("退回", "刘洋", "标题不规范，请按文种修改"),
    ]
    assert trail[-1].from_label == "核稿" and trail[-1].to_label == "拟稿"


@pytest.mark.parametrize(
    ("who", "action", "error"),
    [
        ("lead", "submit", PermissionDenied),  # not the drafter
        ("other_clerk", "submit", PermissionDenied),  # a secretary, but not the owner
        ("leader", "submit", PermissionDenied),  # the wrong role altogether
        ("clerk", "sign", WorkflowError),  # an action the step doesn't have
    ],
)
def test_failed_transition_leaves_nothing_behind(ctx: AppContext, who: str, action: str, error: type) -> None:
    unit = add_unit(ctx, "秘书股", "section")
    people = {
        "clerk": add_user(ctx, "clerk", [Role.SECRETARY], unit),
        "other_clerk": add_user(ctx, "clerk2", [Role.SECRETARY], unit),
        "lead": add_user(ctx, "lead", [Role.DEPUTY_DIRECTOR], unit),
        "leader": add_user(ctx, "leader", [Role.COUNTY_LEADER]),
    }
    doc = start_document(ctx, people["clerk"])
    before = counts(ctx)
    with ctx.uow() as uow:
        version = workflow.get_instance(uow, doc).version
    with ctx.uow() as uow, pytest.raises(error):
        workflow.transition(uow, people[who], doc, action, "意见")
    assert counts(ctx) == before
    with ctx.uow() as uow:
        instance = workflow.get_instance(uow, doc)
        assert (instance.state, instance.version) == ("draft", version)


def test_an_error_after_a_transition_rolls_it_all_back(ctx: AppContext) -> None:
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    doc = start_document(ctx, clerk)
    before = counts(ctx)
    with pytest.raises(RuntimeError), ctx.uow() as uow:
        workflow.apply_transition(uow, clerk, workflow.get_instance(uow, doc), "submit")
        uow.session.flush()
        raise RuntimeError("the numbering step failed before commit")
    assert counts(ctx) == before
    with ctx.uow() as uow:
        assert workflow.get_instance(uow, doc).state == "draft"


def test_two_clients_acting_on_the_same_step_conflict(ctx: AppContext) -> None:
    unit = add_unit(ctx, "秘书股", "section")
    clerk = add_user(ctx, "clerk", [Role.SECRETARY], unit)
    a = add_user(ctx, "lead_a", [Role.DEPUTY_DIRECTOR], unit)
    b = add_user(ctx, "lead_b", [Role.DIRECTOR], unit)
    doc = start_document(ctx, clerk)
    with ctx.uow() as uow:
        workflow.transition(uow, clerk, doc, "submit")
    with ctx.uow() as uow:
        seen = workflow.get_instance(uow, doc).version
    with ctx.uow() as uow:
        workflow.transition(uow, a, doc, "approve", facts={"has_cosigners": False}, expected_version=seen)
    with ctx.uow() as uow, pytest.raises(ConflictError, match="已被其他人办理"):
        workflow.transition(uow, b, doc, "return", "不同意", expected_version=seen)


def test_due_date_follows_the_step_time_limit(ctx: AppContext) -> None:
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    with ctx.uow() as uow:
        # 拟稿 has 3 working days; from 2026-09-30 the National Day holiday (10/1–10/7) is skipped.
        instance = workflow.start(
            uow, clerk, flow_key="outgoing_document", entity_type="item", title="国庆节后通知",
            today=date(2026, 9, 30),
        )
        uow.commit()
        assert instance.due_date == date(2026, 10, 10)  # 10/8, 10/9, then 10/10 is a make-up working day
        assert instance.due_provisional is False


def test_the_final_step_closes_the_instance(ctx: AppContext) -> None:
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    doc = start_document(ctx, clerk)
    with ctx.uow() as uow:
        info = workflow.transition(uow, clerk, doc, "cancel", "重复起草，作废")
    assert info.closed and info.state_label == "已作废" and info.due_date is None
    with ctx.uow() as uow, pytest.raises(WorkflowError, match="已办结"):
        workflow.transition(uow, clerk, doc, "submit")
    with ctx.uow() as uow:
        assert uow.session.get(WorkflowInstance, doc).closed_at is not None  # type: ignore[union-attr]


def test_liaison_acts_only_for_their_own_unit(ctx: AppContext) -> None:
    ours = add_unit(ctx, "县财政局")
    theirs = add_unit(ctx, "县教育局")
    drafter = add_user(ctx, "drafter", [Role.LIAISON], ours)
    outsider = add_user(ctx, "outsider", [Role.LIAISON], theirs)
    doc = start_document(ctx, drafter)
    with ctx.uow() as uow:
        assert workflow.available_actions(uow, outsider, workflow.get_instance(uow, doc)) == []
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        workflow.transition(uow, outsider, doc, "submit")
    with ctx.uow() as uow:
        assert workflow.transition(uow, drafter, doc, "submit").state == "review"


def test_records_with_their_own_service_refuse_the_generic_transition(ctx: AppContext) -> None:
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    with ctx.uow() as uow:
        instance = workflow.start(uow, clerk, flow_key="outgoing_document", entity_type="document", title="公文")
        uow.commit()
    with ctx.uow() as uow, pytest.raises(WorkflowError, match="公文请在它自己的窗口中办理"):
        workflow.transition(uow, clerk, instance.id, "submit")
