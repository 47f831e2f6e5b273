"""What the tests of 信访's forms, ledger export and import share: a case taken to 交办 (its unit's task sent) or
to 已答复 (its 处理意见书 written and signed) through the real lifecycle services, and an import sheet as Excel
saves it. No tests live here."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from app.core.petitions.ledger_sheet import COLUMNS
from app.services.petitions import lifecycle
from tests.helpers.document_office import TODAY, Office

TASK = "请核实开发商未办证的原因，督促其协助业主办理不动产权证书，并答复信访人"
DUE = date(2026, 12, 28)
# Assigned on TODAY (a Friday): the 异议期限 is 5 working days on, Friday 2026-12-04.
OBJECTION_BY = "2026年12月4日"
FINDINGS = "经查，开发商因土地出让金未缴清导致无法办理首次登记，现已缴清。"
BASIS = "《不动产登记暂行条例》第十四条"


def assign_case(o: Office, petition_id: int, unit: str = "财政局", *, by: str = "petition") -> None:
    """交办 on TODAY: the case to ``unit`` with its task and due date."""
    o.run(lifecycle.assign, o.people[by], petition_id, unit_id=o.units[unit], due=DUE, task=TASK,
          opinion=f"交{unit}办理", today=TODAY)


def reply_case(o: Office, petition_id: int, decision: str = "支持", *, sign: bool = True) -> None:
    """受理, the 处理意见书 written, 报送审核 and (``sign``) 审核通过 by the director, all on TODAY."""
    officer = o.people["petition"]
    o.run(lifecycle.accept, officer, petition_id, opinion="属实，受理", today=TODAY)
    o.run(lifecycle.write_reply, officer, petition_id, findings=FINDINGS, decision=decision, basis=BASIS, today=TODAY)
    o.run(lifecycle.submit, officer, petition_id, today=TODAY)
    if sign:
        o.run(lifecycle.sign, o.people["director"], petition_id, opinion="同意", today=TODAY)


def import_sheet(rows: Sequence[Sequence[object]], header: Sequence[object] = COLUMNS,
                 above: Sequence[Sequence[object]] = ()) -> bytes:
    """An .xlsx workbook of one sheet (rows ``above`` the header, such as a title), written as Excel saves it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "信访台账"
    for row in (*above, header, *rows):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
