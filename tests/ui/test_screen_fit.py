"""Every main window and dialog on the office laptop (1366×768), at text size 中 and 大: it opens within the
screen with room for its title bar, and no label, date box or 文号/date cell is cut. The screenshots are
kept in the test's temporary folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.claims import LineInput
from app.models import Document
from app.services.claims import records as claims
from app.services.documents import incoming, outgoing
from app.services.workflow import moves as workflow
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from tests.helpers.layout_check import layout_problems
from tests.helpers.ui import Office

SIZES = ["medium", "large"]
# Long real ones: a city body's 文号, a 县政府办公室 文号, a 收文编号 of four digits.
SOURCE_NUMBER = "江州市人民政府办公室发〔2026〕123号"
DOC_NUMBER = "县政办发〔2026〕128号"
RECEIPT_NUMBER = "收〔2026〕1024号"


@dataclass
class Records:
    outgoing_id: int
    incoming_id: int
    claim_id: int
    item_instance_id: int


@pytest.fixture
def records(office: Office) -> Records:
    with office.ctx.uow() as uow:
        out = outgoing.create_draft(
            uow, office.clerk, title="关于做好2027年元旦春节期间安全生产工作的通知", doc_type="通知", disclosure="主动公开"
        )
    with office.ctx.uow() as uow:
        into = incoming.create_incoming(
            uow, office.clerk, title="关于开展2026年度安全生产大检查的通知", source_unit="江州市人民政府办公室",
            source_number=SOURCE_NUMBER,
        )
    with office.ctx.uow() as uow:
        # Numbers as the flow gives them later on: what matters here is how long they are.
        uow.session.get(Document, out.id).doc_number = DOC_NUMBER  # type: ignore[union-attr]
        uow.session.get(Document, into.id).receipt_number = RECEIPT_NUMBER  # type: ignore[union-attr]
        uow.commit()
    with office.ctx.uow() as uow:
        claim = claims.create_claim(
            uow, office.clerk,
            claims.ClaimInput(office.unit_id, date.today(), [LineInput("赴市里参加培训的交通费", "差旅费", "860")], 2),
            submit=True,
        )
    with office.ctx.uow() as uow:
        item = workflow.start(uow, office.clerk, flow_key="outgoing_document", entity_type="item",
                              title="关于报送2026年工作总结的通知", today=date.today())
        uow.commit()
        item_id = item.id
    return Records(out.id, into.id, claim.id, item_id)


@pytest.fixture(params=SIZES)
def text_size(request: pytest.FixtureRequest, qapp: QApplication, prefs: Prefs) -> Iterator[str]:
    prefs.text_size = request.param
    apply_theme(qapp, request.param)
    yield request.param
    apply_theme(qapp, "medium")


def check(qtbot: QtBot, tmp_path: Path, name: str, window: QWidget, before: Callable[[], None] | None = None) -> list[str]:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    if before is not None:
        before()
    return [f"{name}: {p}" for p in layout_problems(window, tmp_path / f"{name}.png")]


def wait_for_rows(qtbot: QtBot, page: object) -> None:
    model = page.table.model  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)


def test_main_window_pages(qtbot: QtBot, office: Office, records: Records, prefs: Prefs, text_size: str,
                           tmp_path: Path) -> None:
    from app.ui.main_window import MainWindow
    from app.ui.workbench.page import WorkbenchPage

    window = MainWindow(office.ctx, office.clerk, prefs)
    problems = check(qtbot, tmp_path, f"workbench-{text_size}", window,
                     lambda: qtbot.waitUntil(lambda: isinstance(window.current_page, WorkbenchPage)
                                             and window.current_page.result is not None, timeout=10_000))
    window.show_area("documents")
    documents = window.pages["documents"]
    wait_for_rows(qtbot, documents.outgoing)  # type: ignore[attr-defined]
    problems += check(qtbot, tmp_path, f"documents-outgoing-{text_size}", window)
    documents.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    wait_for_rows(qtbot, documents.incoming)  # type: ignore[attr-defined]
    problems += check(qtbot, tmp_path, f"documents-incoming-{text_size}", window)
    window.show_area("reimbursement")
    problems += check(qtbot, tmp_path, f"claims-{text_size}", window)
    assert not problems, "\n".join(problems)


def test_administration_pages(qtbot: QtBot, office: Office, prefs: Prefs, text_size: str, tmp_path: Path) -> None:
    from app.ui.main_window import MainWindow

    window = MainWindow(office.ctx, office.admin, prefs)
    window.show_area("admin")
    page = window.pages["admin"]
    problems = []
    for index in range(page.tabs.count()):  # type: ignore[attr-defined]
        page.tabs.setCurrentIndex(index)  # type: ignore[attr-defined]
        problems += check(qtbot, tmp_path, f"admin-{index}-{text_size}", window)
    assert not problems, "\n".join(problems)


def test_record_windows(qtbot: QtBot, office: Office, records: Records, prefs: Prefs, text_size: str,
                        tmp_path: Path) -> None:
    from app.ui.claims.editor import ClaimEditor
    from app.ui.claims.flowchart_window import FlowchartWindow
    from app.ui.claims.window import ClaimWindow
    from app.ui.documents.window import DocumentWindow
    from app.ui.workbench.record_dialog import RecordDialog

    problems = check(qtbot, tmp_path, f"document-out-{text_size}",
                     DocumentWindow(office.ctx, office.clerk, records.outgoing_id))
    problems += check(qtbot, tmp_path, f"document-in-{text_size}",
                      DocumentWindow(office.ctx, office.clerk, records.incoming_id))
    problems += check(qtbot, tmp_path, f"claim-{text_size}", ClaimWindow(office.ctx, office.lead, records.claim_id))
    problems += check(qtbot, tmp_path, f"claim-editor-{text_size}", ClaimEditor(office.ctx, office.clerk))
    problems += check(qtbot, tmp_path, f"claim-flowchart-{text_size}",
                      FlowchartWindow(office.ctx, office.lead, records.claim_id, prefs=prefs))
    problems += check(qtbot, tmp_path, f"record-{text_size}",
                      RecordDialog(office.ctx, office.clerk, records.item_instance_id))
    assert not problems, "\n".join(problems)


def test_dialogs(qtbot: QtBot, office: Office, prefs: Prefs, text_size: str, tmp_path: Path) -> None:
    from app.printing.kit.urge_slip import UrgeSlipData, render_urge_slip
    from app.services.admin import users as admin
    from app.ui.admin.units import UnitDialog
    from app.ui.admin.users import UserDialog
    from app.ui.documents.draft_dialog import DraftDialog
    from app.ui.documents.incoming_dialog import IncomingDialog
    from app.ui.login import LoginDialog
    from app.ui.widgets.conflict import ConflictDialog
    from app.ui.widgets.print_preview import PrintPreviewDialog
    from app.ui.wizard import FirstRunWizard

    pdf = render_urge_slip(UrgeSlipData(
        office_name="青山县人民政府办公室", serial="催〔2026〕3号", item_title="关于报送年度总结的通知",
        item_kind="收文办理", current_step="承办", responsible_unit="县财政局", responsible_person="李明",
        due_date=date(2026, 11, 20), overdue_days=9, urged_at=__import__("datetime").datetime(2026, 11, 29, 9, 30).astimezone(),
        urged_by="蔡伟健", method="电话", note="请两日内办结",
    ))
    with office.ctx.uow() as uow:
        units, users = admin.list_units(uow, office.admin), admin.list_users(uow, office.admin)
    problems = check(qtbot, tmp_path, f"print-preview-{text_size}", PrintPreviewDialog("催办单", pdf))
    problems += check(qtbot, tmp_path, f"draft-{text_size}", DraftDialog(office.ctx, office.clerk))
    problems += check(qtbot, tmp_path, f"incoming-{text_size}", IncomingDialog(office.ctx, office.clerk))
    problems += check(qtbot, tmp_path, f"login-{text_size}", LoginDialog(office.ctx, prefs))
    problems += check(qtbot, tmp_path, f"wizard-{text_size}", FirstRunWizard())
    problems += check(qtbot, tmp_path, f"user-{text_size}", UserDialog(office.ctx, office.admin, None))
    problems += check(qtbot, tmp_path, f"unit-{text_size}", UnitDialog(
        office.ctx, office.admin, None, units, users))
    problems += check(qtbot, tmp_path, f"conflict-{text_size}", ConflictDialog(
        "该记录已被其他人修改，请重新载入后再保存", {"title": "科员"}, {"title": "副科长"}, {"title": "职务"}))
    assert not problems, "\n".join(problems)


def test_a_window_larger_than_the_screen_is_clamped_and_centred(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QDialog

    from app.ui.widgets.screen import FRAME_ALLOWANCE, fit_to_screen

    window = QDialog()
    qtbot.addWidget(window)
    assert fit_to_screen(window, (1600, 1000), (1200, 900))
    screen = QGuiApplication.primaryScreen().availableGeometry()
    room = screen.marginsRemoved(FRAME_ALLOWANCE)
    assert (window.width(), window.height()) == (room.width(), room.height())
    assert (window.minimumWidth(), window.minimumHeight()) == (1200, room.height())
    assert not fit_to_screen(QDialog(), (800, 600))
    window.show()
    qtbot.waitExposed(window)
    # Centred with its frame (the offscreen platform draws none, so its contents sit where the frame would).
    assert screen.contains(window.geometry())
    assert abs(window.geometry().center().x() - screen.center().x()) <= FRAME_ALLOWANCE.left()


def test_a_dialog_sized_by_its_contents_is_brought_within_the_screen(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QDialog

    from app.ui.widgets.screen import FRAME_ALLOWANCE, fit_when_shown

    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setMinimumSize(700, 900)
    dialog.move(900, 300)
    fit_when_shown(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    room = screen.marginsRemoved(FRAME_ALLOWANCE)
    assert screen.contains(dialog.geometry()), (dialog.geometry(), screen)
    assert dialog.height() <= room.height() and dialog.minimumHeight() <= room.height()


def test_a_new_text_size_widens_the_number_and_date_columns(qtbot: QtBot, office: Office, records: Records,
                                                             prefs: Prefs, qapp: QApplication) -> None:
    """查看 → 文字大小 → 大 while the 收文 list is open: its 文号 and dates stay whole."""
    from app.ui.main_window import MainWindow
    from tests.helpers.layout_check import cut_cells

    window = MainWindow(office.ctx, office.clerk, prefs)
    qtbot.addWidget(window)
    window.show()
    window.show_area("documents")
    documents = window.pages["documents"]
    documents.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    wait_for_rows(qtbot, documents.incoming)  # type: ignore[attr-defined]
    assert cut_cells(window) == []
    try:
        window.set_text_size("large")
        qtbot.waitUntil(lambda: cut_cells(window) == [], timeout=3000)
    finally:
        apply_theme(qapp, "medium")
