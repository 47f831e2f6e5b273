"""The audit log's hash chain detects deleted and altered rows."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from app.bootstrap import AppContext
from app.core.roles import Role
from app.models import AuditEntry
from app.services.admin import audit, auth
from app.services.kernel.actor import SYSTEM_ACTOR
from tests.helpers import PASSWORD, add_user


def make_entries(ctx: AppContext, n: int = 6) -> None:
    add_user(ctx, "zhao", [Role.SECRETARY], full_name="赵敏")
    for i in range(n):
        with ctx.uow() as uow:
            uow.record(None, "system", "update", "settings", None, {"office_name": ["旧", f"新{i}"]}, "update")
            uow.commit()


def report(ctx: AppContext) -> audit.ChainReport:
    with ctx.uow() as uow:
        return audit.verify_chain(uow)


def test_an_untouched_chain_verifies(ctx: AppContext) -> None:
    make_entries(ctx)
    result = report(ctx)
    assert result.ok and result.checked == 6
    assert "未发现删除或篡改" in result.summary()


def test_a_deleted_row_is_detected(ctx: AppContext) -> None:
    make_entries(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(delete(AuditEntry).where(AuditEntry.seq == 3))
    result = report(ctx)
    assert not result.ok
    assert any("已被删除" in p.message and p.seq == 3 for p in result.problems)


def test_a_deleted_last_row_is_detected(ctx: AppContext) -> None:
    make_entries(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(delete(AuditEntry).where(AuditEntry.seq == 6))
    result = report(ctx)
    assert not result.ok and "最后 1 条记录缺失" in result.summary()


def test_an_altered_row_is_detected(ctx: AppContext) -> None:
    make_entries(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(username="someone_else"))
    result = report(ctx)
    assert [p.seq for p in result.problems] == [4]
    assert "已被修改" in result.problems[0].message


def test_an_altered_row_with_a_recomputed_hash_breaks_the_next_link(ctx: AppContext) -> None:
    make_entries(ctx)
    with ctx.uow() as uow:
        row = uow.session.execute(select(AuditEntry).where(AuditEntry.seq == 2)).scalar_one()
        row.detail = '{"forged": true}'
        row.hash = audit.entry_hash(
            row.prev_hash, row.seq, row.at, row.user_id, row.username, row.action, row.entity_type,
            row.entity_id, row.detail,
        )
        uow.session.commit()
    result = report(ctx)
    assert [p.seq for p in result.problems] == [3]
    assert "链接不符" in result.problems[0].message


def test_login_attempts_and_admin_queries_are_audited(ctx: AppContext) -> None:
    add_user(ctx, "qian", [Role.SECRETARY])
    with ctx.uow() as uow:
        auth.login(uow, "qian", PASSWORD)
    with ctx.uow() as uow:
        try:
            auth.login(uow, "qian", "wrong-password1")
        except Exception:
            pass
    with ctx.uow() as uow:
        rows, total = audit.list_entries(uow, SYSTEM_ACTOR, username="qian")
    assert total == 2
    assert [r.action_label for r in rows] == ["登录失败", "登录成功"]
