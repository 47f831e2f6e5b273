"""会议纪要 (app.services.documents.minutes): a meeting's minutes start as a 纪要 draft of the 发文 flow, linked
to the meeting both ways in one transaction, by the office's 文秘 and leaders; and the dialog the meeting's window
opens for it (the documents manifest's opened_from["meeting"])."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.core.areas import openers_from, resolve
from app.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from app.services.documents import minutes, outgoing
from app.services.documents import records as documents
from app.services.documents.minutes import minutes_title
from app.services.meetings import lifecycle
from app.services.workflow import links
from app.ui.documents.minutes_dialog import MinutesDraftDialog
from tests.helpers.document_office import BODY, TODAY, Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, new_meeting

OFFICE_STAFF = ["clerk", "clerk2", "director", "deputy"]
OTHERS = ["petition", "finance", "mayor", "liaison_fin", "admin"]
TITLE = "县政府第12次常务会议纪要"


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _held(o: Office) -> int:
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    o.run(lifecycle.convene, o.clerk, meeting, today=TODAY)
    o.run(lifecycle.conclude, o.clerk, meeting, today=TODAY)
    return meeting


@pytest.mark.parametrize("who", OFFICE_STAFF)
def test_the_office_drafts_the_minutes_as_a_linked_outgoing_draft(office: Office, who: str) -> None:
    meeting = _held(office)
    draft = office.run(minutes.draft_minutes, office.people[who], ("meeting", meeting), TITLE,
                       main_recipients="县政府各部门", body=BODY, today=TODAY)
    assert (draft.doc_type, draft.title, draft.direction) == ("纪要", TITLE, "out")
    assert office.run(documents.get_document, office.people[who], draft.id).document.state == "draft"
    from_meeting = office.run(links.links_of, office.clerk, "meeting", meeting).records
    assert [(r.kind_label, r.entity_type, r.entity_id, r.state_label) for r in from_meeting] == [
        ("会议纪要", "document", draft.id, "拟稿")]
    from_draft = office.run(links.links_of, office.clerk, "document", draft.id).records
    assert [(r.kind_label, r.entity_type, r.entity_id) for r in from_draft] == [("来源会议", "meeting", meeting)]
    # It goes on through the 发文 flow like any draft.
    office.run(outgoing.submit, office.people[who], draft.id, today=TODAY)


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_drafts_the_minutes(office: Office, who: str) -> None:
    meeting = _held(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        office.run(minutes.draft_minutes, office.people[who], ("meeting", meeting), TITLE, today=TODAY)
    assert counts(office.ctx) == before


def test_a_bad_draft_leaves_neither_document_nor_link(office: Office) -> None:
    meeting = _held(office)
    before = counts(office.ctx)
    with pytest.raises(ValidationError):
        office.run(minutes.draft_minutes, office.clerk, ("meeting", meeting), TITLE, disclosure="不予公开",
                   today=TODAY)
    with pytest.raises(ValidationError, match="请填写"):
        office.run(minutes.draft_minutes, office.clerk, ("meeting", meeting), "  ", today=TODAY)
    with pytest.raises(NotFound):
        office.run(minutes.draft_minutes, office.clerk, ("meeting", 99999), TITLE, today=TODAY)
    assert counts(office.ctx) == before
    assert office.run(links.links_of, office.clerk, "meeting", meeting).records == []


def test_minutes_wait_for_the_meeting_to_be_held(office: Office) -> None:
    rooms = add_rooms(office)
    coming = new_meeting(office, rooms["第一会议室"])
    cancelled = new_meeting(office, rooms["第二会议室"], title="教育工作会")
    office.run(lifecycle.cancel_meeting, office.director, cancelled, "上级会议冲突", today=TODAY)
    before = counts(office.ctx)
    for meeting in (coming, cancelled):
        with pytest.raises(WorkflowError, match="会议尚未召开或已取消"):
            office.run(minutes.draft_minutes, office.clerk, ("meeting", meeting), TITLE, today=TODAY)
    with pytest.raises(ValidationError, match="只能从会议起草"):
        office.run(minutes.draft_minutes, office.clerk, ("document", 1), TITLE, today=TODAY)
    assert counts(office.ctx) == before
    office.run(lifecycle.convene, office.clerk, coming, today=TODAY)
    assert office.run(minutes.draft_minutes, office.clerk, ("meeting", coming), TITLE, today=TODAY).doc_type == "纪要"


def test_the_meeting_window_offers_the_minutes_dialog(qtbot: QtBot, sqlite_ctx: AppContext) -> None:
    office = build_office(sqlite_ctx)
    meeting = _held(office)
    opener = next(o for o in openers_from("meeting") if o.label == "起草会议纪要…")
    assert "secretary" in opener.roles and "liaison" not in opener.roles
    assert resolve(opener.dialog) is MinutesDraftDialog
    dialog = MinutesDraftDialog(sqlite_ctx, office.clerk, ("meeting", meeting), "县政府第12次常务会议")
    qtbot.addWidget(dialog)
    assert (dialog.title_edit.text(), dialog.doc_type.currentText(), dialog.doc_type.isEnabled()) == (
        TITLE, "纪要", False)
    assert minutes_title(TITLE) == TITLE
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.saved is not None and dialog.saved.doc_type == "纪要"
    linked = office.run(links.links_of, office.clerk, "meeting", meeting).records
    assert [r.entity_id for r in linked] == [dialog.saved.id]
