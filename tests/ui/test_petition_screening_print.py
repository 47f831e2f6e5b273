"""打印排查表… on the 排查 tab: the screening shown, printed as the 信访问题排查情况表 (app.printing.petitions.screening)
and read back: the office and the period, the totals, each breakdown with its 合计, the hot issues and the problems
assigned over the period; fonts embedded, no missing glyph. The data refuses tables that do not add up."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.printing.petitions.screening import CountRow, ScreeningReport, render_screening, share_text
from app.services.petitions import problems
from app.ui.petitions.screening_tab import ScreeningTab
from app.ui.widgets.print_preview import PrintPreviewDialog
from tests.helpers.document_office import Office
from tests.helpers.pdfcheck import (
    assert_fonts_embedded,
    assert_no_missing_glyphs,
    compact,
    page_text,
    reader,
    render_png,
)
from tests.helpers.petitions_office import build_petition_office, id_number, register

SHOTS = Path("/tmp/petition-screening-shots")
CASES = (
    (date(2026, 3, 10), "商品房两证办理", "城关镇", "来访", 1, "幸福小区交房五年仍未办理不动产权证书，开发商一直拖延"),
    (date(2026, 3, 12), "商品房两证办理", "城关镇", "来信", 3, "阳光花园业主的土地使用证迟迟不能分割登记到户"),
    (date(2026, 5, 20), "复员退伍军人就业", "河西乡", "来电", 2, "退役后安置岗位没有落实，乡里说等指标"),
)


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    o = build_petition_office(sqlite_ctx)
    for serial, (received, category, place, channel, people, request) in enumerate(CASES, start=300):
        register(o, received_on=received, category=category, place=place, channel=channel, people_count=people,
                 id_number=id_number("19720202", str(serial)), name=f"信访人{serial}", phone=f"1370000{serial:04d}",
                 request=request, facts="")
    with o.ctx.uow() as uow:
        problems.create_problem(
            uow, o.petition, title="城关镇商品房两证办理问题", category="商品房两证办理", place="城关镇",
            period_from=date(2026, 1, 1), period_to=date(2026, 6, 30), case_count=2, description="",
            unit_id=o.units["财政局"], deadline=date(2027, 3, 31),
        )
    yield o


def test_the_screening_shown_prints_as_the_screening_form(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shown: list[tuple[str, bytes]] = []
    monkeypatch.setattr(PrintPreviewDialog, "exec", lambda self: shown.append((self.windowTitle(), self.pdf)) or 0)
    tab = ScreeningTab(office.ctx, office.director)
    qtbot.addWidget(tab)
    assert not tab.print_button.isEnabled()
    tab.set_period("quarter", 2026, 1)
    tab.refresh()
    assert tab.print_button.isEnabled()
    tab.print_button.click()
    [(title, pdf)] = shown
    assert title == "打印预览 — 信访问题排查情况表"
    text = compact(page_text(pdf))
    assert "青山县人民政府办公室" in text and "信访问题排查情况表" in text
    assert "统计时段：2026年1月1日至2026年3月31日" in text
    assert "本时段共登记信访件2件（不含复查、复核），涉及4人" in text
    # 商品房两证办理 is the quarter's only category: 2 cases, 100%, 4 people, and the 合计 says the same.
    assert "商品房两证办理2100.0%4" in text and "合计2100.0%4" in text
    assert "2026年1月0" in text and "2026年3月2" in text
    assert "1商品房两证办理城关镇204" in text
    # The problem screened over the first half overlaps the quarter.
    assert "排〔2026〕1号城关镇商品房两证办理问题县财政局2027年3月31日化解落实" in text
    assert "复员退伍军人就业" not in text
    assert reader(pdf).metadata.title == "信访问题排查情况表（2026年1月1日至2026年3月31日）"
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)
    pages = render_png(pdf, tmp_path, dpi=70, name="screening")
    assert len(pages) == len(reader(pdf).pages) == 2
    SHOTS.mkdir(exist_ok=True)
    for index in (1, 2):
        shutil.copy(tmp_path / f"screening-{index}.png", SHOTS / f"screening-form-{index}.png")


def test_a_quarter_narrowed_to_a_place_says_so_and_a_form_that_does_not_add_up_is_refused(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[bytes] = []
    monkeypatch.setattr(PrintPreviewDialog, "exec", lambda self: shown.append(self.pdf) or 0)
    tab = ScreeningTab(office.ctx, office.petition)
    qtbot.addWidget(tab)
    tab.set_period("year", 2026)
    tab.refresh()
    tab.place.setCurrentIndex(tab.place.findData("河西乡"))
    tab.granularity.setCurrentIndex(tab.granularity.findData("quarter"))
    tab.refresh()
    tab.print_button.click()
    text = compact(page_text(shown[0]))
    assert "属地：河西乡" in text and "四、按季度统计" in text
    assert "2026年第二季度1100.0%" in text
    assert "本时段没有同一类别、同一属地反映2件以上的问题" in text

    with pytest.raises(ValueError, match="问题类别"):
        render_screening(ScreeningReport(
            office_name="青山县人民政府办公室", period_from=date(2026, 1, 1), period_to=date(2026, 3, 31),
            narrowing="", cases=3, people=3, by_category=[CountRow("教育", 2, 2)], by_place=[CountRow("城关镇", 3, 3)],
            by_channel=[CountRow("来信", 3, 3)], period_caption="按月", by_period=[CountRow("2026年1月", 3)], hot=(),
            printed_on=date(2026, 4, 1),
        ))
    assert share_text(1, 3) == "33.3%" and share_text(0, 0) == "—"
