"""Every piece of UI text goes through tr(), so Qt Linguist can extract it (pyside6-lupdate) and a
translation can be loaded without touching the code. The source language is Simplified Chinese."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

CONTEXT = "GovDesk"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate knows this name
    """Marks text defined at import time (column titles, area names) for extraction; the place that
    shows it calls tr(). Qt's own version is typed as returning object."""
    del context
    return text


# Qt's own catalogue (qtbase_zh_CN.qm) lacks these, so its file dialog read half in English ("&Look in:",
# "Files of &type:"). Keyed by Qt's context and source text.
QT_SUPPLEMENT: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "File name:"): "文件名称：",
    ("QPlatformTheme", "Close without Saving"): "不保存并关闭",
    ("QPlatformTheme", "Don't Save"): "不保存",
}


class QtSupplement(QTranslator):
    """Consulted after Qt's catalogue (installed first, so searched last): only Qt's own contexts."""

    def translate(  # noqa: D102 - QTranslator's
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's null string, "not here": an empty string would be taken as the translation.
        return QT_SUPPLEMENT.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


def qt_translations_folders(qt_folder: str | None = None) -> list[Path]:
    """Where Qt's .qm files may be: Qt's own translations path, PySide6's folder in this environment, and
    PySide6's folder inside a PyInstaller bundle."""
    folders = [Path(qt_folder if qt_folder is not None else QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    import PySide6

    folders.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled:
        folders.append(Path(bundled) / "PySide6" / "Qt" / "translations")
    return folders


def install_qt_translations(app: QCoreApplication, qt_folder: str | None = None) -> list[QTranslator]:
    """Qt's zh_CN catalogue for every standard dialog (file dialog, message box buttons, input dialog),
    from the first folder that has it, and the strings it lacks. Returns what was installed."""
    installed: list[QTranslator] = [QtSupplement(app)]
    app.installTranslator(installed[0])
    for folder in qt_translations_folders(qt_folder):
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", str(folder)):
            app.installTranslator(translator)
            installed.append(translator)
            break
    return installed
