"""信息调研's form loaders for `govdesk print` and the windows: the 《政务信息》 issue (by id), the notice (by year,
optionally a quarter) and the study rotation (by term id). Each returns the plain data its printing module draws."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.forms.context import PrintPeriod, Source, actor_of, record_print, required

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


# ----- 通报 -----

if TYPE_CHECKING:
    from app.printing.information.notice_data import NoticeSheet
    from app.services.information.notices import Notice


def notice_sheet_of(notice: Notice, office_name: str) -> NoticeSheet:
    """The printed notice's data from the service's notice (the UI's tab prints what it shows with this too)."""
    from app.printing.information.notice_data import NoticeGroupRow, NoticeSheet, NoticeTotals

    t = notice.totals
    return NoticeSheet(
        title=notice.title, period_label=notice.period_label, office_name=office_name, issued_on=notice.today,
        totals=NoticeTotals(t.issues, t.items, t.adopted_items, t.points, t.articles),
        groups=tuple(
            NoticeGroupRow(g.name, g.leader_name, g.quota, g.items, len(g.weeks), g.weeks_missed, g.article_quota,
                           g.half_articles, g.adopted_items, g.points, g.loses_eligibility, g.eligibility_reasons)
            for g in notice.groups
        ),
        year=notice.year, quarter=notice.quarter, open=notice.today <= notice.end,
        items_per_week=notice.items_per_week, articles_per_half_year=notice.articles_per_half_year,
    )


def load_notice(ctx: Source, period: PrintPeriod, *, today: date | None = None) -> NoticeSheet:
    """`govdesk print info-notice --year 2026 [--quarter 4]`: the groups' quota completion, read as the user who
    prints (the editors and the groups' members); the print recorded for the period."""
    from app.services.information.notices import notice
    from app.services.kernel.settings import get_setting

    year = required(period.year, "政务信息报送情况通报", "年度（--year）")
    actor = actor_of(ctx)
    with ctx.uow() as uow:
        found = notice(uow, actor, year, period.quarter, today=today or date.today())
        data = notice_sheet_of(found, str(get_setting(uow, "office_name")))
        record_print(uow, ctx, "info-notice", "information_item", None, period=found.period_label)
    return data
