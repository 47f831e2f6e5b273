"""The Monday study sessions (app.services.information.study): terms, absences, the rotation over a term with
holidays and absences, remade mid-term keeping what was held, the records with attendance and a stand-in, who may
and who may not, and bad input; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import ConflictError, PermissionDenied, ValidationError
from app.models.audit import AuditEntry
from app.services.information import study
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
# The Mondays of 2026 on holiday: 春节 (2/16, 2/23), 清明 (4/6), 劳动节 (5/4), 国庆 (10/5).
HOLIDAY_MONDAYS = {date(2026, 2, 16), date(2026, 2, 23), date(2026, 4, 6), date(2026, 5, 4), date(2026, 10, 5)}
TOPICS = ["案例解剖", "公文写作常识", "文件政策解读"]
WRITERS = ["张文秘", "孙接待", "赵文秘", "钱会计"]


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def _term(o: Office, name: str = "2026年周一学习", span: tuple[date, date] = YEAR) -> study.TermInfo:
    info: study.TermInfo = o.run(study.create_term, o.clerk, name=name, starts_on=span[0], ends_on=span[1],
                                 topics=TOPICS)
    return info


def _ids(o: Office) -> dict[str, int]:
    return {o.people[k].full_name: int(o.people[k].id or 0) for k in ("clerk", "petition", "clerk2", "finance", "cashier")}


def _spread(sessions: tuple[study.SessionInfo, ...], names: list[str]) -> int:
    counts = Counter(s.presenter_name for s in sessions)
    return max(counts[n] for n in names) - min(counts[n] for n in names)


def _record(o: Office, session: study.SessionInfo, by: str = "clerk", **fields: object) -> study.SessionInfo:
    ids = _ids(o)
    values: dict[str, object] = {
        "subject": "学习《党政机关公文处理工作条例》", "notes": "重点讨论了公文格式要素。",
        "attendance": [study.Attendance(ids[n]) for n in WRITERS], "today": date(2026, 12, 31),
    }
    values.update(fields)
    result: study.SessionInfo = o.run(study.record_session, o.people[by], session.id, **values)
    return result


def test_a_term_and_its_fair_rotation_over_holidays_and_absences(office: Office) -> None:
    o = office
    term = _term(o)
    assert (term.topics, term.sessions) == (tuple(TOPICS), ())
    assert {s.on for s in term.skipped} == HOLIDAY_MONDAYS
    assert {s.reason for s in term.skipped} == {"春节放假", "清明节放假", "劳动节放假", "国庆节放假"}
    ids = _ids(o)
    away = [date(2026, 3, 2), date(2026, 3, 9), date(2026, 6, 1)]
    for day in away:
        o.run(study.add_absence, o.clerk, term.id, ids["孙接待"], day, "出差")
    made = o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 1, 1))
    days = [s.held_on for s in made.sessions]
    assert len(days) == 52 - len(HOLIDAY_MONDAYS)
    assert not set(days) & HOLIDAY_MONDAYS
    assert all(d.weekday() == 0 for d in days)
    on = {s.held_on: s for s in made.sessions}
    assert all(on[d].presenter_name != "孙接待" for d in away)
    assert _spread(made.sessions, ["张文秘", "赵文秘", "钱会计"]) <= 1
    assert [s.topic for s in made.sessions[:4]] == [*TOPICS, TOPICS[0]]
    assert {s.presenter_name for s in made.sessions} == set(WRITERS)
    rows = o.run(study.list_terms, o.petition)
    assert [(r.name, r.sessions, r.recorded) for r in rows] == [("2026年周一学习", len(days), 0)]


def test_remade_mid_term_it_keeps_what_was_held_and_stays_fair(office: Office) -> None:
    o = office
    term = _term(o)
    first = o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 1, 1))
    held = [s for s in first.sessions if s.held_on < date(2026, 7, 1)]
    # One session held is recorded with a stand-in; the rest before July are simply past.
    ids = _ids(o)
    target = held[2]
    stand_in = next(n for n in WRITERS if n != target.presenter_name)
    recorded = _record(o, target, presenter_id=ids[stand_in], today=date(2026, 7, 1))
    assert (recorded.presenter_name, recorded.stand_in_for) == (stand_in, target.presenter_name)
    # Recorded again, the stand-in is still known.
    again_recorded = _record(o, target, subject="再记一次", today=date(2026, 7, 1))
    assert (again_recorded.presenter_name, again_recorded.stand_in_for) == (stand_in, target.presenter_name)
    assert o.run(study.session_detail, o.petition, target.id).stand_in_for == target.presenter_name
    # 钱会计 goes on a long trip in the autumn.
    for day in (date(2026, 9, 7), date(2026, 9, 14), date(2026, 9, 21)):
        o.run(study.add_absence, o.clerk, term.id, ids["钱会计"], day, "出差")
    term_now = o.run(study.get_term, o.clerk, term.id)
    again = o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 7, 1),
                  expected_version=term_now.version)
    before = [(s.id, s.held_on, s.presenter_name) for s in again.sessions if s.held_on < date(2026, 7, 1)]
    assert before == [(s.id, s.held_on, stand_in if s.id == target.id else s.presenter_name) for s in held]
    kept = next(s for s in again.sessions if s.id == target.id)
    assert kept.recorded and kept.stand_in_for == target.presenter_name
    assert all(not s.stand_in_for for s in again.sessions if s.id != target.id)
    later = [s for s in again.sessions if s.held_on >= date(2026, 7, 1)]
    assert all(s.presenter_name != "钱会计" for s in later if s.held_on.month == 9 and s.held_on.day <= 21)
    assert _spread(again.sessions, ["张文秘", "孙接待", "赵文秘"]) <= 1
    # The topics go on in their order from the sessions held.
    assert later[0].topic == TOPICS[len(held) % len(TOPICS)]
    # The old future sessions are gone: a stale form for one of them is refused.
    old_future = next(s for s in first.sessions if s.held_on >= date(2026, 7, 1))
    if old_future.id not in {s.id for s in again.sessions}:
        with pytest.raises(Exception, match="找不到这次学习"):
            o.run(study.session_detail, o.clerk, old_future.id)
    # A second client that read the term before is refused.
    with pytest.raises(ConflictError, match="已被其他人修改"):
        o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 7, 1), expected_version=term_now.version)


def test_a_session_record_with_attendance(office: Office) -> None:
    o = office
    term = _term(o)
    made = o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 1, 1))
    session = made.sessions[0]
    ids = _ids(o)
    lines = [study.Attendance(ids["张文秘"]), (ids["孙接待"], False, "出差"), study.Attendance(ids["赵文秘"]),
             study.Attendance(ids["钱会计"], True, "迟到10分钟")]
    presenter_absent = next(n for n in WRITERS if n != session.presenter_name)
    info = _record(o, session, attendance=lines, today=session.held_on)
    assert (info.recorded, info.recorded_by_name, info.present_count) == (True, "张文秘", 3)
    assert [(a.name, a.present, a.note) for a in info.attendance] == [
        ("张文秘", True, ""), ("孙接待", False, "出差"), ("赵文秘", True, ""), ("钱会计", True, "迟到10分钟")]
    seen = o.run(study.session_detail, o.finance, session.id)
    assert seen == info
    # Recorded again, it replaces the earlier record; a stale version is refused.
    again = _record(o, session, subject="案例解剖：一篇被省里采用的信息", expected_version=info.version,
                    today=session.held_on)
    assert again.subject == "案例解剖：一篇被省里采用的信息" and again.present_count == 4
    with pytest.raises(ConflictError):
        _record(o, session, expected_version=info.version)
    with pytest.raises(ValidationError, match="登记为缺席") as refused:
        _record(o, session, attendance=[study.Attendance(ids[n], n != presenter_absent) for n in WRITERS],
                presenter_id=ids[presenter_absent])
    assert refused.value.field == "presenter_id"
    with o.ctx.uow() as uow:
        actions = uow.execute(select(AuditEntry.action).where(AuditEntry.entity_type == "study_session")).scalars().all()
    assert list(actions) == ["record", "record"]


def test_absences_are_checked_and_can_be_taken_back(office: Office) -> None:
    o = office
    term = _term(o)
    ids = _ids(o)
    absence = o.run(study.add_absence, o.clerk, term.id, ids["赵文秘"], date(2026, 3, 2), "请假")
    assert (absence.name, absence.away_on, absence.reason) == ("赵文秘", date(2026, 3, 2), "请假")
    with pytest.raises(ValidationError, match="已经登记过了"):
        o.run(study.add_absence, o.clerk, term.id, ids["赵文秘"], date(2026, 3, 2), "")
    with pytest.raises(ValidationError, match="星期一") as refused:
        o.run(study.add_absence, o.clerk, term.id, ids["赵文秘"], date(2026, 3, 3), "")
    assert refused.value.field == "away_on"
    with pytest.raises(ValidationError, match="之间"):
        o.run(study.add_absence, o.clerk, term.id, ids["赵文秘"], date(2027, 1, 4), "")
    with pytest.raises(ValidationError, match="不在任何信息组中") as refused:
        o.run(study.add_absence, o.clerk, term.id, ids["周出纳"], date(2026, 3, 2), "")
    assert refused.value.field == "user_id"
    with pytest.raises(ValidationError, match="事由不能超过"):
        o.run(study.add_absence, o.clerk, term.id, ids["赵文秘"], date(2026, 3, 9), "很" * 101)
    o.run(study.remove_absence, o.clerk2, absence.id)
    assert o.run(study.get_term, o.clerk, term.id).absences == ()


def test_who_may(office: Office) -> None:
    o = office
    for editor in (o.clerk, o.clerk2, o.director, o.deputy):
        name = f"{editor.full_name}的学期"
        info = o.run(study.create_term, editor, name=name, starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 31),
                     topics=TOPICS)
        assert info.name == name
    term = _term(o)
    made = o.run(study.generate_rotation, o.deputy, term.id, today=date(2026, 1, 1))
    ids = _ids(o)
    for member in (o.petition, o.finance):
        assert o.run(study.get_term, member, term.id).id == term.id
        assert o.run(study.session_detail, member, made.sessions[0].id).id == made.sessions[0].id
        assert len(o.run(study.list_terms, member)) == 5
        with pytest.raises(PermissionDenied, match="文秘人员"):
            o.run(study.create_term, member, name="x", starts_on=YEAR[0], ends_on=YEAR[1], topics=TOPICS)
        with pytest.raises(PermissionDenied):
            o.run(study.generate_rotation, member, term.id, today=date(2026, 1, 1))
        with pytest.raises(PermissionDenied):
            o.run(study.add_absence, member, term.id, ids["钱会计"], date(2026, 3, 2), "")
        with pytest.raises(PermissionDenied):
            _record(o, made.sessions[0], by=member.username)
    absence = o.run(study.add_absence, o.clerk, term.id, ids["钱会计"], date(2026, 3, 2), "")
    with pytest.raises(PermissionDenied):
        o.run(study.remove_absence, o.petition, absence.id)
    for outsider in (o.cashier, o.admin, o.mayor):
        with pytest.raises(PermissionDenied, match="信息组成员"):
            o.run(study.list_terms, outsider)
        with pytest.raises(PermissionDenied):
            o.run(study.get_term, outsider, term.id)
        with pytest.raises(PermissionDenied):
            o.run(study.session_detail, outsider, made.sessions[0].id)
        with pytest.raises(PermissionDenied):
            o.run(study.create_term, outsider, name="x", starts_on=YEAR[0], ends_on=YEAR[1], topics=TOPICS)


def test_bad_input_says_what_to_fix(office: Office) -> None:
    o = office

    def create(**fields: object) -> None:
        values: dict[str, object] = {"name": "2027年上半年", "starts_on": date(2027, 1, 1),
                                     "ends_on": date(2027, 6, 30), "topics": TOPICS}
        values.update(fields)
        o.run(study.create_term, o.clerk, **values)

    cases: list[tuple[dict[str, object], str, str]] = [
        ({"name": "  "}, "请填写学期名称", "name"),
        ({"name": "学" * 61}, "不能超过60个字", "name"),
        ({"ends_on": date(2026, 12, 31)}, "不能早于开始日期", "ends_on"),
        ({"ends_on": date(2028, 1, 1)}, "最长一年", "ends_on"),
        ({"starts_on": date(2027, 1, 5), "ends_on": date(2027, 1, 10)}, "没有星期一", "ends_on"),
        ({"topics": []}, "至少填写一个学习主题", "topics"),
        ({"topics": ["  ", ""]}, "至少填写一个学习主题", "topics"),
        ({"topics": ["主" * 31]}, "超过了30个字", "topics"),
        ({"topics": ["案例解剖", "案例解剖"]}, "重复", "topics"),
        ({"topics": ["案例、解剖"]}, "分成两个主题", "topics"),
    ]
    for fields, message, field_name in cases:
        with pytest.raises(ValidationError, match=message) as refused:
            create(**fields)
        assert refused.value.field == field_name, fields
    term = _term(o)
    with pytest.raises(ValidationError, match="已经有名为"):
        _term(o)
    with pytest.raises(ValidationError, match="已经结束"):
        o.run(study.generate_rotation, o.clerk, term.id, today=date(2027, 1, 1))
    made = o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 1, 1))
    session = made.sessions[-1]
    with pytest.raises(ValidationError, match="还没有举行"):
        _record(o, session, today=date(2026, 12, 1))
    with pytest.raises(ValidationError, match="请填写学习内容") as refused:
        _record(o, session, subject=" ")
    assert refused.value.field == "subject"
    with pytest.raises(ValidationError, match="请登记出勤情况"):
        _record(o, session, attendance=[])
    ids = _ids(o)
    with pytest.raises(ValidationError, match="不参加周一学习"):
        _record(o, session, attendance=[study.Attendance(ids["周出纳"])])
    with pytest.raises(ValidationError, match="重复"):
        _record(o, session, attendance=[study.Attendance(ids["张文秘"]), study.Attendance(ids["张文秘"])])
    with pytest.raises(ValidationError, match="代讲人") as refused:
        _record(o, session, presenter_id=ids["周出纳"])
    assert refused.value.field == "presenter_id"
    with pytest.raises(ValidationError, match="出勤备注不能超过"):
        _record(o, session, attendance=[study.Attendance(ids["张文秘"], False, "因" * 101)])
    # Nothing of the refused records was kept.
    assert not o.run(study.session_detail, o.clerk, session.id).recorded


def test_no_writing_staff_no_rotation(ctx: AppContext) -> None:
    from tests.helpers.document_office import build_office

    o = build_office(ctx)
    term = _term(o)
    with pytest.raises(ValidationError, match="先在信息组中添加人员"):
        o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 1, 1))
