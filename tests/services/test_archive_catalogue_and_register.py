"""What the 归档文件目录 and the 收文登记簿 say of each document: its 责任者, 密级, 办结日期 and where it stands."""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.forms.documents import catalogue_data, register_data
from app.printing.documents.archive_forms import render_archive_catalogue
from app.printing.documents.receipt_register import render_receipt_register
from app.services.documents import archives
from app.services.documents import reports as document_reports
from app.services.kernel.settings import update_settings
from tests.helpers.document_office import (
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)
from tests.helpers.document_quarter import build_quarter
from tests.helpers.pdfcheck import compact, page_text


@pytest.fixture
def office(ctx: AppContext) -> Office:
    o = build_office(ctx)
    with o.ctx.uow() as uow:
        update_settings(uow, o.admin, {"doc_prefixes": ["县政办发", "县政发", "县政办函"]})
    return o


def test_the_responsible_body_of_a_government_document_is_the_government(office: Office) -> None:
    o = office
    ours = new_draft(o, title="关于做好冬季森林防火工作的通知")
    governments = new_draft(o, title="关于印发青山县2027年民生实事项目的通知", prefix="县政发")
    for doc in (ours, governments):
        advance_outgoing(o, doc, "archived")
    rows = o.run(archives.archive_catalogue, o.clerk, year=2026, retention="D30")
    assert [(r.doc_number, r.responsible, r.secrecy) for r in rows] == [
        ("县政办发〔2026〕1号", "青山县人民政府办公室", ""),
        ("县政发〔2026〕1号", "青山县人民政府", ""),
    ]
    # An administrator may name the body of a 代字 outright.
    with o.ctx.uow() as uow:
        update_settings(uow, o.admin, {"doc_issuers": {"县政发": "青山县人民政府（县长办公会议）"}})
    rows = o.run(archives.archive_catalogue, o.clerk, year=2026, retention="D30")
    assert rows[1].responsible == "青山县人民政府（县长办公会议）"
    assert {r.archived_by for r in rows} == {o.clerk.full_name}

    text = compact(page_text(render_archive_catalogue(catalogue_data(o.ctx, o.clerk, 2026, "D30"))))
    assert "县政发〔2026〕1号青山县人民政府（县长办公会议）" in text
    assert "非涉密" not in text
    assert "全宗名称：青山县人民政府办公室" in text and f"整理人：{o.clerk.full_name}" in text


def test_a_body_must_be_named_for_each_code(office: Office) -> None:
    with office.ctx.uow() as uow, pytest.raises(ValidationError, match="代字和机关名称"):
        update_settings(uow, office.admin, {"doc_issuers": {"县政发": " "}})


def test_the_register_shows_when_a_document_was_concluded_and_that_it_waits_for_filing(ctx: AppContext) -> None:
    o = build_office(ctx)
    docs = build_quarter(o)
    rows = o.run(document_reports.incoming_register, o.clerk, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))
    by_id = {r.document_id: r for r in rows}
    concluded, returned = by_id[docs["D"]], by_id[docs["C"]]
    assert (concluded.concluded_on, concluded.remark) == (date(2026, 11, 16), "待归档")
    assert (returned.concluded_on, returned.remark) == (None, "已退文")

    text = compact(page_text(render_receipt_register(register_data(o.ctx, o.clerk, date(2026, 11, 1),
                                                                   date(2026, 11, 30)))))
    # 办理时限 11月11日, then 办结日期 11月16日, then the 备注.
    assert "2026年11月11日2026年11月16日待归档" in text


def test_a_filed_document_reads_as_filed(office: Office) -> None:
    o = office
    doc = new_incoming(o)
    advance_incoming(o, doc, "archived")
    (row,) = o.run(document_reports.incoming_register, o.clerk, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    assert row.remark == "已归档" and row.concluded_on is not None
