"""The printed 政务信息报送情况通报, read back: its title, the totals in words, every group's line, the groups that
lose 评先评优 (or that none did), the office and the date, the chart's bars drawn in their colours; and the loader
reading it as the user who prints (refused to one in no group, nothing recorded then), on SQLite, PostgreSQL and
MariaDB."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.db.tables import audit_log
from app.forms import PrintContext, PrintPeriod
from app.forms.information import load_notice
from app.printing.information.notice import (
    ITEMS_COLOR,
    POINTS_COLOR,
    QUOTA_COLOR,
    eligibility_text,
    nice_step,
    render_notice,
    short_name,
)
from app.printing.information.notice_data import NoticeGroupRow, NoticeSheet, NoticeTotals
from app.services.information import adoptions
from app.services.kernel import settings
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office, new_item
from tests.helpers.pdfcheck import (
    assert_fonts_embedded,
    assert_no_missing_glyphs,
    compact,
    needs_pdftoppm,
    page_text,
    reader,
    render_png,
    share_of_colour,
)

NAMES = [f"第{n}信息组" for n in "一二三四五六七八"]


def _row(name: str, i: int, losing: bool = False) -> NoticeGroupRow:
    return NoticeGroupRow(name, "李副主任" if i < 4 else "", 60 - i, 60 - 7 * i, 13, i, 1, i % 2, i, 3 * i, losing,
                          ("2026年下半年有2周未完成信息报送任务",) if losing else ())


def _sheet(groups: tuple[NoticeGroupRow, ...], quarter: int | None = 3) -> NoticeSheet:
    label = "2026年第三季度" if quarter else "2026年度"
    return NoticeSheet(f"关于{label}政务信息报送情况的通报", label, "某某县人民政府办公室", date(2026, 10, 9),
                       NoticeTotals(12, 300, 20, 70, 4), groups, 2026, quarter)


def test_the_notice_reads_as_a_document() -> None:
    groups = tuple(_row(n, i, losing=i in (2, 6)) for i, n in enumerate(NAMES))
    pdf = render_notice(_sheet(groups))
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)
    text = compact(page_text(pdf))
    assert text.startswith("关于2026年第三季度政务信息报送情况的通报各信息组：")
    assert "2026年第三季度，共编发《政务信息》12期，报送信息300条，被上级采用20条，计70分，完成调研文章4篇。" in text
    for heading in ("组别", "分管领导", "应报信息", "实报信息", "完成率", "未完成周数", "调研文章（应/实）", "被采用条数",
                    "得分", "评先评优"):
        assert heading in text, heading
    for i, name in enumerate(NAMES):
        # The group's line: its name, leader, 应报, 实报 and rate.
        line = f"{name}{'李副主任' if i < 4 else '—'}{60 - i}{60 - 7 * i}{(60 - 7 * i) / (60 - i) * 100:.0f}%{i}"
        assert line in text, line
        assert short_name(name) in text
    assert "第三信息组（2026年下半年有2周未完成信息报送任务）、第七信息组（2026年下半年有2周未完成信息报送任务）未完成2026年" \
           "报送任务，按规定取消2026年度评先评优资格。" in text
    assert text.endswith("某某县人民政府办公室2026年10月9日—2—")
    metadata = reader(pdf).metadata
    assert metadata is not None and metadata.title == "关于2026年第三季度政务信息报送情况的通报"


def test_no_group_losing_says_so() -> None:
    data = _sheet(tuple(_row(n, i) for i, n in enumerate(NAMES[:2])), quarter=None)
    assert eligibility_text(data) == "截至2026年10月9日，各信息组均完成了2026年已到期的报送任务，没有取消评先评优资格的信息组。"
    text = compact(page_text(render_notice(data)))
    assert "关于2026年度政务信息报送情况的通报" in text and "没有取消评先评优资格的信息组" in text


def test_axis_steps_are_round() -> None:
    assert [nice_step(t) for t in (0, 5, 6, 11, 24, 62, 130)] == [1, 1, 2, 5, 5, 20, 50]


def _rgb(colour: object) -> tuple[int, int, int]:
    red, green, blue = colour.rgb()  # type: ignore[attr-defined]
    return round(red * 255), round(green * 255), round(blue * 255)


@needs_pdftoppm
def test_the_chart_is_drawn(tmp_path: Path) -> None:
    groups = tuple(_row(n, i) for i, n in enumerate(NAMES))
    pages = render_png(render_notice(_sheet(groups)), tmp_path, dpi=40)
    whole = [(0, 0, page.width, page.height) for page in pages]
    for colour in (QUOTA_COLOR, ITEMS_COLOR, POINTS_COLOR):
        share = max(share_of_colour(page, box, _rgb(colour), tolerance=12) for page, box in zip(pages, whole,
                                                                                               strict=True))
        assert share > 0.003, colour
    # A notice with nothing adopted draws no points bar: the colour is the bars', not the page's.
    empty = tuple(NoticeGroupRow(n, "", 10, 0, 2, 0, 1, 0, 0, 0, False) for n in NAMES)
    blank = render_png(render_notice(_sheet(empty)), tmp_path, dpi=40, name="blank")
    assert max(share_of_colour(p, (0, 0, p.width, p.height), _rgb(POINTS_COLOR), tolerance=12) for p in blank) < 0.0005


def test_a_bad_quarter_is_refused() -> None:
    with pytest.raises(ValidationError, match="季度"):
        _sheet((), quarter=5)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def _prints(ctx: AppContext) -> list[dict[str, object]]:
    with ctx.uow() as uow:
        return [json.loads(d) for d in uow.execute(
            select(audit_log.c.detail).where(audit_log.c.action == "print").order_by(audit_log.c.seq)).scalars()]


def test_the_loader_reads_as_the_user_who_prints(office: Office) -> None:
    o = office
    with o.ctx.uow() as uow:
        settings.update_settings(uow, o.admin, {"info_weekly_quota": 1})
    one = new_item(o, today=date(2026, 10, 12))
    new_item(o, "clerk2", today=date(2026, 10, 13), kind="article")
    o.run(adoptions.record_adoption, o.clerk, one, body="市政府办公室", level="市级", adopted_on=date(2026, 10, 20),
          today=date(2026, 10, 20))
    with pytest.raises(PermissionDenied):
        load_notice(PrintContext(o.ctx, o.cashier), PrintPeriod(year=2026, quarter=4), today=date(2026, 11, 2))
    assert _prints(o.ctx) == []
    with pytest.raises(ValidationError, match="年度"):
        load_notice(PrintContext(o.ctx, o.clerk), PrintPeriod(quarter=4), today=date(2026, 11, 2))
    data = load_notice(PrintContext(o.ctx, o.petition), PrintPeriod(year=2026, quarter=4), today=date(2026, 11, 2))
    assert (data.title, data.open, data.issued_on) == ("关于2026年第四季度政务信息报送情况的通报", True, date(2026, 11, 2))
    assert data.totals == NoticeTotals(issues=0, items=1, adopted_items=1, points=3, articles=1)
    first, second = data.groups[0], data.groups[1]
    assert (first.name, first.leader, first.items, first.adopted_items, first.points) == ("第一信息组", "李副主任", 1, 1, 3)
    # The fourth quarter to 11-2: 5 weeks ended, 9-28 (国庆, 3 days: still 1 asked) … 10-26; 11-2's open.
    assert first.quota == 5 and first.weeks == 14
    assert first.weeks_missed == 4 and first.loses_eligibility
    assert (second.articles, second.article_quota) == (1, 1)
    ((entry),) = _prints(o.ctx)
    assert (entry["form"], entry["period"]) == ("info-notice", "2026年第四季度")
    text = compact(page_text(render_notice(data)))
    assert "（截至2026年11月2日），共编发《政务信息》0期，报送信息1条，被上级采用1条，计3分，完成调研文章1篇。" in text
