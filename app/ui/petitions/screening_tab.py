"""信访排查 on the 信访 page: pick a year, a quarter, a month or any range of days, and narrow it by 问题类别, 属地 or
信访方式; the tab counts the first petitions of the period (app.services.petitions.screening) and shows them as
bar charts by category, place, channel and month (or quarter), with the hot issues in a table. Those who handle
petitions assign a hot issue to its responsible unit (交办排查问题…); the problems so assigned are listed below
with where they stand, and a double-click opens one (ProblemWindow).

A 联络员 sees no screening (it counts the whole county's cases): for them the tab lists their unit's problems."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QDate, QMargins, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ValidationError
from app.services.kernel.actor import Actor
from app.services.petitions import problems, records, screening
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.theme import ACCENT, BORDER, OK, URGENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import cn_date, fill_table, plain_table
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import show_error
from app.ui.widgets.qt_helpers import date_edit, to_date, to_qdate
from app.ui.widgets.screen import fit_when_shown
from app.ui.widgets.units import read_units

if TYPE_CHECKING:
    from app.printing.petitions.screening import ScreeningReport

# Room between two bars' labels, in pixels, beyond a line of text; the least height of a chart.
ROW_GAP = 8
CHART_MINIMUM = 200
CHART_MINIMUM_WIDTH = 300
# Between the parts of the narrowing printed under the period (a character, not a word to translate).
IDEOGRAPHIC_SPACE = chr(0x3000)
# A new problem is due a month from today unless the office says otherwise.
DEFAULT_DAYS = 30
HOT_HEADERS = (
    QT_TRANSLATE_NOOP("GovDesk", "排名"), QT_TRANSLATE_NOOP("GovDesk", "问题类别"), QT_TRANSLATE_NOOP("GovDesk", "属地"), QT_TRANSLATE_NOOP("GovDesk", "件数"), QT_TRANSLATE_NOOP("GovDesk", "其中重复信访"), QT_TRANSLATE_NOOP("GovDesk", "涉及人数"), QT_TRANSLATE_NOOP("GovDesk", "首次来信来访"), QT_TRANSLATE_NOOP("GovDesk", "最近来信来访"),
)
PROBLEM_HEADERS = (
    QT_TRANSLATE_NOOP("GovDesk", "编号"), QT_TRANSLATE_NOOP("GovDesk", "问题名称"), QT_TRANSLATE_NOOP("GovDesk", "责任单位"), QT_TRANSLATE_NOOP("GovDesk", "化解时限"), QT_TRANSLATE_NOOP("GovDesk", "状态"), QT_TRANSLATE_NOOP("GovDesk", "单位任务"), QT_TRANSLATE_NOOP("GovDesk", "化解情况"),
)


def value_range(top: int) -> tuple[int, int]:
    """The value axis's end and tick count: four steps of a round whole number of cases (1, 2, 5, 10, 20 …)."""
    wanted = max(top, 1) / 4
    magnitude = 10 ** math.floor(math.log10(wanted)) if wanted >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= wanted)
    return int(step) * 4, 5


class TallyChart(QChartView):
    """One breakdown of the screening as horizontal bars, the first at the top, each labelled with its count.
    Its least height is what its labels need at the current text size: Qt leaves every other label out when
    the rows are lower than a line."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        self._chart = QChart()
        super().__init__(self._chart, parent)
        self.heading = title
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._labels: list[str] = []
        self._values: list[int] = []
        self.show_tallies([])

    def sizeHint(self) -> QSize:
        return QSize(520, self.minimumHeight())

    def labels(self) -> list[str]:
        return list(self._labels)

    def values(self) -> list[int]:
        return list(self._values)

    def title(self) -> str:
        return self._chart.title()

    def show_tallies(self, tallies: list[tuple[str, int]]) -> None:
        # A new chart each time: axes taken off an old chart can go on drawing their labels.
        old, chart = self._chart, QChart()
        chart.setTheme(QChart.ChartTheme.ChartThemeLight)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 12, 4))
        chart.setBackgroundRoundness(0)
        self._chart = chart
        self.setChart(chart)
        old.deleteLater()
        font = QFont(QApplication.font())
        heading = QFont(font)
        heading.setBold(True)
        chart.setTitleFont(heading)
        self._labels = [tr("{0}  {1}件").format(key, n) for key, n in tallies]
        self._values = [n for _key, n in tallies]
        chart.setTitle(self.heading if tallies else tr("{0}：所选时段没有信访件").format(self.heading))
        self.setMinimumHeight(self.needed_height(len(tallies)))
        self.setMinimumWidth(self.needed_width(self._labels))
        if not tallies:
            return
        bars = QBarSet(self.heading)
        bars.setColor(QColor(ACCENT))
        bars.setBorderColor(QColor(ACCENT))
        # A horizontal bar chart draws its first category at the bottom: fed in reverse, the first is on top.
        bars.append([float(v) for v in reversed(self._values)])
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setBarWidth(0.6)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(list(reversed(self._labels)))
        categories.setLabelsFont(font)
        categories.setGridLineVisible(False)
        categories.setTruncateLabels(False)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        values = QValueAxis()
        top, ticks = value_range(max(self._values))
        values.setRange(0, top)
        values.setTickCount(ticks)
        values.setLabelFormat("%d")
        values.setLabelsFont(font)
        values.setGridLineColor(QColor(BORDER))
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)

    @staticmethod
    def needed_width(labels: list[str]) -> int:
        """Pixels that show the widest label whole: Qt gives the labels at most two fifths of the chart's width
        and cuts the rest off at the left edge without saying so (labelsTruncated stays false)."""
        metrics = QFontMetrics(QApplication.font())
        widest = max((metrics.horizontalAdvance(text) for text in labels), default=0)
        return max(CHART_MINIMUM_WIDTH, math.ceil(2.5 * widest) + 60)

    @staticmethod
    def needed_height(rows: int) -> int:
        line = QFontMetrics(QApplication.font()).height()
        return max(CHART_MINIMUM, rows * (line + ROW_GAP) + 5 * line + 40)


def report_of(result: screening.Screening, listed: list[problems.ProblemInfo], office_name: str,
              today: date) -> ScreeningReport:
    """The printed 排查表's data: the screening as counted, and the problems whose screening period overlaps it."""
    from app.printing.petitions.screening import CountRow, HotRow, ProblemRow, ScreeningReport

    f = result.filter
    assert f.date_from is not None and f.date_to is not None
    narrowing = IDEOGRAPHIC_SPACE.join(text for text in (
        tr("问题类别：{0}").format(f.category) if f.category else "", tr("属地：{0}").format(f.place) if f.place else "",
        tr("信访方式：{0}").format(f.channel) if f.channel else "",
    ) if text)
    overlapping = [p for p in listed if p.period_from <= f.date_to and p.period_to >= f.date_from]
    return ScreeningReport(
        office_name=office_name, period_from=f.date_from, period_to=f.date_to, narrowing=narrowing,
        cases=result.cases, people=result.people,
        by_category=[CountRow(t.key, t.cases, t.people) for t in result.by_category],
        by_place=[CountRow(t.key, t.cases, t.people) for t in result.by_place],
        by_channel=[CountRow(t.key, t.cases, t.people) for t in result.by_channel],
        period_caption=tr("按季度") if f.granularity == "quarter" else tr("按月"),
        by_period=[CountRow(p.label, p.cases) for p in result.by_period],
        hot=[HotRow(h.rank, h.category, h.place, h.cases, h.repeats, h.people) for h in result.hot_issues],
        printed_on=today,
        problems=[ProblemRow(p.number, p.title, p.unit_name, p.deadline, tr("已化解") if p.closed else p.state_label)
                  for p in overlapping],
    )


class AssignProblemDialog(FormDialog):
    """交办排查问题: the hot issue becomes a problem of a responsible unit, due on a deadline. The title, the
    description and the counts come from the screening; the unit and the deadline are the office's choice."""

    def __init__(self, ctx: AppContext, actor: Actor, issue: screening.HotIssue, period: tuple[date, date],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.issue, self.period = ctx, actor, issue, period
        self.saved: problems.ProblemInfo | None = None
        self.setWindowTitle(tr("交办排查问题"))
        self.setMinimumWidth(560)
        fit_when_shown(self)
        self.title_edit = QLineEdit(issue.suggested_title)
        self.found = QLabel(tr("{0}，{1}：{2}件（其中重复信访{3}件），涉及{4}人；排查时段{5}至{6}").format(
            issue.place, issue.category, issue.cases, issue.repeats, issue.people, cn_date(period[0]),
            cn_date(period[1])))
        self.found.setWordWrap(True)
        self.unit = QComboBox()
        for unit in read_units(parent, ctx, actor):
            self.unit.addItem(unit.name, unit.id)
        self.unit.setCurrentIndex(-1)
        self.deadline = date_edit(to_qdate(date.today() + timedelta(days=DEFAULT_DAYS)))
        self.description = QPlainTextEdit(tr("{0}反映{1}问题{2}件，请责任单位查明原因，制定化解措施，按期报送化解情况。").format(
            issue.place, issue.category, issue.cases))
        self.description.setFixedHeight(96)
        self.form = FormGrid()
        self.form.add("title", tr("问题名称"), self.title_edit, required=True)
        self.form.add("found", tr("排查情况"), self.found)
        self.form.add("unit_id", tr("责任单位"), self.unit, required=True, hint=tr("谁主管、谁负责：交给主管该问题的单位"))
        self.form.add("deadline", tr("化解时限"), self.deadline, required=True)
        self.form.add("description", tr("问题描述和化解要求"), self.description)
        self.lay_out(self.form, None, save_text=tr("交办"))

    def _save(self) -> None:
        ctx, actor, issue = self.ctx, self.actor, self.issue
        chosen = self.unit.currentData()
        unit_id = int(chosen) if chosen is not None else None
        title, description = self.title_edit.text(), self.description.toPlainText()
        deadline, (period_from, period_to) = to_date(self.deadline.date()), self.period

        def work() -> problems.ProblemInfo:
            with ctx.uow() as uow:
                return problems.create_problem(
                    uow, actor, title=title, category=issue.category, place=issue.place, period_from=period_from,
                    period_to=period_to, case_count=issue.cases, description=description, unit_id=unit_id,
                    deadline=deadline,
                )

        self.saved = db_call(self, work, saving=True)


class ScreeningTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.may_screen = records.sees_all(actor)
        self.may_assign = records.may_handle(actor) and actor.id is not None
        self.result: screening.Screening | None = None
        self.problem_rows: list[problems.ProblemInfo] = []
        self._read_once = False
        today = date.today()

        # ----- the period and the narrowing
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setSuffix(tr("年"))
        self.kind = QComboBox()
        for text, key in ((tr("全年"), "year"), (tr("季度"), "quarter"), (tr("月份"), "month"),
                          (tr("自定义"), "range")):
            self.kind.addItem(text, key)
        self.number = QComboBox()
        self.date_from = date_edit(to_qdate(date(today.year, 1, 1)))
        self.date_to = date_edit(to_qdate(today))
        self.category = QComboBox()
        self.place = QComboBox()
        self.channel = QComboBox()
        for combo in (self.category, self.place, self.channel):
            combo.addItem(tr("全部"), None)
        self.granularity = QComboBox()
        for key, text in screening.GRANULARITIES.items():
            self.granularity.addItem(tr(text), key)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.year.valueChanged.connect(lambda _v: self._period_changed())
        self.number.currentIndexChanged.connect(lambda _i: self._period_changed())
        self.print_button = QPushButton(action_icon("print"), tr("打印排查表…"))
        self.print_button.clicked.connect(self.print_report)
        self.print_button.setEnabled(False)
        self.count_button = QPushButton(action_icon("refresh", "white"), tr("统计"))
        self.count_button.setObjectName("primary")
        self.count_button.clicked.connect(self.refresh)
        self.period_error = QLabel()
        self.period_error.setObjectName("fieldError")
        self.period_error.hide()

        period_row = QHBoxLayout()
        for widget in (QLabel(tr("统计期：")), self.year, self.kind, self.number, QLabel(tr("从")), self.date_from,
                       QLabel(tr("到")), self.date_to):
            period_row.addWidget(widget)
        period_row.addStretch(1)
        # The buttons on the period's row: the filters' row is the longer at 大.
        period_row.addWidget(self.count_button)
        period_row.addWidget(self.print_button)
        filter_row = QHBoxLayout()
        for caption, widget in ((tr("问题类别："), self.category), (tr("属地："), self.place),
                                (tr("信访方式："), self.channel), (tr("周期："), self.granularity)):
            filter_row.addWidget(QLabel(caption))
            filter_row.addWidget(widget)
        filter_row.addStretch(1)

        self.summary = QLabel()
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.by_category = TallyChart(tr("按问题类别"))
        self.by_place = TallyChart(tr("按属地"))
        self.by_channel = TallyChart(tr("按信访方式"))
        self.by_period = TallyChart(tr("按月份"))
        # Two charts a row: a chart gives its labels at most two fifths of its width (needed_width).
        charts = QGridLayout()
        for index, chart in enumerate((self.by_category, self.by_place, self.by_channel, self.by_period)):
            charts.addWidget(chart, index // 2, index % 2, Qt.AlignmentFlag.AlignTop)
            charts.setColumnStretch(index % 2, 1)

        self.hot = plain_table()
        self.hot.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hot.itemSelectionChanged.connect(self._enable)
        self.hot.cellDoubleClicked.connect(lambda _r, _c: self.assign() if self.may_assign else None)
        self.assign_button = QPushButton(action_icon("new"), tr("交办排查问题…"))
        self.assign_button.clicked.connect(self.assign)
        self.assign_button.setVisible(self.may_assign)
        self.problems = plain_table()
        self.problems.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.problems.cellDoubleClicked.connect(lambda row, _c: self.open_problem(row))
        self.problems.setToolTip(tr("双击打开排查问题"))
        self.problems.itemSelectionChanged.connect(self._enable)
        self.open_button = QPushButton(tr("打开…"))
        self.open_button.clicked.connect(lambda: self.open_problem(self.problems.currentRow()))
        self.open_only = QComboBox()
        self.open_only.addItem(tr("化解中的问题"), True)
        self.open_only.addItem(tr("全部排查问题"), False)
        self.open_only.currentIndexChanged.connect(lambda _i: self.refresh_problems())

        body = QWidget()
        column = QVBoxLayout(body)
        self.screening_part = QWidget()
        part = QVBoxLayout(self.screening_part)
        part.setContentsMargins(0, 0, 0, 0)
        part.addLayout(period_row)
        part.addWidget(self.period_error)
        part.addLayout(filter_row)
        part.addWidget(self.summary)
        part.addLayout(charts)
        part.addLayout(self._heading(tr("热点问题（同一类别、同一属地{0}件以上）").format(screening.HOT_MIN_CASES),
                                     self.assign_button))
        part.addWidget(self.hot)
        column.addWidget(self.screening_part)
        self.screening_part.setVisible(self.may_screen)
        column.addLayout(self._heading(tr("排查问题"), self.open_only, self.open_button))
        column.addWidget(self.problems)
        column.addStretch(1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        # Scrolled sideways only where a category of thirty characters needs a chart wider than half the page.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._kind_changed()
        self._enable()

    @staticmethod
    def _heading(text: str, *widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        row.addWidget(label)
        row.addStretch(1)
        for widget in widgets:
            row.addWidget(widget)
        return row

    # ----- the period ----------------------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.number.blockSignals(True)
        self.number.clear()
        if kind == "quarter":
            for q, name in enumerate((tr("第一季度"), tr("第二季度"), tr("第三季度"), tr("第四季度")), start=1):
                self.number.addItem(name, q)
            self.number.setCurrentIndex((date.today().month - 1) // 3)
        elif kind == "month":
            for m in range(1, 13):
                self.number.addItem(tr("{0}月").format(m), m)
            self.number.setCurrentIndex(date.today().month - 1)
        self.number.blockSignals(False)
        self.number.setVisible(kind in ("quarter", "month"))
        self.year.setEnabled(kind != "range")
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(kind == "range")
        self._period_changed()

    def _period_changed(self) -> None:
        """The range the year, quarter or month stands for, shown in the day fields."""
        kind, year = self.kind.currentData(), self.year.value()
        if kind == "range":
            return
        if kind == "quarter":
            start, end = screening.quarter_range(year, int(self.number.currentData() or 1))
        elif kind == "month":
            start, end = screening.month_range(year, int(self.number.currentData() or 1))
        else:
            start, end = screening.year_range(year)
        self.date_from.setDate(to_qdate(start))
        self.date_to.setDate(to_qdate(end))

    def set_period(self, kind: str, year: int, number: int | None = None) -> None:
        """Chooses a period as the user would (the tests, and a page that opens on one)."""
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.year.setValue(year)
        if number is not None:
            self.number.setCurrentIndex(self.number.findData(number))
        self._period_changed()

    def set_range(self, start: date, end: date) -> None:
        self.kind.setCurrentIndex(self.kind.findData("range"))
        self.date_from.setDate(QDate(start.year, start.month, start.day))
        self.date_to.setDate(QDate(end.year, end.month, end.day))

    def current_filter(self) -> screening.ScreeningFilter:
        return screening.ScreeningFilter(
            to_date(self.date_from.date()), to_date(self.date_to.date()),
            category=self.category.currentData(), place=self.place.currentData(),
            channel=self.channel.currentData(), granularity=self.granularity.currentData(),
        )

    # ----- reading -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.may_screen:
            self.refresh_screening()
        self.refresh_problems()

    def refresh_screening(self) -> None:
        f, ctx, actor = self.current_filter(), self.ctx, self.actor

        def work() -> tuple[screening.Screening, screening.Choices]:
            with ctx.uow() as uow:
                return screening.screen(uow, actor, f), screening.filter_choices(uow, actor)

        self.period_error.hide()
        try:
            result, choices = db_call(self, work)
        except ValidationError as error:
            self.period_error.setText(error.message)
            self.period_error.show()
            return
        except GovDeskError as error:
            show_error(self, error)
            return
        self._offer(self.category, choices.categories)
        self._offer(self.place, choices.places)
        self._offer(self.channel, choices.channels)
        self.show_screening(result)

    @staticmethod
    def _offer(combo: QComboBox, values: tuple[str, ...]) -> None:
        """The filter's choices, keeping the one chosen."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(tr("全部"), None)
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def show_screening(self, result: screening.Screening) -> None:
        self.result = result
        f = result.filter
        self.summary.setText(tr("{0}至{1}：信访件{2}件，涉及{3}人；热点问题{4}项").format(
            cn_date(f.date_from), cn_date(f.date_to), result.cases, result.people, len(result.hot_issues)))
        self.by_category.show_tallies([(t.key, t.cases) for t in result.by_category])
        self.by_place.show_tallies([(t.key, t.cases) for t in result.by_place])
        self.by_channel.show_tallies([(t.key, t.cases) for t in result.by_channel])
        self.by_period.heading = tr("按季度") if f.granularity == "quarter" else tr("按月份")
        self.by_period.show_tallies([(p.label, p.cases) for p in result.by_period])
        fill_table(self.hot, [tr(h) for h in HOT_HEADERS], [
            [str(h.rank), h.category, h.place, str(h.cases), str(h.repeats), str(h.people),
             cn_date(h.first_received), cn_date(h.last_received)] for h in result.hot_issues
        ])
        self._fit(self.hot, len(result.hot_issues))
        self._enable()

    def refresh_problems(self) -> None:
        ctx, actor, open_only = self.ctx, self.actor, bool(self.open_only.currentData())

        def work() -> list[problems.ProblemInfo]:
            with ctx.uow() as uow:
                return problems.list_problems(uow, actor, open_only=open_only)

        try:
            rows = db_call(self, work)
        except GovDeskError as error:
            show_error(self, error)
            return
        self.show_problems(rows)

    def show_problems(self, rows: list[problems.ProblemInfo]) -> None:
        self.problem_rows = rows
        today = date.today()
        fill_table(self.problems, [tr(h) for h in PROBLEM_HEADERS], [
            [p.number, p.title, p.unit_name, cn_date(p.deadline),
             tr("已化解") if p.closed else (tr("逾期") if p.overdue(today) else p.state_label),
             p.task_state_label, p.feedback or "—"] for p in rows
        ])
        for row, p in enumerate(rows):
            state = self.problems.item(row, 4)
            assert state is not None
            state.setForeground(QColor(OK if p.closed else URGENT if p.overdue(today) else ACCENT))
        self._fit(self.problems, len(rows))
        self._enable()

    @staticmethod
    def _fit(table: QTableWidget, rows: int) -> None:
        """A table as high as its rows (the tab scrolls, not each table), at least three rows."""
        header = table.horizontalHeader().sizeHint().height()
        line = table.verticalHeader().defaultSectionSize()
        table.setMinimumHeight(header + max(rows, 3) * line + 4)

    def print_report(self) -> None:
        """The screening shown, printed as the 信访问题排查情况表 with the problems assigned over its period."""
        from app.ui.widgets.print_preview import PrintPreviewDialog

        if self.result is None:
            return
        result, ctx, actor = self.result, self.ctx, self.actor

        def work() -> bytes:
            from app.printing.petitions.screening import render_screening
            from app.services.kernel.settings import get_setting

            with ctx.uow() as uow:
                office = str(get_setting(uow, "office_name"))
                listed = problems.list_problems(uow, actor)
            return render_screening(report_of(result, listed, office, date.today()))

        try:
            pdf = db_call(self, work)
        except GovDeskError as error:
            show_error(self, error)
            return
        f = result.filter
        assert f.date_from is not None and f.date_to is not None
        name = tr("信访问题排查情况表（{0}至{1}）.pdf").format(f.date_from.isoformat(), f.date_to.isoformat())
        PrintPreviewDialog(tr("信访问题排查情况表"), pdf, name, self).exec()

    def _enable(self) -> None:
        self.print_button.setEnabled(self.result is not None)
        self.assign_button.setEnabled(self.may_assign and self.selected_issue() is not None)
        self.assign_button.setToolTip("" if self.selected_issue() is not None else tr("请先在热点问题中选中一项"))
        self.open_button.setEnabled(0 <= self.problems.currentRow() < len(self.problem_rows))

    # ----- acting --------------------------------------------------------------------------------------------
    def selected_issue(self) -> screening.HotIssue | None:
        if self.result is None or not self.hot.selectionModel().hasSelection():
            return None
        row = self.hot.currentRow()
        return self.result.hot_issues[row] if 0 <= row < len(self.result.hot_issues) else None

    def assign_dialog(self) -> AssignProblemDialog | None:
        issue = self.selected_issue()
        if issue is None or self.result is None:
            return None
        f = self.result.filter
        assert f.date_from is not None and f.date_to is not None
        try:
            return AssignProblemDialog(self.ctx, self.actor, issue, (f.date_from, f.date_to), self)
        except GovDeskError as error:
            show_error(self, error)
            return None

    def assign(self) -> None:
        dialog = self.assign_dialog()
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh_problems()

    def open_problem(self, row: int) -> None:
        if not 0 <= row < len(self.problem_rows):
            return
        from app.ui.petitions.problem_window import ProblemWindow

        try:
            window = ProblemWindow(self.ctx, self.actor, self.problem_rows[row].id, self)
        except GovDeskError as error:
            show_error(self, error)
            return
        window.exec()
        if window.changed:
            self.refresh_problems()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # Read when first shown, not when the page is built: a page of tabs builds them all at once.
        if not self._read_once:
            self._read_once = True
            self.refresh()
