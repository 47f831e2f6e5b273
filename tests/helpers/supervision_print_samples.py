"""Realistic data for 督查督办's printed forms and chart: a 通知单 with a long title, a 台账 of 45 items, and a
quarter's 通报 of 20 units counted by app.core.supervision.notice from 160 items."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.core.supervision.classes import PRIORITY_CLASSES, SOURCES
from app.core.supervision.notice import ItemFacts, NoticeFigures, Period, notice_figures, quarter_period
from app.printing.supervision.data import (
    AccountabilityEntry,
    LedgerRow,
    LedgerSheet,
    SupervisionNotice,
    SupervisionNoticeSlip,
    notice_from_figures,
)

OFFICE = "青山县人民政府办公室"
UNITS: tuple[str, ...] = (
    "县发展和改革局", "县财政局", "县住房和城乡建设局", "县教育局", "县卫生健康局", "县交通运输局", "县自然资源局",
    "县农业农村局", "县水利局", "县商务局", "县文化广电旅游局", "县应急管理局", "县市场监督管理局", "县生态环境分局",
    "县人力资源和社会保障局", "城关镇人民政府", "青石镇人民政府", "石门镇人民政府", "白水乡人民政府",
    "县工业园区管理委员会",
)  # fmt: skip
LONG_TITLE = (
    "关于推进县城北部片区老旧小区改造及配套基础设施建设、完善社区养老托育服务设施、"
    "同步实施雨污分流和背街小巷路面提升工程的重点督办事项"
)
REQUIREMENT = (
    "围绕老旧小区改造和配套设施建设，牵头制定专项工作方案，明确时间表、路线图和责任清单；每季度召开一次推进会，"
    "协调解决项目用地、资金、审批等要素保障问题；建立周调度、月通报机制，确保年内完成改造小区不少于12个、"
    "惠及居民不少于3000户，并按时报送进展情况。"
)
REPORT = "已完成项目立项和初步设计批复，施工招标已发布公告，预计下月开工；资金已落实专项债券4200万元。"


def slip(**changes: object) -> SupervisionNoticeSlip:
    fields: dict[str, object] = {
        "office_name": OFFICE,
        "number": "督〔2026〕12号",
        "title": LONG_TITLE,
        "source": "常务会议",  # an older name: printed as 常务会议决定事项
        "requirement": REQUIREMENT,
        "lead_unit": "县住房和城乡建设局",
        "co_units": ["县发展和改革局", "县财政局", "县自然资源局", "城关镇人民政府"],
        "responsible_person": "李明华",
        "priority": "重点",
        "deadline": date(2026, 9, 30),
        "issued_on": date(2026, 3, 5),
        "remarks": "请于每周五下午5时前通过系统报送进展，并附现场照片。",
    }
    fields.update(changes)
    return SupervisionNoticeSlip(**fields)  # type: ignore[arg-type]


def ledger_title(serial: int) -> str:
    if serial % 3:
        return f"推进重点项目建设第{serial}项：县城北部片区老旧小区改造"
    return f"关于加快推进县域商业体系建设、完善农村物流配送网络、促进农产品上行和工业品下乡双向流通（第{serial}项）"


def ledger(rows: int = 45) -> LedgerSheet:
    items = []
    for serial in range(1, rows + 1):
        items.append(
            LedgerRow(
                serial=serial,
                source=SOURCES[serial % 4],
                title=ledger_title(serial),
                # Every fifth requirement is long: the ledger shows it short.
                requirement=REQUIREMENT * (3 if serial % 5 == 0 else 1),
                lead_unit=UNITS[serial % 20],
                co_units=[UNITS[(serial + 3) % 20], UNITS[(serial + 7) % 20]] if serial % 2 else [],
                responsible_person=("李明华", "王芳", "欧阳志远")[serial % 3],
                priority=PRIORITY_CLASSES[serial % 3].label,
                deadline=date(2026, 6, 30) + timedelta(days=serial * 3),
                state=("办理中", "逾期", "已销号")[serial % 3],
                latest_report=(REPORT * (4 if serial % 4 == 0 else 1)) if serial % 7 else "",
                latest_report_on=date(2026, 5, serial % 28 + 1) if serial % 7 else None,
            )
        )
    return LedgerSheet(OFFICE, "督办类别：重点督办、马上督办；状态：办理中、逾期；牵头单位：县发展和改革局、县财政局等20个单位",
                       date(2026, 6, 15), items)


def notice_items(period: Period, count: int = 160, seed: int = 7) -> list[ItemFacts]:
    """Items of every kind the notice counts: due and closed on time, closed late, open, overdue, due after the
    period; one unit closes everything a day early."""
    rnd = random.Random(seed)
    items = []
    for i in range(count):
        deadline = period.start + timedelta(days=rnd.randrange(-20, 110))
        roll = rnd.random()
        closed: date | None = None
        if roll < 0.6:
            closed = deadline - timedelta(days=rnd.randrange(0, 20))
        elif roll < 0.75:
            closed = deadline + timedelta(days=rnd.randrange(1, 20))
        if i % 20 == 19:
            closed = deadline - timedelta(days=1)
        items.append(ItemFacts(i + 1, f"督办事项第{i + 1}号：{ledger_title(i + 1)}", UNITS[i % 20], SOURCES[i % 4],
                               period.start - timedelta(days=30), deadline, closed))
    return items


def figures() -> NoticeFigures:
    period = quarter_period(2026, 2)
    return notice_figures(notice_items(period), period, SOURCES)


ACCOUNTABILITY = (
    AccountabilityEntry("王建国", "县水利局", "督办事项第9号", "连续两次未按时报送进展，事项逾期未办结", date(2026, 6, 20)),
    AccountabilityEntry("陈晓红", "青石镇人民政府", "督办事项第17号", "逾期未办结且未说明原因"),
)


def notice() -> SupervisionNotice:
    return notice_from_figures(
        figures(),
        office_name=OFFICE,
        issued_on=date(2026, 7, 10),
        accountability=ACCOUNTABILITY,
        paragraphs=("各单位要对逾期未办结事项逐项分析原因，于7月20日前书面报送整改措施。",),
    )
