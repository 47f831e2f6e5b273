"""The Monday study sessions (周一学习): terms, the writing staff's absences, the presenter rotation stored as the
term's sessions, and each session's record (what was studied, the notes, who attended).

- The editors (文秘人员, 办公室主任, 副主任) set up terms, enter absences (请假, 出差), make the rotation and record
  the sessions; every member of a writing group reads the terms and the sessions; others are refused.
- A term runs at most a year. Its topics (案例解剖, 公文写作常识 …) go round in order.
- The rotation (app.core.information.rotation) is stored as one session per working Monday. Made again, it keeps
  the sessions held (before today) or recorded, and remakes the rest from today on, counting the kept ones as
  history, so that the whole term stays fair; absences entered since are taken into account.
- A session's record may name a stand-in presenter (代讲) instead of the one in the rotation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select

from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.core.information import rotation as rules
from app.core.printable import check_printable
from app.db.tables import audit_log
from app.models import User
from app.models.base import utcnow
from app.models.information import StudyAbsence, StudyAttendance, StudySession, StudyTerm
from app.services.information import groups, records
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork

TERM_ENTITY = "study_term"
SESSION_ENTITY = "study_session"
MAX_NAME = 60
MAX_TOPIC = 30
MAX_TOPICS_TEXT = 500  # the column holding the topics joined by “、”
MAX_SUBJECT = 200
MAX_NOTES = 20_000
MAX_REASON = 100
MAX_NOTE = 100
SEPARATOR = "、"


@dataclass(frozen=True)
class AttendanceInfo:
    user_id: int
    name: str
    present: bool
    note: str


@dataclass(frozen=True)
class SessionInfo:
    id: int
    term_id: int
    held_on: date
    presenter_id: int | None
    presenter_name: str
    topic: str
    subject: str
    notes: str
    recorded: bool
    recorded_by_name: str
    attendance: tuple[AttendanceInfo, ...]
    version: int
    # Whom the rotation had down, when a stand-in presented (代讲); "" otherwise.
    stand_in_for: str = ""

    @property
    def present_count(self) -> int:
        return sum(1 for a in self.attendance if a.present)


@dataclass(frozen=True)
class AbsenceInfo:
    id: int
    term_id: int
    user_id: int
    name: str
    away_on: date
    reason: str


@dataclass(frozen=True)
class TermRow:
    id: int
    name: str
    starts_on: date
    ends_on: date
    topics: tuple[str, ...]
    sessions: int
    recorded: int
    version: int


@dataclass(frozen=True)
class TermInfo:
    id: int
    name: str
    starts_on: date
    ends_on: date
    topics: tuple[str, ...]
    sessions: tuple[SessionInfo, ...]
    absences: tuple[AbsenceInfo, ...]
    # The Mondays in the term with no session, each with why (春节放假 …).
    skipped: tuple[rules.Skipped, ...]
    version: int


@dataclass(frozen=True)
class Attendance:
    """One line of a session's attendance as the form gives it."""

    user_id: int
    present: bool = True
    note: str = ""


# ----- who may -----------------------------------------------------------------------------------------------


def _require_editor(actor: Actor, doing: str) -> None:
    if not records.is_editor(actor):
        raise PermissionDenied(f"只有文秘人员和办公室主任、副主任可以{doing}")


def _require_reader(uow: UnitOfWork, actor: Actor) -> None:
    if records.is_editor(actor) or records.member_group_id(uow, actor) is not None:
        return
    raise PermissionDenied("只有信息组成员和文秘人员、办公室领导可以查看周一学习安排")


# ----- reading -----------------------------------------------------------------------------------------------


def _topics(text: str) -> tuple[str, ...]:
    return tuple(t for t in text.split(SEPARATOR) if t)


def _names(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = uow.execute(select(User.id, User.full_name).where(User.id.in_(sorted(ids)))).all()
    return {int(r.id): str(r.full_name) for r in rows}


def _planned(uow: UnitOfWork, session_ids: Sequence[int]) -> dict[int, str]:
    """Whom the rotation had down for each of these sessions that a stand-in presented: the model keeps only who
    presented, so it is read from the first record in the audit log that named a stand-in."""
    if not session_ids:
        return {}
    a = audit_log.c
    rows = uow.execute(
        select(a.entity_id, a.detail)
        .where(a.entity_type == SESSION_ENTITY, a.action == "record", a.entity_id.in_(list(session_ids)))
        .order_by(a.seq)
    ).all()
    planned: dict[int, str] = {}
    for row in rows:
        detail = json.loads(row.detail) if isinstance(row.detail, str) else row.detail
        stand_in = detail.get("stand_in") if isinstance(detail, dict) else None
        if isinstance(stand_in, dict) and int(row.entity_id) not in planned:
            planned[int(row.entity_id)] = str(stand_in.get("for", ""))
    return planned


def _session_info(session: StudySession, planned: str = "") -> SessionInfo:
    return SessionInfo(
        id=session.id, term_id=session.term_id, held_on=session.held_on, presenter_id=session.presenter_id,
        presenter_name=session.presenter_name, topic=session.topic, subject=session.subject, notes=session.notes,
        recorded=session.recorded, recorded_by_name=session.recorded_by_name,
        attendance=tuple(AttendanceInfo(a.user_id, a.user_name, a.present, a.note) for a in session.attendance),
        version=session.version,
        stand_in_for=planned if session.recorded and planned and planned != session.presenter_name else "",
    )


def _term_info(uow: UnitOfWork, term: StudyTerm) -> TermInfo:
    names = _names(uow, {a.user_id for a in term.absences})
    planned = _planned(uow, [s.id for s in term.sessions if s.recorded])
    return TermInfo(
        id=term.id, name=term.name, starts_on=term.starts_on, ends_on=term.ends_on, topics=_topics(term.topics),
        sessions=tuple(_session_info(s, planned.get(s.id, "")) for s in term.sessions),
        absences=tuple(AbsenceInfo(a.id, a.term_id, a.user_id, names.get(a.user_id, ""), a.away_on, a.reason)
                       for a in term.absences),
        skipped=tuple(rules.skipped_mondays(term.starts_on, term.ends_on, work_calendar(uow))),
        version=term.version,
    )


def _term(uow: UnitOfWork, term_id: int, expected_version: int | None = None) -> StudyTerm:
    term = uow.session.get(StudyTerm, term_id)
    if term is None:
        raise NotFound("找不到该学期的学习安排，可能已被删除")
    if expected_version is not None and term.version != expected_version:
        raise ConflictError(f"“{term.name}”的学习安排已被其他人修改，请刷新后再操作")
    return term


def _session(uow: UnitOfWork, session_id: int, expected_version: int | None = None) -> StudySession:
    session = uow.session.get(StudySession, session_id)
    if session is None:
        raise NotFound("找不到这次学习，可能已被重新安排")
    if expected_version is not None and session.version != expected_version:
        raise ConflictError(f"{session.held_on:%Y-%m-%d}的学习已被其他人修改或重新安排，请刷新后再操作")
    return session


def _refreshed(uow: UnitOfWork, term: StudyTerm) -> TermInfo:
    uow.flush()
    uow.session.expire(term)
    return _term_info(uow, term)


@acting
def list_terms(uow: UnitOfWork, actor: Actor) -> list[TermRow]:
    """The terms, newest first, with how many sessions each has and how many are recorded."""
    _require_reader(uow, actor)
    counts = {
        int(r.term_id): (int(r.total), int(r.done or 0))
        for r in uow.execute(
            select(StudySession.term_id, func.count().label("total"),
                   func.sum(case((StudySession.recorded.is_(True), 1), else_=0)).label("done"))
            .group_by(StudySession.term_id)
        ).all()
    }
    terms = uow.session.execute(select(StudyTerm).order_by(StudyTerm.starts_on.desc(), StudyTerm.id.desc())).scalars()
    return [TermRow(t.id, t.name, t.starts_on, t.ends_on, _topics(t.topics), *counts.get(t.id, (0, 0)), t.version)
            for t in terms]


@acting
def get_term(uow: UnitOfWork, actor: Actor, term_id: int) -> TermInfo:
    """The term with its sessions (the rotation and the records), its absences and the Mondays it skips."""
    _require_reader(uow, actor)
    return _term_info(uow, _term(uow, term_id))


@acting
def session_detail(uow: UnitOfWork, actor: Actor, session_id: int) -> SessionInfo:
    """One session: its presenter and topic, and once recorded what was studied, the notes and the attendance."""
    _require_reader(uow, actor)
    session = _session(uow, session_id)
    return _session_info(session, _planned(uow, [session.id]).get(session.id, ""))


# ----- terms -------------------------------------------------------------------------------------------------


def _text(value: str, label: str, field_name: str, limit: int, *, required: bool = False,
          one_line: bool = True) -> str:
    text = " ".join(value.split()) if one_line else value.strip()
    if required and not text:
        raise ValidationError(f"请填写{label}", field=field_name)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字，现在有{len(text)}个字", field=field_name)
    check_printable(text, label, field=field_name)
    return text


def _checked_topics(topics: Sequence[str]) -> list[str]:
    checked: list[str] = []
    for number, topic in enumerate(topics, start=1):
        text = " ".join(topic.split())
        if not text:
            continue
        if SEPARATOR in text:
            raise ValidationError(f"第{number}个学习主题中有“{SEPARATOR}”，请把它分成两个主题", field="topics")
        if len(text) > MAX_TOPIC:
            raise ValidationError(f"学习主题“{text[:10]}…”超过了{MAX_TOPIC}个字，请缩短", field="topics")
        check_printable(text, "学习主题", field="topics")
        if text in checked:
            raise ValidationError(f"学习主题“{text}”重复了", field="topics")
        checked.append(text)
    if not checked:
        raise ValidationError("请至少填写一个学习主题（如案例解剖、公文写作常识）", field="topics")
    if len(SEPARATOR.join(checked)) > MAX_TOPICS_TEXT:
        raise ValidationError(f"学习主题合计不能超过{MAX_TOPICS_TEXT}个字，请删去一些", field="topics")
    return checked


def _a_year_on(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 2月29日
        return day.replace(year=day.year + 1, day=28)


@acting
def create_term(
    uow: UnitOfWork, actor: Actor, *, name: str, starts_on: date, ends_on: date, topics: Sequence[str],
) -> TermInfo:
    """A new term (e.g. 2026年下半年) from ``starts_on`` to ``ends_on``, at most a year, with its topics in their
    order; its sessions come from generate_rotation. For the editors. Commits."""
    _require_editor(actor, "安排周一学习")
    name = _text(name, "学期名称", "name", MAX_NAME, required=True)
    if ends_on < starts_on:
        raise ValidationError("结束日期不能早于开始日期", field="ends_on")
    if ends_on >= _a_year_on(starts_on):
        raise ValidationError("一个学期最长一年，请缩短起止日期", field="ends_on")
    if not rules.mondays(starts_on, ends_on):
        raise ValidationError("起止日期之间没有星期一，请放宽起止日期", field="ends_on")
    checked = _checked_topics(topics)
    if uow.execute(select(StudyTerm.id).where(StudyTerm.name == name)).first() is not None:
        raise ValidationError(f"已经有名为“{name}”的学期", field="name")
    term = StudyTerm(name=name, starts_on=starts_on, ends_on=ends_on, topics=SEPARATOR.join(checked))
    uow.session.add(term)
    uow.flush()
    uow.record(actor.id, actor.username, "create", TERM_ENTITY, term.id,
               {"name": name, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "topics": checked},
               change_op="create")
    info = _refreshed(uow, term)
    uow.commit()
    return info


# ----- absences ----------------------------------------------------------------------------------------------


def _staff_member(uow: UnitOfWork, actor: Actor, user_id: int, field_name: str) -> groups.Member:
    for member in groups.writing_staff(uow, actor):
        if member.user_id == user_id:
            return member
    raise ValidationError("所选人员不在任何信息组中（或已停用），不参加周一学习，请重新选择", field=field_name)


def _in_term(term: StudyTerm, day: date, field_name: str) -> None:
    if not term.starts_on <= day <= term.ends_on:
        raise ValidationError(
            f"日期应在本学期的{term.starts_on:%Y-%m-%d}至{term.ends_on:%Y-%m-%d}之间", field=field_name)
    if day.weekday() != 0:
        raise ValidationError("周一学习只在星期一举行，请选择星期一", field=field_name)


@acting
def add_absence(
    uow: UnitOfWork, actor: Actor, term_id: int, user_id: int, away_on: date, reason: str = "",
) -> AbsenceInfo:
    """A member of the writing staff is away (请假, 出差) on a Monday of the term: the rotation, made again,
    passes them over that day. For the editors. Commits."""
    _require_editor(actor, "登记周一学习的请假和出差")
    term = _term(uow, term_id)
    member = _staff_member(uow, actor, user_id, "user_id")
    _in_term(term, away_on, "away_on")
    reason = _text(reason, "事由", "reason", MAX_REASON)
    clash = uow.execute(select(StudyAbsence.id).where(
        StudyAbsence.term_id == term.id, StudyAbsence.user_id == user_id, StudyAbsence.away_on == away_on)).first()
    if clash is not None:
        raise ValidationError(f"{member.name}在{away_on:%Y-%m-%d}的请假（出差）已经登记过了", field="away_on")
    absence = StudyAbsence(term_id=term.id, user_id=user_id, away_on=away_on, reason=reason)
    uow.session.add(absence)
    _touch(term)  # the term's version moves on with its absences
    uow.flush()
    uow.record(actor.id, actor.username, "add_absence", TERM_ENTITY, term.id,
               {"absence_id": absence.id, "user_id": user_id, "name": member.name, "away_on": away_on.isoformat(),
                "reason": reason})
    info = AbsenceInfo(absence.id, term.id, user_id, member.name, away_on, reason)
    uow.commit()
    return info


@acting
def remove_absence(uow: UnitOfWork, actor: Actor, absence_id: int) -> None:
    """Takes back an absence entered by mistake. For the editors. Commits."""
    _require_editor(actor, "登记周一学习的请假和出差")
    absence = uow.session.get(StudyAbsence, absence_id)
    if absence is None:
        raise NotFound("找不到这条请假（出差）登记，可能已被删除")
    term = _term(uow, absence.term_id)
    detail = {"absence_id": absence.id, "user_id": absence.user_id, "away_on": absence.away_on.isoformat(),
              "reason": absence.reason}
    uow.session.delete(absence)
    _touch(term)
    uow.flush()
    uow.record(actor.id, actor.username, "remove_absence", TERM_ENTITY, term.id, detail)
    uow.commit()


def _touch(record: StudyTerm | StudySession) -> None:
    """Moves the record's version on (a change to its absences or attendance alone would not)."""
    record.updated_at = utcnow()


# ----- the rotation ------------------------------------------------------------------------------------------


def _kept(session: StudySession, today: date) -> bool:
    return session.recorded or session.held_on < today


@acting
def generate_rotation(
    uow: UnitOfWork, actor: Actor, term_id: int, *, today: date | None = None,
    expected_version: int | None = None,
) -> TermInfo:
    """(Re)makes the term's sessions from today on: each working Monday's presenter, in fair turn among the writing
    staff, passing over absences and holidays, and its topic. The sessions held (before today) or recorded stay,
    and count as the rotation's history. For the editors. Commits."""
    _require_editor(actor, "生成周一学习轮讲安排")
    today = today or date.today()
    term = _term(uow, term_id, expected_version)
    kept = [s for s in term.sessions if _kept(s, today)]
    start = max([term.starts_on, today, *[s.held_on + timedelta(days=1) for s in kept]])
    if start > term.ends_on:
        raise ValidationError(f"“{term.name}”已经结束，没有可以重新安排的学习")
    staff = groups.writing_staff(uow, actor)
    if not staff:
        raise ValidationError("信息组中还没有组员，请先在信息组中添加人员，再生成轮讲安排")
    names = {str(m.user_id): m.name for m in staff}
    away: dict[str, set[date]] = {}
    for absence in term.absences:
        away.setdefault(str(absence.user_id), set()).add(absence.away_on)
    history = [rules.Session(s.held_on, str(s.presenter_id) if s.presenter_id is not None else "", s.topic)
               for s in sorted(kept, key=lambda s: s.held_on)]
    planned = rules.rotation(
        list(names), start, term.ends_on, work_calendar(uow), {k: frozenset(v) for k, v in away.items()},
        _topics(term.topics), history,
    )
    removed = [s for s in term.sessions if not _kept(s, today)]
    for session in removed:
        term.sessions.remove(session)
    uow.flush()
    for one in planned:
        term.sessions.append(StudySession(held_on=one.on, presenter_id=int(one.presenter),
                                          presenter_name=names[one.presenter], topic=one.topic))
    _touch(term)
    uow.flush()
    uow.record(actor.id, actor.username, "generate_rotation", TERM_ENTITY, term.id,
               {"from": start.isoformat(), "kept": len(kept), "removed": len(removed),
                "sessions": [[s.on.isoformat(), names[s.presenter]] for s in planned]},
               change_op="update")
    info = _refreshed(uow, term)
    uow.commit()
    return info


# ----- a session's record ------------------------------------------------------------------------------------


@acting
def record_session(
    uow: UnitOfWork, actor: Actor, session_id: int, *, subject: str, notes: str,
    attendance: Sequence[Attendance | tuple[int, bool, str]], presenter_id: int | None = None,
    expected_version: int | None = None, today: date | None = None,
) -> SessionInfo:
    """The record of a session held: what was studied (学习内容), the notes (笔记/纪要), who attended (or why not)
    and, when someone stood in (代讲), its presenter. Recorded again, it replaces the earlier record. For the
    editors. Commits."""
    _require_editor(actor, "记录周一学习")
    today = today or date.today()
    session = _session(uow, session_id, expected_version)
    if session.held_on > today:
        raise ValidationError(f"{session.held_on:%Y-%m-%d}的学习还没有举行，举行后再记录")
    subject = _text(subject, "学习内容", "subject", MAX_SUBJECT, required=True)
    notes = _text(notes, "笔记/纪要", "notes", MAX_NOTES, one_line=False)
    staff = {m.user_id: m.name for m in groups.writing_staff(uow, actor)}
    # Whoever was on the list when it was first recorded stays recordable (they may since have left a group).
    earlier = {a.user_id: a.user_name for a in session.attendance}
    lines: list[Attendance] = [a if isinstance(a, Attendance) else Attendance(*a) for a in attendance]
    if not lines:
        raise ValidationError("请登记出勤情况", field="attendance")
    seen: set[int] = set()
    for line in lines:
        if line.user_id not in staff and line.user_id not in earlier:
            raise ValidationError("出勤登记中有不参加周一学习的人员，请刷新后重新登记", field="attendance")
        if line.user_id in seen:
            raise ValidationError(f"{staff.get(line.user_id) or earlier[line.user_id]}在出勤登记中重复了",
                                  field="attendance")
        seen.add(line.user_id)
        _text(line.note, "出勤备注", "attendance", MAX_NOTE)
    before_presenter: tuple[int | None, str] = (session.presenter_id, session.presenter_name)
    new_presenter: tuple[int | None, str] = before_presenter
    if presenter_id is not None and presenter_id != session.presenter_id:
        if presenter_id not in staff:
            raise ValidationError("代讲人应是参加周一学习的人员，请重新选择", field="presenter_id")
        new_presenter = (presenter_id, staff[presenter_id])
    absent = {line.user_id for line in lines if not line.present}
    if new_presenter[0] in absent:
        raise ValidationError(f"主讲人{new_presenter[1]}登记为缺席，请改为出席，或选择代讲人", field="presenter_id")
    session.presenter_id, session.presenter_name = new_presenter
    session.subject, session.notes = subject, notes
    session.recorded, session.recorded_by_name = True, actor.full_name
    session.attendance = []
    uow.flush()
    session.attendance = [
        StudyAttendance(user_id=line.user_id, user_name=staff.get(line.user_id) or earlier[line.user_id],
                        present=line.present, note=" ".join(line.note.split()))
        for line in lines
    ]
    _touch(session)
    uow.flush()
    detail: dict[str, object] = {
        "held_on": session.held_on.isoformat(), "subject": subject,
        "present": sorted(line.user_id for line in lines if line.present), "absent": sorted(absent),
    }
    if new_presenter != before_presenter:
        detail["stand_in"] = {"for": before_presenter[1], "by": new_presenter[1]}
    uow.record(actor.id, actor.username, "record", SESSION_ENTITY, session.id, detail, change_op="update")
    uow.session.refresh(session)
    planned = _planned(uow, [session.id]).get(session.id) or (
        before_presenter[1] if new_presenter != before_presenter else "")
    info = _session_info(session, planned)
    uow.commit()
    return info
