"""费用报销单: the reimbursement claim as an office fills it in by hand, optionally followed by its receipts.

The form copies the paper pad (DOMAIN.md §5), top to bottom: the title; 报销部门, 填报日期, 单号 and 附单据 N 张;
the ruled list of line items (摘要 | 费用类别 | 金额), padded with empty rows as on paper; 合计 in figures and in
capitals (大写, which is what makes an accounting voucher legally binding); 原借款, 应退 and 应补; how and when it
was paid; and the six signature boxes, carrying the names and dates of the approval workflow.

The line items are a table of their own, so that a long claim runs on to the next page with the column
headings repeated instead of being cut; everything from 原借款 down is kept together, so the signatures never
stand on a page apart from the amounts they approve.

With ``include_receipts`` the receipts follow the form in the same PDF: each image on an A4 page of its own,
each PDF's pages as they are, and for anything that cannot be printed a page that says so. A bad attachment
must never stop the claim itself from printing.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pypdf import PasswordType, PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.core.errors import ValidationError
from app.core.file_content import MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, image_size, image_too_large
from app.core.money import amount_in_words, format_amount
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    ALIGNMENTS,
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    PAGE_HEIGHT,
    SIZE_2,
    SIZE_3,
    SIZE_5,
    SIZE_SMALL_4,
    TOP_MARGIN,
    TYPE_AREA_HEIGHT,
    TYPE_AREA_WIDTH,
    build_pdf,
    cjk_style,
    draw_text,
    enable_chinese_line_breaking,
    format_cn_date,
)
from app.printing.kit.table_form import (
    CELL_PAD_X,
    INNER_RULE,
    LABEL_SHADE,
    OUTER_RULE,
    RULE_COLOR,
    Align,
    ruled_style,
)

log = logging.getLogger(__name__)

FORM_NAME = "费用报销单"

TEXT_SIZE = SIZE_SMALL_4
# Figures, dates and numbers shrink to this before they wrap: a wrapped amount is easily misread.
MIN_FIT_SIZE = 8.0
# With 小四 text this makes a one-line row about 9.5 mm high, the ruling of the printed pads.
ROW_PAD_Y = 5.0
MIN_ITEM_ROWS = 6

# 摘要 spans the first two columns; the 大写 row uses the first for its label and the rest for the words.
ITEM_COLUMNS_MM = (42.0, 44.0, 32.0, 38.0)
# 原借款 | figure | 应退 | figure | 应补 | figure; the 应补 figure stands under the 金额 column.
ADVANCE_COLUMNS_MM = (22.0, 34.0, 16.0, 30.0, 16.0, 38.0)
# Labels of up to five characters (记账凭证号) at 小四 fit on one line.
PAYMENT_COLUMNS_MM = (24.0, 26.0, 24.0, 34.0, 26.0, 22.0)
SIGNATURES_PER_ROW = 6
# Room for a signature by pen when the box is blank.
SIGNATURE_HEIGHT = 20 * mm

NO_AMOUNT = "—"
YUAN_SIGN = "\uffe5"  # ￥, full width: the bundled Song face has no half-width ¥

PDF_TYPE = "application/pdf"
IMAGE_TYPES = frozenset({"image/jpeg", "image/jpg", "image/pjpeg", "image/png"})


@dataclass(frozen=True)
class ClaimFormLine:
    summary: str  # 摘要
    category: str  # 费用类别, e.g. 差旅费
    amount: Decimal


@dataclass(frozen=True)
class Signature:
    """One signature box. An empty name leaves the box blank for a pen."""

    caption: str  # 报销人, 部门负责人, 财务审核, 单位领导, 出纳, 领款人
    name: str
    on: date | None


@dataclass(frozen=True)
class Receipt:
    filename: str
    mime_type: str  # image/jpeg, image/png and application/pdf can be printed; anything else cannot
    data: bytes


@dataclass(frozen=True)
class ClaimFormData:
    office_name: str  # printed in the title: “<office_name>费用报销单”
    number: str  # 单号, e.g. BX2026-00012
    unit_name: str  # 报销部门
    claimant_name: str  # 报销人
    claim_date: date  # 填报日期
    receipts_count: int  # 附单据 N 张
    lines: tuple[ClaimFormLine, ...]
    total: Decimal
    advance: Decimal  # 原借款
    refund: Decimal  # 应退 (advance > total)
    top_up: Decimal  # 应补 (total > advance)
    signatures: tuple[Signature, ...]  # the boxes, in the order printed
    state_label: str = ""  # e.g. 已办结: printed small at the top right when set
    payment_method: str = ""
    paid_on: date | None = None
    voucher_number: str = ""  # 记账凭证号
    receipts: tuple[Receipt, ...] = ()

    def __post_init__(self) -> None:
        # A voucher whose figures do not add up must not reach paper: it would be signed as it stands.
        amounts = [("total", self.total), ("advance", self.advance), ("refund", self.refund)]
        amounts += [("top_up", self.top_up)] + [("lines", line.amount) for line in self.lines]
        for field, amount in amounts:
            try:
                format_amount(amount)
            except (TypeError, ValueError) as exc:
                raise ValidationError(f"金额不正确：{exc}", field=field) from exc
            if amount < 0:
                raise ValidationError("金额不能为负数", field=field)
        if self.receipts_count < 0:
            raise ValidationError("附单据张数不能为负数", field="receipts_count")
        items = sum((line.amount for line in self.lines), Decimal(0))
        if items != self.total:
            raise ValidationError(
                f"明细金额合计{format_amount(items)}元与报销金额{format_amount(self.total)}元不符", field="total"
            )
        zero = Decimal(0)
        if self.refund != max(self.advance - self.total, zero) or self.top_up != max(self.total - self.advance, zero):
            raise ValidationError("应退、应补金额与原借款、报销金额不符", field="refund")


# ----- text in cells ------------------------------------------------------------------------------------


def amount_text(amount: Decimal) -> str:
    """原借款, 应退 and 应补 as printed: a dash for nothing, so no one can write a figure in later."""
    return format_amount(amount) if amount else NO_AMOUNT


def signature_name(name: str) -> str:
    """Several signers of one box (分管 then 主要 leader: 张三、李四) stand one to a line, as each would sign."""
    return "、\n".join(part.strip() for part in name.split("、") if part.strip())


def signature_date(on: date | None) -> str:
    # yyyy-mm-dd: the box is 26 mm wide and a full 2026年11月20日 would wrap.
    return on.isoformat() if on else ""


def title_lines(office_name: str, fonts: FontSet, width: float = TYPE_AREA_WIDTH) -> list[str]:
    """“<office>费用报销单” on one line when it fits at 二号 黑体, else the office name above the form's name."""
    office = office_name.strip()
    one_line = office + FORM_NAME
    if not office or fonts.string_width(one_line, fonts.hei, SIZE_2) <= width:
        return [one_line]
    return [office, FORM_NAME]


class _Cells:
    """Paragraphs for table cells, in 宋体, wrapping CJK text; short values shrink to their cell first."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        enable_chinese_line_breaking()

    def style(self, size: float, align: Align, *, hang: bool = True) -> ParagraphStyle:
        return cjk_style(
            f"claim-{align}-{size:.2f}-{hang}",
            self.fonts.song,
            size,
            size * 1.4,
            ALIGNMENTS[align],
            # A comma that may not start a line hangs past the line end; half an em keeps its ink off the rule.
            rightIndent=size * 0.5 if align == "left" and hang else 0,
        )

    def fitted_size(self, text: str, room: float, size: float) -> float:
        natural = max(self.fonts.string_width(line, self.fonts.song, size) for line in text.split("\n"))
        if natural <= room:
            return size
        return max(MIN_FIT_SIZE, size * room / natural * 0.99)

    def text(
        self, text: str, *, align: Align = "left", size: float = TEXT_SIZE, fit_width: float | None = None
    ) -> Paragraph:
        """A cell's text. With fit_width (the cell's width) a one-line value shrinks to fit before it wraps."""
        if fit_width is not None:
            size = self.fitted_size(text, fit_width - 2 * CELL_PAD_X, size)
        style = self.style(size, align)
        return Paragraph(self.fonts.markup(text, style.fontName), style)

    def label(self, text: str, width: float | None = None) -> Paragraph:
        return self.text(text, align="center", fit_width=width)


def _ruled_style(fonts: FontSet) -> list[tuple[object, ...]]:
    # Each band draws its own frame (_band_style), as the bands may run onto another page.
    return ruled_style(fonts.song, ROW_PAD_Y, ROW_PAD_Y, CELL_PAD_X, box=False) + [
        ("FONTSIZE", (0, 0), (-1, -1), TEXT_SIZE),
        ("LEADING", (0, 0), (-1, -1), TEXT_SIZE * 1.4),  # an empty row as high as a row of text
    ]


def _band_style(fonts: FontSet, *, first: bool, last: bool) -> list[tuple[object, ...]]:
    """A band of the form below the line items: ruled inside, framed at the sides, closed at the foot if last.

    Its top rule is drawn even though the band above ends on the same line, because the bands may start a
    new page.
    """
    return _ruled_style(fonts) + [
        ("LINEBEFORE", (0, 0), (0, -1), OUTER_RULE, RULE_COLOR),
        ("LINEAFTER", (-1, 0), (-1, -1), OUTER_RULE, RULE_COLOR),
        ("LINEABOVE", (0, 0), (-1, 0), OUTER_RULE if first else INNER_RULE, RULE_COLOR),
        ("LINEBELOW", (0, -1), (-1, -1), OUTER_RULE if last else INNER_RULE, RULE_COLOR),
    ]


# ----- the parts of the form ---------------------------------------------------------------------------


class _Heading(Flowable):
    """The title in 黑体 over a double rule, as on the printed pads, and the claim's state small at the top right."""

    def __init__(self, office_name: str, state_label: str, fonts: FontSet) -> None:
        super().__init__()
        self.fonts = fonts
        self.state_label = state_label.strip()
        self.lines = title_lines(office_name, fonts)
        widest = max(fonts.string_width(line, fonts.hei, SIZE_2) for line in self.lines)
        # Only an office name longer than the whole line comes to this: smaller, never cut.
        self.size = SIZE_2 if widest <= TYPE_AREA_WIDTH else SIZE_2 * TYPE_AREA_WIDTH / widest * 0.99
        self.leading = self.size * 1.35
        self.spaceAfter = 6
        self._width = TYPE_AREA_WIDTH

    @property
    def _mark_height(self) -> float:
        return SIZE_5 * 2 if self.state_label else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, self._mark_height + self.leading * len(self.lines) + 6

    def draw(self) -> None:
        canvas: Canvas = self.canv
        fonts = self.fonts
        _, height = self.wrap(self._width, 0)
        top = height
        if self.state_label:
            self._draw_mark(top)
            top -= self._mark_height
        widest = 0.0
        baseline = top
        for line in self.lines:
            baseline -= self.leading
            width = fonts.string_width(line, fonts.hei, self.size)
            widest = max(widest, width)
            draw_text(canvas, fonts, (self._width - width) / 2, baseline + self.size * 0.2, line, fonts.hei, self.size)
        # The double rule is as wide as the title, a little wider on each side.
        left, right = (self._width - widest) / 2 - self.size / 2, (self._width + widest) / 2 + self.size / 2
        canvas.saveState()
        canvas.setLineWidth(1.0)
        canvas.line(left, 4.5, right, 4.5)
        canvas.setLineWidth(0.5)
        canvas.line(left, 2.0, right, 2.0)
        canvas.restoreState()

    def _draw_mark(self, top: float) -> None:
        """The state (已办结 …) in a thin frame, like a rubber stamp, shrunk if it is ever long."""
        fonts = self.fonts
        size = SIZE_5
        width = fonts.string_width(self.state_label, fonts.song, size)
        if width > self._width / 2:
            size *= self._width / 2 / width
            width = fonts.string_width(self.state_label, fonts.song, size)
        pad = 3.0
        box_height = size * 1.5
        left = self._width - width - 2 * pad
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(0.6)
        canvas.rect(left, top - box_height, width + 2 * pad, box_height)
        draw_text(canvas, fonts, left + pad, top - box_height + size * 0.4, self.state_label, fonts.song, size)
        canvas.restoreState()


def _info_row(data: ClaimFormData, fonts: FontSet, width: float = TYPE_AREA_WIDTH) -> Table:
    """报销部门, 填报日期, 单号 and 附单据 N 张 on the line above the table, the last at the right margin.

    When they do not fit on one line even at 五号, the department (the one free text) wraps in what the others
    leave; when that would be too narrow, the line becomes two: department and date, then number and receipts.
    """
    department = f"报销部门：{data.unit_name}"
    claimed = f"填报日期：{format_cn_date(data.claim_date)}"
    number = f"单号：{data.number}"
    receipts = f"附单据 {data.receipts_count} 张"
    cells = _Cells(fonts)

    def measure(text: str, size: float) -> float:
        return fonts.string_width(text, fonts.song, size) + 1  # reportlab wraps text measured to the point

    def para(text: str, size: float, align: Align) -> Paragraph:
        # The columns are measured to their text: the hanging indent of table cells would wrap them.
        return Paragraph(fonts.markup(text, fonts.song), cells.style(size, align, hang=False))

    rows: list[list[Flowable]]
    texts = [department, claimed, number, receipts]
    for size in (TEXT_SIZE, SIZE_5):
        gap = size
        widths = [measure(t, size) for t in texts]
        if sum(widths) + 3 * gap <= width:
            break
    rest = width - sum(widths[1:]) - 3 * gap
    if widths[0] > rest and rest >= width * 0.35:
        widths[0] = rest
    if widths[0] <= rest:
        # Equal gaps between the four; each column carries its gap on the right, the last one none.
        spare = (width - sum(widths)) / 3
        aligns: list[Align] = ["left", "left", "left", "right"]
        rows = [[para(t, size, a) for t, a in zip(texts, aligns, strict=True)]]
        col_widths = [w + spare for w in widths[:3]] + [widths[3]]
    else:
        right = min(max(measure(claimed, size), measure(receipts, size)), width / 2)
        rows = [
            [para(department, size, "left"), para(claimed, size, "right")],
            [para(number, size, "left"), para(receipts, size, "right")],
        ]
        col_widths = [width - right, right]
    table = Table(rows, colWidths=col_widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.song),  # else the page names Helvetica, never embedded
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _items_table(data: ClaimFormData, fonts: FontSet) -> Table:
    """Headings, one row per line item, empty rows to the pad's length, 合计 and the 大写 amount."""
    cells = _Cells(fonts)
    widths = [w * mm for w in ITEM_COLUMNS_MM]
    amount_width = widths[3]
    rows: list[list[Flowable | str]] = [
        [cells.label("摘\u3000\u3000要"), "", cells.label("费用类别"), cells.label("金额（元）", amount_width)]
    ]
    for line in data.lines:
        rows.append(
            [
                cells.text(line.summary),
                "",
                cells.text(line.category, align="center"),
                cells.text(format_amount(line.amount), align="right", fit_width=amount_width),
            ]
        )
    rows += [["", "", "", ""] for _ in range(MIN_ITEM_ROWS - len(data.lines))]
    total_row = len(rows)
    rows.append(
        [
            cells.label("合\u3000\u3000计"),
            "",
            "",
            cells.text(YUAN_SIGN + format_amount(data.total), align="right", fit_width=amount_width),
        ]
    )
    rows.append([cells.label("合计人民币（大写）", widths[0]), cells.text(amount_in_words(data.total)), "", ""])
    words_row = total_row + 1
    style = _ruled_style(fonts) + [
        # BOX, not LINEBEFORE/AFTER: reportlab closes the box of each part when the table splits over pages.
        ("BOX", (0, 0), (-1, -1), OUTER_RULE, RULE_COLOR),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE),
        ("SPAN", (0, total_row), (2, total_row)),
        ("BACKGROUND", (0, total_row), (2, total_row), LABEL_SHADE),
        ("SPAN", (1, words_row), (3, words_row)),
        ("BACKGROUND", (0, words_row), (0, words_row), LABEL_SHADE),
    ]
    style += [("SPAN", (0, r), (1, r)) for r in range(total_row)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _pairs_band(
    pairs: Sequence[tuple[str, str, Align]], columns_mm: Sequence[float], fonts: FontSet, *, first: bool, last: bool
) -> Table:
    """One row of label | value pairs (原借款 …, 付款方式 …)."""
    cells = _Cells(fonts)
    widths = [w * mm for w in columns_mm]
    row: list[Flowable | str] = []
    for index, (caption, text, align) in enumerate(pairs):
        row.append(cells.label(caption, widths[2 * index]))
        row.append(cells.text(text, align=align, fit_width=widths[2 * index + 1]))
    style = _band_style(fonts, first=first, last=last)
    style += [("BACKGROUND", (2 * i, 0), (2 * i, 0), LABEL_SHADE) for i in range(len(pairs))]
    table = Table([row], colWidths=widths)
    table.setStyle(TableStyle(style))
    return table


def _signature_band(signatures: Sequence[Signature], fonts: FontSet) -> Table:
    """The boxes, six to a row: the caption over a space holding the signer's name and date, or room for a pen."""
    cells = _Cells(fonts)
    per_row = min(SIGNATURES_PER_ROW, len(signatures))
    width = TYPE_AREA_WIDTH / per_row
    room = width - 2 * CELL_PAD_X
    rows: list[list[Flowable | str | list[Flowable]]] = []
    heights: list[float | None] = []
    style = _band_style(fonts, first=False, last=True)
    for start in range(0, len(signatures), per_row):
        group = list(signatures[start : start + per_row])
        captions: list[Flowable | str | list[Flowable]] = [cells.label(s.caption, width) for s in group]
        signed: list[Flowable | str | list[Flowable]] = []
        content_height = 0.0
        for signature in group:
            parts: list[Flowable] = []
            if signature.name:
                parts.append(cells.text(signature_name(signature.name), align="center", fit_width=width))
            if signature.on:
                parts.append(cells.text(signature_date(signature.on), align="center", size=SIZE_5, fit_width=width))
            content_height = max(content_height, sum(p.wrap(room, TYPE_AREA_HEIGHT)[1] for p in parts))
            signed.append(parts or "")
        filler: list[Flowable | str | list[Flowable]] = [""] * (per_row - len(group))
        caption_row = len(rows)
        rows += [captions + filler, signed + filler]
        # A name that wraps makes the box taller; it never spills out of it.
        heights += [None, max(SIGNATURE_HEIGHT, content_height + 2 * ROW_PAD_Y)]
        style.append(("BACKGROUND", (0, caption_row), (len(group) - 1, caption_row), LABEL_SHADE))
        if filler:
            # A short last row: one empty area after its boxes, not boxes without captions.
            style.append(("SPAN", (len(group), caption_row), (per_row - 1, caption_row + 1)))
    table = Table(rows, colWidths=[width] * per_row, rowHeights=heights)
    table.setStyle(TableStyle(style))
    return table


def claim_form_flowables(data: ClaimFormData, fonts: FontSet | None = None) -> list[Flowable]:
    fonts = fonts or resolve_fonts()
    tail: list[Flowable] = [
        _pairs_band(
            [
                ("原借款", amount_text(data.advance), "right"),
                ("应退", amount_text(data.refund), "right"),
                ("应补", amount_text(data.top_up), "right"),
            ],
            ADVANCE_COLUMNS_MM,
            fonts,
            first=True,
            last=not data.signatures and not _has_payment(data),
        )
    ]
    if _has_payment(data):
        tail.append(
            _pairs_band(
                [
                    ("付款方式", data.payment_method, "center"),
                    ("付款日期", format_cn_date(data.paid_on) if data.paid_on else "", "center"),
                    ("记账凭证号", data.voucher_number, "center"),
                ],
                PAYMENT_COLUMNS_MM,
                fonts,
                first=False,
                last=not data.signatures,
            )
        )
    if data.signatures:
        tail.append(_signature_band(data.signatures, fonts))
    return [
        _Heading(data.office_name, data.state_label, fonts),
        _info_row(data, fonts),
        Spacer(0, 2),
        _items_table(data, fonts),
        KeepTogether(tail),
    ]


def _has_payment(data: ClaimFormData) -> bool:
    return bool(data.payment_method or data.paid_on or data.voucher_number)


# ----- receipts -------------------------------------------------------------------------------------------


def _mime(mime_type: str) -> str:
    return mime_type.split(";", 1)[0].strip().lower()


def _receipt_canvas(buffer: io.BytesIO, fonts: FontSet) -> Canvas:
    # Without initialFontName the page names Helvetica, a font that is never embedded.
    return Canvas(buffer, pagesize=A4, initialFontName=fonts.song, lang="zh-CN")


def _draw_caption(canvas: Canvas, number: int, filename: str, fonts: FontSet) -> float:
    """“附件 n：filename” at the top of the type area, wrapped if long; returns where the space below begins."""
    cells = _Cells(fonts)
    caption = cells.text(f"附件 {number}：{filename}", size=SIZE_5)
    _, height = caption.wrap(TYPE_AREA_WIDTH, TYPE_AREA_HEIGHT)
    top = PAGE_HEIGHT - TOP_MARGIN
    caption.drawOn(canvas, LEFT_MARGIN, top - height)
    return top - height - 3 * mm


class _ImageTooLarge(ValueError):
    pass


def _check_pixels(width: int, height: int) -> None:
    if image_too_large(width, height):
        raise _ImageTooLarge(f"{width}×{height}")


def _image_page(number: int, receipt: Receipt, fonts: FontSet) -> bytes:
    # Uploads are bounded, but a row stored before that, or restored, is not: a 17 KB PNG of 12,000×12,000
    # pixels decodes to 1.8 GB. Measure from the header before anything is decoded, and again as read.
    header = image_size(receipt.data)
    if header is not None:
        _check_pixels(*header)
    image = ImageReader(io.BytesIO(receipt.data))
    pixel_width, pixel_height = image.getSize()
    _check_pixels(pixel_width, pixel_height)
    # Decoding it all now makes a truncated file fail here, rather than print half a receipt or break the PDF.
    image.getRGBData()
    if pixel_width <= 0 or pixel_height <= 0:
        raise ValueError("empty image")
    buffer = io.BytesIO()
    canvas = _receipt_canvas(buffer, fonts)
    top = _draw_caption(canvas, number, receipt.filename, fonts)
    room_height = top - BOTTOM_MARGIN
    scale = min(TYPE_AREA_WIDTH / pixel_width, room_height / pixel_height)
    width, height = pixel_width * scale, pixel_height * scale
    canvas.drawImage(
        image, LEFT_MARGIN + (TYPE_AREA_WIDTH - width) / 2, top - height, width, height, mask="auto"
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _checked_pdf(data: bytes) -> bytes:
    """The receipt's pages, read through completely so that a damaged file fails here and not in the result."""
    source = PdfReader(io.BytesIO(data))
    if source.is_encrypted and source.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise ValueError("the PDF is protected by a password")
    if not source.pages:
        raise ValueError("the PDF has no pages")
    writer = PdfWriter()
    for page in source.pages:
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _unavailable_page(number: int, receipt: Receipt, reason: str, fonts: FontSet) -> bytes:
    buffer = io.BytesIO()
    canvas = _receipt_canvas(buffer, fonts)
    _draw_caption(canvas, number, receipt.filename, fonts)
    cells = _Cells(fonts)
    message = cells.text(f"文件“{receipt.filename}”无法附入打印，请单独打印。", align="center", size=SIZE_3)
    detail = cells.text(reason, align="center", size=SIZE_5)
    _, message_height = message.wrap(TYPE_AREA_WIDTH, TYPE_AREA_HEIGHT)
    _, detail_height = detail.wrap(TYPE_AREA_WIDTH, TYPE_AREA_HEIGHT)
    y = BOTTOM_MARGIN + TYPE_AREA_HEIGHT * 0.6
    message.drawOn(canvas, LEFT_MARGIN, y)
    detail.drawOn(canvas, LEFT_MARGIN, y - 6 - detail_height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def receipt_pdf(number: int, receipt: Receipt, fonts: FontSet | None = None) -> bytes:
    """The pages that stand for one receipt: the image, the PDF's own pages, or a page saying it is missing."""
    fonts = fonts or resolve_fonts()
    kind = _mime(receipt.mime_type)
    try:
        if kind in IMAGE_TYPES:
            return _image_page(number, receipt, fonts)
        if kind == PDF_TYPE:
            return _checked_pdf(receipt.data)
    except _ImageTooLarge as exc:
        log.warning("附件“%s”的图片过大（%s 像素），未附入打印", receipt.filename, exc)
        return _unavailable_page(
            number, receipt,
            f"（图片 {exc} 像素，超过每边 {MAX_IMAGE_SIDE} 像素、共 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素的打印上限，"
            "请缩小后重新上传）",
            fonts,
        )
    except Exception as exc:  # noqa: BLE001 - any damaged attachment becomes a page saying so
        log.warning("附件“%s”无法附入打印：%s", receipt.filename, exc)
        return _unavailable_page(number, receipt, "（文件已损坏或无法读取）", fonts)
    return _unavailable_page(number, receipt, f"（不支持打印此类文件：{receipt.mime_type or '未知类型'}）", fonts)


def _with_receipts(form_pdf: bytes, receipts: Sequence[Receipt], fonts: FontSet) -> bytes:
    # Cloning keeps the form's title, author and language for the whole document.
    writer = PdfWriter(clone_from=io.BytesIO(form_pdf))
    for number, receipt in enumerate(receipts, start=1):
        writer.append(PdfReader(io.BytesIO(receipt_pdf(number, receipt, fonts))))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def render_claim_form_pdf(data: ClaimFormData, *, include_receipts: bool = False) -> bytes:
    fonts = resolve_fonts()
    form_pdf = build_pdf(
        claim_form_flowables(data, fonts),
        title=f"{FORM_NAME} {data.number}".strip(),
        author=data.office_name or "GovDesk",
        subject=f"{data.unit_name} {data.claimant_name}".strip(),
    )
    if not include_receipts or not data.receipts:
        return form_pdf
    return _with_receipts(form_pdf, data.receipts, fonts)


def render_claim_form(data: ClaimFormData) -> bytes:
    """The registry's renderer: the form alone."""
    return render_claim_form_pdf(data)


def render_claim_form_with_receipts(data: ClaimFormData) -> bytes:
    """The registry's renderer: the form with the scanned receipts after it, in one PDF."""
    return render_claim_form_pdf(data, include_receipts=True)
