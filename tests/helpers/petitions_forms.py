"""What the tests of 信访's forms, ledger export and import share: a case taken to 交办 (its unit's task sent) or
to 已答复 (its 处理意见书 written and signed), and an import sheet as Excel saves it. No tests live here.

The cases are moved by the workflow engine's own moves (apply_transition, send_work_items) on the 信访 flow, as
app.services.petitions.lifecycle does; the reply's fields are written as its write_reply and sign write them.
Once lifecycle is on main these helpers may call it instead.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from app.core.petitions.ledger_sheet import COLUMNS
from app.services.petitions import records
from app.services.workflow.moves import apply_transition
from app.services.workflow.parallel import WorkItemInput, send_work_items
from tests.helpers.document_office import TODAY, Office

TASK = "请核实开发商未办证的原因，督促其协助业主办理不动产权证书，并答复信访人"
DUE = date(2026, 12, 28)
# Assigned on TODAY (a Friday): the 异议期限 is 5 working days on, Friday 2026-12-04.
OBJECTION_BY = "2026年12月4日"
FINDINGS = "经查，开发商因土地出让金未缴清导致无法办理首次登记，现已缴清。"
BASIS = "《不动产登记暂行条例》第十四条"


def assign_case(o: Office, petition_id: int, unit: str = "财政局", *, by: str = "petition") -> None:
    """交办 on TODAY: the case to ``unit`` with its task and due date."""
    actor = o.people[by]
    with o.ctx.uow() as uow:
        petition, instance = records.load(uow, actor, petition_id)
        with uow.as_one():
            apply_transition(uow, actor, instance, "assign", f"交{unit}办理", today=TODAY)
            petition.handling_unit_id = o.units[unit]
            send_work_items(uow, actor, instance.id, [WorkItemInput(TASK, unit_id=o.units[unit], due=DUE, lead=True)],
                            today=TODAY)
        uow.commit()


def reply_case(o: Office, petition_id: int, decision: str = "支持", *, sign: bool = True) -> None:
    """受理, the 处理意见书 written, 报送审核 and (``sign``) 审核通过 by the director on TODAY."""
    officer = o.people["petition"]
    with o.ctx.uow() as uow:
        petition, instance = records.load(uow, officer, petition_id)
        apply_transition(uow, officer, instance, "accept", "属实，受理", today=TODAY)
        petition.findings, petition.decision, petition.decision_basis = FINDINGS, decision, BASIS
        apply_transition(uow, officer, instance, "submit", today=TODAY)
        if sign:
            apply_transition(uow, o.people["director"], instance, "sign", "同意", today=TODAY)
            petition.replied_on = TODAY
        records.touch(petition)
        uow.commit()


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
