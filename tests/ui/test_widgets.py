"""Shared widgets: the lazy table model and the worker helper (printing: tests/ui/test_printing.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services.workflow.worklist import Page
from app.ui.widgets.lazy_table import Column, LazyTableModel
from app.ui.widgets.worker import run_in_background
from tests.helpers.loading import fetch_more_now, wait_loaded

ROWS = [f"第{i}号文件" for i in range(1, 251)]


def fetch(offset: int, limit: int, key: str | None, descending: bool) -> Page[str]:
    rows = sorted(ROWS, reverse=descending) if key else ROWS
    return Page(rows[offset:offset + limit], len(rows), offset)


def make_model() -> LazyTableModel:
    columns = [Column("标题", lambda s: s, sort_key="title"), Column("长度", lambda s: str(len(s)), align_right=True)]
    return LazyTableModel(columns, fetch, page_size=100)


def test_lazy_model_passes_qt_model_tester(qtmodeltester, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    model = make_model()
    model.reload()
    wait_loaded(qtbot, model)
    qtmodeltester.check(model)
    fetch_more_now(qtbot, model)
    qtmodeltester.check(model)


def test_lazy_model_fetches_pages_as_the_user_scrolls(qtbot: QtBot) -> None:
    model = make_model()
    model.reload()
    wait_loaded(qtbot, model)
    assert (model.rowCount(), model.total) == (100, 250)
    assert model.canFetchMore()
    fetch_more_now(qtbot, model)
    fetch_more_now(qtbot, model)
    assert model.rowCount() == 250 and not model.canFetchMore()


def test_sorting_goes_back_to_the_query(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    model = make_model()
    model.reload()
    wait_loaded(qtbot, model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    wait_loaded(qtbot, model)
    assert model.index(0, 0).data() == max(ROWS)
    model.sort(1, Qt.SortOrder.AscendingOrder)  # no sort key: ignored, not an error
    assert not model.loading
    assert model.rowCount() == 100


def test_a_chip_cell_is_drawn_as_its_chip_alone(qtbot: QtBot) -> None:
    """The chip carries the cell's text; the text itself must not show around the chip."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

    from app.ui.widgets.lazy_table import ChipDelegate

    columns = [Column("状态", lambda s: "已逾期", chip=lambda s: ("已逾期", "#C0392B"))]
    model = LazyTableModel(columns, fetch, page_size=10)
    model.reload()
    wait_loaded(qtbot, model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = ChipDelegate(view)
    index = model.index(0, 0)
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, index)
    assert option.text == ""

    image = QImage(QSize(200, 30), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    option.rect = image.rect()
    option.widget = view
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    # Left of the chip (which starts 6 px in) nothing is drawn but the background.
    assert {image.pixelColor(x, y).name() for x in range(0, 5) for y in range(30)} == {"#ffffff"}
    # The chip is filled with its colour (where the white text does not cover it: the glyphs' places depend on
    # the machine's fonts, so no one pixel is sure to be clear of them).
    chip_row = [image.pixelColor(x, y).name().upper() for x in range(6, 80) for y in (12, 15, 18)]
    assert chip_row.count("#C0392B") >= 20


def test_a_failed_load_is_reported_not_raised(qtbot: QtBot) -> None:
    def broken(*_args: object) -> Page[str]:
        raise RuntimeError("数据库连接中断")

    model = LazyTableModel([Column("标题", lambda s: s)], broken)
    with qtbot.waitSignal(model.loadFailed) as blocker:
        model.reload()
    assert "数据库连接中断" in str(blocker.args[0])
    assert model.rowCount() == 0


def test_worker_hands_results_back_to_the_gui_thread(qtbot: QtBot) -> None:
    from PySide6.QtCore import QThread

    results: list[object] = []
    seen_threads: list[object] = []

    def done(value: object) -> None:
        seen_threads.append(QThread.currentThread())
        results.append(value)

    def work(progress) -> int:  # type: ignore[no-untyped-def]
        progress(1, 2, "一半")
        return 42

    run_in_background(work, done, lambda e: results.append(e))
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [42]
    from PySide6.QtWidgets import QApplication

    assert seen_threads[0] is QApplication.instance().thread()  # type: ignore[union-attr]


def test_worker_errors_come_back_too(qtbot: QtBot) -> None:
    errors: list[BaseException] = []

    def work(_progress) -> None:  # type: ignore[no-untyped-def]
        raise ValueError("坏了")

    run_in_background(work, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert str(errors[0]) == "坏了"


def test_icons_are_drawn_once_then_read_from_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys

    from app.ui import icons

    monkeypatch.setenv("GOVDESK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(icons, "_icons", {})
    first = icons.action_icon("print")
    assert not first.isNull()
    cached = sorted(p.name for p in (tmp_path / f"icons-{icons.CACHE_VERSION}").iterdir())
    assert cached == [f"mdi6_printer-1F4E79-{size}.png" for size in sorted(icons.ICON_SIZES, key=str)]
    # A later start finds them without qtawesome.
    monkeypatch.setattr(icons, "_icons", {})
    monkeypatch.setitem(sys.modules, "qtawesome", None)
    again = icons.action_icon("print")
    assert not again.isNull() and again.availableSizes()
