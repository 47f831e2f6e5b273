"""Takes a meeting along its flow for the tests of its agenda, sign-in and seating, straight through the
workflow engine (app.services.workflow.moves.apply_transition): the meeting's own flow service is another
module's, and these tests only need the meeting at a given step. No tests live here."""

from __future__ import annotations

from app.models.meetings import Meeting
from tests.helpers.document_office import TODAY, Office


def take(o: Office, meeting_id: int, *actions: str, by: str = "director") -> None:
    """Applies the 会议 flow's actions (convene, conclude, finish, return, cancel) in turn, committing."""
    from app.models import WorkflowInstance
    from app.services.workflow.moves import apply_transition

    with o.ctx.uow() as uow:
        meeting = uow.found(Meeting, meeting_id, "no meeting")
        assert meeting.instance_id is not None
        instance = uow.found(WorkflowInstance, meeting.instance_id, "no instance")
        for action in actions:
            opinion = "改期召开" if action in ("cancel", "return") else ""
            apply_transition(uow, o.people[by], instance, action, opinion, today=TODAY)
            if action == "cancel":
                meeting.cancelled = True
        uow.commit()
