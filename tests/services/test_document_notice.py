"""The quarterly 公文运转及差错情况通报 printed from demo data and read back: each figure is the same in the
summary, in the table's 合计 and in the list of section 三, and the table holds the county's units only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext, bootstrap
from app.core.notice_figures import COUNTY_UNIT_KINDS
from app.core.roles import Role
from app.demo.generate import generate_demo_data
from app.forms.documents import notice_data
from app.models import Unit
from app.printing.documents.notice import render_document_notice
from app.services.documents.notice import UNASSIGNED_ROW
from app.services.kernel.actor import Actor
from tests.helpers.databases import SqliteTemplate
from tests.helpers.pdfcheck import page_text

TODAY = date(2026, 11, 27)
DIRECTOR = Actor(id=None, username="director", full_name="主任", roles=frozenset({Role.DIRECTOR.value}))
NUMBER = re.compile(r"\d+(\.\d)?|—")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, sqlite_template: SqliteTemplate) -> Iterator[AppContext]:
    """A year of the demo office's work, generated once for the module."""
    ctx = bootstrap(sqlite_template.fresh(tmp_path_factory.mktemp("notice")))
    generate_demo_data(ctx, size=120, today=TODAY)
    yield ctx
    ctx.dispose()


def table_rows(text: str) -> list[tuple[str, list[str]]]:
    """The unit table's rows from the extracted text, where each cell comes on its own line and a long
    unit name over two: (unit, its nine figures), 合计 last."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = lines.index("程序") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("说明"))
    rows: list[tuple[str, list[str]]] = []
    name, figures = "", []
    for line in lines[start:end]:
        if re.fullmatch(r"—\s*\d+\s*—", line):
            continue  # a page number between two halves of the table
        if line == "程序":
            name = ""  # the heading rows again, at the top of the table's next page
            continue
        if NUMBER.fullmatch(line):
            figures.append(line)
            if len(figures) == 9:
                rows.append((name, figures))
                name, figures = "", []
        else:
            name += line
    assert not name and not figures, (name, figures)
    return rows


def summary_figure(text: str, pattern: str) -> int:
    found = re.search(pattern, text)
    assert found, pattern
    return int(found.group(1))


@pytest.mark.parametrize("quarter", [3, 4])
def test_the_printed_notice_agrees_with_itself(demo: AppContext, quarter: int) -> None:
    data = notice_data(demo, DIRECTOR, 2026, quarter, today=TODAY)
    pdf = render_document_notice(data)
    text = page_text(pdf)
    flat = re.sub(r"—\s*\d+\s*—", "", "".join(text.split()))

    rows = table_rows(text)
    *units, (total_label, totals) = rows
    assert total_label == "合计"
    with demo.uow() as uow:
        county = set(uow.session.execute(select(Unit.name).where(Unit.kind.in_(COUNTY_UNIT_KINDS))).scalars())
        outside = set(uow.session.execute(select(Unit.name).where(Unit.kind.not_in(COUNTY_UNIT_KINDS))).scalars())
    # Only the county's units: no 来文单位 (江州市…, 省人民政府办公厅) and not the county's leaders.
    names = [name for name, _ in units]
    assert names and set(names) <= county | {UNASSIGNED_ROW}, set(names) - county
    assert not set(names) & outside
    assert not any(name.startswith(("江州市", "省", "中共")) for name in names)

    def column(index: int) -> int:
        return sum(int(figures[index]) for _, figures in units)

    handled, returns, overdue, late_steps = (int(totals[i]) for i in (0, 2, 7, 8))
    # 合计 is the sum of its column.
    assert (column(0), column(2), column(7), column(8)) == (handled, returns, overdue, late_steps)
    assert [int(totals[i]) for i in range(3, 7)] == [column(i) for i in range(3, 7)]
    # The summary gives the same figures.
    assert summary_figure(flat, r"个单位共办理公文(\d+)件") == handled
    assert summary_figure(flat, r"纳入统计的(\d+)个单位") == len(units)
    if returns:
        assert summary_figure(flat, r"退回(\d+)次") == returns
    # Section 三 lists every overdue document (件) and every late step (环节次) the table counts.
    # Section 四 is 有关要求, or 督查督办事项责任追究情况 when a supervision item ran late.
    section = flat[flat.index("三、逾期公文情况") : flat.index("四、")]
    listed = re.findall(r"\d+\.[^。]*?承办的《", section)
    if overdue:
        assert summary_figure(flat, r"逾期公文(\d+)件，超时环节") == overdue
        assert summary_figure(flat, r"超时环节(\d+)环节次") == late_steps
        assert summary_figure(section, r"逾期公文共(\d+)件") == overdue
        assert summary_figure(section, r"超时环节共(\d+)环节次") == late_steps
        assert len(listed) == overdue
        assert section.count("环节时限为") == late_steps
        assert "无逾期" not in flat and "没有逾期" not in flat
    else:
        assert listed == [] and "本季度没有逾期公文" in section
    # Times are working days, and the notice says what each figure means.
    assert "平均每环节用时（工作日）" in flat and "（天）" not in flat
    assert "说明：" in flat and "逾期时间按工作日计算" in flat


def test_the_demo_quarter_has_something_to_report(demo: AppContext) -> None:
    """The checks above mean something only if the quarter has overdue documents and outside senders."""
    data = notice_data(demo, DIRECTOR, 2026, 4, today=TODAY)
    assert data.overdue_items and sum(row.late_steps for row in data.rows) > len(data.overdue_items)
    with demo.uow() as uow:
        from app.models import Document

        senders = set(uow.session.execute(select(Document.source_unit).where(Document.source_unit != "")).scalars())
    assert any(sender.startswith("江州市") for sender in senders)
