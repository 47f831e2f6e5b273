"""The 督查通报's chart on screen: each unit's 按期办结率 as a horizontal bar, in ranking order, the first at the
top, from the same SupervisionNotice the printed notice draws (app.printing.supervision.notice.rate_chart), so
the screen and the paper show the same figures under the same name (app.core.supervision.notice).

Qt leaves out every other category label when rows are too low for them, and elides long names: the chart
asks for the height its labels need at the current text size, never elides, and NoticeChartPanel scrolls it
on a 1366×768 screen when twenty units at 大 need more room than the page has."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QWidget

from app.core.supervision.notice import COMPLETION_RATE
from app.printing.supervision.data import SupervisionNotice
from app.ui.i18n import tr
from app.ui.theme import ACCENT, BORDER

# Room between two units' labels, in pixels, beyond a line of text.
ROW_GAP = 8
MINIMUM_HEIGHT = 320


def category_text(name: str, rate_text: str) -> str:
    """A unit's label with its rate beside it: a unit with nothing due shows “—” and has no bar."""
    return f"{name}  {rate_text}"


class NoticeChart(QChartView):
    """A bar chart of the units' completion rates; ``show_notice`` fills it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._chart = self._new_chart()
        super().__init__(self._chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(480, MINIMUM_HEIGHT)
        self._categories: list[str] = []
        self._values: list[float] = []
        self._chart.setTitle(tr("尚未生成通报"))

    def sizeHint(self) -> QSize:
        return QSize(900, 560)

    # ----- what the user sees, for tests and for the notice page ---------------------------------
    def title(self) -> str:
        return self._chart.title()

    def categories(self) -> list[str]:
        """The units' labels from the top of the chart down (the ranking's order)."""
        return list(self._categories)

    def values(self) -> list[float]:
        """Each unit's bar length in per cent, in the order of categories()."""
        return list(self._values)

    # ----- filling --------------------------------------------------------------------------------
    @staticmethod
    def _new_chart() -> QChart:
        chart = QChart()
        chart.setTheme(QChart.ChartTheme.ChartThemeLight)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 12, 4))
        chart.setBackgroundRoundness(0)
        return chart

    def show_notice(self, notice: SupervisionNotice) -> None:
        # A new chart for each notice: axes taken off the old one kept drawing their labels over the new ones
        # (seen when a month's notice was followed by the year's).
        old, chart = self._chart, self._new_chart()
        self._chart = chart
        self.setChart(chart)
        old.deleteLater()
        font = QFont(QApplication.font())
        title_font = QFont(font)
        title_font.setBold(True)
        title_font.setPointSizeF(font.pointSizeF() + 2)
        chart.setTitleFont(title_font)
        units = list(notice.by_unit)
        if not units:
            self._categories, self._values = [], []
            chart.setTitle(tr("{period}没有纳入统计的督办事项").format(period=notice.period.label))
            return
        chart.setTitle(tr("{period}各单位{figure}").format(period=notice.period.label, figure=COMPLETION_RATE.name))
        self._categories = [category_text(t.name, t.rate_text) for t in units]
        self._values = [float(t.rate) if t.rate is not None else 0.0 for t in units]

        bars = QBarSet(COMPLETION_RATE.name)
        bars.setColor(QColor(ACCENT))
        bars.setBorderColor(QColor(ACCENT))
        # A horizontal bar chart draws its first category at the bottom: fed in reverse, the first is on top.
        bars.append(list(reversed(self._values)))
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setBarWidth(0.6)
        chart.addSeries(series)

        category_axis = QBarCategoryAxis()
        category_axis.append(list(reversed(self._categories)))
        category_axis.setLabelsFont(font)
        category_axis.setGridLineVisible(False)
        # Qt elides a long unit name to “…” by default; the plot gives way to the names instead.
        category_axis.setTruncateLabels(False)
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(category_axis)

        value_axis = QValueAxis()
        value_axis.setRange(0, 100)
        value_axis.setTickCount(6)
        value_axis.setLabelFormat("%d%%")
        value_axis.setLabelsFont(font)
        value_axis.setTruncateLabels(False)
        value_axis.setGridLineColor(QColor(BORDER))
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(value_axis)
        self.setMinimumHeight(self.needed_height(len(units)))

    @staticmethod
    def needed_height(units: int) -> int:
        """Pixels that show every unit's label at the current text size: a row per unit, the title and the axis."""
        line = QFontMetrics(QApplication.font()).height()
        return max(MINIMUM_HEIGHT, units * (line + ROW_GAP) + 4 * line + 48)


class NoticeChartPanel(QScrollArea):
    """The chart as the notice page holds it: as wide as the page, scrolled when its units need more height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart_view = NoticeChart()
        self.setWidget(self.chart_view)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumSize(480, MINIMUM_HEIGHT)

    def sizeHint(self) -> QSize:
        return QSize(900, 560)

    def show_notice(self, notice: SupervisionNotice) -> None:
        self.chart_view.show_notice(notice)
