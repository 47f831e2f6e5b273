"""Bulk 督查督办 data for the bench: N supervision items (default 20,000) over three years, written as the
supervision services would have left them, with SQLAlchemy Core ``insert()`` executemany in batches.

What a generated item holds, as app.services.supervision.items and .lifecycle write it:
- its ``supervision_items`` row (督〔year〕seq号 numbered per year in creation order, every source, ~100 lead units,
  0–3 co-units in ``supervision_co_units``), and its ``workflow_instances`` row of the 督办事项 flow
  (entity_id = the item, unit = the lead unit, responsible = a 文秘, owner = who registered it); the due date is
  the step's time limit at 立项 and 销号审核, the item's deadline at 督办落实, none once final;
- from 交办 on: the progress duty (``workflow_duties``, the rhythm of the item's class, next_due counted from the
  last report, active while 督办落实 / 销号审核) and a few of its reports (``workflow_duty_reports``, some missed),
  and the units' tasks (``workflow_work_items``: the lead's, done once 报请销号 accepted its 办结报告; a 退回 sends a
  new one); its history (创建, 交办, 报请销号, 退回, 销号, 撤销) by people who hold the step's roles;
- 已销号 items carry their closed_on; 已撤销 ones cancelled; an item closed after its deadline, or still open past
  it, has its 责任追究 record (``accountability_records``) — except those whose deadline passed in the last
  week, which the office's sweep has not yet recorded (the notice's first call records them).

The organisation is the demo office (bench.generate builds it); this module adds units up to ~100 and a
联络员 for every unit that has none, since each lead unit reports through one. Items have no evidence files
(attachments) and no audit entries: the bench reads, and the files would only make the database bigger.
"""

from __future__ import annotations

import itertools
import random
import time as clock
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from app.core.calendar import WorkCalendar
from app.core.roles import Role
from app.core.supervision.classes import PRIORITY_CLASSES, SOURCES, PriorityClass
from app.core.supervision.flow import (
    CANCELLED,
    CLOSED,
    ENTITY,
    FLOW_KEY,
    HANDLE,
    PROGRESS_DUTY,
    REGISTER,
    REVIEW,
    SUPERVISION_ITEM,
)
from app.core.workflow.duties import Rhythm, RhythmKind, next_due
from app.demo.office import CST
from app.demo.supervision import PROGRESS_TEXTS, TARGETS
from app.models import Base, Unit, User, UserRole, WorkflowInstance
from app.models import Sequence as SequenceRow
from app.models.supervision import SupervisionItem
from bench.generate import BenchOrg, OrgUser, load_org

Log = Callable[[str], None]
DEFAULT_ITEMS = 20_000
BATCH = 2000
YEARS = 3
# Lead units the county's items are spread over; the demo office has 34 outside the office itself.
LEAD_UNITS = 100
# Shares of items: 撤销 at some point; and among items past their deadline, still open (逾期未办结).
CANCELLED_SHARE = 0.06
OPEN_PAST_DEADLINE_SHARE = 0.08
CLOSED_LATE_SHARE = 0.2
RETURNED_SHARE = 0.1
# The sweep records an overdue item once its deadline is this many days past (the notice's first call does
# the rest).
SWEPT_AFTER_DAYS = 7

EXTRA_DEPARTMENTS = (
    "县生态环境局", "县林业局", "县城市管理局", "县行政审批服务局", "县粮食和物资储备局", "县供销合作社",
    "县融媒体中心", "县住房公积金管理中心", "县机关事务服务中心", "县政务服务中心", "县投资促进中心",
    "县乡村振兴局", "县国有资产服务中心", "县信访局", "县档案馆", "县地方志办公室", "县气象局", "县消防救援大队",
    "县税务局", "县烟草专卖局", "县供电公司", "县人民医院", "县中医院", "县妇幼保健院", "县疾病预防控制中心",
    "县第一中学", "县职业中学", "县工业园区管委会", "县高新区管委会", "县文物保护中心", "县水务集团",
    "县城投公司", "县交通投资公司", "县公路事业发展中心", "县农业技术推广中心", "县畜牧兽医中心",
    "县不动产登记中心", "县社会保险事业中心", "县就业服务中心", "县残疾人联合会",
)
EXTRA_TOWNSHIPS = (
    "东山镇", "西河镇", "南岭镇", "北坪镇", "金竹镇", "桃源镇", "梅花镇", "清溪镇", "黄土镇", "新华镇",
    "太平乡", "长岭乡", "板桥乡", "白云乡", "古城乡", "三合乡", "五里乡", "马场乡", "杨柳乡", "竹园乡",
    "凤凰乡", "团结乡", "和平乡", "永安乡", "东风乡", "龙潭乡",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "霞", "平", "刚", "桂英", "建华", "海燕", "志强", "玉兰", "晓东", "文博", "春梅", "国庆")
# Items beyond the demo's: what a county's ledger is full of, crossed with where and how.
WORKS = (
    "城区停车位建设", "老旧小区改造", "农村公路提档升级", "燃气安全专项整治", "雨污分流管网改造", "高标准农田建设",
    "校园及周边安全隐患排查", "河道综合治理", "营商环境优化提升", "乡村振兴示范点建设", "农贸市场改造",
    "道路交通安全整治", "森林防火责任落实", "安全生产大检查问题整改", "重点项目建设进度", "招商引资项目落地",
    "农民工工资支付保障", "城乡环境卫生整治", "饮用水水源地保护", "历史遗留不动产登记", "养老服务设施建设",
    "义务教育学位扩容", "基层医疗卫生服务提升", "防汛抗旱物资储备", "食品安全专项检查", "信访积案化解",
)
VERBS = ("推进", "完成", "落实", "加快", "抓好", "做好")
REQUIREMENTS = (
    "按时间节点抓好落实，按督办类别报送进展，办结后报送佐证材料",
    "明确责任人和完成时限，问题清单化管理，逐项整改销号",
    "年底前全面完成，并通过县级验收",
    "制定工作方案报县政府审定，按月调度推进",
    "对照目标任务倒排工期，确保按期完成",
)
OPINIONS = {
    "assign": "请按要求抓好落实，按时报送进展。",
    "request_close": "牵头单位已办结，请审核销号。",
    "close": "同意销号。",
    "return": "佐证材料不全，请补充验收资料。",
    "cancel": "因工作调整，该事项不再督办。",
}
# How long a class gives an item, in days from 立项 to its deadline (马上 is days, 重点 months, 定期 the year).
SPANS: dict[str, tuple[int, int]] = {"重点督办": (45, 180), "马上督办": (5, 30), "定期督办": (30, 300)}
PERIOD_DAYS: dict[str, int] = {"weekly": 7, "workdays": 2, "monthly": 30}


@dataclass
class SupervisionOrg:
    """Who acts on items: the 文秘 who answer for them, the leaders who close them, each unit's 联络员."""

    secretaries: list[OrgUser]
    secretary_weights: list[float]
    leaders: list[OrgUser]
    liaisons: dict[int, OrgUser]
    lead_units: list[int]
    unit_names: dict[int, str]
    co_pool: list[int] = field(default_factory=list)


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def complete_org(conn: Connection, rng: random.Random, lead_units: int = LEAD_UNITS) -> SupervisionOrg:
    """Adds units up to ``lead_units`` outside the office and a 联络员 to every unit lacking one; commits."""
    org = load_org(conn)
    office = {uid for uid, name in org.unit_names.items() if "办公室" in name or "人民政府" in name}
    office |= {uid for uid, in conn.execute(select(Unit.id).where(Unit.kind == "section"))}
    outside = sorted(uid for uid in org.unit_names if uid not in office)
    wanted = [n for n in EXTRA_DEPARTMENTS + EXTRA_TOWNSHIPS if n not in org.unit_names.values()]
    missing = max(0, lead_units - len(outside))
    now = datetime.now(UTC)
    if missing:
        parent = conn.execute(select(Unit.parent_id).where(Unit.id == outside[0])).scalar_one()
        next_id = int(conn.execute(select(func.max(Unit.id))).scalar_one()) + 1
        rows: list[dict[str, Any]] = []
        for i, name in enumerate(wanted[:missing]):
            rows.append({
                "id": next_id + i, "name": name, "short_name": name, "parent_id": parent,
                "kind": "township" if name.endswith(("镇", "乡")) else "department",
                "head_user_id": None, "sort_order": 300 + i, "active": True, "created_at": now, "updated_at": now,
                "version": 1,
            })
        conn.execute(insert(Unit), rows)
        outside += [r["id"] for r in rows]
    # Every lead unit reports through its 联络员 (the progress duty's holder): one for each unit that lacks one.
    has_liaison = {u.unit_id for u in org.by_role.get(Role.LIAISON.value, [])}
    lacking = [uid for uid in outside if uid not in has_liaison]
    if lacking:
        password = conn.execute(select(User.password_hash).order_by(User.id).limit(1)).scalar_one()
        next_user = int(conn.execute(select(func.max(User.id))).scalar_one()) + 1
        users = [{
            "id": next_user + i, "username": f"liaison{uid}", "full_name": _person_name(rng), "password_hash": password,
            "unit_id": uid, "title": "联络员", "is_principal": False, "rank_order": 500, "phone": "",
            "active": True, "failed_logins": 0, "locked_by_admin": False, "must_change_password": False,
            "created_at": now, "updated_at": now, "version": 1,
        } for i, uid in enumerate(lacking)]
        conn.execute(insert(User), users)
        conn.execute(insert(UserRole), [{"user_id": u["id"], "role_code": Role.LIAISON.value} for u in users])
    conn.commit()
    org = load_org(conn)
    secretaries = org.by_role.get(Role.SECRETARY.value, [])
    if not secretaries:
        raise RuntimeError("基准数据需要至少一名文秘人员作督办事项的责任人")
    # The 督查室's own 文秘 answer for most items, as in an office where they keep the ledger.
    weights = [4.0 if "督查" in org.unit_names.get(u.unit_id or 0, "") else 1.0 for u in secretaries]
    leaders = org.by_role.get(Role.DIRECTOR.value, []) + org.by_role.get(Role.DEPUTY_DIRECTOR.value, [])
    liaisons = {u.unit_id: u for u in org.by_role.get(Role.LIAISON.value, []) if u.unit_id is not None}
    return SupervisionOrg(secretaries, weights, leaders, liaisons, outside, org.unit_names, co_pool=outside)


# ----- one item -----------------------------------------------------------------------------------------------


@dataclass
class _Act:
    action: str
    source: str | None
    target: str
    day: date
    actor: OrgUser


class _ItemMaker:
    """Chooses an item's story (class, deadline, acts, reports) and turns it into the rows the services write."""

    def __init__(self, org: SupervisionOrg, rng: random.Random, today: date, calendar: WorkCalendar) -> None:
        self.org = org
        self.rng = rng
        self.today = today
        self.calendar = calendar
        self.labels: dict[tuple[str | None, str], str] = {
            (t.source, t.action): t.label for t in SUPERVISION_ITEM.transitions
        }
        self.labels[(None, "start")] = "创建"
        self.classes = {c.label: c for c in PRIORITY_CLASSES}
        self.seqs: dict[int, int] = {}
        self.minute = itertools.count()
        self.now = datetime.now(UTC)

    @lru_cache(maxsize=None)  # noqa: B019 - one maker per build; the calendar's answers never change in it
    def _next_due(self, kind: RhythmKind, every: int, after: date) -> tuple[date, bool]:
        due = next_due(Rhythm(kind, every), after, self.calendar)
        return due.date, due.provisional

    @lru_cache(maxsize=None)  # noqa: B019
    def _workdays(self, day: date, amount: int) -> tuple[date, bool]:
        due = self.calendar.add_workdays(day, amount)
        return due.date, due.provisional

    def moment(self, day: date) -> datetime:
        """A moment of office hours that day (never later than now: today's acts happened already)."""
        at = datetime.combine(day, time(8, 30), CST).astimezone(UTC) + timedelta(
            minutes=self.rng.randint(0, 540), seconds=next(self.minute) % 60
        )
        return min(at, self.now)

    def _title(self) -> tuple[str, str, str]:
        rng = self.rng
        source = rng.choices(SOURCES, weights=(5, 3, 3, 2, 1))[0]
        if rng.random() < 0.3:
            title, requirement = rng.choice(TARGETS[source])
        else:
            title, requirement = rng.choice(VERBS) + rng.choice(WORKS), rng.choice(REQUIREMENTS)
        return source, title, requirement

    def _story(self, created: date, cls: PriorityClass) -> tuple[date, list[tuple[str, date]]]:
        """The deadline and the acts after 立项 (action, day), in order, none after today."""
        rng, today = self.rng, self.today
        low, high = SPANS[cls.label]
        deadline = created + timedelta(days=rng.randint(low, high))
        if (today - created).days < 3:
            return deadline, []  # just registered: still at 立项
        if rng.random() < CANCELLED_SHARE * 0.3:
            return deadline, [("cancel", created + timedelta(days=rng.randint(0, 2)))]
        assigned = min(today, created + timedelta(days=rng.randint(0, 2)))
        acts: list[tuple[str, date]] = [("assign", assigned)]

        def on_or_after(day: date) -> date:
            return min(today, max(day, assigned))

        if rng.random() < CANCELLED_SHARE * 0.7:
            cancelled = assigned + timedelta(days=rng.randint(1, max(1, (min(deadline, today) - assigned).days)))
            return deadline, [*acts, ("cancel", on_or_after(cancelled))]
        if deadline <= today and rng.random() < OPEN_PAST_DEADLINE_SHARE:
            # Still open past its deadline; now and then already asked to be closed.
            if rng.random() < 0.2:
                acts.append(("request_close", on_or_after(today - timedelta(days=rng.randint(0, 3)))))
            return deadline, acts
        late = rng.random() < CLOSED_LATE_SHARE
        finish = (deadline + timedelta(days=rng.randint(1, 40)) if late
                  else assigned + timedelta(days=rng.randint(1, max(1, (deadline - assigned).days))))
        asked = on_or_after(finish - timedelta(days=rng.randint(1, 4)))
        if finish > today:
            # Not done yet: carried out, or (the lead unit has finished) awaiting the leaders' review.
            if rng.random() < 0.06:
                acts.append(("request_close", asked))
            return deadline, acts
        acts.append(("request_close", asked))
        if rng.random() < RETURNED_SHARE:
            returned = asked + timedelta(days=1)
            asked_again = returned + timedelta(days=rng.randint(2, 10))
            finish = max(finish, asked_again + timedelta(days=1))
            if returned > today:
                return deadline, acts
            acts.append(("return", returned))
            if asked_again > today:
                return deadline, acts
            acts.append(("request_close", asked_again))
        if finish > today:
            return deadline, acts
        acts.append(("close", finish))
        return deadline, acts

    def item(self, item_id: int, instance_id: int, created: date, duty_id: int) -> dict[str, list[dict[str, Any]]]:
        rng, org = self.rng, self.org
        cls = self.classes[rng.choices([c.label for c in PRIORITY_CLASSES], weights=(3, 1, 4))[0]]
        source, title, requirement = self._title()
        lead = rng.choice(org.lead_units)
        co_units = rng.sample([u for u in org.co_pool if u != lead], k=rng.choice((0, 0, 1, 1, 1, 2, 3)))
        responsible = rng.choices(org.secretaries, weights=org.secretary_weights)[0]
        registrar = responsible if rng.random() < 0.8 else rng.choice(org.secretaries)
        deadline, story = self._story(created, cls)
        year = created.year
        seq = self.seqs[year] = self.seqs.get(year, 0) + 1
        number = f"督〔{year}〕{seq}号"
        liaison = org.liaisons.get(lead)

        state, closed_on, cancelled = REGISTER, None, False
        acts = [_Act("start", None, REGISTER, created, registrar)]
        for action, day in story:
            target = {"assign": HANDLE, "request_close": REVIEW, "return": HANDLE, "close": CLOSED,
                      "cancel": CANCELLED}[action]
            actor = rng.choice(org.leaders) if action in ("close", "return", "cancel") else responsible
            acts.append(_Act(action, state, target, day, actor))
            state = target
            closed_on = day if action == "close" else closed_on
            cancelled = cancelled or action == "cancel"
        times = sorted(self.moment(a.day) for a in acts)
        final = state in (CLOSED, CANCELLED)
        last = acts[-1]
        if state in (REGISTER, REVIEW):
            due, provisional = self._workdays(last.day, 2)
        elif state == HANDLE:
            due, provisional = deadline, False
        else:
            due, provisional = None, False
        full_title = f"{number} {title}"
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
        rows["workflow_instances"].append({
            "id": instance_id, "flow_key": FLOW_KEY, "flow_version": SUPERVISION_ITEM.version, "entity_type": ENTITY,
            "entity_id": item_id, "title": full_title, "state": state, "closed": final, "unit_id": lead,
            "owner_id": registrar.id, "assignee_id": None, "responsible_id": responsible.id,
            "moved_by_id": last.actor.id if len(acts) > 1 else None, "opened_at": None, "urgency": "",
            "entered_at": times[-1], "due_date": due, "due_provisional": provisional,
            "closed_at": times[-1] if final else None, "created_at": times[0], "updated_at": times[-1],
            "version": len(acts),
        })
        rows["workflow_history"] += [{
            "instance_id": instance_id, "from_state": act.source, "to_state": act.target, "action": act.action,
            "action_label": self.labels[(act.source, act.action)], "actor_id": act.actor.id,
            "actor_name": act.actor.full_name, "opinion": OPINIONS.get(act.action, ""), "at": at,
            "on_behalf_of_id": None, "on_behalf_of_name": "",
        } for act, at in zip(acts, times, strict=True)]
        rows["supervision_co_units"] += [
            {"item_id": item_id, "unit_id": unit, "position": i} for i, unit in enumerate(co_units)
        ]
        reports = 0
        if len(acts) > 1:
            reports = self._handling(rows, instance_id, duty_id, cls, acts, times, lead, co_units, deadline, liaison,
                                     requirement or title, state)
        rows["supervision_items"].append({
            "id": item_id, "year": year, "seq": seq, "number": number, "instance_id": instance_id, "source": source,
            "title": title, "requirement": requirement, "lead_unit_id": lead, "priority": cls.label,
            "deadline": deadline, "closed_on": closed_on, "cancelled": cancelled,
            "created_by_name": registrar.full_name, "created_at": times[0], "updated_at": times[-1],
            "version": len(acts) + reports,
        })
        overdue_open = not final and deadline < self.today
        swept = overdue_open and (self.today - deadline).days > SWEPT_AFTER_DAYS
        if (closed_on is not None and closed_on > deadline) or swept:
            reason = (f"办结时限{_day(deadline)}，{_day(closed_on)}销号，逾期{(closed_on - deadline).days}天"
                      if closed_on is not None else f"办结时限{_day(deadline)}，至今未办结")
            rows["accountability_records"].append({
                "kind": "overdue", "entity_type": ENTITY, "entity_id": item_id, "title": full_title[:300],
                "person_id": responsible.id, "person_name": responsible.full_name, "unit_id": lead,
                "unit_name": org.unit_names.get(lead, ""), "occurred_on": deadline, "reason": reason,
                "recorded_at": self.moment(min(self.today, closed_on or deadline + timedelta(days=1))),
            })
        return rows

    def _handling(
        self, rows: dict[str, list[dict[str, Any]]], instance_id: int, duty_id: int, cls: PriorityClass,
        acts: list[_Act], times: list[datetime], lead: int, co_units: list[int], deadline: date,
        liaison: OrgUser | None, requirement: str, state: str,
    ) -> int:
        """From 交办 on: the progress duty and its reports, and the units' tasks. Returns the reports made."""
        rng = self.rng
        assign = acts[1]
        if assign.action != "assign":
            return 0  # cancelled at 立项: never 交办
        assigned_at = times[1]
        active = state in (HANDLE, REVIEW)
        # The reports: while carried out, until the last 报请销号 (or today), a few of them, some missed.
        until = acts[-1].day if state != HANDLE else self.today
        period = PERIOD_DAYS[cls.rhythm] * cls.every
        count = rng.randint(0 if active else 1, 5)
        if active and rng.random() < 0.25:
            # Behind with its reports: the last one is more than a period ago.
            last_day = until - timedelta(days=rng.randint(period + 1, period * 3 + 2))
        else:
            last_day = until - timedelta(days=rng.randint(0, period))
        days = sorted({last_day - timedelta(days=period * i) for i in range(count)})
        days = [d for d in days if assign.day < d <= self.today]
        previous = assign.day
        by = liaison
        for day in days:
            answered, _ = self._next_due(cls.rhythm, cls.every, previous)
            rows["workflow_duty_reports"].append({
                "duty_id": duty_id, "due_date": answered, "reported_on": day, "text": rng.choice(PROGRESS_TEXTS),
                "by_id": by.id if by else None, "by_name": by.full_name if by else "", "on_behalf_of_id": None,
                "at": self.moment(day),
            })
            previous = day
        due, provisional = self._next_due(cls.rhythm, cls.every, previous)
        rows["workflow_duties"].append({
            "id": duty_id, "instance_id": instance_id, "duty_key": PROGRESS_DUTY, "rhythm": cls.rhythm,
            "every": cls.every, "starts_on": assign.day, "next_due": due, "next_due_provisional": provisional,
            "active": active, "unit_id": lead, "user_id": None,
        })
        # The tasks 交办 sends: the lead's and each co-unit's, due on the deadline; a 退回 sends the lead a new one.
        responsible = assign.actor
        tasks = rows["workflow_work_items"]

        def task(unit: int, is_lead: bool, text_: str, sent: datetime, due_on: date | None) -> dict[str, Any]:
            return {
                "instance_id": instance_id, "step_key": HANDLE, "kind": "task", "lead": is_lead, "unit_id": unit,
                "user_id": None, "task": text_[:500], "due_date": due_on, "due_provisional": False, "state": "sent",
                "feedback": "", "sent_at": sent, "sent_by_id": responsible.id, "done_at": None, "done_by_id": None,
                "done_by_name": "",
            }

        lead_task = task(lead, True, f"牵头落实：{requirement}", assigned_at, deadline)
        tasks.append(lead_task)
        for unit in co_units:
            co_task = task(unit, False, f"协助落实：{requirement}", assigned_at, deadline)
            if state != HANDLE or rng.random() < 0.5:
                co_task.update(state="reported", feedback="已按分工完成协办任务。")
            tasks.append(co_task)
        for act, at in zip(acts[2:], times[2:], strict=True):
            if act.action == "request_close":
                # The lead's 办结报告 is in, and 报请销号 accepted it.
                lead_task.update(state="done", feedback="已按要求完成，现报送办结报告和佐证材料。", done_at=at,
                                 done_by_id=act.actor.id, done_by_name=act.actor.full_name)
            elif act.action == "return":
                lead_task = task(lead, True, f"补充办结：{act.actor.full_name}退回，{OPINIONS['return']}", at,
                                 deadline if deadline >= act.day else None)
                tasks.append(lead_task)
        if state == HANDLE and lead_task["state"] == "sent" and rng.random() < 0.15:
            # The lead unit has sent its 办结报告; the responsible person has still to ask for 销号.
            lead_task.update(state="reported", feedback="已按要求完成，现报送办结报告和佐证材料。")
        return len(days)


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ----- writing -------------------------------------------------------------------------------------------


# In the order the foreign keys need.
_TABLES = (
    "workflow_instances", "supervision_items", "supervision_co_units", "workflow_duties", "workflow_duty_reports",
    "workflow_work_items", "workflow_history", "accountability_records",
)


def _next_id(conn: Connection, table: str) -> int:
    found = Base.metadata.tables[table]
    return int(conn.execute(select(func.coalesce(func.max(found.c.id), 0))).scalar_one()) + 1


def _created_days(n: int, rng: random.Random, today: date) -> Iterator[date]:
    """Registration days over the last three years, in order (ids and numbers follow creation)."""
    span = YEARS * 365
    yield from sorted(today - timedelta(days=rng.randint(0, span)) for _ in range(n))


def generate_supervision(
    conn: Connection, n: int, rng: random.Random, *, today: date, calendar: WorkCalendar, log: Log = print,
) -> dict[str, int]:
    """Writes ``n`` items and everything hanging off them, in batches committed one at a time; returns the
    rows written per table."""
    org = complete_org(conn, rng)
    maker = _ItemMaker(org, rng, today, calendar)
    item_id, instance_id, duty_id = (_next_id(conn, t) for t in ("supervision_items", "workflow_instances",
                                                                   "workflow_duties"))
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
    written = dict.fromkeys(_TABLES, 0)

    def flush() -> None:
        if not pending["supervision_items"]:
            return
        for name in _TABLES:
            if pending[name]:
                conn.execute(insert(Base.metadata.tables[name]), pending[name])
                written[name] += len(pending[name])
                pending[name].clear()
        conn.commit()
        log(f"  督办事项：{written['supervision_items']:,}/{n:,}")

    for created in _created_days(n, rng, today):
        made = maker.item(item_id, instance_id, created, duty_id)
        for name, rows in made.items():
            pending[name] += rows
        if made["workflow_duties"]:
            duty_id += 1
        item_id += 1
        instance_id += 1
        if len(pending["supervision_items"]) >= BATCH:
            flush()
    flush()
    # The numbers go on from where the generated ones stop, as next_number would have left them.
    for year, last in maker.seqs.items():
        found = conn.execute(select(SequenceRow.id).where(SequenceRow.key == "supervision_item",
                                                          SequenceRow.year == year)).first()
        if found is None:
            conn.execute(insert(SequenceRow).values(key="supervision_item", year=year, last_value=last))
        else:
            conn.execute(SequenceRow.__table__.update().where(SequenceRow.id == found[0]).values(last_value=last))
    conn.commit()
    _after_load(conn)
    return written


def _after_load(conn: Connection) -> None:
    """Explicit ids move PostgreSQL's sequences on; fresh statistics, as autovacuum or InnoDB would soon give."""
    backend = conn.dialect.name
    tables = ("units", "users", "user_roles", *_TABLES)
    if backend == "postgresql":
        for table in tables:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
        conn.commit()
        conn.execute(text("ANALYZE"))
    elif backend in ("mysql", "mariadb"):
        conn.execute(text(f"ANALYZE TABLE {', '.join(tables)}"))
    else:
        conn.execute(text("ANALYZE"))
    conn.commit()


def supervision_count(conn: Connection) -> int:
    return int(conn.execute(
        select(func.count()).select_from(WorkflowInstance).where(WorkflowInstance.flow_key == FLOW_KEY)
    ).scalar_one())


def add_supervision(url: str, n: int = DEFAULT_ITEMS, seed: int = 1, *, today: date | None = None,
                    log: Log = print) -> dict[str, int]:
    """Adds ``n`` items to a bench database (the organisation already there, as bench.generate builds it)."""
    from app.bootstrap import bootstrap
    from app.services.kernel.settings import work_calendar

    started = clock.perf_counter()
    ctx = bootstrap(url)
    try:
        with ctx.uow() as uow:
            calendar = work_calendar(uow)
        with ctx.engine.connect() as conn:
            written = generate_supervision(conn, n, random.Random(seed), today=today or date.today(),
                                           calendar=calendar, log=log)
    finally:
        ctx.dispose()
    elapsed = clock.perf_counter() - started
    rows = sum(written.values())
    log("督办数据：" + "，".join(f"{name} {count:,}" for name, count in written.items())
        + f"；用时 {elapsed:.1f} 秒（{rows / max(elapsed, 1e-9):,.0f} 行/秒）")
    return written


__all__ = ["DEFAULT_ITEMS", "BenchOrg", "SupervisionItem", "add_supervision", "generate_supervision",
           "supervision_count"]
