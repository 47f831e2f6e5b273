"""生成正式公文 from the document window: offered to the office from 印制 on and to nobody else; the dialog shows the
defaults and what cannot be kept, refuses a bad 份号 beside it, typesets, keeps the PDF with the document and
shows it with the 印制份数 as copies; 另存为Word writes a .docx that opens; a body that cannot be read is replaced
by typed text; the dialog looked at in 1366×768 at 中 and 大; at 归档 the 件's files are exported in order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import AppContext
from app.models import Attachment
from app.services.documents import records as documents
from app.ui.documents import official_dialog as dialog_module
from app.ui.documents import window as window_module
from app.ui.documents.official_dialog import OfficialDialog
from app.ui.documents.window import DocumentWindow
from app.ui.theme import apply_theme
from app.ui.widgets import print_preview
from tests.helpers.document_office import Office, advance_outgoing, build_office, new_draft
from tests.helpers.docx_bodies import paragraphs as docx_paragraphs
from tests.helpers.layout_check import layout_problems
from tests.helpers.pdfcheck import compact, page_text

SHOTS = Path("/tmp/shots-official")
TITLE = "关于做好冬季森林防火工作的通知"


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_office(sqlite_ctx)


def at_print(o: Office, body: tuple[str, bytes] | None = None) -> int:
    doc = new_draft(o, body=body or ("正文.docx", docx_paragraphs(
        "当前已进入森林防火紧要期，现就有关事项通知如下：", "一、压实防火责任", "各乡镇要落实网格化管理。")))
    o.run(documents.add_file, o.clerk, doc, filename="附件1 扑火预案.pdf", data=b"%PDF-1.4 plan")
    advance_outgoing(o, doc, "print")
    return doc


def offered(window: DocumentWindow) -> list[str]:
    return [b.text() for b in window.actions_row.buttons()]


def open_window(qtbot: QtBot, o: Office, who: str, doc: int) -> DocumentWindow:
    window = DocumentWindow(o.ctx, o.people[who], doc)
    qtbot.addWidget(window)
    return window


def kept(o: Office, doc: int) -> list[bytes]:
    with o.ctx.uow() as uow:
        return list(uow.session.execute(select(Attachment.data).where(
            Attachment.owner_type == "document", Attachment.owner_id == doc, Attachment.purpose == "typeset")).scalars())


def test_the_clerk_typesets_previews_keeps_and_saves_word(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    o = office
    doc = at_print(o)
    window = open_window(qtbot, o, "clerk", doc)
    assert "生成正式公文…" in offered(window)
    shown: list[OfficialDialog] = []
    monkeypatch.setattr(OfficialDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    next(b for b in window.actions_row.buttons() if b.text() == "生成正式公文…").click()
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert dialog.layout_choice.currentData() == "down" and dialog.mark.text() == "青山县人民政府办公室文件"
    assert dialog.note.text() == "此件公开发布" and dialog.signers.isHidden() and dialog.present.isHidden()
    assert "附件1“扑火预案”不是可排版的Word文档" in dialog.warnings.text() and dialog.warnings.isVisibleTo(dialog)

    # A 份号 of the wrong length is refused beside the field, and nothing is typeset.
    dialog.copy_number.setText("12")
    previews: list[tuple[bytes, int]] = []
    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec",
                        lambda d: previews.append((d.pdf, d.copies)) or 0)
    dialog.preview_button.click()
    assert dialog.form.error_text("copy_number") == "份号为6位阿拉伯数字，如 000001"
    assert previews == [] and kept(o, doc) == []

    assert dialog.copies.value() == 30, "no 印制份数 yet at 印制: the office's usual"
    dialog.copies.setValue(0)
    dialog.preview_button.click()
    assert "印制份数" in dialog.form.error_text("copies") and previews == []
    dialog.copies.setValue(60)
    dialog.copy_number.setText("000001")
    dialog.preview_button.click()
    ((pdf, copies),) = previews
    assert copies == 60, "the 印制份数 goes to the printer"
    text = compact(page_text(pdf))
    for words in ("000001", "青山县人民政府办公室文件", "县政办发〔2026〕1号", TITLE, "一、压实防火责任", "此件公开发布"):
        assert compact(words) in text, words
    assert kept(o, doc) == [pdf], "the typeset PDF is kept with the document"

    target = tmp_path / "正式公文.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert dialog.save_word() == target
    written = docx.Document(str(target))
    assert any("一、压实防火责任" in p.text for p in written.paragraphs)
    dialog.close()


def test_an_upward_document_asks_for_its_signer(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    doc = at_print(o)
    dialog = dialog_module.open_official_dialog(o.ctx, o.clerk, doc, None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.layout_choice.setCurrentIndex(dialog.layout_choice.findData("up"))
    assert not dialog.signers.isHidden() and dialog.signers.text() == o.mayor.full_name
    dialog.signers.clear()
    assert dialog.chosen() is None
    assert dialog.form.error_text("signers") == "上行文应标注签发人，请填写签发人姓名"
    dialog.signers.setText("陈建国")
    data = dialog.chosen()
    assert data is not None and (data.layout, data.signers) == ("up", ("陈建国",))
    dialog.layout_choice.setCurrentIndex(dialog.layout_choice.findData("minutes"))
    dialog.present.setText("陈建国、李华")
    data = dialog.chosen()
    assert data is not None and data.minutes_people.present == "陈建国、李华" and not data.sealed


def test_a_body_that_cannot_be_read_is_typed_instead(qtbot: QtBot, office: Office,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    doc = at_print(o, ("正文.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 wps body"))
    dialog = dialog_module.open_official_dialog(o.ctx, o.clerk, doc, None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert "另存为" in dialog.body_hint.text(), "how to save it as .docx, said in the dialog"
    assert dialog.chosen() is None and "另存为" in dialog.form.error_text("body")
    dialog.body_text.setPlainText("一、压实防火责任\n各乡镇要落实网格化管理。")
    data = dialog.chosen()
    assert data is not None
    assert [(p.text, p.level) for p in data.body.paragraphs] == [("一、压实防火责任", 1), ("各乡镇要落实网格化管理。", 0)]


@pytest.mark.parametrize("who", ["mayor", "vice", "finance"])
def test_nobody_outside_the_office_is_offered_it(qtbot: QtBot, office: Office, who: str) -> None:
    """County leaders and other staff see the document, not the typesetting (the service refuses it too)."""
    o = office
    doc = at_print(o)
    assert "生成正式公文…" not in offered(open_window(qtbot, o, who, doc))


def test_before_printing_it_is_not_offered(qtbot: QtBot, office: Office) -> None:
    o = office
    doc = new_draft(o)
    advance_outgoing(o, doc, "number")
    assert "生成正式公文…" not in offered(open_window(qtbot, o, "clerk", doc))


def test_at_archiving_the_files_are_exported_in_filing_order(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    o = office
    doc = at_print(o)
    advance_outgoing(o, doc, "archive")
    window = open_window(qtbot, o, "clerk", doc)
    assert not window.archive_files_button.isHidden()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    told: list[str] = []
    monkeypatch.setattr(window_module, "inform", lambda _p, _t, text: told.append(text))
    folder = window.export_archive_files()
    assert folder is not None and told and "3个文件" in told[0]
    assert sorted(p.name for p in folder.iterdir()) == ["01-发文稿纸.pdf", "02-定稿-正文.docx", "03-附件-附件1 扑火预案.pdf"]
    assert open_window(qtbot, o, "mayor", doc).archive_files_button.isHidden()


def test_the_dialog_at_1366_by_768(qtbot: QtBot, office: Office) -> None:
    o = office
    doc = at_print(o)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    SHOTS.mkdir(exist_ok=True)
    try:
        for size in ("medium", "large"):
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            apply_theme(app, size)
            dialog = dialog_module.open_official_dialog(o.ctx, o.clerk, doc, None)
            assert dialog is not None
            qtbot.addWidget(dialog)
            dialog.show()
            assert dialog.width() <= 1366 and dialog.height() <= 768
            assert layout_problems(dialog, SHOTS / f"official-dialog-{size}.png") == [], size
            dialog.close()
    finally:
        apply_theme(app, "medium")
