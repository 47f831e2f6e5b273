"""费用报销单: its text and amounts, the signatures, fonts, long claims, the receipts appended, and its layout."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas

from app.core.errors import ValidationError
from app.core.money import amount_in_words, format_amount
from app.printing.claims.form import (
    ClaimFormData,
    ClaimFormLine,
    Receipt,
    amount_text,
    receipt_pdf,
    render_claim_form_pdf,
    signature_name,
    title_lines,
)
from app.printing.kit.fonts import resolve_fonts
from tests.helpers.pdfcheck import (
    assert_fonts_embedded,
    assert_no_missing_glyphs,
    compact,
    needs_pdftoppm,
    page_text,
    reader,
    render_png,
)
from tests.helpers.print_samples import CAPTIONS, claim, signatures

GB_TYPE_AREA_MM = (28.0, 37.0, 28.0 + 156.0, 37.0 + 225.0)


def one_line_claim(total: Decimal, **changes: object) -> ClaimFormData:
    line = ClaimFormLine("办公用品采购", "办公费", total)
    return claim(lines=(line,), total=total, advance=Decimal(0), refund=Decimal(0), top_up=total, **changes)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    paid = claim(payment_method="银行转账", paid_on=date(2026, 11, 28), voucher_number="记-0153")
    return render_claim_form_pdf(paid)


# ----- receipts, made here ------------------------------------------------------------------------------


def png_bytes(width: int, height: int, colour: tuple[int, ...] = (200, 30, 30), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_bytes(pages: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5)
    for number in range(1, pages + 1):
        canvas.drawString(72, 400, f"INVOICE PAGE {number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


DOCX = Receipt("会议通知.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04")


# ----- the form -----------------------------------------------------------------------------------------


def test_the_form_says_everything(pdf: bytes) -> None:
    text = compact(page_text(pdf))
    assert text.startswith("审批中青山县人民政府办公室费用报销单")
    for expected in (
        "报销部门：综合科",
        "填报日期：2026年11月20日",
        "单号：BX2026-00012",
        "附单据5张",
        "摘要费用类别金额（元）",
        "11月18日至19日赴市财政局参加2026年度部门预算编制培训会往返高铁票差旅费236.00",
        "住宿费（1晚）差旅费380.00",
        "伙食补助、市内交通补助差旅费200.00",
        "打印纸、墨盒办公费593.50",
        "合计￥1,409.50",
        "合计人民币（大写）壹仟肆佰零玖元伍角整",
        "原借款1,000.00应退—应补409.50",
        "付款方式银行转账付款日期2026年11月28日记账凭证号记-0153",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("total", "words"),
    [
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ],
)
def test_the_capitals_printed_are_those_of_the_money_rules(total: str, words: str) -> None:
    amount = Decimal(total)
    text = compact(page_text(render_claim_form_pdf(one_line_claim(amount))))
    assert amount_in_words(amount) == words  # DOMAIN.md §5's own examples
    assert f"合计人民币（大写）{amount_in_words(amount)}" in text
    assert f"合计￥{format_amount(amount)}" in text
    assert f"应补{format_amount(amount)}" in text


def test_approvers_names_and_dates_are_printed_and_blank_boxes_keep_their_captions(pdf: bytes) -> None:
    text = compact(page_text(pdf))
    assert "".join(CAPTIONS) in text  # the caption row, in the order given
    assert "张三2026-11-20李四2026-11-20王会计2026-11-25" in text
    everyone = claim(
        signatures=signatures(
            ("张三", date(2026, 11, 20)),
            ("李四", date(2026, 11, 20)),
            ("王会计", date(2026, 11, 25)),
            ("赵县长", date(2026, 11, 26)),
            ("钱出纳", date(2026, 11, 28)),
            ("张三", date(2026, 11, 28)),
        ),
        state_label="已办结",
    )
    text = compact(page_text(render_claim_form_pdf(everyone)))
    assert "赵县长2026-11-26钱出纳2026-11-28张三2026-11-28" in text
    assert text.startswith("已办结")


def test_several_leaders_share_one_box_one_name_to_a_line() -> None:
    both = claim(
        signatures=signatures(
            ("张三", date(2026, 11, 20)),
            ("李四", date(2026, 11, 20)),
            ("王会计", date(2026, 11, 25)),
            ("赵副县长、钱县长", date(2026, 11, 27)),
        )
    )
    assert signature_name("赵副县长、钱县长") == "赵副县长、\n钱县长"
    pdf = render_claim_form_pdf(both)
    assert "赵副县长、钱县长2026-11-27" in compact(page_text(pdf))
    assert len(reader(pdf).pages) == 1


def test_an_unsigned_form_has_only_the_captions_and_no_payment_row() -> None:
    text = compact(page_text(render_claim_form_pdf(claim(signatures=signatures(), state_label=""))))
    assert text.endswith("".join(CAPTIONS))
    assert "2026-11" not in text
    assert "付款方式" not in text
    assert text.startswith("青山县人民政府办公室费用报销单")


def test_zero_amounts_are_dashed_alike() -> None:
    assert amount_text(Decimal("0.00")) == "—"
    assert amount_text(Decimal("12.5")) == "12.50"
    repaid = claim(advance=Decimal("2000"), refund=Decimal("590.50"), top_up=Decimal("0"))
    assert "原借款2,000.00应退590.50应补—" in compact(page_text(render_claim_form_pdf(repaid)))
    none = claim(advance=Decimal("0"), refund=Decimal("0"), top_up=Decimal("1409.50"))
    assert "原借款—应退—应补1,409.50" in compact(page_text(render_claim_form_pdf(none)))


def test_one_page_with_embedded_fonts_and_no_missing_glyph(pdf: bytes) -> None:
    assert len(reader(pdf).pages) == 1
    assert "— 1 —" not in page_text(pdf)
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def test_a_name_outside_gb2312_still_prints() -> None:
    rare = claim(claimant_name="李喆", signatures=signatures(("李喆", date(2026, 11, 20)), ("王堃", date(2026, 11, 21))))
    pdf = render_claim_form_pdf(rare)
    assert "李喆2026-11-20王堃2026-11-21" in compact(page_text(pdf))
    assert_no_missing_glyphs(pdf)


def test_forty_lines_run_on_to_a_second_page_with_the_headings_repeated() -> None:
    lines = tuple(
        ClaimFormLine(f"第{n}项：下乡调研租车及过路过桥费用（第{n}次）", "交通费", Decimal("100.25")) for n in range(1, 41)
    )
    total = Decimal("100.25") * 40
    data = claim(lines=lines, total=total, advance=Decimal(0), refund=Decimal(0), top_up=total)
    pdf = render_claim_form_pdf(data)
    pages = [compact(page.extract_text()) for page in reader(pdf).pages]
    assert len(pages) >= 2
    text = "".join(pages)
    for n in range(1, 41):
        assert f"第{n}项：下乡调研租车及过路过桥费用（第{n}次）" in text, n
    assert all("摘要费用类别金额（元）" in page for page in pages)
    assert "合计人民币（大写）肆仟零壹拾元整" in pages[-1]
    assert "— 1 —" in page_text(pdf) and "— 2 —" in page_text(pdf)
    assert_no_missing_glyphs(pdf)


def test_long_text_wraps_and_nothing_is_lost() -> None:
    long = claim(
        office_name="青山县人民政府办公室机关事务服务中心后勤保障与财务核算科",
        unit_name="县政府办公室综合科（县政府督查室、县政府研究室合署办公）",
        number="BX2026-000000012345",
    )
    assert len(title_lines(long.office_name, resolve_fonts())) == 2
    text = compact(page_text(render_claim_form_pdf(long)))
    for expected in (
        "青山县人民政府办公室机关事务服务中心后勤保障与财务核算科费用报销单",
        "县政府办公室综合科（县政府督查室、县政府研究室合署办公）",
        "BX2026-000000012345",
        "附单据5张",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"total": Decimal("1400.00")}, "total"),
        ({"top_up": Decimal("400.00")}, "refund"),
        ({"advance": Decimal("-1")}, "advance"),
        ({"total": Decimal("1409.505")}, "total"),
        ({"receipts_count": -1}, "receipts_count"),
    ],
)
def test_a_claim_that_does_not_add_up_is_refused(change: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        claim(**change)
    assert error.value.field == field


# ----- receipts -----------------------------------------------------------------------------------------


def test_receipts_follow_the_form_one_image_page_the_pdf_pages_and_a_note_for_the_rest(pdf: bytes) -> None:
    form_pages = len(reader(pdf).pages)
    receipts = (
        Receipt("高铁票.png", "image/png", png_bytes(300, 120)),
        Receipt("住宿发票.pdf", "application/pdf", pdf_bytes(2)),
        DOCX,
    )
    data = claim(payment_method="银行转账", paid_on=date(2026, 11, 28), voucher_number="记-0153", receipts=receipts)
    with_receipts = render_claim_form_pdf(data, include_receipts=True)
    pages = [compact(page.extract_text()) for page in reader(with_receipts).pages]
    assert len(pages) == form_pages + 1 + 2 + 1
    assert pages[form_pages] == "附件1：高铁票.png"
    assert pages[form_pages + 1] == "INVOICEPAGE1" and pages[form_pages + 2] == "INVOICEPAGE2"
    assert "附件3：会议通知.docx" in pages[-1]
    assert "文件“会议通知.docx”无法附入打印，请单独打印" in pages[-1]
    metadata = reader(with_receipts).metadata
    assert metadata is not None and metadata.title == "费用报销单 BX2026-00012"
    # Without the flag the receipts are left out, whatever the data holds.
    assert len(reader(render_claim_form_pdf(data)).pages) == form_pages


def test_a_jpeg_and_a_transparent_png_are_drawn() -> None:
    receipts = (
        Receipt("发票.jpg", "image/jpeg", jpeg_bytes(120, 200)),
        Receipt("签收单.png", "IMAGE/PNG", png_bytes(50, 50, (0, 0, 0, 0), mode="RGBA")),
    )
    pdf = render_claim_form_pdf(claim(receipts=receipts), include_receipts=True)
    pages = reader(pdf).pages
    assert len(pages) == 3
    for page in pages[1:]:
        resources: Any = page["/Resources"]
        assert resources["/XObject"], "no image on the receipt page"


@pytest.mark.parametrize(
    "receipt",
    [
        Receipt("损坏.png", "image/png", png_bytes(300, 120)[:60]),
        Receipt("损坏.jpg", "image/jpeg", jpeg_bytes(300, 120)[:200]),
        Receipt("损坏.pdf", "application/pdf", b"%PDF-1.4 this is not a PDF"),
        Receipt("空文件.pdf", "application/pdf", b""),
        Receipt("无类型", "", b"\x00\x01"),
    ],
    ids=["png", "jpeg", "pdf", "empty-pdf", "no-type"],
)
def test_a_damaged_or_unknown_receipt_becomes_a_page_saying_so(receipt: Receipt) -> None:
    pdf = render_claim_form_pdf(claim(receipts=(receipt,)), include_receipts=True)
    pages = [compact(page.extract_text()) for page in reader(pdf).pages]
    assert len(pages) == 2
    assert f"文件“{receipt.filename}”无法附入打印，请单独打印" in pages[1]


def test_the_note_page_uses_embedded_fonts_that_have_every_glyph() -> None:
    note = receipt_pdf(3, DOCX)
    assert_fonts_embedded(note)
    assert_no_missing_glyphs(note)
    assert "不支持打印此类文件" in compact(page_text(note))


# ----- how it looks ---------------------------------------------------------------------------------------


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


@needs_pdftoppm
def test_the_form_keeps_to_the_type_area(pdf: bytes, tmp_path: Path) -> None:
    (image,) = render_png(pdf, tmp_path, dpi=50)
    assert ink_outside(image, GB_TYPE_AREA_MM, 50) == []


@needs_pdftoppm
def test_an_image_receipt_fills_the_type_area_keeping_its_shape(tmp_path: Path) -> None:
    """A 2:1 red image is scaled to the 156 mm width of the 版心, so it is 78 mm high."""
    dpi = 50
    receipt = Receipt("宽幅发票.png", "image/png", png_bytes(400, 200))
    (image,) = render_png(receipt_pdf(1, receipt), tmp_path, dpi=dpi)
    assert ink_outside(image, GB_TYPE_AREA_MM, dpi) == []
    data = image.tobytes()

    def is_red(x: int, y: int) -> bool:
        r, g, b = data[3 * (y * image.width + x) : 3 * (y * image.width + x) + 3]
        return r > 150 and g < 80 and b < 80

    red = [(x, y) for y in range(image.height) for x in range(image.width) if is_red(x, y)]
    xs, ys = [x for x, _ in red], [y for _, y in red]
    per_mm = dpi / 25.4
    assert (max(xs) - min(xs) + 1) / per_mm == pytest.approx(156, abs=1.5)
    assert (max(ys) - min(ys) + 1) / per_mm == pytest.approx(78, abs=1.5)
