"""信访's demo data: a year of the county's petitions, each taken through the petitions services by the people who act
there — registered by a 信访接待员 (every channel: letters, visits with the Monday 领导大接访 and group visits with
their representatives, calls with the 24365 line, the 县长信箱 and 网上咨询), the repeat check flagging a petitioner
who comes back with the same request; 受理 by the office or 交办 to the unit that answers for it (whose 联络员 now and
then disputes it, and reports how it was handled), 转送 or 不予受理; a 处理意见书 written, 审核 by a leader of the
office (now and then sent back), 回访 — some 不满意, handled again or raised to a leader — and 办结. Some cases stay
open near or past their limits, some were extended, some units were urged; a few petitioners asked for a 复查, and
one matter went on to its 复核. The screening's problems (排查问题) are assigned to units and solved.

What the cases are made of (people, requests, places, units) is app.demo.petitions_material's.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app.core.petitions.flow import (
    APPROVE,
    CONCLUDED,
    ENTITY,
    FLOW_KEY,
    FORWARDED,
    HANDLE,
    NOT_ACCEPTED,
    PROBLEM_ENTITY,
    PROBLEM_FLOW_KEY,
    REGISTER,
    REPLIED,
    REVIEW_FLOW_KEY,
    SOLVED,
)
from app.core.petitions.terms import ESCALATE, INITIAL, RE_REVIEW, REOPEN, REVIEW, VISIT_METHODS
from app.core.roles import Role
from app.core.workflow import Flow
from app.demo import petitions_material as material
from app.demo.flows import Clock, FlowDemo, Hop, Plan, Planner, local_day, local_moment
from app.demo.office import AppContext
from app.models import WorkflowInstance
from app.models.petitions import Petition, PetitionProblem, PetitionVisit
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork

RECORD_TIMES: dict[type, tuple[str, ...]] = {
    Petition: ("created_at", "updated_at"),
    PetitionVisit: ("created_at",),
    PetitionProblem: ("created_at", "updated_at"),
}
REPEAT_SHARE = 0.15
GROUP_SHARE = 0.2  # of the visits (来访)
RETURN_SHARE = 0.12
UNSATISFIED_SHARE = 0.12
OBJECTION_SHARE = 0.1
EXTENSION_SHARE = 0.15
URGE_SHARE = 0.4
FINDINGS = (
    "经调查核实，信访人反映的情况基本属实。承办单位已约谈相关责任方，明确了整改措施和完成时限。",
    "经调查核实，信访人反映的问题部分属实，有关政策已向信访人当面解释，相关手续正在办理。",
    "经调查核实，信访人所提诉求缺乏政策依据，已向信访人说明有关规定。",
)
DECISION_OF_FINDINGS = ("支持", "解释说明", "不予支持")
BASIS = "《信访工作条例》第三十二条及有关政策规定"
UNSATISFIED_REASONS = ("信访人认为办理结果未解决实际问题，要求重新调查", "信访人对答复不满意，情绪激动，拟提级办理")
VISIT_NOTES = ("信访人对处理意见表示理解和认可", "信访人表示问题已经解决，感谢政府", "信访人基本认可，希望加快落实")
# The matters that go on to 复查 (and one to 复核): told in their own words, so that no other case repeats them.
REVIEW_STORIES: tuple[tuple[str, str, str], ...] = (
    ("劳动和社会保障", "石桥镇", "反映1998年县造纸厂改制时职工身份置换补偿金未足额发放，要求按当年标准补发差额"),
    ("征地拆迁", "白沙镇", "反映白沙镇码头扩建征收本人鱼塘时未计算鱼苗损失，要求补偿养殖损失"),
    ("自然资源", "龙泉镇", "反映龙泉镇林权登记时将本人承包的荒山划入他人名下，要求更正林权证"),
    ("民政", "河口镇", "反映父亲系参战退役人员却未纳入优抚对象，要求认定并补发抚恤补助"),
    ("农村农业", "柳树乡", "反映柳树乡茶叶合作社挪用社员分红款，要求乡政府责令退还"),
    ("城乡建设", "青山镇", "反映青山镇老街风貌改造拆除本人祖传木屋门楼，要求恢复原状"),
    ("教育", "双河乡", "反映双河乡代课教师清退时未计算二十年教龄补助，要求按政策补发"),
    ("交通运输", "松林乡", "反映松林乡采石场运输车辆压坏本组唯一水泥便道，要求运输方出资修复"),
)


@dataclass
class _Memory:
    """What the planner remembers across plans: the petitioners sampled so far (a repeat reuses one)."""

    petitioners: list[tuple[material.Person, str, str, str]]
    stories: int = 0
    # How many cases were sampled, and the variants already shown: even a small demo shows each once
    # (a group visit, a reply sent back, a 不满意 回访 reopened and one escalated, a unit's objection).
    cases: int = 0
    shown: set[str] = field(default_factory=set)


def _first(planner: Planner, variant: str, share: float) -> bool:
    """Whether this case takes the variant: the first that may does, the others by their share."""
    shown = _memory(planner).shown
    if variant not in shown:
        shown.add(variant)
        return True
    return planner.rng.random() < share


_MEMORY: weakref.WeakKeyDictionary[Planner, _Memory] = weakref.WeakKeyDictionary()


def _memory(planner: Planner) -> _Memory:
    return _MEMORY.setdefault(planner, _Memory([]))


def _officers(planner: Planner) -> list[Actor]:
    return planner.org.with_role(Role.PETITION_OFFICER)


def _leaders(planner: Planner) -> list[Actor]:
    return planner.org.with_role(Role.DIRECTOR) + planner.org.with_role(Role.DEPUTY_DIRECTOR)


def _liaison(planner: Planner, unit_id: int) -> Actor | None:
    return next((a for a in planner.org.with_role(Role.LIAISON) if a.unit_id == unit_id), None)


def _unit_for(planner: Planner, category: str, place: str) -> int | None:
    """The unit that answers for the matter (谁主管、谁负责) and has a 联络员 to report on it; the place's town for a
    local matter; None when none has (the office handles it itself)."""
    names = list(material.UNITS_BY_CATEGORY.get(category, ()))
    if planner.rng.random() < 0.3:
        names.insert(0, place)
    for name in names:
        unit = planner.org.units.get(name)
        if unit is not None and _liaison(planner, unit.id) is not None:
            return unit.id
    return None


# ----- what a case is ---------------------------------------------------------------------------------------


def _sample_facts(planner: Planner, plan: Plan, *, story: tuple[str, str, str] | None = None) -> None:
    """The petitioner, the request and the way it came, in plan.extra."""
    rng, today = planner.rng, planner.today
    memory = _memory(planner)
    earlier = memory.petitioners[-60:]
    if story is not None:
        category, place, request = story
        who = material.person(rng, today, place)
    elif earlier and rng.random() < REPEAT_SHARE:
        who, category, place, told = rng.choice(earlier)
        request = material.retold(rng, told)
        plan.extra["repeat"] = True
    else:
        category = material.category(rng)
        place = material.place_for(rng, category)
        who = material.person(rng, today, place)
        request = material.request_for(rng, category, place, today)
        memory.petitioners.append((who, category, place, request))
    if story is not None:
        channel, detail = "来信", ""
    elif memory.cases < len(material.CHANNEL_WEIGHTS):
        # The first cases come by every channel and way in, one each.
        channel, detail, _weight = material.CHANNEL_WEIGHTS[memory.cases]
    else:
        channel, detail = material.channel(rng)
    memory.cases += story is None
    group = channel == "来访" and not detail and story is None and _first(planner, "group", GROUP_SHARE)
    people = rng.randint(6, 40) if group else 1
    representatives = [material.person(rng, today, place) for _ in range(rng.randint(1, 4))] if people > 1 else []
    plan.extra.update(
        category=category, place=place, person=who, request=request, facts=material.facts_for(rng),
        channel=channel, detail=detail, people=people, representatives=representatives,
        unit_id=_unit_for(planner, category, place),
    )


def sample_case(planner: Planner, flow: Flow) -> Plan:
    owner = planner.rng.choice(_officers(planner))
    plan = Plan(flow, ENTITY, "", {}, owner, owner.unit_id, "", [])
    _sample_facts(planner, plan)
    plan.title = plan.extra["request"][:60]
    return plan


def route_case(planner: Planner, flow: Flow, plan: Plan, target: str) -> list[Hop] | None:
    """The moves to the target: 受理 or 交办 (where a unit answers for it), 报送审核, 审核通过, 办结; now and then a
    reply sent back, or a 不满意 回访 that sends the case back to 办理 before it ends."""
    state = target.partition(":")[0]
    if state == REGISTER:
        return []
    if state in (FORWARDED, NOT_ACCEPTED):
        return [Hop(REGISTER, state, "forward" if state == FORWARDED else "reject")]
    decide = "assign" if plan.extra["unit_id"] is not None else "accept"
    hops = [Hop(REGISTER, HANDLE, decide)]
    if state == HANDLE:
        return hops
    hops.append(Hop(HANDLE, APPROVE, "submit"))
    if _first(planner, "return", RETURN_SHARE):
        hops += [Hop(APPROVE, HANDLE, "return"), Hop(HANDLE, APPROVE, "submit")]
    if state == APPROVE:
        return hops
    hops.append(Hop(APPROVE, REPLIED, "sign"))
    if _first(planner, "unsatisfied", UNSATISFIED_SHARE) or _first(planner, "unsatisfied again", UNSATISFIED_SHARE):
        hops += [Hop(REPLIED, HANDLE, "reopen"), Hop(HANDLE, APPROVE, "submit"), Hop(APPROVE, REPLIED, "sign")]
    if state == REPLIED:
        return hops
    hops.append(Hop(REPLIED, CONCLUDED, "conclude"))
    return hops if state == CONCLUDED else None


def sample_review(planner: Planner, flow: Flow) -> Plan:
    """A 复查 (or, for the target 'concluded:re_review', a 复核) of a matter told in its own words."""
    memory = _memory(planner)
    story = REVIEW_STORIES[memory.stories % len(REVIEW_STORIES)]
    memory.stories += 1
    owner = planner.rng.choice(_officers(planner))
    plan = Plan(flow, ENTITY, "", {}, owner, owner.unit_id, "", [])
    _sample_facts(planner, plan, story=story)
    plan.extra.update(unit_id=None, stage=REVIEW)
    plan.title = plan.extra["request"][:60]
    return plan


def route_review(planner: Planner, flow: Flow, plan: Plan, target: str) -> list[Hop] | None:
    state, _, variant = target.partition(":")
    if variant == "re_review":
        plan.extra["stage"] = RE_REVIEW
    if state == REGISTER:
        return []
    if state == NOT_ACCEPTED:
        return [Hop(REGISTER, NOT_ACCEPTED, "reject")]
    hops = [Hop(REGISTER, HANDLE, "accept")]
    for step, hop in ((HANDLE, Hop(HANDLE, APPROVE, "submit")), (APPROVE, Hop(APPROVE, REPLIED, "sign")),
                      (REPLIED, Hop(REPLIED, CONCLUDED, "conclude"))):
        if state == step:
            return hops
        hops.append(hop)
    return hops if state == CONCLUDED else None


def sample_problem(planner: Planner, flow: Flow) -> Plan:
    rng = planner.rng
    owner = rng.choice(_officers(planner))
    category = rng.choice(material.HOT_CATEGORIES) if rng.random() < 0.7 else material.category(rng)
    place = material.place_for(rng, category)
    unit_id = _unit_for(planner, category, place)
    plan = Plan(flow, PROBLEM_ENTITY, f"{place}{category}问题", {}, owner, unit_id, "", [])
    plan.extra.update(category=category, place=place, unit_id=unit_id)
    return plan


def route_problem(planner: Planner, flow: Flow, plan: Plan, target: str) -> list[Hop] | None:
    """立项 and 交办 are one act of the screening's service: a problem is at 化解落实 from the start."""
    if plan.unit_id is None:
        return None
    hops = [Hop(REGISTER, HANDLE, "assign")]
    if target == SOLVED:
        hops.append(Hop(HANDLE, SOLVED, "solve"))
    return hops


# ----- when it happened ---------------------------------------------------------------------------------------

# Days after the move before (low, high): how long each step takes.
_GAPS: dict[str, tuple[int, int]] = {
    "accept": (0, 9), "assign": (0, 9), "forward": (0, 8), "reject": (1, 10), "submit": (15, 50), "return": (1, 2),
    "sign": (0, 3), "reopen": (4, 12), "conclude": (6, 30), "solve": (15, 50),
}
_REVIEW_GAPS: dict[str, tuple[int, int]] = {**_GAPS, "accept": (0, 3), "reject": (0, 3), "submit": (8, 18)}


def _workday_on_or_after(planner: Planner, day: date) -> date:
    return day if planner.calendar.is_workday(day) else planner.calendar.next_workday(day)


def _days(planner: Planner, plan: Plan, start: date, gaps: dict[str, tuple[int, int]]) -> list[date]:
    days = [start]
    for hop in plan.hops:
        low, high = gaps[hop.action]
        days.append(_workday_on_or_after(planner, days[-1] + timedelta(days=planner.rng.randint(low, high))))
    return days


def _open_anchor(planner: Planner, plan: Plan, days: list[date]) -> int:
    """How many days to move an open case's timeline so that its clock lands around today: some overdue, some
    due soon, most later."""
    rng, today = planner.rng, planner.today
    state = plan.hops[-1].target if plan.hops else REGISTER
    last = days[-1]
    if state == REGISTER:
        wanted = today - timedelta(days=rng.choice((0, 2, 5, 9, 13, 14, 15, 18, 20)))
        return (wanted - days[0]).days
    if state == HANDLE:
        decided = days[next(i for i, h in enumerate(plan.hops) if h.target == HANDLE) + 1]
        wanted = today - timedelta(days=rng.choice((3, 10, 20, 35, 45, 57, 58, 59, 62, 70)))
        shift = (wanted - decided).days
        return min(shift, (today - last).days)
    return (today - timedelta(days=rng.randint(0, 6)) - last).days


def _settle_times(planner: Planner, plan: Plan) -> None:
    """A case's timeline as cases run: weeks at 办理, days at the other steps; an open case's clocks around
    today, an ended one's in the past year; a 领导大接访 on a Monday."""
    rng, today = planner.rng, planner.today
    review = plan.flow.key == REVIEW_FLOW_KEY
    days = _days(planner, plan, date.min + timedelta(days=800_000), _REVIEW_GAPS if review else _GAPS)
    final = bool(plan.hops) and plan.flow.step(plan.hops[-1].target).final
    if final:
        shift = (today - timedelta(days=rng.randint(3, 300)) - days[-1]).days
    else:
        shift = _open_anchor(planner, plan, days)
    days = [d + timedelta(days=shift) for d in days]
    if days[0] < today - timedelta(days=360):
        days = [d + timedelta(days=(today - timedelta(days=360) - days[0]).days) for d in days]
    if plan.extra.get("detail") == material.LEADER_RECEPTION_DETAIL:
        monday = material.monday_on_or_before(days[0])
        if planner.calendar.is_workday(monday):
            days[0] = monday
        else:
            plan.extra["detail"] = ""
    days = [min(_workday_on_or_after(planner, d), today) for d in days]
    for i in range(1, len(days)):
        days[i] = max(days[i], days[i - 1])
    times: list[datetime] = []
    for day in days:
        at = local_moment(day, rng.randint(0, 480)).astimezone(UTC)
        if times and at <= times[-1]:
            at = times[-1] + timedelta(minutes=rng.randint(5, 40))
        times.append(at)
    plan.times = times


def _settle_problem_times(planner: Planner, plan: Plan) -> None:
    rng, today = planner.rng, planner.today
    start = today - timedelta(days=rng.randint(60, 300) if plan.hops[-1].target == SOLVED else rng.randint(5, 50))
    days = _days(planner, plan, _workday_on_or_after(planner, start), _GAPS)
    days = [min(d, today) for d in days]
    plan.times = [local_moment(d, 60 + 30 * i).astimezone(UTC) for i, d in enumerate(days)]
    plan.extra["deadline"] = days[0] + timedelta(days=rng.randint(30, 60))


def _answered(plan: Plan) -> date | None:
    """The day a planned case (or review) was last answered (审核通过), None if it never is."""
    signed = [when for hop, when in zip(plan.hops, plan.times[1:], strict=True) if hop.action == "sign"]
    return local_day(signed[-1]) if signed else None


def _pair_reviews(planner: Planner, plans: Sequence[Plan]) -> None:
    """Each 复查 reviews one of the year's planned cases answered in time for it, and the 复核 one of the 复查:
    the reviewed case takes on the review's matter (told in its own words, so that no other case repeats a
    matter closed after 复核) and the review is asked for within 30 days of its reply. A review with no such
    case left makes its own (one more case than planned)."""
    rng, today = planner.rng, planner.today
    # (A planned repeat taken on this way is a repeat no more: it takes on the review's matter and petitioner.)
    cases = [p for p in plans if p.flow.key == FLOW_KEY and _answered(p) is not None]
    reviews = [p for p in plans if p.flow.key == REVIEW_FLOW_KEY]
    # The 复查 first (a 复核 reviews one of them), the 复查 that end answered before the others.
    reviews.sort(key=lambda p: (p.extra["stage"] == RE_REVIEW, _answered(p) is None))
    for review in reviews:
        pool = cases if review.extra["stage"] == REVIEW else [
            p for p in reviews if p.extra["stage"] == REVIEW and _answered(p) is not None
            and p.extra.get("reviewed") is None]
        for base in pool:
            answered = _answered(base)
            assert answered is not None
            # Asked for within 30 days of the reply: after the case ended where it could be, else while it ends.
            latest = min(today, answered + timedelta(days=28))
            earliest = max(answered, local_day(base.times[-1])) + timedelta(days=1)
            if earliest > latest:
                earliest = answered + timedelta(days=1)
            if earliest > latest:
                continue
            requested = earliest + timedelta(days=rng.randint(0, min(7, (latest - earliest).days)))
            if base in cases:
                cases.remove(base)
                base.extra.update({k: review.extra[k] for k in ("category", "place", "person", "request", "facts")})
                base.extra["repeat"] = False
                base.extra["unit_id"] = _unit_for(planner, base.extra["category"], base.extra["place"]) or \
                    base.extra["unit_id"]
            else:
                review.extra.update({k: base.extra[k] for k in ("category", "place", "person", "request")})
            base.extra["reviewed"] = review
            review.extra["base"] = base
            _retime_review(planner, review, requested)
            break


def _retime_review(planner: Planner, plan: Plan, requested: date) -> None:
    days = [requested]
    for hop in plan.hops:
        low, high = _REVIEW_GAPS[hop.action]
        days.append(min(planner.today, _workday_on_or_after(planner, days[-1] + timedelta(
            days=planner.rng.randint(low, high)))))
    times: list[datetime] = []
    for day in days:
        at = local_moment(day, planner.rng.randint(0, 480)).astimezone(UTC)
        if times and at <= times[-1]:
            at = times[-1] + timedelta(minutes=planner.rng.randint(5, 40))
        times.append(at)
    plan.times = times


def settle(ctx: AppContext, planner: Planner, plans: Sequence[Plan]) -> None:
    """The cases' timelines settled as 信访 runs (_settle_times), and the plans put back in the order they began,
    so the cases' numbers run with the calendar."""
    ours = [p for p in plans if p.entity_type in (ENTITY, PROBLEM_ENTITY)]
    if not ours:
        return
    for plan in ours:
        if plan.entity_type == PROBLEM_ENTITY:
            _settle_problem_times(planner, plan)
        else:
            _settle_times(planner, plan)
    _pair_reviews(planner, ours)
    if isinstance(plans, list):
        plans.sort(key=lambda p: p.times[0])


# ----- through the services ---------------------------------------------------------------------------------


def _input(plan: Plan, received: date, planner: Planner) -> Any:
    from app.services.petitions import records

    who: material.Person = plan.extra["person"]
    detail = plan.extra["detail"]
    leaders = planner.org.with_role(Role.COUNTY_LEADER)
    return records.PetitionInput(
        channel=plan.extra["channel"], channel_detail=detail, received_on=received, name=who.name,
        id_number=who.id_number, phone=who.phone, address=who.address, request=plan.extra["request"],
        facts=plan.extra["facts"], category=plan.extra["category"], place=plan.extra["place"],
        people_count=plan.extra["people"],
        reception_leader=planner.rng.choice(leaders).full_name if detail == material.LEADER_RECEPTION_DETAIL else "",
        representatives=[records.RepresentativeInput(p.name, p.id_number, p.phone)
                         for p in plan.extra["representatives"]],
    )


@dataclass
class _Case:
    """One case being driven: who answers for it now, and its unit's task."""

    id: int
    instance_id: int
    responsible: Actor
    unit_id: int | None = None
    reported: bool = False


def _state(uow: UnitOfWork, instance_id: int) -> str:
    instance = uow.session.get(WorkflowInstance, instance_id)
    assert instance is not None
    uow.session.refresh(instance)
    return instance.state


def _report(uow: UnitOfWork, planner: Planner, case: _Case, day: date) -> None:
    """The assigned unit's 联络员 reports how the case was handled (the task 交办 sent)."""
    from app.services.workflow import parallel

    if case.unit_id is None or case.reported:
        return
    liaison = _liaison(planner, case.unit_id)
    assert liaison is not None
    items = parallel.work_items_of(uow, liaison, case.instance_id).items
    item = next(i for i in items if i.lead and i.state == "sent")
    parallel.report_work_item(uow, liaison, item.id, planner.rng.choice(FINDINGS), day)
    uow.commit()
    case.reported = True


def _leader_other_than(planner: Planner, actor: Actor) -> Actor:
    return planner.rng.choice([a for a in _leaders(planner) if a.id != actor.id] or _leaders(planner))


def _take(uow: UnitOfWork, planner: Planner, plan: Plan, case: _Case, hop: Hop, when: datetime, clock: Clock) -> None:
    """One planned move on a case (or its 复查/复核), with what goes with it."""
    from app.services.petitions import lifecycle

    rng = planner.rng
    day = local_day(when)
    clock.now = when
    who = case.responsible
    if hop.action == "accept":
        lifecycle.accept(uow, who, case.id, opinion="属本机关职责范围，予以受理。", today=day)
    elif hop.action == "assign":
        assert plan.extra["unit_id"] is not None
        case.unit_id = plan.extra["unit_id"]
        lifecycle.assign(uow, who, case.id, unit_id=case.unit_id, due=day + timedelta(days=rng.randint(20, 40)),
                         task=f"请依法调查处理并报送办理情况：{plan.extra['request'][:200]}",
                         opinion="按照“谁主管、谁负责”的原则交办。", today=day)
        if _first(planner, "objection", OBJECTION_SHARE):
            _objection(uow, planner, case, day)
    elif hop.action == "forward":
        to, reason = rng.choice(material.FORWARD_TO)
        lifecycle.forward(uow, who, case.id, to=to, reason=reason, today=day)
    elif hop.action == "reject":
        lifecycle.reject(uow, who, case.id, reason=rng.choice(material.REJECT_REASONS), today=day)
    elif hop.action == "submit":
        _report(uow, planner, case, day)
        pick = rng.randrange(len(FINDINGS))
        decision = DECISION_OF_FINDINGS[pick] if plan.extra.get("stage", INITIAL) == INITIAL else "不予支持"
        lifecycle.write_reply(uow, who, case.id, findings=FINDINGS[pick], decision=decision, basis=BASIS, today=day)
        lifecycle.submit(uow, who, case.id, opinion="处理意见书已拟好，请审核。", today=day)
    elif hop.action == "sign":
        lifecycle.sign(uow, _leader_other_than(planner, who), case.id, opinion="同意。", today=day)
    elif hop.action == "return":
        lifecycle.return_reply(uow, _leader_other_than(planner, who), case.id,
                               opinion="事实部分不够清楚，请补充调查后重新报送。", today=day)
    elif hop.action == "reopen":
        escalate = _first(planner, "escalate", 0.4) if "reopen" in _memory(planner).shown else False
        _memory(planner).shown.add("reopen")
        leader = _leader_other_than(planner, who) if escalate else None
        lifecycle.record_visit(
            uow, who, case.id, visited_on=day, method=rng.choice(("电话回访", "上门回访")), satisfaction="不满意",
            note="信访人对答复不满意", action=ESCALATE if escalate else REOPEN,
            reason=UNSATISFIED_REASONS[1 if escalate else 0], leader_id=leader.id if leader else None, today=day,
        )
        if leader is not None:
            case.responsible = leader
    elif hop.action == "conclude":
        _satisfied_visit(uow, planner, case, day)
        lifecycle.conclude(uow, who, case.id, opinion="已送达并回访，办结。", today=day)
    else:
        raise RuntimeError(f"演示数据不会办理信访件的“{hop.action}”")
    state = _state(uow, case.instance_id)
    if state != hop.target:
        raise RuntimeError(f"信访件{case.id}到了“{state}”，而不是计划的“{hop.target}”")


def _satisfied_visit(uow: UnitOfWork, planner: Planner, case: _Case, day: date) -> None:
    from app.services.petitions import lifecycle

    rng = planner.rng
    lifecycle.record_visit(uow, case.responsible, case.id, visited_on=day, method=rng.choice(VISIT_METHODS),
                           satisfaction=rng.choices(("满意", "基本满意"), (7, 3))[0], note=rng.choice(VISIT_NOTES),
                           today=day)


def _objection(uow: UnitOfWork, planner: Planner, case: _Case, day: date) -> None:
    """The unit disputes the assignment; the office keeps it there."""
    from app.services.petitions import lifecycle

    assert case.unit_id is not None
    liaison = _liaison(planner, case.unit_id)
    assert liaison is not None
    objection = lifecycle.object_to_assignment(
        uow, liaison, case.id, reason="该事项涉及多个部门职责，建议由属地乡镇牵头办理。", today=day)
    lifecycle.answer_objection(uow, case.responsible, objection.id, uphold=False,
                               answer="经研究，该事项主要属你单位职责范围，请继续办理。", today=day)


def _while_open(uow: UnitOfWork, planner: Planner, plan: Plan, case: _Case, clock: Clock) -> None:
    """An open case at 办理: now and then extended by a leader near its limit; a unit late with its report
    urged; the answered one visited."""
    from app.services.petitions import lifecycle

    rng, today = planner.rng, planner.today
    state = _state(uow, case.instance_id)
    last = local_day(plan.times[-1])
    if state == HANDLE and plan.flow.key == FLOW_KEY:
        if (today - last).days >= 45 and _first(planner, "extension", EXTENSION_SHARE):
            day = last + timedelta(days=45)
            clock.now = local_moment(day, 120).astimezone(UTC)
            lifecycle.extend(uow, rng.choice(_leaders(planner)), case.id, days=rng.choice((15, 20, 30)),
                             reason="案情复杂，涉及多个部门，需进一步调查核实", today=day)
        if case.unit_id is not None and (today - last).days >= 10 and _first(planner, "urge", URGE_SHARE):
            day = max(last, today - timedelta(days=rng.randint(1, 5)))
            clock.now = local_moment(day, 200).astimezone(UTC)
            lifecycle.urge_unit(uow, case.responsible, case.id, note="请抓紧办理，按期报送办理情况。", today=day)
        elif case.unit_id is not None and rng.random() < 0.3:
            day = max(last, today - timedelta(days=rng.randint(0, 3)))
            clock.now = local_moment(day, 300).astimezone(UTC)
            _report(uow, planner, case, day)
    elif state == REPLIED and rng.random() < 0.4:
        day = min(today, last + timedelta(days=rng.randint(1, 5)))
        clock.now = local_moment(day, 200).astimezone(UTC)
        _satisfied_visit(uow, planner, case, day)


def drive_case(uow: UnitOfWork, planner: Planner, plan: Plan, clock: Clock) -> None:
    from app.services.petitions import records

    received = local_day(plan.times[0])
    clock.now = plan.times[0]
    registered = records.register_petition(uow, plan.owner, _input(plan, received, planner), today=received)
    case = _Case(registered.petition.id, registered.petition.instance_id, plan.owner)
    plan.extra["case_id"] = case.id
    for hop, when in zip(plan.hops, plan.times[1:], strict=True):
        _take(uow, planner, plan, case, hop, when, clock)
    _while_open(uow, planner, plan, case, clock)


def _answered_case(uow: UnitOfWork, planner: Planner, plan: Plan, replied_by: date, clock: Clock,
                   stage: str, reviews: int | None) -> int:
    """The case (or its 复查) a review asks about, registered, handled and replied by ``replied_by``."""
    from app.services.petitions import lifecycle, records

    rng = planner.rng
    accepted = replied_by - timedelta(days=rng.randint(12, 25))
    received = accepted - timedelta(days=rng.randint(1, 6))
    step = Plan(plan.flow, ENTITY, plan.title, {}, plan.owner, plan.unit_id, "", [], extra={**plan.extra, "stage": stage})
    clock.now = local_moment(received, 30).astimezone(UTC)
    if reviews is None:
        info = records.register_petition(uow, plan.owner, _input(plan, received, planner), today=received).petition
    else:
        info = lifecycle.open_review(uow, plan.owner, reviews, requested_on=received,
                                     request="对处理意见书不服，请求复查。", today=received)
    case = _Case(info.id, info.instance_id, plan.owner)
    moves = [(Hop(REGISTER, HANDLE, "accept"), accepted),
             (Hop(HANDLE, APPROVE, "submit"), replied_by - timedelta(days=1)),
             (Hop(APPROVE, REPLIED, "sign"), replied_by)]
    for hop, day in moves:
        _take(uow, planner, step, case, hop, local_moment(day, 90).astimezone(UTC), clock)
    return case.id


def drive_review(uow: UnitOfWork, planner: Planner, plan: Plan, clock: Clock) -> None:
    """The case answered first (and, for a 复核, its 复查), then the review asked for within 30 days of the reply
    and taken where the plan says."""
    from app.services.petitions import lifecycle

    rng = planner.rng
    requested = local_day(plan.times[0])
    replied = requested - timedelta(days=rng.randint(3, 15))
    base: Plan | None = plan.extra.get("base")
    if base is not None:
        # The planned case (or 复查) it reviews was driven before it: it began earlier.
        earlier = int(base.extra["case_id"])
    elif plan.extra["stage"] == RE_REVIEW:
        first_replied = replied - timedelta(days=rng.randint(25, 35))
        first = _answered_case(uow, planner, plan, first_replied, clock, INITIAL, None)
        earlier = _answered_case(uow, planner, plan, replied, clock, REVIEW, first)
    else:
        earlier = _answered_case(uow, planner, plan, replied, clock, INITIAL, None)
    clock.now = plan.times[0]
    info = lifecycle.open_review(uow, plan.owner, earlier, requested_on=requested,
                                 request="对复查意见不服，请求复核。" if plan.extra["stage"] == RE_REVIEW
                                 else "对处理意见书不服，请求复查。",
                                 today=requested)
    case = _Case(info.id, info.instance_id, plan.owner)
    plan.extra["case_id"] = case.id
    for hop, when in zip(plan.hops, plan.times[1:], strict=True):
        _take(uow, planner, plan, case, hop, when, clock)


def drive_problem(uow: UnitOfWork, planner: Planner, plan: Plan, clock: Clock) -> None:
    """A hot issue the screening found, assigned to its unit; the unit reports and the office closes it."""
    from app.services.petitions import problems

    rng = planner.rng
    start = local_day(plan.times[0])
    period_from = start - timedelta(days=90)
    count = int(uow.session.execute(
        select(func.count()).select_from(Petition).where(
            Petition.category == plan.extra["category"], Petition.place == plan.extra["place"],
            Petition.received_on >= period_from, Petition.received_on < start)
    ).scalar_one())
    clock.now = plan.times[1]
    info = problems.create_problem(
        uow, plan.owner, title=plan.title, category=plan.extra["category"], place=plan.extra["place"],
        period_from=period_from, period_to=start - timedelta(days=1), case_count=count,
        description="近三个月该问题信访量居高不下，请责任单位摸清底数，制定化解方案，限期化解。",
        unit_id=plan.unit_id, deadline=max(plan.extra["deadline"], start), today=start,
    )
    if any(hop.action == "solve" for hop in plan.hops):
        day = local_day(plan.times[-1])
        liaison = _liaison(planner, int(plan.unit_id or 0))
        assert liaison is not None
        clock.now = plan.times[-1] - timedelta(hours=2)
        problems.report_problem(uow, liaison, info.id, "已逐户走访，制定化解方案，问题已基本化解。", today=day)
        clock.now = plan.times[-1]
        problems.solve(uow, plan.owner, info.id, "化解情况属实，同意办结。", today=day)
    elif rng.random() < 0.3:
        liaison = _liaison(planner, int(plan.unit_id or 0))
        assert liaison is not None
        clock.now = local_moment(planner.today, 60).astimezone(UTC)
        problems.report_problem(uow, liaison, info.id, "已制定化解方案，正在逐户落实。", today=planner.today)


FLOWS: dict[str, FlowDemo] = {
    FLOW_KEY: FlowDemo(weight=3, sample=sample_case, drive=drive_case, route=route_case),
    REVIEW_FLOW_KEY: FlowDemo(weight=0, sample=sample_review, drive=drive_review, route=route_review,
                              extra_targets=("concluded:re_review",)),
    PROBLEM_FLOW_KEY: FlowDemo(weight=0, sample=sample_problem, drive=drive_problem, route=route_problem),
}
