"""The 通报 tab (app.ui.information.notice_tab): pick a year and a quarter, the table shows each group's figures as the
print has them, the totals and the groups losing 评先评优 in red; 导出Excel… writes a workbook read back with
openpyxl; 打印通报… gives the print preview the notice's PDF. Looked at on a 1366×768 screen at 中 and 大."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.information import adoptions
from app.services.kernel import settings
from app.ui.information import notice_tab
from app.ui.information.notice_tab import NoticeTab, nice_step, short_name
from app.ui.prefs import Prefs
from app.ui.theme import URGENT, apply_theme
from app.ui.widgets.print_preview import PrintPreviewDialog
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office, new_item
from tests.helpers.pdfcheck import compact, page_text

SHOTS = Path("/tmp/shots-notice")
# What the 信息调研 page leaves for its tabs on a 1366-pixel screen, beside the navigation pane.
PAGE_WIDTH = 1366 - 240


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    o = build_information_office(sqlite_ctx)
    with o.ctx.uow() as uow:
        settings.update_settings(uow, o.admin, {"info_weekly_quota": 1})
    first = new_item(o, today=date(2026, 10, 12))
    new_item(o, today=date(2026, 10, 19))
    new_item(o, "clerk2", today=date(2026, 10, 13), kind="article")
    o.run(adoptions.record_adoption, o.clerk, first, body="省政府办公厅", level="省级", adopted_on=date(2026, 10, 20),
          today=date(2026, 10, 20))
    yield o


def _tab(qtbot: QtBot, o: Office, who: str = "clerk") -> NoticeTab:
    tab = NoticeTab(o.ctx, o.people[who], Prefs())
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def _pick(tab: NoticeTab, year: int, quarter: int | None) -> None:
    tab.year.setValue(year)
    tab.period.setCurrentIndex(quarter or 0)
    tab.refresh()


def _row(tab: NoticeTab, row: int) -> list[str]:
    return [tab.table.item(row, c).text() for c in range(tab.table.columnCount())]  # type: ignore[union-attr]


def test_picking_a_quarter_shows_its_figures(qtbot: QtBot, office: Office) -> None:
    tab = _tab(qtbot, office)
    _pick(tab, 2026, 4)
    notice = tab.notice
    assert notice is not None and (notice.year, notice.quarter) == (2026, 4)
    assert tab.title.text() == "关于2026年第四季度政务信息报送情况的通报"
    assert "编发《政务信息》0期，报送信息2条，被上级采用1条，计5分，完成调研文章1篇" in tab.totals.text()
    assert tab.table.rowCount() == 8
    # 第一信息组: the quarter's weeks all ended by now (2026-12-06 or later), 14 asked, 2 written.
    first = _row(tab, 0)
    ended = sum(w.quota for w in notice.groups[0].weeks if w.ended)
    assert first[:4] == ["第一信息组", "李副主任", str(ended), "2"]
    assert first[7:9] == ["1", "5"]
    assert _row(tab, 1)[6] == "1/1"
    # Every group missed weeks of 2026: each loses 评先评优, shown in red.
    assert first[9] == "取消"
    assert tab.table.item(0, 9).foreground().color() == QColor(URGENT)  # type: ignore[union-attr]
    assert "取消2026年度评先评优资格" in tab.eligibility.text() and URGENT in tab.eligibility.styleSheet()
    assert [b.items for b in tab.chart.bars][:2] == [2, 0] and tab.chart.bars[0].points == 5
    # The bars are drawn: 实报 in the accent, 得分 in amber, each only where there is something to draw.
    image = tab.chart.grab().toImage()
    colours = {image.pixelColor(x, y).name().upper() for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2)}
    assert {notice_tab.ITEMS_COLOR.upper(), notice_tab.POINTS_COLOR.upper(), notice_tab.QUOTA_COLOR.upper()} <= colours
    # The whole year, then another quarter.
    _pick(tab, 2026, None)
    assert tab.title.text() == "关于2026年度政务信息报送情况的通报" and tab.notice is not None
    assert tab.notice.quarter is None
    _pick(tab, 2026, 1)
    assert _row(tab, 0)[3] == "0" and _row(tab, 0)[7:9] == ["0", "0"]
    image = tab.chart.grab().toImage()
    colours = {image.pixelColor(x, y).name().upper() for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2)}
    # Nothing adopted in the first quarter: no points bar (实报's colour stays in its legend).
    assert notice_tab.POINTS_COLOR.upper() not in colours


def test_export_writes_a_workbook(qtbot: QtBot, office: Office, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    tab = _tab(qtbot, office)
    _pick(tab, 2026, 4)
    target = tmp_path / "通报.xlsx"
    informed: list[str] = []
    monkeypatch.setattr(notice_tab, "ask_excel_file", lambda parent, name: target)
    monkeypatch.setattr(notice_tab, "inform", lambda parent, title, text: informed.append(text))
    assert tab.export() == target
    book = load_workbook(io.BytesIO(target.read_bytes()))
    rows = [[c.value for c in row] for row in book["各组完成情况"].iter_rows()]
    assert rows[0][0] == "关于2026年第四季度政务信息报送情况的通报"
    assert rows[2][:2] == ["第一信息组", "李副主任"] and rows[2][3] == 2 and rows[2][10] == 5
    assert informed and str(target) in informed[0]
    # Cancelled: nothing written, nothing said.
    monkeypatch.setattr(notice_tab, "ask_excel_file", lambda parent, name: None)
    assert tab.export() is None and len(informed) == 1


def test_print_gives_the_preview_the_notice(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, bytes]] = []

    def shown_instead(self: PrintPreviewDialog) -> int:
        shown.append((self.windowTitle(), self.pdf))
        return 0

    monkeypatch.setattr(PrintPreviewDialog, "exec", shown_instead)
    tab = _tab(qtbot, office, "petition")
    assert not tab.print_button.isEnabled()
    _pick(tab, 2026, 4)
    assert tab.print_button.isEnabled()
    tab.print_button.click()
    ((title, pdf),) = shown
    assert "政务信息报送情况通报" in title
    text = compact(page_text(pdf))
    assert text.startswith("关于2026年第四季度政务信息报送情况的通报")
    assert "报送信息2条，被上级采用1条，计5分，完成调研文章1篇" in text


def test_one_in_no_group_is_told_why(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(notice_tab, "show_error", lambda parent, error: said.append(str(error)))
    tab = _tab(qtbot, office, "cashier")
    _pick(tab, 2026, 4)
    assert tab.notice is None and not tab.print_button.isEnabled() and not tab.export_button.isEnabled()
    assert said and "信息组" in said[-1]


def test_helpers() -> None:
    assert short_name("第一信息组") == "第一组" and short_name("综合组") == "综合组"
    assert [nice_step(t) for t in (1, 6, 11, 62)] == [1, 2, 5, 20]


def test_looked_at_on_a_small_screen_at_medium_and_large(qtbot: QtBot, office: Office) -> None:
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    tab = _tab(qtbot, office)
    try:
        for size in ("medium", "large"):
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            apply_theme(app, size)
            _pick(tab, 2026, 4)
            for width, name in ((1366, "full"), (PAGE_WIDTH, "page")):
                tab.resize(width, 768)
                qtbot.wait(80)
                assert tab.grab().save(str(SHOTS / f"notice-{name}-{size}.png"))
                # Nothing to scroll sideways; every group's name fits under its bars; no header cut.
                assert tab.scroll_area.horizontalScrollBar().maximum() == 0, (size, width)
                assert tab.chart.names_fit(), (size, width)
                header = tab.table.horizontalHeader()
                metrics = header.fontMetrics()
                for column in range(tab.table.columnCount()):
                    text = tab.table.horizontalHeaderItem(column).text()  # type: ignore[union-attr]
                    for line in text.splitlines():
                        assert metrics.horizontalAdvance(line) <= header.sectionSize(column), (size, width, line)
                    for row in range(tab.table.rowCount()):
                        cell = tab.table.item(row, column)
                        assert cell is not None
                        assert tab.table.fontMetrics().horizontalAdvance(cell.text()) <= header.sectionSize(column), (
                            size, width, cell.text())
            tab.scroll_area.verticalScrollBar().setValue(tab.scroll_area.verticalScrollBar().maximum())
            qtbot.wait(50)
            assert tab.grab().save(str(SHOTS / f"notice-bottom-{size}.png"))
            tab.scroll_area.verticalScrollBar().setValue(0)
    finally:
        apply_theme(app, "medium")
