"""An error that no code expected, in the window: the user gets a message box naming the log file, where
the traceback goes, instead of nothing at all.

PySide6 hands an exception that escapes a slot (a button's click, a menu action) to sys.excepthook, whose
default prints the traceback on a console the user never sees; the click then seems to do nothing.
"""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from app.errorlog import record_unexpected
from app.ui.i18n import tr

_showing = False


def unexpected_error_text(path: object) -> str:
    if path is None:
        return tr('程序遇到意外错误，未能完成操作。详细信息无法写入日志文件，请联系系统管理员。')
    return tr('程序遇到意外错误，未能完成操作。您输入的内容没有丢失。\n\n详细信息已写入日志文件：\n{0}\n\n'
              '如果反复出现，请把这个文件交给系统管理员。').format(path)


def show_unexpected(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    """sys.excepthook of the desktop program."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    global _showing
    path = record_unexpected(error.with_traceback(trace), tr("图形界面"))
    if _showing:
        # An error while the box is up (a paint that keeps failing): logged, not stacked box upon box.
        return
    _showing = True
    try:
        box = QMessageBox(
            QMessageBox.Icon.Critical, tr('意外错误'), unexpected_error_text(path), QMessageBox.StandardButton.Ok,
            QApplication.activeWindow(),
        )
        box.exec()
    finally:
        _showing = False


def install_excepthook() -> None:
    sys.excepthook = show_unexpected
