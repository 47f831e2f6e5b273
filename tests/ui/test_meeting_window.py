"""The meeting window: its header and facts, the flow's moves for each role (开始签到, 退回筹备 with its reason,
会议结束, 办结, 取消会议 giving the room back), 修改…, its material, the area's tabs refreshing it, and what other
areas open from it (起草会议纪要…). Looked at, at 1366×768, at text size 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.meetings import listing
from app.ui.meetings import window as window_module
from app.ui.meetings.editor import MeetingEditor
from app.ui.meetings.window import MeetingWindow
from app.ui.theme import apply_theme
from tests.helpers.document_office import Office, build_office
from tests.helpers.document_ui import buttons, click
from tests.helpers.meetings_office import add_rooms, new_meeting

DAY = date.today() + timedelta(days=7)
TITLE = "县政府第12次常务会议"


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_office(sqlite_ctx)


@pytest.fixture
def meeting(office: Office) -> int:
    rooms = add_rooms(office)
    return new_meeting(office, rooms["第一会议室"], starts_at=datetime.combine(DAY, datetime.min.time()).replace(hour=9),
                       ends_at=datetime.combine(DAY, datetime.min.time()).replace(hour=11, minute=30))


@pytest.fixture(autouse=True)
def _yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every 确定…吗？ answered yes; what was asked is kept."""
    asked: list[str] = []

    def answer(_parent: QWidget, title: str, *_rest: object) -> bool:
        asked.append(title)
        return True

    monkeypatch.setattr(window_module, "confirm", answer)
    return asked


def _window(qtbot: QtBot, o: Office, who: str, meeting_id: int) -> MeetingWindow:
    window = MeetingWindow(o.ctx, o.people[who], meeting_id)
    qtbot.addWidget(window)
    return window


def _shoot(window: MeetingWindow, name: str, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        window.load()
        window.resize(1366, 768)
        window.show()
        qtbot.wait(50)
        window.grab().save(f"/tmp/meeting-window-{name}-{size}.png")
    apply_theme(app, "medium")


def test_the_organizer_takes_the_meeting_through_its_flow(qtbot: QtBot, office: Office, meeting: int,
                                                         _yes: list[str]) -> None:
    o = office
    window = _window(qtbot, o, "clerk", meeting)
    assert window.windowTitle() == f"会议 会〔{DAY.year}〕1号 — {TITLE}"
    assert "会前筹备" in window.state_label.text()
    facts = " ".join(window.facts.itemAt(i).widget().text()  # type: ignore[union-attr]
                     for i in range(window.facts.count()))
    for fact in ("常务会议", "第一会议室", "陈县长", "09:00—11:30", "张文秘"):
        assert fact in facts
    offered = buttons(window)
    assert {"开始签到", "取消会议", "修改…"} <= set(offered)
    assert "会议结束" not in offered
    tools = [window.tools.itemAt(i).widget().text() for i in range(window.tools.count())]  # type: ignore[union-attr]
    assert "起草会议纪要…" in tools
    _shoot(window, "prepare", qtbot)

    click(window, "开始签到")
    assert _yes == ["开始签到"]
    assert window.info.state == "held" and window.changed
    assert {"会议结束", "退回筹备"} <= set(buttons(window))
    # 退回筹备 asks for its reason under the opinion box, and does nothing without it.
    click(window, "退回筹备")
    assert window.info.state == "held"
    assert "写明原因" in window.opinion_box.error.text()
    window.opinion.setPlainText("会议推迟到下午召开")
    click(window, "退回筹备")
    assert window.info.state == "prepare"
    history = [window.history.item(r, 2).text() for r in range(window.history.rowCount())]  # type: ignore[union-attr]
    assert "退回筹备" in history
    click(window, "开始签到")
    click(window, "会议结束")
    assert window.info.state == "follow_up"
    _shoot(window, "follow-up", qtbot)
    # The director closes it (the plan's tasks may stay undone for a leader).
    director = _window(qtbot, o, "director", meeting)
    click(director, "办结")
    assert director.info.state == "closed"
    assert "已办结" in director.state_label.text() and "修改…" not in buttons(director)


def test_cancelling_gives_the_room_back(qtbot: QtBot, office: Office, meeting: int) -> None:
    o = office
    window = _window(qtbot, o, "director", meeting)
    click(window, "取消会议")
    assert window.info.state == "prepare" and "写明原因" in window.opinion_box.error.text()
    window.opinion.setPlainText("县长另有公务，会议另行安排")
    click(window, "取消会议")
    assert window.info.cancelled and "已取消" in window.state_label.text()
    assert buttons(window) == {}
    with o.ctx.uow() as uow:
        free = listing.meetings_between(uow, o.clerk, DAY, DAY, include_cancelled=False)
    assert free == []


@pytest.mark.parametrize("who", ["liaison_fin", "mayor", "petition"])
def test_those_who_do_not_organize_read_it_only(qtbot: QtBot, office: Office, meeting: int, who: str) -> None:
    window = _window(qtbot, office, who, meeting)
    assert window.info.title == TITLE
    assert buttons(window) == {}
    assert not window.material.add_button.isEnabled()
    tools = [window.tools.itemAt(i).widget().text() for i in range(window.tools.count())]  # type: ignore[union-attr]
    assert "起草会议纪要…" not in tools


def test_a_liaison_of_a_unit_not_attending_cannot_open_it(qtbot: QtBot, office: Office,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    rooms = add_rooms(office)
    start = datetime.combine(DAY, datetime.min.time()).replace(hour=15)
    other = new_meeting(office, rooms["第二会议室"], title="教育工作会", attendees=[], starts_at=start,
                        ends_at=start + timedelta(hours=1))
    shown: list[str] = []
    monkeypatch.setattr("app.ui.widgets.record_window.show_error",
                        lambda _parent, error, *_rest: shown.append(error.message))
    window = MeetingWindow(office.ctx, office.liaison_fin, other)
    qtbot.addWidget(window)
    assert window.detail is None and shown and "不能查看" in shown[0]


def test_changing_the_meeting_in_its_editor(qtbot: QtBot, office: Office, meeting: int,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, office, "clerk", meeting)

    def answer(editor: MeetingEditor) -> int:
        assert editor.title_edit.text() == TITLE and editor.attendee_table.rowCount() == 4
        editor.title_edit.setText("县政府第13次常务会议")
        editor.save()
        return QDialog.DialogCode.Accepted if editor.saved is not None else QDialog.DialogCode.Rejected

    monkeypatch.setattr(MeetingEditor, "exec", answer)
    click(window, "修改…")
    assert window.info.title == "县政府第13次常务会议" and "第13次" in window.title_label.text()
    assert window.changed


def test_material_is_added_to_the_meeting(qtbot: QtBot, office: Office, meeting: int, tmp_path: Path) -> None:
    window = _window(qtbot, office, "clerk", meeting)
    path = tmp_path / "汇报材料.docx"
    path.write_bytes(b"PK\x03\x04 material")
    window.add_file(path, "material")
    assert window.tabs.tabText(window.files_index) == "会议材料（1）"
    found = window.read_file(lambda u: window_module.records.file_data(
        u, office.clerk, window.detail.files[0].id))  # type: ignore[union-attr]
    assert found == ("汇报材料.docx", b"PK\x03\x04 material")


class FakeTab(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.reloads = 0

    def reload(self) -> None:
        self.reloads += 1


def test_an_area_tab_that_changes_the_meeting_refreshes_the_window(
    qtbot: QtBot, office: Office, meeting: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = FakeTab()
    monkeypatch.setattr(window_module, "meeting_tabs", lambda ctx, actor, meeting_id, parent: [("签到", tab)])
    window = _window(qtbot, office, "clerk", meeting)
    assert window.tabs.indexOf(tab) > window.files_index and tab.reloads == 1
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "签到"
    # The tab changed the meeting (another client moved it on meanwhile): the window reads it again; the tab,
    # which has its own, is not read again.
    with office.ctx.uow() as uow:
        window_module.lifecycle.convene(uow, office.clerk2, meeting)
    tab.changed.emit()
    assert window.changed and window.info.state == "held" and tab.reloads == 1
    # A move of the window's own reads the tabs again.
    click(window, "会议结束")
    assert tab.reloads == 2


def test_print_offers_the_forms_the_manifest_declares(qtbot: QtBot, office: Office, meeting: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.areas import FormEntry

    forms = [FormEntry("meeting-notice", "会议通知", "r:n", "l:n"), FormEntry("meeting-sign-in", "签到表", "r:s", "l:s")]
    monkeypatch.setattr(window_module, "record_forms", lambda: forms)
    printed: list[tuple[str, int, str]] = []
    monkeypatch.setattr(MeetingWindow, "print_record",
                        lambda self, name, ident, _title, file_name: printed.append((name, ident, file_name(""))))
    window = _window(qtbot, office, "liaison_fin", meeting)
    assert window.print_menu_button is not None
    menu = window.print_menu_button.menu()
    assert menu is not None and [a.text() for a in menu.actions()] == ["打印会议通知…", "打印签到表…"]
    menu.actions()[1].trigger()
    assert printed == [("meeting-sign-in", meeting, f"签到表-会〔{DAY.year}〕1号.pdf")]
    # With no form declared, no 打印 button.
    monkeypatch.setattr(window_module, "record_forms", lambda: [])
    assert _window(qtbot, office, "clerk", meeting).print_menu_button is None


def test_every_tab_title_shows_whole_at_both_text_sizes(qtbot: QtBot, office: Office, meeting: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    titles = ["议题", "会议方案", "签到", "座次", "议定事项"]
    monkeypatch.setattr(window_module, "meeting_tabs",
                        lambda ctx, actor, meeting_id, parent: [(title, FakeTab()) for title in titles])
    window = _window(qtbot, office, "clerk", meeting)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        for size in ("medium", "large"):
            apply_theme(app, size)
            window.resize(1366, 768)
            window.show()
            qtbot.wait(20)
            bar = window.tabs.tabBar()
            assert bar.sizeHint().width() <= window.tabs.width(), size
            assert [window.tabs.tabText(i) for i in range(window.tabs.count())][4:9] == titles
    finally:
        apply_theme(app, "medium")
    # With room to spare (the shared tabs only) the icons stay.
    monkeypatch.setattr(window_module, "meeting_tabs", lambda ctx, actor, meeting_id, parent: [])
    plain = _window(qtbot, office, "clerk", meeting)
    plain.resize(1366, 768)
    plain.show()
    assert not plain.tabs.tabIcon(0).isNull()


@pytest.mark.parametrize(("who", "form", "text"), [
    ("clerk", "会议通知", TITLE), ("clerk", "签到表", "签到"), ("liaison_fin", "会议通知", TITLE),
])
def test_the_forms_print_from_the_window(qtbot: QtBot, office: Office, meeting: int,
                                         monkeypatch: pytest.MonkeyPatch, who: str, form: str, text: str) -> None:
    """The real forms of the manifest, rendered as the user and read back from the PDF the preview shows."""
    import io

    from pypdf import PdfReader

    from app.ui.widgets.print_preview import PrintPreviewDialog

    shown: list[tuple[str, bytes, str]] = []

    def preview(dialog: PrintPreviewDialog) -> int:
        shown.append((dialog.title, dialog.pdf, dialog.suggested_name))
        return 0

    monkeypatch.setattr(PrintPreviewDialog, "exec", preview)
    window = _window(qtbot, office, who, meeting)
    assert window.print_menu_button is not None
    menu = window.print_menu_button.menu()
    assert menu is not None
    labels = [a.text() for a in menu.actions()]
    assert labels == ["打印会议通知…", "打印签到表…", "打印座次图…", "打印会议方案…"]
    menu.actions()[labels.index(f"打印{form}…")].trigger()
    [(title, pdf, name)] = shown
    assert title == form and name == f"{form}-会〔{DAY.year}〕1号.pdf"
    words = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert text in words.replace(" ", "")
