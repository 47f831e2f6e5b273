"""The audit log reads as a person reads it: names instead of ids, role names instead of role codes, the
record's Chinese kind and its number or title, and each change as 字段：旧值 → 新值 with Chinese labels."""

from __future__ import annotations

import re
from datetime import date

from app.bootstrap import AppContext
from app.core.claims import LineInput
from app.core.roles import Role
from app.services.admin import audit
from app.services.admin import users as admin
from app.services.claims import records as claims
from app.services.documents import outgoing
from app.services.kernel import settings
from app.services.kernel.actor import Actor
from tests.helpers import add_unit, add_user

# What the log used to show: role and state codes, entity types, raw dicts and ids.
INTERNAL = re.compile(r"secretary|director|admin\b|claim|document|draft|review|unit_id|\{|\}|'|\b\d+\b$")


def entries(ctx: AppContext, actor: Actor) -> list[audit.AuditRow]:
    with ctx.uow() as uow:
        return audit.list_entries(uow, actor, limit=50)[0]


def one(rows: list[audit.AuditRow], action: str, entity_type: str) -> audit.AuditRow:
    found = [r for r in rows if r.action == action and r.entity_type == entity_type]
    assert found, f"no {action} {entity_type} among {[(r.action, r.entity_type) for r in rows]}"
    return found[0]


def test_people_and_units_read_by_name_and_role(ctx: AppContext) -> None:
    office = add_unit(ctx, "秘书股", "section")
    admin_actor = add_user(ctx, "zhao", [Role.ADMIN], office, full_name="赵管理")
    with ctx.uow() as uow:
        created = admin.create_user(uow, admin_actor, username="zhang", full_name="张文秘", password="zhang7wq2",
                                    roles=[Role.SECRETARY], unit_id=office)
    with ctx.uow() as uow:
        admin.update_user(uow, admin_actor, created.id, expected_version=created.version,
                          roles=[Role.DIRECTOR])
    with ctx.uow() as uow:
        admin.create_unit(uow, admin_actor, name="办公室综合股", kind="section")
    rows = entries(ctx, admin_actor)

    made = one(rows, "create", "user")
    assert made.who == "赵管理（zhao）"
    assert made.subject == "用户 张文秘"
    assert "角色：文秘人员" in made.description and "单位：秘书股" in made.description
    assert "secretary" not in made.description and "unit_id" not in made.description

    changed = one(rows, "update", "user")
    assert changed.subject == "用户 张文秘"
    assert changed.description == "角色：文秘人员 → 办公室主任"

    unit = one(rows, "create", "unit")
    assert unit.subject == "单位 办公室综合股"
    assert unit.description == "名称：办公室综合股；类别：办公室内设股室"


def test_records_read_by_kind_number_and_step(ctx: AppContext) -> None:
    office = add_unit(ctx, "秘书股", "section")
    clerk = add_user(ctx, "zhang", [Role.SECRETARY], office, full_name="张文秘")
    lead = add_user(ctx, "liu", [Role.DEPUTY_DIRECTOR], office, full_name="刘副主任")
    add_user(ctx, "zhao", [Role.ADMIN], office, full_name="赵管理")
    with ctx.uow() as uow:
        draft = outgoing.create_draft(uow, clerk, title="关于开展安全生产大检查的通知", doc_type="通知",
                                      disclosure="主动公开", body=("正文.docx", b"body"))
    with ctx.uow() as uow:
        outgoing.submit(uow, clerk, draft.id, "请审核")
    with ctx.uow() as uow:
        claim = claims.create_claim(
            uow, clerk, claims.ClaimInput(office, date.today(), [LineInput("赴市里培训的交通费", "差旅费", "860")], 2),
            submit=True,
        )
    administrator = add_user(ctx, "qian", [Role.ADMIN], office, full_name="钱管理")
    with ctx.uow() as uow:
        settings.update_settings(uow, administrator, {"office_name": "青山县人民政府办公室"})
    del lead
    rows = entries(ctx, administrator)

    moved = one(rows, "transition", "document")
    assert moved.who == "张文秘（zhang）"
    assert moved.subject == "发文《关于开展安全生产大检查的通知》"
    assert moved.description == "操作：送核稿；环节：拟稿 → 核稿；意见：请审核"

    submitted = [r for r in rows if r.entity_type == "claim" and r.action == "transition"][0]
    assert submitted.subject == f"报销单 {claim.number}（赴市里培训的交通费）"
    assert "环节：" in submitted.description and " → " in submitted.description

    office_name = one(rows, "update", "settings")
    assert office_name.subject == "系统设置"
    assert office_name.description == "单位名称：某某县人民政府办公室 → 青山县人民政府办公室"

    for row in rows:
        for text in (row.subject, row.description):
            assert not INTERNAL.search(text), f"internal code in {row.action} {row.entity_type}: {text}"


def test_a_failed_login_names_the_reason(ctx: AppContext) -> None:
    from app.services.admin import auth
    from app.services.kernel.actor import SYSTEM_ACTOR

    add_user(ctx, "zhang", [Role.SECRETARY], full_name="张文秘")
    with ctx.uow() as uow:
        try:
            auth.login(uow, "zhang", "wrong-password")
        except Exception:  # noqa: BLE001 - the refusal itself is not what is tested
            pass
    rows = entries(ctx, SYSTEM_ACTOR)
    failed = one(rows, "login_failed", "user")
    assert failed.who == "张文秘（zhang）"
    assert failed.subject == "用户 张文秘"
    assert failed.description.startswith("原因：密码错误")
