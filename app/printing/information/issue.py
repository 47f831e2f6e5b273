"""《政务信息》: an issue in the briefing layout of a county government office.

At the top a big red 政务信息 centred, 第N期 under it, then the editing unit at the left and the date at the right
on one line above a red rule. Then the items in order: each title in 黑体 centred (a long one wraps), the body in
三号仿宋 with a two-character first-line indent, and whom it came from in 楷体 at its end. At the end of the last
page, between two rules, the 版记: 报：…, 送：…, 发：… each on its line, and （共印N份） if the copies are set; it
sits at the foot of the page, and goes to a page of its own when the last page has no room for it.
A4, the GB/T 9704 type area; a second page on numbers every page.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.printing.information.issue_data import IssueArticle, IssueSheet
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    BODY_LEADING,
    SIZE_3,
    SIZE_4,
    build_pdf,
    cjk_style,
    draw_text,
    format_cn_date,
    gb_styles,
)

# The red of a 红头 (GB/T 9704 7.2.3: 红色); the title and the rule under the date.
RED = Color(0.902, 0.0, 0.071)
TITLE_SIZE = 52.0
# The title's characters set apart, as a masthead is.
TITLE_SPACING = 0.35
RULE_WIDTH = 1.5
FOOT_RULE_WIDTH = 0.75
FOOT_SIZE = SIZE_4
FOOT_LEADING = FOOT_SIZE * 1.6


class Masthead(Flowable):
    """The red title, thickened by stroking its outline, with its characters spaced."""

    def __init__(self, title: str, fonts: FontSet, size: float = TITLE_SIZE) -> None:
        super().__init__()
        self.title = title.strip() or "政务信息"
        self.fonts = fonts
        self.size = size
        self._width = 0.0
        self.spaceAfter = 4.0

    def _gap(self) -> float:
        return self.size * TITLE_SPACING

    def _text_width(self, size: float) -> float:
        font = self.fonts.song
        return sum(self.fonts.string_width(c, font, size) for c in self.title) + self._gap() * (len(self.title) - 1)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        # A long title is set smaller until it fits the line.
        while self.size > SIZE_3 and self._text_width(self.size) > availWidth:
            self.size -= 2
        return availWidth, self.size * 1.3

    def draw(self) -> None:
        canvas = self.canv
        font = self.fonts.song
        canvas.saveState()
        canvas.setFillColor(RED)
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(self.size / 40)
        canvas.setLineJoin(1)
        x = (self._width - self._text_width(self.size)) / 2
        y = self.size * 0.25
        for char in self.title:
            x += draw_text(canvas, self.fonts, x, y, char, font, self.size, mode=2) + self._gap()
        canvas.restoreState()


class UnitDateLine(Flowable):
    """The editing unit at the left, the date at the right, and the red rule under them."""

    def __init__(self, unit: str, when: str, fonts: FontSet) -> None:
        super().__init__()
        self.unit, self.when, self.fonts = unit, when, fonts
        self._width = 0.0
        self.size = SIZE_3

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        font = self.fonts.fang
        while self.size > 10 and (self.fonts.string_width(self.unit, font, self.size)
                                  + self.fonts.string_width(self.when, font, self.size) + 2 * self.size
                                  > availWidth):
            self.size -= 0.5
        return availWidth, self.size * 1.6 + 6

    def draw(self) -> None:
        canvas, font = self.canv, self.fonts.fang
        canvas.saveState()
        baseline = 6 + self.size * 0.45
        draw_text(canvas, self.fonts, 0, baseline, self.unit, font, self.size)
        width = self.fonts.string_width(self.when, font, self.size)
        draw_text(canvas, self.fonts, self._width - width, baseline, self.when, font, self.size)
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(RULE_WIDTH)
        canvas.line(0, 0, self._width, 0)
        canvas.restoreState()


class Foot(Flowable):
    """The 版记 at the foot of the last page: a rule, then 报/送/发 each on its line (a long list wraps under its
    own text), a rule, and （共印N份） at the right under it. It takes what is left of the page and draws itself at
    its foot; with too little room left it goes to the next page."""

    def __init__(self, lines: Sequence[tuple[str, str]], copies: int, fonts: FontSet) -> None:
        super().__init__()
        self.fonts = fonts
        style = cjk_style("info-issue-foot", fonts.fang, FOOT_SIZE, FOOT_LEADING)
        self.paragraphs = [
            Paragraph(fonts.markup(f"{label}：{text}", style.fontName),
                      ParagraphStyle(f"info-issue-foot-{label}", parent=style, leftIndent=3 * FOOT_SIZE,
                                     firstLineIndent=-3 * FOOT_SIZE + FOOT_SIZE))
            for label, text in lines
        ]
        right = cjk_style("info-issue-copies", fonts.fang, FOOT_SIZE, FOOT_LEADING, TA_RIGHT)
        self.copies = (Paragraph(fonts.markup(f"（共印{copies}份）", right.fontName), right)
                       if copies > 0 else None)
        self._width = 0.0
        self._heights: list[float] = []
        self._own = 0.0
        self._avail = 0.0

    def _measure(self, width: float) -> float:
        self._heights = [p.wrap(width - FOOT_SIZE, 10_000)[1] for p in self.paragraphs]
        copies = self.copies.wrap(width, 10_000)[1] if self.copies is not None else 0.0
        return sum(self._heights) + copies + 12

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        self._own = self._measure(availWidth)
        self._avail = max(availHeight, self._own)
        return availWidth, self._avail

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(FOOT_RULE_WIDTH)
        copies_height = self.copies.wrap(self._width, 10_000)[1] if self.copies is not None else 0.0
        top = self._own
        canvas.line(0, top, self._width, top)
        y = top - 6
        for paragraph, height in zip(self.paragraphs, self._heights, strict=True):
            paragraph.drawOn(canvas, FOOT_SIZE / 2, y - height)
            y -= height
        y -= 6
        canvas.line(0, y, self._width, y)
        if self.copies is not None:
            self.copies.drawOn(canvas, -FOOT_SIZE / 2, y - copies_height)
        canvas.restoreState()


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def article_flowables(article: IssueArticle, fonts: FontSet) -> list[Flowable]:
    styles = gb_styles(fonts)
    heading = cjk_style("info-issue-item-title", fonts.hei, SIZE_3 + 2, (SIZE_3 + 2) * 1.5, TA_CENTER,
                        spaceBefore=BODY_LEADING / 2, spaceAfter=BODY_LEADING / 4)
    source = cjk_style("info-issue-source", fonts.kai, SIZE_3, BODY_LEADING, TA_RIGHT)
    body = [Paragraph(fonts.markup(line, styles.body.fontName), styles.body) for line in _paragraphs(article.body)]
    title = Paragraph(fonts.markup(article.title, heading.fontName), heading)
    # The title never stands alone at the foot of a page.
    parts: list[Flowable] = [KeepTogether([title, *body[:1]]), *body[1:]]
    who = "　".join(part for part in (article.group.strip(), article.author.strip()) if part)
    if who:
        parts.append(Paragraph(fonts.markup(f"（{who}）", source.fontName), source))
    return parts


def issue_flowables(data: IssueSheet, fonts: FontSet | None = None) -> list[Flowable]:
    fonts = fonts or resolve_fonts()
    number = cjk_style("info-issue-number", fonts.fang, SIZE_3, SIZE_3 * 1.8, TA_CENTER)
    parts: list[Flowable] = [
        Masthead(data.title, fonts),
        Paragraph(fonts.markup(data.number_text, number.fontName), number),
        UnitDateLine(data.editor_unit, format_cn_date(data.issue_date), fonts),
        Spacer(0, BODY_LEADING / 3),
    ]
    for article in data.items:
        parts += article_flowables(article, fonts)
    lines = [(label, text) for label, text in (("报", data.report_to), ("送", data.send_to),
                                                ("发", data.distribute_to)) if text.strip()]
    if lines or data.copies > 0:
        parts += [Spacer(0, BODY_LEADING / 2), Foot(lines, data.copies, fonts)]
    return parts


def render_issue(data: IssueSheet) -> bytes:
    fonts = resolve_fonts()
    label = f"{data.year}年{data.number_text}"
    return build_pdf(issue_flowables(data, fonts), title=f"《{data.title}》{label}",
                     author=data.editor_unit or "GovDesk", subject=label)
