"""通报 on the 信息调研 page: pick a year and a period (全年, 第一季度 … 第四季度); the tab shows the groups' quota
completion as the printed notice has it (app.services.information.notices): the table of the groups, the office's
totals, bars of each group's items against its quota and of its points, and the groups that lose 评先评优 for the
year in red. 打印通报… opens the print preview of the notice (app.printing.information.notice); 导出Excel… saves the
notice's workbook (app.services.information.notice_sheet).

The chart is drawn with QPainter (QtCharts is not one of the program's dependencies)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.services.information import notices
from app.services.kernel.actor import Actor
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT, BORDER, MUTED, OK, SOON, URGENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import fill_table, plain_table
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.qt_helpers import ask_excel_file

HEADERS = (
    QT_TRANSLATE_NOOP("GovDesk", "组别"), QT_TRANSLATE_NOOP("GovDesk", "分管领导"),
    QT_TRANSLATE_NOOP("GovDesk", "应报信息"), QT_TRANSLATE_NOOP("GovDesk", "实报信息"),
    QT_TRANSLATE_NOOP("GovDesk", "完成率"), QT_TRANSLATE_NOOP("GovDesk", "未完成\n周数"),
    QT_TRANSLATE_NOOP("GovDesk", "调研文章\n（应/实）"), QT_TRANSLATE_NOOP("GovDesk", "被采用\n条数"),
    QT_TRANSLATE_NOOP("GovDesk", "得分"), QT_TRANSLATE_NOOP("GovDesk", "评先评优"),
)
PERIODS = (
    QT_TRANSLATE_NOOP("GovDesk", "全年"), QT_TRANSLATE_NOOP("GovDesk", "第一季度"),
    QT_TRANSLATE_NOOP("GovDesk", "第二季度"), QT_TRANSLATE_NOOP("GovDesk", "第三季度"),
    QT_TRANSLATE_NOOP("GovDesk", "第四季度"),
)
ELIGIBILITY_COLUMN = 9
# 应报 in a lighter blue than 实报 (the accent), yet plain against the white page.
QUOTA_COLOR, ITEMS_COLOR, POINTS_COLOR = "#9DBBD9", ACCENT, SOON


@dataclass(frozen=True)
class Bar:
    """One group in the chart: its name under the bars, its 应报, 实报 and points."""

    name: str
    quota: int
    items: int
    points: int


def short_name(name: str) -> str:
    """第一信息组 → 第一组, under the bars."""
    suffix = tr("信息组")
    return name[: -len(suffix)] + tr("组") if name.endswith(suffix) and len(name) > len(suffix) else name


class NoticeChart(QWidget):
    """Two panels of bars side by side: each group's 应报 and 实报 信息; each group's 得分. Every group's name is
    written under its bars (wrapped to two lines or turned aside rather than cut)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.bars = list(bars)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        line = QFontMetrics(self.font()).height()
        return QSize(600, line * 15)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        gap = QFontMetrics(self.font()).height()
        width = self.width()
        left = QRectF(0, 0, width * 0.62 - gap / 2, self.height())
        right = QRectF(width * 0.62 + gap / 2, 0, width * 0.38 - gap / 2, self.height())
        self._panel(painter, left, tr("应报、实报信息（条）"),
                    [(b.quota, b.items) for b in self.bars], [QColor(QUOTA_COLOR), QColor(ITEMS_COLOR)],
                    [tr("应报"), tr("实报")])
        self._panel(painter, right, tr("被上级采用得分（分）"), [(b.points,) for b in self.bars], [QColor(POINTS_COLOR)],
                    [])
        painter.end()

    def _panel(
        self, painter: QPainter, area: QRectF, heading: str, values: Sequence[tuple[int, ...]],
        fills: Sequence[QColor], legend: Sequence[str],
    ) -> None:
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        painter.setPen(QColor("#1F2933"))
        painter.drawText(QRectF(area.left(), area.top(), area.width(), line), Qt.AlignmentFlag.AlignLeft, heading)
        # The legend at the heading's right.
        x = area.right()
        for text, fill in reversed(list(zip(legend, fills, strict=False))):
            x -= metrics.horizontalAdvance(text)
            painter.drawText(QRectF(x, area.top(), metrics.horizontalAdvance(text), line), Qt.AlignmentFlag.AlignLeft,
                             text)
            x -= line * 0.9
            painter.fillRect(QRectF(x, area.top() + line * 0.2, line * 0.6, line * 0.6), fill)
            x -= line * 0.6
        top = max([v for row in values for v in row] + [1])
        step = nice_step(top)
        end = step * (top // step + 1)
        axis_width = metrics.horizontalAdvance(str(end)) + line / 2
        names_height = line * 2.2
        plot = QRectF(area.left() + axis_width, area.top() + line * 1.8, area.width() - axis_width,
                      area.height() - line * 1.8 - names_height - line * 0.3)
        painter.setPen(QPen(QColor(BORDER), 1))
        for tick in range(0, end + 1, step):
            y = plot.bottom() - plot.height() * tick / end
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(QColor(MUTED))
            painter.drawText(QRectF(area.left(), y - line / 2, axis_width - line / 4, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(tick))
            painter.setPen(QPen(QColor(BORDER), 1))
        if not values:
            painter.setPen(QColor(MUTED))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, tr("尚未设置信息组"))
            return
        slot = plot.width() / len(values)
        series = len(fills)
        bar_width = max(2.0, slot * 0.7 / series)
        small = self.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        for index, row in enumerate(values):
            start = plot.left() + slot * index + (slot - bar_width * series) / 2
            for s, value in enumerate(row):
                height = plot.height() * value / end
                bar = QRectF(start + s * bar_width, plot.bottom() - height, bar_width, height)
                painter.fillRect(bar, fills[s])
                painter.setFont(small)
                painter.setPen(QColor("#1F2933"))
                painter.drawText(QRectF(bar.left() - line, bar.top() - line, bar.width() + 2 * line, line),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, str(value))
                painter.setFont(self.font())
            name = short_name(self.bars[index].name)
            painter.setPen(QColor("#1F2933"))
            painter.drawText(QRectF(plot.left() + slot * index, plot.bottom() + line * 0.2, slot, names_height),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWrapAnywhere,
                             name)

    def names_fit(self) -> bool:
        """Whether every group's name fits under its bars in both panels (two lines at most)."""
        if not self.bars:
            return True
        metrics = QFontMetrics(self.font())
        narrowest = (self.width() * 0.38 - metrics.height()) / len(self.bars)
        return all(metrics.horizontalAdvance(short_name(b.name)) <= 2 * narrowest for b in self.bars)


def nice_step(top: int) -> int:
    """A round step for the value axis up to ``top``: 1, 2 or 5 times a power of ten, about five steps."""
    step = 1
    while top / step > 5:
        for factor in (2, 5 / 2, 2):
            step = round(step * factor)
            if top / step <= 5:
                break
    return step


def write_whole(target: Path, content: bytes) -> None:
    """The file written whole, or not at all: a half-written file never takes the target's name."""
    partial = target.with_name(target.stem + ".partial" + target.suffix)
    try:
        partial.write_bytes(content)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise GovDeskError(
            tr("无法保存到“{0}”：{1}。请换一个文件夹，或先关闭已在Excel中打开的同名文件").format(
                target, error.strerror or error)
        ) from error


class NoticeTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        self.notice: notices.Notice | None = None
        today = date.today()

        self.year = QSpinBox()
        self.year.setRange(notices.MIN_YEAR, notices.MAX_YEAR)
        self.year.setValue(today.year)
        self.year.setSuffix(tr("年"))
        self.period = QComboBox()
        self.period.addItems([tr(p) for p in PERIODS])
        self.period.setCurrentIndex((today.month - 1) // 3 + 1)
        self.refresh_button = QPushButton(action_icon("refresh"), tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh)
        self.print_button = QPushButton(action_icon("print"), tr("打印通报…"))
        self.print_button.clicked.connect(self.print_notice)
        self.export_button = QPushButton(action_icon("save"), tr("导出Excel…"))
        self.export_button.clicked.connect(self.export)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("年度")))
        bar.addWidget(self.year)
        bar.addWidget(QLabel(tr("期间")))
        bar.addWidget(self.period)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.export_button)

        self.title = QLabel("")
        title_font = self.title.font()
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        self.totals = QLabel("")
        self.totals.setWordWrap(True)
        self.table = plain_table()
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.note = QLabel(tr("应报信息按已结束各周的任务数合计，节假日所在周按工作日折算；未完成周数只计已结束的周；"
                              "调研文章按所涉半年度计；被采用条数和得分按采用日期计入。"))
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.chart = NoticeChart()
        self.eligibility = QLabel("")
        self.eligibility.setWordWrap(True)

        body = QWidget()
        column = QVBoxLayout(body)
        for widget in (self.title, self.totals, self.table, self.note, self.chart, self.eligibility):
            column.addWidget(widget)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll_area.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)
        self._enable()

    # ----- reading ---------------------------------------------------------------------------------------------
    def selected_period(self) -> tuple[int, int | None]:
        index = self.period.currentIndex()
        return self.year.value(), (index if index > 0 else None)

    def refresh(self) -> None:
        year, quarter = self.selected_period()
        ctx, actor = self.ctx, self.actor

        def work() -> notices.Notice:
            with ctx.uow() as uow:
                return notices.notice(uow, actor, year, quarter)

        try:
            self.show_notice(db_call(self, work))
        except GovDeskError as error:
            self.notice = None
            self._enable()
            show_error(self, error)

    def show_notice(self, notice: notices.Notice) -> None:
        self.notice = notice
        self.title.setText(notice.title)
        t = notice.totals
        standing = (tr("（截至{0}年{1}月{2}日）").format(notice.today.year, notice.today.month, notice.today.day)
                    if notice.today <= notice.end else "")
        self.totals.setText(tr("{0}{1}：编发《政务信息》{2}期，报送信息{3}条，被上级采用{4}条，计{5}分，完成调研文章{6}篇。").format(
            notice.period_label, standing, t.issues, t.items, t.adopted_items, t.points, t.articles))
        rows = [
            [g.name, g.leader_name or "—", str(g.quota), str(g.items), g.completion_text, str(g.weeks_missed),
             f"{g.article_quota}/{g.half_articles}", str(g.adopted_items), str(g.points),
             tr("取消") if g.loses_eligibility else tr("保留")]
            for g in notice.groups
        ]
        fill_table(self.table, [tr(h) for h in HEADERS], rows)
        for row, group in enumerate(notice.groups):
            for col in range(len(HEADERS)):
                cell = self.table.item(row, col)
                assert cell is not None
                if col >= 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if group.loses_eligibility and col in (0, ELIGIBILITY_COLUMN):
                    cell.setForeground(QColor(URGENT))
        self._fit_table()
        self.chart.set_bars([Bar(g.name, g.quota, g.items, g.points) for g in notice.groups])
        losing = notice.losing
        if losing:
            lines = "\n".join(tr("{0}：{1}").format(g.name, tr("，").join(g.eligibility_reasons)) for g in losing)
            self.eligibility.setText(tr("取消{0}年度评先评优资格的信息组：").format(notice.year) + "\n" + lines)
            self.eligibility.setStyleSheet(f"color: {URGENT};")
        else:
            self.eligibility.setText(tr("各信息组均完成了{0}年已到期的报送任务，没有取消评先评优资格的信息组。").format(
                notice.year))
            self.eligibility.setStyleSheet(f"color: {OK};")
        self._enable()

    def _fit_table(self) -> None:
        """The table as high as its rows (the tab scrolls, not the table), its columns sharing the width."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(header.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        rows = self.table.rowCount()
        height = header.sizeHint().height() + sum(self.table.rowHeight(r) for r in range(rows)) + 4
        self.table.setFixedHeight(max(height, header.sizeHint().height() + 3 * self.table.verticalHeader()
                                      .defaultSectionSize()))
        widest = max((QFontMetrics(self.table.font()).horizontalAdvance(line) for h in HEADERS
                      for line in tr(h).splitlines()), default=0)
        self.table.setMinimumWidth(int((widest + 16) * len(HEADERS) * 0.8))

    def _enable(self) -> None:
        shown = self.notice is not None
        self.print_button.setEnabled(shown)
        self.export_button.setEnabled(shown)

    # ----- printing and exporting ------------------------------------------------------------------------------
    def print_pdf(self) -> bytes:
        """The notice of the period picked, as printed (the print recorded in the audit log)."""
        from app.forms import PrintContext, PrintPeriod
        from app.forms.information import load_notice
        from app.printing.information.notice import render_notice

        year, quarter = self.selected_period()
        ctx, actor = self.ctx, self.actor

        def work() -> bytes:
            return render_notice(load_notice(PrintContext(ctx, actor), PrintPeriod(year=year, quarter=quarter)))

        return db_call(self, work)

    def print_notice(self) -> None:
        from app.ui.widgets.print_preview import PrintPreviewDialog

        if self.notice is None:
            return
        try:
            pdf = self.print_pdf()
        except GovDeskError as error:
            show_error(self, error)
            return
        title = self.notice.title
        PrintPreviewDialog(tr("政务信息报送情况通报"), pdf, f"{title}.pdf", self).exec()

    def export(self) -> Path | None:
        from app.services.information.notice_sheet import notice_sheet

        if self.notice is None:
            return None
        notice = self.notice
        target = ask_excel_file(self, f"{notice.title}.xlsx")
        if target is None:
            return None
        try:
            content = db_call(self, lambda: notice_sheet(notice))
            write_whole(target, content)
        except GovDeskError as error:
            show_error(self, error)
            return None
        inform(self, tr("导出完成"), tr("已将{0}导出到“{1}”。").format(notice.title, target))
        return target
