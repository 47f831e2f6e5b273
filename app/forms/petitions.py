"""The loaders of 信访's forms: a case's 信访登记表, 交办单 and 处理意见书 (each given the case's id), and the 信访台账
of a year, a quarter or a month (or of a list as the user filtered it).

Each reads through the petitions services as the user who prints: a user who may not see the case is refused by
the service's own check, and the petitioner's particulars come masked unless the user handles petitions. The
form's data is made first (it refuses what would print wrong: an opinion not yet signed, a case never
assigned), and only then are the print and, for a reader who sees the particulars unmasked, that view recorded
in the audit log, in the unit of work that read them: a refused print leaves no entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from app.forms.context import PrintPeriod, Source, actor_of, record_print, required

if TYPE_CHECKING:
    from app.models.petitions import Petition
    from app.printing.petitions.data import AssignmentSlip, CaseFacts, LedgerSheet, OpinionLetter, RegisterSheet
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork
    from app.services.petitions.listing import PetitionFilter
    from app.services.petitions.records import PetitionInfo

ENTITY = "petition"
T = TypeVar("T")


def case_facts(uow: UnitOfWork, info: PetitionInfo) -> CaseFacts:
    from app.printing.petitions.data import CaseFacts, Person
    from app.services.kernel.settings import get_setting

    return CaseFacts(
        office_name=str(get_setting(uow, "office_name")), number=info.number, stage=info.stage,
        received_on=info.received_on, channel=info.channel_text,
        petitioner=Person(info.name, info.id_number, info.phone), request=info.request, address=info.address,
        people_count=info.people_count, facts=info.facts, category=info.category, place=info.place,
    )


def _load(
    ctx: Source, petition_id: int, form: str, where: str,
    build: Callable[[UnitOfWork, Actor, Petition, PetitionInfo], T],
) -> T:
    """One form's data, read as the user who prints; then the print, and an unmasked reading (``where``: 登记表 …),
    recorded with it."""
    from app.services.petitions import records

    actor = actor_of(ctx)
    with ctx.uow() as uow:
        petition, instance = records.load(uow, actor, petition_id)
        info = records.petition_info(uow, actor, petition, instance)
        data = build(uow, actor, petition, info)
        records.record_unmasked_view(uow, actor, [info.id], where)
        record_print(uow, ctx, form, ENTITY, info.id)
    return data


# ----- 信访登记表 ------------------------------------------------------------------------------------------


def _repeated_numbers(uow: UnitOfWork, actor: Actor, petition_id: int) -> list[str]:
    """The numbers of the earlier cases this one repeats, as far as the user may see them."""
    from app.services.petitions import records
    from app.services.workflow.links import links_of

    linked = links_of(uow, actor, ENTITY, petition_id).records
    earlier = [r.entity_id for r in linked if r.kind == "repeat" and not r.outgoing and r.entity_type == ENTITY]
    return [records.load(uow, actor, other)[0].number for other in sorted(earlier)]


def load_register(ctx: Source, petition_id: int) -> RegisterSheet:
    """信访登记表: the registration, its representatives, what has been done with it (the history after 登记, each
    with its opinion) and the earlier cases it repeats."""
    from app.core.calendar import local_date
    from app.printing.petitions.data import Handling, Person, RegisterSheet
    from app.services.workflow.detail import history

    def build(uow: UnitOfWork, actor: Actor, petition: Petition, info: PetitionInfo) -> RegisterSheet:
        moves = [entry for entry in history(uow, info.instance_id) if entry.from_state is not None]
        return RegisterSheet(
            case=case_facts(uow, info), registered_by=info.registered_by_name, printed_on=date.today(),
            representatives=[Person(r.name, r.id_number, r.phone) for r in info.representatives],
            handling=[Handling(m.action_label, m.actor_text, local_date(m.at), m.opinion) for m in moves],
            is_repeat=info.is_repeat, repeats=_repeated_numbers(uow, actor, info.id) if info.is_repeat else (),
            masked=info.masked, reviews_number=info.reviews_number,
        )

    return _load(ctx, petition_id, "petition-register", "登记表", build)


# ----- 交办单 -------------------------------------------------------------------------------------------


def load_assignment(ctx: Source, petition_id: int) -> AssignmentSlip:
    """交办单: the unit the case is assigned to now, its task and due date, dated and with its 异议期限 as the case
    window reads the assignment (app.services.petitions.handling.assignment_of: the day of the 交办, or of the
    upheld objection that moved the case to this unit; 5 working days on by the office's calendar)."""
    from app.core.errors import ValidationError
    from app.printing.petitions.data import AssignmentSlip
    from app.services.petitions.handling import assignment_of
    from app.services.workflow.clocks import clock_readings

    def build(uow: UnitOfWork, actor: Actor, petition: Petition, info: PetitionInfo) -> AssignmentSlip:
        assignment = assignment_of(uow, actor, info.id)
        if assignment is None:
            raise ValidationError(f"信访件{info.number}没有交办给承办单位，没有交办单可打印", field="id")
        extension = ""
        for view in clock_readings(uow, actor, info.instance_id):
            if view.clock.key == "handling" and view.reading.extended_by:
                reason = view.reading.extension_reason
                extension = f"经批准延期{view.reading.extended_by}日" + (f"，理由：{reason}" if reason else "")
        return AssignmentSlip(
            case=case_facts(uow, info), unit=assignment.unit_name, task=assignment.task,
            assigned_on=assignment.assigned_on, due=assignment.due or assignment.assigned_on,
            objection_by=assignment.objection_deadline, extension=extension,
        )

    return _load(ctx, petition_id, "petition-assignment", "交办单", build)


# ----- 处理意见书 ----------------------------------------------------------------------------------------


def load_opinion(ctx: Source, petition_id: int) -> OpinionLetter:
    """处理意见书 (复查意见书, 复核意见书 for a review): refused until the reply is signed (审核通过)."""
    from app.printing.petitions.data import OpinionLetter

    def build(uow: UnitOfWork, actor: Actor, petition: Petition, info: PetitionInfo) -> OpinionLetter:
        return OpinionLetter(case=case_facts(uow, info), findings=info.findings, decision=info.decision,
                             basis=info.decision_basis, replied_on=info.replied_on, reviews_number=info.reviews_number)

    return _load(ctx, petition_id, "petition-opinion", "处理意见书", build)


# ----- 信访台账 ------------------------------------------------------------------------------------------


def ledger_sheet(ctx: Source, f: PetitionFilter, period_text: str, *, today: date | None = None) -> LedgerSheet:
    """The 信访台账 of the cases ``f`` selects, oldest first, as the user who prints may read them; the unmasked
    reading (台账打印) and the print recorded together."""
    from app.printing.petitions.data import LedgerRow, LedgerSheet
    from app.services.kernel.settings import get_setting
    from app.services.petitions.ledger import require_ledger_reader
    from app.services.petitions.listing import ledger_rows

    actor = actor_of(ctx)
    require_ledger_reader(actor, "打印")
    today = today or date.today()
    with ctx.uow() as uow:
        with uow.as_one():
            rows = ledger_rows(uow, actor, f, today=today, where="台账打印")
            data = LedgerSheet(
                office_name=str(get_setting(uow, "office_name")), period=period_text, printed_on=today,
                rows=[
                    LedgerRow(serial, r.number, r.received_on, r.channel_text, r.name, r.phone, r.request, r.category,
                              r.place, r.handling_unit_name, r.state_label, r.decision, r.is_repeat)
                    for serial, r in enumerate(rows, start=1)
                ],
                people=[r.people_count for r in rows], closed=[r.closed for r in rows],
                masked=not _sees_unmasked(actor),
            )
            record_print(uow, ctx, "petition-ledger", ENTITY, None, period=period_text, count=len(rows))
        uow.commit()
    return data


def _sees_unmasked(actor: Actor) -> bool:
    from app.services.petitions.records import sees_unmasked

    return sees_unmasked(actor)


def load_ledger(ctx: Source, period: PrintPeriod) -> LedgerSheet:
    """`govdesk print petition-ledger --year 2026 [--quarter 4 | --month 11]`: every case received in it."""
    from app.core.petitions.ledger_sheet import ledger_period
    from app.services.petitions.listing import PetitionFilter

    year = required(period.year, "信访台账", "年度（--year）")
    covered = ledger_period(year, period.quarter, period.month)
    return ledger_sheet(ctx, PetitionFilter(box="all", date_from=covered.start, date_to=covered.end), covered.text)
