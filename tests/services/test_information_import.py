"""导入信息台账 (app.services.information.ledger_import): a whole year's ledger comes in with its issues, adoptions and
articles counted exactly; one bad row and nothing is written, every bad row named with what to fix; hostile cells;
issues made with the sequence raised; who may import. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.core.information.ledger_sheet import COLUMNS, SheetProblems
from app.models import AuditEntry, WorkflowInstance
from app.models.information import InfoAdoption, InfoIssue, InfoItem
from app.services.information import groups, ledger_import
from app.services.kernel import sequences, settings
from tests.helpers.document_office import Office
from tests.helpers.information_ledger import (
    ADOPTIONS,
    ARTICLES,
    ISSUES,
    ITEMS,
    POINTS,
    YEAR,
    ledger_bytes,
    one_row,
    swell,
    year_ledger,
)
from tests.helpers.information_office import build_information_office, new_item

TODAY = date(2026, 11, 27)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def _import(o: Office, data: bytes, by: str = "clerk") -> ledger_import.ImportResult:
    result: ledger_import.ImportResult = o.run(ledger_import.import_items, o.people[by], data, today=TODAY)
    return result


def _counts(o: Office) -> tuple[int, int, int, int]:
    """Items, issues, adoptions and import audit entries in the database."""
    with o.ctx.uow() as uow:
        count = lambda model: uow.session.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
        audits = uow.session.execute(select(func.count()).select_from(AuditEntry)
                                     .where(AuditEntry.action == "import")).scalar_one()
        return count(InfoItem), count(InfoIssue), count(InfoAdoption), audits


def test_a_whole_years_ledger_is_imported_exactly(office: Office) -> None:
    o = office
    result = _import(o, ledger_bytes(year_ledger()))
    assert result == ledger_import.ImportResult(items=ITEMS, articles=ARTICLES, issues=ISSUES, adoptions=ADOPTIONS,
                                                points=POINTS)
    assert (ISSUES, ADOPTIONS, POINTS, ARTICLES) == (18, 52, 216, 10)
    with o.ctx.uow() as uow:
        s = uow.session
        kinds = dict(s.execute(select(InfoItem.kind, func.count()).group_by(InfoItem.kind)).all())
        assert kinds == {"item": ITEMS, "article": ARTICLES}
        assert s.execute(select(func.count()).select_from(InfoItem).where(InfoItem.imported.is_(False))).scalar() == 0
        issues = s.execute(select(InfoIssue).order_by(InfoIssue.seq)).scalars().all()
        assert [(i.year, i.seq, i.issued) for i in issues] == [(YEAR, n, True) for n in range(1, 19)]
        assert {i.editor_unit for i in issues} == {settings.get_setting(uow, "office_name")}
        # Each issue is dated by its latest item and holds its 6 items in sheet order.
        first = issues[0]
        held = s.execute(select(InfoItem.title, InfoItem.issue_position, InfoItem.submitted_on)
                         .where(InfoItem.issue_id == first.id).order_by(InfoItem.issue_position)).all()
        assert [r.issue_position for r in held] == [1, 2, 3, 4, 5, 6]
        assert held[0].title == "我县农村公路提质改造工作动态（1）"
        assert first.issue_date == max(r.submitted_on for r in held) == date(YEAR, 1, 9)
        points = s.execute(select(InfoAdoption.level, func.count(), func.sum(InfoAdoption.points))
                           .group_by(InfoAdoption.level)).all()
        assert {r[0]: (r[1], r[2]) for r in points} == {"市级": (32, 96), "省级": (16, 80), "国家级": (4, 40)}
        states = dict(s.execute(select(WorkflowInstance.state, func.count())
                                .where(WorkflowInstance.entity_type == "information_item")
                                .group_by(WorkflowInstance.state)).all())
        assert states == {"compiled": 108, "filed": 40 + ARTICLES}
        # A member's full name in their group is linked to them; a name alone stays a name.
        zhang = s.execute(select(InfoItem.author_id).where(InfoItem.author_name == "张文秘")).scalars().all()
        assert set(zhang) == {o.clerk.id}
        others = s.execute(select(InfoItem.author_id).where(InfoItem.author_name.like("%通讯员%"))).scalars().all()
        assert others and set(others) == {None}
        assert sequences.current_number(uow, "info_issue", YEAR) == 18
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "import")).scalar_one()
        assert entry.username == "clerk"
        assert "2025年第18期" in str(entry.detail) and "216" in str(entry.detail)


def test_dates_issue_numbers_and_levels_in_every_written_form(office: Office) -> None:
    o = office
    rows = [
        one_row(标题="甲", 报送日期=date(2026, 3, 5), 编入期号=8.0),
        one_row(标题="乙", 报送日期="2026年3月6日", 编入期号="第8期", 采用单位="省政府办公厅", 采用层级="省级",
                采用日期="2026.3.20"),
        one_row(标题="丙", 报送日期="2026.3.7", 编入期号=" 第 9 期 ", 作者="无名氏"),
        one_row(标题="丁", 报送日期=46090, 类型="调研文章", 采用单位="国务院办公厅", 采用层级="国家级",
                采用日期=date(2026, 4, 1)),
    ]
    result = _import(o, ledger_bytes(rows, above=[["2026年信息台账"]]))
    assert result == ledger_import.ImportResult(items=3, articles=1, issues=2, adoptions=2, points=15)
    with o.ctx.uow() as uow:
        got = uow.session.execute(select(InfoItem.title, InfoItem.submitted_on, InfoItem.author_id)
                                  .order_by(InfoItem.id)).all()
        assert [tuple(r) for r in got] == [("甲", date(2026, 3, 5), o.clerk.id), ("乙", date(2026, 3, 6), o.clerk.id),
                                           ("丙", date(2026, 3, 7), None), ("丁", date(2026, 3, 9), o.clerk.id)]
        dates = uow.session.execute(select(InfoIssue.seq, InfoIssue.issue_date).order_by(InfoIssue.seq)).all()
        assert [tuple(r) for r in dates] == [(8, date(2026, 3, 6)), (9, date(2026, 3, 7))]


def test_a_new_issue_after_the_import_follows_the_last_imported(office: Office) -> None:
    o = office
    _import(o, ledger_bytes([one_row(编入期号=8), one_row(标题="另一条", 报送日期="2025-12-30", 编入期号=30)]))
    with o.ctx.uow() as uow:
        assert sequences.current_number(uow, "info_issue", 2026) == 8
        assert sequences.current_number(uow, "info_issue", 2025) == 30
        # The issues' own numbering (issues.create_issue) draws the next: 第9期, not a clash with the 第8期.
        assert sequences.next_number(uow, "info_issue", 2026) == 9


def test_one_bad_row_and_nothing_is_written_every_bad_row_named(office: Office) -> None:
    o = office
    rows = year_ledger()
    rows[4][1] = "第九组"                         # row 6
    rows[9][3] = "明天"                           # row 11
    rows[20][7] = "县级"                          # row 22
    rows[30][6:9] = ["市政府办公室", "", ""]      # row 32
    rows[40] = list(rows[39])                     # row 42 repeats row 41
    rows[50][8] = date(YEAR, 1, 1)                # row 52: adopted before it was sent
    rows[60][0] = ""                              # row 62
    rows[70][5] = "第八期"                        # row 72
    rows[80][4] = "诗歌"                          # row 82
    before = _counts(o)
    with pytest.raises(SheetProblems) as caught:
        _import(o, ledger_bytes(rows))
    assert _counts(o) == before
    problems = caught.value
    assert problems.rows == (6, 11, 22, 32, 42, 52, 62, 72, 82)
    message = problems.message
    assert message.startswith("表格中有9行有问题，未导入任何稿件，请改正后重新导入：\n")
    assert "第6行：报送组“第九组”不存在，请填写现有信息组的名称（第一信息组、第二信息组" in message
    assert "第11行：报送日期“明天”不是有效日期，请写成" in message
    assert "第22行：采用层级“县级”不对，只能是市级、省级、国家级" in message
    assert "第32行：已填采用单位，还缺采用层级、采用日期" in message
    assert "第42行：与第41行重复" in message
    assert f"第52行：采用日期{YEAR}-01-01早于报送日期" in message
    assert "第62行：缺少标题" in message
    assert "第72行：编入期号“第八期”不对" in message
    assert "第82行：类型“诗歌”不对" in message
    assert {p.column for p in problems.problems} >= {"报送组", "报送日期", "采用层级", "标题", "编入期号", "类型"}


def test_the_message_names_twenty_bad_rows_and_counts_the_rest(office: Office) -> None:
    o = office
    rows = [one_row(标题=f"第{n}条", 报送组="第九组") for n in range(25)]
    with pytest.raises(SheetProblems) as caught:
        _import(o, ledger_bytes(rows))
    lines = caught.value.message.splitlines()
    assert lines[0].startswith("表格中有25行有问题") and len(lines) == 22
    assert lines[1].startswith("第2行：") and lines[20].startswith("第21行：") and lines[21] == "……另有5行有问题"
    assert len(caught.value.lines()) == 25


def test_rows_already_in_the_program_and_issues_it_holds_are_refused(office: Office) -> None:
    o = office
    _import(o, ledger_bytes([one_row(编入期号=3)]))
    # Imported once: again is a repeat of what is there, and 第3期 is issued.
    with pytest.raises(SheetProblems) as caught:
        _import(o, ledger_bytes([one_row(), one_row(标题="新的一条", 编入期号="第3期")]))
    text = caught.value.message
    assert "第2行：程序中已有这篇稿件" in text
    assert "第3行：编入期号：2026年第3期已在程序中印发，不能再编入稿件" in text
    # An issue being edited in the program takes its items there.
    with o.ctx.uow() as uow:
        uow.session.add(InfoIssue(year=2026, seq=4, issue_date=date(2026, 3, 9), issued=False))
        uow.commit()
    with pytest.raises(SheetProblems, match="2026年第4期正在程序中编辑"):
        _import(o, ledger_bytes([one_row(标题="又一条", 编入期号=4)]))
    # An item written in the program is a repeat too.
    new_item(o, "clerk", today=date(2026, 3, 5), title="程序里写的")
    with pytest.raises(SheetProblems, match="第2行：程序中已有这篇稿件"):
        _import(o, ledger_bytes([one_row(标题="程序里写的")]))


def test_a_stopped_group_is_refused(office: Office) -> None:
    o = office
    second = next(g for g in o.run(groups.list_groups, o.admin) if g.name == "第二信息组")
    o.run(groups.save_group, o.admin, second.id, name=second.name, leader_id=None, member_ids=[], active=False)
    with pytest.raises(SheetProblems, match="第2行：报送组“第二信息组”已停用"):
        _import(o, ledger_bytes([one_row(报送组="第二信息组")]))


def test_hostile_cells(office: Office) -> None:
    o = office
    huge = "长" * 10_000_000  # 10 MB of text, put in its cells below
    rows = [
        one_row(标题="=cmd|' /C calc'!A0"),       # a formula: no cached value, so the title is missing
        one_row(标题="@SUM(A1:A9)"),
        one_row(标题="HUGE-TITLE"),
        one_row(作者="HUGE-AUTHOR"),
        one_row(报送日期=True),
        one_row(报送日期=3.5),
        one_row(编入期号=-1),
        one_row(编入期号=10**12),
        one_row(采用单位="市政府办公室", 采用层级=5, 采用日期=date(2026, 3, 9)),
        one_row(报送日期=date(2027, 1, 1)),
        one_row(标题="😀"),
    ]
    before = _counts(o)
    with pytest.raises(SheetProblems) as caught:
        _import(o, swell(swell(ledger_bytes(rows), "HUGE-TITLE", huge), "HUGE-AUTHOR", huge))
    assert _counts(o) == before
    lines = caught.value.lines()
    assert len(lines) == 11
    assert lines[0] == "第2行：缺少标题，请填写信息或文章的标题"
    assert lines[1].startswith("第3行：标题“@SUM(A1:A9)”以“@”开头，会被当作公式")
    assert lines[2] == "第4行：标题不能超过200个字，现在有10000000个字，请删短"
    assert lines[3] == "第5行：作者不能超过50个字，现在有10000000个字，请删短"
    assert lines[4].startswith("第6行：报送日期“是”不是有效日期")
    assert lines[5].startswith("第7行：报送日期“3.5”不是有效日期")
    assert lines[6].startswith("第8行：编入期号“-1”不对")
    assert lines[7].startswith("第9行：编入期号“1000000000000”不对")
    assert lines[8] == "第10行：采用层级“5”不对，只能是市级、省级、国家级"
    assert lines[9].startswith("第11行：报送日期2027-01-01晚于今天")
    assert lines[10].startswith("第12行：标题中的")
    # No message repeats a huge cell.
    assert max(len(line) for line in lines) < 300


def test_a_file_that_is_not_a_ledger(office: Office) -> None:
    o = office
    with pytest.raises(ValidationError, match="不是有效的 Excel 工作簿"):
        _import(o, b"PK\x03\x04 not really")
    with pytest.raises(SheetProblems, match="表头缺少“报送组”“报送日期”列"):
        _import(o, ledger_bytes([["一条", "张文秘"]], header=["标题", "作者"]))
    with pytest.raises(SheetProblems, match="表头有不认识的列“采用级别”"):
        _import(o, ledger_bytes([one_row()], header=[*COLUMNS[:7], "采用级别", COLUMNS[8]]))
    with pytest.raises(SheetProblems, match="表格中没有任何稿件"):
        _import(o, ledger_bytes([]))
    # Columns in another order, with a 序号 column passed over.
    header = ["序号", *reversed(COLUMNS)]
    row = [1, *reversed(one_row())]
    assert _import(o, ledger_bytes([row], header=header)).items == 1


def test_who_may_import(office: Office) -> None:
    o = office
    data = ledger_bytes([one_row()])
    for refused in ("petition", "admin", "finance", "mayor", "cashier"):
        with pytest.raises(PermissionDenied, match="导入信息台账"):
            _import(o, data, by=refused)
    assert _counts(o)[0] == 0
    for n, allowed in enumerate(("clerk", "director", "deputy")):
        assert _import(o, ledger_bytes([one_row(标题=f"第{n}条")]), by=allowed).items == 1


def test_the_template_is_a_ledger_the_import_takes(office: Office) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    data = ledger_import.template_sheet()
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(COLUMNS) and len(rows) == 2
    result = _import(office, data)
    assert result == ledger_import.ImportResult(items=1, articles=0, issues=1, adoptions=1, points=3)
