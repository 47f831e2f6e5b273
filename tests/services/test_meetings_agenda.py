"""议题 (app.services.meetings.agenda): units propose topics with materials, the office reviews them, a
常务会议's are approved by the office's leaders and put in order; each act by each role, allowed and refused, on
SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.errors import ConflictError, PermissionDenied, ValidationError, WorkflowError
from app.services.meetings import agenda, records
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, new_meeting
from tests.helpers.meetings_steps import take

PDF = ("预算调整方案.pdf", b"%PDF-1.4\n% topic material\n")


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def topic(o: Office, unit: str | None = "财政局", title: str = "关于2027年县级预算调整方案的议题") -> agenda.TopicInput:
    return agenda.TopicInput(title=title, summary="提请审议2027年县级预算调整方案。\n附：调整明细表",
                             reporter="钱局长", unit_id=o.units[unit] if unit else None)


def standing(o: Office) -> int:
    """A 常务会议 the 财政局 and the 教育局 attend."""
    return new_meeting(o, add_rooms(o)["第一会议室"])


def special(o: Office) -> int:
    """A 专题会议, whose topics the office's review approves at once."""
    return new_meeting(o, add_rooms(o)["第一会议室"], meeting_type="专题会议", title="财政专题会议")


def propose(o: Office, meeting: int, by: str = "liaison_fin", unit: str | None = "财政局", **kw: object) -> int:
    return int(o.run(agenda.propose_topic, o.people[by], meeting, topic(o, unit, **kw)).id)  # type: ignore[arg-type]


# ----- proposing ---------------------------------------------------------------------------------------------


def test_a_liaison_proposes_for_their_own_unit_with_materials(office: Office) -> None:
    meeting = standing(office)
    version = office.run(records.get_meeting, office.clerk, meeting).version
    # Whatever unit the form names, a 联络员's topic is their own unit's.
    made = office.run(agenda.propose_topic, office.liaison_fin, meeting, topic(office, "教育局"), files=[PDF])
    assert (made.unit_name, made.state, made.state_label, made.position, made.proposed_by_name) == (
        "县财政局", "proposed", "已申报", 0, "吴联络")
    assert made.summary == "提请审议2027年县级预算调整方案。\n附：调整明细表"
    assert [m.filename for m in office.run(agenda.materials_of, office.clerk, made.id)] == ["预算调整方案.pdf"]
    assert office.run(records.get_meeting, office.clerk, meeting).version > version


@pytest.mark.parametrize("who", ["clerk", "clerk2", "director", "deputy"])
def test_the_organizers_propose_for_any_unit(office: Office, who: str) -> None:
    meeting = standing(office)
    made = office.run(agenda.propose_topic, office.people[who], meeting, topic(office, "城关镇"))
    assert made.unit_name == "城关镇"


@pytest.mark.parametrize("who", ["mayor", "vice", "petition", "finance", "cashier", "admin"])
def test_nobody_else_proposes(office: Office, who: str) -> None:
    meeting = standing(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="申报议题"):
        office.run(agenda.propose_topic, office.people[who], meeting, topic(office))
    assert counts(office.ctx) == before


def test_a_liaison_whose_unit_has_no_part_in_the_meeting_cannot_propose_to_it(office: Office) -> None:
    meeting = new_meeting(office, add_rooms(office)["第一会议室"], attendees=[])
    with pytest.raises(PermissionDenied, match="不能查看"):
        office.run(agenda.propose_topic, office.liaison_fin, meeting, topic(office))


@pytest.mark.parametrize(("fields", "message", "field"), [
    ({"title": "  "}, "请填写议题名称", "title"),
    ({"title": "题" * 201}, "议题名称不能超过200个字，现在有201个字", "title"),
    ({"summary": "说" * 2001}, "议题说明不能超过2000个字", "summary"),
    ({"reporter": "汇" * 51}, "汇报人不能超过50个字", "reporter"),
    ({"unit_id": None}, "请选择申报单位", "unit_id"),
    ({"unit_id": 99999}, "所选申报单位不存在或已停用", "unit_id"),
])
def test_bad_topics_are_refused_saying_what_to_fix(office: Office, fields: dict[str, object], message: str,
                                                   field: str) -> None:
    meeting = standing(office)
    values: dict[str, object] = {"title": "议题", "summary": "", "reporter": "", "unit_id": office.units["财政局"]}
    values.update(fields)
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match=message) as caught:
        office.run(agenda.propose_topic, office.clerk, meeting, agenda.TopicInput(**values))  # type: ignore[arg-type]
    assert caught.value.field == field
    assert counts(office.ctx) == before


def test_a_bad_material_refuses_the_whole_topic(office: Office) -> None:
    meeting = standing(office)
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="空文件"):
        office.run(agenda.propose_topic, office.liaison_fin, meeting, topic(office), files=[("空.pdf", b"")])
    assert counts(office.ctx) == before
    assert office.run(agenda.topics_of, office.clerk, meeting) == []


def test_topics_are_proposed_only_while_the_meeting_is_prepared(office: Office) -> None:
    meeting = standing(office)
    proposed = propose(office, meeting)
    take(office, meeting, "convene")
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="议题只能在会前筹备时申报"):
        propose(office, meeting)
    with pytest.raises(WorkflowError, match="议题只能在会前筹备时审核"):
        office.run(agenda.review_topic, office.clerk, proposed, True)
    assert counts(office.ctx) == before


def test_nothing_is_proposed_to_a_cancelled_meeting(office: Office) -> None:
    meeting = standing(office)
    take(office, meeting, "cancel")
    with pytest.raises(WorkflowError, match="已取消，不能再申报"):
        propose(office, meeting)


# ----- changing and withdrawing ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["liaison_fin", "clerk", "director"])
def test_its_unit_or_the_office_changes_a_proposed_topic(office: Office, who: str) -> None:
    meeting = standing(office)
    made = office.run(agenda.propose_topic, office.liaison_fin, meeting, topic(office))
    changed = office.run(agenda.update_topic, office.people[who], made.id, topic(office, title="预算调整方案（修改稿）"),
                         expected_version=made.version)
    assert (changed.title, changed.unit_name) == ("预算调整方案（修改稿）", "县财政局")
    assert changed.version > made.version


@pytest.mark.parametrize(("who", "error", "message"), [
    ("liaison_edu", PermissionDenied, "不能查看"),
    ("mayor", PermissionDenied, "只有申报单位的部门联络员"),
    ("finance", PermissionDenied, "只有申报单位的部门联络员"),
])
def test_nobody_else_changes_or_withdraws_it(office: Office, who: str, error: type[Exception], message: str) -> None:
    meeting = standing(office)
    made = propose(office, meeting)
    before = counts(office.ctx)
    with pytest.raises(error, match=message):
        office.run(agenda.update_topic, office.people[who], made, topic(office, title="改"))
    with pytest.raises(error, match=message):
        office.run(agenda.withdraw_topic, office.people[who], made)
    assert counts(office.ctx) == before


def test_a_liaison_cannot_touch_another_units_topic_proposed_by_the_office(office: Office) -> None:
    meeting = standing(office)
    theirs = propose(office, meeting, by="clerk", unit="教育局")
    office.run(agenda.review_topic, office.clerk, theirs, True)
    office.run(agenda.review_topic, office.director, theirs, True)
    # Approved, the 财政局's 联络员 sees it on the agenda, but it is not theirs to change.
    assert office.run(agenda.get_topic, office.liaison_fin, theirs).state == "approved"
    with pytest.raises(PermissionDenied, match="这是其他单位申报的议题，不能撤回议题"):
        office.run(agenda.withdraw_topic, office.liaison_fin, theirs)


def test_a_stale_change_is_refused(office: Office) -> None:
    meeting = standing(office)
    made = office.run(agenda.propose_topic, office.liaison_fin, meeting, topic(office))
    office.run(agenda.update_topic, office.clerk, made.id, topic(office, title="改一"), expected_version=made.version)
    with pytest.raises(ConflictError, match="已被其他人修改"):
        office.run(agenda.update_topic, office.liaison_fin, made.id, topic(office, title="改二"),
                   expected_version=made.version)


def test_withdrawn_only_while_proposed(office: Office) -> None:
    meeting = special(office)
    first, second = propose(office, meeting), propose(office, meeting, title="第二个议题")
    withdrawn = office.run(agenda.withdraw_topic, office.liaison_fin, first)
    assert (withdrawn.state, withdrawn.state_label) == ("withdrawn", "已撤回")
    office.run(agenda.review_topic, office.clerk, second, True)
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="已审定，不能再撤回"):
        office.run(agenda.withdraw_topic, office.liaison_fin, second)
    with pytest.raises(WorkflowError, match="已撤回，不能再修改"):
        office.run(agenda.update_topic, office.liaison_fin, first, topic(office))
    with pytest.raises(WorkflowError, match="已撤回，不能再审核"):
        office.run(agenda.review_topic, office.clerk, first, True)
    assert counts(office.ctx) == before


# ----- reviewing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk", "clerk2", "director", "deputy"])
def test_a_special_meetings_topic_is_approved_by_the_offices_review(office: Office, who: str) -> None:
    meeting = special(office)
    made = propose(office, meeting)
    approved = office.run(agenda.review_topic, office.people[who], made, True, "同意上会")
    assert (approved.state, approved.state_label, approved.position, approved.review_note) == (
        "approved", "已审定", 1, "同意上会")


@pytest.mark.parametrize("who", ["clerk", "clerk2", "director", "deputy"])
def test_a_standing_meetings_topic_is_reviewed_then_approved_by_the_offices_leaders(office: Office, who: str) -> None:
    meeting = standing(office)
    made = propose(office, meeting)
    reviewed = office.run(agenda.review_topic, office.people[who], made, True, "材料齐全")
    assert (reviewed.state, reviewed.state_label, reviewed.position) == ("reviewed", "办公室已审核", 0)
    leader = "deputy" if who == "director" else "director"
    approved = office.run(agenda.review_topic, office.people[leader], made, True)
    assert (approved.state, approved.position) == ("approved", 1)


@pytest.mark.parametrize("who", ["clerk", "clerk2"])
def test_a_secretary_cannot_approve_a_standing_meetings_topic(office: Office, who: str) -> None:
    meeting = standing(office)
    made = propose(office, meeting)
    office.run(agenda.review_topic, office.clerk, made, True)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="只有办公室主任、副主任可以审定常务会议的议题"):
        office.run(agenda.review_topic, office.people[who], made, True)
    with pytest.raises(PermissionDenied, match="审定常务会议的议题"):
        office.run(agenda.review_topic, office.people[who], made, False, "不成熟")
    assert counts(office.ctx) == before


@pytest.mark.parametrize("who", ["liaison_fin", "mayor", "vice", "petition", "finance", "cashier", "admin"])
def test_nobody_else_reviews(office: Office, who: str) -> None:
    meeting = special(office)
    made = propose(office, meeting)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="审核议题"):
        office.run(agenda.review_topic, office.people[who], made, True)
    assert counts(office.ctx) == before


def test_turned_down_with_the_reason_from_proposed_or_reviewed(office: Office) -> None:
    meeting = standing(office)
    first, second = propose(office, meeting), propose(office, meeting, title="第二个议题")
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="不予上会请填写理由") as caught:
        office.run(agenda.review_topic, office.clerk, first, False, "  ")
    assert caught.value.field == "note" and counts(office.ctx) == before
    rejected = office.run(agenda.review_topic, office.clerk, first, False, "材料不全，请补充后下次申报")
    assert (rejected.state, rejected.state_label, rejected.review_note) == (
        "rejected", "不予上会", "材料不全，请补充后下次申报")
    office.run(agenda.review_topic, office.clerk, second, True)
    assert office.run(agenda.review_topic, office.deputy, second, False, "暂缓").state == "rejected"
    with pytest.raises(WorkflowError, match="不予上会，不能再审核"):
        office.run(agenda.review_topic, office.director, second, True)


# ----- the agenda's order and who sees what ----------------------------------------------------------------


def _approve_all(o: Office, ids: list[int]) -> None:
    for topic_id in ids:
        o.run(agenda.review_topic, o.clerk, topic_id, True)
        o.run(agenda.review_topic, o.director, topic_id, True)


def test_the_leaders_put_the_approved_topics_in_order(office: Office) -> None:
    meeting = standing(office)
    a, b, c = (propose(office, meeting, title=t) for t in ("甲议题", "乙议题", "丙议题"))
    pending = propose(office, meeting, by="liaison_edu", unit="教育局", title="丁议题")
    _approve_all(office, [a, b, c])
    ordered = office.run(agenda.order_topics, office.deputy, meeting, [c, a, b])
    assert [(t.title, t.position) for t in ordered] == [("丙议题", 1), ("甲议题", 2), ("乙议题", 3)]
    listed = office.run(agenda.topics_of, office.clerk, meeting)
    assert [t.title for t in listed] == ["丙议题", "甲议题", "乙议题", "丁议题"]
    assert listed[-1].id == pending and listed[-1].position == 0


@pytest.mark.parametrize(("ids", "message"), [
    ("two", "缺少“丙议题”"),
    ("with_pending", "只能排定已审定的议题"),
    ("twice", "有重复的议题"),
])
def test_the_order_names_exactly_the_approved_topics(office: Office, ids: str, message: str) -> None:
    meeting = standing(office)
    a, b, c = (propose(office, meeting, title=t) for t in ("甲议题", "乙议题", "丙议题"))
    pending = propose(office, meeting, title="丁议题")
    _approve_all(office, [a, b, c])
    wanted = {"two": [a, b], "with_pending": [a, b, c, pending], "twice": [a, b, c, c]}[ids]
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match=message):
        office.run(agenda.order_topics, office.director, meeting, wanted)
    assert counts(office.ctx) == before


@pytest.mark.parametrize("who", ["clerk", "clerk2", "mayor", "liaison_fin", "admin"])
def test_only_the_offices_leaders_order_a_standing_meetings_agenda(office: Office, who: str) -> None:
    meeting = standing(office)
    a = propose(office, meeting)
    _approve_all(office, [a])
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="排定常务会议的议题顺序"):
        office.run(agenda.order_topics, office.people[who], meeting, [a])
    assert counts(office.ctx) == before


@pytest.mark.parametrize(("who", "allowed"), [("clerk2", True), ("deputy", True), ("mayor", False),
                                              ("liaison_fin", False)])
def test_the_organizers_order_another_meetings_agenda(office: Office, who: str, allowed: bool) -> None:
    meeting = special(office)
    a, b = propose(office, meeting), propose(office, meeting, title="第二个议题")
    for topic_id in (a, b):
        office.run(agenda.review_topic, office.clerk, topic_id, True)
    if allowed:
        assert [t.id for t in office.run(agenda.order_topics, office.people[who], meeting, [b, a])] == [b, a]
    else:
        with pytest.raises(PermissionDenied, match="排定议题顺序"):
            office.run(agenda.order_topics, office.people[who], meeting, [b, a])


def test_a_liaison_sees_their_own_units_topics_and_the_approved_agenda(office: Office) -> None:
    meeting = standing(office)
    ours = propose(office, meeting, title="财政局待审议题")
    theirs = propose(office, meeting, by="liaison_edu", unit="教育局", title="教育局待审议题")
    agreed = propose(office, meeting, by="liaison_edu", unit="教育局", title="教育局已审定议题")
    _approve_all(office, [agreed])
    assert [t.title for t in office.run(agenda.topics_of, office.liaison_fin, meeting)] == [
        "教育局已审定议题", "财政局待审议题"]
    assert len(office.run(agenda.topics_of, office.mayor, meeting)) == 3
    with pytest.raises(PermissionDenied, match="这个议题是其他单位申报的，不能查看"):
        office.run(agenda.get_topic, office.liaison_fin, theirs)
    with pytest.raises(PermissionDenied, match="这个议题是其他单位申报的，不能查看"):
        office.run(agenda.materials_of, office.liaison_fin, theirs)
    assert office.run(agenda.get_topic, office.liaison_edu, theirs).title == "教育局待审议题"
    assert ours


# ----- materials -------------------------------------------------------------------------------------------


def test_materials_are_added_and_removed_by_the_unit_while_proposed(office: Office) -> None:
    meeting = standing(office)
    made = propose(office, meeting)
    added = office.run(agenda.add_material, office.liaison_fin, made, "说明.pdf", PDF[1])
    info, data = office.run(agenda.download_material, office.mayor, added.id)
    assert (info.filename, data) == ("说明.pdf", PDF[1])
    with pytest.raises(PermissionDenied, match="不能查看"):
        office.run(agenda.download_material, office.liaison_edu, added.id)
    office.run(agenda.review_topic, office.clerk, made, True)
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="办公室已审核，不能再增删材料"):
        office.run(agenda.add_material, office.liaison_fin, made, "补充.pdf", PDF[1])
    with pytest.raises(PermissionDenied, match="增删议题材料"):
        office.run(agenda.add_material, office.mayor, made, "补充.pdf", PDF[1])
    assert counts(office.ctx) == before
    # The office may still put in a corrected material until the topic is decided.
    office.run(agenda.add_material, office.clerk, made, "补充.pdf", PDF[1])
    office.run(agenda.remove_material, office.clerk, made, added.id)
    assert [m.filename for m in office.run(agenda.materials_of, office.liaison_fin, made)] == ["补充.pdf"]
