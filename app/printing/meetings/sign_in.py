"""签到表: the sheet attendees sign at the door, on A4 in the GB/T 9704 版心.

The title 「{会议名称}签到表」, the time and place, then a ruled table 序号 | 单位 | 姓名 | 职务 | 签名 | 备注 with one
row per attendee, each tall enough to sign in by hand (the 签名 column is left blank); 备注 prints 请假 or 代会
where the sign-in has recorded it already. The headings come back on every page; under the table, the count:
应到, and 实到, 请假, 代会 as far as they are recorded (a blank to fill in by hand where they are not).
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    ALIGNMENTS,
    SIZE_2,
    SIZE_SMALL_4,
    TYPE_AREA_WIDTH,
    BoldTitle,
    build_pdf,
    cjk_style,
)
from app.printing.kit.table_form import CELL_PAD_X, CELL_PAD_Y, LABEL_SHADE, OUTER_RULE, RULE_COLOR, ruled_style
from app.printing.meetings.data import LEAVE, PRESENT, SUBSTITUTE, Attendee, SignInSheet
from app.printing.meetings.notice import title_lines

# 序号 | 单位 | 姓名 | 职务 | 签名 | 备注, in mm of the 156 mm 版心.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 12), ("单位", 38), ("姓名", 22), ("职务", 26), ("签名", 36), ("备注", 22),
)
# A row one can sign in with a pen: about two lines of handwriting.
ROW_HEIGHT = 12 * mm
HEAD_HEIGHT = 9 * mm
LINE_SIZE = SIZE_SMALL_4 + 2
BLANK = "＿＿＿"  # a count to fill in by hand: 实到＿＿＿人


def sheet_title(data: SignInSheet) -> str:
    return f"{data.meeting.title}签到表"


def time_place_lines(data: SignInSheet, fonts: FontSet) -> list[str]:
    """时间 and 地点 on one line, or on two when together they would wrap."""
    meeting = data.meeting
    lines = [f"时间：{meeting.span}"] + ([f"地点：{meeting.place.strip()}"] if meeting.place.strip() else [])
    together = "\u3000\u3000".join(lines)
    if fonts.string_width(together, fonts.fang, LINE_SIZE) <= TYPE_AREA_WIDTH:
        return [together]
    return lines


def count_text(attendees: tuple[Attendee, ...]) -> str:
    """应到4人，实到2人，请假1人，代会1人; a figure not yet known is a gap to write in."""
    expected = len(attendees)
    recorded = [a.attendance for a in attendees if a.attendance]

    def figure(value: int, known: bool) -> str:
        return str(value) if known else BLANK

    complete = len(recorded) == expected and expected > 0
    present = recorded.count(PRESENT) + recorded.count(SUBSTITUTE)
    return (
        f"应到{expected}人，实到{figure(present, complete)}人，"
        f"请假{figure(recorded.count(LEAVE), bool(recorded))}人，代会{figure(recorded.count(SUBSTITUTE), bool(recorded))}人"
    )


def row_cells(serial: int, attendee: Attendee) -> list[str]:
    return [str(serial), attendee.unit, attendee.name, attendee.post, "", attendee.remark]


def sign_in_table(data: SignInSheet, fonts: FontSet) -> Table:
    widths = [width * mm * TYPE_AREA_WIDTH / (156 * mm) for _, width in COLUMNS]
    leading = SIZE_SMALL_4 * 1.35
    head = cjk_style("meeting-sign-head", fonts.hei, SIZE_SMALL_4, leading, ALIGNMENTS["center"])
    cell = cjk_style("meeting-sign-cell", fonts.fang, SIZE_SMALL_4, leading, ALIGNMENTS["center"])
    remark = cjk_style("meeting-sign-remark", fonts.fang, SIZE_SMALL_4 - 1.5, (SIZE_SMALL_4 - 1.5) * 1.3,
                       ALIGNMENTS["center"])

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(fonts.markup(text, style.fontName), style)

    data_rows: list[list[Flowable | str]] = [[para(name, head) for name, _ in COLUMNS]]
    heights = [HEAD_HEIGHT]
    for serial, attendee in enumerate(data.attendees, start=1):
        texts = row_cells(serial, attendee)
        line: list[Flowable | str] = [
            para(text, remark if index == len(texts) - 1 else cell) if text else "" for index, text in enumerate(texts)
        ]
        # A long unit name wraps, and its row grows with it; reportlab's Table has no minimum row height.
        needed = max(
            (item.wrap(width - 2 * CELL_PAD_X, ROW_HEIGHT * 10)[1] for item, width in zip(line, widths, strict=True)
             if isinstance(item, Paragraph)),
            default=0.0,
        )
        heights.append(max(ROW_HEIGHT, needed + 2 * CELL_PAD_Y))
        data_rows.append(line)
    style = ruled_style(fonts.song, CELL_PAD_Y, CELL_PAD_Y, CELL_PAD_X) + [
        ("LINEBELOW", (0, 0), (-1, 0), OUTER_RULE, RULE_COLOR),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE),
    ]
    if not data.attendees:
        data_rows.append([para("尚未登记参会人员", cell)] + [""] * (len(COLUMNS) - 1))
        heights.append(ROW_HEIGHT)
        style.append(("SPAN", (0, 1), (-1, 1)))
    # The headings come back on every page.
    table = Table(data_rows, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def sign_in_flowables(data: SignInSheet, fonts: FontSet | None = None) -> list[Flowable]:
    fonts = fonts or resolve_fonts()
    line = cjk_style("meeting-sign-line", fonts.fang, LINE_SIZE, LINE_SIZE * 1.5,
                     ALIGNMENTS["center"])
    foot = cjk_style("meeting-sign-foot", fonts.fang, SIZE_SMALL_4 + 2, (SIZE_SMALL_4 + 2) * 1.5,
                     ALIGNMENTS["left"])
    count = count_text(tuple(data.attendees))
    return [
        BoldTitle(title_lines(sheet_title(data), fonts), fonts, SIZE_2, space_after=4),
        *[Paragraph(fonts.markup(text, line.fontName), line) for text in time_place_lines(data, fonts)],
        Spacer(0, 4 * mm),
        sign_in_table(data, fonts),
        Spacer(0, 4 * mm),
        Paragraph(fonts.markup(count, foot.fontName), foot),
    ]


def render_sign_in(data: SignInSheet) -> bytes:
    fonts = resolve_fonts()
    return build_pdf(sign_in_flowables(data, fonts), title=sheet_title(data),
                     author=data.meeting.office_name or "GovDesk")
