"""The official-document forms: 发文稿纸, 收文处理笺, 收文登记簿, 归档章, 归档文件目录 and the quarterly 通报.

Each PDF is read back: its words and values, its fonts and glyphs, its page count, the headings and page
numbers of the ledgers on every page, and (where layout matters) its pixels.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.lib.units import mm

from app.core.errors import ValidationError
from app.printing.documents import archive_forms
from app.printing.documents.archive_forms import (
    ArchiveCatalogueData,
    ArchiveStamp,
    ArchiveStampSheet,
    CatalogueEntry,
    render_archive_catalogue,
    render_archive_stamps,
)
from app.printing.documents.incoming_slip import CirculationRecord, circulation_rows, render_incoming_slip
from app.printing.documents.notice import (
    DocumentNoticeData,
    LateStepItem,
    NoticeUnitRow,
    OverdueItem,
    Signature,
    assessment_paragraph,
    overdue_lines,
    render_document_notice,
    summary_paragraph,
    title_lines,
)
from app.printing.documents.outgoing_draft import (
    DOC_TYPES,
    CosignOpinion,
    DocNumber,
    OutgoingDraftData,
    TrailEntry,
    number_text,
    render_outgoing_draft,
)
from app.printing.documents.receipt_register import ReceiptRegisterData, render_receipt_register
from app.printing.kit.fonts import resolve_fonts
from app.printing.kit.page import SIZE_3
from app.printing.kit.registry import default_registry
from app.printing.kit.table_form import OpinionEntry
from tests.helpers import document_samples as samples
from tests.helpers.pdfcheck import (
    assert_fonts_embedded,
    assert_no_missing_glyphs,
    compact,
    needs_pdftoppm,
    page_text,
    reader,
    render_png,
)

PAGE_NUMBER = re.compile(r"第(\d+)页共(\d+)页")


def page_texts(pdf: bytes) -> list[str]:
    return [compact(page.extract_text()) for page in reader(pdf).pages]


def assert_present(text: str, expected: tuple[str, ...]) -> None:
    missing = [e for e in expected if compact(e) not in text]
    assert not missing, missing


def assert_sound(pdf: bytes) -> None:
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def ink_outside(image: Image.Image, box_mm: tuple[float, float, float, float], dpi: int) -> list[tuple[int, int]]:
    """Dark pixels outside a box (left, top, right, bottom in mm from the page's top left corner)."""
    per_mm = dpi / 25.4
    left, top = int(box_mm[0] * per_mm) - 2, int(box_mm[1] * per_mm) - 2
    right, bottom = int(box_mm[2] * per_mm) + 2, int(box_mm[3] * per_mm) + 2
    width, height = image.size
    data = image.convert("L").tobytes()
    return [
        (x, y)
        for y in range(height)
        for x in range(width)
        if not (left <= x <= right and top <= y <= bottom) and data[y * width + x] < 200
    ]


GB_TYPE_AREA = (28.0, 37.0, 28.0 + 156.0, 37.0 + 225.0)


# ----- 发文稿纸 ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return render_outgoing_draft(samples.outgoing_draft())


DRAFT_LABELS = (
    "文号", "文种", "密级", "公开属性", "缓急", "印制份数", "签发：", "签发人：", "会签", "会签单位", "会签意见",
    "核稿", "核稿人：", "复核", "复核人：", "拟稿单位", "拟稿人", "拟稿日期", "校对", "标题", "主送", "抄送", "附件",
    "办理记录", "办理时间", "环节", "办理人", "操作", "办理意见",
)  # fmt: skip


def test_the_draft_sheet_says_everything(draft_pdf: bytes) -> None:
    text = compact(page_text(draft_pdf))
    assert text.startswith("青山县人民政府办公室发文稿纸")
    assert_present(text, DRAFT_LABELS)
    assert_present(
        text,
        (
            "县政办发〔2026〕12号",
            "通知",
            "非涉密",
            "主动公开",
            "□特急　■加急",
            "120份",
            "青山县人民政府办公室关于做好2026年冬春季森林防火工作的通知",
            "各乡镇人民政府，县政府各部门，县直各单位",
            "县委办公室，县人大常委会办公室，县政协办公室",
            "1.2026年冬春季森林防火重点区域一览表",
            "2.森林火情报告联系人名单",
            "县政府办公室秘书股",
            "拟稿人王晓明",
            "拟稿日期2026年11月24日",
            "校对李娜",
        ),
    )


def test_every_opinion_carries_its_name_and_date(draft_pdf: bytes) -> None:
    text = compact(page_text(draft_pdf))
    assert "同意印发。签发人：张建国2026年11月29日" in text
    assert "文稿已核，数据无误，同意送签。核稿人：刘芳2026年11月25日" in text
    assert "县林业局同意。陈志强2026年11月26日" in text
    assert "县应急管理局同意，建议增加值班值守要求。赵敏2026年11月27日" in text


def test_the_trail_lists_each_step_in_order(draft_pdf: bytes) -> None:
    text = compact(page_text(draft_pdf))
    trail = text[text.index("办理意见") :]
    moments = ["2026年11月24日16:20", "2026年11月25日10:05", "2026年11月26日9:40", "2026年11月27日15:12",
               "2026年11月29日9:05", "2026年11月29日10:30"]  # fmt: skip
    positions = [trail.index(m) for m in moments]
    assert positions == sorted(positions)
    assert "2026年11月29日10:30编号李娜编号县政办发〔2026〕12号" in trail


def test_the_trail_is_sorted_even_when_given_out_of_order() -> None:
    data = samples.outgoing_draft()
    pdf = render_outgoing_draft(dataclasses.replace(data, trail=tuple(reversed(data.trail))))
    text = compact(page_text(pdf))
    assert text.index("2026年11月24日16:20") < text.index("2026年11月29日10:30")


def test_the_draft_form_stays_on_its_first_page_with_embedded_fonts(draft_pdf: bytes) -> None:
    # The 复核 box (条例 Art. 25) made the form taller: the sample's 办理记录 now runs on to a second page,
    # under its repeated headings, while the form itself stays whole on the first.
    pages = page_texts(draft_pdf)
    assert len(pages) == 2
    assert_present(pages[0], DRAFT_LABELS)
    assert "办理记录办理时间环节办理人操作办理意见" in pages[1]
    assert_sound(draft_pdf)


def test_a_withheld_draft_gives_its_reason_and_leaves_the_number_and_signature_blank() -> None:
    pdf = render_outgoing_draft(samples.withheld_draft())
    text = compact(page_text(pdf))
    assert "不予公开理由：涉及个人信息，公开后可能损害第三方合法权益" in text
    assert "无会签单位" in text
    assert "〔" not in text  # not numbered before 签发
    assert "签发人：年月日" in text  # the blank lines to sign on
    assert "核稿人：年月日" in text
    assert len(reader(pdf).pages) == 1
    assert_sound(pdf)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"disclosure": "不予公开", "disclosure_reason": "  "}, "disclosure_reason"),
        ({"disclosure": "内部公开"}, "disclosure"),
        ({"urgency": "紧急"}, "urgency"),
        ({"doc_type": "通令"}, "doc_type"),
        ({"copies": -1}, "copies"),
    ],
)
def test_the_draft_refuses_what_the_rules_forbid(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        dataclasses.replace(samples.outgoing_draft(), **change)
    assert error.value.field == field


def test_all_fifteen_document_types_are_known() -> None:
    assert len(DOC_TYPES) == 15
    assert "命令（令）" in DOC_TYPES and "纪要" in DOC_TYPES
    for doc_type in DOC_TYPES:
        dataclasses.replace(samples.withheld_draft(), doc_type=doc_type)


def test_the_sheet_prints_canonical_values() -> None:
    data = dataclasses.replace(samples.withheld_draft(), doc_type="命令", urgency="无")
    assert (data.doc_type, data.urgency) == ("命令（令）", "")
    assert "文种命令（令）" in compact(page_text(render_outgoing_draft(data)))


def test_recorded_moments_print_in_local_time() -> None:
    moment = datetime(2026, 11, 24, 8, 20, tzinfo=timezone.utc)
    data = dataclasses.replace(samples.withheld_draft(), trail=(TrailEntry(moment, "拟稿", "周敏", "送核稿"),))
    local = moment.astimezone()
    expected = f"{local.year}年{local.month}月{local.day}日{local.hour}:{local.minute:02d}"
    assert expected in compact(page_text(render_outgoing_draft(data)))


def test_document_numbers_always_print_with_hexagonal_brackets() -> None:
    assert number_text(DocNumber("县政办发", 2026, 12)) == "县政办发〔2026〕12号"
    assert number_text("县政办发〔2026〕12号") == "县政办发〔2026〕12号"
    assert number_text(None) == number_text("") == ""
    # Our own number must be right; another body's is repaired where it can be, else printed as registered.
    with pytest.raises(ValidationError, match="六角括号"):
        number_text("县政办发[2026]12号")
    assert number_text("市政办函[2026]140号", lenient=True) == "市政办函〔2026〕140号"
    assert number_text("市政办函（2026）140号", lenient=True) == "市政办函〔2026〕140号"
    assert number_text("省政发2026-3", lenient=True) == "省政发2026-3"


def test_a_malformed_own_number_stops_the_print() -> None:
    with pytest.raises(ValidationError):
        render_outgoing_draft(dataclasses.replace(samples.outgoing_draft(), doc_number="县政办发〔2026〕第12号"))


def test_pending_cosigners_print_blank_lines() -> None:
    cosigns = (CosignOpinion("县林业局", "同意。", "陈志强", date(2026, 11, 26)), CosignOpinion("县财政局"))
    pdf = render_outgoing_draft(dataclasses.replace(samples.outgoing_draft(), cosigns=cosigns))
    assert "县财政局年月日" in compact(page_text(pdf))


def test_a_long_opinion_grows_the_signing_box_instead_of_spilling() -> None:
    long = OpinionEntry("同意印发。" + "请各单位认真抓好贯彻落实，" * 8, "张建国", date(2026, 11, 29))
    pdf = render_outgoing_draft(dataclasses.replace(samples.outgoing_draft(), signing=long, trail=()))
    text = compact(page_text(pdf))
    assert "签发人：张建国2026年11月29日" in text
    assert_sound(pdf)


def test_a_long_trail_runs_on_with_its_headings_and_page_numbers() -> None:
    pdf = render_outgoing_draft(dataclasses.replace(samples.outgoing_draft(), trail=samples.long_trail(40)))
    texts = page_texts(pdf)
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert "办理记录办理时间环节办理人操作办理意见" in text, number
        assert f"—{number}—" in text
    everything = "".join(texts)
    assert everything.count("请补充相关数据并核对文字后重新报送。") == 20
    assert_sound(pdf)


def test_a_long_office_name_puts_the_form_name_on_its_own_line() -> None:
    office = "青山县人民政府办公室机关事务服务中心综合业务科"
    pdf = render_outgoing_draft(dataclasses.replace(samples.withheld_draft(), office_name=office))
    lines = page_text(pdf).splitlines()
    assert compact(lines[0]) == office
    assert compact(lines[1]) == "发文稿纸"


# ----- 收文处理笺 --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slip_pdf() -> bytes:
    return render_incoming_slip(samples.incoming_slip())


def test_the_processing_slip_says_everything(slip_pdf: bytes) -> None:
    text = compact(page_text(slip_pdf))
    assert text.startswith("青山县人民政府办公室收文处理笺")
    assert_present(
        text,
        (
            "来文单位青州市人民政府办公室",
            "来文字号市政办发〔2026〕88号",
            "收文日期2026年11月25日",
            "收文编号收〔2026〕315号",
            "份数3份",
            "密级非涉密",
            "缓急■特急　□加急",
            "标题青州市人民政府办公室关于开展2026年度安全生产大检查的通知",
            "拟办意见",
            "妥否，请县领导批示。签名：刘芳2026年11月25日",
            "领导批示",
            "确保检查不走过场。签名：张建国2026年11月26日",
            "重大隐患及时报告。签名：孙丽华2026年11月26日",
            "承办单位主办：县应急管理局　　协办：县住房和城乡建设局、县交通运输局",
            "办理时限2026年12月10日",
            "办理结果",
            "传阅记录传阅人送阅时间阅毕时间备注",
            "张建国2026年11月25日15:302026年11月26日9:10已批示",
            "王志刚2026年11月27日8:50传阅中",
        ),
    )
    assert "待国务院公布" not in text


def test_the_slip_fits_one_page_with_embedded_fonts(slip_pdf: bytes) -> None:
    assert len(reader(slip_pdf).pages) == 1
    assert_sound(slip_pdf)


def test_a_provisional_deadline_is_marked_and_a_blank_slip_leaves_room_to_write() -> None:
    pdf = render_incoming_slip(samples.provisional_slip())
    text = compact(page_text(pdf))
    assert "办理时限2027年1月8日（待国务院公布）" in text
    assert "来文字号市政办函〔2026〕140号" in text
    assert "未传阅" in text
    assert text.count("签名：年月日") == 2  # 拟办意见 and 领导批示, to be signed by hand
    assert len(reader(pdf).pages) == 1


def test_circulation_states() -> None:
    rows = circulation_rows(
        [
            CirculationRecord("甲", datetime(2026, 11, 25, 15, 30), datetime(2026, 11, 26, 9, 5), "已阅"),
            CirculationRecord("乙", datetime(2026, 11, 26, 9, 20)),
            CirculationRecord("丙"),
        ]
    )
    assert rows == [
        ["甲", "2026年11月25日 15:30", "2026年11月26日 9:05", "已阅"],
        ["乙", "2026年11月26日 9:20", "传阅中", ""],
        ["丙", "", "未送阅", ""],
    ]


def test_assisting_units_need_a_lead_unit() -> None:
    with pytest.raises(ValidationError, match="主办"):
        dataclasses.replace(samples.incoming_slip(), lead_unit="")


def test_many_readers_run_the_circulation_on_to_a_second_page() -> None:
    readers = tuple(
        CirculationRecord(f"读者{n}", datetime(2026, 11, 25, 8, 0), datetime(2026, 11, 25, 9, n), "已阅")
        for n in range(40)
    )
    pdf = render_incoming_slip(dataclasses.replace(samples.incoming_slip(), circulation=readers))
    texts = page_texts(pdf)
    assert len(texts) > 1
    assert all("传阅记录传阅人送阅时间阅毕时间备注" in t for t in texts)


# ----- 收文登记簿 --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def register_pdf() -> bytes:
    return render_receipt_register(samples.receipt_register(120))


REGISTER_HEADERS = "收文编号收文日期来文单位来文字号标题份数密级缓急承办单位办理时限办结日期备注"
REGISTER_TITLE = "青山县人民政府办公室收文登记簿（2026年11月1日至2026年11月30日）"


def test_the_register_runs_over_pages_with_title_headers_and_page_numbers(register_pdf: bytes) -> None:
    texts = page_texts(register_pdf)
    total = len(texts)
    assert total > 1
    for number, text in enumerate(texts, start=1):
        assert text.startswith(REGISTER_TITLE), number
        assert REGISTER_HEADERS in text, number
        assert PAGE_NUMBER.findall(text) == [(str(number), str(total))]
    # The page count as printed, with its spaces.
    raw = [page.extract_text() for page in reader(register_pdf).pages]
    assert f"第 1 页 共 {total} 页" in raw[0]
    assert_sound(register_pdf)


def test_every_row_is_printed_once(register_pdf: bytes) -> None:
    text = "".join(page_texts(register_pdf))
    for n in range(1, 121):
        assert text.count(f"收〔2026〕{300 + n}号") == 1, n
    assert "共120件" in text
    first = samples.register_row(1)
    assert_present(
        text,
        (
            "收〔2026〕301号2026年11月1日青州市财政局市财预〔2026〕41号",
            first.title,
            "非涉密",
            "县财政局2026年11月11日2026年11月9日",
        ),
    )


def test_the_register_is_landscape_a4(register_pdf: bytes) -> None:
    box = reader(register_pdf).pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (297, 210)


def test_a_provisional_deadline_is_marked_and_explained() -> None:
    data = samples.receipt_register(3)
    row = dataclasses.replace(data.rows[1], due_date=date(2027, 1, 8), due_provisional=True)
    pdf = render_receipt_register(dataclasses.replace(data, rows=(data.rows[0], row, data.rows[2])))
    text = compact(page_text(pdf))
    assert "2027年1月8日※" in text
    assert "注：标※的办理时限所在年度节假日安排待国务院公布" in text
    assert "※" not in compact(page_text(render_receipt_register(data))).replace("注：标※", "")


def test_an_empty_register_says_so() -> None:
    pdf = render_receipt_register(samples.receipt_register(0))
    text = compact(page_text(pdf))
    assert "本期无收文" in text and "共0件" in text and "第1页共1页" in text
    assert len(reader(pdf).pages) == 1


def test_the_register_period_must_be_in_order() -> None:
    with pytest.raises(ValidationError):
        ReceiptRegisterData("青山县人民政府办公室", date(2026, 11, 30), date(2026, 11, 1))


# ----- 归档章 ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stamps_pdf() -> bytes:
    return render_archive_stamps(samples.archive_stamps(12))


def test_the_stamp_sheet_shows_each_stamp(stamps_pdf: bytes) -> None:
    text = compact(page_text(stamps_pdf))
    assert_present(text, ("归档章", "青山县人民政府办公室　共12枚", "式样：", "全宗号年度件号机构（问题）保管期限页数"))
    assert "J0122026000" in text
    for n in range(1, 13):
        assert f"J0122026{n:04d}" in text
    assert "办公室定期30年3" in text and "办公室定期10年4" in text and "办公室永久5" in text
    assert "督查督办股" in text
    assert "县政办发〔2026〕1号" in text
    assert len(reader(stamps_pdf).pages) == 1
    assert_sound(stamps_pdf)


def test_a_plain_list_of_stamps_prints_too() -> None:
    stamps = list(samples.archive_stamps(2).stamps)
    assert compact(page_text(render_archive_stamps(stamps))).count("J0122026") == 2


def test_many_stamps_run_on_to_numbered_pages() -> None:
    pdf = render_archive_stamps(samples.archive_stamps(50))
    texts = page_texts(pdf)
    assert len(texts) == 3
    assert [PAGE_NUMBER.findall(t) for t in texts] == [[("1", "3")], [("2", "3")], [("3", "3")]]
    assert sum(t.count("J0122026") for t in texts) == 50


@pytest.mark.parametrize(
    ("change", "field"),
    [({"fonds": "J12"}, "fonds"), ({"retention": "长期"}, "retention"), ({"item": 0}, "item"),
     ({"year": 26}, "year"), ({"pages": 0}, "pages")],
)  # fmt: skip
def test_a_stamp_refuses_what_no_archive_code_could_hold(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        dataclasses.replace(samples.archive_stamps(1).stamps[0], **change)
    assert error.value.field == field


def test_retention_names_on_the_stamp() -> None:
    stamp = ArchiveStamp("J012", 2026, "定期30年", 3, pages=4, org="办公室")
    assert stamp.cells() == (("J012", "2026", "0003"), ("办公室", "定期30年", "4"))
    assert ArchiveStamp("j012", 2026, "Y", 12).cells() == (("J012", "2026", "0012"), ("", "永久", ""))


@needs_pdftoppm
def test_a_stamp_is_printed_at_its_real_size(stamps_pdf: bytes, tmp_path: Path) -> None:
    """DA/T 22: 45 mm × 16 mm. The first stamp's red frame is measured on a 254 dpi rendering (10 px/mm)."""
    dpi = 254
    (image,) = render_png(stamps_pdf, tmp_path, dpi=dpi)
    top_of_stamps = 37 + archive_forms.STAMP_HEADER_HEIGHT / mm + archive_forms.CUT_MARGIN / mm
    left = 28 + archive_forms.CUT_MARGIN / mm
    region = (int((left - 3) * 10), int((top_of_stamps - 3) * 10), int((left + 48) * 10), int((top_of_stamps + 19) * 10))
    crop = image.crop(region)
    red = [(x, y) for y in range(crop.height) for x in range(crop.width) if _is_red(crop.getpixel((x, y)))]
    xs, ys = [x for x, _ in red], [y for _, y in red]
    width_mm, height_mm = (max(xs) - min(xs)) / 10, (max(ys) - min(ys)) / 10
    assert width_mm == pytest.approx(45, abs=0.5)
    assert height_mm == pytest.approx(16, abs=0.5)


def _is_red(pixel: Any) -> bool:
    r, g, b = pixel[:3]
    return bool(r > 150 and g < 110 and b < 110)


# ----- 归档文件目录 ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue_pdf() -> bytes:
    return render_archive_catalogue(samples.archive_catalogue(120))


CATALOGUE_HEADERS = "序号档号文号责任者题名日期密级页数备注"


def test_the_catalogue_runs_over_pages_with_its_heading_on_each(catalogue_pdf: bytes) -> None:
    texts = page_texts(catalogue_pdf)[1:-1]  # between its cover and its 备考表
    total = len(texts)
    assert total > 1
    for number, text in enumerate(texts, start=1):
        assert text.startswith("归档文件目录全宗号：J012"), number
        assert "全宗名称：青山县人民政府办公室" in text and "年度：2026" in text and "保管期限：永久" in text
        assert "机构（问题）：办公室" in text
        assert CATALOGUE_HEADERS in text
        assert PAGE_NUMBER.findall(text) == [(str(number), str(total))]
    assert_sound(catalogue_pdf)


def test_the_catalogue_rows(catalogue_pdf: bytes) -> None:
    text = "".join(page_texts(catalogue_pdf))
    first = samples.catalogue_entry(1)
    # 密级 is left blank for a document that has none (DA/T 22-2015).
    assert f"1J012-WS·2026-Y-BGS-0001县政办发〔2026〕1号{first.responsible}{first.title}202601082" in text
    assert "非涉密" not in text
    for n in range(1, 121):
        assert text.count(f"J012-WS·2026-Y-BGS-{n:04d}") == 1, n
    assert "120J012-WS·2026-Y-BGS-0120县政办发〔2026〕120号" in text
    assert "共120件" in text


def test_a_catalogue_without_org_code_has_the_short_archive_code() -> None:
    data = dataclasses.replace(samples.archive_catalogue(2), org_code=None, org_name="", retention="D10")
    text = compact(page_text(render_archive_catalogue(data)))
    assert "J012-WS·2026-D10-0001" in text and "保管期限：定期10年" in text and "机构（问题）" not in text


def test_the_catalogue_refuses_duplicate_items_and_bad_headers() -> None:
    entry = samples.catalogue_entry(1)
    with pytest.raises(ValidationError, match="件号不能重复"):
        ArchiveCatalogueData("J012", 2026, "Y", (entry, entry))
    with pytest.raises(ValidationError):
        ArchiveCatalogueData("J012", 2026, "Y", (entry,), org_code="BG")
    empty = compact(page_text(render_archive_catalogue(ArchiveCatalogueData("J012", 2026, "D30"))))
    assert "本目录尚无归档文件" in empty and "保管期限：定期30年" in empty


def test_the_catalogue_is_bound_with_its_cover_and_ends_with_its_notes_sheet(catalogue_pdf: bytes) -> None:
    pages = reader(catalogue_pdf).pages
    cover, notes = compact(pages[0].extract_text()), compact(pages[-1].extract_text())
    assert cover == "归档文件目录全宗名称：青山县人民政府办公室全宗号：J012年度：2026保管期限：永久机构（问题）：办公室"
    assert float(pages[0].mediabox.width) > float(pages[0].mediabox.height)  # bound with the landscape 目录
    assert notes.startswith("备考表盒内文件情况说明")
    assert "本目录收录2026年度保管期限为永久的归档文件共120件（件号0001至0120）" in notes
    for label in ("整理人：", "整理日期：", "检查人：", "检查日期："):
        assert label in notes
    assert float(pages[-1].mediabox.width) < float(pages[-1].mediabox.height)  # A4 upright, to go in the box
    # Neither carries a page number: “第 N 页 共 M 页” counts the 目录's own pages.
    assert not PAGE_NUMBER.findall(cover) and not PAGE_NUMBER.findall(notes)
    assert_sound(catalogue_pdf)


def test_the_notes_sheet_names_who_filed_the_documents_and_each_remark() -> None:
    data = samples.archive_catalogue(3)
    entries = [
        dataclasses.replace(e, archived_by=name, archived_on=date(2027, 1, day), pages=4, remark=remark)
        for e, name, day, remark in zip(
            data.entries, ["李文秘", "张文秘", "李文秘"], [5, 6, 7], ["", "附件缺第3页，已向来文单位索取", ""],
            strict=True,
        )
    ]
    notes = compact(reader(render_archive_catalogue(dataclasses.replace(data, entries=tuple(entries)))).pages[-1]
                    .extract_text())
    assert "共3件（件号0001至0003），计12页。" in notes
    assert "件号0002：附件缺第3页，已向来文单位索取" in notes
    assert "整理人：李文秘、张文秘" in notes and "整理日期：2027年1月7日" in notes
    assert notes.endswith("检查人：检查日期：")


# ----- 公文运转及差错情况通报 --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notice_pdf() -> bytes:
    return render_document_notice(samples.document_notice())


def test_the_notice_reads_as_an_official_notice(notice_pdf: bytes) -> None:
    texts = page_texts(notice_pdf)
    # A paragraph may run over a page; its halves are read without the page number between them.
    text = re.sub(r"—\d+—", "", "".join(texts))
    assert text.startswith("关于2026年第三季度公文运转及差错情况的通报各乡镇人民政府，县政府各部门：")
    assert_present(
        text,
        (
            "县政府办公室对2026年第三季度（7月1日至9月30日）各单位公文运转及差错情况进行了统计。现将有关情况通报如下：",
            "一、总体情况",
            "本季度，纳入统计的10个单位共办理公文308件，平均每环节用时1.6个工作日；退回14次；"
            "登记差错18处，其中格式差错8处、文字差错7处、文种差错2处、程序差错1处；逾期公文3件，超时环节4环节次。",
            "县交通运输局、县应急管理局、石门镇人民政府公文办理规范、及时",
            "差错较多的单位是县教育局（6处）、县发展和改革局（4处）、县财政局（3处）",
            "二、各单位公文运转情况",
            "2026年第三季度各单位公文运转及差错情况统计表",
            # Each figure's unit in its heading: the time per step is in working days, not 天.
            "单位办理公文（件）平均每环节用时（工作日）退回（次）差错（处）逾期公文（件）超时环节（环节次）格式文字文种程序",
            "县教育局292.44321012",
            "合计3081.614872134",
            # The 说明 defines every figure the summary, the table and section 三 use.
            "说明：1.办理公文（件）：本季度内有流转、办结或退回记录",
            "5.逾期公文（件）：本季度内有办理环节超过时限才完成，或截至统计截止日仍停留在已超过时限的环节的公文",
            "6.超时环节（环节次）：",
            "7.逾期时间按工作日计算：",
            "三、逾期公文情况",
            "本季度逾期公文共3件，超时环节共4环节次，具体如下：",
            "1.县发展和改革局承办的《关于报送2026年第二批中央预算内投资项目建设进度的通知》（县政办发〔2026〕35号）："
            "承办环节时限为2026年9月15日，2026年9月22日完成，超时5个工作日。",
            "2.县教育局承办的《关于做好2026年秋季学期学生资助工作的通知》（县政办发〔2026〕41号）："
            "核稿环节时限为2026年9月10日，2026年9月11日完成，超时1个工作日；"
            "承办环节时限为2026年9月18日，2026年9月24日完成，超时3个工作日。",
            "3.县住房和城乡建设局承办的《关于开展城镇燃气安全专项整治的通知》（县政办发〔2026〕47号）："
            "承办环节时限为2026年9月25日，截至2026年9月30日尚未完成，超时3个工作日。",
            "四、有关要求",
            "对尚未办结的逾期公文，请有关单位抓紧办理",
        ),
    )
    assert texts[-1].endswith(f"青山县人民政府办公室2026年10月15日—{len(texts)}—")
    assert "（天）" not in text and "逾期办理公文" not in text
    assert_sound(notice_pdf)


def test_the_notice_pages_are_numbered_the_gb_way(notice_pdf: bytes) -> None:
    texts = page_texts(notice_pdf)
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert text.endswith(f"—{number}—")


def test_the_title_breaks_into_a_trapezium() -> None:
    lines = title_lines(2026, 3, resolve_fonts())
    assert lines == ["关于2026年第三季度公文运转", "及差错情况的通报"]


def test_a_clean_quarter_is_worded_as_such() -> None:
    rows = (NoticeUnitRow("县财政局", 10, 1.0), NoticeUnitRow("县教育局", 0, None))
    data = DocumentNoticeData("青山县人民政府办公室", 2026, 4, date(2027, 1, 10), rows)
    assert summary_paragraph(data) == (
        "本季度，纳入统计的2个单位共办理公文10件，平均每环节用时1.0个工作日；未发生退回；未登记差错；无逾期公文。"
    )
    # A unit that handled nothing is not praised for handling it well.
    assert assessment_paragraph(data) == "从各单位情况看，县财政局公文办理规范、及时，本季度未发生退回、差错和逾期。"
    text = compact(page_text(render_document_notice(data)))
    assert "关于2026年第四季度公文运转及差错情况的通报" in text
    assert "（10月1日至12月31日）" in text
    # No step completed: its average is a dash, not 0.0 days.
    assert "县教育局0—000000" in text
    assert "本季度没有逾期公文：各办理环节均在时限内完成，截至2026年12月31日也没有超过时限仍未完成的环节。" in text
    assert "对尚未办结的逾期公文" not in text


def test_overdue_lines_cite_title_then_number_then_each_late_step() -> None:
    item = OverdueItem(
        "县财政局", "关于某事的通知", None,
        (LateStepItem("签发", date(2026, 8, 28), 2, date(2026, 9, 1)), LateStepItem("编号", date(2026, 9, 2), 20)),
    )
    assert overdue_lines([item], date(2026, 9, 30)) == [
        "1. 县财政局承办的《关于某事的通知》：签发环节时限为2026年8月28日，2026年9月1日完成，超时2个工作日；"
        "编号环节时限为2026年9月2日，截至2026年9月30日尚未完成，超时20个工作日。"
    ]


def test_the_list_must_agree_with_the_table() -> None:
    """Q3 once said 逾期办理公文30件 in the summary and 无逾期情况 in section 三: such data is refused."""
    sample = samples.document_notice()
    with pytest.raises(ValidationError, match="前后不一致"):
        dataclasses.replace(sample, overdue_items=())
    with pytest.raises(ValidationError, match="前后不一致"):
        dataclasses.replace(sample, overdue_items=sample.overdue_items[:2])
    one_step_short = (sample.overdue_items[0], sample.overdue_items[0], sample.overdue_items[2])
    with pytest.raises(ValidationError, match="超时环节4环节次"):
        dataclasses.replace(sample, overdue_items=one_step_short)
    with pytest.raises(ValidationError, match="超过时限的环节"):
        dataclasses.replace(sample.overdue_items[2], steps=())
    with pytest.raises(ValidationError, match="超时环节"):
        NoticeUnitRow("县财政局", 3, 1.0, overdue=2, late_steps=1)


def test_the_average_weighs_documents_unless_given() -> None:
    rows = (NoticeUnitRow("甲", 30, 1.0), NoticeUnitRow("乙", 10, 3.0), NoticeUnitRow("丙", 5, None))
    data = DocumentNoticeData("办公室", 2026, 1, date(2026, 4, 10), rows)
    assert "平均每环节用时1.5个工作日" in summary_paragraph(data)
    assert "平均每环节用时2.2个工作日" in summary_paragraph(dataclasses.replace(data, overall_avg_step_days=2.2))


def test_the_signature_follows_gb_9704() -> None:
    """§7.3.5.2: the office two characters in from the right; the date two characters right of its start,
    or, when that would run past, two in from the right with the office moved left to keep the step."""
    em = SIZE_3
    fonts = resolve_fonts()
    width = 156 * mm
    long_name = Signature("青山县人民政府办公室机关事务管理中心", date(2026, 10, 5), fonts)
    long_name.wrap(width, 100)
    office_x, date_x = long_name.positions()
    assert office_x + fonts.string_width(long_name.office, fonts.fang, em) == pytest.approx(width - 2 * em)
    assert date_x == pytest.approx(office_x + 2 * em)
    short_name = Signature("县政府办", date(2026, 10, 15), fonts)
    short_name.wrap(width, 100)
    office_x, date_x = short_name.positions()
    assert date_x + fonts.string_width(short_name.when, fonts.fang, em) == pytest.approx(width - 2 * em)
    assert date_x == pytest.approx(office_x + 2 * em)


@pytest.mark.parametrize("quarter", [0, 5])
def test_the_quarter_must_exist(quarter: int) -> None:
    with pytest.raises(ValidationError):
        dataclasses.replace(samples.document_notice(), quarter=quarter)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValidationError):
        NoticeUnitRow("县财政局", -1, 1.0)


# ----- all forms ------------------------------------------------------------------------------------

FORMS: dict[str, tuple[str, Callable[[], Any]]] = {
    "outgoing-draft": ("发文稿纸", samples.outgoing_draft),
    "incoming-slip": ("收文处理笺", samples.incoming_slip),
    "receipt-register": ("收文登记簿", samples.receipt_register),
    "archive-stamps": ("归档章", samples.archive_stamps),
    "archive-catalogue": ("归档文件目录", samples.archive_catalogue),
    "document-notice": ("公文运转及差错情况通报", samples.document_notice),
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_each_form_is_registered_without_a_loader(name: str) -> None:
    title, sample = FORMS[name]
    registry = default_registry()
    spec = registry.get(name)
    assert spec.title == title
    assert spec.loader is None
    assert registry.render(name, sample()).startswith(b"%PDF")


@pytest.mark.parametrize(
    "dataclass_type",
    [OutgoingDraftData, CosignOpinion, TrailEntry, CirculationRecord, ArchiveStamp, ArchiveStampSheet,
     CatalogueEntry, ArchiveCatalogueData, ReceiptRegisterData, DocumentNoticeData, NoticeUnitRow, OverdueItem,
     LateStepItem],
)  # fmt: skip
def test_the_data_are_plain_frozen_dataclasses(dataclass_type: type) -> None:
    assert dataclasses.is_dataclass(dataclass_type)
    assert dataclass_type.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_every_sample_string_has_its_glyphs() -> None:
    fonts = resolve_fonts()

    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return [s for f in dataclasses.fields(value) for s in strings(getattr(value, f.name))]
        if isinstance(value, tuple | list):
            return [s for item in value for s in strings(item)]
        return []

    for _, sample in FORMS.values():
        for text in strings(sample()):
            assert fonts.missing(text, fonts.fang) == set(), text
            assert fonts.missing(text, fonts.song) == set(), text


@needs_pdftoppm
@pytest.mark.parametrize("name", ["incoming-slip"])
def test_the_forms_stay_inside_the_type_area(name: str, tmp_path: Path) -> None:
    """A one-page form carries no page number, so nothing at all is drawn outside the 156 × 225 mm 版心."""
    pdf = default_registry().render(name, FORMS[name][1]())
    (image,) = render_png(pdf, tmp_path, dpi=50)
    assert ink_outside(image, GB_TYPE_AREA, 50) == []


@needs_pdftoppm
def test_the_draft_sheet_keeps_to_the_type_area_but_for_its_page_numbers(draft_pdf: bytes, tmp_path: Path) -> None:
    """The sample's 办理记录 runs on to a second page: only the page numbers (GB/T 9704 §7.5) lie outside."""
    for image in render_png(draft_pdf, tmp_path, dpi=50):
        assert ink_outside(image, (28.0, 37.0, 184.0, 262.0 + 7 + 6), 50) == []


@needs_pdftoppm
def test_the_notice_keeps_to_the_type_area_but_for_its_page_numbers(notice_pdf: bytes, tmp_path: Path) -> None:
    for image in render_png(notice_pdf, tmp_path, dpi=50):
        # The page number sits 7 mm under the 版心 (GB/T 9704 §7.5): allow the band it takes.
        assert ink_outside(image, (28.0, 37.0, 184.0, 262.0 + 7 + 6), 50) == []


@needs_pdftoppm
@pytest.mark.parametrize("name", ["receipt-register", "archive-catalogue"])
def test_the_ledgers_keep_to_their_type_area(name: str, tmp_path: Path) -> None:
    """Landscape: the 225 × 156 mm 版心 from 35 mm left and 28 mm top, with the page count under it."""
    pdf = default_registry().render(name, FORMS[name][1]())
    for image in render_png(pdf, tmp_path, dpi=40)[:2]:
        assert ink_outside(image, (35.0, 28.0, 35.0 + 225.0, 28.0 + 156.0 + 7 + 6), 40) == []


@needs_pdftoppm
def test_the_stamp_sheet_keeps_to_the_type_area(stamps_pdf: bytes, tmp_path: Path) -> None:
    (image,) = render_png(stamps_pdf, tmp_path, dpi=50)
    assert ink_outside(image, GB_TYPE_AREA, 50) == []
