"""Demo data: a plausible county government office, its people, and records in every workflow state.

Records are driven through the real services by the people whose role and position allow each step,
with the facts the guards read, so history, audit chain and change feed are the genuine article and a
refused step would fail here as it fails in the program. Documents go through the document services
(app.services.documents.outgoing, incoming, archives): each gets its 文号, 收文编号, 会签 opinions, distribution
receipts, circulation and archive record as the office would give them. Reimbursement claims go
through app.services.claims.records (create_claim, submit, decide, pay, book, withdraw; app.demo.claims
builds them): line items by category, receipts, advances, budgets some of them exceed, payments and
vouchers. Records of any other flow go through the generic workflow services (start, apply_transition).

The one liberty taken is time. Each record gets a simulated timeline in the past: the services are
given that day as ``today`` (so due dates, and hence overdue and due-soon items, come out of the real
deadline logic), and the workflow history and the instance timestamps are stamped with the simulated
moment as they are flushed. The audit log is left alone: it records, truthfully, when the demo data
was generated, so the hash chain stays honest.

Later modules add their own records here (one function per area), so the demo grows with the program.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Protocol

from sqlalchemy import event, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, UOWTransaction

from app.core.calendar import WorkCalendar
from app.core.errors import GovDeskError, ValidationError
from app.core.roles import ROLE_LABELS, Role
from app.core.workflow import ANY_ROLE, DEFAULT_FLOWS, Flow, Transition
from app.demo import claims as demo_claims
from app.models import (
    Attachment,
    Budget,
    Claim,
    Document,
    DocumentArchive,
    DocumentCirculation,
    DocumentCoHandler,
    DocumentCosigner,
    DocumentDistribution,
    DocumentError,
    Unit,
    User,
    UserRole,
    WorkflowHistory,
    WorkflowInstance,
)
from app.services.admin.passwords import hash_password
from app.services.claims import budgets
from app.services.documents import archives, incoming, outgoing
from app.services.kernel.actor import SYSTEM_ACTOR, Actor
from app.services.kernel.settings import update_settings, work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow


class AppContext(Protocol):
    """What the demo needs of app.bootstrap.AppContext, which services may not import (layer rule)."""

    def uow(self) -> UnitOfWork: ...


DEMO_PASSWORD = "govdesk123"
COUNTY = "青山县"
CITY = "江州市"
OFFICE_NAME = f"{COUNTY}人民政府办公室"
DOC_PREFIXES = ["县政办发", "县政办函", "县政发"]
FONDS_NUMBER = "J012"

# Entity types of the records in flows: documents (app.services.documents.records) and reimbursement claims
# (app.services.claims.records).
DOCUMENT_ENTITY = "document"
CLAIM_ENTITY = "claim"

# The office works in China Standard Time, which has no daylight saving.
CST = timezone(timedelta(hours=8))

ProgressCallback = Callable[[int, int, str], None]

# Records per unit of work: large enough that commits do not dominate, small enough that a failure
# or a progress report comes soon.
_CHUNK = 25

# ----- names --------------------------------------------------------------------------------------

# Surnames and given-name characters with pinyin, so user names read like real office logins.
SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
    ("彭", "peng"),
    ("曾", "zeng"),
    ("肖", "xiao"),
    ("田", "tian"),
    ("董", "dong"),
    ("袁", "yuan"),
    ("潘", "pan"),
    ("蒋", "jiang"),
    ("蔡", "cai"),
    ("余", "yu"),
    ("杜", "du"),
    ("叶", "ye"),
    ("程", "cheng"),
    ("魏", "wei"),
    ("苏", "su"),
    ("吕", "lv"),
    ("丁", "ding"),
    ("任", "ren"),
    ("沈", "shen"),
)
GIVEN_CHARS: tuple[tuple[str, str], ...] = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀", "xiu"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("英", "ying"),
    ("华", "hua"),
    ("建", "jian"),
    ("国", "guo"),
    ("文", "wen"),
    ("志", "zhi"),
    ("红", "hong"),
    ("玲", "ling"),
    ("斌", "bin"),
    ("辉", "hui"),
    ("鹏", "peng"),
    ("宇", "yu"),
    ("晓", "xiao"),
    ("婷", "ting"),
    ("雪", "xue"),
    ("琳", "lin"),
    ("浩", "hao"),
    ("凯", "kai"),
    ("健", "jian"),
    ("波", "bo"),
    ("海", "hai"),
    ("峰", "feng"),
    ("春", "chun"),
    ("燕", "yan"),
    ("亮", "liang"),
    ("萍", "ping"),
    ("云", "yun"),
    ("东", "dong"),
    ("兴", "xing"),
    ("德", "de"),
    ("荣", "rong"),
    ("成", "cheng"),
    ("永", "yong"),
    ("庆", "qing"),
    ("清", "qing"),
    ("君", "jun"),
    ("慧", "hui"),
    ("立", "li"),
    ("新", "xin"),
)


def random_person(rng: random.Random) -> tuple[str, str]:
    """A Chinese full name and its pinyin (for a login name): one surname, one or two given characters."""
    surname, surname_py = rng.choice(SURNAMES)
    count = 1 if rng.random() < 0.3 else 2
    chars = [rng.choice(GIVEN_CHARS) for _ in range(count)]
    return surname + "".join(c for c, _ in chars), surname_py + "".join(p for _, p in chars)


def random_mobile(rng: random.Random) -> str:
    prefix = rng.choice(("135", "136", "138", "139", "150", "152", "158", "177", "180", "187", "189", "199"))
    return prefix + "".join(rng.choice("0123456789") for _ in range(8))


# ----- the organisation ---------------------------------------------------------------------------

SECTIONS: tuple[str, ...] = ("秘书股", "综合股", "督查室", "信息科", "财务室", "信访室")

DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("县发展和改革局", "县发改局"),
    ("县教育局", "县教育局"),
    ("县科学技术和工业信息化局", "县科工信局"),
    ("县公安局", "县公安局"),
    ("县民政局", "县民政局"),
    ("县司法局", "县司法局"),
    ("县财政局", "县财政局"),
    ("县人力资源和社会保障局", "县人社局"),
    ("县自然资源局", "县自然资源局"),
    ("县住房和城乡建设局", "县住建局"),
    ("县交通运输局", "县交通运输局"),
    ("县水利局", "县水利局"),
    ("县农业农村局", "县农业农村局"),
    ("县商务局", "县商务局"),
    ("县文化广电和旅游局", "县文广旅局"),
    ("县卫生健康局", "县卫健局"),
    ("县退役军人事务局", "县退役军人事务局"),
    ("县应急管理局", "县应急管理局"),
    ("县审计局", "县审计局"),
    ("县市场监督管理局", "县市场监管局"),
    ("县统计局", "县统计局"),
    ("县医疗保障局", "县医保局"),
)

TOWNSHIPS: tuple[str, ...] = (
    "城关镇",
    "青山镇",
    "石桥镇",
    "白沙镇",
    "龙泉镇",
    "河口镇",
    "柳树乡",
    "双河乡",
    "松林乡",
    "红岩乡",
    "高坪乡",
    "大湾乡",
)

# Units that have a liaison (部门联络员) in the demo: the ones the office deals with most.
_LIAISON_UNITS: tuple[str, ...] = (
    "县发展和改革局",
    "县教育局",
    "县财政局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县农业农村局",
    "县卫生健康局",
    "县退役军人事务局",
    "县应急管理局",
    "城关镇",
    "青山镇",
)

_LEADERS_UNIT = f"{COUNTY}人民政府"


@dataclass(frozen=True)
class _StaffSpec:
    roles: tuple[Role, ...]
    unit: str
    title: str
    rank_order: int = 100
    is_principal: bool = False
    heads_unit: bool = False
    fixed_username: str | None = None


# The office as the seed describes it: a director, deputy directors leading the writing groups,
# the writing staff spread over the sections, petition reception, finance; and the county leaders.
_STAFF: tuple[_StaffSpec, ...] = (
    _StaffSpec((Role.ADMIN,), "信息科", "网络管理员", 60, fixed_username="admin"),
    _StaffSpec((Role.DIRECTOR,), OFFICE_NAME, "县政府办公室主任", 10, is_principal=True, heads_unit=True),
    _StaffSpec((Role.DEPUTY_DIRECTOR,), OFFICE_NAME, "县政府办公室副主任", 11),
    _StaffSpec((Role.DEPUTY_DIRECTOR,), OFFICE_NAME, "县政府办公室副主任", 12),
    _StaffSpec((Role.SECRETARY,), "秘书股", "秘书股股长", 20, heads_unit=True),
    _StaffSpec((Role.SECRETARY,), "秘书股", "秘书股副股长", 30),
    _StaffSpec((Role.SECRETARY,), "秘书股", "科员", 40),
    _StaffSpec((Role.SECRETARY,), "秘书股", "科员", 40),
    _StaffSpec((Role.SECRETARY,), "综合股", "综合股股长", 20, heads_unit=True),
    _StaffSpec((Role.SECRETARY,), "综合股", "科员", 40),
    _StaffSpec((Role.SECRETARY,), "督查室", "督查室主任", 20, heads_unit=True),
    _StaffSpec((Role.SECRETARY,), "督查室", "科员", 40),
    _StaffSpec((Role.SECRETARY,), "信息科", "信息科科长", 20, heads_unit=True),
    _StaffSpec((Role.SECRETARY,), "信息科", "科员", 40),
    _StaffSpec((Role.PETITION_OFFICER,), "信访室", "信访室主任", 20, heads_unit=True),
    _StaffSpec((Role.PETITION_OFFICER,), "信访室", "科员", 40),
    _StaffSpec((Role.FINANCE,), "财务室", "会计", 20, heads_unit=True),
    _StaffSpec((Role.CASHIER,), "财务室", "出纳", 40),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "县长", 1, is_principal=True, heads_unit=True),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "常务副县长", 2),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "副县长", 3),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "副县长", 4),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "副县长", 5),
    *(
        _StaffSpec((Role.LIAISON,), name, "党政办主任" if name.endswith(("镇", "乡")) else "办公室主任", 80)
        for name in _LIAISON_UNITS
    ),
)


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


PLACES = demo_claims.Places(county=COUNTY, city=CITY, townships=TOWNSHIPS)


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


# ----- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    role_label: str
    username: str
    full_name: str
    title: str


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
    today = today or date.today()
    report = progress or (lambda done, total, message: None)
    total = size + 1

    with ctx.uow() as uow:
        if uow.session.execute(select(func.count(Unit.id))).scalar_one():
            raise ValidationError(
                "数据库里已有数据（已有单位），演示数据只能生成到新建的空数据库中，以免与正式数据混在一起"
            )
    report(0, total, "正在创建单位和人员…")
    org = _create_org(ctx, rng)
    with ctx.uow() as uow:
        update_settings(
            uow,
            org.admin,
            {"office_name": OFFICE_NAME, "doc_prefixes": DOC_PREFIXES, "fonds_number": FONDS_NUMBER},
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


# ----- building the organisation ------------------------------------------------------------------


@dataclass
class _Org:
    units: dict[str, Unit]
    users: list[Actor]
    heads: dict[int, int]
    admin: Actor
    accounts: list[DemoAccount]

    def with_role(self, role: Role) -> list[Actor]:
        return [a for a in self.users if role.value in a.roles]

    def unit_name(self, unit_id: int | None) -> str:
        for name, unit in self.units.items():
            if unit.id == unit_id:
                return unit.short_name or name
        return ""


def _create_org(ctx: AppContext, rng: random.Random) -> _Org:
    password_hash = hash_password(DEMO_PASSWORD)  # argon2 costs ~0.1 s: hash once, share it.
    system = SYSTEM_ACTOR
    with ctx.uow() as uow:
        session = uow.session
        taken = set(session.execute(select(User.username)).scalars())
        units: dict[str, Unit] = {}

        def add_unit(name: str, short: str, kind: str, parent: Unit | None, order: int) -> Unit:
            unit = Unit(
                name=name,
                short_name=short,
                kind=kind,
                parent_id=parent.id if parent else None,
                sort_order=order,
            )
            session.add(unit)
            uow.flush()
            uow.record(
                system.id,
                system.username,
                "create",
                "unit",
                unit.id,
                {"name": name, "kind": kind, "parent_id": unit.parent_id, "demo": True},
                change_op="create",
            )
            units[name] = unit
            return unit

        root = add_unit(_LEADERS_UNIT, "县政府", "leadership", None, 0)
        office = add_unit(OFFICE_NAME, "县政府办", "department", root, 1)
        for i, name in enumerate(SECTIONS, start=1):
            add_unit(name, name, "section", office, i)
        for i, (name, short) in enumerate(DEPARTMENTS, start=1):
            add_unit(name, short, "department", root, 100 + i)
        for i, name in enumerate(TOWNSHIPS, start=1):
            add_unit(name, name, "township", root, 200 + i)

        used_names: set[str] = set()
        created: list[tuple[_StaffSpec, User]] = []
        for spec in _STAFF:
            full_name, pinyin = random_person(rng)
            while full_name in used_names:
                full_name, pinyin = random_person(rng)
            used_names.add(full_name)
            username = spec.fixed_username or pinyin
            if username in taken:
                # A first administrator may already exist; the demo never touches that account.
                base = username if spec.fixed_username is None else f"demo_{username}"
                username, n = base, 2
                while username in taken:
                    username, n = f"{base}{n}", n + 1
            taken.add(username)
            user = User(
                username=username,
                full_name=full_name,
                password_hash=password_hash,
                unit_id=units[spec.unit].id,
                title=spec.title,
                is_principal=spec.is_principal,
                rank_order=spec.rank_order,
                phone=random_mobile(rng),
                role_links=[UserRole(role_code=r.value) for r in spec.roles],
            )
            session.add(user)
            created.append((spec, user))
        uow.flush()

        heads: dict[int, int] = {}
        for spec, user in created:
            uow.record(
                system.id,
                system.username,
                "create",
                "user",
                user.id,
                {
                    "username": user.username,
                    "full_name": user.full_name,
                    "roles": [r.value for r in spec.roles],
                    "unit_id": user.unit_id,
                    "demo": True,
                },
                change_op="create",
            )
            if spec.heads_unit:
                unit = units[spec.unit]
                unit.head_user_id = user.id
                heads[unit.id] = user.id
                uow.record(
                    system.id,
                    system.username,
                    "update",
                    "unit",
                    unit.id,
                    {"head_user_id": [None, user.id]},
                    change_op="update",
                )
        uow.flush()

        actors = [
            Actor(
                id=user.id,
                username=user.username,
                full_name=user.full_name,
                roles=frozenset(r.value for r in spec.roles),
                unit_id=user.unit_id,
                is_principal=user.is_principal,
            )
            for spec, user in created
        ]
        accounts: list[DemoAccount] = []
        seen_roles: set[Role] = set()
        for spec, user in created:
            role = spec.roles[0]
            if role not in seen_roles:
                seen_roles.add(role)
                accounts.append(DemoAccount(ROLE_LABELS[role], user.username, user.full_name, spec.title))
        uow.commit()

    admin = next(a for a in actors if Role.ADMIN.value in a.roles)
    return _Org(units=units, users=actors, heads=heads, admin=admin, accounts=accounts)


# ----- workflow records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    source: str
    target: str
    action: str


@dataclass
class _Plan:
    flow: Flow
    entity_type: str
    title: str
    facts: dict[str, Any]
    owner: Actor
    unit_id: int | None
    urgency: str
    hops: list[Hop]
    times: list[datetime] = field(default_factory=list)
    # What a document needs besides the flow: its 文种, 来文单位 ...
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Clock:
    """The simulated moment that flushed workflow rows are stamped with."""

    now: datetime


# Flow shares of the records that are not there just to cover every state.
_FLOW_WEIGHTS: dict[str, int] = {"outgoing_document": 4, "incoming_document": 4, "reimbursement": 2}
# Due-date buckets for records still open, in a fixed rotation: 30% overdue, 30% due soon, 40% later.
_BUCKETS = ("overdue", "soon", "later", "overdue", "soon", "later", "overdue", "later", "soon", "later")


def _generate_workflow_records(
    ctx: AppContext,
    org: _Org,
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
    planner = _Planner(org, rng, calendar, today)
    plans = [planner.plan(flow_key, state) for flow_key, state in targets]
    # In the order they began, so that 发文字号, 收文编号 and 件号 run roughly with the calendar.
    plans.sort(key=lambda plan: plan.times[0])
    _settle_claims(ctx, planner, plans)
    counts = Counter(plan.flow.key for plan in plans)
    done = 0
    for start in range(0, len(plans), _CHUNK):
        chunk = plans[start : start + _CHUNK]
        _drive(ctx, planner, chunk)
        done += len(chunk)
        report(done, f"正在生成办理事项 {done}/{size}")
    return {key: counts[key] for key in DEFAULT_FLOWS if counts[key]}


# Targets besides the flows' steps that even a small demo shows: a claim sent back and waiting for its
# claimant. (A plain draft is the flow's own 'fill' step.)
_EXTRA_COVERAGE: tuple[tuple[str, str], ...] = ((demo_claims.FLOW_KEY, demo_claims.RETURNED),)


def _settle_claims(ctx: AppContext, planner: _Planner, plans: Sequence[_Plan]) -> None:
    """What the claims need settled all at once, now that they are in the order they will be written:
    the budgets (set now, as the finance staff set them at the start of the year) and so which claims
    are over budget and go to the 主要领导; the voucher numbers; and which claims carry scans."""
    claim_plans = [plan for plan in plans if plan.entity_type == CLAIM_ENTITY]
    if not claim_plans:
        return
    sketches = demo_claims.with_both_advances([plan.extra["claim"] for plan in claim_plans])
    entries = []
    for plan, sketch in zip(claim_plans, sketches, strict=True):
        plan.extra["claim"] = sketch
        actions = {hop.action for hop in plan.hops}
        assert plan.unit_id is not None
        entries.append(
            demo_claims.BudgetEntry(
                unit_id=plan.unit_id, year=_local_day(plan.times[0]).year, by_category=sketch.by_category(),
                submitted="submit" in actions, counts_after="submit" in actions and "withdraw" not in actions,
            )
        )
    year = planner.today.year
    budget_plan = demo_claims.plan_budgets(entries, year)
    for plan, over in zip(claim_plans, budget_plan.over, strict=True):
        if over:
            plan.facts["over_budget"] = True
            hops = rerouted(plan.flow, plan.facts, plan.hops)
            plan.times = _refit_times(plan.times, len(hops))
            plan.hops = hops

    booked = [
        (plan, _local_day(when))
        for plan in claim_plans
        for hop, when in zip(plan.hops, plan.times[1:], strict=True)
        if hop.action == "book"
    ]
    for (plan, _), number in zip(booked, demo_claims.voucher_numbers([day for _, day in booked]), strict=True):
        plan.extra["voucher"] = number

    # Three claims carry scans: the first with a ticket (a picture) and the first two with invoices (PDF).
    submitted = [plan for plan in claim_plans if any(hop.action == "submit" for hop in plan.hops)]
    with_ticket = [plan for plan in submitted if demo_claims.has_ticket(plan.extra["claim"])][:1]
    scanned = with_ticket + [plan for plan in submitted if plan not in with_ticket][:2]
    for plan in sorted(scanned, key=claim_plans.index):
        day = _local_day(plan.times[0])
        seed = planner.rng.getrandbits(32)
        plan.extra["receipts"] = demo_claims.receipt_files(plan.extra["claim"], day, OFFICE_NAME, seed)

    if budget_plan.amounts:
        first = date(year, 1, 1)
        while not planner.calendar.is_workday(first):
            first += timedelta(days=1)
        clock = _Clock(_local(min(first, planner.today), 45).astimezone(UTC))
        listener = _stamp(clock)
        finance = planner.org.with_role(Role.FINANCE)[0]
        with ctx.uow() as uow:
            event.listen(uow.session, "before_flush", listener)
            try:
                for (unit_id, category), amount in sorted(budget_plan.amounts.items()):
                    budgets.set_budget(uow, finance, year=year, unit_id=unit_id, category=category, amount=amount)
            finally:
                event.remove(uow.session, "before_flush", listener)


def _targets(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """Every state of every flow first (so even a small demo shows them all), then a realistic mix."""
    coverage = [(key, step.key) for key, flow in DEFAULT_FLOWS.items() for step in flow.steps]
    coverage += _EXTRA_COVERAGE
    chosen = coverage[:size]
    keys = list(_FLOW_WEIGHTS)
    while len(chosen) < size:
        key = rng.choices(keys, weights=[_FLOW_WEIGHTS[k] for k in keys])[0]
        flow = DEFAULT_FLOWS[key]
        finals = flow.final_steps()
        roll = rng.random()
        if roll < 0.40:
            state = finals[0].key  # the normal end: 已归档 / 已办结
        elif roll < 0.45:
            state = rng.choice(finals[1:] or finals).key
        else:
            state = rng.choice([s for s in flow.steps if not s.final]).key
            if key == demo_claims.FLOW_KEY and state == flow.start and rng.random() < 0.5:
                state = demo_claims.RETURNED
        chosen.append((key, state))
    rng.shuffle(chosen)
    return chosen


def _record_guards_hold(flow: Flow, transition: Transition, facts: dict[str, Any]) -> bool:
    """The guards on the record's own facts; facts about the actor are the actor chooser's business."""
    return all(c.holds(facts) for c in transition.conditions if not c.field.startswith("actor_")) and all(
        flow.predicates[name].check(facts) for name in transition.predicates
    )


def _moves(flow: Flow, facts: dict[str, Any]) -> dict[str, dict[str, Transition]]:
    """Per state, per action: the transition the engine would take for these facts (the first that holds)."""
    result: dict[str, dict[str, Transition]] = {}
    for step in flow.steps:
        actions: dict[str, Transition] = {}
        for t in flow.transitions_from(step.key):
            if t.action not in actions and _record_guards_hold(flow, t, facts):
                actions[t.action] = t
        result[step.key] = actions
    return result


def route_to(flow: Flow, facts: dict[str, Any], target: str, start: str | None = None) -> list[Hop] | None:
    """The shortest way from the start (or ``start``) to ``target`` for these facts, without going back;
    None if none."""
    moves = _moves(flow, facts)
    first = flow.start if start is None else start
    parents: dict[str, Hop | None] = {first: None}
    queue = [first]
    while queue:
        state = queue.pop(0)
        if state == target:
            break
        for action, t in moves[state].items():
            if t.kind == "return" and not flow.step(t.target).final:
                continue
            if t.target not in parents:
                parents[t.target] = Hop(state, t.target, action)
                queue.append(t.target)
    if target not in parents:
        return None
    hops: list[Hop] = []
    node = target
    while (hop := parents[node]) is not None:
        hops.append(hop)
        node = hop.source
    return hops[::-1]


def _with_return_loop(flow: Flow, facts: dict[str, Any], hops: list[Hop], rng: random.Random) -> list[Hop]:
    """Sometimes a reviewer sends the record back once and it comes round again, as real ones do."""
    moves = _moves(flow, facts)
    for i, hop in enumerate(hops):
        back = moves[hop.source].get("return")
        if back is None or flow.step(back.target).final or rng.random() >= 0.12:
            continue
        redo_from = next((j for j, h in enumerate(hops) if h.source == back.target), None)
        if redo_from is None or redo_from > i:
            continue
        return hops[:i] + [Hop(hop.source, back.target, "return")] + hops[redo_from:]
    return hops


def rerouted(flow: Flow, facts: dict[str, Any], hops: list[Hop]) -> list[Hop]:
    """The same moves under changed facts: where a move now leads elsewhere (a claim found over budget
    goes to the 主要领导 first), the way on from there back to where it led before is inserted."""
    moves = _moves(flow, facts)
    result: list[Hop] = []
    for hop in hops:
        taken = moves[hop.source].get(hop.action)
        if taken is None:
            raise RuntimeError(f"演示数据在“{flow.step(hop.source).label}”环节无法办理“{hop.action}”")
        if taken.target == hop.target:
            result.append(hop)
            continue
        detour = route_to(flow, facts, hop.target, start=taken.target)
        if detour is None:
            raise RuntimeError(f"演示数据无法从“{flow.step(taken.target).label}”回到计划的环节")
        result += [Hop(hop.source, taken.target, hop.action), *detour]
    return result


def _refit_times(times: list[datetime], moves: int) -> list[datetime]:
    """``moves + 1`` moments with the same first and last: extra moves follow the one before within the
    hour, spare ones are dropped from the middle."""
    fitted = list(times)
    while len(fitted) > moves + 1:
        del fitted[-2]
    while len(fitted) < moves + 1:
        gaps = [(fitted[i + 1] - fitted[i], i) for i in range(len(fitted) - 1)]
        gap, i = max(gaps)
        fitted.insert(i + 1, fitted[i] + min(gap / 2, timedelta(minutes=40)))
    return fitted


def claimants(users: Sequence[Actor], heads: dict[int, int]) -> list[Actor]:
    """Who files claims in the demo: the staff of units with a head (who reviews them, or whose own claims
    skip that step), but not the county leaders, nor anyone who alone holds a role the 报账 flow needs
    later on: nobody approves, pays or books their own claim, so theirs could never be settled."""
    flow = DEFAULT_FLOWS[demo_claims.FLOW_KEY]
    needed = {role for step in flow.steps if step.key != flow.start for role in step.roles} - {ANY_ROLE}
    holders = {role: [a.id for a in users if role in a.roles] for role in needed}
    sole = {ids[0] for ids in holders.values() if len(ids) == 1}
    return [
        a for a in users
        if a.unit_id in heads and a.id not in sole and Role.COUNTY_LEADER.value not in a.roles
    ]


def _local(d: date, minutes: int) -> datetime:
    return datetime.combine(d, time(8, 30), CST) + timedelta(minutes=minutes)


class _Planner:
    def __init__(self, org: _Org, rng: random.Random, calendar: WorkCalendar, today: date) -> None:
        self.org = org
        self.rng = rng
        self.calendar = calendar
        self.today = today
        self.open_count = 0
        secretaries = org.with_role(Role.SECRETARY)
        self.receivers = [a for a in secretaries if org.unit_name(a.unit_id) == "秘书股"] or secretaries
        self.drafters = secretaries * 3 + org.with_role(Role.DEPUTY_DIRECTOR) + org.with_role(Role.LIAISON)
        self.claimants = claimants(org.users, org.heads)
        self.liaison_units = [a.unit_id for a in org.with_role(Role.LIAISON)]
        self.lower_units = [name for name, unit in org.units.items() if unit.kind in ("township", "department")]
        self.leaders = org.with_role(Role.COUNTY_LEADER)

    # ----- what to create -----
    def plan(self, flow_key: str, target: str) -> _Plan:
        flow = DEFAULT_FLOWS[flow_key]
        for _ in range(500):
            plan = self._sample(flow)
            hops = self._route(flow, plan, target)
            if hops is not None:
                plan.hops = hops
                state = flow.start if target == demo_claims.RETURNED else target
                plan.times = self._timeline(flow, state, len(plan.hops))
                sampled, started = plan.extra.get("year"), plan.times[0].astimezone(CST).year
                if isinstance(sampled, int) and sampled != started:
                    # A document is about the year it was written in.
                    plan.title = plan.title.replace(f"{sampled}年", f"{started}年")
                plan.extra["year"] = started
                return plan
        label = "退回待修改" if target == demo_claims.RETURNED else flow.step(target).label
        raise RuntimeError(f"演示数据无法到达“{flow.label}”的“{label}”环节")

    def _route(self, flow: Flow, plan: _Plan, target: str) -> list[Hop] | None:
        """The moves to the target; a claim may be sent back on its way, as real ones are."""
        rng = self.rng
        if flow.key != demo_claims.FLOW_KEY:
            hops = route_to(flow, plan.facts, target)
            return None if hops is None else _with_return_loop(flow, plan.facts, hops, rng)
        sent_back = target == demo_claims.RETURNED or (target == "withdrawn" and rng.random() < 0.4)
        if not sent_back:
            hops = route_to(flow, plan.facts, target)
            return None if hops is None else _with_return_loop(flow, plan.facts, hops, rng)
        # Returned by a reviewer: waiting for the claimant, or withdrawn by the claimant afterwards.
        reviewer = rng.choice([s for s in demo_claims.REVIEW_STEPS if s != "principal_approval"])
        hops = route_to(flow, plan.facts, reviewer)
        if hops is None:
            return None
        hops.append(Hop(reviewer, flow.start, "return"))
        if target == "withdrawn":
            hops.append(Hop(flow.start, "withdrawn", "withdraw"))
        return hops

    def _year(self) -> int:
        return self.today.year - (1 if self.rng.random() < 0.15 else 0)

    def _sample(self, flow: Flow) -> _Plan:
        rng = self.rng
        if flow.key == "outgoing_document":
            year = self._year()
            title, kind = outgoing_title(rng, year)
            owner = rng.choice(self.drafters)
            facts: dict[str, Any] = {
                "has_cosigners": rng.random() < 0.2,
                "important": rng.random() < 0.25 or kind == "纪要",
                "upward": kind in _UPWARD_TYPES,
                # The demo collects every co-issuing unit's agreement before 会签 ends.
                "cosign_complete": True,
            }
            plan = _Plan(flow, DOCUMENT_ENTITY, title, facts, owner, owner.unit_id, random_urgency(rng), [])
            plan.extra.update(doc_type=kind, year=year)
            return plan
        if flow.key == "incoming_document":
            year = self._year()
            title, kind, source = incoming_record(rng, year, self.lower_units)
            owner = rng.choice(self.receivers)
            # Every circulated copy is read or recalled before 传阅 ends.
            facts = {
                "needs_handling": rng.random() < 0.7, "needs_circulation": rng.random() < 0.5,
                "circulation_complete": True,
            }
            unit_id = owner.unit_id
            if facts["needs_handling"] and self.liaison_units and rng.random() < 0.6:
                unit_id = rng.choice(self.liaison_units)  # the 承办 unit, whose liaison then handles it
            plan = _Plan(flow, DOCUMENT_ENTITY, title, facts, owner, unit_id, random_urgency(rng), [])
            plan.extra.update(doc_type=kind, source=source, year=year)
            return plan
        if flow.key == demo_claims.FLOW_KEY:
            owner = rng.choice(self.claimants)
            sketch = demo_claims.sketch_claim(rng, PLACES)
            # Over budget or not is settled for all claims at once, once they are in order (_settle_claims).
            # As app.services.claims.records decides it: nobody else in the unit to review (the claimant is its head).
            head = self.org.heads.get(owner.unit_id) if owner.unit_id is not None else None
            facts = {"amount": sketch.total, "over_budget": False, "no_unit_reviewer": head in (None, owner.id)}
            plan = _Plan(flow, CLAIM_ENTITY, sketch.title, facts, owner, owner.unit_id, "", [])
            plan.extra["claim"] = sketch
            return plan
        raise RuntimeError(f"演示数据还不会生成“{flow.label}”的记录")

    # ----- when it happened -----
    def _workdays_before(self, d: date, n: int) -> date:
        while n > 0:
            d -= timedelta(days=1)
            if self.calendar.is_workday(d):
                n -= 1
        return d

    def _last_workday(self, d: date) -> date:
        while not self.calendar.is_workday(d):
            d -= timedelta(days=1)
        return d

    def _last_day(self, flow: Flow, target: str) -> date:
        """The day of the last move, chosen so the current step's due date lands in the wanted bucket."""
        rng = self.rng
        step = flow.step(target)
        anchor = self._last_workday(self.today)
        if step.final or step.time_limit is None:
            return self._workdays_before(anchor, rng.randint(1, 250))
        limit = step.time_limit
        bucket = _BUCKETS[self.open_count % len(_BUCKETS)]
        self.open_count += 1
        first_open = self.today if self.calendar.is_workday(self.today) else self.calendar.next_workday(self.today)
        # The furthest due date reachable with the last move no later than today.
        reach = limit.amount if first_open == self.today else limit.amount - 1
        if limit.unit == "day":
            reach = max(0, self.calendar.workdays_between(first_open, self.today + timedelta(days=limit.amount)))
        if bucket == "overdue":
            due = self._workdays_before(self.today, rng.randint(1, 15))
        elif bucket == "later" and reach >= 4:
            due = self.calendar.add_workdays(first_open, rng.randint(4, reach)).date
        else:
            due = self.calendar.add_workdays(first_open, rng.randint(0, max(0, min(3, reach)))).date
        if limit.unit == "day":
            last = due - timedelta(days=limit.amount)
        else:
            last = self._workdays_before(due, limit.amount)
        return min(last, self.today)

    def _timeline(self, flow: Flow, target: str, moves: int) -> list[datetime]:
        rng = self.rng
        days = [self._last_day(flow, target)]
        for _ in range(moves):
            days.append(self._workdays_before(days[-1], rng.choice((0, 0, 1, 1, 1, 2, 3))))
        days.reverse()
        times: list[datetime] = []
        minutes = rng.randint(0, 150)
        for i, d in enumerate(days):
            if i and d != days[i - 1]:
                minutes = rng.randint(0, 150)
            elif i:
                # Same-day moves follow each other through office hours, and stop short of midnight.
                minutes += rng.randint(10, 120) if minutes < 480 else 1
            times.append(_local(d, minutes).astimezone(UTC))
        return times

    # ----- who does it -----
    def actor_for(self, flow: Flow, instance: WorkflowInstance, hop: Hop, facts: dict[str, Any], opinion: str) -> Actor:
        """Someone whose role, unit and position let the engine take exactly this move."""
        candidates = list(self.org.users)
        self.rng.shuffle(candidates)
        head = self.org.heads.get(instance.unit_id) if instance.unit_id is not None else None
        for actor in candidates:
            context = {
                **facts,
                "actor_is_owner": instance.owner_id == actor.id,
                "actor_is_principal": actor.is_principal,
                "actor_heads_unit": head == actor.id,
            }
            try:
                chosen = flow.resolve(
                    hop.source, hop.action, workflow.effective_roles(actor, instance), context, opinion
                )
            except GovDeskError:
                continue
            if chosen.target == hop.target:
                return actor
        raise RuntimeError(f"演示数据找不到能在“{flow.step(hop.source).label}”环节办理的人员")

    def opinion_for(self, flow: Flow, plan: _Plan, hop: Hop) -> str:
        texts = _OPINIONS.get((flow.key, hop.action))
        if not texts:
            return ""
        unit = self.org.unit_name(plan.unit_id) if plan.unit_id != plan.owner.unit_id else ""
        if not unit or unit in SECTIONS or unit == "县政府办":
            unit = self.rng.choice(DEPARTMENTS)[1]
        leader = self.rng.choice(self.leaders).full_name if self.leaders else "县长"
        return self.rng.choice(texts).format(unit=unit, leader=leader)


# The moments each record keeps, stamped with the simulated time like the workflow rows.
_RECORD_TIMES: dict[type, tuple[str, ...]] = {
    Document: ("created_at", "updated_at", "signed_at", "received_at"),
    DocumentCosigner: ("created_at", "updated_at", "at"),
    DocumentDistribution: ("created_at", "updated_at", "sent_at", "received_at"),
    DocumentCirculation: ("created_at", "updated_at", "sent_at", "read_at", "recalled_at"),
    DocumentError: ("created_at", "updated_at", "at"),
    DocumentArchive: ("created_at", "updated_at", "archived_at"),
    DocumentCoHandler: ("created_at", "updated_at"),
    Attachment: ("created_at", "updated_at"),
    Claim: ("created_at", "updated_at", "paid_at"),
    Budget: ("created_at", "updated_at"),
}


def _stamp_record_times(obj: object, now: datetime, new: bool) -> None:
    names = _RECORD_TIMES.get(type(obj))
    if names is None:
        return
    state = sa_inspect(obj)
    for name in names:
        if name in ("created_at", "updated_at"):
            if new or name == "updated_at":
                setattr(obj, name, now)
        elif getattr(obj, name) is not None and (new or state.attrs[name].history.added):
            setattr(obj, name, now)


def _stamp(clock: _Clock) -> Callable[[Session, UOWTransaction, Iterable[object] | None], None]:
    def before_flush(session: Session, _context: UOWTransaction, _instances: Iterable[object] | None) -> None:
        for obj in session.new:
            if isinstance(obj, WorkflowInstance):
                obj.created_at = obj.updated_at = obj.entered_at = clock.now
            elif isinstance(obj, WorkflowHistory):
                obj.at = clock.now
            else:
                _stamp_record_times(obj, clock.now, True)
        for obj in session.dirty:
            if isinstance(obj, WorkflowInstance):
                obj.entered_at = obj.updated_at = clock.now
                if obj.closed:
                    obj.closed_at = clock.now
            elif session.is_modified(obj):
                _stamp_record_times(obj, clock.now, False)

    return before_flush


def _drive(ctx: AppContext, planner: _Planner, plans: Sequence[_Plan]) -> None:
    """Takes each planned record through the real services, in one unit of work for the chunk."""
    clock = _Clock(plans[0].times[0])
    listener = _stamp(clock)
    with ctx.uow() as uow:
        event.listen(uow.session, "before_flush", listener)
        try:
            for plan in plans:
                _drive_one(uow, planner, plan, clock)
            uow.commit()
        finally:
            event.remove(uow.session, "before_flush", listener)


def _drive_one(uow: UnitOfWork, planner: _Planner, plan: _Plan, clock: _Clock) -> None:
    flow = plan.flow
    clock.now = plan.times[0]
    if plan.entity_type == DOCUMENT_ENTITY:
        _drive_document(uow, planner, plan, clock)
        return
    if plan.entity_type == CLAIM_ENTITY:
        _drive_claim(uow, planner, plan, clock)
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
        opinion = planner.opinion_for(flow, plan, hop)
        actor = planner.actor_for(flow, instance, hop, plan.facts, opinion)
        workflow.apply_transition(
            uow, actor, instance, hop.action, opinion, facts=plan.facts, today=when.astimezone(CST).date()
        )


def _drive_claim(uow: UnitOfWork, planner: _Planner, plan: _Plan, clock: _Clock) -> None:
    run = demo_claims.ClaimRun(
        flow=plan.flow, owner=plan.owner, unit_id=plan.unit_id, sketch=plan.extra["claim"], facts=plan.facts,
        hops=plan.hops, times=plan.times, voucher=str(plan.extra.get("voucher", "")),
        receipts=plan.extra.get("receipts", ()),
    )

    def set_now(moment: datetime) -> None:
        clock.now = moment

    demo_claims.drive_claim(
        uow, run, rng=planner.rng, actor_for=planner.actor_for, set_now=set_now, local_day=_local_day
    )


# ----- documents ------------------------------------------------------------------------------------

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


def _local_day(moment: datetime) -> date:
    return moment.astimezone(CST).date()


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

    def __init__(self, uow: UnitOfWork, planner: _Planner, plan: _Plan, clock: _Clock) -> None:
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
        return _local_day(self.clock.now)

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
                body=("正文.txt", f"{plan.title}\n\n（演示数据：正文从略）\n".encode()), today=self.day(),
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


def _drive_document(uow: UnitOfWork, planner: _Planner, plan: _Plan, clock: _Clock) -> None:
    driver = _DocumentDriver(uow, planner, plan, clock)
    instance = driver.start()
    for hop, when in zip(plan.hops, plan.times[1:], strict=True):
        clock.now = when
        opinion = planner.opinion_for(plan.flow, plan, hop)
        actor = planner.actor_for(plan.flow, instance, hop, plan.facts, opinion)
        driver.step(hop, actor, opinion)
    driver.settle(instance.state)
