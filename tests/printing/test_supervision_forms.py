"""督查督办's printed forms, drawn from realistic data and read back: the 督办通知单, the 督办台账 (45 items over many
landscape pages) and the 督查通报 of 20 units, whose every figure must be what app.core.supervision.notice counts."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from app.core.errors import ValidationError
from app.core.supervision.classes import PRIORITY_CLASSES, SOURCES
from app.core.supervision.ledger_sheet import COLUMNS, TITLE_MAX
from app.core.supervision.notice import (
    COMPLETION_RATE,
    NOTICE_FIGURES,
    OVERDUE,
    ItemFacts,
    Tally,
    month_period,
    notice_figures,
    quarter_period,
)
from app.printing.kit.fonts import resolve_fonts
from app.printing.supervision import data as supervision_data
from app.printing.supervision.data import (
    COUNT_FIGURES,
    AccountabilityEntry,
    LedgerRow,
    LedgerSheet,
    OverdueEntry,
    SupervisionNotice,
    SupervisionNoticeSlip,
    notice_from_figures,
)
from app.printing.supervision.ledger import ELLIPSIS, LEDGER_COLUMNS, REQUIREMENT_SHOWN, render_ledger, shortened
from app.printing.supervision.notice import (
    BAR_BLUE,
    CHART_UNITS_PER_PAGE,
    explanation_lines,
    figure_value,
    heading_lines,
    rate_charts,
    render_notice,
    title_lines,
)
from app.printing.supervision.slip import HEAD_RED, SEE_CONTINUATION, render_notice_slip
from tests.helpers import supervision_print_samples as samples
from tests.helpers.linecheck import PrintedLine, breaking_faults, needs_pdftotext, printed_lines
from tests.helpers.pdfcheck import (
    assert_fonts_embedded,
    assert_no_missing_glyphs,
    compact,
    needs_pdftoppm,
    reader,
    render_png,
    share_of_colour,
)

# GB/T 9704's 版心 in points (left, top, right, bottom from the page's top left), with the page number's band.
PORTRAIT_AREA = (28 * mm, 37 * mm, 184 * mm, 262 * mm + 7 * mm + 6 * mm)
LANDSCAPE_AREA = (35 * mm, 28 * mm, 260 * mm, 184 * mm + 7 * mm + 6 * mm)


def page_texts(pdf: bytes) -> list[str]:
    return [compact(page.extract_text()) for page in reader(pdf).pages]


def missing_from(text: str, expected: list[str] | tuple[str, ...]) -> list[str]:
    return [e for e in expected if compact(e) not in text]


def assert_sound(pdf: bytes) -> None:
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def overlapping(lines: list[PrintedLine], tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of printed lines on one page whose boxes cross: text drawn over other text."""
    found = []
    for index, a in enumerate(lines):
        for b in lines[index + 1 :]:
            if a.page != b.page:
                continue
            across = min(a.x1, b.x1) - max(a.x0, b.x0)
            down = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
            if across > tolerance and down > tolerance:
                found.append((a.text, b.text))
    return found


def outside(lines: list[PrintedLine], area: tuple[float, float, float, float]) -> list[PrintedLine]:
    left, top, right, bottom = area
    return [
        line for line in lines
        if line.x0 < left - 0.5 or line.x1 > right + 0.5 or line.top < top - 0.5 or line.top + line.height > bottom
    ]  # fmt: skip


def assert_laid_out_cleanly(pdf: bytes, area: tuple[float, float, float, float]) -> None:
    """No text is cut at the type area's edge or drawn over other text, and no line breaks where GB/T 15834
    forbids."""
    lines = printed_lines(pdf)
    assert lines
    assert outside(lines, area) == []
    assert overlapping(lines) == []
    assert breaking_faults(lines) == []


# ----- 督办通知单 ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slip_pdf() -> bytes:
    return render_notice_slip(samples.slip())


def test_the_slip_says_everything_on_one_page(slip_pdf: bytes) -> None:
    texts = page_texts(slip_pdf)
    assert len(texts) == 1
    text = texts[0]
    assert text.startswith(compact(f"{samples.OFFICE}督办通知单"))
    assert missing_from(text, [
        "签发日期：2026年3月5日", "督办编号：督〔2026〕12号", "事项名称", samples.LONG_TITLE,
        # The older name of the source prints as the source's own name; the class by its full label.
        "事项来源", "常务会议决定事项", "督办类别", "重点督办", "牵头单位", "县住房和城乡建设局", "责任人", "李明华",
        "协办单位", "县发展和改革局、县财政局、县自然资源局、城关镇人民政府", "工作要求", samples.REQUIREMENT,
        "办结时限", "2026年9月30日", "报送要求", PRIORITY_CLASSES[0].description, "备注",
        "请于每周五下午5时前通过系统报送进展", "牵头单位签收", "签收人：", "年月日",
    ]) == []  # fmt: skip
    assert_sound(slip_pdf)


@needs_pdftotext
def test_the_slip_keeps_to_the_type_area_without_overlaps(slip_pdf: bytes) -> None:
    assert_laid_out_cleanly(slip_pdf, PORTRAIT_AREA)


@needs_pdftoppm
def test_the_slip_is_headed_in_red(slip_pdf: bytes, tmp_path: Path) -> None:
    (image,) = render_png(slip_pdf, tmp_path, dpi=60)
    per_mm = 60 / 25.4
    red = (int(HEAD_RED.red * 255), int(HEAD_RED.green * 255), int(HEAD_RED.blue * 255))
    title_band = (int(28 * per_mm), int(37 * per_mm), int(184 * per_mm), int(62 * per_mm))
    table_band = (int(28 * per_mm), int(80 * per_mm), int(184 * per_mm), int(200 * per_mm))
    assert share_of_colour(image, title_band, red, tolerance=60) > 0.02
    assert share_of_colour(image, table_band, red, tolerance=60) == 0


def test_a_long_requirement_goes_to_a_continuation_page_in_full() -> None:
    requirement = "\n".join(f"{n}. {samples.REQUIREMENT}" for n in range(1, 9))
    pdf = render_notice_slip(samples.slip(requirement=requirement))
    texts = page_texts(pdf)
    assert len(texts) >= 2
    assert compact(SEE_CONTINUATION) in texts[0]
    rest = re.sub(r"—\d+—", "", "".join(texts[1:]))
    assert rest.startswith(compact("续页：工作要求（督〔2026〕12号）"))
    for n in range(1, 9):
        assert compact(f"{n}. {samples.REQUIREMENT}") in rest
    # A slip that spills over numbers its pages.
    for number, text in enumerate(texts, start=1):
        assert text.endswith(f"—{number}—")


def test_the_rhythm_defaults_to_what_the_class_asks() -> None:
    for priority in PRIORITY_CLASSES:
        assert samples.slip(priority=priority.label).report_rhythm == priority.description
    assert samples.slip(report_rhythm="每周一、周四各报送一次").report_rhythm == "每周一、周四各报送一次"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"source": "群众来信"}, "source", "事项来源"),
        ({"priority": "加急"}, "priority", "督办类别"),
        ({"title": "  "}, "title", "事项名称"),
        ({"lead_unit": ""}, "lead_unit", "牵头单位"),
        ({"deadline": date(2026, 3, 4)}, "deadline", "办结时限"),
    ],
)
def test_the_slip_refuses_what_cannot_be_sent(change: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        samples.slip(**change)
    assert refused.value.field == field
    assert words in refused.value.message


# ----- 督办台账 ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ledger_data() -> LedgerSheet:
    return samples.ledger(45)


@pytest.fixture(scope="module")
def ledger_pdf(ledger_data: LedgerSheet) -> bytes:
    return render_ledger(ledger_data)


def test_the_ledger_is_landscape_with_its_heading_and_page_count_on_every_page(
    ledger_data: LedgerSheet, ledger_pdf: bytes
) -> None:
    pages = reader(ledger_pdf).pages
    assert len(pages) > 3
    for page in pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)
    headings = "".join(c.header for c in LEDGER_COLUMNS)
    assert headings.startswith("".join(COLUMNS))
    texts = page_texts(ledger_pdf)
    for number, text in enumerate(texts, start=1):
        assert text.startswith(compact(f"{samples.OFFICE}督办台账（{ledger_data.filters}）共45项打印日期：2026年6月15日"))
        assert compact(headings) in text
        assert text.endswith(f"第{number}页共{len(texts)}页")
    assert_sound(ledger_pdf)


def test_every_item_is_printed_once_with_its_facts(ledger_data: LedgerSheet, ledger_pdf: bytes) -> None:
    text = re.sub(r"第\d+页共\d+页", "", "".join(page_texts(ledger_pdf)))
    for row in ledger_data.rows:
        title = compact(row.title)
        assert text.count(title) == 1, row.serial
        after = text[text.index(title):]
        shown_report = compact(shortened(row.latest_report, 140)) if row.latest_report else "尚未报送进展"
        # The row's cells in the order of the columns, each whole (the dates broken after the year).
        expected = [shortened(row.requirement, REQUIREMENT_SHOWN), row.lead_unit, "、".join(row.co_units),
                    row.responsible_person, row.priority,
                    f"{row.deadline.year}年{row.deadline.month}月{row.deadline.day}日", shown_report, row.state]
        position = 0
        for cell in expected:
            found = after.find(compact(cell), position)
            assert found >= 0, (row.serial, cell)
            position = found + len(compact(cell))


def test_long_requirements_and_reports_are_shown_short(ledger_data: LedgerSheet, ledger_pdf: bytes) -> None:
    text = "".join(page_texts(ledger_pdf))
    long_rows = [row for row in ledger_data.rows if len(row.requirement) > REQUIREMENT_SHOWN]
    assert long_rows
    assert text.count(ELLIPSIS) >= len(long_rows)
    assert compact(samples.REQUIREMENT * 2) not in text
    assert shortened("短", 10) == "短"
    assert shortened("甲乙丙丁，戊己", 5) == "甲乙丙丁" + ELLIPSIS


@needs_pdftotext
def test_the_ledger_keeps_to_its_type_area_without_overlaps(ledger_pdf: bytes) -> None:
    assert_laid_out_cleanly(ledger_pdf, LANDSCAPE_AREA)


def test_the_fullest_rows_still_fit_a_page() -> None:
    """A row cannot split over pages: the longest title the sheet allows, every unit as 协办, long texts and long
    filters still lay out, the 协办单位 named up to six and counted."""
    row = dataclasses.replace(
        samples.ledger(1).rows[0], title="甲" * TITLE_MAX, co_units=list(samples.UNITS),
        requirement=samples.REQUIREMENT * 5, latest_report=samples.REPORT * 10, responsible_person="欧阳志远",
    )
    sheet = LedgerSheet(samples.OFFICE, "牵头单位：" + "、".join(samples.UNITS * 3), date(2026, 6, 1),
                        [row, dataclasses.replace(row, serial=2), dataclasses.replace(row, serial=3)])
    pdf = render_ledger(sheet)
    text = "".join(page_texts(pdf))
    assert text.count(compact(f"{'、'.join(samples.UNITS[:6])}等20个单位")) == 3
    assert text.count("甲" * 20) >= 3
    assert_fonts_embedded(pdf)


def test_an_empty_ledger_says_so() -> None:
    pdf = render_ledger(LedgerSheet(samples.OFFICE, "", date(2026, 6, 15)))
    (text,) = page_texts(pdf)
    assert "（全部事项）共0项" in text
    assert "没有符合条件的督办事项" in text


def test_the_ledger_refuses_duplicate_serials_and_overlong_titles() -> None:
    row = samples.ledger(1).rows[0]
    with pytest.raises(ValidationError, match="重复的序号"):
        LedgerSheet(samples.OFFICE, "", date(2026, 6, 15), [row, row])
    with pytest.raises(ValidationError, match=f"超过{TITLE_MAX}字"):
        dataclasses.replace(row, title="甲" * (TITLE_MAX + 1))
    with pytest.raises(ValidationError, match="台账第1项：事项来源“网上信访”无效"):
        dataclasses.replace(row, source="网上信访")
    with pytest.raises(ValidationError, match="台账第1项：督办类别"):
        dataclasses.replace(row, priority="一般")
    with pytest.raises(ValidationError, match="没有进展内容"):
        dataclasses.replace(row, latest_report="", latest_report_on=date(2026, 5, 1))


# ----- 督查通报 ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notice_data() -> SupervisionNotice:
    return samples.notice()


@pytest.fixture(scope="module")
def notice_pdf(notice_data: SupervisionNotice) -> bytes:
    return render_notice(notice_data)


def notice_text(pdf: bytes) -> str:
    # A paragraph or table may run over a page; its halves are read without the page number between them.
    return re.sub(r"—\d+—", "", "".join(page_texts(pdf)))


def test_the_sample_covers_every_kind_of_item() -> None:
    figures = samples.figures()
    assert len(figures.by_unit) == 20
    office = figures.office
    assert office.due and office.closed_on_time and office.closed_late and office.in_progress and office.overdue
    assert any(t.rate == 100 for t in figures.by_unit)


def test_the_notice_reads_as_an_official_notice(notice_data: SupervisionNotice, notice_pdf: bytes) -> None:
    text = notice_text(notice_pdf)
    office = samples.figures().office
    assert text.startswith(compact("关于2026年第二季度督查督办工作情况的通报各乡镇人民政府，县政府各部门："))
    assert missing_from(text, [
        "县政府督查室对2026年第二季度（2026年4月1日至2026年6月30日）督查督办事项办理情况进行了统计。",
        "一、总体情况",
        f"本期纳入统计的牵头单位共20个。本期应办结{office.due}项，其中按期办结{office.closed_on_time}项，"
        f"按期办结率{office.rate_text}；统计期内已办结{office.closed}项，其中逾期办结{office.closed_late}项；"
        f"截至2026年6月30日，正在办理{office.in_progress}项，逾期未办结{office.overdue}项。",
        "二、各单位办理情况及排名", "各单位督办事项办理情况、按期办结率及排名见下表和下图。",
        "2026年第二季度各单位督办事项办理情况及排名",
        "2026年第二季度各单位按期办结率",
        "三、各来源事项办理情况", "2026年第二季度各来源督办事项办理情况",
        "四、逾期未办结事项", f"截至2026年6月30日，逾期未办结{office.overdue}项，具体如下：",
        "五、责任追究情况", "本期因督办事项逾期等原因责任追究2人次",
        "六、有关要求", "各单位要对逾期未办结事项逐项分析原因，于7月20日前书面报送整改措施。",
        "说明：", *explanation_lines(),
    ]) == []  # fmt: skip
    assert text.endswith(compact("青山县人民政府办公室2026年7月10日"))
    assert_sound(notice_pdf)


def test_the_tables_print_what_core_counts(notice_pdf: bytes) -> None:
    """Counted again here from the items, not taken from the notice's data: every unit's row in rank order,
    every source's row, and the totals are app.core.supervision.notice's figures."""
    figures = samples.figures()
    text = notice_text(notice_pdf)
    headings = "".join(heading_lines(f) for f in NOTICE_FIGURES)
    assert compact("排名单位" + headings) in text
    assert compact("事项来源" + headings) in text
    position = 0
    for place, tally in enumerate(figures.by_unit, start=1):
        row = f"{place}{tally.name}" + "".join(figure_value(f, tally) for f in NOTICE_FIGURES)
        found = text.find(row, position)
        assert found >= 0, row
        position = found
    total = "合计" + "".join(figure_value(f, figures.office) for f in NOTICE_FIGURES)
    assert text.count(total) == 2  # under the units and under the sources
    assert [t.name for t in figures.by_source][: len(SOURCES)] == list(SOURCES)
    for tally in figures.by_source:
        assert tally.name + "".join(figure_value(f, tally) for f in NOTICE_FIGURES) in text


def test_figure_values_follow_their_definitions() -> None:
    tally = Tally("县财政局", due=3, closed_on_time=2, closed=4, closed_late=1, in_progress=5, overdue=6)
    assert [figure_value(f, tally) for f in NOTICE_FIGURES] == ["3", "2", "66.7%", "4", "1", "5", "6"]
    assert figure_value(COMPLETION_RATE, Tally("县教育局", in_progress=1)) == "—"
    # Every count of a Tally has its figure, and every figure of the notice is a count or the rate.
    assert set(COUNT_FIGURES) == {f.name for f in dataclasses.fields(Tally)} - {"name"}
    assert set(NOTICE_FIGURES) == {*COUNT_FIGURES.values(), COMPLETION_RATE}


def test_the_overdue_items_and_accountability_are_listed(notice_data: SupervisionNotice, notice_pdf: bytes) -> None:
    text = notice_text(notice_pdf)
    figures = samples.figures()
    assert len(notice_data.overdue_items) == figures.office.overdue
    position = 0
    for n, item in enumerate(figures.overdue_items, start=1):
        days = (figures.period.end - item.deadline).days
        row = compact(f"{n}{item.unit}{item.title}{item.deadline.year}年{item.deadline.month}月{item.deadline.day}日{days}天")
        found = text.find(row, position)
        assert found >= 0, row
        position = found
    for entry in samples.ACCOUNTABILITY:
        assert compact(f"{entry.person}{entry.unit}{entry.item}{entry.reason}") in text
    assert "（2026年6月20日）" in text


def test_the_ranking_is_worded_from_the_figures(notice_pdf: bytes) -> None:
    figures = samples.figures()
    text = notice_text(notice_pdf)
    full = [t.name for t in figures.by_unit if t.due and t.closed_on_time == t.due]
    assert 1 < len(full) <= 5
    assert compact(f"{'、'.join(full)}共{len(full)}个单位按期办结率达到100%") in text
    worst = figures.by_unit[-1]
    assert f"{worst.name}（{worst.rate_text}）" in text
    assert f"有{OVERDUE.name}事项的单位是" in text


@needs_pdftoppm
def test_the_chart_is_drawn_with_a_bar_per_unit(notice_data: SupervisionNotice, notice_pdf: bytes, tmp_path: Path) -> None:
    (chart,) = rate_charts(notice_data, resolve_fonts())
    bar_chart = chart.contents[0]
    assert list(bar_chart.categoryAxis.categoryNames) == [t.name for t in notice_data.by_unit]
    assert list(bar_chart.data[0]) == [float(t.rate or 0) for t in notice_data.by_unit]
    # The chart's labels are real text in a CJK face: the units, their rates, the axis.
    texts = page_texts(notice_pdf)
    chart_page = next(i for i, t in enumerate(texts) if "各单位按期办结率" in t and "100%" in t)
    for tally in notice_data.by_unit:
        assert tally.name in texts[chart_page]
    images = render_png(notice_pdf, tmp_path, dpi=40)
    blue = (int(BAR_BLUE.red * 255), int(BAR_BLUE.green * 255), int(BAR_BLUE.blue * 255))
    image = images[chart_page]
    assert share_of_colour(image, (0, 0, image.width, image.height), blue) > 0.03
    assert all(share_of_colour(other, (0, 0, other.width, other.height), blue) < 0.001
               for i, other in enumerate(images) if i != chart_page)


@needs_pdftotext
def test_the_notice_keeps_to_the_type_area_without_overlaps(notice_pdf: bytes) -> None:
    assert_laid_out_cleanly(notice_pdf, PORTRAIT_AREA)


def test_the_notice_pages_are_numbered_the_gb_way(notice_pdf: bytes) -> None:
    texts = page_texts(notice_pdf)
    assert len(texts) > 3
    for number, text in enumerate(texts, start=1):
        assert text.endswith(f"—{number}—")


def test_a_long_period_name_breaks_the_title_into_a_trapezium() -> None:
    fonts = resolve_fonts()
    notice = samples.notice()
    assert title_lines(notice, fonts) == ["关于2026年第二季度督查督办工作情况的通报"]
    long = dataclasses.replace(notice, period=dataclasses.replace(notice.period, label="2026年1月至6月重点工作"))
    lines = title_lines(long, fonts)
    assert lines == ["关于2026年1月至6月重点工作督查督办", "工作情况的通报"]


def test_a_quiet_month_is_worded_as_such() -> None:
    period = month_period(2026, 5)
    items = [ItemFacts(1, "完善县城停车设施", "县交通运输局", SOURCES[0], date(2026, 4, 1), date(2026, 12, 31))]
    notice = notice_from_figures(notice_figures(items, period, SOURCES), office_name=samples.OFFICE,
                                 issued_on=date(2026, 6, 5))
    text = notice_text(render_notice(notice))
    assert missing_from(text, [
        "本期没有应办结事项，按期办结率不计算", "截至2026年5月31日，正在办理1项，没有逾期未办结事项。",
        "截至2026年5月31日，没有逾期未办结事项。", "本期未发生责任追究。",
        # Nothing due: no rate, a dash in its place.
        "1县交通运输局00—0010",
    ]) == []  # fmt: skip


def test_a_quarter_without_items_prints_without_a_table_or_chart() -> None:
    """No unit had an item open in the quarter: the notice still prints and says so in a sentence."""
    notice = notice_from_figures(notice_figures([], quarter_period(2026, 4), SOURCES), office_name=samples.OFFICE,
                                 issued_on=date(2026, 12, 6))
    assert notice.by_unit == ()
    text = notice_text(render_notice(notice))
    assert missing_from(text, ["本期纳入统计的牵头单位共0个", "本期没有单位承办督办事项，不作排名。",
                               "三、各来源事项办理情况", "本期未发生责任追究。"]) == []
    assert "见下表和下图" not in text and "各单位按期办结率" not in text


def test_many_units_run_the_table_and_the_chart_over_pages() -> None:
    """45 units: the table splits with its headings repeated, the chart into drawings that each fit a page."""
    period = month_period(2026, 6)
    units = [f"第{n}网格工作站" for n in range(1, 46)]
    items = [ItemFacts(n, f"事项{n}", units[n % 45], SOURCES[n % 4], date(2026, 1, 1), date(2026, 6, 1 + n % 28),
                       date(2026, 6, 1 + n % 25) if n % 3 else None) for n in range(90)]
    figures = notice_figures(items, period, SOURCES)
    notice = notice_from_figures(figures, office_name=samples.OFFICE, issued_on=date(2026, 7, 3))
    charts = rate_charts(notice, resolve_fonts())
    assert [len(c.contents[0].categoryAxis.categoryNames) for c in charts] == [CHART_UNITS_PER_PAGE, 15]
    names = [n for c in charts for n in c.contents[0].categoryAxis.categoryNames]
    assert names == [t.name for t in figures.by_unit]
    text = notice_text(render_notice(notice))
    for place, tally in enumerate(figures.by_unit, start=1):
        assert f"{place}{tally.name}" + "".join(figure_value(f, tally) for f in NOTICE_FIGURES) in text


def test_a_notice_whose_tables_do_not_add_up_is_refused(notice_data: SupervisionNotice) -> None:
    first = notice_data.by_unit[0]
    with pytest.raises(ValidationError, match="各单位应办结合计"):
        dataclasses.replace(notice_data, by_unit=(dataclasses.replace(first, due=first.due + 1),
                                                  *notice_data.by_unit[1:]))
    with pytest.raises(ValidationError, match="逾期事项清单"):
        dataclasses.replace(notice_data, overdue_items=notice_data.overdue_items[1:])
    with pytest.raises(ValidationError, match="重复的单位"):
        dataclasses.replace(notice_data, by_unit=(*notice_data.by_unit, Tally(first.name)))
    with pytest.raises(ValidationError, match="逾期天数"):
        OverdueEntry("县财政局", "某事项", date(2026, 6, 30), 0)


@pytest.mark.parametrize(
    "dataclass_type",
    [SupervisionNoticeSlip, LedgerRow, LedgerSheet, OverdueEntry, AccountabilityEntry, SupervisionNotice],
)
def test_the_data_are_plain_frozen_dataclasses(dataclass_type: type) -> None:
    assert dataclasses.is_dataclass(dataclass_type)
    assert dataclass_type.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert dataclass_type.__module__ == supervision_data.__name__
