"""The 督查通报's chart on screen (app.ui.supervision.notice_chart): each unit's 按期办结率 from the same
SupervisionNotice the printed notice draws, in ranking order, with Chinese labels, on a 1366×768 screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QHorizontalBarSeries, QValueAxis
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.supervision.classes import SOURCES
from app.core.supervision.notice import COMPLETION_RATE, ItemFacts, month_period, notice_figures
from app.printing.supervision.data import notice_from_figures
from app.ui.supervision.notice_chart import NoticeChart, NoticeChartPanel, category_text
from app.ui.theme import ACCENT, TEXT_SIZES, apply_theme
from tests.helpers import supervision_print_samples as samples


def shown_chart(qtbot: QtBot, width: int = 1000, height: int = 700) -> NoticeChart:
    chart = NoticeChart()
    qtbot.addWidget(chart)
    chart.resize(width, height)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def test_the_chart_shows_each_units_rate_in_ranking_order(qtbot: QtBot, tmp_path: Path) -> None:
    notice = samples.notice()
    figures = samples.figures()  # counted again by core, not read from the notice
    chart = shown_chart(qtbot)
    assert chart.title() == "尚未生成通报"
    chart.show_notice(notice)
    assert chart.title() == f"2026年第二季度各单位{COMPLETION_RATE.name}"
    assert chart.categories() == [category_text(t.name, t.rate_text) for t in figures.by_unit]
    assert chart.values() == [float(t.rate) if t.rate is not None else 0.0 for t in figures.by_unit]
    assert len(chart.categories()) == 20

    # What Qt draws: one bar set in the accent colour, fed bottom-up so the first of the ranking is on top.
    (series,) = chart.chart().series()
    assert isinstance(series, QHorizontalBarSeries)
    (bars,) = series.barSets()
    assert bars.color() == QColor(ACCENT)
    assert [bars.at(i) for i in range(bars.count())] == list(reversed(chart.values()))
    axes = {type(axis): axis for axis in chart.chart().axes()}
    categories = axes[QBarCategoryAxis]
    assert isinstance(categories, QBarCategoryAxis)
    assert list(reversed(categories.categories())) == chart.categories()
    values = axes[QValueAxis]
    assert isinstance(values, QValueAxis)
    assert (values.min(), values.max()) == (0, 100)

    # Every label has the room it needs: none is elided or left out, the plot starts right of the widest.
    qtbot.wait(100)
    assert label_problems(chart) == []
    metrics = QFontMetrics(categories.labelsFont())
    assert chart.chart().plotArea().left() >= max(metrics.horizontalAdvance(text) for text in chart.categories())
    chart.grab().save(str(tmp_path / "notice-chart.png"))
    import os
    if os.environ.get("HC_SHOT"):
        chart.grab().save(os.environ["HC_SHOT"])
    assert (tmp_path / "notice-chart.png").stat().st_size > 0


def label_problems(chart: NoticeChart) -> list[str]:
    """Labels Qt elided, or left out because their rows are lower than a line of text."""
    axes = {type(axis): axis for axis in chart.chart().axes()}
    categories, values = axes[QBarCategoryAxis], axes[QValueAxis]
    problems = [f"{type(a).__name__}: labels elided" for a in (categories, values) if a.labelsTruncated()]
    line = QFontMetrics(categories.labelsFont()).height()
    row = chart.chart().plotArea().height() / len(chart.categories())
    if row < line + 2:
        problems.append(f"rows of {row:.1f} px for labels {line} px high: Qt leaves every other one out")
    return problems


@pytest.mark.parametrize("text_size", list(TEXT_SIZES))
def test_every_label_shows_at_every_text_size_on_a_1366_by_768_screen(
    qtbot: QtBot, qapp: QApplication, text_size: str, tmp_path: Path
) -> None:
    apply_theme(qapp, text_size)
    panel = NoticeChartPanel()
    qtbot.addWidget(panel)
    # What a page leaves on a 1366×768 screen beside the navigation, under the title bar and the buttons.
    panel.resize(1366 - 240, 768 - 220)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_notice(samples.notice())
    qtbot.wait(100)
    least = panel.minimumSize().expandedTo(panel.minimumSizeHint())
    assert least.width() <= 1366 - 240 and least.height() <= 768 - 220
    assert panel.horizontalScrollBar().maximum() == 0
    assert label_problems(panel.chart_view) == []
    assert panel.grab().save(str(tmp_path / f"notice-chart-{text_size}.png"))


def test_a_unit_with_nothing_due_shows_a_dash_and_no_bar(qtbot: QtBot) -> None:
    period = month_period(2026, 5)
    items = [
        ItemFacts(1, "完善县城停车设施", "县交通运输局", SOURCES[0], date(2026, 4, 1), date(2026, 12, 31)),
        ItemFacts(2, "改造农贸市场", "县商务局", SOURCES[1], date(2026, 4, 1), date(2026, 5, 20), date(2026, 5, 18)),
    ]
    notice = notice_from_figures(notice_figures(items, period, SOURCES), office_name=samples.OFFICE,
                                 issued_on=date(2026, 6, 5))
    chart = shown_chart(qtbot)
    chart.show_notice(notice)
    assert chart.categories() == ["县商务局  100.0%", "县交通运输局  —"]
    assert chart.values() == [100.0, 0.0]


def test_a_notice_without_units_says_so_and_a_new_notice_replaces_the_old(qtbot: QtBot) -> None:
    period = month_period(2026, 5)
    empty = notice_from_figures(notice_figures([], period, SOURCES), office_name=samples.OFFICE,
                                issued_on=date(2026, 6, 5))
    chart = shown_chart(qtbot)
    chart.show_notice(samples.notice())
    chart.show_notice(empty)
    assert chart.title() == "2026年5月没有纳入统计的督办事项"
    assert chart.categories() == [] and chart.chart().series() == []
    chart.show_notice(samples.notice())
    assert len(chart.chart().series()) == 1 and len(chart.chart().axes()) == 2


def test_a_notice_shown_again_leaves_no_axis_of_the_last_behind(qtbot: QtBot) -> None:
    """The notice tab shows a notice each time 统计 is pressed: the axes of the last one go with it (they drew their
    labels over the new ones, seen in a screenshot)."""
    chart = shown_chart(qtbot)
    chart.show_notice(samples.notice())
    first = chart.chart()
    chart.show_notice(samples.notice())
    assert chart.chart() is not first and len(chart.chart().axes()) == 2
    # The scene holds the new chart alone.
    assert [item for item in chart.scene().items() if item.parentItem() is None] == [chart.chart()]
