"""Sessions that outlive a lock: an Actor made at login acts only while its account is as it was then.

Each test attacks as someone would who keeps an old window (an old Actor) open and calls the services
directly, after an administrator disabled, locked or changed them."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update

from app.bootstrap import AppContext
from app.core.errors import SessionEnded
from app.core.roles import Role
from app.db.tables import users
from app.services.admin import users as admin
from app.services.documents import records as documents
from app.services.kernel import access
from app.services.kernel.actor import Actor
from tests.helpers import add_unit, add_user

SERVICES = Path(__file__).resolve().parents[2] / "app" / "services"


def _version(ctx: AppContext, root: Actor, user_id: int) -> int:
    with ctx.uow() as uow:
        return admin.get_user(uow, root, user_id).version


def _user_count(ctx: AppContext) -> int:
    with ctx.uow() as uow:
        return int(uow.execute(select(func.count()).select_from(users)).scalar_one())


def test_a_demoted_and_disabled_administrator_cannot_create_an_administrator(ctx: AppContext) -> None:
    root = add_user(ctx, "root", [Role.ADMIN])
    old = add_user(ctx, "former", [Role.ADMIN])
    former_id = old.id or 0
    with ctx.uow() as uow:
        admin.update_user(uow, root, former_id, expected_version=_version(ctx, root, former_id), roles=[Role.SECRETARY])
    with ctx.uow() as uow:
        admin.update_user(uow, root, former_id, expected_version=_version(ctx, root, former_id), active=False)
    before = _user_count(ctx)
    with ctx.uow() as uow, pytest.raises(SessionEnded, match="停用"):
        admin.create_user(uow, old, username="mole", full_name="内鬼", password="Xk93mq2zv", roles=[Role.ADMIN])
    assert _user_count(ctx) == before


@pytest.mark.parametrize("change", ["disable", "lock", "demote", "move"])
def test_a_changed_account_cannot_read_either(ctx: AppContext, change: str) -> None:
    root = add_user(ctx, "root", [Role.ADMIN])
    unit = add_unit(ctx, "县财政局")
    other_unit = add_unit(ctx, "县教育局")
    clerk = add_user(ctx, "clerk", [Role.SECRETARY], unit_id=unit)
    clerk_id = clerk.id or 0
    with ctx.uow() as uow:
        documents.list_documents(uow, clerk)
        if change == "lock":
            admin.lock_user(uow, root, clerk_id)
        else:
            values: dict[str, object] = {
                "disable": {"active": False},
                "demote": {"roles": [Role.LIAISON]},
                "move": {"unit_id": other_unit},
            }[change]
            admin.update_user(uow, root, clerk_id, expected_version=_version(ctx, root, clerk_id), **values)
    with ctx.uow() as uow, pytest.raises(SessionEnded):
        documents.list_documents(uow, clerk)


def test_a_change_made_on_another_pc_stops_the_next_save_though_this_pc_remembers_the_user(ctx: AppContext) -> None:
    """Another PC's change reaches this one by the change feed, a few seconds later; meanwhile what
    this PC remembers may still vouch for the user, and the commit itself must refuse."""
    root = add_user(ctx, "root", [Role.ADMIN])
    clerk = add_user(ctx, "clerk", [Role.ADMIN])
    # "Another PC": a plain update that this process's services never saw.
    with ctx.engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == clerk.id).values(locked_by_admin=True))
    access.confirm(ctx.engine, clerk)
    before = _user_count(ctx)
    with ctx.uow() as uow, pytest.raises(SessionEnded, match="未保存"):
        admin.create_user(uow, clerk, username="mole", full_name="内鬼", password="Xk93mq2zv", roles=[Role.ADMIN])
    assert _user_count(ctx) == before
    # The root administrator, unchanged, still acts.
    with ctx.uow() as uow:
        admin.create_user(uow, root, username="helper", full_name="帮手", password="Xk93mq2zv", roles=[Role.SECRETARY])
    assert _user_count(ctx) == before + 1


def test_an_administrator_may_give_up_their_own_role_and_is_then_asked_to_log_in_again(ctx: AppContext) -> None:
    root = add_user(ctx, "root", [Role.ADMIN])
    add_user(ctx, "second", [Role.ADMIN])
    root_id = root.id or 0
    with ctx.uow() as uow:
        admin.update_user(uow, root, root_id, expected_version=_version(ctx, root, root_id), roles=[Role.SECRETARY])
    with ctx.uow() as uow, pytest.raises(SessionEnded, match="重新登录"):
        admin.list_users(uow, root)


def test_a_user_still_current_costs_no_statement(ctx: AppContext) -> None:
    """On a LAN every statement is a round trip: a user the change poller has just vouched for is not
    asked about again; one it has not is asked once per unit of work, in one statement."""
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    statements: list[str] = []

    def listen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(ctx.engine, "before_cursor_execute", listen)
    try:
        with ctx.uow() as uow:
            documents.list_documents(uow, clerk)
        vouched = len(statements)
        access.forget(ctx.engine, clerk.id)
        statements.clear()
        with ctx.uow() as uow:
            documents.list_documents(uow, clerk)
            documents.list_documents(uow, clerk)
        asked = len(statements)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", listen)
    user_reads = [s for s in statements if "users.locked_by_admin" in s]
    assert len(user_reads) == 1
    assert asked == 2 * vouched + 1


def _public_service_functions() -> list[str]:
    found = []
    # Every module of every package under app/services, named from there on (documents.records.get_document).
    for path in sorted(SERVICES.rglob("*.py")):
        module = ".".join(path.relative_to(SERVICES).with_suffix("").parts)
        if module == "kernel.access":
            # The check itself.
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                params = [a.arg for a in node.args.args]
                if params[:2] == ["uow", "actor"]:
                    found.append(f"{module}.{node.name}")
    return found


def test_every_public_service_function_checks_its_actor() -> None:
    names = _public_service_functions()
    assert len(names) > 100
    unchecked = [
        name
        for name in names
        if not getattr(getattr(importlib.import_module("app.services." + name.rsplit(".", 1)[0]), name.rsplit(".", 1)[1]),
                       "checks_actor", False)
    ]
    assert not unchecked, "not wrapped in app.services.kernel.access.acting: " + ", ".join(unchecked)


def test_a_password_reset_behind_an_open_window_ends_its_session(ctx: AppContext) -> None:
    """The administrator resets a password they think someone else knows: the window that is open with it
    stops, on this PC at once and, through the commit's check, on another PC that still vouches."""
    root = add_user(ctx, "root", [Role.ADMIN])
    clerk = add_user(ctx, "clerk", [Role.ADMIN])
    with ctx.uow() as uow:
        admin.reset_password(uow, root, clerk.id or 0, "Temp7wq2x")
    with ctx.uow() as uow, pytest.raises(SessionEnded, match="重置"):
        admin.list_users(uow, clerk)
    access.confirm(ctx.engine, clerk)  # another PC's memory, from before the reset
    before = _user_count(ctx)
    with ctx.uow() as uow, pytest.raises(SessionEnded, match="未保存"):
        admin.create_user(uow, clerk, username="mole", full_name="内鬼", password="Xk93mq2zv", roles=[Role.ADMIN])
    assert _user_count(ctx) == before


def test_a_reset_password_must_be_changed_before_anything_else(ctx: AppContext) -> None:
    """Logged in with a password the administrator set, the user may change it and do nothing else,
    whatever the window shows: a direct call is refused too."""
    from app.core.errors import PermissionDenied
    from app.services.admin import auth

    root = add_user(ctx, "root", [Role.ADMIN])
    clerk = add_user(ctx, "clerk", [Role.ADMIN, Role.SECRETARY])
    with ctx.uow() as uow:
        admin.reset_password(uow, root, clerk.id or 0, "Temp7wq2x")
    with ctx.uow() as uow:
        flagged = auth.login(uow, "clerk", "Temp7wq2x")
    assert flagged.must_change_password
    before = _user_count(ctx)
    for act in (
        lambda uow: admin.create_user(uow, flagged, username="mole", full_name="内鬼", password="Xk93mq2zv",
                                      roles=[Role.ADMIN]),
        lambda uow: documents.list_documents(uow, flagged),
    ):
        with ctx.uow() as uow, pytest.raises(PermissionDenied, match="先设置新密码"):
            act(uow)
    assert _user_count(ctx) == before
    with ctx.uow() as uow:
        auth.change_own_password(uow, flagged, "Temp7wq2x", "Qingshan#2027")
    with ctx.uow() as uow:
        fresh = auth.login(uow, "clerk", "Qingshan#2027")
    assert not fresh.must_change_password
    with ctx.uow() as uow:
        documents.list_documents(uow, fresh)
