"""信息调研's form loaders for `govdesk print` and the windows: the 《政务信息》 issue (by id), the notice (by year,
optionally a quarter) and the study rotation (by term id). Each returns the plain data its printing module draws."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.forms.context import Source, actor_of, record_print

if TYPE_CHECKING:
    from app.printing.information.issue_data import IssueSheet


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
