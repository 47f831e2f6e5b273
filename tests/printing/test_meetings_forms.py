"""会议's printed forms drawn from realistic data and read back: the 会议通知, the 签到表 (many attendees over
pages), the 座次图 (the 主席台's names in the order the audience sees them; 99 seats to a row) and the 会议方案
(its five phases, the late tasks in red)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape

from app.core.errors import ValidationError
from app.core.meetings.plan import PHASES, plan_template
from app.core.meetings.seating import seat_order
from app.printing.kit.fonts import resolve_fonts
from app.printing.meetings import seating_chart
from app.printing.meetings.data import (
    LATE,
    AgendaEntry,
    Attendee,
    MeetingFacts,
    MeetingNoticeData,
    PlanSheet,
    PlanTask,
    Seat,
    SeatingChart,
    SignInSheet,
    clock_text,
)
from app.printing.meetings.notice import DEFAULT_REQUIREMENTS, cn_number, render_meeting_notice, title_lines
from app.printing.meetings.plan import LATE_RED, render_plan
from app.printing.meetings.seating_chart import LEGEND, fit_text, render_seating_chart
from app.printing.meetings.sign_in import render_sign_in
from tests.helpers.pdfcheck import (
    assert_fonts_embedded,
    assert_no_missing_glyphs,
    compact,
    needs_pdftoppm,
    reader,
    render_png,
    share_of_colour,
    text_runs,
)

MEETING = MeetingFacts(
    office_name="青山县人民政府办公室", number="会〔2026〕1号", meeting_type="常务会议", title="县政府第12次常务会议",
    starts_at=datetime(2026, 12, 1, 9, 0), ends_at=datetime(2026, 12, 1, 11, 30),
    place="第一会议室（县政府办公楼三楼）", host="陈县长", organizer_unit="县政府办公室", responsible="王文秘",
)
ATTENDEES = (
    Attendee("", "陈明", "县长", "present"),
    Attendee("", "刘强", "副县长", "leave", "赴省参加培训"),
    Attendee("县财政局", "钱进", "局长", "substitute", substitute_name="赵平"),
    Attendee("县教育局", "孙文", "局长"),
    Attendee("县住房和城乡建设局", ""),
)


def text_of(pdf: bytes) -> str:
    return compact("".join(page.extract_text() for page in reader(pdf).pages))


def notice(**fields: object) -> MeetingNoticeData:
    values: dict[str, object] = {
        "meeting": MEETING, "attendees": ATTENDEES, "issued_on": date(2026, 11, 27),
        "agenda": (AgendaEntry("审议《青山县2027年财政预算（草案）》", "县财政局"),
                   AgendaEntry("研究县城区学校布局调整有关事项", "县教育局")),
        "notes": "请参会单位主要负责人准时参加，不得委托他人。\n请县财政局、县教育局各准备汇报材料15份。",
        "contact": "王文秘", "contact_phone": "0571-88001234",
    }
    values.update(fields)
    return MeetingNoticeData(**values)  # type: ignore[arg-type]


# ----- 会议通知 ------------------------------------------------------------------------------------


def test_the_notice_says_what_the_office_writes() -> None:
    pdf = render_meeting_notice(notice())
    text = text_of(pdf)
    for words in (
        "关于召开县政府第12次常务会议的通知",
        "县财政局、县教育局、县住房和城乡建设局：",  # 主送: the attending units, each once
        "一、会议时间：2026年12月1日（星期二）上午9:00",
        "二、会议地点：第一会议室（县政府办公楼三楼）",
        "三、主持人：陈县长",
        "四、参会人员：县长陈明，副县长刘强；县财政局局长钱进，县教育局局长孙文，县住房和城乡建设局负责人。",
        "五、会议议程",
        "（一）审议《青山县2027年财政预算（草案）》（汇报单位：县财政局）",
        "（二）研究县城区学校布局调整有关事项（汇报单位：县教育局）",
        "六、有关要求",
        "请参会单位主要负责人准时参加，不得委托他人。",
        "请县财政局、县教育局各准备汇报材料15份。",
        "七、联系人：王文秘，联系电话：0571-88001234",
        "青山县人民政府办公室2026年11月27日",
    ):
        assert words in text, words
    assert text.index("五、会议议程") < text.index("（一）") < text.index("（二）") < text.index("六、有关要求")
    # The 落款 goes over to a new page with the text before it, never alone.
    last = compact(reader(pdf).pages[-1].extract_text())
    assert "联系人" in last and last.index("联系人") < last.index("青山县人民政府办公室")
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def test_a_heading_without_facts_is_left_out_and_the_others_numbered_on() -> None:
    bare = dataclasses.replace(MEETING, host="")
    text = text_of(render_meeting_notice(notice(meeting=bare, agenda=(), notes="", contact="")))
    assert "、主持人：" not in text and "、会议议程" not in text and "、联系人：" not in text
    assert "三、参会人员：" in text
    # With no notes, what every notice asks.
    assert f"四、有关要求{compact(DEFAULT_REQUIREMENTS[0])}{compact(DEFAULT_REQUIREMENTS[1])}" in text


def test_a_long_title_breaks_into_lines_that_fit() -> None:
    fonts = resolve_fonts()
    title = "关于召开全县2026年度安全生产暨森林防火和防汛抗旱工作推进会议及表彰先进集体和先进个人大会的通知"
    lines = title_lines(title, fonts)
    assert len(lines) >= 2 and "".join(lines) == title
    assert all(fonts.string_width(line, fonts.song, 22) <= 156 * 72 / 25.4 for line in lines)
    assert len(lines[0]) >= len(lines[-1])  # the longer line on top
    long = dataclasses.replace(MEETING, title=title[4:-3])
    assert title in text_of(render_meeting_notice(notice(meeting=long)))


def test_the_clock_is_the_offices() -> None:
    assert [clock_text(datetime(2026, 12, 1, h, m)) for h, m in ((9, 0), (12, 30), (15, 0), (19, 5))] == [
        "上午9:00", "中午12:30", "下午3:00", "晚上7:05"]
    assert [cn_number(n) for n in (1, 10, 12, 20, 35)] == ["一", "十", "十二", "二十", "三十五"]


def test_the_data_refuses_what_would_print_wrong() -> None:
    with pytest.raises(ValidationError, match="会议结束时间应晚于开始时间"):
        dataclasses.replace(MEETING, ends_at=MEETING.starts_at)
    with pytest.raises(ValidationError, match="会议缺少名称"):
        dataclasses.replace(MEETING, title=" ")
    with pytest.raises(ValidationError, match="成文日期不能晚于会议召开的日期"):
        notice(issued_on=date(2026, 12, 2))
    with pytest.raises(ValidationError, match="参会人员缺少单位和姓名"):
        Attendee("", "")
    with pytest.raises(ValidationError, match="不是会议方案的五个阶段之一"):
        PlanTask("会后宣传", "发布新闻稿")
    with pytest.raises(ValidationError, match="还没有排座次"):
        SeatingChart(MEETING, [], [])
    with pytest.raises(ValidationError, match="一排最多99个"):
        SeatingChart(MEETING, [[Seat("某")] * 100])


# ----- 签到表 ------------------------------------------------------------------------------------


def test_the_sign_in_sheet_has_a_row_per_attendee_with_what_is_recorded() -> None:
    pdf = render_sign_in(SignInSheet(MEETING, ATTENDEES))
    text = text_of(pdf)
    assert len(reader(pdf).pages) == 1
    assert "县政府第12次常务会议签到表" in text
    assert "时间：2026年12月1日（星期二）上午9:00—11:30" in text and "地点：第一会议室（县政府办公楼三楼）" in text
    assert "序号单位姓名职务签名备注" in text
    assert "2刘强副县长请假（赴省参加培训）" in text
    assert "3县财政局钱进局长代会：赵平" in text
    assert "4县教育局孙文局长" in text and "5县住房和城乡建设局" in text
    # Two of five are not yet recorded: 实到 is left to fill in; 请假 and 代会 are what is recorded.
    assert "应到5人，实到＿＿＿人，请假1人，代会1人" in text
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def test_a_complete_sign_in_counts_who_came() -> None:
    done = [dataclasses.replace(a, attendance=a.attendance or "present") for a in ATTENDEES]
    assert "应到5人，实到4人，请假1人，代会1人" in text_of(render_sign_in(SignInSheet(MEETING, done)))
    blank = [dataclasses.replace(a, attendance="", leave_reason="", substitute_name="") for a in ATTENDEES]
    assert "应到5人，实到＿＿＿人，请假＿＿＿人，代会＿＿＿人" in text_of(render_sign_in(SignInSheet(MEETING, blank)))


def test_many_attendees_run_over_pages_with_the_headings_on_each() -> None:
    many = [Attendee(f"县第{i}工作部门", f"张{i}", "局长") for i in range(1, 61)]
    pdf = render_sign_in(SignInSheet(MEETING, many))
    pages = [compact(page.extract_text()) for page in reader(pdf).pages]
    # Rows of 12 mm, tall enough to sign: about 16 to a page.
    assert len(pages) == 4
    assert all("序号单位姓名职务签名备注" in page for page in pages)
    assert "县政府第12次常务会议签到表" in pages[0]
    assert "60县第60工作部门张60局长" in pages[-1] and "应到60人" in pages[-1]
    serials = [n for n in range(1, 61) if any(f"{n}县第{n}工作部门" in page for page in pages)]
    assert serials == list(range(1, 61))


# ----- 座次图 ------------------------------------------------------------------------------------


def seats(prefix: str, count: int, post: str = "") -> list[Seat]:
    """A row of ``count`` as the seating service gives it: from the audience's left, by seat_order."""
    return [Seat(f"{prefix}{rank}", post) for rank in seat_order(count)]


def names_left_to_right(pdf: bytes, names: set[str], page: int = 0) -> list[str]:
    runs = [(x, text) for text, x, _y, _font in text_runs(pdf, page) if text.strip() in names]
    return [text.strip() for _x, text in sorted(runs)]


def test_the_dais_prints_as_the_audience_sees_it() -> None:
    dais = [Seat(name, post) for name, post in (
        ("孙五", "县委常委"), ("张三", "副县长"), ("陈一", "县长"), ("刘二", "常务副县长"), ("李四", "副县长"))]
    chart = SeatingChart(MEETING, [dais], [seats("代表", 10), seats("列席", 6)])
    pdf = render_seating_chart(chart)
    page = reader(pdf).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(landscape(A4))
    text = text_of(pdf)
    for words in ("县政府第12次常务会议座次图", compact(LEGEND), "主席台", "会场",
                  "时间：2026年12月1日（星期二）上午9:00—11:30"):
        assert words in text, words
    # Ranked 1..5: 陈一 刘二 张三 李四 孙五; from the left as printed: 5 3 1 2 4.
    assert names_left_to_right(pdf, {"陈一", "刘二", "张三", "李四", "孙五"}) == ["孙五", "张三", "陈一", "刘二", "李四"]
    hall = names_left_to_right(pdf, {f"代表{r}" for r in range(1, 11)})
    assert hall == [f"代表{r}" for r in seat_order(10)] == [f"代表{r}" for r in (9, 7, 5, 3, 1, 2, 4, 6, 8, 10)]
    # The 主席台 above the hall: its names higher on the page.
    heights = {text.strip(): y for text, _x, y, _font in text_runs(pdf, 0)}
    assert heights["陈一"] > heights["代表1"] > heights["列席1"]
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def test_a_meeting_without_a_dais_prints_its_hall_alone() -> None:
    pdf = render_seating_chart(SeatingChart(MEETING, [], [seats("代表", 6, "局长")]))
    text = text_of(pdf)
    assert text.count("主席台") == 1  # the legend only: no band is drawn
    assert "会场" in text and "第1排" in text
    assert names_left_to_right(pdf, {f"代表{r}" for r in range(1, 7)}) == [f"代表{r}" for r in (5, 3, 1, 2, 4, 6)]


@pytest.mark.parametrize("count", [1, 2, 4, 5, 15])
def test_dais_rows_of_any_size_keep_the_order(count: int) -> None:
    pdf = render_seating_chart(SeatingChart(MEETING, [seats("领导", count, "副县长")]))
    assert names_left_to_right(pdf, {f"领导{r}" for r in range(1, count + 1)}) == [
        f"领导{r}" for r in seat_order(count)]


def test_ninety_nine_seats_to_a_row_fit_their_boxes() -> None:
    fonts = resolve_fonts()
    row = seats("欧阳", 99, "县人大常委会副主任")
    pdf = render_seating_chart(SeatingChart(MEETING, [row], [seats("代表", 99)]))
    assert names_left_to_right(pdf, {seat.name for seat in row}) == [seat.name for seat in row]
    # Every name lies inside the 版心, and the boxes share its width: each name within its own pitch.
    pitch = seating_chart.WIDTH / 99
    runs = sorted((x, text.strip()) for text, x, _y, _font in text_runs(pdf, 0) if text.strip().startswith("欧阳"))
    for index, (x, _name) in enumerate(runs):
        assert seating_chart.LEFT + index * pitch <= x < seating_chart.LEFT + (index + 1) * pitch
    # The type shrinks with the box: both lines inside it.
    box_width = pitch * seating_chart.BOX_SHARE
    fitted = fit_text(row[0], box_width, 12 * 2.835, fonts)
    assert fonts.string_width(fitted.name, fonts.hei, fitted.name_size) < box_width
    assert fonts.string_width(fitted.post, fonts.song, fitted.post_size) < box_width
    assert (fitted.name_size + fitted.post_size) * seating_chart.LINE < 12 * 2.835


def test_a_hall_too_long_for_a_page_goes_on_to_the_next() -> None:
    hall = [[Seat(f"第{r}排{s}号") for s in range(1, 21)] for r in range(1, 31)]
    pdf = render_seating_chart(SeatingChart(MEETING, [seats("领导", 5)], hall))
    pages = [compact(page.extract_text()) for page in reader(pdf).pages]
    assert len(pages) >= 2
    # The legend names the 主席台 on every page; only the first draws it.
    assert pages[0].count("主席台") == 2 and "座次图（续）" in pages[1] and pages[1].count("主席台") == 1
    printed = "".join(pages)
    assert all(f"第{r}排20号" in printed for r in range(1, 31))
    # Each row named in the margin, left of the 版心, on the page it is on.
    labels = [(text.strip(), x) for index in range(len(pages)) for text, x, _y, _f in text_runs(
        render_seating_chart(SeatingChart(MEETING, [seats("领导", 5)], hall)), index) if text.strip().endswith("排")]
    assert [name for name, _x in labels] == [f"第{r}排" for r in range(1, 31)]
    assert all(x < seating_chart.LEFT for _name, x in labels)


@needs_pdftoppm
def test_the_seating_chart_looks_like_one(tmp_path: Path) -> None:
    chart = SeatingChart(MEETING, [seats("领导", 7, "副县长")], [seats("代表", 12, "局长")] * 3)
    (image,) = render_png(render_seating_chart(chart), tmp_path, dpi=40)
    width, height = image.size
    assert width > height  # landscape
    # The shaded 主席台 band sits above the hall.
    top_half = share_of_colour(image, (0, 0, width, height // 2), (0xF2, 0xF2, 0xF2), tolerance=6)
    bottom_half = share_of_colour(image, (0, height // 2, width, height), (0xF2, 0xF2, 0xF2), tolerance=6)
    assert top_half > 0.05 and bottom_half < 0.01


# ----- 会议方案 ------------------------------------------------------------------------------------


def plan(as_of: datetime, done_every: int = 3) -> PlanSheet:
    tasks = [
        PlanTask(t.phase, t.text, "王文秘" if i % 2 else "李干事", MEETING.starts_at - timedelta(hours=t.hours_before),
                 done=i % done_every == 0)
        for i, t in enumerate(plan_template("常务会议"))
    ]
    return PlanSheet(MEETING, tasks, as_of)


def test_the_plan_prints_every_phase_with_its_tasks() -> None:
    sheet = plan(datetime(2026, 11, 29, 10, 0))
    pdf = render_plan(sheet)
    text = text_of(pdf)
    assert text.startswith("县政府第12次常务会议方案打印时间：2026年11月29日10:00")
    assert "会议名称县政府第12次常务会议" in text and "会议编号会〔2026〕1号" in text
    positions = [text.index(f"{cn_number(n)}、{phase}序号工作任务责任人完成时限完成情况")
                 for n, phase in enumerate(PHASES, start=1)]
    assert positions == sorted(positions)
    # 征集议题 was due 11月26日 9:00 and is done; 起草会议通知 was due 11月28日 9:00 and is not: late.
    assert "1征集议题，报县长审定议题顺序李干事11月26日9:00已完成" in text
    assert "2起草会议通知并报领导审定王文秘11月28日9:00逾期未完成" in text
    assert "5通知列席单位负责人按议题候会李干事11月30日9:00未完成" in text
    statuses = [sheet.status(task) for task in sheet.tasks]
    assert f"共13项工作任务，已完成5项，未完成8项（其中逾期未完成{statuses.count(LATE)}项）。" in text
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def test_a_phase_without_tasks_says_so() -> None:
    sheet = PlanSheet(MEETING, [PlanTask("会场布置", "布置会标", "王文秘", None)], datetime(2026, 11, 29))
    text = text_of(render_plan(sheet))
    assert text.count("本阶段暂无工作任务") == 4
    assert "1布置会标王文秘—未完成" in text


@needs_pdftoppm
def test_late_tasks_are_red_and_only_they(tmp_path: Path) -> None:
    red = tuple(int(LATE_RED.rgb()[i] * 255) for i in range(3))
    late = render_png(render_plan(plan(datetime(2026, 11, 30, 12, 0))), tmp_path, dpi=50, name="late")
    assert any(share_of_colour(page, (0, 0, *page.size), red, tolerance=40) > 0 for page in late)  # type: ignore[arg-type]
    early = render_png(render_plan(plan(datetime(2026, 11, 20, 12, 0))), tmp_path, dpi=50, name="early")
    assert all(share_of_colour(page, (0, 0, *page.size), red, tolerance=40) == 0 for page in early)  # type: ignore[arg-type]


# ----- glyphs ------------------------------------------------------------------------------------


def test_names_outside_gb2312_are_drawn_not_boxed() -> None:
    """喆, 堃, 赟 are not in the Song face (GB 2312 only), 䶮 not in the Hei face either: each is drawn in a face
    that has it, in every form, and reads back."""
    rare = (Attendee("县发展和改革局", "王喆", "局长"), Attendee("", "李堃", "副县长", "leave", "陪同刘䶮调研"),
            Attendee("县财政局", "张赟", "副局长"))
    meeting = dataclasses.replace(MEETING, title="全县喆堃工程推进会", host="李堃")
    chart = SeatingChart(meeting, [[Seat("王喆", "县委常委、副县长"), Seat("李堃", "县长"), Seat("刘䶮", "副县长")]],
                         [[Seat("张赟", "堃局长")]])
    forms = {
        "notice": render_meeting_notice(notice(meeting=meeting, attendees=rare,
                                               agenda=(AgendaEntry("研究喆堃工程有关事项", "县发展和改革局"),))),
        "sign-in": render_sign_in(SignInSheet(meeting, rare)),
        "seating": render_seating_chart(chart),
        "plan": render_plan(PlanSheet(meeting, [PlanTask("材料准备", "起草喆堃工程汇报", "张赟")], datetime(2026, 11, 27))),
    }
    for name, pdf in forms.items():
        assert_no_missing_glyphs(pdf)
        assert_fonts_embedded(pdf)
        text = text_of(pdf)
        assert "全县喆堃工程推进会" in text, name
    assert "陪同刘䶮调研" in text_of(forms["sign-in"]) and "刘䶮" in text_of(forms["seating"])
