"""Takes a meeting along its flow through app.services.meetings.lifecycle, for the tests of its agenda, sign-in
and seating, which only need the meeting at a given step. No tests live here."""

from __future__ import annotations

from app.services.meetings import lifecycle
from tests.helpers.document_office import TODAY, Office


def take(o: Office, meeting_id: int, *actions: str, by: str = "director") -> None:
    """Applies the 会议 flow's moves (convene, conclude, finish, return, cancel) in turn, each committed."""
    who = o.people[by]
    for action in actions:
        if action == "convene":
            o.run(lifecycle.convene, who, meeting_id, today=TODAY)
        elif action == "conclude":
            o.run(lifecycle.conclude, who, meeting_id, today=TODAY)
        elif action == "finish":
            o.run(lifecycle.finish, who, meeting_id, today=TODAY)
        elif action == "return":
            o.run(lifecycle.return_to_prepare, who, meeting_id, "提前开始签到，退回筹备", today=TODAY)
        elif action == "cancel":
            o.run(lifecycle.cancel_meeting, who, meeting_id, "县长另有公务，会议改期", today=TODAY)
        else:
            raise AssertionError(f"no such move: {action}")
