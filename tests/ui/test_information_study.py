"""The 学习 tab (app.ui.information.study_tab): a term made, the rotation generated, an absence entered and the
rotation remade (asked first, the held session kept), a session recorded with its attendance, and the rotation
printed to the preview as a PDF that reads back; a member of a writing group reads but does not manage. The tab
and its dialogs at 中 and 大 on a 1366×768 screen, saved to /tmp/shots-study/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.information import study
from app.ui import information
from app.ui.information import study_tab
from app.ui.information.study_dialogs import AbsencesDialog, RecordDialog, TermDialog
from app.ui.information.study_tab import StudyTab
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from app.ui.widgets.print_preview import PrintPreviewDialog
from app.ui.widgets.qt_helpers import to_qdate
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office
from tests.helpers.layout_check import layout_problems
from tests.helpers.pdfcheck import compact, page_text

SHOTS = Path("/tmp/shots-study")
# What the 信息调研 page leaves beside the navigation pane on a 1366×768 screen.
PAGE_WIDTH = 1366 - 220
FIRST_DAY = date(2026, 9, 1)
assert information is not None


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_information_office(sqlite_ctx)


def _shoot(widget: QWidget, name: str, qtbot: QtBot, size: tuple[int, int] | None = None) -> None:
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for text_size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, text_size)
        if size is not None:
            widget.resize(*size)
        else:
            widget.adjustSize()
        widget.show()
        qtbot.wait(50)
        assert layout_problems(widget, SHOTS / f"{name}-{text_size}.png") == [], text_size
    apply_theme(app, "medium")


def _texts(tab: StudyTab, column: int) -> list[str]:
    items = [tab.table.item(row, column) for row in range(tab.table.rowCount())]
    return [item.text() if item is not None else "" for item in items]


def test_a_term_made_generated_recorded_and_printed(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch,
) -> None:
    o = office
    tab = StudyTab(o.ctx, o.clerk, prefs)
    qtbot.addWidget(tab)
    tab.today = lambda: FIRST_DAY
    tab.refresh()
    assert tab.stack.currentWidget() is tab.empty and "新建学期" in tab.empty.text()
    assert not tab.generate_button.isEnabled() and not tab.print_button.isEnabled()

    # 新建学期…: the half-year is suggested; the topics are typed one a line.
    def fill_term(dialog: TermDialog) -> int:
        assert dialog.name.text() == "2026年下半年"
        dialog.topics.setPlainText("案例解剖\n公文写作常识\n\n文件政策解读")
        _shoot(dialog, "term-dialog", qtbot)
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(TermDialog, "exec", fill_term)
    tab.new_button.click()
    assert tab.picker.count() == 1 and "2026年下半年" in tab.picker.currentText()
    assert "国庆节放假" in tab.summary.text() and "案例解剖、公文写作常识、文件政策解读" in tab.summary.text()
    assert "生成轮讲安排" in tab.empty.text()

    # 生成轮讲安排: the first time nothing is remade, so nothing is asked.
    asked: list[str] = []

    def answer(_parent: QWidget, _title: str, text: str, *_buttons: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(study_tab, "confirm", answer)
    tab.generate_button.click()
    assert asked == []
    dates = _texts(tab, 0)
    assert dates[0] == "2026年9月7日（周一）" and "2026年10月5日（周一）" not in dates
    assert set(_texts(tab, 1)) == {"张文秘", "孙接待", "赵文秘", "钱会计"}
    assert _texts(tab, 2)[:3] == ["案例解剖", "公文写作常识", "文件政策解读"]
    first_presenter = _texts(tab, 1)[0]

    # A session held is recorded: one absent with a note.
    tab.today = lambda: date(2026, 9, 7)
    tab.refresh()
    tab.table.selectRow(0)
    assert tab.record_button.isEnabled()

    def fill_record(dialog: RecordDialog) -> int:
        assert [tick.text() for _u, tick, _n in dialog.attendance] == ["张文秘", "孙接待", "赵文秘", "钱会计"]
        assert all(tick.isChecked() for _u, tick, _n in dialog.attendance)
        dialog.subject.setText("学习《党政机关公文格式》国家标准")
        dialog.notes.setPlainText("一、版头要素\n二、主体要素")
        absent = next((u, t, n) for u, t, n in dialog.attendance if t.text() != first_presenter)
        absent[1].setChecked(False)
        absent[2].setText("下乡调研")
        _shoot(dialog, "record-dialog", qtbot)
        dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(RecordDialog, "exec", fill_record)
    tab.record_button.click()
    assert _texts(tab, 3)[0] == "已记录（3人出席）"
    held = o.run(study.session_detail, o.clerk, tab.term.sessions[0].id if tab.term else 0)
    assert held.subject == "学习《党政机关公文格式》国家标准" and held.present_count == 3
    assert [(a.present, a.note) for a in held.attendance if not a.present] == [(False, "下乡调研")]

    # An absence, and the rotation remade: asked first, the recorded session kept.
    def add_absence(dialog: AbsencesDialog) -> int:
        dialog.person.setCurrentIndex(dialog.person.findText("赵文秘"))
        dialog.away_on.setDate(to_qdate(date(2026, 9, 14)))
        dialog.reason.setText("出差")
        dialog.add()
        assert dialog.table.rowCount() == 1
        _shoot(dialog, "absences-dialog", qtbot)
        return 0

    monkeypatch.setattr(AbsencesDialog, "exec", add_absence)
    tab.absence_button.click()
    assert "请重新生成轮讲安排" in tab.summary.text()
    tab.today = lambda: date(2026, 9, 8)
    tab.generate_button.click()
    assert len(asked) == 1 and "已举行和已记录的学习保留不变" in asked[0]
    assert _texts(tab, 3)[0] == "已记录（3人出席）" and _texts(tab, 1)[0] == first_presenter
    on_14th = _texts(tab, 1)[_texts(tab, 0).index("2026年9月14日（周一）")]
    assert on_14th != "赵文秘"
    _shoot(tab, "study-tab", qtbot, (PAGE_WIDTH, 600))

    # 打印轮讲表…: the preview gets the PDF.
    shown: list[tuple[str, bytes]] = []

    def preview(dialog: PrintPreviewDialog) -> int:
        shown.append((dialog.windowTitle(), dialog.pdf))
        return 0

    monkeypatch.setattr(PrintPreviewDialog, "exec", preview)
    tab.print_button.click()
    ((title, pdf),) = shown
    assert "2026年下半年周一学习轮讲安排表" in title
    text = compact(page_text(pdf))
    for words in ("2026年下半年周一学习轮讲安排表", "2026年9月7日（周一）", first_presenter, "国庆节放假，暂停一次",
                  "赵文秘出差", "青山县人民政府办公室"):
        assert words in text, words


def test_a_member_reads_but_does_not_manage(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch,
) -> None:
    o = office
    term = o.run(study.create_term, o.clerk, name="2026年下半年", starts_on=date(2026, 7, 1),
                 ends_on=date(2026, 12, 31), topics=["案例解剖"])
    made = o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 7, 1))
    o.run(study.record_session, o.clerk, made.sessions[0].id, subject="案例解剖", notes="",
          attendance=[study.Attendance(int(o.petition.id or 0))], today=date(2026, 12, 31))
    tab = StudyTab(o.ctx, o.petition, prefs)
    qtbot.addWidget(tab)
    tab.refresh()
    assert not tab.new_button.isVisibleTo(tab) and not tab.generate_button.isVisibleTo(tab)
    assert tab.record_button.text() == "查看记录…" and tab.print_button.isEnabled()
    tab.table.selectRow(1)
    assert not tab.record_button.isEnabled()
    tab.table.selectRow(0)
    assert tab.record_button.isEnabled()
    opened: list[RecordDialog] = []

    def look(dialog: RecordDialog) -> int:
        opened.append(dialog)
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(RecordDialog, "exec", look)
    tab.record_button.click()
    (dialog,) = opened
    assert not dialog.editable and not dialog.subject.isEnabled() and dialog.subject.text() == "案例解剖"


def test_an_outsider_is_told_and_sees_nothing(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch,
) -> None:
    told: list[str] = []
    monkeypatch.setattr(study_tab, "show_error", lambda _p, error, *_a: told.append(str(error)))
    tab = StudyTab(office.ctx, office.cashier, prefs)
    qtbot.addWidget(tab)
    tab.refresh()
    assert told and "信息组成员" in told[0]
    assert tab.stack.currentWidget() is tab.empty and tab.table.rowCount() == 0
