"""The 排查 tab and the 排查问题 window, driven as their users would: the 信访接待员 counts the year, sees the bars
by category, place, channel and month and the hot issues, assigns the first (its title prefilled) to 县财政局;
the bureau's 联络员 finds it on their tab (and no screening), opens it and reports; the 信访接待员 closes it
(化解办结). Each is looked at on a 1366×768 screen at text size 中 and 大: no chart label is elided or left
out, the tab fits the width."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QValueAxis
from PySide6.QtCore import QEvent
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.petitions import problems
from app.ui.petitions.problem_window import ProblemWindow
from app.ui.petitions.screening_tab import AssignProblemDialog, ScreeningTab, TallyChart, value_range
from app.ui.theme import apply_theme
from app.ui.widgets.record_features import TextDialog
from tests.helpers.document_office import Office
from tests.helpers.document_ui import buttons, click
from tests.helpers.petitions_office import build_petition_office, id_number, register

SHOTS = Path("/tmp/petition-screening-shots")
# What the 信访 page leaves for its tabs on a 1366-pixel screen, beside the navigation pane.
PAGE_WIDTH = 1366 - 240
# (received, category, place, channel, people, request): five cases of 2026 by five petitioners.
CASES = (
    (date(2026, 9, 10), "商品房两证办理", "城关镇", "来访", 1, "幸福小区交房五年仍未办理不动产权证书，开发商一直拖延"),
    (date(2026, 10, 12), "商品房两证办理", "城关镇", "来信", 3, "阳光花园业主的土地使用证迟迟不能分割登记到户"),
    (date(2026, 10, 20), "复员退伍军人就业", "河西乡", "来电", 2, "退役后安置岗位没有落实，乡里说等指标"),
    (date(2026, 11, 5), "复员退伍军人就业", "河西乡", "网上信访", 1, "转业士官自主就业补助金至今未发放"),
    (date(2026, 11, 10), "征地拆迁", "城关镇", "来访", 5, "老街改造拆迁补偿标准低于周边项目，五户联名"),
)


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    o = build_petition_office(sqlite_ctx)
    for serial, (received, category, place, channel, people, request) in enumerate(CASES, start=200):
        register(o, received_on=received, category=category, place=place, channel=channel, people_count=people,
                 id_number=id_number("19700101", str(serial)), name=f"信访人{serial}", phone=f"1390000{serial:04d}",
                 request=request, facts="")
    yield o


def _shoot(widget: QWidget, name: str, qtbot: QtBot) -> None:
    """The widget on a 1366×768 screen at 中 and 大, saved for the README and looked at."""
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        if isinstance(widget, ScreeningTab) and widget.result is not None:
            widget.show_screening(widget.result)
        elif isinstance(widget, ProblemWindow):
            widget.load()
        widget.resize(1366, 768)
        widget.show()
        qtbot.wait(80)
        assert widget.grab().save(str(SHOTS / f"{name}-{size}.png"))
        if isinstance(widget, ScreeningTab) and widget.result is not None:
            for chart in (widget.by_category, widget.by_place, widget.by_channel, widget.by_period):
                assert label_problems(chart) == [], (size, chart.heading, label_problems(chart))
            # The page's width is enough, and so is what the 信访 page leaves beside the navigation: nothing to
            # scroll sideways.
            assert widget.scroll_area.horizontalScrollBar().maximum() == 0
            widget.resize(PAGE_WIDTH, 768)
            qtbot.wait(50)
            assert widget.scroll_area.horizontalScrollBar().maximum() == 0, size
            assert widget.grab().save(str(SHOTS / f"{name}-page-{size}.png"))
            widget.resize(1366, 768)
            qtbot.wait(50)
            widget.scroll_area.ensureWidgetVisible(widget.hot)
            qtbot.wait(50)
            assert widget.grab().save(str(SHOTS / f"{name}-hot-{size}.png"))
            widget.scroll_area.verticalScrollBar().setValue(0)
    apply_theme(app, "medium")


def label_problems(chart: TallyChart) -> list[str]:
    """Labels Qt elided, or left out because their rows are lower than a line of text."""
    axes = {type(axis): axis for axis in chart.chart().axes()}
    if not axes:
        return []
    categories, values = axes[QBarCategoryAxis], axes[QValueAxis]
    problems_found = [f"{type(a).__name__}: labels elided" for a in (categories, values) if a.labelsTruncated()]
    line = QFontMetrics(categories.labelsFont()).height()
    row = chart.chart().plotArea().height() / len(chart.labels())
    if row < line + 2:
        problems_found.append(f"rows of {row:.1f} px for labels {line} px high")
    # Qt cuts a label too wide for its share of the chart at the left edge, and says nothing of it.
    metrics = QFontMetrics(categories.labelsFont())
    widest = max(metrics.horizontalAdvance(text) for text in chart.labels())
    if chart.chart().plotArea().left() < widest:
        problems_found.append(f"labels {widest} px wide left of a plot starting at {chart.chart().plotArea().left()}")
    return problems_found


def _tab(qtbot: QtBot, o: Office, who: str) -> ScreeningTab:
    tab = ScreeningTab(o.ctx, o.people[who])
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_the_year_is_screened_a_hot_issue_assigned_reported_and_solved(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    tab = _tab(qtbot, o, "petition")
    tab.set_period("year", 2026)
    tab.refresh()
    assert tab.result is not None and tab.result.cases == 5
    assert "信访件5件，涉及12人；热点问题2项" in tab.summary.text()
    assert tab.by_category.labels() == ["商品房两证办理  2件", "复员退伍军人就业  2件", "征地拆迁  1件"]
    assert tab.by_place.labels() == ["城关镇  3件", "河西乡  2件"]
    assert tab.by_channel.values() == [2, 1, 1, 1]
    assert tab.by_period.values() == [0] * 8 + [1, 2, 2, 0]
    assert tab.hot.rowCount() == 2
    assert [tab.hot.item(0, c).text() for c in range(6)] == ["1", "商品房两证办理", "城关镇", "2", "0", "4"]
    # Narrowed to 河西乡 by quarter: the fourth quarter only, and one hot issue.
    tab.place.setCurrentIndex(tab.place.findData("河西乡"))
    tab.granularity.setCurrentIndex(tab.granularity.findData("quarter"))
    tab.refresh()
    assert tab.by_period.heading == "按季度" and tab.by_period.values() == [0, 0, 0, 2]
    assert tab.hot.rowCount() == 1 and tab.hot.item(0, 1).text() == "复员退伍军人就业"
    tab.place.setCurrentIndex(0)
    tab.granularity.setCurrentIndex(0)
    # A range that ends before it starts is refused beside the period; the last counts stay.
    tab.set_range(date(2026, 12, 1), date(2026, 1, 1))
    tab.refresh()
    assert tab.period_error.isVisibleTo(tab) and "起始日期不能晚于截止日期" in tab.period_error.text()
    tab.set_period("quarter", 2026, 4)
    assert (tab.date_from.date().toString("yyyy-MM-dd"), tab.date_to.date().toString("yyyy-MM-dd")) == (
        "2026-10-01", "2026-12-31")
    tab.refresh()
    assert not tab.period_error.isVisibleTo(tab) and tab.result.cases == 4
    tab.set_period("month", 2026, 9)
    tab.refresh()
    assert tab.result.cases == 1 and tab.by_period.labels() == ["2026年9月  1件"]
    tab.set_period("year", 2026)
    tab.refresh()
    _shoot(tab, "screening", qtbot)

    # 交办排查问题… on the first hot issue: nothing chosen, nothing offered.
    assert not tab.assign_button.isEnabled()
    tab.hot.selectRow(0)
    assert tab.assign_button.isEnabled()
    dialog = tab.assign_dialog()
    assert isinstance(dialog, AssignProblemDialog)
    qtbot.addWidget(dialog)
    assert dialog.title_edit.text() == "城关镇商品房两证办理问题"
    assert "2件（其中重复信访0件），涉及4人" in dialog.found.text()
    # Without a unit it is refused beside the field, and what was typed stays.
    dialog.save()
    assert dialog.saved is None and "责任单位" in dialog.form.error_text("unit_id")
    dialog.unit.setCurrentIndex(dialog.unit.findData(o.units["财政局"]))
    dialog.show()
    qtbot.wait(50)
    dialog.grab().save(str(SHOTS / "assign-medium.png"))
    dialog.save()
    assert dialog.saved is not None and dialog.saved.number == "排〔2026〕1号"
    assert dialog.saved.case_count == 2 and dialog.saved.period_from == date(2026, 1, 1)
    tab.refresh_problems()
    assert tab.problems.rowCount() == 1
    assert [tab.problems.item(0, c).text() for c in range(5)] == [
        "排〔2026〕1号", "城关镇商品房两证办理问题", "县财政局", dialog.saved.deadline.strftime("%Y年%-m月%-d日"),
        "化解落实"]
    problem_id = dialog.saved.id

    # The bureau's 联络员: no screening, only their unit's problem; they open it and report.
    liaison_tab = _tab(qtbot, o, "liaison_fin")
    assert not liaison_tab.screening_part.isVisibleTo(liaison_tab)
    liaison_tab.refresh()
    assert liaison_tab.problems.rowCount() == 1
    edu_tab = _tab(qtbot, o, "liaison_edu")
    edu_tab.refresh()
    assert edu_tab.problems.rowCount() == 0

    liaison = ProblemWindow(o.ctx, o.liaison_fin, problem_id)
    qtbot.addWidget(liaison)
    assert "报送化解情况…" in buttons(liaison) and "化解办结" not in buttons(liaison)
    assert not liaison.tabs.isTabVisible(liaison.files_index)

    def answer(text_dialog: TextDialog) -> int:
        text_dialog.text.setPlainText("已协调开发商补缴税费，两个小区均已办证")
        text_dialog.save()
        return text_dialog.result()

    monkeypatch.setattr(TextDialog, "exec", answer)
    click(liaison, "报送化解情况…")
    assert liaison.info.task_state == "reported"
    assert liaison.info.feedback == "已协调开发商补缴税费，两个小区均已办证"
    _shoot(liaison, "problem-reported", qtbot)

    # The 信访接待员 closes it; the list says so.
    window = ProblemWindow(o.ctx, o.petition, problem_id)
    qtbot.addWidget(window)
    assert "化解办结" in buttons(window) and "报送化解情况…" not in buttons(window)
    window.opinion.setPlainText("经回访，业主满意")
    click(window, "化解办结")
    assert window.info.closed and window.info.solved_on == date.today()
    assert "已化解" in window.state_label.text()
    assert buttons(window) == {}
    _shoot(window, "problem-solved", qtbot)
    window.tabs.setCurrentIndex(window.flow_index)
    _shoot(window, "problem-flow", qtbot)
    window.tabs.setCurrentWidget(window.record_features)
    _shoot(window, "problem-task", qtbot)
    tab.open_only.setCurrentIndex(tab.open_only.findData(False))
    assert tab.problems.rowCount() == 1 and tab.problems.item(0, 4).text() == "已化解"
    tab.open_only.setCurrentIndex(tab.open_only.findData(True))
    assert tab.problems.rowCount() == 0


def test_a_double_click_opens_the_problem_and_others_see_no_assigning(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    with o.ctx.uow() as uow:
        info = problems.create_problem(
            uow, o.director, title="河西乡复员退伍军人就业问题", category="复员退伍军人就业", place="河西乡",
            period_from=date(2026, 1, 1), period_to=date(2026, 12, 31), case_count=2, description="",
            unit_id=o.units["教育局"], deadline=date(2027, 1, 31),
        )
    opened: list[int] = []
    monkeypatch.setattr(ProblemWindow, "exec", lambda self: opened.append(self.problem_id) or 0)
    clerk = _tab(qtbot, o, "clerk")
    clerk.refresh()
    # The 文秘 sees the screening and the problems but assigns nothing.
    assert clerk.screening_part.isVisibleTo(clerk) and not clerk.assign_button.isVisibleTo(clerk)
    assert clerk.problems.rowCount() == 1
    clerk.problems.cellDoubleClicked.emit(0, 1)
    assert opened == [info.id]
    window = ProblemWindow(o.ctx, o.clerk, info.id)
    qtbot.addWidget(window)
    assert buttons(window) == {}
    # Before the unit reports, the office may hasten it.
    assert window.urge_button.isEnabled()
    assert QDialog.DialogCode.Rejected == 0


@pytest.mark.parametrize(("top", "end"), [(0, 4), (1, 4), (3, 4), (5, 8), (9, 20), (38, 40), (41, 80), (1234, 2000)])
def test_the_value_axis_ends_on_four_round_steps(top: int, end: int) -> None:
    assert value_range(top) == (end, 5)
