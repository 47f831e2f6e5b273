"""发文稿纸: the sheet a draft travels on from 拟稿 to 归档, with its signatures and the trail of opinions.

The layout follows the paper 稿纸 of county offices: the big 签发 box at the top right beside 文号, 文种, 密级,
公开属性, 缓急 and 印制份数; then 会签, 核稿, 复核 (条例 Art. 25: the office's check of the signed draft before it
is numbered), the drafter's lines, 标题, 主送, 抄送 and 附件; and the 办理记录
under the form, as its own ruled table so that a long history runs on to a second page with its headings.

The module also holds what the other document forms share: the 15 文种, urgency and disclosure choices,
document numbers printed through app.core.numbering, tick boxes, titles that wrap, and the attached list table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from app.core import documents as rules
from app.core.errors import ValidationError
from app.core.numbering import format_doc_number, parse_doc_number
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    ALIGNMENTS,
    SIZE_2,
    SIZE_5,
    SIZE_SMALL_4,
    TYPE_AREA_WIDTH,
    build_pdf,
    cjk_style,
    draw_text,
    format_cn_date,
    format_cn_datetime,
)
from app.printing.kit.table_form import (
    CELL_PAD_X,
    CELL_PAD_Y,
    LABEL_SHADE,
    Align,
    Cell,
    FormBuilder,
    OpinionEntry,
    label,
    ruled_style,
    value,
)

# The 15 文种, the urgencies and the disclosure choices are rules of app.core.documents; the forms print them.
DOC_TYPES: tuple[str, ...] = rules.DOC_TYPES
# The urgencies a form ticks (core's list ends with "" for a document that carries none).
URGENCIES: tuple[str, ...] = tuple(u for u in rules.URGENCIES if u)
DISCLOSURES: tuple[str, ...] = rules.DISCLOSURES
WITHHELD = rules.NOT_DISCLOSED
# The system refuses 秘密, 机密 and 绝密 documents (DOMAIN.md, Secrecy), so every form prints this one level.
CLASSIFICATION = "非涉密"


class DocNumber(NamedTuple):
    """A 发文字号 in parts; printed through app.core.numbering, so always 机关代字〔年份〕序号号."""

    prefix: str
    year: int
    seq: int

    def text(self) -> str:
        return format_doc_number(self.prefix, self.year, self.seq)


_WRONG_YEAR_BRACKETS = re.compile(r"[\[(（【［〔]\s*([0-9]{4})\s*[\])）】］〕]")


def number_text(number: DocNumber | str | None, *, lenient: bool = False) -> str:
    """A document number as printed: 县政办发〔2026〕12号.

    Our own numbers are parsed and formatted again, so a malformed one stops the print with the reason
    (ValidationError) instead of reaching paper. Another body's number (来文字号, lenient=True) has its year
    brackets put right and is otherwise printed as registered: the register must show what arrived.
    """
    if number is None:
        return ""
    if isinstance(number, DocNumber):
        return number.text()
    text = number.strip()
    if not text:
        return ""
    try:
        return format_doc_number(*parse_doc_number(text))
    except ValidationError:
        if not lenient:
            raise
    # A clerk copying another body's number often types [2026] or （2026） for 〔2026〕; the original had 〔〕.
    repaired = _WRONG_YEAR_BRACKETS.sub("\u3014\\1\u3015", text)
    try:
        return format_doc_number(*parse_doc_number(repaired))
    except ValidationError:
        return text


def check_urgency(urgency: str) -> str:
    """The urgency as printed (特急, 加急 or ""), or ValidationError; 无/普通 mean none."""
    return rules.check_urgency(urgency)


def choice_boxes(options: Sequence[str], chosen: str) -> str:
    """Options as tick boxes, the chosen one filled (■), as paper forms mark a choice."""
    return "\u3000".join(f"{'■' if option == chosen else '□'}{option}" for option in options)


def disclosure_text(disclosure: str, reason: str) -> str:
    """公开属性 as printed; 不予公开 carries its reason on the next line."""
    if disclosure == WITHHELD:
        return f"{disclosure}\n理由：{reason.strip()}"
    return disclosure


def form_title(office_name: str, form_name: str, fonts: FontSet, width: float = TYPE_AREA_WIDTH) -> str:
    """“<office>发文稿纸” on one line when it fits at 二号, else the office name above the form's name.

    The title is drawn unwrapped (BoldTitle), so a long office name must be broken here or it runs off the page.
    """
    office = office_name.strip()
    if not office:
        return form_name
    one_line = office + form_name
    if fonts.string_width(one_line, fonts.song, SIZE_2) <= width:
        return one_line
    return f"{office}\n{form_name}"


def attachments_text(attachments: Sequence[str]) -> str:
    """附件 as GB/T 9704 lists them: a single one unnumbered, several numbered 1. 2. …; none as 无."""
    names = [name.strip() for name in attachments if name.strip()]
    if not names:
        return "无"
    if len(names) == 1:
        return names[0]
    return "\n".join(f"{n}. {name}" for n, name in enumerate(names, start=1))


def cell_style(name: str, font: str, size: float = SIZE_5, align: Align = "left") -> ParagraphStyle:
    return cjk_style(f"doc-{name}-{align}", font, size, size * 1.35, ALIGNMENTS[align])


def _widths(widths: Sequence[float | None], total: float) -> list[float]:
    """Column widths with the one None column taking what the others leave."""
    fixed = sum(w for w in widths if w is not None)
    return [total - fixed if w is None else w for w in widths]


def record_table(
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float | None],
    fonts: FontSet,
    *,
    aligns: Sequence[Align] | None = None,
    width: float = TYPE_AREA_WIDTH,
    empty_text: str = "无",
) -> Table:
    """A ruled list that hangs under a form (办理记录, 传阅记录), as wide as the form: caption, headings, rows.

    It is a table of its own, not a cell of the form: a list nested in a form cell can never split, and a
    long history must run on to the next page, where the caption and headings are repeated. The one None
    width takes what the other columns leave.
    """
    aligns = list(aligns or ["center"] * len(headers))
    filler = [""] * (len(headers) - 1)

    def cell(text: str, font: str, size: float, align: Align) -> Paragraph:
        return Paragraph(fonts.markup(text, font), cell_style(f"list-{size}", font, size, align))

    data: list[list[Flowable | str]] = [
        [cell(caption, fonts.song, SIZE_SMALL_4, "center"), *filler],
        [cell(h, fonts.song, SIZE_5, "center") for h in headers],
    ]
    data += [[cell(text, fonts.fang, SIZE_5, a) for text, a in zip(r, aligns, strict=True)] for r in rows]
    style = ruled_style(fonts.song, 1.5, 2.5, 3) + [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), LABEL_SHADE),
        ("TOPPADDING", (0, 0), (-1, 0), 2),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
    ]
    if not rows:
        data.append([cell(empty_text, fonts.fang, SIZE_5, "center"), *filler])
        style.append(("SPAN", (0, 2), (-1, 2)))
    table = Table(data, colWidths=_widths(widths, width), repeatRows=2)
    table.setStyle(TableStyle(style))
    return table


@dataclass(frozen=True)
class RecordList:
    """A list that hangs under a document's form (办理记录, 传阅记录), drawn by record_table."""

    caption: str
    headers: tuple[str, ...]
    # One None: that column takes what the others leave.
    widths: tuple[float | None, ...]
    aligns: tuple[Align, ...]
    empty_text: str

    def table(self, rows: Sequence[Sequence[str]], fonts: FontSet) -> Table:
        return record_table(
            self.caption, self.headers, rows, self.widths, fonts, aligns=self.aligns, empty_text=self.empty_text
        )


def form_with_list_pdf(form: FormBuilder, records: Table, title: str, office_name: str, subject: str) -> bytes:
    """A document's form with its record list under it, as one PDF (发文稿纸, 收文处理笺)."""
    return build_pdf([form.build(), records], title=title.strip(), author=office_name or "GovDesk", subject=subject)


# ----- the 签发 box --------------------------------------------------------------------------------


class SigningBox(Flowable):
    """The big 签发 box: “签发：” at its top left, the opinion under it, and the signer and date at the foot.

    Name and date stand on two lines at the right, as a leader signs on paper: the box is narrower than
    the form, and a blank signature line (签发人 plus room for a handwritten date) would not fit on one.
    """

    def __init__(
        self,
        entry: OpinionEntry,
        fonts: FontSet,
        *,
        heading: str = "签发",
        sign_label: str = "签发人",
        size: float = SIZE_SMALL_4,
        min_height: float = 40 * mm,
    ) -> None:
        super().__init__()
        self.entry = entry
        self.fonts = fonts
        self.heading = heading
        self.sign_label = sign_label
        self.size = size
        self.min_height = min_height
        self.text_style = ParagraphStyle(
            "signing-opinion",
            fontName=fonts.fang,
            fontSize=size,
            leading=size * 1.45,
            wordWrap="CJK",
            firstLineIndent=2 * size,
            rightIndent=size * 0.5,
        )
        self._para: Paragraph | None = None
        self._para_height = 0.0
        self._width = 0.0
        self._height = 0.0

    @property
    def _line(self) -> float:
        return self.size * 1.5

    def signature_lines(self) -> list[str]:
        name = self.entry.name or "\u3000" * 5
        when = (
            format_cn_date(self.entry.date)
            if self.entry.date
            else "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
        )
        return [f"{self.sign_label}：{name}", when]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        self._para = None
        self._para_height = 0.0
        if self.entry.text:
            self._para = Paragraph(self.fonts.markup(self.entry.text, self.text_style.fontName), self.text_style)
            _, self._para_height = self._para.wrap(availWidth, availHeight)
        natural = self._line + self._para_height + 4 + 2 * self._line
        self._height = max(self.min_height, natural)
        return availWidth, self._height

    def draw(self) -> None:
        canvas = self.canv
        top = self._height
        draw_text(canvas, self.fonts, 0, top - self.size * 1.05, f"{self.heading}：", self.fonts.song, self.size)
        if self._para is not None:
            self._para.drawOn(canvas, 0, top - self._line - self._para_height)
        lines = self.signature_lines()
        font = self.fonts.fang
        block = max(self.fonts.string_width(line, font, self.size) for line in lines)
        x = self._width - block - self.size
        baseline = self._line * 0.35 + self._line
        for line in lines:
            draw_text(canvas, self.fonts, x, baseline, line, font, self.size)
            baseline -= self._line


# ----- the form --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CosignOpinion:
    """One co-issuing unit's 会签: left without text, name and date it prints blank lines to sign on.

    An opinion the office recorded for the unit names who there gave it (given_by) and on what basis (basis:
    电话, 书面意见 …); name is then the office's clerk who recorded it.
    """

    unit: str
    text: str = ""
    name: str = ""
    date: date | None = None
    given_by: str = ""
    basis: str = ""

    def cells(self) -> list[str]:
        """会签单位, 会签意见, 签名, 日期 as the form prints them."""
        when = format_cn_date(self.date) if self.date else "\u3000年\u3000月\u3000日"
        if not self.basis:
            return [self.unit, self.text, self.name, when]
        recorded = f"（{self.basis}，{self.name}代为登记）" if self.name else f"（{self.basis}）"
        return [self.unit, self.text + recorded, self.given_by, when]


@dataclass(frozen=True)
class TrailEntry:
    """One step of the workflow history: when, which step, who, what they did, and their opinion."""

    at: datetime
    step: str
    person: str
    action: str
    opinion: str = ""


@dataclass(frozen=True)
class OutgoingDraftData:
    office_name: str
    title: str
    doc_type: str
    drafting_unit: str
    drafter: str
    drafted_on: date | None
    # None (or "") until the document is numbered after 签发.
    doc_number: DocNumber | str | None = None
    disclosure: str = "主动公开"
    disclosure_reason: str = ""
    urgency: str = ""
    main_recipients: str = ""
    copy_recipients: str = ""
    signing: OpinionEntry = OpinionEntry()
    review: OpinionEntry = OpinionEntry()
    # 复核: the office's check after 签发, or its reason for sending the draft back for 复审.
    recheck: OpinionEntry = OpinionEntry()
    cosigns: Sequence[CosignOpinion] = ()
    copies: int | None = None
    proofreader: str = ""
    attachments: Sequence[str] = ()
    trail: Sequence[TrailEntry] = ()

    def __post_init__(self) -> None:
        # The same rules the services apply, so the sheet prints the canonical values (命令 → 命令（令）).
        # object.__setattr__ because the dataclass is frozen: this is its construction, not a change.
        object.__setattr__(self, "doc_type", rules.check_doc_type(self.doc_type))
        object.__setattr__(self, "urgency", check_urgency(self.urgency))
        disclosure, reason = rules.check_disclosure(self.disclosure, self.disclosure_reason)
        object.__setattr__(self, "disclosure", disclosure)
        object.__setattr__(self, "disclosure_reason", reason)
        if self.copies is not None and self.copies < 0:
            raise ValidationError("印制份数不能为负数", field="copies")


# Label, value, label, value: labels wide enough for four characters at 小四; the first value takes a
# document number on one line; the right-hand pair together is the 签发 box.
COLUMNS_MM = (22.0, 55.0, 22.0, 57.0)
ROW_HEIGHT = 8.5 * mm
TRAIL_LIST = RecordList(
    "办理记录",
    ("办理时间", "环节", "办理人", "操作", "办理意见"),
    # 办理时间 takes a full date and time on one line even in the bundled fonts' wide digits; 办理意见 the rest.
    (43 * mm, 12 * mm, 15 * mm, 18 * mm, None),
    ("center", "center", "center", "center", "left"),
    "暂无办理记录",
)


def _prominent(form: FormBuilder, text: str) -> Paragraph:
    style = ParagraphStyle(
        "draft-title",
        fontName=form.fonts.hei,
        fontSize=14,
        leading=14 * 1.4,
        wordWrap="CJK",
        rightIndent=7,
    )
    return Paragraph(form.fonts.markup(text, style.fontName), style)


def local_time(moment: datetime) -> datetime:
    """A moment as the office's clock shows it: records keep UTC, paper shows local time."""
    return moment.astimezone() if moment.tzinfo is not None else moment


def trail_rows(trail: Sequence[TrailEntry]) -> list[list[str]]:
    # timestamp() orders naive (local) and aware moments alike.
    entries = sorted(trail, key=lambda e: e.at.timestamp())
    return [[format_cn_datetime(local_time(e.at)), e.step, e.person, e.action, e.opinion] for e in entries]


def outgoing_draft_form(data: OutgoingDraftData, fonts: FontSet | None = None) -> FormBuilder:
    fonts = fonts or resolve_fonts()
    form = FormBuilder(
        form_title(data.office_name, "发文稿纸", fonts),
        fonts=fonts,
        col_widths=[w * mm for w in COLUMNS_MM],
        row_height=ROW_HEIGHT,
    )
    beside_box = [
        ("文号", number_text(data.doc_number)),
        ("文种", data.doc_type),
        ("密级", CLASSIFICATION),
        ("公开属性", disclosure_text(data.disclosure, data.disclosure_reason)),
        ("缓急", choice_boxes(URGENCIES, data.urgency)),
        ("印制份数", f"{data.copies}份" if data.copies else ""),
    ]
    heights = [_row_height(form, text) for _, text in beside_box]
    box = SigningBox(data.signing, fonts)
    _, natural = box.wrap(form.span_width(2, 2) - 2 * CELL_PAD_X, 1000 * mm)
    # The box spans the rows beside it: it fills them, and a long opinion makes them taller, never overflows.
    extra = max(0.0, natural + 2 * CELL_PAD_Y - sum(heights)) / len(heights)
    heights = [h + extra for h in heights]
    box.min_height = sum(heights) - 2 * CELL_PAD_Y
    for index, ((name, text), height) in enumerate(zip(beside_box, heights, strict=True)):
        cells = [label(name), value(text)]
        if index == 0:
            cells.append(Cell(colspan=2, rowspan=len(beside_box), content=box))
        form.row(cells, height=height)
    if data.cosigns:
        rows = [c.cells() for c in data.cosigns]
        form.list_row("会签", ["会签单位", "会签意见", "签名", "日期"], rows, [2.4, 5.4, 1.5, 3.0])
    else:
        form.row([label("会签"), value("无会签单位", 3)])
    # A blank box is for handwriting and gets more room; FormBuilder gives it back if the page runs short.
    review_height = 24 * mm if data.review.blank else 16 * mm
    form.opinion_row("核稿", [data.review], height=review_height, sign_label="核稿人")
    form.opinion_row("复核", [data.recheck], height=16 * mm if data.recheck.blank else 12 * mm, sign_label="复核人")
    drafted = format_cn_date(data.drafted_on) if data.drafted_on else ""
    form.row([label("拟稿单位"), value(data.drafting_unit), label("拟稿人"), value(data.drafter)])
    form.row([label("拟稿日期"), value(drafted), label("校对"), value(data.proofreader)])
    form.row([label("标题"), Cell(colspan=3, content=_prominent(form, data.title))], height=12 * mm)
    form.row([label("主送"), value(data.main_recipients, 3)])
    form.row([label("抄送"), value(data.copy_recipients, 3)])
    form.row([label("附件"), value(attachments_text(data.attachments), 3)])
    return form


def _row_height(form: FormBuilder, text: str) -> float:
    """The height a label/value row beside the 签发 box needs for its value (the label is shorter)."""
    _, height = form.paragraph(text).wrap(form.span_width(1, 1) - 2 * CELL_PAD_X, 1000 * mm)
    return max(form.row_height, height + 2 * CELL_PAD_Y)


def render_outgoing_draft(data: OutgoingDraftData) -> bytes:
    fonts = resolve_fonts()
    form = outgoing_draft_form(data, fonts)
    trail = TRAIL_LIST.table(trail_rows(data.trail), fonts)
    return form_with_list_pdf(form, trail, f"发文稿纸 {number_text(data.doc_number)}", data.office_name, data.title)

