"""The 信访 page: its lists for each role (我的在办 and 重复信访 only for those who handle petitions), the
petitioner's phone masked for everyone else as the service gives it, 登记信访 only for the handlers, the
filters and the search, an overdue 期限 in red; looked at, at 1366×768, at 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.ui.petitions.page import PetitionsPage
from app.ui.prefs import Prefs
from app.ui.theme import URGENT, apply_theme
from tests.helpers.document_office import Office
from tests.helpers.layout_check import cut_cells, cut_labels, cut_spin_boxes
from tests.helpers.loading import wait_loaded
from tests.helpers.petitions_office import PETITIONER_PHONE, build_petition_office, id_number, register

SHOTS = Path("/tmp/petition-shots")


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_petition_office(sqlite_ctx)


def _cases(o: Office) -> None:
    register(o)  # 王建国, received 2026-11-02: long overdue for 受理 by now
    register(o, name="李秀英", id_number=id_number("19701105", "246"), phone="13900001111",
             request="反映河西村土地承包经营权被村委会收回，要求恢复承包", category="农村农业", place="城关镇")
    # The same petitioner again: flagged as a repeat.
    register(o, by="petition2", channel="来电", channel_detail="24365热线")


def _shown(qtbot: QtBot, page: PetitionsPage, box: str) -> list[list[str]]:
    page.tabs.setCurrentWidget(page.lists[box])
    listing = page.lists[box]
    listing.refresh()
    wait_loaded(qtbot, listing.model)
    model = listing.model
    return [[str(model.index(r, c).data() or "") for c in range(model.columnCount())] for r in range(model.rowCount())]


def _column(page: PetitionsPage, box: str, title: str) -> int:
    model = page.lists[box].model
    return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == title)


def test_the_officer_sees_every_list_unmasked_and_registers(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    o = office
    _cases(o)
    page = PetitionsPage(o.ctx, o.petition, prefs)
    qtbot.addWidget(page)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "我的在办", "全部在办", "临期逾期", "重复信访", "全部信访件", "排查"]
    # Every tab is a list with its own 登记信访; the corner's waits for a tab that is not a list.
    assert page.new_button is not None and page.new_button.isHidden()
    assert page.lists["mine"].new_button is not None and page.lists["all"].new_button is not None
    rows = _shown(qtbot, page, "all")
    assert len(rows) == 3
    phone = _column(page, "all", "联系电话")
    assert {r[phone] for r in rows} == {PETITIONER_PHONE, "13900001111"}
    # 我的在办: the two this officer registered, not petition2's.
    assert len(_shown(qtbot, page, "mine")) == 2
    repeats = _shown(qtbot, page, "repeats")
    assert len(repeats) == 1 and repeats[0][_column(page, "repeats", "信访人")] == "王建国"
    assert repeats[0][_column(page, "repeats", "信访方式")] == "来电（24365热线）"
    # 受理 was due 15 days after 2026-11-02: past, so 期限 is red in every row at 登记.
    due = _column(page, "all", "期限")
    model = page.lists["all"].model
    page.tabs.setCurrentWidget(page.lists["all"])
    _shown(qtbot, page, "all")
    assert model.index(0, due).data(Qt.ItemDataRole.ForegroundRole).color().name().upper() == URGENT.upper()
    assert len(_shown(qtbot, page, "due")) == 3


def test_filters_and_search(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    o = office
    _cases(o)
    page = PetitionsPage(o.ctx, o.petition, prefs)
    qtbot.addWidget(page)
    listing = page.lists["all"]
    combo = listing.combos["category"]
    combo.setCurrentIndex(combo.findData("农村农业"))
    rows = _shown(qtbot, page, "all")
    assert [r[_column(page, "all", "信访人")] for r in rows] == ["李秀英"]
    combo.setCurrentIndex(0)
    listing.combos["channel"].setCurrentIndex(listing.combos["channel"].findData("来电"))
    assert len(_shown(qtbot, page, "all")) == 1
    listing.clear_filters()
    # Those who handle petitions find a case by the phone number.
    listing.search.setText("13900001111")
    assert [r[_column(page, "all", "信访人")] for r in _shown(qtbot, page, "all")] == ["李秀英"]
    assert listing.combos["place"].findData("城关镇") > 0


@pytest.mark.parametrize("who", ["clerk", "mayor"])
def test_others_who_see_every_case_see_it_masked_and_cannot_register(
    qtbot: QtBot, office: Office, prefs: Prefs, who: str
) -> None:
    o = office
    _cases(o)
    page = PetitionsPage(o.ctx, o.people[who], prefs)
    qtbot.addWidget(page)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["全部在办", "临期逾期", "全部信访件", "排查"]
    assert page.new_button is None and page.new_record() is False
    rows = _shown(qtbot, page, "all")
    assert len(rows) == 3
    phones = {r[_column(page, "all", "联系电话")] for r in rows}
    assert phones == {"138****5678", "139****1111"}
    assert PETITIONER_PHONE not in str(rows)
    # Nobody finds a case by what they cannot read.
    page.lists["all"].search.setText(PETITIONER_PHONE)
    assert _shown(qtbot, page, "all") == []


def test_a_unit_liaison_sees_no_case_that_was_not_assigned_to_the_unit(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    o = office
    _cases(o)
    page = PetitionsPage(o.ctx, o.liaison_fin, prefs)
    qtbot.addWidget(page)
    assert _shown(qtbot, page, "all") == []
    assert "交办给本单位" in page.lists["all"].table.empty_label.text()
    # Once a case is assigned to the 财政局, its 联络员 lists it, the phone masked; the 教育局's still none.
    from datetime import timedelta

    from app.services.petitions import lifecycle
    from tests.helpers.document_office import TODAY
    from tests.helpers.petitions_office import new_petition

    case = new_petition(o, name="赵大勇", id_number=id_number("19800202", "357"), phone="13700002222")
    o.run(lifecycle.assign, o.petition, case, unit_id=o.units["财政局"], due=TODAY + timedelta(days=20),
          task="请核实并答复", today=TODAY)
    rows = _shown(qtbot, page, "all")
    assert [r[_column(page, "all", "信访人")] for r in rows] == ["赵大勇"]
    assert rows[0][_column(page, "all", "联系电话")] == "137****2222"
    assert rows[0][_column(page, "all", "承办单位")] == "县财政局"
    other = PetitionsPage(o.ctx, o.liaison_edu, prefs)
    qtbot.addWidget(other)
    assert _shown(qtbot, other, "all") == []
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["全部在办", "临期逾期", "全部信访件", "排查"]


def test_the_page_at_1366_by_768(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    o = office
    _cases(o)
    page = PetitionsPage(o.ctx, o.petition, prefs)
    qtbot.addWidget(page)
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        page.resize(1366, 700)
        page.show()
        _shown(qtbot, page, "all")
        qtbot.wait(50)
        page.grab().save(str(SHOTS / f"page-{size}.png"))
        assert cut_labels(page) + cut_spin_boxes(page) + cut_cells(page) == []
    apply_theme(app, "medium")
