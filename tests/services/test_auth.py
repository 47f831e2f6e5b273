"""Login: argon2 hashes, five failures lock the account for 15 minutes, every attempt is audited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import AccountLocked, AuthenticationError, ConflictError, ValidationError
from app.core.roles import Role
from app.models import AuditEntry, User
from app.models.base import utcnow
from app.services.admin import audit, auth
from app.services.admin import users as admin
from app.services.admin.login_delay import LoginDelay
from app.services.kernel import changes
from app.services.kernel.actor import SYSTEM_ACTOR
from tests.helpers import PASSWORD, add_user


@pytest.fixture
def no_wait(tmp_path: Path) -> LoginDelay:
    """This machine's wait between attempts, set to none: these tests are about the account."""
    return LoginDelay(tmp_path / "login_delay.json", delays=())


def audit_actions(ctx: AppContext) -> list[str]:
    with ctx.uow() as uow:
        return list(uow.session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars())


def test_right_password_logs_in(ctx: AppContext) -> None:
    add_user(ctx, "sun", [Role.SECRETARY, Role.PETITION_OFFICER], full_name="孙丽")
    with ctx.uow() as uow:
        actor = auth.login(uow, " sun ", PASSWORD)
    assert actor.full_name == "孙丽"
    assert actor.roles == {"secretary", "petition_officer"}
    assert audit_actions(ctx) == ["login"]


def test_unknown_user_gets_the_same_message(ctx: AppContext) -> None:
    with ctx.uow() as uow, pytest.raises(AuthenticationError, match="^用户名或密码不正确（"):
        auth.login(uow, "nobody", PASSWORD)
    assert audit_actions(ctx) == ["login_failed"]


def test_empty_fields_are_refused_before_anything_else(ctx: AppContext) -> None:
    with ctx.uow() as uow, pytest.raises(ValidationError, match="请输入用户名"):
        auth.login(uow, "  ", PASSWORD)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="请输入密码"):
        auth.login(uow, "sun", "")


def test_five_failures_lock_the_account_for_fifteen_minutes(ctx: AppContext, no_wait: LoginDelay) -> None:
    add_user(ctx, "sun", [Role.SECRETARY])
    for _ in range(5):
        with ctx.uow() as uow, pytest.raises(AuthenticationError) as refused:
            auth.login(uow, "sun", "wrong-password1", no_wait)
        # The lock is not told to whoever guesses: the same words as for an unknown name.
        assert refused.type is AuthenticationError and refused.value.message == auth.WRONG_NAME_OR_PASSWORD
    # The right password learns of it.
    with ctx.uow() as uow, pytest.raises(AccountLocked, match="分钟后再试"):
        auth.login(uow, "sun", PASSWORD, no_wait)
    assert audit_actions(ctx) == ["login_failed"] * 4 + ["login_locked", "login_failed"]
    with ctx.uow() as uow:
        user = uow.session.execute(select(User).where(User.username == "sun")).scalar_one()
        assert user.locked_until is not None
        remaining = user.locked_until - utcnow()
        assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
        # Fifteen minutes later:
        user.locked_until = utcnow() - timedelta(seconds=1)
        uow.session.commit()
    with ctx.uow() as uow:
        assert auth.login(uow, "sun", PASSWORD, no_wait).username == "sun"


def test_an_account_locked_by_the_administrator_stays_locked(ctx: AppContext, no_wait: LoginDelay) -> None:
    user = add_user(ctx, "sun", [Role.SECRETARY])
    assert user.id is not None
    with ctx.uow() as uow:
        admin.lock_user(uow, SYSTEM_ACTOR, user.id)
    with ctx.uow() as uow, pytest.raises(AccountLocked, match="系统管理员锁定"):
        auth.login(uow, "sun", PASSWORD, no_wait)
    with ctx.uow() as uow:
        admin.unlock_user(uow, SYSTEM_ACTOR, user.id)
    with ctx.uow() as uow:
        assert auth.login(uow, "sun", PASSWORD, no_wait).id == user.id


def test_a_deactivated_user_cannot_log_in(ctx: AppContext) -> None:
    user = add_user(ctx, "sun", [Role.SECRETARY])
    assert user.id is not None
    with ctx.uow() as uow:
        version = admin.get_user(uow, SYSTEM_ACTOR, user.id).version
        admin.update_user(uow, SYSTEM_ACTOR, user.id, expected_version=version, active=False)
    with ctx.uow() as uow, pytest.raises(AuthenticationError):
        auth.login(uow, "sun", PASSWORD)


def test_changing_ones_own_password(ctx: AppContext) -> None:
    actor = add_user(ctx, "sun", [Role.SECRETARY])
    with ctx.uow() as uow, pytest.raises(ValidationError, match="原密码不正确"):
        auth.change_own_password(uow, actor, "wrong", "newpass123")
    with ctx.uow() as uow, pytest.raises(ValidationError, match="字母和数字"):
        auth.change_own_password(uow, actor, PASSWORD, "onlyletters")
    with ctx.uow() as uow, pytest.raises(ValidationError, match="太常见"):
        auth.change_own_password(uow, actor, PASSWORD, "Qwer1234")
    with ctx.uow() as uow:
        auth.change_own_password(uow, actor, PASSWORD, "newpass123")
    with ctx.uow() as uow:
        assert auth.login(uow, "sun", "newpass123").username == "sun"


def test_a_login_moves_the_users_version_on_like_any_other_change(ctx: AppContext) -> None:
    """The login writes the user's row with plain SQL; an administrator's edit opened before it must
    still see a conflict instead of overwriting the failure count or the lock."""
    add_user(ctx, "sun", [Role.SECRETARY])
    with ctx.uow() as uow:
        opened = next(u for u in admin.list_users(uow, SYSTEM_ACTOR) if u.username == "sun")
    with ctx.uow() as uow, pytest.raises(AuthenticationError):
        auth.login(uow, "sun", "wrong-password1")
    with ctx.uow() as uow:
        after = uow.session.execute(
            select(User.version, User.updated_at, User.failed_logins).where(User.username == "sun")
        ).one()
    assert after.version == opened.version + 1 and after.failed_logins == 1
    with ctx.uow() as uow, pytest.raises(ConflictError):
        admin.update_user(uow, SYSTEM_ACTOR, opened.id, expected_version=opened.version, title="科员")


def test_the_start_needs_no_orm(ctx: AppContext) -> None:
    """What runs before the first window (the schema check, has_users, a failed and a good login with
    their audit entries, the 工作台's to-dos and calendar, the change feed, the settings) runs on the
    Core tables of app.db.tables: SQLAlchemy's ORM and the mapped classes are not even imported. A
    fresh process, since this one has loaded them long ago."""
    import subprocess
    import sys

    add_user(ctx, "sun", [Role.SECRETARY], full_name="孙丽")
    script = (
        "import sys\n"
        "from app.bootstrap import bootstrap, load_database_layer\n"
        "load_database_layer()\n"
        "from app.db.migrate import check_schema\n"
        "from app.core.errors import AuthenticationError\n"
        "from app.services.admin import auth\n"
        "from app.services.kernel import changes, settings\n"
        "from app.services.workflow import todo\n"
        "ctx = bootstrap(sys.argv[1])\n"
        "assert check_schema(ctx.engine).ok\n"
        "with ctx.uow() as uow:\n"
        "    assert auth.has_users(uow)\n"
        "with ctx.uow() as uow:\n"
        "    try:\n"
        "        auth.login(uow, 'sun', 'not-the-password1')\n"
        "    except AuthenticationError:\n"
        "        pass\n"
        "with ctx.uow() as uow:\n"
        "    actor = auth.login(uow, 'sun', sys.argv[2])\n"
        "with ctx.uow() as uow:\n"
        "    items = todo.todo(uow, actor).items\n"
        "    position = changes.latest_position(uow)\n"
        "    changes.changes_since(uow, 0)\n"
        "    settings.all_settings(uow)\n"
        "    settings.work_calendar(uow)\n"
        "loaded = sorted(m for m in ('sqlalchemy.orm', 'app.models') if m in sys.modules)\n"
        "print(actor.full_name, position, 'loaded:', *loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, ctx.url.render_as_string(hide_password=False), PASSWORD],
        capture_output=True, text=True, check=True,
    )
    name, position, *loaded = done.stdout.split()
    assert loaded == ["loaded:"]
    with ctx.uow() as uow:
        assert name == "孙丽" and int(position) == changes.latest_position(uow)
        actions = [e.action for e in audit.list_entries(uow, SYSTEM_ACTOR)[0]][:2]
    assert actions == ["login", "login_failed"]
