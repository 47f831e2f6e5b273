"""Connecting at start to the saved database: the password (from the system keyring, or asked for), the
probe run off the GUI thread with 取消, and the ways on when it fails: 重新输入密码, 重试, 更改连接…, 退出.

A password typed after the keyring's one was refused can replace it; one typed because nothing was stored
can be stored. A locked keyring is said to be locked, not taken for an empty one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from app import APP_TITLE
from app.db import profile as profiles
from app.db.probe import ProbeResult, probe
from app.ui.i18n import tr
from app.ui.theme import URGENT
from app.ui.widgets.db_call import BusyDialog
from app.ui.widgets.messages import confirm, inform
from app.ui.widgets.worker import run_in_background

# A wrong password may be typed again this often before the start gives up on it and offers only
# 更改连接… and 退出: enough for a slip of the finger, few enough not to look like guessing.
MAX_PASSWORD_TRIES = 3
# A local file or a near server answers sooner: nothing flashes up for them.
BUSY_AFTER_MS = 300

Choice = Literal["connect", "change", "quit"]


def keyring_reason(state: profiles.KeyringState) -> str:
    """Why the password is asked for, by what the keyring said."""
    if state == "no_keyring":
        return tr('本机没有可用的系统密钥环，为安全起见密码不保存在文件里，每次启动都需要输入。')
    if state == "locked":
        return tr('系统密钥环已锁定，读不到保存的数据库密码。请解锁系统密钥环后点“重新读取密钥环”，或直接输入密码。')
    if state == "unreadable":
        return tr('系统密钥环暂时打不开，读不到保存的数据库密码。请解锁系统密钥环后点“重新读取密钥环”，或直接输入密码。')
    return tr('系统密钥环中没有保存这个数据库的密码。')


class PasswordDialog(QDialog):
    """Asks for the database password, saying why; may offer to read a locked keyring again and to choose
    another connection."""

    def __init__(
        self,
        profile: profiles.ConnectionProfile,
        why: str,
        *,
        can_reread: bool = False,
        can_change: bool = False,
        warning: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.choice: Choice = "quit"
        self.from_keyring = False
        self.setWindowTitle(tr('数据库密码'))
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setMinimumWidth(520)
        self._say(why, warning)
        prompt = QLabel(tr('请输入 {0} 的数据库密码：').format(profile.describe()))
        prompt.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        prompt.setBuddy(self.password)

        self.reread_button = QPushButton(tr('重新读取密钥环'))
        self.reread_button.setAutoDefault(False)
        self.reread_button.clicked.connect(self.reread)
        self.reread_button.setVisible(can_reread)
        self.change_button = QPushButton(tr('更改连接…'))
        self.change_button.setAutoDefault(False)
        self.change_button.clicked.connect(lambda: self._end("change"))
        self.change_button.setVisible(can_change)
        self.connect_button = QPushButton(tr('连接'))
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(lambda: self._end("connect"))
        self.quit_button = QPushButton(tr('退出'))
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reread_button)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.quit_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.why)
        layout.addSpacing(6)
        layout.addWidget(prompt)
        layout.addWidget(self.password)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self.password.setFocus()

    def _say(self, text: str, warning: bool) -> None:
        self.why.setText(f'<span style="color:{URGENT}">{text}</span>' if warning else text)

    def _end(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:  # noqa: D102 - Esc and the close button mean 退出
        self.choice = "quit"
        super().reject()

    def reread(self) -> None:
        """After the user unlocked the keyring: its password is used as if it had been there at start."""
        stored = profiles.read_password(self.profile)
        if stored.password is not None:
            self.password.setText(stored.password)
            self.from_keyring = True
            self._end("connect")
            return
        self._say(keyring_reason(stored.state), True)
        self.reread_button.setVisible(stored.state in ("locked", "unreadable"))

    def answer(self) -> Answer:
        """Shows the dialog until the user chooses; what they chose, with the password to try."""
        self.exec()
        return Answer(self.choice, self.password.text(), self.from_keyring)


@dataclass(frozen=True)
class Answer:
    choice: Choice
    password: str = ""
    from_keyring: bool = False


class ConnectingDialog(BusyDialog):
    """正在连接… with a moving bar and 取消, while the probe runs on a worker thread."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, text=tr('正在连接 {0}…').format(what))
        self.setWindowTitle(APP_TITLE)
        self.message.setMinimumWidth(520)
        self.cancel_button.clicked.connect(self.reject)

    def reject(self) -> None:  # noqa: D102 - Esc and 取消 end the wait alike
        QDialog.reject(self)


def wait_for_probe(url: URL, what: str, parent: QWidget | None = None) -> ProbeResult | None:
    """The probe's verdict, or None when the user pressed 取消 (the late verdict is then ignored). The
    probe gives up by itself on a silent server (its connect timeout); the window stays live meanwhile."""
    outcome: list[ProbeResult] = []
    failure: list[BaseException] = []
    loop = QEventLoop()
    dialog = ConnectingDialog(what, parent)
    cancelled = False

    def done(result: ProbeResult) -> None:
        if not cancelled:
            outcome.append(result)
            loop.quit()

    def failed(error: BaseException) -> None:
        if not cancelled:
            failure.append(error)
            loop.quit()

    def cancel() -> None:
        nonlocal cancelled
        cancelled = True
        loop.quit()

    dialog.rejected.connect(cancel)
    show_later = QTimer()
    show_later.setSingleShot(True)
    show_later.timeout.connect(dialog.show)
    show_later.start(BUSY_AFTER_MS)
    run_in_background(lambda _progress: probe(url), done, failed)
    try:
        loop.exec()
    finally:
        show_later.stop()
        dialog.hide()
        dialog.deleteLater()
    if failure:
        raise failure[0]
    return outcome[0] if outcome else None


FailureChoice = Literal["retry", "change", "quit"]


def failure_box(message: str, can_retry: bool, parent: QWidget | None = None) -> FailureChoice:
    box = QMessageBox(QMessageBox.Icon.Warning, tr('无法连接数据库'), message, QMessageBox.StandardButton.NoButton, parent)
    retry = box.addButton(tr('重试'), QMessageBox.ButtonRole.AcceptRole) if can_retry else None
    change = box.addButton(tr('更改连接…'), QMessageBox.ButtonRole.ActionRole)
    box.addButton(tr('退出'), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry or change)
    box.exec()
    clicked = box.clickedButton()
    if retry is not None and clicked is retry:
        return "retry"
    return "change" if clicked is change else "quit"


def _offer_to_store(profile: profiles.ConnectionProfile, password: str, replacing: bool) -> None:
    if replacing:
        question = tr('系统密钥环中保存的旧密码不对。用刚才输入的密码替换它吗？替换后下次启动不再询问。')
        yes, no = tr('替换'), tr('不替换')
    else:
        question = tr('把这个密码保存到系统密钥环吗？保存后下次启动不再询问。')
        yes, no = tr('保存'), tr('不保存')
    if not confirm(None, tr('保存数据库密码'), question, yes=yes, no=no):
        return
    try:
        profiles.store_password(profile, password)
    except profiles.KeyringUnavailable as error:
        inform(None, tr('关于数据库密码'), str(error))


def open_saved(profile: profiles.ConnectionProfile) -> URL | Literal["change"] | None:
    """The URL of the saved database once the probe finds it usable; "change" when the user chose another
    connection (the first-run wizard); None to quit."""
    password: str | None = None
    from_keyring = False
    keyring_state: profiles.KeyringState = "none"
    if profile.kind == "server":
        stored = profiles.read_password(profile)
        keyring_state = stored.state
        if stored.password is not None:
            password, from_keyring = stored.password, True
        else:
            answer = PasswordDialog(
                profile, keyring_reason(stored.state), can_reread=stored.state in ("locked", "unreadable"),
                can_change=True,
            ).answer()
            if answer.choice != "connect":
                return "change" if answer.choice == "change" else None
            password, from_keyring = answer.password, answer.from_keyring
    stored_was_wrong = False
    tries = 0
    while True:
        url = profile.url(password)
        result = wait_for_probe(url, profile.describe())
        if result is None:
            result = ProbeResult("other", tr('已取消连接。可以重试，或者更改连接。'))
        if result.usable_after_init:
            break
        if result.problem == "auth" and profile.kind == "server" and tries < MAX_PASSWORD_TRIES:
            tries += 1
            stored_was_wrong = stored_was_wrong or from_keyring
            why = (
                tr('系统密钥环中保存的密码不对（可能服务器上已改过密码），请输入现在的密码。') if from_keyring
                else f"{result.message}\n{tr('请重新输入密码。')}"
            )
            if tries > 1:
                why += tr('（还可以再试 {0} 次）').format(MAX_PASSWORD_TRIES - tries + 1)
            answer = PasswordDialog(profile, why, can_change=True, warning=True).answer()
            if answer.choice != "connect":
                return "change" if answer.choice == "change" else None
            password, from_keyring = answer.password, answer.from_keyring
            continue
        message = result.message
        if result.problem == "auth" and tries >= MAX_PASSWORD_TRIES:
            message += '\n\n' + tr('已经试了 {0} 次：请向服务器管理员核对用户名和密码，或点“更改连接…”。').format(tries)
        choice = failure_box(message, can_retry=result.problem != "auth")
        if choice == "retry":
            continue
        return "change" if choice == "change" else None
    if profile.kind == "server" and password and not from_keyring:
        if stored_was_wrong:
            _offer_to_store(profile, password, replacing=True)
        elif keyring_state == "none":
            _offer_to_store(profile, password, replacing=False)
    return url
