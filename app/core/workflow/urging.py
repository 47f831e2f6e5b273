"""The head of a 催办单, shared by the service that gathers it (app.services.workflow.urges) and the form
that prints it (app.printing.kit.urge_slip): the office, the slip's number, and the item it hastens with
where that item stands."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from app.core.roles import Role

# Who hastens (催办): the office's coordinators and the leaders. Kept here, below the services, so that the
# 工作台 (which loads no ORM at the start) knows them without importing the 催办 service.
URGING_ROLES: tuple[Role, ...] = (
    Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY, Role.PETITION_OFFICER, Role.COUNTY_LEADER,
)


@dataclass(frozen=True)
class UrgeSlipHead:
    office_name: str
    serial: str
    item_title: str
    item_kind: str
    current_step: str
    responsible_unit: str
    responsible_person: str
    due_date: date | None
    # Working days past the 办理时限 (WorkCalendar.overdue_workdays), 0 on its last day, and negative for the
    # working days still left; None without a 办理时限.
    overdue_days: int | None

    def head_fields(self) -> dict[str, Any]:
        """The head's fields by name, so that the slip's data is made from the service's facts in one step."""
        return {f.name: getattr(self, f.name) for f in fields(UrgeSlipHead)}
