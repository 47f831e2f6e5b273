"""Qt's standard dialogs read Chinese: Qt's own zh_CN catalogue is loaded (also from a PyInstaller bundle),
and the strings it lacks are supplied."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.i18n import install_qt_translations, qt_translations_folders

LATIN_WORD = re.compile("[A-Za-z]{2,}")


def test_standard_buttons_read_chinese() -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in box.buttons()) == sorted(["打开", "取消"])
    message = QMessageBox(QMessageBox.Icon.Question, "确认", "现在升级吗？",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert sorted(b.text() for b in message.buttons()) == sorted(["是(&Y)", "否(&N)"])


@pytest.mark.parametrize("mode", [QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave])
def test_the_file_dialog_has_no_english_left(qtbot: QtBot, mode: QFileDialog.AcceptMode, tmp_path: Path) -> None:
    # Qt's own dialog, as on a Linux desktop without a native one (Windows shows its own, in Chinese).
    dialog = QFileDialog(None, "另存为", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(mode)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    texts += [button.text() for button in dialog.findChildren(QAbstractButton)]
    texts += [button.toolTip() for button in dialog.findChildren(QAbstractButton)]
    english = [text for text in texts if LATIN_WORD.search(text)]
    assert english == []
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts


def test_the_catalogue_is_found_inside_a_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                qapp: QApplication) -> None:
    """In a PyInstaller bundle Qt's translations path may not be where Qt looks: the catalogue is then read
    from PySide6's folder in the bundle."""
    shipped = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_zh_CN.qm"
    bundle = tmp_path / "bundle"
    (bundle / "PySide6" / "Qt" / "translations").mkdir(parents=True)
    shutil.copy(shipped, bundle / "PySide6" / "Qt" / "translations" / "qtbase_zh_CN.qm")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    nowhere = str(tmp_path / "not-there")
    assert qt_translations_folders(nowhere)[-1] == bundle / "PySide6" / "Qt" / "translations"

    # A fresh application state: only what this call installs.
    for translator in install_qt_translations(qapp, nowhere):
        qapp.removeTranslator(translator)
    import PySide6

    monkeypatch.setattr(PySide6, "__file__", str(tmp_path / "elsewhere" / "__init__.py"))
    installed = install_qt_translations(qapp, nowhere)
    try:
        assert len(installed) == 2, "Qt's catalogue was not found in the bundle"
        assert installed[1].translate("QPlatformTheme", "Cancel") == "取消"
        assert QCoreApplication.translate("QFileDialog", "Files of &type:") == "文件类型(&T)："
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)


def test_our_own_text_is_left_as_it_is() -> None:
    """The supplement answers only for Qt's missing strings: for anything else it says “not here”, and an
    empty answer would blank every label of the program."""
    from app.ui.i18n import tr

    assert tr("共 {0} 条") == "共 {0} 条"
    assert tr("、") == "、"
    assert QCoreApplication.translate("QFileDialog", "no such text") == "no such text"
