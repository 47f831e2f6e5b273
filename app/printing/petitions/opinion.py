"""信访事项处理意见书 (复查意见书, 复核意见书): the office's written answer to the petitioner, as a letter in the
GB/T 9704 style (二号 title, the case's number under it, the petitioner as 主送, the body in 三号仿宋 with 黑体
headings, the 落款 with the day it was signed).

The body says what was asked (信访请求), what was found (查明的事实), the decision (支持, 解释说明 or 不予支持)
with its basis, and what the petitioner may do next (《信访工作条例》第三十五条): ask for a 复查 within 30 days of
receiving it, from the office's own government (the office's name without 办公室) or, where that is not known,
the next higher authority; after a 复查, ask for a 复核 likewise; after a 复核, nothing more: 信访人对复核意见不服的，
不再受理.
"""

from __future__ import annotations

import math

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.core.petitions.limits import REVIEW_REQUEST_DAYS
from app.core.petitions.terms import INITIAL, RE_REVIEW, REVIEW
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    BODY_LEADING,
    SIZE_2,
    TYPE_AREA_WIDTH,
    BoldTitle,
    Signature,
    build_pdf,
    format_cn_date,
    gb_styles,
)
from app.printing.petitions.data import OpinionLetter

OFFICE_SUFFIX = "办公室"
HIGHER_AUTHORITY = "本机关的上一级行政机关"
DECISION_TEXT: dict[str, str] = {
    "支持": "经研究，你的信访请求合理，予以支持。",
    "解释说明": "经研究，现将有关情况向你解释说明如上，请予理解。",
    "不予支持": "经研究，你的信访请求缺乏事实和政策依据，不予支持。",
}
FINAL = "本意见为复核意见。根据《信访工作条例》第三十五条，信访人对复核意见不服的，不再受理。"


def review_authority(office_name: str) -> str:
    """Whom a 复查 is asked of: the government the office serves (青山县人民政府办公室 → 青山县人民政府)."""
    office = office_name.strip()
    if office.endswith(OFFICE_SUFFIX) and len(office) > len(OFFICE_SUFFIX):
        return office[: -len(OFFICE_SUFFIX)]
    return HIGHER_AUTHORITY


def opening_text(data: OpinionLetter) -> str:
    case = data.case
    came = f"{format_cn_date(case.received_on)}"
    if case.stage == INITIAL:
        return (f"你于{came}以{case.channel}方式提出的信访事项，本机关已依法受理。经调查核实，"
                f"现提出处理意见如下：")
    original = f"对{data.reviews_number}" if data.reviews_number else ""
    if case.stage == REVIEW:
        return f"你于{came}{original}提出的复查请求，本机关已依法受理。经复查，现提出复查意见如下："
    return f"你于{came}{original}提出的复核请求，本机关已依法受理。经复核，现提出复核意见如下："


def remedy_text(data: OpinionLetter) -> str:
    stage = data.case.stage
    if stage == RE_REVIEW:
        return FINAL
    days = REVIEW_REQUEST_DAYS
    if stage == REVIEW:
        return (f"如对本复查意见不服，可以自收到本意见书之日起{days}日内，向复查机关的上一级行政机关请求复核。"
                f"逾期未提出的，视为认可本复查意见。")
    return (f"如对本处理意见不服，可以自收到本意见书之日起{days}日内，向{review_authority(data.case.office_name)}"
            f"书面请求复查。逾期未提出的，视为认可本处理意见。")


def sections(data: OpinionLetter) -> list[tuple[str, list[str]]]:
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    what = {INITIAL: "处理意见", REVIEW: "复查意见", RE_REVIEW: "复核意见"}[data.case.stage]
    return [
        ("信访请求", lines(data.case.request)),
        ("查明的事实", lines(data.findings)),
        (what, [DECISION_TEXT[data.decision], *[f"依据：{line}" if i == 0 else line
                                                for i, line in enumerate(lines(data.basis))]]),
        ("告知事项", [remedy_text(data)]),
    ]


def title_lines(text: str, fonts: FontSet) -> list[str]:
    count = max(1, math.ceil(fonts.string_width(text, fonts.song, SIZE_2) / TYPE_AREA_WIDTH))
    per = math.ceil(len(text) / count)
    return [text[i : i + per] for i in range(0, len(text), per)]


CN_NUMBERS = "一二三四五六七八九"


def opinion_flowables(data: OpinionLetter, fonts: FontSet | None = None) -> list[Flowable]:
    fonts = fonts or resolve_fonts()
    styles = gb_styles(fonts)
    heading = ParagraphStyle("petition-opinion-h1", parent=styles.body, fontName=fonts.hei)
    plain = ParagraphStyle("petition-opinion-plain", parent=styles.body, firstLineIndent=0)
    number = ParagraphStyle("petition-opinion-number", parent=plain, alignment=1)

    def para(text: str, style: ParagraphStyle = styles.body) -> Paragraph:
        return Paragraph(fonts.markup(text, style.fontName), style)

    parts: list[Flowable] = [
        BoldTitle(title_lines(data.title, fonts), fonts, SIZE_2, space_after=0),
        para(data.case.number, number),
        Spacer(0, BODY_LEADING / 2),
        para(f"{data.case.petitioner.name}：", plain),
        para(opening_text(data)),
    ]
    for index, (name, lines) in enumerate(sections(data)):
        parts.append(KeepTogether([para(f"{CN_NUMBERS[index]}、{name}", heading), para(lines[0])]))
        parts += [para(line) for line in lines[1:]]
    office = data.case.office_name.strip()
    if office and data.replied_on is not None:
        parts.append(KeepTogether([parts.pop(), Spacer(0, BODY_LEADING), Signature(office, data.replied_on, fonts)]))
    return parts


def render_opinion(data: OpinionLetter) -> bytes:
    fonts = resolve_fonts()
    return build_pdf(opinion_flowables(data, fonts), title=f"{data.title} {data.case.number}",
                     author=data.case.office_name or "GovDesk", subject=data.case.petitioner.name)
