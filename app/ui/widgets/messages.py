"""Telling the user what went wrong, in Chinese, with what to do about it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.errors import GovDeskError, WorkCancelled
from app.ui.i18n import tr
from app.ui.session_end import announce_if_ended


def describe_error(error: BaseException) -> str:
    if isinstance(error, GovDeskError):
        return error.message
    from app.db.faults import user_error

    # A driver's or the network's complaint, in whatever wrapping it arrived: said in Chinese, by kind.
    known = user_error(error)
    if known is not None:
        return known.message
    return tr('程序遇到意外错误：{0}。您输入的内容没有丢失，请重试；如果反复出现，请联系系统管理员。').format(error)


def show_error(parent: QWidget | None, error: BaseException, title: str = tr('无法完成操作')) -> None:
    if isinstance(error, WorkCancelled):
        # The user stopped waiting, or chose what to do with their input in db_call's dialog: said already.
        return
    if announce_if_ended(error):
        # The main window says it, once, and goes back to the login.
        return
    box = QMessageBox(QMessageBox.Icon.Warning, title, describe_error(error), QMessageBox.StandardButton.Ok, parent)
    details = getattr(error, "formatted_traceback", None)
    if details and not isinstance(error, GovDeskError):
        box.setDetailedText(details)
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str, yes: str = tr('确定'), no: str = tr('取消')) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes_button


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)
