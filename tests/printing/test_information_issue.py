"""《政务信息》 in the briefing layout (app.printing.information.issue), read back with pypdf and looked at as pixels:
the red masthead, 第N期, the editing unit and the date, every item's title and text, the 版记 (报/送/发, 共印N份)
at the foot of the last page, a multi-page issue; and the loader (app.forms.information.load_issue) with its
audit entry and its refusal of an issue being edited to a non-editor. The loader on SQLite, PostgreSQL and
MariaDB."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.db.tables import audit_log
from app.forms import PrintContext
from app.forms.information import load_issue
from app.printing.information.issue import RED, render_issue
from app.printing.information.issue_data import IssueArticle, IssueSheet
from app.services.information import issues
from tests.helpers.document_office import Office
from tests.helpers.information_office import BODY, build_information_office, new_item
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

LONG_TITLE = "我县扎实推进农村人居环境整治提升行动，全力打造生态宜居美丽乡村，群众获得感幸福感安全感持续增强"
SECOND_PARAGRAPH = "下一步，我县将继续加大投入力度，确保年底前完成全部建设任务，切实让群众走上幸福路。"


def sheet(count: int = 2, copies: int = 80, body_repeat: int = 1) -> IssueSheet:
    articles = tuple(
        IssueArticle(LONG_TITLE if i == 1 else f"第{i + 1}篇：我县农村公路提质改造取得新进展",
                     "\n".join([BODY * body_repeat, SECOND_PARAGRAPH]), "孙接待", "第一信息组")
        for i in range(count)
    )
    return IssueSheet(
        year=2026, seq=12, editor_unit="青山县人民政府办公室", issue_date=date(2026, 11, 27), items=articles,
        report_to="市政府办公室", send_to="县委、县人大、县政协主要领导，县政府各位领导",
        distribute_to="各乡镇人民政府，县政府各部门", copies=copies,
    )


def page_texts(pdf: bytes) -> list[str]:
    return [compact(page.extract_text()) for page in reader(pdf).pages]


def test_the_masthead_number_unit_date_and_items_are_printed() -> None:
    pdf = render_issue(sheet())
    pages = page_texts(pdf)
    first = pages[0]
    assert first.startswith("政务信息")
    assert "第12期" in first and "总第" not in first
    assert "青山县人民政府办公室" in first and "2026年11月27日" in first
    text = "".join(pages)
    for words in (compact(LONG_TITLE), "第1篇：我县农村公路提质改造取得新进展", compact(BODY), compact(SECOND_PARAGRAPH),
                  "（第一信息组孙接待）"):
        assert words in text, words
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)
    metadata = reader(pdf).metadata
    assert metadata is not None and metadata.title == "《政务信息》2026年第12期"


def test_the_unit_is_at_the_left_the_date_at_the_right_under_the_masthead() -> None:
    pdf = render_issue(sheet())
    runs = text_runs(pdf, 0)

    def where(words: str) -> tuple[float, float]:
        for text, x, y, _font in runs:
            if words in compact(text):
                return x, y
        raise AssertionError(f"{words} not found in {runs}")

    unit_x, unit_y = where("青山县人民政府办公室")
    date_x, date_y = where("2026年11月27日")
    number_x, number_y = where("第12期")
    assert abs(unit_y - date_y) < 1 and unit_x < 100 < 300 < date_x
    assert number_y > unit_y and 200 < number_x < 400


def test_a_long_title_wraps_and_is_set_in_hei() -> None:
    pdf = render_issue(sheet(count=2))
    runs = text_runs(pdf, 0)
    title_runs = [(text, y, font) for text, _x, y, font in runs if compact(text) and compact(text) in compact(LONG_TITLE)
                  and len(compact(text)) > 4]
    assert len({round(y) for _t, y, _f in title_runs}) >= 2, "the long title wraps onto a second line"
    hei_fonts = {font for _t, _y, font in title_runs}
    body_fonts = {font for text, _x, _y, font in runs if "一亿" in text or "86公里" in text}
    assert hei_fonts and body_fonts and hei_fonts.isdisjoint(body_fonts)


def test_the_foot_is_on_the_last_page_only() -> None:
    pdf = render_issue(sheet(count=6, body_repeat=3))
    pages = page_texts(pdf)
    assert len(pages) >= 3, "six long items take several pages"
    last = pages[-1]
    for words in ("报：市政府办公室", "送：县委、县人大、县政协主要领导，县政府各位领导", "发：各乡镇人民政府，县政府各部门",
                  "（共印80份）"):
        assert words in last, words
        assert all(words not in page for page in pages[:-1]), words
    # Every page carries its number; the foot is below every item's text.
    assert all(f"—{n}—" in page for n, page in enumerate(pages, start=1))
    runs = text_runs(pdf, len(pages) - 1)
    foot_y = max(y for text, _x, y, _f in runs if "报：" in text)
    item_ys = [y for text, _x, y, _f in runs if "孙接待" in text]
    assert item_ys and foot_y < min(item_ys)
    assert "第6篇" in "".join(pages)


def test_the_foot_sits_at_the_foot_of_a_short_last_page() -> None:
    pdf = render_issue(sheet(count=1, copies=0))
    (page,) = page_texts(pdf)
    assert "共印" not in page and "报：市政府办公室" in page
    runs = text_runs(pdf, 0)
    foot_y = max(y for text, _x, y, _f in runs if "发：" in text)
    # Within the bottom quarter of the A4 page (842 pt high), well below the one short item.
    assert foot_y < 842 / 4


def test_empty_lists_are_left_out() -> None:
    data = IssueSheet(year=2026, seq=1, editor_unit="县政府办公室", issue_date=date(2026, 1, 5),
                      items=(IssueArticle("标题", "正文"),), report_to="市政府办公室", copies=0)
    text = "".join(page_texts(render_issue(data)))
    assert "报：市政府办公室" in text and "送：" not in text and "发：" not in text


@needs_pdftoppm
def test_the_masthead_is_red_and_the_rest_is_black(tmp_path: Path) -> None:
    (image, *_rest) = render_png(render_issue(sheet(count=1)), tmp_path, dpi=50)
    red = (round(RED.red * 255), round(RED.green * 255), round(RED.blue * 255))
    width, height = image.size
    # The masthead: the top of the type area (37 mm down, the first ~25 mm).
    top = (0, int(height * 37 / 297), width, int(height * 62 / 297))
    assert share_of_colour(image, top, red, tolerance=60) > 0.02
    # The items' text below is not red.
    body = (0, int(height * 90 / 297), width, int(height * 150 / 297))
    assert share_of_colour(image, body, red, tolerance=60) == 0
    assert share_of_colour(image, body, (0, 0, 0), tolerance=100) > 0.01


# ----- the loader -----------------------------------------------------------------------------------------


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def test_the_loader_prints_the_issue_in_order_and_records_the_print(office: Office) -> None:
    o = office
    a = new_item(o, title="第一篇稿件")
    b = new_item(o, by="finance", title="第二篇稿件")
    issue = o.run(issues.create_issue, o.clerk, today=date(2026, 11, 27))
    issue = o.run(issues.add_items, o.clerk, issue.id, [b, a])
    o.run(issues.update_issue, o.clerk, issue.id, issue_date=date(2026, 11, 30), editor_unit="县政府办公室信息科",
          report_to="市政府办公室", send_to="县政府各位领导", distribute_to="各乡镇", copies=45)
    # A proof of the issue being edited: for the editors only.
    with pytest.raises(PermissionDenied, match="尚未印发"):
        load_issue(PrintContext(o.ctx, o.cashier), issue.id)
    data = load_issue(PrintContext(o.ctx, o.clerk), issue.id)
    assert (data.number_text, data.editor_unit, data.issue_date, data.copies) == (
        "第1期", "县政府办公室信息科", date(2026, 11, 30), 45)
    assert [(i.title, i.author, i.group) for i in data.items] == [("第二篇稿件", "钱会计", "第二信息组"),
                                                                ("第一篇稿件", "孙接待", "第一信息组")]
    text = "".join(page_texts(render_issue(data)))
    assert text.index("第二篇稿件") < text.index("第一篇稿件")
    assert "（共印45份）" in text and "发：各乡镇" in text
    o.run(issues.publish_issue, o.clerk, issue.id, today=date(2026, 11, 30))
    assert load_issue(PrintContext(o.ctx, o.cashier), issue.id).seq == 1
    with o.ctx.uow() as uow:
        rows = uow.execute(select(audit_log.c.user_id, audit_log.c.entity_type, audit_log.c.entity_id,
                                  audit_log.c.detail).where(audit_log.c.action == "print")
                           .order_by(audit_log.c.seq)).all()
    # The refused print left no entry.
    assert [(r.user_id, r.entity_type, r.entity_id) for r in rows] == [
        (o.clerk.id, "info_issue", issue.id), (o.cashier.id, "info_issue", issue.id)]
    facts = json.loads(rows[0].detail)
    assert (facts["form"], facts["label"], facts["issued"]) == ("info-issue", "2026年第1期", False)
