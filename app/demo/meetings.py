"""会议's demo data: a year of the office's meetings, each taken through the meetings services by the people who
act there — registered by a 文秘 with its room booked (a room already taken at that time is not asked for) and
its attendees, its 会议方案 made from its type's template and ticked off as the days pass, 开始签到 on the day,
会议结束 with its 议定事项 recorded, and 办结 once the plan is done; some cancelled with the reason, now and then
one sent back to 筹备. The county's 常务会议 fall on a Tuesday morning week after week where the planner lets them;
past meetings are closed, the coming ones are in 会前筹备 with their plan under way.

The 议定事项 stay as decided: turning one into a 督办事项, or drafting the 纪要, is another area's act (and
another record), which this area's demo does not take.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.core.meetings.flow import ENTITY, FLOW_KEY, HELD, PREPARE
from app.core.meetings.plan import MEETING_TYPES
from app.core.roles import Role
from app.core.workflow import Flow
from app.demo.flows import Clock, FlowDemo, Plan, Planner, local_day
from app.demo.office import CST, OFFICE_NAME, AppContext
from app.models import User, WorkflowInstance
from app.models.meetings import Meeting, MeetingAttendee, MeetingBooking, MeetingPlanTask, MeetingRoom, MeetingTopic
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.meetings import agenda, attendance, decisions, lifecycle, plan, records

RECORD_TIMES: dict[type, tuple[str, ...]] = {
    Meeting: ("created_at", "updated_at"),
    MeetingTopic: ("created_at", "updated_at"),
    MeetingPlanTask: ("done_at",),
    MeetingAttendee: ("signed_at",),
}
# The meetings that units propose topics to (a 常务会议's go through the office's leaders).
WITH_TOPICS = ("常务会议", "专题会议", "工作会议")
# (议题名称, 议题说明), {unit} the proposing unit's short name.
TOPIC_TEXTS: tuple[tuple[str, str], ...] = (
    ("关于{unit}2027年重点工作安排的汇报", "汇报全年目标任务、主要措施和需县政府协调解决的问题"),
    ("审议《{unit}专项资金管理办法（送审稿）》", "已征求相关部门意见并经合法性审查，提请会议审议"),
    ("关于{unit}安全生产专项整治情况的汇报", "汇报排查发现的问题和整改进展，提出下一步工作建议"),
    ("关于{unit}申请追加年度预算的请示", "因工作任务增加，申请追加预算，财政部门已审核"),
    ("关于{unit}重点项目用地保障的汇报", "项目用地报批进展及需协调解决的问题"),
)
LEAVE_REASONS = ("参加市里会议", "外出学习培训", "带队督查", "因病请假")
SUBSTITUTES = ("王副局长", "李副主任", "陈副镇长", "刘副局长", "张副主任")
# (名称, 位置, 容纳人数); the first is where the 常务会议 sit, the last where the 视频会议 are received.
ROOMS: tuple[tuple[str, str, int], ...] = (
    ("常务会议室", "县政府办公楼二楼", 30),
    ("第一会议室", "县政府办公楼三楼", 40),
    ("第二会议室", "县政府办公楼五楼", 80),
    ("视频会议室", "县政府办公楼四楼", 50),
)
# Where a meeting sits when every room is taken.
HALL = "县委党校报告厅"
TYPE_WEIGHTS: tuple[int, ...] = (5, 3, 2, 1, 1, 1)
TOPICS: dict[str, tuple[str, ...]] = {
    "专题会议": ("安全生产", "森林防火", "防汛抗旱", "重点项目建设推进", "招商引资", "乡村振兴", "优化营商环境"),
    "工作会议": ("教育", "农业农村", "民政", "生态环境保护", "信访", "财税"),
    "座谈会": ("民营企业家", "人大代表政协委员", "老干部", "驻县金融机构"),
    "视频会议": ("安全生产", "森林防火", "防汛", "冬春季农田水利建设"),
}
DECISIONS: tuple[str, ...] = (
    "抓紧完善实施方案，按程序报县政府审定后印发实施",
    "统筹安排专项资金，确保项目按期开工建设",
    "开展一次全覆盖的安全隐患排查，建立问题清单，限期整改到位",
    "加强部门协作，建立周调度机制，每周报送工作进展",
    "做好群众宣传解释工作，及时回应社会关切",
    "严格落实责任制，对工作不力的单位予以通报",
)
CANCEL_REASONS = ("县主要领导临时参加市里会议，会议另行安排", "议题准备不充分，会议延期召开", "与上级视频会议时间冲突")


def _liaisons(planner: Planner) -> list[Actor]:
    return planner.org.with_role(Role.LIAISON)


def _title(planner: Planner, kind: str, starts: datetime) -> str:
    rng = planner.rng
    if kind == "常务会议":
        # One a week: the week of the year numbers it.
        return f"县政府{starts.year}年第{starts.isocalendar().week}次常务会议"
    if kind == "全体会议":
        return f"县政府{starts.year}年第{rng.randint(1, 3)}次全体会议"
    topic = rng.choice(TOPICS[kind])
    if kind == "专题会议":
        return f"{topic}专题会议"
    if kind == "工作会议":
        return f"全县{topic}工作会议"
    if kind == "座谈会":
        return f"{topic}座谈会"
    return f"全市{topic}工作视频会议（青山县分会场）"


def sample_meeting(planner: Planner, flow: Flow) -> Plan:
    rng = planner.rng
    kind = rng.choices(MEETING_TYPES, weights=TYPE_WEIGHTS)[0]
    organizer = rng.choice(planner.org.with_role(Role.SECRETARY))
    office = planner.org.units[OFFICE_NAME]
    units = sorted({a.unit_id for a in _liaisons(planner) if a.unit_id is not None})
    attending = rng.sample(units, k=min(len(units), rng.randint(2, 5)))
    made = Plan(flow, ENTITY, kind, {}, organizer, office.id, "", [])
    made.extra.update(kind=kind, units=attending, hours=rng.choice((1.5, 2, 2.5, 3)),
                      decisions=rng.randint(1, 3), afternoon=rng.random() < 0.3)
    return made


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CST).astimezone(UTC)


def _next_workday(planner: Planner, day: date, weekday: int | None) -> date:
    """The first working day from ``day`` on (on that weekday where one is wanted, within a fortnight)."""
    for offset in range(14):
        candidate = day + timedelta(days=offset)
        if planner.calendar.is_workday(candidate) and (weekday is None or candidate.weekday() == weekday):
            return candidate
    return planner.calendar.next_workday(day - timedelta(days=1))


def _times(planner: Planner, plan: Plan) -> tuple[datetime, datetime, datetime]:
    """When the meeting is registered, starts and ends. Held: on the day it was convened; cancelled: some days
    after the cancelling; still being prepared: in the coming weeks."""
    rng = planner.rng
    actions = [hop.action for hop in plan.hops]
    weekday = 1 if plan.extra["kind"] == "常务会议" else None
    hour = 15 if plan.extra["afternoon"] else 9
    registered = plan.times[0]
    if "convene" in actions:
        convened = plan.times[1 + actions.index("convene")]
        day = local_day(convened)
        starts = min(convened, _moment(day, hour)) if local_day(registered) < day else convened
        starts = max(starts, registered + timedelta(minutes=30))
    elif "cancel" in actions:
        cancelled = plan.times[1 + actions.index("cancel")]
        day = _next_workday(planner, local_day(cancelled) + timedelta(days=rng.randint(1, 6)), weekday)
        starts = _moment(day, hour)
    else:
        day = _next_workday(planner, planner.today + timedelta(days=rng.randint(1, 20)), weekday)
        starts = _moment(day, hour)
    starts = starts.replace(second=0, microsecond=0)
    starts -= timedelta(minutes=starts.minute % 5)
    return registered, starts, starts + timedelta(hours=plan.extra["hours"])


def _room(uow: UnitOfWork, kind: str, starts: datetime, ends: datetime) -> int | None:
    """A room free at that time, the type's own first; None when all are taken."""
    rooms = list(uow.session.execute(select(MeetingRoom.id, MeetingRoom.name).order_by(MeetingRoom.id)).all())
    preferred = {"常务会议": ROOMS[0][0], "视频会议": ROOMS[-1][0]}.get(kind)
    rooms.sort(key=lambda r: r.name != preferred)
    taken = set(uow.session.execute(
        select(MeetingBooking.room_id).where(MeetingBooking.starts_at < ends, MeetingBooking.ends_at > starts)
    ).scalars())
    return next((int(r.id) for r in rooms if r.id not in taken), None)


def _standing_meeting_on(uow: UnitOfWork, starts: datetime) -> bool:
    day = starts.astimezone(CST).date()
    begin = datetime.combine(day, time.min, CST).astimezone(UTC)
    return uow.session.execute(
        select(Meeting.id).where(Meeting.meeting_type == "常务会议", Meeting.starts_at >= begin,
                                 Meeting.starts_at < begin + timedelta(days=1)).limit(1)
    ).first() is not None


def _attendees(uow: UnitOfWork, planner: Planner, plan: Plan) -> list[records.AttendeeInput]:
    leaders = sorted(planner.org.with_role(Role.COUNTY_LEADER), key=lambda a: (not a.is_principal, a.id))
    if plan.extra["kind"] not in ("常务会议", "全体会议"):
        leaders = leaders[:2]
    people = [
        records.AttendeeInput(user_id=leader.id, post=_post(uow, leader), rank=rank, zone="dais")
        for rank, leader in enumerate(leaders, start=1)
    ]
    people += [
        records.AttendeeInput(unit_id=unit_id, post="主要负责人", rank=len(leaders) + rank)
        for rank, unit_id in enumerate(plan.extra["units"], start=1)
    ]
    return people


def _post(uow: UnitOfWork, actor: Actor) -> str:
    user = uow.session.get(User, actor.id)
    return user.title if user is not None and user.title else "县领导"


def _topics(uow: UnitOfWork, planner: Planner, owner: Actor, leader: Actor, meeting_id: int, kind: str,
            unit_ids: list[int], still_preparing: bool) -> None:
    """Topics proposed by the attending units' 联络员 and reviewed by the office: a 常务会议's by the 文秘, then
    approved by a leader; now and then one turned down; a coming meeting's last may still wait for review."""
    rng = planner.rng
    liaisons = {a.unit_id: a for a in _liaisons(planner)}
    proposers = [liaisons[u] for u in unit_ids if u in liaisons][: rng.randint(1, 3)]
    for index, liaison in enumerate(proposers):
        title, summary = rng.choice(TOPIC_TEXTS)
        unit = planner.org.unit_name(liaison.unit_id)
        topic = agenda.propose_topic(uow, liaison, meeting_id, agenda.TopicInput(
            title.format(unit=unit), summary, f"{unit}主要负责人", liaison.unit_id))
        if still_preparing and index == len(proposers) - 1 and rng.random() < 0.5:
            continue
        if rng.random() < 0.1:
            agenda.review_topic(uow, owner, topic.id, False, "相关工作尚不成熟，建议会后进一步论证")
            continue
        topic = agenda.review_topic(uow, owner, topic.id, True, "同意提交会议")
        if kind == "常务会议":
            agenda.review_topic(uow, leader, topic.id, True, "同意上会")


def _sign_in(uow: UnitOfWork, planner: Planner, owner: Actor, meeting_id: int) -> None:
    """Each attendee signed in by the organizer: most 到会, a few 请假 with the reason, a few sent someone."""
    rng = planner.rng
    for person in records.get_meeting(uow, owner, meeting_id).attendees:
        roll = rng.random()
        if roll < 0.85:
            attendance.sign_in(uow, owner, meeting_id, person.id, "present")
        elif roll < 0.93 or person.unit_id is None:
            attendance.sign_in(uow, owner, meeting_id, person.id, "leave", reason=rng.choice(LEAVE_REASONS))
        else:
            attendance.sign_in(uow, owner, meeting_id, person.id, "substitute", substitute=rng.choice(SUBSTITUTES))


def _tick(uow: UnitOfWork, planner: Planner, owner: Actor, meeting_id: int, until: datetime, clock: Clock,
          share: float = 1.0, *, every: bool = False) -> None:
    """The plan's tasks due by ``until`` (or ``every`` one) ticked off by their owner, by then (all, or about
    ``share`` of them)."""
    for task in plan.plan_of(uow, owner, meeting_id).tasks:
        if task.done or (task.due_at > until and not every) or task.owner_id != owner.id:
            continue
        if share < 1.0 and planner.rng.random() >= share:
            continue
        clock.now = min(task.due_at, until)
        plan.set_done(uow, owner, task.id, True)


def drive_meeting(uow: UnitOfWork, planner: Planner, demo: Plan, clock: Clock) -> None:
    rng = planner.rng
    owner = demo.owner
    kind = demo.extra["kind"]
    registered, starts, ends = _times(planner, demo)
    if kind == "常务会议" and "convene" not in [hop.action for hop in demo.hops]:
        # One 常务会议 a week: a coming one goes to the first Tuesday that has none.
        while _standing_meeting_on(uow, starts):
            starts, ends = starts + timedelta(days=7), ends + timedelta(days=7)
    clock.now = registered
    room = _room(uow, kind, starts, ends)
    leaders = sorted(planner.org.with_role(Role.COUNTY_LEADER), key=lambda a: (not a.is_principal, a.id))
    data = records.MeetingInput(
        meeting_type=kind, title=_title(planner, kind, starts.astimezone(CST)), starts_at=starts, ends_at=ends,
        room_id=room, place="" if room is not None else HALL, host_name=rng.choice(leaders[:2]).full_name,
        organizer_unit_id=demo.unit_id, notes="请参会人员提前10分钟到场签到，会议期间将手机调至静音",
        attendees=_attendees(uow, planner, demo),
    )
    info = records.create_meeting(uow, owner, data, today=local_day(registered))
    plan.make_plan(uow, owner, info.id)
    instance = uow.session.get(WorkflowInstance, info.instance_id)
    assert instance is not None
    leader = (planner.org.with_role(Role.DIRECTOR) + planner.org.with_role(Role.DEPUTY_DIRECTOR))[0]
    if kind in WITH_TOPICS:
        clock.now = registered + timedelta(hours=2)
        _topics(uow, planner, owner, leader, info.id, kind, demo.extra["units"], not demo.hops)
    signed = False
    for hop, when in zip(demo.hops, demo.times[1:], strict=True):
        day = local_day(when)
        if hop.action == "convene":
            _tick(uow, planner, owner, info.id, when, clock, 0.95)
            clock.now = when
            lifecycle.convene(uow, owner, info.id, today=day)
            if not signed:
                _sign_in(uow, planner, owner, info.id)
                signed = True
        elif hop.action == "return":
            clock.now = when
            lifecycle.return_to_prepare(uow, leader, info.id, "主要领导时间调整，会议改期，退回重新筹备", today=day)
        elif hop.action == "conclude":
            clock.now = max(when, ends)
            lifecycle.conclude(uow, owner, info.id, today=local_day(clock.now))
            lead_units = rng.sample(demo.extra["units"], k=min(len(demo.extra["units"]), demo.extra["decisions"]))
            decisions.save_decisions(uow, owner, info.id, [
                decisions.DecisionInput(f"{planner.org.unit_name(unit)}牵头，{text}", unit,
                                        local_day(clock.now) + timedelta(days=rng.randint(15, 60)))
                for unit, text in zip(lead_units, rng.sample(DECISIONS, k=len(lead_units)), strict=True)
            ])
        elif hop.action == "finish":
            _tick(uow, planner, owner, info.id, when, clock, every=True)
            clock.now = when
            lifecycle.finish(uow, owner, info.id, "会议纪要已印发，议定事项已分解落实", today=day)
        elif hop.action == "cancel":
            clock.now = when
            lifecycle.cancel_meeting(uow, leader, info.id, rng.choice(CANCEL_REASONS), today=day)
        else:
            raise RuntimeError(f"演示数据不会办理会议的“{hop.action}”")
        if instance.state != hop.target:
            raise RuntimeError(f"会议{info.number}到了“{instance.state}”，而不是计划的“{hop.target}”")
    if instance.state in (PREPARE, HELD):
        # What was due by now is mostly done; a few late tasks stay on their owner's 工作台.
        now = _moment(planner.today, 9)
        _tick(uow, planner, owner, info.id, now, clock, 0.8)


FLOWS: dict[str, FlowDemo] = {
    FLOW_KEY: FlowDemo(weight=2, sample=sample_meeting, drive=drive_meeting),
}


def _shift(made: Plan, days: int) -> None:
    made.times = [when + timedelta(days=days) for when in made.times]


def _settle_times(planner: Planner, made: Plan) -> None:
    """A meeting's timeline as a meeting's runs: one still being prepared was registered lately (it is held in
    the coming weeks); one convened and not yet concluded was held in the last days; a 常务会议 sits on a
    Tuesday."""
    rng = planner.rng
    actions = [hop.action for hop in made.hops]
    if not made.hops:
        day = planner.today - timedelta(days=rng.randint(1, 10))
        made.times = [_moment(day, 10, rng.randint(0, 11) * 5)]
        return
    if made.hops[-1].target == HELD:
        _shift(made, (planner.today - local_day(made.times[-1])).days - rng.choice((0, 0, 1)))
    if made.extra["kind"] == "常务会议" and "convene" in actions:
        convened = local_day(made.times[1 + actions.index("convene")])
        tuesday = convened - timedelta(days=(convened.weekday() - 1) % 7)
        if planner.calendar.is_workday(tuesday):
            _shift(made, (tuesday - convened).days)


def settle(ctx: AppContext, planner: Planner, plans: Sequence[Plan]) -> None:
    """The meetings' timelines settled as meetings run (_settle_times; the plans are put back in the order they
    began, so the meetings' numbers run with the calendar), and the office's meeting rooms, set up by the
    administrator before any meeting is registered."""
    if not any(p.entity_type == ENTITY for p in plans):
        return
    for made in plans:
        if made.entity_type == ENTITY:
            _settle_times(planner, made)
    if isinstance(plans, list):
        plans.sort(key=lambda p: p.times[0])
    with ctx.uow() as uow:
        for name, location, capacity in ROOMS:
            records.save_room(uow, planner.org.admin, None, name=name, location=location, capacity=capacity)
