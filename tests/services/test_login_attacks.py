"""The login attacked: names enumerated by the message, a lock learnt by guessing, twelve wrong passwords
at once, common passwords chosen, a guesser who ignores the dialog's wait, a reset password kept."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import AccountLocked, AuthenticationError, ValidationError
from app.core.roles import Role
from app.demo.office import DEMO_PASSWORD
from app.models import AuditEntry, User
from app.services.admin import auth
from app.services.admin import users as admin
from app.services.admin.login_delay import LoginDelay, LoginDelayed
from app.services.kernel.actor import SYSTEM_ACTOR
from tests.helpers import PASSWORD, add_user


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def no_wait(tmp_path: Path) -> LoginDelay:
    return LoginDelay(tmp_path / "login_delay.json", delays=())


def refusal(ctx: AppContext, username: str, password: str, delay: LoginDelay) -> tuple[type, str]:
    with ctx.uow() as uow, pytest.raises(AuthenticationError) as refused:
        auth.login(uow, username, password, delay)
    return refused.type, refused.value.message


def failed_logins(ctx: AppContext, username: str) -> int:
    with ctx.uow() as uow:
        return uow.session.execute(select(User.failed_logins).where(User.username == username)).scalar_one()


def audited(ctx: AppContext, *actions: str) -> int:
    with ctx.uow() as uow:
        return uow.session.execute(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action.in_(actions))
        ).scalar_one()


def test_no_name_can_be_told_real_or_locked_from_the_answer_to_a_wrong_password(
    ctx: AppContext, no_wait: LoginDelay
) -> None:
    add_user(ctx, "sun", [Role.SECRETARY])
    barred = add_user(ctx, "zhao", [Role.SECRETARY])
    add_user(ctx, "qian", [Role.SECRETARY])
    with ctx.uow() as uow:
        admin.lock_user(uow, SYSTEM_ACTOR, barred.id or 0)
    for _ in range(5):
        refusal(ctx, "qian", "guess-number1", no_wait)  # qian is now locked for 15 minutes

    answers = {
        "nobody": refusal(ctx, "nobody", "guess-number1", no_wait),
        "real": refusal(ctx, "sun", "guess-number1", no_wait),
        "locked by the administrator": refusal(ctx, "zhao", "guess-number1", no_wait),
        "locked by guessing": refusal(ctx, "qian", "guess-number1", no_wait),
    }
    assert set(answers.values()) == {(AuthenticationError, auth.WRONG_NAME_OR_PASSWORD)}, answers
    # The wrong password on a locked account still counts and is audited.
    assert failed_logins(ctx, "zhao") == 1 and failed_logins(ctx, "qian") == 1

    # Only the right password is told of the lock.
    with ctx.uow() as uow, pytest.raises(AccountLocked, match="系统管理员锁定"):
        auth.login(uow, "zhao", PASSWORD, no_wait)
    with ctx.uow() as uow, pytest.raises(AccountLocked, match="分钟后再试"):
        auth.login(uow, "qian", PASSWORD, no_wait)


def test_twelve_wrong_passwords_at_once_are_all_counted_and_audited(
    ctx: AppContext, no_wait: LoginDelay
) -> None:
    add_user(ctx, "sun", [Role.SECRETARY])
    start = threading.Barrier(12)
    outcomes: list[BaseException] = []

    def guess() -> None:
        start.wait()
        try:
            with ctx.uow() as uow:
                auth.login(uow, "sun", "guess-number1", no_wait)
        except BaseException as error:  # noqa: BLE001 - each outcome is checked below
            outcomes.append(error)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [type(error) for error in outcomes] == [AuthenticationError] * 12, outcomes
    # Twelve failures: locked at the 5th and the 10th, two counted since.
    assert audited(ctx, "login_failed", "login_locked") == 12
    assert audited(ctx, "login_locked") == 2
    assert failed_logins(ctx, "sun") == 2


def test_a_password_reset_by_the_administrator_must_be_changed_at_the_next_login(
    ctx: AppContext, no_wait: LoginDelay
) -> None:
    sun = add_user(ctx, "sun", [Role.SECRETARY])
    with ctx.uow() as uow:
        assert not auth.login(uow, "sun", PASSWORD, no_wait).must_change_password
    with ctx.uow() as uow:
        admin.reset_password(uow, SYSTEM_ACTOR, sun.id or 0, "Temp7wq2x")
    with ctx.uow() as uow:
        actor = auth.login(uow, "sun", "Temp7wq2x", no_wait)
    assert actor.must_change_password
    with ctx.uow() as uow:
        auth.change_own_password(uow, actor, "Temp7wq2x", "Mine5kz8p")
    with ctx.uow() as uow:
        assert not auth.login(uow, "sun", "Mine5kz8p", no_wait).must_change_password


@pytest.mark.parametrize("common", ["password1", "Qwer1234", "ABC12345", "1qaz2wsx", DEMO_PASSWORD, "Admin123"])
def test_a_common_password_is_refused_wherever_a_password_is_set(ctx: AppContext, common: str) -> None:
    sun = add_user(ctx, "sun", [Role.SECRETARY])
    with ctx.uow() as uow, pytest.raises(ValidationError, match="太常见") as refused:
        admin.create_user(uow, SYSTEM_ACTOR, username="li", full_name="李四", password=common, roles=[Role.SECRETARY])
    assert refused.value.field == "password"
    with ctx.uow() as uow, pytest.raises(ValidationError, match="太常见"):
        admin.reset_password(uow, SYSTEM_ACTOR, sun.id or 0, common)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="太常见"):
        auth.change_own_password(uow, sun, PASSWORD, common)
    with ctx.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(User)).scalar_one() == 1


def test_a_common_password_is_refused_for_the_first_administrator(ctx: AppContext) -> None:
    with ctx.uow() as uow, pytest.raises(ValidationError, match="太常见"):
        admin.create_first_admin(uow, username="admin", full_name="管理员", password="admin1234")


def test_the_machine_waits_longer_after_each_failure_whoever_is_guessed(ctx: AppContext, tmp_path: Path) -> None:
    """The service itself refuses to look at a password before the wait is over: a guesser calling it
    directly, as fast as they can, gets no further than the dialog would let them."""
    add_user(ctx, "sun", [Role.SECRETARY])
    clock = Clock()
    machine = LoginDelay(tmp_path / "login_delay.json", clock=clock)
    refusal(ctx, "sun", "guess-number1", machine)  # anyone mistypes once: no wait
    refusal(ctx, "admin", "guess-number2", machine)
    waits = []
    for name in ["sun", "admin", "sun", "nobody", "sun", "admin", "sun"]:
        kind, _message = refusal(ctx, name, PASSWORD, machine)
        assert kind is LoginDelayed  # even the right password waits
        waits.append(machine.seconds_left())
        clock.now += machine.seconds_left()
        refusal(ctx, name, "guess-number3", machine)
    assert waits == [1, 2, 4, 8, 16, 30, 30]
    # Refused for the wait, an attempt is neither counted against the account nor audited.
    assert failed_logins(ctx, "sun") == 0  # locked at its fifth failure, which reset the count
    assert audited(ctx, "login_failed", "login_locked") == 2 + 7
    # Refused with the seconds to wait, and the right password once the wait is over logs in and clears it.
    with ctx.uow() as uow, pytest.raises(LoginDelayed, match="^请等待30秒后再试$"):
        auth.login(uow, "nobody", PASSWORD, machine)
    clock.now += 30
    add_user(ctx, "li", [Role.SECRETARY])
    with ctx.uow() as uow:
        assert auth.login(uow, "li", PASSWORD, machine).username == "li"
    assert machine.seconds_left() == 0 and not machine.path.exists()


def test_the_wait_is_kept_on_this_machine_across_restarts_and_a_clock_set_back(tmp_path: Path) -> None:
    clock = Clock()
    first = LoginDelay(tmp_path / "login_delay.json", clock=clock)
    for _ in range(4):
        first.failed()
    again = LoginDelay(tmp_path / "login_delay.json", clock=clock)  # the program started again
    assert again.seconds_left() == 4
    clock.now -= 86_400  # the PC's clock set back a day: still only the wait itself
    assert again.seconds_left() == 4
    (tmp_path / "login_delay.json").write_text("not json", encoding="utf-8")
    assert again.seconds_left() == 0


def test_the_default_wait_is_kept_in_the_users_data_folder(ctx: AppContext, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVDESK_DATA_DIR", str(tmp_path / "data"))
    add_user(ctx, "sun", [Role.SECRETARY])
    for _ in range(2):
        with ctx.uow() as uow, pytest.raises(AuthenticationError):
            auth.login(uow, "sun", "guess-number1")
    assert (tmp_path / "data" / "login_delay.json").exists()
    with ctx.uow() as uow, pytest.raises(LoginDelayed):
        auth.login(uow, "sun", PASSWORD)
