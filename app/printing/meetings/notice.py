"""会议通知: the notice that calls a meeting, as the office prints it (GB/T 9704-2012 without the red 版头).

The title “关于召开{会议名称}的通知” in 二号 (a Song face thickened for 小标宋, broken into lines that fit), one blank
line, the 主送机关 (the attending units), then the body in 三号仿宋 with 黑体 headings: 会议时间, 会议地点, 主持人,
参会人员, 会议议程 (the approved topics in order, each with its reporting unit), 有关要求 (the meeting's own notes)
and 联系人 (a heading with one short fact runs on: 一、会议时间：…); one blank line, and the 落款: the office's name and the 成文日期.
A heading whose facts are not known (no host, no agenda yet) is left out and the others are numbered on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    BODY_LEADING,
    SIZE_2,
    TYPE_AREA_WIDTH,
    BoldTitle,
    Signature,
    build_pdf,
    gb_styles,
)
from app.printing.meetings.data import MeetingNoticeData

# What 有关要求 says when the meeting's notes say nothing: what every notice of the office asks.
DEFAULT_REQUIREMENTS = (
    "请参会人员提前10分钟到达会场签到，会议期间将手机调至静音状态。",
    "确因特殊情况不能参会的，请于会前向联系人请假，经同意后由其他负责同志代会。",
)
# Whom the notice goes to when no unit attends (only people are named).
NO_UNITS = "各参会人员"
# Headings whose lines are always set below them, even one: a list reads as a list.
LISTED = frozenset({"会议议程"})
DIGITS = "零一二三四五六七八九"


def cn_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1 to 99: headings and agenda items)."""
    if not 1 <= number <= 99:
        raise ValueError(f"{number} is outside 1..99")
    tens, ones = divmod(number, 10)
    if tens == 0:
        return DIGITS[ones]
    head = "十" if tens == 1 else f"{DIGITS[tens]}十"
    return head + (DIGITS[ones] if ones else "")


def notice_title(data: MeetingNoticeData) -> str:
    return f"关于召开{data.meeting.title}的通知"


def title_lines(text: str, fonts: FontSet, width: float = TYPE_AREA_WIDTH, size: float = SIZE_2) -> list[str]:
    """The title on as few lines as fit at 二号, the characters shared evenly with the longer lines on top
    (the 梯形 GB/T 9704 §7.3.1 asks for), since BoldTitle draws each line unwrapped."""

    def fits(line: str) -> bool:
        return fonts.string_width(line, fonts.song, size) <= width

    count = max(1, math.ceil(fonts.string_width(text, fonts.song, size) / width))
    while True:
        per = math.ceil(len(text) / count)
        lines = [text[i : i + per] for i in range(0, len(text), per)]
        if all(fits(line) for line in lines) or per == 1:
            return lines
        count += 1


def attendee_text(data: MeetingNoticeData) -> str:
    """县长陈某，副县长刘某；县财政局局长钱某，县教育局局长孙某。: the people first, then the units' people."""
    people = [a.named for a in data.attendees if a.in_person or not a.unit]
    units = [a.named for a in data.attendees if a.unit and not a.in_person]
    parts = ["，".join(group) for group in (people, units) if group]
    return "；".join(parts) + "。" if parts else ""


def agenda_lines(data: MeetingNoticeData) -> list[str]:
    lines = []
    for number, entry in enumerate(data.agenda, start=1):
        unit = f"（汇报单位：{entry.unit}）" if entry.unit.strip() else ""
        lines.append(f"（{cn_number(number)}）{entry.title.strip()}{unit}")
    return lines


def requirement_lines(data: MeetingNoticeData) -> list[str]:
    lines = [line.strip() for line in data.notes.splitlines() if line.strip()]
    return lines or list(DEFAULT_REQUIREMENTS)


def contact_text(data: MeetingNoticeData) -> str:
    if not data.contact.strip():
        return ""
    phone = f"，联系电话：{data.contact_phone.strip()}" if data.contact_phone.strip() else ""
    return f"{data.contact.strip()}{phone}"


def sections(data: MeetingNoticeData) -> list[tuple[str, list[str]]]:
    """The body's headings, each with its paragraphs; a heading with nothing to say is left out."""
    meeting = data.meeting
    candidates: list[tuple[str, list[str]]] = [
        ("会议时间", [meeting.when]),
        ("会议地点", [meeting.place.strip()]),
        ("主持人", [meeting.host.strip()]),
        ("参会人员", [attendee_text(data)]),
        ("会议议程", agenda_lines(data)),
        ("有关要求", requirement_lines(data)),
        ("联系人", [contact_text(data)]),
    ]
    return [(heading, [line for line in lines if line]) for heading, lines in candidates if any(lines)]


def opening_text(data: MeetingNoticeData) -> str:
    return f"经研究，决定召开{data.meeting.title}。现将有关事项通知如下："


def notice_flowables(data: MeetingNoticeData, fonts: FontSet | None = None) -> list[Flowable]:
    fonts = fonts or resolve_fonts()
    styles = gb_styles(fonts)
    heading = ParagraphStyle("meeting-notice-h1", parent=styles.body, fontName=fonts.hei)
    plain = ParagraphStyle("meeting-notice-plain", parent=styles.body, firstLineIndent=0)

    def para(text: str, style: ParagraphStyle = styles.body) -> Paragraph:
        return Paragraph(fonts.markup(text, style.fontName), style)

    recipients: Sequence[str] = data.recipients or (NO_UNITS,)
    parts: list[Flowable] = [
        BoldTitle(title_lines(notice_title(data), fonts), fonts, SIZE_2, space_after=0),
        Spacer(0, BODY_LEADING),  # GB/T 9704: one blank line between the title and the 主送机关
        para("、".join(recipients) + "：", plain),
        para(opening_text(data)),
    ]
    for number, (name, lines) in enumerate(sections(data), start=1):
        title = f"{cn_number(number)}、{name}"
        if len(lines) == 1 and name not in LISTED:
            # One fact runs on after its heading (一、会议时间：…), as the office writes a short notice.
            head = fonts.markup(f"{title}：", fonts.hei)
            text = f'<font face="{fonts.hei}">{head}</font>{fonts.markup(lines[0], styles.body.fontName)}'
            parts.append(Paragraph(text, styles.body))
            continue
        # A heading is kept with its first line, never left alone at a page's foot.
        parts.append(KeepTogether([para(title, heading), para(lines[0])]))
        parts += [para(line) for line in lines[1:]]
    office = data.meeting.office_name.strip()
    if office:
        # GB/T 9704 §7.3.5.2: one blank line above the 落款, which never stands on a page without text: the
        # last paragraph goes over with it.
        parts.append(KeepTogether([parts.pop(), Spacer(0, BODY_LEADING), Signature(office, data.issued_on, fonts)]))
    return parts


def render_meeting_notice(data: MeetingNoticeData) -> bytes:
    fonts = resolve_fonts()
    return build_pdf(notice_flowables(data, fonts), title=notice_title(data),
                     author=data.meeting.office_name or "GovDesk")
