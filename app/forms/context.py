"""What a loader of a printable form is given and does for every form: the context it prints in (the
database and the user who prints), the period a register or a notice covers, and the print's entry in the
audit log.

Every loader reads as the user who prints (PrintContext), so the services refuse what that user may not
see, and records the print in the audit log (action "print", the form's name) in the unit of work that
read it: a record's form one entry for the record, a register, catalogue or notice one entry for the
period it covers. The entry is written when the form is drawn for the print preview or the PDF file:
from then on its contents are in the user's hands, printed or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.db.tables import workflow_instances
from app.printing.kit.registry import default_registry
from app.services.kernel.actor import SYSTEM_ACTOR, Actor

if TYPE_CHECKING:
    from app.services.kernel.uow import UnitOfWork


# PrintContext.via of a print asked for on the command line (the audit log reads it as 命令行).
VIA_COMMAND_LINE = "cli"


@dataclass(frozen=True)
class PrintContext:
    """The database and the user who prints. A loader given one loads the record as that user may see it, so
    the services refuse a record the user may not see (a window's print, a batch from a list, `govdesk print
    --as`). `govdesk print` without --as prints as the system (SYSTEM_ACTOR), who may read everything: so may
    whoever can reach the database it runs on. A bare AppContext also loads as the system (tests, screenshots).

    ``via`` and ``account`` go into the print's audit entry: "cli" and the computer's user@host for a print
    from the command line, so that the log tells a print from the command line from one in the program."""

    app: AppContext
    actor: Actor
    via: str = ""
    account: str = ""

    def uow(self) -> UnitOfWork:
        return self.app.uow()


Source = AppContext | PrintContext


@dataclass(frozen=True)
class PrintPeriod:
    """What a register, a catalogue or a notice covers; each form reads the fields it takes (its arguments)."""

    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    retention: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def actor_of(source: Source) -> Actor:
    return source.actor if isinstance(source, PrintContext) else SYSTEM_ACTOR


def record_print(
    uow: UnitOfWork, source: Source, form: str, entity_type: str, entity_id: int | None, **detail: Any
) -> None:
    """The print in the audit log, committed with the reading that checked the user may see what it prints."""
    actor = actor_of(source)
    title = default_registry().get(form).title
    facts: dict[str, Any] = {"form": form, "form_title": title, **{k: v for k, v in detail.items() if v is not None}}
    if isinstance(source, PrintContext):
        facts.update((key, value) for key, value in (("via", source.via), ("account", source.account)) if value)
    uow.record(actor.id, actor.username, "print", entity_type, entity_id, facts)
    uow.commit()


def record_item_print(uow: UnitOfWork, source: Source, form: str, instance_id: int) -> None:
    """A print of a 工作台 item's form, filed under the record the item is (a document, a claim …)."""
    wi = workflow_instances.c
    row = uow.execute(select(wi.entity_type, wi.entity_id).where(wi.id == instance_id)).one()
    entity_id = row.entity_id if row.entity_id is not None else instance_id
    record_print(uow, source, form, row.entity_type, entity_id, instance=instance_id)


def required(value: Any, form: str, argument: str) -> Any:
    if value is None:
        raise ValidationError(f"打印{form}需要{argument}")
    return value

