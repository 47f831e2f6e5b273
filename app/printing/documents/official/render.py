"""The 公文 itself, typeset to GB/T 9704-2012 as PDF: 版头, 主体, 附件, 版记 and page numbers.

A 函 in the 信函格式 (layout "letter") is laid out once, by letter.py's rules. Any other 公文's pages are
laid out twice. The first pass sets everything but the 版记 and notes on which page, and with how much room,
the text ends; the second pass adds the 版记 at the foot of the last page, which must be an even page
(GB/T 9704 §7.4): after an odd page one page is added, and after an even page without room for
the 版记 two are (a blank one, then the 版记's). §7.5: the 版记 page and a blank page before it carry no page
number; every page with text does, on the outer side.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from app.printing.documents.official.body import (
    attachment_heading,
    attachment_notes,
    body_flowables,
    body_styles,
    minutes_people,
    note_flowable,
    signature_flowables,
    title_flowable,
)
from app.printing.documents.official.data import OfficialDocumentData
from app.printing.documents.official.letter import LetterMasthead, LetterRecord, letter_page_templates
from app.printing.documents.official.masthead import Masthead
from app.printing.documents.official.record import RecordBlock
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    BODY_LEADING,
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    RIGHT_MARGIN,
    TOP_MARGIN,
    TYPE_AREA_HEIGHT,
    document_info,
    draw_page_number,
    enable_chinese_line_breaking,
    held_pages_canvas,
    type_area_frame,
)

GRID_SLACK = 0.01  # points


@dataclass
class _TextEnd:
    """Where the text ends: filled in by the first pass."""

    page: int = 0
    room: float = 0.0


class _EndMarker(Flowable):
    """Takes no room; notes the page it falls on and the height left below it."""

    def __init__(self, end: _TextEnd) -> None:
        super().__init__()
        self.end = end

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.end.room = availHeight
        return 0.0, 0.0

    def draw(self) -> None:
        self.end.page = self.canv.getPageNumber()


def attachment_label(index: int, count: int) -> str:
    """附件 and its number as the 附件说明 gives it: "附件2"; only "附件" when there is one attachment."""
    return "附件" if count == 1 else f"附件{index}"


def content_flowables(data: OfficialDocumentData, fonts: FontSet) -> list[Flowable]:
    """Everything before the 版记, in GB/T 9704's order."""
    styles = body_styles(fonts)
    masthead = LetterMasthead(data, fonts) if data.layout == "letter" else Masthead(data, fonts)
    flowables: list[Flowable] = [masthead]
    has_recipients = bool(data.main_recipients.strip())
    if data.title.strip():
        # §7.3.2: the 主送机关 one blank line below the title.
        flowables.append(title_flowable(data.title, fonts, BODY_LEADING if has_recipients else BODY_LEADING / 2))
    if has_recipients:
        recipients = data.main_recipients.strip().rstrip("：:")
        flowables.append(Paragraph(fonts.markup(f"{recipients}：", fonts.fang), styles.flush))
    body = body_flowables(data.body, fonts, styles)
    closing = attachment_notes([a.name for a in data.attachments], fonts, styles)
    if data.layout == "minutes":
        people = data.minutes_people
        closing += minutes_people(
            (("出席", people.present), ("请假", people.absent), ("列席", people.attending)), fonts, styles
        )
    else:
        closing += signature_flowables(data.issuer_names, data.signed_on, data.sealed, fonts)
        if data.note.strip():
            closing.append(note_flowable(data.note, fonts, styles))
    # §7.3.5.4: the 署名 (and a 纪要's 出席 lines) never stand on a page alone: the body's last paragraph
    # goes over with them.
    last = [body.pop()] if body and not isinstance(body[-1], Table | Image) else []
    # A heading above that paragraph goes over with it.
    while last and body and getattr(body[-1], "_official_heading", False):
        last.insert(0, body.pop())
        if body and isinstance(body[-1], CondPageBreak):
            body.pop()
    flowables.extend(body)
    flowables.append(KeepTogether([*last, *closing]))
    count = len(data.attachments)
    for index, attachment in enumerate(data.attachments, start=1):
        if attachment.body is None:
            continue  # named in the 附件说明 only; printed from its own file
        flowables.append(PageBreak())
        flowables.append(attachment_heading(attachment_label(index, count), fonts))
        flowables.append(Spacer(0, BODY_LEADING))  # the title on the 版心's third line
        flowables.append(title_flowable(attachment.name, fonts, BODY_LEADING / 2))
        flowables.extend(body_flowables(attachment.body, fonts, styles))
    return flowables


def _record(data: OfficialDocumentData, fonts: FontSet) -> RecordBlock:
    label = "分送" if data.layout == "minutes" else "抄送"
    return RecordBlock(label, data.copy_to, data.printer, data.printed_on, fonts)


def record_breaks(end: _TextEnd, needed: float) -> int:
    """How many new pages the 版记 needs: none on an even page with room, one after an odd page, two after an
    even page without room (a blank odd page, then the 版记's even page)."""
    if end.page % 2:
        return 1
    return 0 if end.room >= needed else 2


def _build(flowables: list[Flowable], data: OfficialDocumentData, fonts: FontSet,
           finish_page: Callable[[Canvas, int, int], None]) -> bytes:  # fmt: skip
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        **document_info(data.title or data.issuer_mark, data.printer, fonts.fang, data.doc_number),
    )
    if data.layout == "letter":
        doc.addPageTemplates(letter_page_templates(GRID_SLACK))
    else:
        frame = type_area_frame()
        # 22 lines of 225/22 mm add up to 225 mm only up to rounding: without a hair more (0.01 pt, 0.004 mm,
        # at the top) reportlab finds the 22nd line a rounding error too tall and moves it to the next page.
        frame.height = TYPE_AREA_HEIGHT + GRID_SLACK  # the bottom stays; the top rises
        doc.addPageTemplates([PageTemplate(id="official", frames=[frame])])
    doc.build(flowables, canvasmaker=held_pages_canvas(finish_page))
    return buffer.getvalue()


def render_official_document(data: OfficialDocumentData) -> bytes:
    """The 公文 as PDF bytes, typeset to GB/T 9704-2012 from the data alone."""
    enable_chinese_line_breaking()
    fonts = resolve_fonts()
    if data.layout == "letter":
        return _render_letter(data, fonts)
    end = _TextEnd()
    _build([*content_flowables(data, fonts), _EndMarker(end)], data, fonts, lambda canvas, page, total: None)

    record = _record(data, fonts)
    text_pages = end.page
    breaks = record_breaks(end, record.needed_height())

    def number(canvas: Canvas, page: int, total: int) -> None:
        # §7.5: the 版记 page (when it holds nothing else) and a blank page before it carry no number.
        if page <= text_pages:
            draw_page_number(canvas, page)

    tail: list[Flowable] = []
    for _ in range(breaks):
        # A page is only put out when something is on it: a blank page holds an empty spacer.
        tail += [PageBreak(), Spacer(0, 0.1)]
    return _build([*content_flowables(data, fonts), *tail, record], data, fonts, number)


def _render_letter(data: OfficialDocumentData, fonts: FontSet) -> bytes:
    """A 函 in the 信函格式 (letter.py): one pass, the 抄送-only 版记 at the foot of the last page (no even-page
    rule); no page number on the first page, nor on a page that holds the 版记 alone."""
    end = _TextEnd()
    flowables = [*content_flowables(data, fonts), _EndMarker(end)]
    if data.copy_to.strip():
        flowables.append(LetterRecord(data.copy_to, fonts))

    def number(canvas: Canvas, page: int, total: int) -> None:
        if 1 < page <= end.page:
            draw_page_number(canvas, page)

    return _build(flowables, data, fonts, number)
