"""The 公文 tests' office with 信息调研: the 8 writing groups, two of them with leaders and members, and items
written through the real services. No tests live here.

Groups: 第一信息组 led by deputy (李副主任) with clerk (张文秘) and petition (孙接待); 第二信息组 led by director
(王主任) with clerk2 (赵文秘) and finance (钱会计). The others have no members. cashier (周出纳) is in no group.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.bootstrap import AppContext
from app.services.information import groups, items
from tests.helpers.document_office import TODAY, Office, build_office

# A working Monday before TODAY (2026-11-27).
WRITTEN = date(2026, 11, 2)
BODY = "今年以来，我县围绕农村公路提质改造，累计完成投资1.2亿元，新改建农村公路86公里，群众出行更加便捷。"


def build_information_office(ctx: AppContext) -> Office:
    office = build_office(ctx)
    admin = office.people["admin"]
    made = office.run(groups.create_default_groups, admin)
    first, second = made[0], made[1]
    ids = {key: person.id for key, person in office.people.items()}
    office.run(groups.save_group, admin, first.id, name=first.name, leader_id=ids["deputy"],
               member_ids=[ids["clerk"], ids["petition"]])
    office.run(groups.save_group, admin, second.id, name=second.name, leader_id=ids["director"],
               member_ids=[ids["clerk2"], ids["finance"]])
    return office


GROUP_NAMES = {"first": "第一信息组", "second": "第二信息组"}


def group_id(office: Office, key: str = "first") -> int:
    """第一信息组's id (key first) or 第二信息组's (second)."""
    found = office.run(groups.list_groups, office.people["admin"])
    return next(g.id for g in found if g.name == GROUP_NAMES[key])


def item_input(**fields: Any) -> items.ItemInput:
    values: dict[str, Any] = {"kind": "item", "title": "我县农村公路提质改造取得新进展", "body": BODY}
    values.update(fields)
    return items.ItemInput(**values)


def new_item(o: Office, by: str = "petition", *, submit: bool = True, today: date = WRITTEN, **fields: Any) -> int:
    """An item written (and by default 报送) by ``by`` on ``today``."""
    info = o.run(items.create_item, o.people[by], item_input(**fields), submit=submit, today=today)
    return int(info.id)


__all__ = ["TODAY", "WRITTEN", "build_information_office", "group_id", "item_input", "new_item"]
