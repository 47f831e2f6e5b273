"""信息调研's demo data: the office's 8 writing groups, and a year of their work through the real services.

- The groups: the office's staff (文秘人员, 信访接待员, 会计, 出纳) spread over 8 groups, each led in turn by the
  主任 and the 副主任.
- The year (settle): from 1 January to the last week ended by the demo's day, each group's items week by week, around its
  quota of 5 (most weeks met, a weaker group now and then short, a week cut by holidays asking less), its research
  article each half-year (one group misses one), every three weeks or so an issue of 《政务信息》 compiled from the
  items being edited and issued, the rest filed; some 50 items adopted by the city, a few by the province and one by
  the State Council's office; leaders' 批示 on some. The default demo (200 records) writes the whole year (some
  2,000 items, about half a minute); a smaller one writes its last few weeks only, so the tests stay quick.
- The planner's records of the 政务信息 flow (FLOWS) put items at every step: drafts, items being edited, compiled,
  filed, and now and then one sent back to its author. Those to be compiled go, for each year, into one issue
  dated no earlier than the year's last issue from settle: the planner drives after settle, and an issue's number
  comes from the gap-free sequence when it is made, so an issue of its own per item, dated at the item's time,
  would have run the numbers against the calendar (第3期 in January after 第2期 in November).
"""

from __future__ import annotations

import random
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, select

from app.core.information.flow import COMPILED, DRAFT, ENTITY, FILED, FLOW_KEY, SUBMITTED
from app.core.information.quotas import week_quota, week_start, weeks_of_half_year
from app.core.roles import Role
from app.core.workflow import Flow
from app.demo.flows import Clock, FlowDemo, Hop, Plan, Planner, local_day, local_moment, stamp
from app.demo.office import AppContext
from app.models.information import InfoAdoption, InfoComment, InfoGroup, InfoIssue, InfoItem, StudySession, StudyTerm
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork

RECORD_TIMES: dict[type, tuple[str, ...]] = {
    InfoItem: ("created_at", "updated_at"),
    StudyTerm: ("created_at", "updated_at"),
    StudySession: ("created_at", "updated_at"),
    InfoIssue: ("created_at", "updated_at"),
    InfoGroup: ("created_at", "updated_at"),
    InfoAdoption: ("created_at",),
    InfoComment: ("created_at",),
}
# The default demo's size: it writes the whole year; a smaller demo one week for every WEEK_PER_SIZE records.
FULL_YEAR_SIZE = 200
WEEK_PER_SIZE = 30
# Items per unit of work while the year is written.
_CHUNK = 40

PLACES = ("城关镇", "青山镇", "石桥镇", "白沙镇", "龙泉镇", "河口乡", "县交通运输局", "县农业农村局", "县教育局",
          "县卫生健康局", "县应急管理局", "县市场监管局")
TOPICS = (
    "农村公路提质改造", "高标准农田建设", "营商环境优化", "安全生产隐患排查", "秋冬季森林防火", "义务教育优质均衡",
    "乡村振兴示范村创建", "城乡居民医保征缴", "防汛备汛", "农村人居环境整治", "“放管服”改革", "就业创业服务",
    "粮食生产", "项目建设攻坚", "招商引资", "矛盾纠纷排查化解", "文明城市创建", "生态环境保护",
)
OUTCOMES = ("取得新进展", "扎实推进", "成效明显", "多措并举见实效", "按下“快进键”", "跑出“加速度”", "亮点纷呈")
MEASURES = (
    "坚持高位推动，主要领导亲自部署、分管领导靠前指挥",
    "建立周调度、月通报机制，压实部门和乡镇责任",
    "聚焦群众急难愁盼，逐项制定整改措施和时间表",
    "整合各类资金，优先保障重点项目和民生工程",
    "组织专班深入一线，现场解决推进中的困难问题",
)
ARTICLE_TITLES = ("关于我县{topic}的调研报告", "关于加快推进{topic}的思考和建议", "{topic}工作的现状、问题与对策")
ADOPTERS = {"市级": "市政府办公室", "省级": "省政府办公厅", "国家级": "国务院办公厅"}
LEADER_COMMENTS = ("此信息很好，请各乡镇学习借鉴。", "请交通局总结经验，在全县推广。", "已阅。请抓好后续落实。",
                   "做法值得肯定，请县政府办跟踪问效。")


# ----- the groups ---------------------------------------------------------------------------------------------


def writing_staff(planner: Planner) -> list[Actor]:
    """Who writes: the office's staff below its leaders, in the demo's order."""
    org = planner.org
    return [*org.with_role(Role.SECRETARY), *org.with_role(Role.PETITION_OFFICER), *org.with_role(Role.FINANCE),
            *org.with_role(Role.CASHIER)]


def _group_members(planner: Planner) -> list[list[Actor]]:
    staff = writing_staff(planner)
    return [staff[i::8] for i in range(8)]


def _editors(planner: Planner) -> list[Actor]:
    """Who edits 《政务信息》: the 信息科's staff, or any 文秘人员."""
    secretaries = planner.org.with_role(Role.SECRETARY)
    return [a for a in secretaries if planner.org.unit_name(a.unit_id) == "信息科"] or secretaries


def _make_groups(uow: UnitOfWork, planner: Planner) -> list[tuple[int, list[Actor]]]:
    from app.services.information import groups

    org = planner.org
    existing = groups.list_groups(uow, org.admin, include_inactive=True)
    if existing:
        by_id = {a.id: a for a in org.users}
        return [(g.id, [by_id[m.user_id] for m in g.members if m.user_id in by_id]) for g in existing]
    made = groups.create_default_groups(uow, org.admin)
    leaders = [*org.with_role(Role.DEPUTY_DIRECTOR), *org.with_role(Role.DIRECTOR)]
    result = []
    for i, (group, members) in enumerate(zip(made, _group_members(planner), strict=True)):
        leader = leaders[i % len(leaders)] if leaders else None
        groups.save_group(uow, org.admin, group.id, name=group.name, leader_id=leader.id if leader else None,
                          member_ids=[m.id for m in members if m.id is not None])
        result.append((group.id, members))
    return result


# ----- what the writing says ----------------------------------------------------------------------------------


def _item_text(rng: random.Random) -> tuple[str, str]:
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    title = f"{place}{topic}{rng.choice(OUTCOMES)}"
    first, second = rng.sample(MEASURES, 2)
    body = (
        f"今年以来，{place}紧紧围绕{topic}，{first}，{second}，各项工作取得阶段性成效。"
        f"截至目前，累计完成投资{rng.randint(3, 98) / 10:.1f}亿元，办结群众诉求{rng.randint(20, 400)}件，"
        f"群众满意度达{rng.randint(90, 99)}%。\n"
        f"下一步，{place}将持续加大工作力度，确保{topic}各项目标任务按期完成。"
    )
    return title, body


def _article_text(rng: random.Random) -> tuple[str, str]:
    topic = rng.choice(TOPICS)
    title = rng.choice(ARTICLE_TITLES).format(topic=topic)
    body = (
        f"为深入了解我县{topic}情况，调研组先后深入{rng.randint(5, 14)}个乡镇、{rng.randint(4, 12)}个部门，"
        f"召开座谈会{rng.randint(3, 9)}次，形成本报告。\n一、基本情况\n近年来，我县{topic}工作稳步推进。\n"
        "二、存在的问题\n一是统筹协调还不够有力；二是要素保障仍有短板；三是长效机制有待健全。\n"
        "三、对策建议\n一要强化组织领导；二要加大要素保障；三要完善考核激励。"
    )
    return title, body


# ----- the year ------------------------------------------------------------------------------------------------


@dataclass
class _PlannerIssue:
    """A year's one issue for the planner's items to be compiled: made with the first, issued with the last."""

    issue_date: date
    left: int
    issue_id: int | None = None


# Per planner (one demo run): the year → its planner issue, worked out by settle before the planner drives.
_PLANNER_ISSUES: weakref.WeakKeyDictionary[Planner, dict[int, _PlannerIssue]] = weakref.WeakKeyDictionary()


def _plan_planner_issues(planner: Planner, plans: Sequence[Plan], year: _Year) -> None:
    compiled = [plan for plan in plans if plan.flow.key == FLOW_KEY and any(h.action == "compile" for h in plan.hops)]
    by_year: dict[int, _PlannerIssue] = {}
    for plan in compiled:
        day = local_day(plan.times[-1])
        latest = max([d for d in year.issue_dates if d.year == day.year] + [day])
        held = by_year.setdefault(day.year, _PlannerIssue(latest, 0))
        held.issue_date = max(held.issue_date, latest)
        held.left += 1
    _PLANNER_ISSUES[planner] = by_year


@dataclass
class _Year:
    """What the year's writing has left for the issues and adoptions to use."""

    editing: list[tuple[int, date]] = field(default_factory=list)
    written: list[tuple[int, date]] = field(default_factory=list)
    weeks_since_issue: int = 0
    issue_dates: list[date] = field(default_factory=list)


def _weeks_to_write(planner: Planner, size: int) -> list[date]:
    today = planner.today
    # The last week whose working days are all past: the notice counts a week once it has ended.
    last_monday = week_start(today)
    if any(day > today for day in _workdays_of(planner, last_monday)):
        last_monday -= timedelta(days=7)
    # The year's weeks as the notice counts them: the first may start in December (its Thursday is in January).
    mondays = [monday for half in (1, 2) for monday in weeks_of_half_year(today.year, half) if monday <= last_monday]
    if size >= FULL_YEAR_SIZE:
        return mondays
    return mondays[-max(1, size // WEEK_PER_SIZE):] if mondays else []


def _workdays_of(planner: Planner, monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7) if planner.calendar.is_workday(monday + timedelta(days=i))]


def _at(day: date, rng: random.Random) -> datetime:
    return local_moment(day, rng.randint(0, 420)).astimezone(UTC)


def _write_week(
    uow: UnitOfWork, planner: Planner, clock: Clock, groups: list[tuple[int, list[Actor]]], monday: date,
    year: _Year,
) -> None:
    from app.services.information import items

    rng = planner.rng
    days = _workdays_of(planner, monday)
    if not days:
        return
    for index, (group_id, members) in enumerate(groups):
        if not members:
            continue
        quota = week_quota(monday, planner.calendar)
        # The eighth group is the weak one: it falls short now and then.
        short = index == 7 and rng.random() < 0.25
        count = max(0, quota - rng.randint(1, 2)) if short else quota + (1 if rng.random() < 0.3 else 0)
        for _ in range(count):
            author = rng.choice(members)
            day = rng.choice(days)
            clock.now = _at(day, rng)
            title, body = _item_text(rng)
            info = items.create_item(uow, author, items.ItemInput("item", title, body, group_id), submit=True,
                                     today=day)
            year.written.append((info.id, day))
            year.editing.append((info.id, day))


def _write_articles(
    uow: UnitOfWork, planner: Planner, clock: Clock, groups: list[tuple[int, list[Actor]]], mondays: Sequence[date],
) -> None:
    """Each group's research article in each half-year the demo covers, late in it; one group misses one."""
    from app.services.information import items

    rng = planner.rng
    halves = sorted({(m.year, 1 if m.month <= 6 else 2) for m in mondays})
    for year_, half in halves:
        in_half = [m for m in mondays if (m.year, 1 if m.month <= 6 else 2) == (year_, half)]
        for index, (group_id, members) in enumerate(groups):
            if not members or (index == 7 and half == 1):
                continue
            day = next(iter(_workdays_of(planner, rng.choice(in_half[-8:]))), None)
            if day is None:
                continue
            clock.now = _at(day, rng)
            title, body = _article_text(rng)
            info = items.create_item(uow, rng.choice(members), items.ItemInput("article", title, body, group_id),
                                     submit=True, today=day)
            clock.now += timedelta(hours=2)
            items.file_item(uow, rng.choice(_editors(planner)), info.id, "调研文章存档", today=day)


def _compile_issue(uow: UnitOfWork, planner: Planner, clock: Clock, year: _Year, day: date) -> None:
    """Every three weeks or so: an issue of the best of what is being edited; the rest is filed."""
    from app.services.information import issues, items

    rng = planner.rng
    editor = rng.choice(_editors(planner))
    waiting, year.editing = year.editing, []
    rng.shuffle(waiting)
    chosen = sorted(waiting[: rng.randint(5, 8)], key=lambda pair: pair[1])
    # At the end of the day, after the day's own items were written.
    clock.now = local_moment(day, 500).astimezone(UTC)
    issue = issues.create_issue(uow, editor, issue_date=day, today=day)
    issues.add_items(uow, editor, issue.id, [item_id for item_id, _ in chosen])
    issues.publish_issue(uow, editor, issue.id, today=day)
    year.issue_dates.append(day)
    for item_id, written in waiting[len(chosen):]:
        items.file_item(uow, editor, item_id, today=max(written, day))


def _adopt_and_comment(uow: UnitOfWork, planner: Planner, clock: Clock, year: _Year, share: float) -> None:
    """About 52 of the year's items adopted (most by the city), and leaders' 批示 on some."""
    from app.services.information import adoptions

    rng = planner.rng
    editor = rng.choice(_editors(planner))
    leaders = planner.org.with_role(Role.COUNTY_LEADER)
    written = list(year.written)
    rng.shuffle(written)
    adopted = written[: max(1, round(len(written) * share))]
    for n, (item_id, day) in enumerate(sorted(adopted, key=lambda pair: pair[1])):
        level = "国家级" if n == len(adopted) // 2 and len(adopted) > 20 else ("省级" if n % 6 == 5 else "市级")
        when = min(day + timedelta(days=rng.randint(3, 20)), planner.today)
        clock.now = _at(when, rng)
        adoptions.record_adoption(uow, editor, item_id, body=ADOPTERS[level], level=level, adopted_on=when,
                                  today=planner.today)
        if leaders and n % 4 == 0:
            adoptions.record_comment(uow, editor, item_id, leader=rng.choice(leaders).full_name,
                                     text=rng.choice(LEADER_COMMENTS), commented_on=when, today=planner.today)


STUDY_SUBJECTS = {
    "案例解剖": "剖析一起公文退文案例：主送机关、附件说明和成文日期的常见错误",
    "公文写作常识": "学习《党政机关公文格式》（GB/T 9704—2012）版头和版记的要求",
    "文件政策解读": "解读省政府关于优化营商环境的若干措施",
    "信息写作技巧": "政务信息标题的提炼和数据的运用",
    "调研方法交流": "座谈、走访和问卷调查相结合的调研方法",
}


def _study_term(uow: UnitOfWork, planner: Planner, clock: Clock) -> None:
    """This half-year's Monday study: its rotation, two absences, and the sessions already held on record."""
    from app.services.information import groups, study

    rng = planner.rng
    today = planner.today
    starts = date(today.year, 7, 1) if today.month > 6 else date(today.year, 1, 1)
    ends = date(today.year, 12, 31) if today.month > 6 else date(today.year, 6, 30)
    editor = rng.choice(_editors(planner))
    clock.now = _at(starts, rng)
    half = "下" if today.month > 6 else "上"
    term = study.create_term(uow, editor, name=f"{today.year}年{half}半年周一学习", starts_on=starts, ends_on=ends,
                             topics=list(STUDY_SUBJECTS))
    staff = groups.writing_staff(uow, editor)
    mondays = [starts + timedelta(days=i) for i in range((ends - starts).days + 1)]
    mondays = [d for d in mondays if d.weekday() == 0 and planner.calendar.is_workday(d)]
    for member in rng.sample(staff, min(2, len(staff))):
        study.add_absence(uow, editor, term.id, member.user_id, rng.choice(mondays), rng.choice(("出差", "请假")))
    term = study.generate_rotation(uow, editor, term.id, today=starts)
    away = {(a.user_id, a.away_on) for a in study.get_term(uow, editor, term.id).absences}
    for session in term.sessions:
        if session.held_on >= today:
            break
        clock.now = _at(session.held_on, rng)
        attendance = [(m.user_id, m.user_id == session.presenter_id
                       or ((m.user_id, session.held_on) not in away and rng.random() > 0.05), "") for m in staff]
        attendance = [(uid, present, "" if present else "请假") for uid, present, _ in attendance]
        study.record_session(uow, editor, session.id, subject=STUDY_SUBJECTS.get(session.topic, session.topic),
                             notes=f"{session.presenter_name}主讲，大家结合工作实际交流了体会。", attendance=attendance,
                             today=session.held_on)


def settle(ctx: AppContext, planner: Planner, plans: Sequence[Plan]) -> None:
    """The groups, then the year's items, issues, adoptions and 批示 (see the module's notes)."""
    size = len(plans)
    if size == 0:
        return
    year = _Year()
    clock = Clock(local_moment(date(planner.today.year, 1, 1), 0).astimezone(UTC))
    listener = stamp(clock, RECORD_TIMES)
    with ctx.uow() as uow:
        event.listen(uow.session, "before_flush", listener)
        try:
            groups = _make_groups(uow, planner)
        finally:
            event.remove(uow.session, "before_flush", listener)
    mondays = _weeks_to_write(planner, size)
    for start in range(0, len(mondays), 4):
        with ctx.uow() as uow:
            event.listen(uow.session, "before_flush", listener)
            try:
                for monday in mondays[start:start + 4]:
                    _write_week(uow, planner, clock, groups, monday, year)
                    year.weeks_since_issue += 1
                    friday = _workdays_of(planner, monday)
                    if year.editing and (year.weeks_since_issue >= 3 or monday == mondays[-1]) and friday:
                        _compile_issue(uow, planner, clock, year, friday[-1])
                        year.weeks_since_issue = 0
            finally:
                event.remove(uow.session, "before_flush", listener)
    with ctx.uow() as uow:
        event.listen(uow.session, "before_flush", listener)
        try:
            if mondays:
                _write_articles(uow, planner, clock, groups, mondays)
            _adopt_and_comment(uow, planner, clock, year, 52 / 2000)
            _study_term(uow, planner, clock)
        finally:
            event.remove(uow.session, "before_flush", listener)
    _plan_planner_issues(planner, plans, year)


# ----- the planner's records ----------------------------------------------------------------------------------


def sample_item(planner: Planner, flow: Flow) -> Plan:
    members = _group_members(planner)
    index = planner.rng.randrange(len(members))
    while not members[index]:
        index = (index + 1) % len(members)
    owner = planner.rng.choice(members[index])
    kind = "article" if planner.rng.random() < 0.1 else "item"
    title, body = (_article_text if kind == "article" else _item_text)(planner.rng)
    plan = Plan(flow, ENTITY, title, {}, owner, owner.unit_id, "", [])
    plan.extra.update(kind=kind, body=body, group_index=index)
    return plan


def route_item(planner: Planner, flow: Flow, plan: Plan, target: str) -> list[Hop] | None:
    hops: list[Hop] = []
    if target == DRAFT:
        return hops
    hops.append(Hop(DRAFT, SUBMITTED, "submit"))
    if planner.rng.random() < 0.15:
        hops += [Hop(SUBMITTED, DRAFT, "return"), Hop(DRAFT, SUBMITTED, "submit")]
    if target == SUBMITTED:
        return hops
    if target == COMPILED and plan.extra["kind"] == "item":
        return [*hops, Hop(SUBMITTED, COMPILED, "compile")]
    if target == FILED:
        return [*hops, Hop(SUBMITTED, FILED, "file")]
    return None


def drive_item(uow: UnitOfWork, planner: Planner, plan: Plan, clock: Clock) -> None:
    from app.services.information import issues, items

    group_id = uow.execute(
        select(InfoGroup.id).where(InfoGroup.name == f"第{'一二三四五六七八'[plan.extra['group_index']]}信息组")
    ).scalar_one()
    day = local_day(plan.times[0])
    info = items.create_item(uow, plan.owner, items.ItemInput(plan.extra["kind"], plan.title, plan.extra["body"],
                                                             group_id), today=day)
    editor = planner.rng.choice(_editors(planner))
    for hop, when in zip(plan.hops, plan.times[1:], strict=True):
        clock.now = when
        day = local_day(when)
        if hop.action == "submit":
            items.submit_item(uow, plan.owner, info.id, today=day)
        elif hop.action == "return":
            items.return_item(uow, editor, info.id, "请补充具体数据和典型事例后再报送。", today=day)
        elif hop.action == "file":
            items.file_item(uow, editor, info.id, today=day)
        elif hop.action == "compile":
            held = _PLANNER_ISSUES[planner][day.year]
            if held.issue_id is None:
                held.issue_id = issues.create_issue(uow, editor, issue_date=held.issue_date, today=day).id
            issues.add_items(uow, editor, held.issue_id, [info.id])
            held.left -= 1
            if not held.left:
                clock.now = max(when, local_moment(held.issue_date, 500).astimezone(UTC))
                issues.publish_issue(uow, editor, held.issue_id, today=held.issue_date)


FLOWS: dict[str, FlowDemo] = {
    FLOW_KEY: FlowDemo(weight=1, sample=sample_item, drive=drive_item, route=route_item),
}
