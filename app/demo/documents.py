"""Demo 公文: 发文 and 收文 as a county government office writes and receives them, driven through the
document services (app.services.documents.outgoing, incoming, archives). Each gets its 文号, 收文编号, 会签
opinions, distribution receipts, circulation and archive record as the office would give them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import update

from app.core.roles import Role
from app.core.workflow import Flow
from app.db.tables import workflow_work_items
from app.demo.document_bodies import demo_body
from app.demo.flows import Clock, FlowDemo, Hop, Plan, Planner, local_day
from app.demo.office import CITY, COUNTY, DEPARTMENTS, SECTIONS, TOWNSHIPS, random_person
from app.models import (
    Document,
    DocumentArchive,
    DocumentCoHandler,
    DocumentError,
    WorkflowInstance,
)
from app.services.documents import archives, incoming, outgoing
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork

# Entity type of the records in the 公文 flows (app.services.documents.records).
DOCUMENT_ENTITY = "document"
# The office's settings the documents read: 发文字号 prefixes and the 全宗号 of its archive.
DOC_PREFIXES = ["县政办发", "县政办函", "县政发"]
FONDS_NUMBER = "J012"
SETTINGS: dict[str, object] = {"doc_prefixes": DOC_PREFIXES, "fonds_number": FONDS_NUMBER}

# ----- titles and amounts -------------------------------------------------------------------------

_OUTGOING_TOPICS: dict[str, tuple[str, ...]] = {
    "通知": (
        "做好{year}年冬季森林防火工作",
        "开展安全生产大排查大整治",
        "加强校园及周边食品安全管理",
        "做好{year}年元旦春节期间有关工作",
        "进一步加强政务信息报送工作",
        "开展防汛抗旱应急演练",
        "做好农村饮水安全保障工作",
        "调整县人民政府领导工作分工",
        "印发《{county}优化营商环境三年行动方案》",
        "做好{year}年政府工作报告重点任务分解落实",
        "开展城镇燃气安全专项整治",
        "做好秋冬季大气污染防治工作",
        "切实做好冬季道路交通安全工作",
        "做好高校毕业生就业创业工作",
        "开展自建房安全隐患排查整治",
        "进一步规范公文办理工作",
        "做好{year}年度耕地保护目标责任考核",
        "开展“双随机、一公开”联合抽查",
        "做好退役军人就业安置工作",
        "加强汛期地质灾害防范",
    ),
    "请示": (
        "申请拨付{county}高标准农田建设配套资金",
        "城关镇老旧小区改造项目有关问题",
        "解决县第一中学扩建用地问题",
        "申请将青山湖湿地列入省级重要湿地名录",
        "申请安排{year}年农村公路安全生命防护工程补助资金",
        "商品房“两证”遗留问题处置有关事项",
    ),
    "报告": (
        "{year}年上半年政务公开工作情况",
        "{year}年安全生产工作情况",
        "市政府重点督办事项落实情况",
        "{county}{year}年度法治政府建设情况",
        "森林防火工作开展情况",
        "复员退伍军人就业问题排查处置情况",
    ),
    "函": (
        "商请协助做好{county}国土空间总体规划编制工作",
        "征求《{county}城乡供水一体化规划》意见",
        "商请支持青山湖旅游公路建设",
        "商请提供{year}年度有关统计数据",
        "商请协助开展食品安全联合执法",
    ),
    "意见": (
        "加快推进县域商业体系建设的实施",
        "进一步加强农村人居环境整治",
        "促进民营经济发展壮大的若干",
    ),
    "通报": (
        "{year}年第三季度公文运转及差错情况",
        "{year}年政务信息工作情况",
        "全县安全生产大检查情况",
        "第三季度督查督办事项办理情况",
    ),
    "批复": (
        "同意城关镇调整村级建制",
        "县交通运输局{year}年农村公路养护计划",
        "同意设立城北社区卫生服务中心",
    ),
}
# Share of each type in an office's outgoing flow; 请示 and 报告 are 上行文.
_OUTGOING_WEIGHTS: dict[str, int] = {
    "通知": 40,
    "请示": 10,
    "报告": 10,
    "函": 14,
    "意见": 6,
    "通报": 8,
    "批复": 5,
    "纪要": 7,
}
_UPWARD_TYPES = frozenset({"请示", "报告"})

_UPPER_SOURCES: tuple[str, ...] = (
    f"{CITY}人民政府办公室",
    f"{CITY}财政局",
    f"{CITY}应急管理局",
    f"{CITY}生态环境局",
    f"{CITY}教育局",
    f"{CITY}住房和城乡建设局",
    "省人民政府办公厅",
    f"中共{CITY}委办公室",
    f"{CITY}信访局",
    f"{CITY}统计局",
)
_UPPER_TOPICS: tuple[str, ...] = (
    "做好{year}年防汛抗旱工作",
    "开展安全生产大检查",
    "下达{year}年衔接推进乡村振兴补助资金",
    "做好{year}年冬春农田水利建设",
    "开展食品安全“守查保”专项行动",
    "报送{year}年度政务信息工作情况",
    "印发《{city}政务服务“好差评”管理办法》",
    "开展政府网站和政务新媒体检查",
    "做好第四季度安全生产工作",
    "加强重点时段信访维稳工作",
    "开展{year}年度统计执法检查",
    "做好冬季消防安全工作",
)
_LOWER_TOPICS: tuple[str, ...] = (
    "申请解决办公用房维修经费",
    "{year}年安全生产工作情况",
    "申请增加{year}年度公益性岗位",
    "河道清淤工程有关问题",
    "{year}年森林防火工作情况",
    "申请召开专题会议研究集镇供水问题",
    "农村饮水安全巩固提升工程进展情况",
    "申请拨付自然灾害救助资金",
)

def outgoing_title(rng: random.Random, year: int) -> tuple[str, str]:
    """A title in the office's own voice and its document type (文种)."""
    kind = rng.choices(list(_OUTGOING_WEIGHTS), weights=list(_OUTGOING_WEIGHTS.values()))[0]
    if kind == "纪要":
        if rng.random() < 0.6:
            return f"{COUNTY}人民政府第{rng.randint(1, 40)}次常务会议纪要", kind
        return f"县长办公会议纪要（{year}年第{rng.randint(1, 30)}期）", kind
    topic = rng.choice(_OUTGOING_TOPICS[kind]).format(year=year, county=COUNTY, city=CITY)
    return f"关于{topic}的{kind}", kind


def incoming_title(rng: random.Random, year: int, lower_units: Sequence[str] = TOWNSHIPS) -> tuple[str, str]:
    """A title as another body wrote it (来文): from above, or a 请示/报告 from a township or department."""
    title, kind, _ = incoming_record(rng, year, lower_units)
    return title, kind


def incoming_record(rng: random.Random, year: int, lower_units: Sequence[str] = TOWNSHIPS) -> tuple[str, str, str]:
    """(title, 文种, 来文单位) of a document that came in."""
    if rng.random() < 0.65 or not lower_units:
        source = rng.choice(_UPPER_SOURCES)
        kind = rng.choices(("通知", "函", "意见"), weights=(7, 2, 1))[0]
        topic = rng.choice(_UPPER_TOPICS)
    else:
        source = rng.choice(lower_units)
        if source.endswith(("镇", "乡")):
            source += "人民政府"
        kind = rng.choice(("请示", "报告"))
        topic = rng.choice(_LOWER_TOPICS)
    return f"{source}关于{topic.format(year=year, county=COUNTY, city=CITY)}的{kind}", kind, source


# 机关代字 of the bodies documents come from, for plausible 来文字号.
_SOURCE_CODES: dict[str, tuple[str, ...]] = {
    f"{CITY}人民政府办公室": ("江府办发", "江府办函", "江府办电"),
    f"{CITY}财政局": ("江财预", "江财农"),
    f"{CITY}应急管理局": ("江应急发",),
    f"{CITY}生态环境局": ("江环发",),
    f"{CITY}教育局": ("江教发",),
    f"{CITY}住房和城乡建设局": ("江建发",),
    "省人民政府办公厅": ("省政办发", "省政办函"),
    f"中共{CITY}委办公室": ("江办发",),
    f"{CITY}信访局": ("江信发",),
    f"{CITY}统计局": ("江统字",),
}


def source_number(rng: random.Random, source: str, year: int) -> str:
    """A 来文字号 in the sender's style, e.g. 江府办发〔2026〕45号 or 城关政发〔2026〕8号."""
    codes = _SOURCE_CODES.get(source)
    if codes is None:
        short = dict(DEPARTMENTS).get(source)
        if short is not None:
            codes = (short.removesuffix("局") + "发",)
        else:
            codes = (source.removesuffix("人民政府")[:-1] + "政发",)
    return f"{rng.choice(codes)}〔{year}〕{rng.randint(1, 160)}号"





def random_urgency(rng: random.Random) -> str:
    roll = rng.random()
    return "特急" if roll < 0.05 else "加急" if roll < 0.2 else ""


# ----- opinions (签批意见) ----------------------------------------------------------------------------

_OPINIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("outgoing_document", "approve"): ("文稿已核，数据无误，同意送签。", "已核稿，请领导审签。", ""),
    ("outgoing_document", "sign"): ("同意印发。", "同意。", "同意，请按程序办理。"),
    ("outgoing_document", "recheck"): ("审批手续完备，附件齐全，格式规范。", "已复核，同意编号印发。", ""),
    ("outgoing_document", "return"): (
        "请补充相关数据并核对文字后重新报送。",
        "文种使用不当，请修改后重新报送。",
        "请先征求县财政局意见再报。",
    ),
    ("outgoing_document", "cancel"): ("该事项已另行发文，本稿作废。", "情况已有变化，不再发文。"),
    ("incoming_document", "return"): (
        "不属于本机关职责范围，退回来文单位。",
        "来文未按规定程序报送，予以退文。",
    ),
    ("incoming_document", "propose"): (
        "拟请{leader}同志阅示，由{unit}牵头办理。",
        "拟呈{leader}同志阅，交{unit}研究办理。",
    ),
    ("incoming_document", "instruct"): (
        "请{unit}抓紧落实，按时报送办理结果。",
        "同意拟办意见，请{unit}认真研究办理。",
        "已阅，请相关单位按要求落实。",
    ),
    ("incoming_document", "conclude"): ("已按要求办理完毕，结果已报来文单位。", "已办结。"),
}
# Claims' opinions depend on the step as well: app.demo.claims chooses them.


def opinion_for(planner: Planner, flow: Flow, plan: Plan, hop: Hop) -> str:
    """A 签批意见 as the office writes one at this move, naming the unit and the leader it concerns."""
    texts = _OPINIONS.get((flow.key, hop.action))
    if not texts:
        return ""
    unit = planner.org.unit_name(plan.unit_id) if plan.unit_id != plan.owner.unit_id else ""
    if not unit or unit in SECTIONS or unit == "县政府办":
        unit = planner.rng.choice(DEPARTMENTS)[1]
    leader = planner.rng.choice(planner.leaders).full_name if planner.leaders else "县长"
    return planner.rng.choice(texts).format(unit=unit, leader=leader)


# ----- the records -------------------------------------------------------------------------------


def sample_outgoing(planner: Planner, flow: Flow) -> Plan:
    """A 发文 in the office's own voice, with the facts its flow's guards read."""
    rng = planner.rng
    year = planner.year()
    title, kind = outgoing_title(rng, year)
    owner = rng.choice(planner.drafters)
    facts: dict[str, Any] = {
        "has_cosigners": rng.random() < 0.2,
        "important": rng.random() < 0.25 or kind == "纪要",
        "upward": kind in _UPWARD_TYPES,
        # The demo collects every co-issuing unit's agreement before 会签 ends.
        "cosign_complete": True,
    }
    plan = Plan(flow, DOCUMENT_ENTITY, title, facts, owner, owner.unit_id, random_urgency(rng), [])
    plan.extra.update(doc_type=kind, year=year)
    return plan


def sample_incoming(planner: Planner, flow: Flow) -> Plan:
    """A 收文 from above or below, and the unit that will handle it."""
    rng = planner.rng
    year = planner.year()
    title, kind, source = incoming_record(rng, year, planner.lower_units)
    owner = rng.choice(planner.receivers)
    # Every circulated copy is read or recalled before 传阅 ends.
    facts = {
        "needs_handling": rng.random() < 0.7, "needs_circulation": rng.random() < 0.5,
        "circulation_complete": True,
    }
    unit_id = owner.unit_id
    if facts["needs_handling"] and planner.liaison_units and rng.random() < 0.6:
        unit_id = rng.choice(planner.liaison_units)  # the 承办 unit, whose liaison then handles it
    plan = Plan(flow, DOCUMENT_ENTITY, title, facts, owner, unit_id, random_urgency(rng), [])
    plan.extra.update(doc_type=kind, source=source, year=year)
    return plan


# The moments each document record keeps, stamped with the simulated time like the workflow rows.
RECORD_TIMES: dict[type, tuple[str, ...]] = {
    Document: ("created_at", "updated_at", "signed_at", "received_at"),
    DocumentError: ("created_at", "updated_at", "at"),
    DocumentArchive: ("created_at", "updated_at", "archived_at"),
    DocumentCoHandler: ("created_at", "updated_at"),
}


_DISCLOSURE_REASONS = ("涉及内部工作安排，属过程性信息", "涉及个人信息", "涉及正在研究的事项")
_ERROR_NOTES: dict[str, tuple[str, ...]] = {
    "格式": ("标题与正文字体字号不符合 GB/T 9704 的要求", "附件说明位置不规范", "成文日期未用阿拉伯数字"),
    "文字": ("“部署”误作“布署”", "数据前后不一致", "主送机关名称不规范"),
    "文种": ("向上级请求批准应使用“请示”", "平行机关之间应使用“函”"),
    "程序": ("未按规定征求相关部门意见", "未经分管领导审核即报送"),
}
_RESULTS = (
    "已按要求完成自查，并将情况报送来文单位。",
    "已召开专题会议研究部署，相关工作正在推进，结果已书面报告。",
    "已会同相关单位落实，资金已按程序拨付。",
    "已向来文单位书面答复。",
)
_READ_REMARKS = ("已阅。", "已阅，请按要求抓好落实。", "阅，同意办理意见。", "已阅，请办公室跟踪督办。")


def _recipients(kind: str) -> tuple[str, str]:
    """主送 and 抄送 as a county government office writes them for this 文种."""
    if kind in _UPWARD_TYPES:
        return f"{CITY}人民政府", ""
    if kind in ("函", "批复"):
        return "", ""
    if kind == "纪要":
        return "", "县委办公室，县人大常委会办公室，县政协办公室"
    return "各乡镇人民政府，县政府各部门", "县委办公室，县人大常委会办公室，县政协办公室"


def _prefix_for(kind: str) -> str:
    if kind == "函":
        return "县政办函"
    if kind in _UPWARD_TYPES or kind == "纪要":
        return "县政发"
    return "县政办发"


class _DocumentDriver:
    """Takes one planned document through the document services, with the work between moves."""

    def __init__(self, uow: UnitOfWork, planner: Planner, plan: Plan, clock: Clock) -> None:
        self.uow = uow
        self.planner = planner
        self.plan = plan
        self.clock = clock
        self.rng = planner.rng
        org = planner.org
        self.liaisons = {a.unit_id: a for a in org.with_role(Role.LIAISON)}
        self.clerks = planner.receivers
        self.readers = planner.leaders + org.with_role(Role.DIRECTOR)
        self.receivers = [u.id for u in org.units.values() if u.kind in ("township", "department")]
        self.doc_id = 0

    def day(self) -> date:
        return local_day(self.clock.now)

    def clerk(self) -> Actor:
        return self.rng.choice(self.clerks)

    def start(self) -> WorkflowInstance:
        plan, rng = self.plan, self.rng
        kind = str(plan.extra["doc_type"])
        if plan.flow.key == "outgoing_document":
            main, copy = _recipients(kind)
            roll = rng.random()
            disclosure = "主动公开" if roll < 0.7 else "依申请公开" if roll < 0.9 else "不予公开"
            cosigners: list[int] = []
            if plan.facts["has_cosigners"]:
                candidates = [u for u in self.liaisons if u is not None and u != plan.owner.unit_id]
                cosigners = rng.sample(candidates, k=min(len(candidates), rng.choice((1, 1, 2))))
            info = outgoing.create_draft(
                self.uow, plan.owner, title=plan.title, doc_type=kind, disclosure=disclosure,
                disclosure_reason=rng.choice(_DISCLOSURE_REASONS) if disclosure == "不予公开" else "",
                urgency=plan.urgency, important=bool(plan.facts["important"]), main_recipients=main,
                copy_recipients=copy, prefix=_prefix_for(kind), cosigner_unit_ids=cosigners,
                body=("正文.docx", demo_body(plan.title, kind, main)), today=self.day(),
            )
        else:
            info = incoming.create_incoming(
                self.uow, plan.owner, title=plan.title, source_unit=str(plan.extra["source"]),
                source_number=source_number(rng, str(plan.extra["source"]), int(plan.extra["year"])),
                doc_type=kind, urgency=plan.urgency,
                copies_received=rng.choice((1, 1, 2, 3)),
                source_date=self.day() - timedelta(days=rng.randint(1, 5)), today=self.day(),
            )
        self.doc_id = info.id
        instance = self.uow.session.get(WorkflowInstance, info.instance_id)
        assert instance is not None
        return instance

    # ----- the work that is not a move -----
    def cosign_all(self) -> None:
        detail = _detail(self.uow, self.plan.owner, self.doc_id)
        for row in detail.cosigners:
            if row.agreed is True:
                continue
            liaison = self.liaisons.get(row.unit_id)
            # Without a liaison the office records the unit's opinion, saying whose and on what basis.
            outgoing.cosign(
                self.uow, liaison or self.clerk(), self.doc_id, unit_id=row.unit_id,
                opinion=self.rng.choice(("同意。", "同意，无修改意见。", "同意会签。")),
                given_by="" if liaison else "单位负责人", basis="" if liaison else "电话",
            )

    def confirm_receipts(self) -> None:
        detail = _detail(self.uow, self.plan.owner, self.doc_id)
        for row in detail.distributions:
            if row.received or self.rng.random() < 0.25:
                continue
            liaison = self.liaisons.get(row.unit_id)
            if liaison is not None:
                outgoing.confirm_receipt(self.uow, liaison, self.doc_id, unit_id=row.unit_id)
            else:
                name, _ = random_person(self.rng)
                outgoing.confirm_receipt(self.uow, self.clerk(), self.doc_id, unit_id=row.unit_id, received_by=name)

    def send_round(self) -> None:
        readers = self.rng.sample(self.readers, k=min(len(self.readers), self.rng.choice((2, 2, 3))))
        incoming.circulate(self.uow, self.clerk(), self.doc_id, [r.id for r in readers if r.id is not None])

    def read_round(self, everyone: bool) -> None:
        detail = _detail(self.uow, self.plan.owner, self.doc_id)
        holding = [c for c in detail.circulations if c.holding]
        for i, entry in enumerate(holding):
            if not everyone and i == len(holding) - 1:
                break  # the last reader still has it: 传阅中
            reader = next((r for r in self.readers if r.id == entry.reader_id), None)
            if everyone and i == len(holding) - 1 and len(holding) > 2 and self.rng.random() < 0.3:
                incoming.recall(self.uow, self.clerk(), entry.id, reason="领导外出，收回另行送阅")
            elif reader is not None:
                incoming.mark_read(self.uow, reader, entry.id, remark=self.rng.choice(_READ_REMARKS))

    def errors(self) -> list[Any]:
        from app.services.documents.records import ErrorInput

        if self.rng.random() < 0.5:
            return []
        kind = self.rng.choice(list(_ERROR_NOTES))
        return [ErrorInput(kind, self.rng.choice(_ERROR_NOTES[kind]))]

    # ----- the moves -----
    def step(self, hop: Hop, actor: Actor, opinion: str) -> None:
        uow, doc, today, rng = self.uow, self.doc_id, self.day(), self.rng
        move = (hop.source, hop.action)
        if self.plan.flow.key == "outgoing_document":
            if move == ("draft", "submit"):
                outgoing.submit(uow, actor, doc, today=today)
            elif move == ("draft", "cancel"):
                outgoing.cancel_draft(uow, actor, doc, opinion, today=today)
            elif hop.action == "return":
                errors = self.errors() if hop.source == "review" else []
                outgoing.review(uow, actor, doc, "return", opinion, errors=errors, today=today)
            elif move == ("cosign", "approve"):
                self.cosign_all()
                outgoing.review(uow, actor, doc, "approve", opinion, today=today)
            elif hop.action == "approve":
                outgoing.review(uow, actor, doc, "approve", opinion, today=today)
            elif hop.action == "sign":
                outgoing.sign(uow, actor, doc, opinion or "同意。", today=today)
            elif hop.action == "recheck":
                outgoing.recheck(uow, actor, doc, "approve", opinion, today=today)
            elif hop.action == "assign_number":
                outgoing.assign_number(uow, actor, doc, today=today)
            elif hop.action == "printed":
                proofreader = rng.choice([c for c in self.clerks if c.id != actor.id] or self.clerks)
                outgoing.mark_printed(uow, actor, doc, copies=rng.choice((20, 30, 40, 60, 80, 120)),
                                      proofreader=proofreader.full_name, today=today)
            elif hop.action == "sealed":
                outgoing.mark_sealed(uow, actor, doc, today=today)
            elif hop.action == "distributed":
                units = rng.sample(self.receivers, k=min(len(self.receivers), rng.randint(3, 6)))
                outgoing.distribute(uow, actor, doc, units, today=today)
                self.confirm_receipts()
            elif hop.action == "archive":
                self.archive(actor, today)
            else:
                raise RuntimeError(f"演示数据不会办理发文的“{hop.action}”")
            return
        if move == ("receive", "sign_for"):
            incoming.sign_for(uow, actor, doc, received_at=self.clock.now, today=today)
        elif move == ("register", "register"):
            incoming.register(uow, actor, doc, today=today)
        elif hop.source == "screen":
            errors = self.errors() if hop.action == "return" else []
            incoming.screen(uow, actor, doc, hop.action, opinion, errors=errors, today=today)
        elif hop.action == "propose":
            incoming.propose(uow, actor, doc, opinion, today=today)
        elif hop.action == "instruct":
            handling = bool(self.plan.facts["needs_handling"])
            main = self.plan.unit_id if handling else None
            co = [u for u in self.liaisons if u not in (None, main)] if handling and rng.random() < 0.3 else []
            incoming.instruct(uow, actor, doc, opinion, needs_handling=handling, main_unit_id=main,
                              co_unit_ids=[rng.choice(co)] if co else [], today=today)
        elif hop.action == "handled":
            incoming.handled(uow, actor, doc, result=rng.choice(_RESULTS),
                             needs_circulation=bool(self.plan.facts["needs_circulation"]), today=today)
        elif hop.action == "circulated":
            self.read_round(everyone=True)
            incoming.finish_circulation(uow, actor, doc, today=today)
        elif hop.action == "conclude":
            incoming.conclude(uow, actor, doc, opinion, today=today)
        elif hop.action == "archive":
            self.archive(actor, today)
        else:
            raise RuntimeError(f"演示数据不会办理收文的“{hop.action}”")
        if hop.target == "circulate":
            self.send_round()

    def archive(self, actor: Actor, today: date) -> None:
        retention = self.rng.choices(("Y", "D30", "D10"), weights=(2, 5, 3))[0]
        archives.archive_document(self.uow, actor, self.doc_id, retention=retention,
                                  pages=self.rng.randint(2, 24), today=today)

    def settle(self, state: str) -> None:
        """Work in progress at the step the document stops at."""
        if state == "cosign" and self.rng.random() < 0.5:
            detail = _detail(self.uow, self.plan.owner, self.doc_id)
            first = detail.cosigners[0] if detail.cosigners else None
            if first is not None and len(detail.cosigners) > 1:
                liaison = self.liaisons.get(first.unit_id)
                outgoing.cosign(self.uow, liaison or self.clerk(), self.doc_id, unit_id=first.unit_id, opinion="同意。",
                                given_by="" if liaison else "单位负责人", basis="" if liaison else "电话")
        elif state == "circulate":
            self.read_round(everyone=False)


def _detail(uow: UnitOfWork, actor: Actor, document_id: int) -> Any:
    from app.services.documents.records import get_document

    return get_document(uow, actor, document_id)


def _stamp_work_items(uow: UnitOfWork, instance_id: int, now: datetime) -> None:
    """The document's work items (会签, 分发, 传阅: app.services.documents.work_items), written on the Core table
    and so not stamped by the flush listener, get the simulated moment of the act that wrote them: a time
    later than the simulated now was written just now."""
    items = workflow_work_items.c
    for column in (items.sent_at, items.reported_at, items.done_at):
        uow.execute(
            update(workflow_work_items).where(items.instance_id == instance_id, column > now).values({column: now})
        )


def _drive_document(uow: UnitOfWork, planner: Planner, plan: Plan, clock: Clock) -> None:
    driver = _DocumentDriver(uow, planner, plan, clock)
    instance = driver.start()
    _stamp_work_items(uow, instance.id, clock.now)
    for hop, when in zip(plan.hops, plan.times[1:], strict=True):
        clock.now = when
        opinion = opinion_for(planner, plan.flow, plan, hop)
        actor = planner.actor_for(plan.flow, instance, hop, plan.facts, opinion)
        driver.step(hop, actor, opinion)
        _stamp_work_items(uow, instance.id, clock.now)
    driver.settle(instance.state)
    _stamp_work_items(uow, instance.id, clock.now)


FLOWS: dict[str, FlowDemo] = {
    "outgoing_document": FlowDemo(weight=4, sample=sample_outgoing, drive=_drive_document),
    "incoming_document": FlowDemo(weight=4, sample=sample_incoming, drive=_drive_document),
}
