"""周一学习轮讲安排表 (app.printing.information.rotation), drawn from plain data and from a real term through its
loader (app.forms.information.load_rotation), read back with pypdf: the title, the sessions with their dates,
presenters and topics, the holiday Mondays with why, who is away, who stood in, the office and the date at the foot; refused to
a user outside the writing groups, with nothing in the audit log. On SQLite, PostgreSQL and MariaDB where a
database is involved."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.db.tables import audit_log
from app.forms import PrintContext
from app.forms.information import load_rotation
from app.printing.information.rotation import day_text, render_rotation
from app.printing.information.rotation_data import RotationRow, RotationSheet
from app.services.information import study
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office
from tests.helpers.pdfcheck import assert_fonts_embedded, assert_no_missing_glyphs, compact, page_text, reader

TERM = (date(2026, 7, 1), date(2026, 12, 31))


def test_the_date_reads_as_the_office_writes_it() -> None:
    assert day_text(date(2026, 9, 7)) == "2026年9月7日（周一）"


def test_a_sheet_from_plain_data() -> None:
    rows = [RotationRow(date(2026, 9, 28), 1, "张文秘", "案例解剖"),
            RotationRow(date(2026, 10, 5), remark="国庆节放假，暂停一次"),
            RotationRow(date(2026, 10, 12), 2, "孙接待", "公文写作常识", "赵文秘出差")]
    pdf = render_rotation(RotationSheet("青山县人民政府办公室", "2026年下半年", *TERM, date(2026, 9, 20), rows))
    text = compact(page_text(pdf))
    for words in ("2026年下半年周一学习轮讲安排表", "序号日期主讲人学习主题备注", "2026年9月28日（周一）", "张文秘",
                  "案例解剖", "2026年10月5日（周一）", "国庆节放假，暂停一次", "赵文秘出差", "共2次",
                  "青山县人民政府办公室", "2026年9月20日"):
        assert words in text, words
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def test_an_empty_term_says_so() -> None:
    pdf = render_rotation(RotationSheet("青山县人民政府办公室", "2027年上半年", date(2027, 1, 1), date(2027, 6, 30),
                                        date(2026, 12, 1)))
    assert "本学期尚未安排轮讲" in compact(page_text(pdf))


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def test_a_whole_year_runs_over_pages_with_the_headings_on_each(office: Office) -> None:
    o = office
    term = o.run(study.create_term, o.clerk, name="2026年", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                 topics=["案例解剖", "公文写作常识", "文件政策解读"])
    o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 1, 1))
    pdf = render_rotation(load_rotation(PrintContext(o.ctx, o.clerk), term.id))
    pages = reader(pdf).pages
    assert len(pages) >= 2
    for page in pages:
        assert "序号日期主讲人学习主题备注" in compact(page.extract_text())
    text = compact(page_text(pdf))
    assert "共47次" in text
    for words in ("春节放假，暂停一次", "清明节放假，暂停一次", "劳动节放假，暂停一次", "国庆节放假，暂停一次"):
        assert words in text, words


def test_a_term_through_its_loader(office: Office) -> None:
    o = office
    term = o.run(study.create_term, o.clerk, name="2026年下半年", starts_on=TERM[0], ends_on=TERM[1],
                 topics=["案例解剖", "公文写作常识", "文件政策解读"])
    zhao = int(o.clerk2.id or 0)
    o.run(study.add_absence, o.clerk, term.id, zhao, date(2026, 10, 12), "出差")
    made = o.run(study.generate_rotation, o.clerk, term.id, today=TERM[0])
    # The first session held: 钱会计 stands in for whoever was down for it.
    first = made.sessions[0]
    qian = int(o.finance.id or 0)
    if first.presenter_id == qian:
        qian = int(o.clerk.id or 0)
    stand_in = o.run(study.record_session, o.clerk, first.id, subject="案例解剖", notes="",
                     attendance=[study.Attendance(qian)], presenter_id=qian, today=first.held_on)
    with pytest.raises(PermissionDenied):
        load_rotation(PrintContext(o.ctx, o.cashier), term.id)
    with o.ctx.uow() as uow:
        assert uow.execute(select(audit_log.c.seq).where(audit_log.c.action == "print")).first() is None
    data = load_rotation(PrintContext(o.ctx, o.petition), term.id)
    assert data.title == "2026年下半年周一学习轮讲安排表"
    sessions = [r for r in data.rows if r.serial]
    assert [r.serial for r in sessions] == list(range(1, len(made.sessions) + 1))
    assert [(r.held_on, r.topic) for r in sessions] == [(s.held_on, s.topic) for s in made.sessions]
    assert [r.presenter for r in sessions[1:]] == [s.presenter_name for s in made.sessions[1:]]
    by_day = {r.held_on: r for r in data.rows}
    assert by_day[date(2026, 10, 5)].remark == "国庆节放假，暂停一次" and not by_day[date(2026, 10, 5)].serial
    assert by_day[date(2026, 10, 12)].remark == "赵文秘出差"
    assert by_day[first.held_on].presenter == stand_in.presenter_name
    assert by_day[first.held_on].remark == f"{stand_in.presenter_name}代{first.presenter_name}主讲"
    assert data.office_name == "青山县人民政府办公室"
    text = compact(page_text(render_rotation(data)))
    assert f"共{len(made.sessions)}次" in text and "赵文秘出差" in text
    with o.ctx.uow() as uow:
        rows = uow.execute(select(audit_log.c.user_id, audit_log.c.entity_type, audit_log.c.entity_id,
                                  audit_log.c.detail).where(audit_log.c.action == "print")).all()
    assert [(r.user_id, r.entity_type, r.entity_id) for r in rows] == [(o.petition.id, "study_term", term.id)]
    assert json.loads(rows[0].detail)["form"] == "info-study-rotation"
