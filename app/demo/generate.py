"""Demo data: a plausible county government office, its people, and records in every workflow state.

This module puts it together: the office and its people (app.demo.office), then each area's records
(app.demo.documents for 公文, app.demo.claims for 报账), planned and driven as app.demo.flows says.
Records are driven through the real services by the people whose role and position allow each step,
with the facts the guards read, so history, audit chain and change feed are the genuine article and a
refused step would fail here as it fails in the program. Records of a flow that no area's demo knows go
through the generic workflow services (start, apply_transition).

The one liberty taken is time. Each record gets a simulated timeline in the past: the services are
given that day as ``today`` (so due dates, and hence overdue and due-soon items, come out of the real
deadline logic), and the workflow history and the instance timestamps are stamped with the simulated
moment as they are flushed. The audit log is left alone: it records, truthfully, when the demo data
was generated, so the hash chain stays honest.

Each area's module is named by its manifest (app.core.areas), with its FLOWS (app.demo.flows.FlowDemo) and
RECORD_TIMES.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import ModuleType

from sqlalchemy import event, func, select

from app.core.areas import manifests, resolve
from app.core.errors import ValidationError
from app.core.workflow import DEFAULT_FLOWS
from app.demo.flows import RECORD_TIMES, Clock, FlowDemo, Plan, Planner, stamp
from app.demo.office import CST, DEMO_PASSWORD, OFFICE_NAME, AppContext, DemoAccount, Org, create_org
from app.models import Unit, WorkflowInstance
from app.services.kernel.settings import update_settings, work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow

ProgressCallback = Callable[[int, int, str], None]

# Records per unit of work: large enough that commits do not dominate, small enough that a failure
# or a progress report comes soon.
_CHUNK = 25
# Each area's demo module, as its manifest names it (app.core.areas), in the areas' order: its FLOWS and
# RECORD_TIMES, and its SETTINGS and settle() where it has them (app.demo.flows says what each is).
_AREA_DEMOS: tuple[ModuleType, ...] = tuple(resolve(manifest.demo) for manifest in manifests())
# Each area's flows, in the order their shares are drawn.
FLOWS: dict[str, FlowDemo] = {key: flow for demo in _AREA_DEMOS for key, flow in demo.FLOWS.items()}
_RECORD_TIMES = {**RECORD_TIMES, **{kind: names for demo in _AREA_DEMOS for kind, names in demo.RECORD_TIMES.items()}}


def _area_settings() -> dict[str, object]:
    """The settings each area's demo office uses (公文's 发文字号 prefixes and 全宗号 …)."""
    return {key: value for demo in _AREA_DEMOS for key, value in getattr(demo, "SETTINGS", {}).items()}


@dataclass
class DemoSummary:
    office_name: str
    units: int
    users: int
    instances: dict[str, int]
    password: str
    accounts: list[DemoAccount] = field(default_factory=list)

    @property
    def total_instances(self) -> int:
        return sum(self.instances.values())

    def summary(self) -> str:
        lines = [f"已为“{self.office_name}”生成演示数据：", f"  单位 {self.units} 个，用户 {self.users} 人"]
        if self.instances:
            parts = [
                f"{DEFAULT_FLOWS[key].label if key in DEFAULT_FLOWS else key} {count} 件"
                for key, count in self.instances.items()
            ]
            lines.append(f"  办理事项 {self.total_instances} 件：" + "，".join(parts))
        lines.append(f"  所有演示用户的密码都是：{self.password}（正式使用前请删除演示数据或修改密码）")
        if self.accounts:
            lines.append("  可用下列账户登录体验各角色：")
            width = max(len(a.role_label) for a in self.accounts)
            for account in self.accounts:
                lines.append(
                    f"    {account.role_label.ljust(width, '　')}  "
                    f"{account.username}（{account.full_name}，{account.title}）"
                )
        return "\n".join(lines)


# ----- entry point --------------------------------------------------------------------------------


def office_today_done(now: datetime | None = None) -> date:
    """The demo's last day: the last day whose office hours (8:30 to about 18:00, China time) are over.

    The demo stamps its records through office hours up to this day; ended on a day whose hours are still to
    come, it would sign for documents later than the moment it runs, which the services refuse.
    """
    moment = now if now is not None else datetime.now(UTC)
    return (moment.astimezone(CST) - timedelta(hours=18)).date()


def generate_demo_data(
    ctx: AppContext,
    size: int = 200,
    seed: int = 2026,
    progress: ProgressCallback | None = None,
    *,
    today: date | None = None,
) -> DemoSummary:
    """Fills an empty database with the demo office and ``size`` workflow records; deterministic per seed."""
    if size < 0:
        raise ValidationError("演示事项数量不能为负数", field="size")
    rng = random.Random(seed)
    today = today or office_today_done()
    report = progress or (lambda done, total, message: None)
    total = size + 1

    with ctx.uow() as uow:
        if uow.session.execute(select(func.count(Unit.id))).scalar_one():
            raise ValidationError(
                "数据库里已有数据（已有单位），演示数据只能生成到新建的空数据库中，以免与正式数据混在一起"
            )
    report(0, total, "正在创建单位和人员…")
    org = create_org(ctx, rng)
    with ctx.uow() as uow:
        update_settings(
            uow,
            org.admin,
            {"office_name": OFFICE_NAME, **_area_settings()},
        )
    report(1, total, "单位和人员已创建")

    counts = _generate_workflow_records(ctx, org, size, rng, today, lambda done, msg: report(1 + done, total, msg))
    report(total, total, "演示数据已生成")
    return DemoSummary(
        office_name=OFFICE_NAME,
        units=len(org.units),
        users=len(org.users),
        instances=counts,
        password=DEMO_PASSWORD,
        accounts=org.accounts,
    )


def _generate_workflow_records(
    ctx: AppContext,
    org: Org,
    size: int,
    rng: random.Random,
    today: date,
    report: Callable[[int, str], None],
) -> dict[str, int]:
    if size == 0:
        return {}
    with ctx.uow() as uow:
        calendar = work_calendar(uow)
    targets = _targets(rng, size)
    planner = Planner(org, rng, calendar, today, FLOWS)
    plans = [planner.plan(flow_key, state) for flow_key, state in targets]
    # In the order they began, so that 发文字号, 收文编号 and 件号 run roughly with the calendar.
    plans.sort(key=lambda plan: plan.times[0])
    for demo in _AREA_DEMOS:
        settle = getattr(demo, "settle", None)
        if settle is not None:
            settle(ctx, planner, plans)
    done = 0
    for start in range(0, len(plans), _CHUNK):
        chunk = plans[start : start + _CHUNK]
        _drive(ctx, planner, chunk)
        done += len(chunk)
        report(done, f"正在生成办理事项 {done}/{size}")
    # Counted where they are: an area's settle() may add records of its own (信息调研's year of items).
    with ctx.uow() as uow:
        counts = {str(key): int(count) for key, count in uow.execute(
            select(WorkflowInstance.flow_key, func.count()).group_by(WorkflowInstance.flow_key)
        ).all()}
    return {key: counts[key] for key in DEFAULT_FLOWS if counts.get(key)}


def _targets(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """Every state of every flow first (so even a small demo shows them all), then a realistic mix."""
    coverage = [(key, step.key) for key, flow in DEFAULT_FLOWS.items() for step in flow.steps]
    coverage += [(key, target) for key, demo in FLOWS.items() for target in demo.extra_targets]
    chosen = coverage[:size]
    keys = list(FLOWS)
    while len(chosen) < size:
        key = rng.choices(keys, weights=[FLOWS[k].weight for k in keys])[0]
        flow = DEFAULT_FLOWS[key]
        finals = flow.final_steps()
        roll = rng.random()
        if roll < 0.40:
            state = finals[0].key  # the normal end: 已归档 / 已办结
        elif roll < 0.45:
            state = rng.choice(finals[1:] or finals).key
        else:
            state = rng.choice([s for s in flow.steps if not s.final]).key
            variant = FLOWS[key].start_variant
            if variant is not None and state == flow.start and rng.random() < 0.5:
                state = variant
        chosen.append((key, state))
    rng.shuffle(chosen)
    return chosen


def _drive(ctx: AppContext, planner: Planner, plans: Sequence[Plan]) -> None:
    """Takes each planned record through the real services, in one unit of work for the chunk."""
    clock = Clock(plans[0].times[0])
    listener = stamp(clock, _RECORD_TIMES)
    with ctx.uow() as uow:
        event.listen(uow.session, "before_flush", listener)
        try:
            for plan in plans:
                _drive_one(uow, planner, plan, clock)
            uow.commit()
        finally:
            event.remove(uow.session, "before_flush", listener)


def _drive_one(uow: UnitOfWork, planner: Planner, plan: Plan, clock: Clock) -> None:
    flow = plan.flow
    clock.now = plan.times[0]
    demo = planner.flows.get(flow.key)
    if demo is not None:
        demo.drive(uow, planner, plan, clock)
        return
    instance = workflow.start(
        uow,
        plan.owner,
        flow_key=flow.key,
        entity_type=plan.entity_type,
        title=plan.title,
        unit_id=plan.unit_id,
        urgency=plan.urgency,
        today=plan.times[0].astimezone(CST).date(),
    )
    # start() leaves its history row pending; flushing now stamps it with the start time.
    uow.flush()
    for hop, when in zip(plan.hops, plan.times[1:], strict=True):
        clock.now = when
        opinion = ""  # a flow without an area of its own has no 签批意见 to choose from
        actor = planner.actor_for(flow, instance, hop, plan.facts, opinion)
        workflow.apply_transition(
            uow, actor, instance, hop.action, opinion, facts=plan.facts, today=when.astimezone(CST).date()
        )
