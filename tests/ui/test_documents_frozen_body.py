"""Through the document window: a signed document's files are frozen (添加附件 disabled, saying why), and
退回签发人 at 编号 asks for its reason, sends the document back to the leader who signed, and opens the files
until the leader signs again. Shown at 1366×768, text size 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.core.documents import SIGNED_FILES_MESSAGE
from app.core.errors import WorkflowError
from app.services.documents import outgoing
from app.services.documents import records as documents
from app.ui.documents.window import DocumentWindow
from app.ui.theme import apply_theme
from tests.helpers.document_ui import buttons, click, reviewed_draft, window_for
from tests.helpers.ui import Office

REASON = "附件1名单有误，需更换附件后重新签发"


def _numbering(office: Office) -> int:
    """A document signed by 王县长 and past 复核, waiting at 编号."""
    doc = reviewed_draft(office)
    with office.ctx.uow() as uow:
        outgoing.sign(uow, office.leader, doc, "同意印发")
    with office.ctx.uow() as uow:
        outgoing.recheck(uow, office.clerk, doc, "approve", "手续完备")
    return doc


def _uncut(button: QPushButton) -> None:
    assert button.width() >= button.sizeHint().width(), f"“{button.text()}” is cut: {button.width()}px"


@pytest.fixture(params=["medium", "large"])
def text_size(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, request.param)
    yield request.param
    apply_theme(app, "medium")


def _shoot(window: DocumentWindow, path: Path) -> None:
    window.resize(min(window.sizeHint().width(), 1366), min(window.sizeHint().height(), 768 - 40))
    window.show()
    QApplication.processEvents()
    assert window.width() <= 1366 and window.height() <= 768
    window.grab().save(str(path))


def test_return_to_the_signer_from_the_window(qtbot: QtBot, office: Office, tmp_path: Path, text_size: str) -> None:
    doc = _numbering(office)
    clerk = window_for(qtbot, office, office.clerk, doc)
    offered = buttons(clerk)
    assert {"编号", "退回签发人"} <= set(offered)
    assert not clerk.add_file_button.isEnabled()
    assert clerk.add_file_button.toolTip() == SIGNED_FILES_MESSAGE
    _shoot(clerk, tmp_path / f"frozen-{text_size}.png")
    files_tab = [i for i in range(clerk.tabs.count()) if clerk.tabs.tabText(i) == "正文和附件"]
    clerk.tabs.setCurrentIndex(files_tab[0])
    _shoot(clerk, tmp_path / f"frozen-files-{text_size}.png")
    chart_tab = [i for i in range(clerk.tabs.count()) if clerk.tabs.tabText(i) == "流程图"]
    clerk.tabs.setCurrentIndex(chart_tab[0])
    _shoot(clerk, tmp_path / f"flowchart-{text_size}.png")
    _uncut(offered["退回签发人"])
    _uncut(clerk.add_file_button)

    click(clerk, "退回签发人")  # no reason yet: refused beside the opinion box, still at 编号
    assert "退回签发人的理由" in clerk.opinion_error.text()
    assert "当前环节：编号" in clerk.state_label.text()
    clerk.opinion.insertPlainText(REASON)
    click(clerk, "退回签发人")
    assert "当前环节：签发" in clerk.state_label.text()
    assert clerk.add_file_button.isEnabled() and clerk.add_file_button.toolTip() == ""
    assert buttons(clerk) == {}
    assert any("王县长（待重新签发）" in label.text() for label in clerk.findChildren(QLabel))
    last = clerk.detail.instance.history[-1]  # type: ignore[union-attr]
    assert (last.action_label, last.opinion, last.actor_name) == ("退回签发人", REASON, "张文秘")

    # The office adds the corrected file while it is back at 签发; the signer signs again and it is frozen again.
    clerk.add_file(_file(tmp_path, "正文（改）.docx"))
    leader = window_for(qtbot, office, office.leader, doc)
    assert {"签发", "退回"} <= set(buttons(leader))
    _shoot(leader, tmp_path / f"returned-{text_size}.png")
    leader.opinion.insertPlainText("已核改，同意印发")
    click(leader, "签发")
    clerk.load()
    assert not clerk.add_file_button.isEnabled()
    with office.ctx.uow() as uow, pytest.raises(WorkflowError, match="请退回签发人重新签发"):
        documents.add_file(uow, office.clerk, doc, filename="x.docx", data=b"PK\x03\x04 x", purpose="body")


def _file(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"PK\x03\x04 changed body")
    return path
