"""The office the document tests share: its units, one person per role (two where it matters), and
helpers that take a document to a given step through the real services. No tests live here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.roles import Role
from app.models import AuditEntry, ChangeFeedEntry, Unit, User, UserRole, WorkflowHistory
from app.services.admin.auth import actor_of
from app.services.documents import archives, incoming, outgoing
from app.services.kernel.actor import Actor
from app.services.kernel.settings import update_settings
from tests.helpers import password_hash

# A fixed working day, so due dates and years do not depend on when the tests run.
TODAY = date(2026, 11, 27)
BODY = ("正文.docx", b"PK\x03\x04 draft body")


@dataclass
class Office:
    ctx: AppContext
    units: dict[str, int]
    people: dict[str, Actor]

    def __getattr__(self, name: str) -> Actor:
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None

    def run(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Calls a service in a fresh unit of work, as the UI does."""
        with self.ctx.uow() as uow:
            return call(uow, *args, **kwargs)


# Who holds each role in the office, by key. The first secretary drafts; the first county leader is the
# principal (县长); the first liaison is the co-issuing and receiving unit's.
ROLE_HOLDERS: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: ("admin",),
    Role.DIRECTOR: ("director",),
    Role.DEPUTY_DIRECTOR: ("deputy",),
    Role.SECRETARY: ("clerk", "clerk2"),
    Role.PETITION_OFFICER: ("petition",),
    Role.FINANCE: ("finance",),
    Role.CASHIER: ("cashier",),
    Role.COUNTY_LEADER: ("mayor", "vice"),
    Role.LIAISON: ("liaison_fin", "liaison_edu"),
}


_UNITS: dict[str, tuple[str, str]] = {
    "县政府": ("青山县人民政府", "leadership"),
    "办公室": ("青山县人民政府办公室", "department"),
    "秘书股": ("秘书股", "section"),
    "财政局": ("县财政局", "department"),
    "教育局": ("县教育局", "department"),
    "城关镇": ("城关镇", "township"),
}
_PEOPLE: dict[str, tuple[Role, str, str, bool]] = {
    "admin": (Role.ADMIN, "秘书股", "系统管理员", False),
    "director": (Role.DIRECTOR, "办公室", "王主任", True),
    "deputy": (Role.DEPUTY_DIRECTOR, "办公室", "李副主任", False),
    "clerk": (Role.SECRETARY, "秘书股", "张文秘", False),
    "clerk2": (Role.SECRETARY, "秘书股", "赵文秘", False),
    "petition": (Role.PETITION_OFFICER, "办公室", "孙接待", False),
    "finance": (Role.FINANCE, "办公室", "钱会计", False),
    "cashier": (Role.CASHIER, "办公室", "周出纳", False),
    "mayor": (Role.COUNTY_LEADER, "县政府", "陈县长", True),
    "vice": (Role.COUNTY_LEADER, "县政府", "刘副县长", False),
    "liaison_fin": (Role.LIAISON, "财政局", "吴联络", False),
    "liaison_edu": (Role.LIAISON, "教育局", "郑联络", False),
}


def build_office(ctx: AppContext) -> Office:
    """The office in one unit of work (the tests build it often; tests.helpers would take 20 commits)."""
    with ctx.uow() as uow:
        units = {key: Unit(name=name, kind=kind, sort_order=i) for i, (key, (name, kind)) in enumerate(_UNITS.items())}
        uow.session.add_all(units.values())
        uow.flush()
        users = {
            key: User(
                username=key, full_name=name, password_hash=password_hash(), unit_id=units[unit].id,
                is_principal=principal, role_links=[UserRole(role_code=role.value)],
            )
            for key, (role, unit, name, principal) in _PEOPLE.items()
        }
        uow.session.add_all(users.values())
        uow.flush()
        units["秘书股"].head_user_id = users["clerk"].id
        people = {key: actor_of(user) for key, user in users.items()}
        unit_ids = {key: unit.id for key, unit in units.items()}
        uow.commit()
    with ctx.uow() as uow:
        update_settings(
            uow, people["admin"],
            {"office_name": "青山县人民政府办公室", "doc_prefixes": ["县政办发", "县政办函"], "fonds_number": "J012"},
        )
    return Office(ctx, unit_ids, people)


def counts(ctx: AppContext) -> tuple[int, int, int]:
    """History, audit and change-feed rows: what a refused act must leave untouched."""
    with ctx.uow() as uow:
        s = uow.session
        return (
            s.execute(select(func.count()).select_from(WorkflowHistory)).scalar_one(),
            s.execute(select(func.count()).select_from(AuditEntry)).scalar_one(),
            s.execute(select(func.count()).select_from(ChangeFeedEntry)).scalar_one(),
        )


# ----- taking documents along ------------------------------------------------------------------------

OUT_STEPS = ("draft", "review", "cosign", "sign", "recheck", "number", "print", "seal", "distribute", "archive", "archived")
IN_STEPS = ("receive", "register", "screen", "propose", "instruct", "handle", "circulate", "conclude", "archive",
            "archived")


def new_draft(office: Office, **fields: Any) -> int:
    values: dict[str, Any] = {
        "title": "关于做好冬季森林防火工作的通知", "doc_type": "通知", "disclosure": "主动公开",
        "main_recipients": "各乡镇人民政府，县政府各部门", "prefix": "县政办发", "body": BODY, "today": TODAY,
    }
    values.update(fields)
    who = values.pop("drafter", office.clerk)
    return int(office.run(outgoing.create_draft, who, **values).id)


def advance_outgoing(office: Office, doc: int, target: str) -> None:
    """Takes an outgoing document from where it is to ``target`` by the usual people."""
    o = office
    with o.ctx.uow() as uow:
        from app.services.documents.records import get_document

        detail = get_document(uow, o.clerk, doc)
    state = detail.document.state
    cosigners = [c.unit_id for c in detail.cosigners]
    while state != target:
        if state == "draft":
            info = o.run(outgoing.submit, o.clerk, doc, today=TODAY)
        elif state == "review":
            info = o.run(outgoing.review, o.deputy, doc, "approve", "文稿已核，同意送签", today=TODAY)
        elif state == "cosign":
            for unit_id in cosigners:
                o.run(outgoing.cosign, o.clerk, doc, unit_id=unit_id, opinion="同意", given_by="单位负责人", basis="电话")
            info = o.run(outgoing.review, o.clerk, doc, "approve", today=TODAY)
        elif state == "sign":
            info = o.run(outgoing.sign, o.mayor, doc, "同意印发", today=TODAY)
        elif state == "recheck":
            info = o.run(outgoing.recheck, o.clerk, doc, "approve", "审批手续完备，附件齐全，格式规范", today=TODAY)
        elif state == "number":
            info = o.run(outgoing.assign_number, o.clerk, doc, today=TODAY)
        elif state == "print":
            info = o.run(outgoing.mark_printed, o.clerk, doc, copies=60, proofreader="赵文秘", today=TODAY)
        elif state == "seal":
            info = o.run(outgoing.mark_sealed, o.clerk, doc, today=TODAY)
        elif state == "distribute":
            info = o.run(outgoing.distribute, o.clerk, doc, [o.units["财政局"], o.units["城关镇"]], today=TODAY)
        elif state == "archive":
            o.run(archives.archive_document, o.clerk, doc, retention="D30", pages=4, today=TODAY)
            return
        else:
            raise AssertionError(f"cannot advance from {state}")
        state = info.state


def new_incoming(office: Office, **fields: Any) -> int:
    values: dict[str, Any] = {
        "title": "江州市人民政府办公室关于开展安全生产大检查的通知", "source_unit": "江州市人民政府办公室",
        "source_number": "江府办发〔2026〕45号", "urgency": "加急", "copies_received": 2, "today": TODAY,
    }
    values.update(fields)
    return int(office.run(incoming.create_incoming, office.clerk, **values).id)


def advance_incoming(office: Office, doc: int, target: str, *, needs_handling: bool = True,
                     needs_circulation: bool = True) -> None:
    o = office
    with o.ctx.uow() as uow:
        from app.services.documents.records import get_document

        state = get_document(uow, o.clerk, doc).document.state
    while state != target:
        if state == "receive":
            info = o.run(incoming.sign_for, o.clerk, doc, received_at=datetime.combine(TODAY, time(9, 30)), today=TODAY)
        elif state == "register":
            info = o.run(incoming.register, o.clerk, doc, today=TODAY)
        elif state == "screen":
            info = o.run(incoming.screen, o.clerk, doc, "accept", today=TODAY)
        elif state == "propose":
            info = o.run(incoming.propose, o.deputy, doc, "拟请陈县长阅示，由县财政局牵头办理。", today=TODAY)
        elif state == "instruct":
            unit = o.units["财政局"] if needs_handling else None
            info = o.run(
                incoming.instruct, o.mayor, doc, "请县财政局抓紧落实。", needs_handling=needs_handling,
                main_unit_id=unit, co_unit_ids=[o.units["教育局"]] if unit else [], workdays=10, today=TODAY,
            )
        elif state == "handle":
            info = o.run(incoming.handled, o.liaison_fin, doc, result="已按要求完成自查并上报。",
                         needs_circulation=needs_circulation, today=TODAY)
        elif state == "circulate":
            with o.ctx.uow() as uow:
                from app.services.documents.records import get_document

                pending = [c for c in get_document(uow, o.clerk, doc).circulations if c.holding]
            for c in pending:
                o.run(incoming.mark_read, o.clerk, c.id, remark="已阅")
            info = o.run(incoming.finish_circulation, o.clerk, doc, today=TODAY)
        elif state == "conclude":
            info = o.run(incoming.conclude, o.clerk, doc, "已办结。", today=TODAY)
        elif state == "archive":
            o.run(archives.archive_document, o.clerk, doc, retention="D10", pages=3, today=TODAY)
            return
        else:
            raise AssertionError(f"cannot advance from {state}")
        state = info.state
