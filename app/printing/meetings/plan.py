"""会议方案: a meeting's plan, as the office prints it to run the meeting by, on A4 in the GB/T 9704 版心.

The title 「{会议名称}方案」 (「{会议名称}会议方案」 when the name does not end in 会 or 会议), a ruled table of the meeting's facts, then for each of the five phases
(app.core.meetings.plan.PHASES, always all five, in their order) a heading and a table of its tasks:
序号 | 工作任务 | 责任人 | 完成时限 | 完成情况. 完成情况 is 已完成, 未完成, or 逾期未完成 in red when the task's time has
passed undone at the print's time (which the line above the facts gives); a count closes the plan.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.core.meetings.plan import PHASES
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    ALIGNMENTS,
    SIZE_2,
    SIZE_3,
    SIZE_5,
    SIZE_SMALL_4,
    TYPE_AREA_WIDTH,
    BoldTitle,
    build_pdf,
    cjk_style,
    format_cn_datetime,
)
from app.printing.kit.table_form import CELL_PAD_X, LABEL_SHADE, OUTER_RULE, RULE_COLOR, ruled_style
from app.printing.meetings.data import DONE, LATE, NOT_DONE, PlanSheet, PlanTask, due_text
from app.printing.meetings.notice import cn_number, title_lines

# The red the office's lists give what is overdue (逾期).
LATE_RED = colors.HexColor("#C0392B")
# 序号 | 工作任务 | 责任人 | 完成时限 | 完成情况, in mm of the 156 mm 版心.
TASK_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 12), ("工作任务", 62), ("责任人", 22), ("完成时限", 32), ("完成情况", 28),
)
# The facts: label, value, label, value.
FACT_COLUMNS_MM = (24.0, 54.0, 24.0, 54.0)
NO_TASKS = "本阶段暂无工作任务"
NO_DUE = "—"


def plan_title(data: PlanSheet) -> str:
    """县政府第12次常务会议方案, 教育工作座谈会方案; 会议方案 after a name that does not say it is a meeting."""
    title = data.meeting.title.strip()
    return f"{title}方案" if title.endswith(("会议", "会")) else f"{title}会议方案"


def task_cells(serial: int, task: PlanTask, status: str) -> list[str]:
    # The day above the hour, always: the column is narrow, and a time broken in some rows only reads badly.
    due = due_text(task.due_at).replace(" ", "\n") if task.due_at is not None else NO_DUE
    return [str(serial), task.text.strip(), task.owner.strip() or "未指定", due, status]


def summary_text(data: PlanSheet) -> str:
    """共13项工作任务，已完成5项，未完成8项（其中逾期未完成2项）。"""
    statuses = [data.status(task) for task in data.tasks]
    done, late = statuses.count(DONE), statuses.count(LATE)
    open_ = statuses.count(NOT_DONE) + late
    late_part = f"（其中{LATE}{late}项）" if late else ""
    return f"共{len(statuses)}项工作任务，{DONE}{done}项，{NOT_DONE}{open_}项{late_part}。"


class _Styles:
    def __init__(self, fonts: FontSet) -> None:
        leading = SIZE_SMALL_4 * 1.4
        self.fonts = fonts
        self.head = cjk_style("meeting-plan-head", fonts.hei, SIZE_SMALL_4, leading, ALIGNMENTS["center"])
        self.label = cjk_style("meeting-plan-label", fonts.song, SIZE_SMALL_4, leading, ALIGNMENTS["center"])
        self.left = cjk_style("meeting-plan-left", fonts.fang, SIZE_SMALL_4, leading, ALIGNMENTS["left"])
        self.centre = cjk_style("meeting-plan-centre", fonts.fang, SIZE_SMALL_4, leading, ALIGNMENTS["center"])
        self.late = cjk_style("meeting-plan-late", fonts.hei, SIZE_SMALL_4, leading, ALIGNMENTS["center"],
                              textColor=LATE_RED)
        self.phase = cjk_style("meeting-plan-phase", fonts.hei, SIZE_3, SIZE_3 * 1.6)
        self.line = cjk_style("meeting-plan-line", fonts.song, SIZE_5, SIZE_5 * 1.5, ALIGNMENTS["right"])
        self.summary = cjk_style("meeting-plan-summary", fonts.fang, SIZE_3, SIZE_3 * 1.6)

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(self.fonts.markup(text, style.fontName), style)


def _widths(columns_mm: tuple[float, ...]) -> list[float]:
    return [width * TYPE_AREA_WIDTH / sum(columns_mm) for width in columns_mm]


def facts_table(data: PlanSheet, styles: _Styles) -> Table:
    meeting = data.meeting
    p, label, value = styles.para, styles.label, styles.left
    rows: list[list[Flowable | str]] = [
        [p("会议名称", label), p(meeting.title, value), "", ""],
        [p("会议类型", label), p(meeting.meeting_type, value), p("会议编号", label), p(meeting.number, value)],
        [p("会议时间", label), p(meeting.span, value), "", ""],
        [p("会议地点", label), p(meeting.place, value), p("主持人", label), p(meeting.host, value)],
        [p("承办单位", label), p(meeting.organizer_unit, value), p("经办人", label), p(meeting.responsible, value)],
    ]
    style = ruled_style(styles.fonts.song, 5, 5, CELL_PAD_X) + [
        ("SPAN", (1, 0), (3, 0)),
        ("SPAN", (1, 2), (3, 2)),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_SHADE),
        ("BACKGROUND", (2, 1), (2, 1), LABEL_SHADE),
        ("BACKGROUND", (2, 3), (2, 4), LABEL_SHADE),
    ]
    table = Table(rows, colWidths=_widths(FACT_COLUMNS_MM))
    table.setStyle(TableStyle(style))
    return table


def phase_table(data: PlanSheet, phase: str, styles: _Styles) -> Table:
    p = styles.para
    rows: list[list[Flowable | str]] = [[p(name, styles.head) for name, _ in TASK_COLUMNS]]
    style = ruled_style(styles.fonts.song, 4, 4, 4) + [
        ("LINEBELOW", (0, 0), (-1, 0), OUTER_RULE, RULE_COLOR),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE),
    ]
    tasks = data.phase_tasks(phase)
    for serial, task in enumerate(tasks, start=1):
        status = data.status(task)
        cells = task_cells(serial, task, status)
        rows.append([
            p(cells[0], styles.centre), p(cells[1], styles.left), p(cells[2], styles.centre),
            p(cells[3], styles.centre), p(cells[4], styles.late if status == LATE else styles.centre),
        ])
    if not tasks:
        rows.append([p(NO_TASKS, styles.centre)] + [""] * (len(TASK_COLUMNS) - 1))
        style.append(("SPAN", (0, 1), (-1, 1)))
    # A long phase runs on over a page with its headings again.
    table = Table(rows, colWidths=_widths(tuple(width for _, width in TASK_COLUMNS)), repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def plan_flowables(data: PlanSheet, fonts: FontSet | None = None) -> list[Flowable]:
    fonts = fonts or resolve_fonts()
    styles = _Styles(fonts)
    parts: list[Flowable] = [
        BoldTitle(title_lines(plan_title(data), fonts), fonts, SIZE_2, space_after=4),
        styles.para(f"打印时间：{format_cn_datetime(data.as_of)}", styles.line),
        Spacer(0, 2 * mm),
        facts_table(data, styles),
    ]
    for number, phase in enumerate(PHASES, start=1):
        table = phase_table(data, phase, styles)
        # The phase's heading stays with the start of its table.
        parts += [Spacer(0, 3 * mm), KeepTogether([styles.para(f"{cn_number(number)}、{phase}", styles.phase),
                                                   table])]
    parts += [Spacer(0, 3 * mm), styles.para(summary_text(data), styles.summary)]
    return parts


def render_plan(data: PlanSheet) -> bytes:
    fonts = resolve_fonts()
    return build_pdf(plan_flowables(data, fonts), title=plan_title(data), author=data.meeting.office_name or "GovDesk")
