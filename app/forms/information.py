"""信息调研's form loaders for `govdesk print` and the windows: the 《政务信息》 issue (by id), the notice (by year,
optionally a quarter) and the study rotation (by term id). Each returns the plain data its printing module draws."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.forms.context import Source, actor_of, record_print

if TYPE_CHECKING:
    from app.printing.information.issue_data import IssueSheet
    from app.printing.information.rotation_data import RotationSheet


# ----- 《政务信息》 -----


def load_issue(ctx: Source, issue_id: int) -> IssueSheet:
    """《政务信息》 第N期: the issue as the user who prints may see it (an issue being edited only the editors: its
    proof), its items in order with whom each came from, and the foot's 报/送/发; the print recorded on the issue."""
    from app.printing.information.issue_data import IssueArticle, IssueSheet
    from app.services.information import issues

    actor = actor_of(ctx)
    with ctx.uow() as uow:
        info = issues.get_issue(uow, actor, issue_id)
        sheet = IssueSheet(
            year=info.year, seq=info.seq, editor_unit=info.editor_unit, issue_date=info.issue_date,
            items=tuple(IssueArticle(i.title, i.body, i.author_name, i.group_name) for i in info.items),
            report_to=info.report_to, send_to=info.send_to, distribute_to=info.distribute_to, copies=info.copies,
            title=info.title or issues.TITLE,
        )
        record_print(uow, ctx, "info-issue", issues.ENTITY, info.id, label=info.label, issued=info.issued)
    return sheet


# ----- 学习轮讲 -----

def load_rotation(ctx: Source, term_id: int) -> RotationSheet:
    """周一学习轮讲安排表 of a term (by its id): its sessions in date order, with the holiday Mondays between them and
    who is away on a session's day and who stood in; read as the user who prints (a member of a writing group or an editor)."""
    from datetime import date

    from app.printing.information.rotation_data import RotationRow, RotationSheet
    from app.services.information import study
    from app.services.kernel.settings import get_setting

    actor = actor_of(ctx)
    with ctx.uow() as uow:
        term = study.get_term(uow, actor, term_id)
        away: dict[date, list[str]] = {}
        for absence in term.absences:
            away.setdefault(absence.away_on, []).append(f"{absence.name}{absence.reason or '请假'}")
        rows = [RotationRow(s.held_on, presenter=s.presenter_name, topic=s.topic, remark="，".join(
                    ([f"{s.presenter_name}代{s.stand_in_for}主讲"] if s.stand_in_for else []) + away.get(s.held_on, [])))
                for s in term.sessions]
        rows += [RotationRow(s.on, remark=f"{s.reason}，暂停一次") for s in term.skipped]
        rows.sort(key=lambda r: r.held_on)
        serial = 0
        numbered: list[RotationRow] = []
        for row in rows:
            if row.presenter:
                serial += 1
                row = RotationRow(row.held_on, serial, row.presenter, row.topic, row.remark)
            numbered.append(row)
        data = RotationSheet(office_name=str(get_setting(uow, "office_name")), term_name=term.name,
                             starts_on=term.starts_on, ends_on=term.ends_on, printed_on=date.today(),
                             rows=tuple(numbered))
        record_print(uow, ctx, "info-study-rotation", study.TERM_ENTITY, term.id)
    return data
