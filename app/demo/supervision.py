"""Demo data for 督查督办: a year of items from the 政府工作报告, 常务会议, 上级交办, 领导批示 and 综合督查, each taken
through the supervision services by the people who act there — registered and 交办 by its responsible 文秘, its
progress reported by the lead unit's 联络员 on the rhythm of its class (a few reports missed, as in life), its
办结报告 sent with evidence, 报请销号, and 销号 or 退回 by the office's leaders — some on time, some late, some
still open past their deadline, so the ledger, the 工作台 and the notice have something true to show."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache

from app.core.roles import Role
from app.core.supervision.classes import PRIORITY_CLASSES, SOURCES, priority_class
from app.core.supervision.flow import ENTITY, FLOW_KEY, HANDLE, PROGRESS_DUTY
from app.core.workflow import Flow
from app.core.workflow.duties import Rhythm, next_due
from app.demo.flows import Clock, FlowDemo, Hop, Plan, Planner, local_day, local_moment, route_to
from app.demo.office import AppContext
from app.models import WorkflowInstance
from app.models.supervision import SupervisionItem
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.supervision import items, lifecycle
from app.services.workflow import duties

# (事项名称, 工作要求) by source; the lead unit is one with a 联络员, so its reports can be made.
TARGETS: dict[str, tuple[tuple[str, str], ...]] = {
    "政府工作报告": (
        ("新建城区公共停车位500个", "年内建成并投入使用，按季度报送建设进度"),
        ("完成老旧小区改造12个", "9月底前全部完工，群众满意率90%以上"),
        ("新增城镇就业2800人", "落实稳岗政策，按月报送新增就业人数"),
        ("改造农村公路80公里", "10月底前完成路面硬化并通过验收"),
        ("新建幼儿园3所", "秋季学期前投入使用"),
        ("完成高标准农田建设2万亩", "年底前完成建设并通过市级验收"),
        ("实现固定资产投资增长8%", "加快项目建设进度，按月调度"),
        ("建成县域医共体信息平台", "实现县乡村三级诊疗信息互联互通"),
    ),
    "常务会议决定事项": (
        ("制定城区停车收费管理办法", "征求意见后提交县政府常务会议审议"),
        ("开展燃气安全专项整治", "对全县燃气经营单位全覆盖检查，问题清单化整改"),
        ("推进县城污水管网改造", "汛期前完成雨污分流改造一期工程"),
        ("落实中小学课后服务", "全县义务教育学校课后服务全覆盖"),
    ),
    "上级交办事项": (
        ("完成市级重点项目年度投资任务", "按月报送项目进度和投资完成情况"),
        ("做好第五次全国经济普查数据核查", "按市普查办要求完成数据审核"),
        ("推进河长制问题整改", "对市级交办的12个问题逐一整改销号"),
    ),
    "领导批示": (
        ("研究解决青山中学周边交通拥堵问题", "提出工作方案报县长审定"),
        ("督促解决农民工工资拖欠问题", "春节前确保全部结清"),
        ("加快推进城关镇农贸市场改造", "限期完成并报送整改情况"),
    ),
    "综合督查": (
        ("整改安全生产检查发现的隐患", "对照问题清单逐项整改，附整改前后照片"),
        ("整改营商环境督查发现的问题", "压缩审批时限，报送整改情况"),
    ),
}
PROGRESS_TEXTS = (
    "已制定实施方案，明确责任分工和时间节点，正按计划推进。",
    "本期完成阶段性任务，资金已落实，下一步加快施工进度。",
    "已召开专题推进会，协调解决用地问题，项目进展顺利。",
    "完成总任务量的六成，存在问题是天气影响工期，已采取措施。",
    "已完成招标，施工单位进场，计划按期完成。",
)
RECORD_TIMES: dict[type, tuple[str, ...]] = {SupervisionItem: ("created_at", "updated_at")}


@cache
def _evidence_pdf() -> bytes:
    """A one-page 佐证材料 (a real PDF, as a scanned 验收报告 would be)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setTitle("acceptance report")
    page.drawString(72, 760, "Acceptance report (demo)")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _liaison_units(planner: Planner) -> list[int]:
    return sorted({a.unit_id for a in planner.org.with_role(Role.LIAISON) if a.unit_id is not None})


def _liaison_of(planner: Planner, unit_id: int) -> Actor:
    return next(a for a in planner.org.with_role(Role.LIAISON) if a.unit_id == unit_id)


def sample_item(planner: Planner, flow: Flow) -> Plan:
    rng = planner.rng
    source = rng.choices(SOURCES, weights=(5, 3, 2, 2, 1))[0]
    title, requirement = rng.choice(TARGETS[source])
    responsible = rng.choice(planner.org.with_role(Role.SECRETARY))
    units = _liaison_units(planner)
    lead = rng.choice(units)
    co_units = rng.sample([u for u in units if u != lead], k=min(len(units) - 1, rng.choice((0, 1, 1, 2))))
    priority = rng.choices([c.label for c in PRIORITY_CLASSES], weights=(3, 1, 4))[0]
    plan = Plan(flow, ENTITY, title, {}, responsible, lead, "", [])
    plan.extra.update(source=source, requirement=requirement, co_units=co_units, priority=priority,
                      late=rng.random() < 0.25, miss=rng.random() < 0.3)
    return plan


def route_item(planner: Planner, flow: Flow, plan: Plan, target: str) -> list[Hop] | None:
    """The moves to the target; now and then a 销号 is sent back once, as real ones are."""
    hops = route_to(flow, plan.facts, target)
    if hops is None:
        return None
    actions = [hop.action for hop in hops]
    if "close" in actions and planner.rng.random() < 0.2:
        at = actions.index("close")
        hops[at:at] = [Hop("review", HANDLE, "return"), Hop(HANDLE, "review", "request_close")]
    return hops


def _deadline(planner: Planner, plan: Plan, start: date) -> date:
    """After the last planned move (closed on time), before it (closed late), or around today (still open);
    never before its 交办 (an item is not sent out already late)."""
    assigned = [local_day(when) for hop, when in zip(plan.hops, plan.times[1:], strict=True) if hop.action == "assign"]
    return max([_wanted_deadline(planner, plan, start), *assigned])


def _wanted_deadline(planner: Planner, plan: Plan, start: date) -> date:
    rng = planner.rng
    last = local_day(plan.times[-1])
    actions = [hop.action for hop in plan.hops]
    if "close" in actions:
        return max(start + timedelta(days=7), last - timedelta(days=rng.randint(5, 20)) if plan.extra["late"]
                   else last + timedelta(days=rng.randint(0, 40)))
    if plan.extra["late"]:
        return max(start + timedelta(days=7), planner.today - timedelta(days=rng.randint(3, 30)))
    return max(start + timedelta(days=7), planner.today + timedelta(days=rng.randint(5, 120)))


def _reports(uow: UnitOfWork, planner: Planner, plan: Plan, instance: WorkflowInstance, start: date, end: date,
             clock: Clock) -> None:
    """The lead unit's progress reports from 交办 until ``end``, on the class's rhythm; some missed."""
    rng = planner.rng
    cls = priority_class(plan.extra["priority"])
    rhythm = Rhythm(cls.rhythm, cls.every)
    liaison = _liaison_of(planner, int(plan.unit_id or 0))
    due = next_due(rhythm, start, planner.calendar).date
    reports = 0
    while due <= end and reports < 12:
        if plan.extra["miss"] and rng.random() < 0.25:
            # Missed: the next report is still owed from this one's due day on.
            due = next_due(rhythm, due, planner.calendar).date
            continue
        day = due if rng.random() < 0.7 else max(start, due - timedelta(days=rng.randint(0, 2)))
        clock.now = _moment(day)
        duties.report_duty(uow, liaison, instance.id, PROGRESS_DUTY, rng.choice(PROGRESS_TEXTS), day)
        reports += 1
        due = next_due(rhythm, day, planner.calendar).date


def _moment(day: date) -> datetime:
    return local_moment(day, 90).astimezone(UTC)


def drive_item(uow: UnitOfWork, planner: Planner, plan: Plan, clock: Clock) -> None:
    rng = planner.rng
    start = local_day(plan.times[0])
    deadline = _deadline(planner, plan, start)
    data = items.ItemInput(
        source=plan.extra["source"], title=plan.title, requirement=plan.extra["requirement"],
        lead_unit_id=plan.unit_id, co_unit_ids=plan.extra["co_units"], responsible_id=plan.owner.id,
        priority=plan.extra["priority"], deadline=deadline,
    )
    info = items.create_item(uow, plan.owner, data, today=start)
    instance = uow.session.get(WorkflowInstance, info.instance_id)
    assert instance is not None
    director = planner.org.with_role(Role.DIRECTOR)[0]
    leaders = planner.org.with_role(Role.DIRECTOR) + planner.org.with_role(Role.DEPUTY_DIRECTOR)
    liaison = _liaison_of(planner, int(plan.unit_id or 0))
    assigned_on: date | None = None
    for hop, when in zip(plan.hops, plan.times[1:], strict=True):
        day = local_day(when)
        if hop.action == "assign":
            clock.now = when
            lifecycle.assign_item(uow, plan.owner, info.id, "请按要求抓好落实，按时报送进展。", today=day)
            assigned_on = day
        elif hop.action == "request_close":
            if assigned_on is not None:
                _reports(uow, planner, plan, instance, assigned_on, day - timedelta(days=1), clock)
                assigned_on = None
            clock.now = when
            lifecycle.report_task(uow, liaison, info.id, "已按要求完成，现报送办结报告和佐证材料。",
                                  [("验收报告.pdf", _evidence_pdf())], completion=True)
            lifecycle.request_close(uow, plan.owner, info.id, "牵头单位已办结，请审核销号。", today=day)
        elif hop.action == "close":
            clock.now = when
            lifecycle.close_item(uow, rng.choice(leaders), info.id, "同意销号。", today=day)
        elif hop.action == "return":
            clock.now = when
            lifecycle.return_item(uow, director, info.id, "佐证材料不全，请补充验收资料。", today=day)
            assigned_on = day
        elif hop.action == "cancel":
            clock.now = when
            lifecycle.cancel_item(uow, director, info.id, "根据县政府工作调整，该事项不再督办。", today=day)
        else:
            raise RuntimeError(f"演示数据不会办理督办事项的“{hop.action}”")
        if instance.state != hop.target:
            raise RuntimeError(f"督办事项{info.number}到了“{instance.state}”，而不是计划的“{hop.target}”")
    if assigned_on is not None and instance.state == HANDLE:
        _reports(uow, planner, plan, instance, assigned_on, planner.today, clock)


FLOWS: dict[str, FlowDemo] = {
    FLOW_KEY: FlowDemo(weight=1, sample=sample_item, drive=drive_item, route=route_item),
}


CAMPAIGNS: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("安全生产综合督查", "全县在建工地、燃气经营单位和人员密集场所", 4, (
        "部分在建工地临边防护不到位，安全网破损未及时更换",
        "个别燃气经营单位未按规定配备可燃气体报警装置",
        "农贸市场消防通道被占用，灭火器过期未更换",
    )),
    ("优化营商环境专项督查", "县政务服务中心和各审批部门", 9, (
        "部分审批事项办理时限超过承诺时限",
        "“一窗受理”落实不到位，群众需多头跑",
        "涉企收费公示不完整",
    )),
)


def settle(ctx: AppContext, planner: Planner, plans: Sequence[Plan]) -> None:
    """The year's 综合督查 campaigns with their findings, recorded by the office's first 文秘 as each ended."""
    from app.services.supervision import campaigns

    if not any(plan.entity_type == ENTITY for plan in plans):
        return
    clerk = planner.org.with_role(Role.SECRETARY)[0]
    units = _liaison_units(planner)
    year = planner.today.year
    with ctx.uow() as uow:
        for title, scope, month, findings in CAMPAIGNS:
            starts = date(year, month, 10)
            if starts > planner.today:
                continue
            ends = min(starts + timedelta(days=4), planner.today)
            campaigns.record_campaign(uow, clerk, f"{year}年{title}", scope, starts, ends, [
                campaigns.FindingInput(text, planner.rng.choice(units)) for text in findings
            ])
