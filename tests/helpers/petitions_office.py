"""The 公文 tests' office with 信访: a second 信访接待员, valid ID numbers, a registration's fields, and cases
registered through the real service. No tests live here."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.bootstrap import AppContext
from app.core.ids import id_check_digit
from app.core.roles import Role
from app.models import User, UserRole
from app.services.admin.auth import actor_of
from app.services.petitions import records
from tests.helpers import password_hash
from tests.helpers.document_office import TODAY, Office, build_office

# The day most cases are received: a working Monday before TODAY (2026-11-27).
RECEIVED = date(2026, 11, 2)
REQUEST = "反映城关镇幸福小区商品房交房五年仍未办理不动产权证书，要求开发商尽快协助办证"
FACTS = "2021年交房时开发商承诺两年内办证，至今未办，多次找开发商无果"


def id_number(birth: str = "19650312", serial: str = "123") -> str:
    """A valid 18-digit ID number of the county (area code 110101) born on ``birth``."""
    first = f"110101{birth}{serial}"
    return first + id_check_digit(first)


PETITIONER_ID = id_number()
PETITIONER_PHONE = "13812345678"


def build_petition_office(ctx: AppContext) -> Office:
    """The office, with a second 信访接待员 (petition2, 周接待) for hand-overs."""
    office = build_office(ctx)
    with ctx.uow() as uow:
        user = User(username="petition2", full_name="周接待", password_hash=password_hash(),
                    unit_id=office.units["办公室"], role_links=[UserRole(role_code=Role.PETITION_OFFICER.value)])
        uow.session.add(user)
        uow.flush()
        office.people["petition2"] = actor_of(user)
        uow.commit()
    return office


def petition_input(**fields: Any) -> records.PetitionInput:
    values: dict[str, Any] = {
        "channel": "来访", "received_on": RECEIVED, "name": "王建国", "id_number": PETITIONER_ID,
        "phone": PETITIONER_PHONE, "address": "城关镇幸福小区3栋2单元501", "request": REQUEST, "facts": FACTS,
        "category": "商品房两证办理", "place": "城关镇", "people_count": 1,
    }
    values.update(fields)
    return records.PetitionInput(**values)


def register(o: Office, by: str = "petition", today: date = TODAY, **fields: Any) -> records.Registered:
    return o.run(records.register_petition, o.people[by], petition_input(**fields), today=today)  # type: ignore[no-any-return]


def new_petition(o: Office, by: str = "petition", today: date = TODAY, **fields: Any) -> int:
    return register(o, by, today, **fields).petition.id
