"""排查问题 (app.services.petitions.problems) on every database: 立项 and 交办 in one act by those who handle
petitions, the responsible unit's task on its 联络员's list, the unit's report, 化解办结; who sees a problem (the
office all, a 联络员 their own unit's); every act refused for the wrong role or the wrong unit, leaving nothing
behind."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from app.bootstrap import AppContext
from app.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from app.services.petitions import problems
from app.services.workflow import parallel, visibility
from tests.helpers.document_office import TODAY, Office, counts
from tests.helpers.petitions_office import build_petition_office

DEADLINE = TODAY + timedelta(days=30)
HANDLERS = ["petition", "director", "deputy"]
OTHERS = ["clerk", "mayor", "liaison_fin", "finance", "admin"]


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


def fields(o: Office, **changed: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "城关镇商品房两证办理问题", "category": "商品房两证办理", "place": "城关镇",
        "period_from": date(2026, 9, 1), "period_to": date(2026, 11, 30), "case_count": 3,
        "description": "幸福小区、阳光花园等三个小区未办证，请牵头协调开发商办理", "unit_id": o.units["财政局"],
        "deadline": DEADLINE, "today": TODAY,
    }
    values.update(changed)
    return values


def create(o: Office, by: str = "petition", **changed: Any) -> problems.ProblemInfo:
    return o.run(problems.create_problem, o.people[by], **fields(o, **changed))  # type: ignore[no-any-return]


@pytest.mark.parametrize("who", HANDLERS)
def test_a_handler_assigns_a_problem_to_its_unit_in_one_act(office: Office, who: str) -> None:
    o = office
    info = create(o, who)
    assert info.number == "排〔2026〕1号"
    assert (info.state, info.state_label, info.closed) == ("handle", "化解落实", False)
    assert (info.unit_name, info.deadline, info.case_count) == ("县财政局", DEADLINE, 3)
    assert (info.task_state, info.task_state_label) == ("sent", "办理中")
    # The unit's one lead task, due on the deadline, waits on its 联络员's 工作台.
    with o.ctx.uow() as uow:
        [task] = parallel.work_items_of(uow, o.people[who], info.instance_id).items
        waiting = parallel.pending_work_items(uow, o.liaison_fin, TODAY)
    assert (task.lead, task.unit_id, task.due_date, task.step_key) == (True, o.units["财政局"], DEADLINE, "handle")
    assert task.task.startswith("化解城关镇商品房两证办理问题：幸福小区")
    assert [w.item.id for w in waiting] == [task.id] and waiting[0].waiting_for == "report"
    assert create(o, who, title="河西乡复员退伍军人就业问题").number == "排〔2026〕2号"


@pytest.mark.parametrize("who", OTHERS)
def test_only_those_who_handle_petitions_assign_a_problem(office: Office, who: str) -> None:
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="交办排查问题"):
        create(office, who)
    assert counts(office.ctx) == before
    assert office.run(problems.list_problems, office.director) == []


@pytest.mark.parametrize(("changed", "field", "words"), [
    ({"title": "  "}, "title", "请填写问题名称"),
    ({"title": "问" * 201}, "title", "不能超过200个字"),
    ({"period_from": None}, "period_from", "时间段"),
    ({"period_from": date(2026, 12, 1)}, "period_from", "不能晚于"),
    ({"case_count": -1}, "case_count", "涉及件数"),
    ({"unit_id": None}, "unit_id", "请选择责任单位"),
    ({"unit_id": 99999}, "unit_id", "不存在或已停用"),
    ({"deadline": None}, "deadline", "请填写化解时限"),
    ({"deadline": TODAY - timedelta(days=1)}, "deadline", "不能早于今天"),
])
def test_what_is_missing_or_wrong_is_refused_beside_its_field(
    office: Office, changed: dict[str, Any], field: str, words: str
) -> None:
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match=words) as refused:
        create(office, **changed)
    assert refused.value.field == field
    assert counts(office.ctx) == before


def test_the_office_sees_every_problem_and_a_liaison_their_units_only(office: Office) -> None:
    o = office
    fin = create(o)
    edu = create(o, title="河西乡复员退伍军人就业问题", unit_id=o.units["教育局"])
    for who in ["petition", "director", "deputy", "clerk", "mayor"]:
        assert [p.id for p in o.run(problems.list_problems, o.people[who])] == [edu.id, fin.id]
    assert [p.id for p in o.run(problems.list_problems, o.liaison_fin)] == [fin.id]
    assert [p.id for p in o.run(problems.list_problems, o.liaison_edu)] == [edu.id]
    assert o.run(problems.list_problems, o.finance) == []
    assert o.run(problems.get_problem, o.liaison_fin, fin.id).title == "城关镇商品房两证办理问题"
    for who, problem in (("liaison_edu", fin), ("liaison_fin", edu), ("finance", fin)):
        with pytest.raises(PermissionDenied, match="没有交办给您的单位"):
            o.run(problems.get_problem, o.people[who], problem.id)
    with pytest.raises(NotFound):
        o.run(problems.get_problem, o.director, 99999)
    assert o.run(problems.problem_of_instance, o.liaison_fin, fin.instance_id) == fin.id
    with pytest.raises(PermissionDenied):
        o.run(problems.problem_of_instance, o.liaison_edu, fin.instance_id)
    # The workflow's own reads (the window's flow, the 工作台, 催办) follow the same rule.
    with o.ctx.uow() as uow:
        assert visibility.may_see(uow, o.liaison_fin, fin.instance_id)
        assert visibility.may_see(uow, o.clerk, fin.instance_id)
        assert not visibility.may_see(uow, o.liaison_edu, fin.instance_id)
        assert not visibility.may_see(uow, o.finance, edu.instance_id)


def test_the_unit_reports_and_a_handler_solves_it(office: Office) -> None:
    o = office
    info = create(o)
    # Before the unit reports, it cannot be solved.
    with pytest.raises(WorkflowError, match="尚未报送化解情况"):
        o.run(problems.solve, o.petition, info.id, today=TODAY)
    detail = o.run(problems.problem_detail, o.liaison_fin, info.id, TODAY)
    assert detail.may_report and not detail.may_solve and detail.workflow.actions == []
    reported = o.run(problems.report_problem, o.liaison_fin, info.id, "已协调开发商补缴税费，三个小区均已办证",
                     today=TODAY)
    assert (reported.task_state, reported.feedback) == ("reported", "已协调开发商补缴税费，三个小区均已办证")
    # Reported again (a correction) until the office accepts it.
    o.run(problems.report_problem, o.liaison_fin, info.id, "三个小区共412户均已办证", today=TODAY)
    detail = o.run(problems.problem_detail, o.petition, info.id, TODAY)
    assert detail.may_solve and not detail.may_report
    assert detail.workflow.actions == []  # the flow offers 化解办结 once the task is finished
    solved = o.run(problems.solve, o.petition, info.id, "经回访，业主满意", expected_version=detail.info.version,
                   today=TODAY)
    assert (solved.state_label, solved.closed, solved.solved_on) == ("已化解", True, TODAY)
    assert (solved.task_state, solved.feedback) == ("done", "三个小区共412户均已办证")
    with o.ctx.uow() as uow:
        assert parallel.pending_work_items(uow, o.liaison_fin, TODAY) == []
    assert o.run(problems.list_problems, o.director, open_only=True) == []
    assert [p.id for p in o.run(problems.list_problems, o.director)] == [info.id]
    # Solved is final: no report, no second 化解办结.
    with pytest.raises(WorkflowError, match="不在化解落实阶段"):
        o.run(problems.report_problem, o.liaison_fin, info.id, "补充", today=TODAY)
    with pytest.raises(WorkflowError, match="已化解"):
        o.run(problems.solve, o.director, info.id, today=TODAY)


@pytest.mark.parametrize("who", ["liaison_edu", "finance", "petition", "director", "clerk"])
def test_only_the_units_liaison_reports(office: Office, who: str) -> None:
    info = create(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        office.run(problems.report_problem, office.people[who], info.id, "已化解", today=TODAY)
    assert counts(office.ctx) == before
    with pytest.raises(ValidationError, match="请填写办理情况"):
        office.run(problems.report_problem, office.liaison_fin, info.id, "  ", today=TODAY)


@pytest.mark.parametrize(("who", "sees_it"), [
    ("liaison_fin", True), ("clerk", True), ("mayor", True), ("liaison_edu", False), ("finance", False),
])
def test_only_those_who_handle_petitions_solve(office: Office, who: str, sees_it: bool) -> None:
    info = create(office)
    office.run(problems.report_problem, office.liaison_fin, info.id, "已化解", today=TODAY)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        office.run(problems.solve, office.people[who], info.id, today=TODAY)
    assert counts(office.ctx) == before
    if sees_it:
        detail = office.run(problems.problem_detail, office.people[who], info.id, TODAY)
        assert not detail.may_solve and detail.workflow.actions == []
    else:
        with pytest.raises(PermissionDenied):
            office.run(problems.problem_detail, office.people[who], info.id, TODAY)


@pytest.mark.parametrize("who", ["director", "deputy"])
def test_a_leader_solves_what_an_officer_assigned(office: Office, who: str) -> None:
    info = create(office)
    office.run(problems.report_problem, office.liaison_fin, info.id, "已化解", today=TODAY)
    assert office.run(problems.solve, office.people[who], info.id, today=TODAY).closed


def test_a_stale_window_cannot_solve(office: Office) -> None:
    from app.core.errors import ConflictError

    info = create(office)
    office.run(problems.report_problem, office.liaison_fin, info.id, "已化解", today=TODAY)
    with pytest.raises(ConflictError, match="已被其他人修改"):
        office.run(problems.solve, office.petition, info.id, expected_version=info.version, today=TODAY)
