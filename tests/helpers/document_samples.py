"""Sample data for the official-document forms, written as the office of 青山县 would fill them in."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.printing.documents.archive_forms import ArchiveCatalogueData, ArchiveStamp, ArchiveStampSheet, CatalogueEntry
from app.printing.documents.incoming_slip import CirculationRecord, IncomingSlipData
from app.printing.documents.notice import DocumentNoticeData, LateStepItem, NoticeUnitRow, OverdueItem
from app.printing.documents.outgoing_draft import CosignOpinion, DocNumber, OutgoingDraftData, TrailEntry
from app.printing.documents.receipt_register import ReceiptRegisterData, RegisterRow
from app.printing.kit.table_form import OpinionEntry

OFFICE = "青山县人民政府办公室"


def outgoing_draft() -> OutgoingDraftData:
    """A 通知 co-signed by two departments, signed by the county leader and numbered."""
    return OutgoingDraftData(
        office_name=OFFICE,
        title="青山县人民政府办公室关于做好2026年冬春季森林防火工作的通知",
        doc_type="通知",
        drafting_unit="县政府办公室秘书股",
        drafter="王晓明",
        drafted_on=date(2026, 11, 24),
        doc_number=DocNumber("县政办发", 2026, 12),
        disclosure="主动公开",
        urgency="加急",
        main_recipients="各乡镇人民政府，县政府各部门，县直各单位",
        copy_recipients="县委办公室，县人大常委会办公室，县政协办公室",
        signing=OpinionEntry("同意印发。", "张建国", date(2026, 11, 29)),
        review=OpinionEntry("文稿已核，数据无误，同意送签。", "刘芳", date(2026, 11, 25)),
        cosigns=(
            CosignOpinion("县林业局", "同意。", "陈志强", date(2026, 11, 26)),
            CosignOpinion("县应急管理局", "同意，建议增加值班值守要求。", "赵敏", date(2026, 11, 27)),
        ),
        copies=120,
        proofreader="李娜",
        attachments=("2026年冬春季森林防火重点区域一览表", "森林火情报告联系人名单"),
        trail=(
            TrailEntry(datetime(2026, 11, 24, 16, 20), "拟稿", "王晓明", "送核稿"),
            TrailEntry(datetime(2026, 11, 25, 10, 5), "核稿", "刘芳", "核稿通过", "文稿已核，数据无误，同意送签。"),
            TrailEntry(datetime(2026, 11, 26, 9, 40), "会签", "陈志强", "会签同意", "同意。"),
            TrailEntry(
                datetime(2026, 11, 27, 15, 12), "会签", "赵敏", "会签同意", "同意，建议增加值班值守要求。"
            ),
            TrailEntry(datetime(2026, 11, 29, 9, 5), "签发", "张建国", "签发", "同意印发。"),
            TrailEntry(datetime(2026, 11, 29, 10, 30), "编号", "李娜", "编号", "县政办发〔2026〕12号"),
        ),
    )


def withheld_draft() -> OutgoingDraftData:
    """A 函 not yet numbered or signed, withheld from disclosure, with no co-signers."""
    return OutgoingDraftData(
        office_name=OFFICE,
        title="青山县人民政府办公室关于商请协助核查有关人员信息的函",
        doc_type="函",
        drafting_unit="县政府办公室综合股",
        drafter="周敏",
        drafted_on=date(2026, 11, 27),
        disclosure="不予公开",
        disclosure_reason="涉及个人信息，公开后可能损害第三方合法权益",
        main_recipients="县公安局",
        copies=3,
        trail=(TrailEntry(datetime(2026, 11, 27, 11, 0), "拟稿", "周敏", "送核稿"),),
    )


def long_trail(n: int = 40) -> tuple[TrailEntry, ...]:
    start = datetime(2026, 10, 8, 9, 0)
    steps = (("拟稿", "送核稿", ""), ("核稿", "退回", "请补充相关数据并核对文字后重新报送。"))
    return tuple(
        TrailEntry(start + timedelta(hours=5 * i), steps[i % 2][0], "王晓明" if i % 2 == 0 else "刘芳",
                   steps[i % 2][1], steps[i % 2][2])
        for i in range(n)
    )


def incoming_slip() -> IncomingSlipData:
    """A 通知 from the city, instructed by two county leaders, handled by three units, being circulated."""
    return IncomingSlipData(
        office_name=OFFICE,
        title="青州市人民政府办公室关于开展2026年度安全生产大检查的通知",
        source_unit="青州市人民政府办公室",
        source_number="市政办发〔2026〕88号",
        received_on=date(2026, 11, 25),
        receipt_number=DocNumber("收", 2026, 315),
        copies=3,
        urgency="特急",
        proposal=OpinionEntry(
            "拟请县应急管理局牵头，会同县住房和城乡建设局、县交通运输局按通知要求组织开展检查，并于12月10日前"
            "将检查情况报县政府。妥否，请县领导批示。",
            "刘芳",
            date(2026, 11, 25),
        ),
        instructions=(
            OpinionEntry("同意拟办意见。请应急管理局抓紧组织实施，确保检查不走过场。", "张建国", date(2026, 11, 26)),
            OpinionEntry("请各有关单位按时限办结，重大隐患及时报告。", "孙丽华", date(2026, 11, 26)),
        ),
        lead_unit="县应急管理局",
        assisting_units=("县住房和城乡建设局", "县交通运输局"),
        due_date=date(2026, 12, 10),
        result="",
        circulation=(
            CirculationRecord("张建国", datetime(2026, 11, 25, 15, 30), datetime(2026, 11, 26, 9, 10), "已批示"),
            CirculationRecord("孙丽华", datetime(2026, 11, 26, 9, 20), datetime(2026, 11, 26, 16, 45), "已阅"),
            CirculationRecord("王志刚", datetime(2026, 11, 27, 8, 50), None, ""),
        ),
    )


def provisional_slip() -> IncomingSlipData:
    """Received in late December: its deadline reaches into 2027, whose holidays are not yet published."""
    return IncomingSlipData(
        office_name=OFFICE,
        title="关于报送2026年度政务信息工作总结的函",
        source_unit="青州市人民政府办公室",
        source_number="市政办函[2026]140号",
        received_on=date(2026, 12, 24),
        receipt_number="收〔2026〕388号",
        copies=1,
        due_date=date(2027, 1, 8),
        due_provisional=True,
    )


_SOURCES = (
    ("青州市人民政府办公室", "市政办发", "关于做好{n}项民生实事项目年底收尾工作的通知"),
    ("青州市财政局", "市财预", "关于下达2026年第{n}批中央财政衔接推进乡村振兴补助资金的通知"),
    ("石门镇人民政府", "石政", "关于申请解决第{n}村组道路维修资金的请示"),
    ("县教育局", "县教字", "关于2026年秋季学期第{n}次教育督导情况的报告"),
    ("青州市应急管理局", "市应急函", "关于开展第{n}轮冬季安全生产检查的函"),
)
_HANDLERS = ("县发展和改革局", "县财政局", "县交通运输局", "县教育局", "县应急管理局", "县政府办公室综合股")


def register_row(n: int) -> RegisterRow:
    source, prefix, title = _SOURCES[n % len(_SOURCES)]
    received = date(2026, 11, 1) + timedelta(days=(n * 29) // 120)
    due = received + timedelta(days=10)
    return RegisterRow(
        receipt_number=DocNumber("收", 2026, 300 + n),
        received_on=received,
        source_unit=source,
        source_number=f"{prefix}〔2026〕{40 + n}号",
        title=title.format(n=n),
        copies=1 + n % 3,
        urgency=("", "加急", "", "特急", "")[n % 5],
        handling_unit=_HANDLERS[n % len(_HANDLERS)],
        due_date=due,
        due_provisional=False,
        completed_on=due - timedelta(days=2) if n % 4 else None,
        remark="已退文" if n % 17 == 0 else "",
    )


def receipt_register(rows: int = 120) -> ReceiptRegisterData:
    return ReceiptRegisterData(
        office_name=OFFICE,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        rows=tuple(register_row(n) for n in range(1, rows + 1)),
    )


def archive_stamps(count: int = 12) -> ArchiveStampSheet:
    retentions = ("Y", "D30", "D10")
    return ArchiveStampSheet(
        stamps=tuple(
            ArchiveStamp(
                fonds="J012",
                year=2026,
                retention=retentions[n % 3],
                item=n,
                pages=2 + n % 7,
                org="办公室" if n % 4 else "督查督办股",
                caption=f"县政办发〔2026〕{n}号 关于做好第{n}项重点工作的通知",
            )
            for n in range(1, count + 1)
        ),
        office_name=OFFICE,
    )


def catalogue_entry(n: int) -> CatalogueEntry:
    return CatalogueEntry(
        item=n,
        responsible=OFFICE if n % 3 else "青山县人民政府",
        title=f"青山县人民政府办公室关于做好2026年第{n}项重点民生工作的通知",
        doc_date=date(2026, 1, 5) + timedelta(days=(n * 3) % 350),
        doc_number=DocNumber("县政办发", 2026, n),
        pages=1 + n % 9,
        remark="含附件" if n % 10 == 0 else "",
    )


def archive_catalogue(entries: int = 120) -> ArchiveCatalogueData:
    return ArchiveCatalogueData(
        fonds="J012",
        year=2026,
        retention="Y",
        entries=tuple(catalogue_entry(n) for n in range(1, entries + 1)),
        fonds_name=OFFICE,
        org_code="BGS",
        org_name="办公室",
    )


def document_notice() -> DocumentNoticeData:
    """The third quarter of 2026: ten units, some clean, some with errors, three overdue documents with four
    late steps between them."""
    rows = (
        NoticeUnitRow("县政府办公室秘书股", 86, 1.2, 1, 1, 0, 0, 0, 0),
        NoticeUnitRow("县发展和改革局", 42, 1.8, 3, 2, 1, 0, 1, 1, 1),
        NoticeUnitRow("县财政局", 37, 1.6, 2, 1, 2, 0, 0, 0),
        NoticeUnitRow("县教育局", 29, 2.4, 4, 3, 2, 1, 0, 1, 2),
        NoticeUnitRow("县住房和城乡建设局", 25, 2.1, 1, 0, 1, 0, 0, 1, 1),
        NoticeUnitRow("县交通运输局", 18, 1.5, 0, 0, 0, 0, 0, 0),
        NoticeUnitRow("县应急管理局", 21, 1.3, 0, 0, 0, 0, 0, 0),
        NoticeUnitRow("县卫生健康局", 23, 1.9, 1, 0, 1, 0, 0, 0),
        NoticeUnitRow("石门镇人民政府", 15, 1.7, 0, 0, 0, 0, 0, 0),
        NoticeUnitRow("青山镇人民政府", 12, 2.0, 2, 1, 0, 1, 0, 0),
    )
    overdue = (
        OverdueItem(
            "县发展和改革局",
            "关于报送2026年第二批中央预算内投资项目建设进度的通知",
            DocNumber("县政办发", 2026, 35),
            (LateStepItem("承办", date(2026, 9, 15), 5, date(2026, 9, 22)),),
        ),
        OverdueItem(
            "县教育局",
            "关于做好2026年秋季学期学生资助工作的通知",
            DocNumber("县政办发", 2026, 41),
            (
                LateStepItem("核稿", date(2026, 9, 10), 1, date(2026, 9, 11)),
                LateStepItem("承办", date(2026, 9, 18), 3, date(2026, 9, 24)),
            ),
        ),
        OverdueItem(
            "县住房和城乡建设局",
            "关于开展城镇燃气安全专项整治的通知",
            "县政办发〔2026〕47号",
            (LateStepItem("承办", date(2026, 9, 25), 3, None),),
        ),
    )
    return DocumentNoticeData(
        office_name=OFFICE,
        year=2026,
        quarter=3,
        issued_on=date(2026, 10, 15),
        rows=rows,
        overdue_items=overdue,
    )
