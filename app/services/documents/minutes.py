"""会议纪要: the minutes of a meeting start as an outgoing draft of the 纪要 type and go on through the 发文 flow.

The draft is made by the 发文 拟稿 act itself (app.services.documents.outgoing.create_draft) and linked to the
meeting (app.services.workflow.links, kind "minutes": 会议纪要 / 来源会议) in the same transaction, so that
both ends list it. The documents area knows the meeting only as the linked record ("meeting", id): it reads
nothing of the meetings area. The minutes are the office's work: its 文秘 and leaders draft them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.core.areas.documents import MANIFEST as DOCUMENTS
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.roles import Role
from app.services.documents import outgoing
from app.services.documents.records import ENTITY, DocumentInfo
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import links

LINK_KIND = "minutes"
MEETING = "meeting"
# The meeting's steps at which its 纪要 may be drafted: the documents manifest's opener says them for the UI.
MEETING_HELD = DOCUMENTS.opened_from[MEETING].states
DOC_TYPE = "纪要"
DRAFTERS: tuple[Role, ...] = (Role.SECRETARY, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)


def minutes_title(meeting_title: str) -> str:
    """The draft's title, named after its meeting: 县政府第12次常务会议 → 县政府第12次常务会议纪要."""
    title = meeting_title.strip()
    return title if title.endswith(DOC_TYPE) else f"{title}{DOC_TYPE}"


@acting
def draft_minutes(
    uow: UnitOfWork,
    actor: Actor,
    origin: tuple[str, int],
    title: str,
    *,
    disclosure: str = "依申请公开",
    disclosure_reason: str = "",
    main_recipients: str = "",
    copy_recipients: str = "",
    prefix: str = "",
    remark: str = "",
    important: bool = False,
    urgency: str = "",
    secrecy: str = "",
    cosigner_unit_ids: Sequence[int] = (),
    body: tuple[str, bytes] | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """拟稿 of a meeting's 纪要: a new outgoing draft of the 纪要 type, by the actor, linked to the meeting it
    records (``origin``, which the actor must see). All or nothing. Commits."""
    if actor.id is not None and not actor.has(*DRAFTERS):
        raise PermissionDenied("会议纪要由办公室的文秘人员或主任、副主任起草")
    if origin[0] != MEETING:
        raise ValidationError("会议纪要只能从会议起草", field="origin")
    if links.record_step(uow, origin) not in MEETING_HELD:
        raise WorkflowError("会议尚未召开或已取消，不能起草会议纪要；会议开始签到后再起草")
    made: list[DocumentInfo] = []

    def create(u: UnitOfWork) -> links.RecordRef:
        # create_draft commits its own act; held inside the link's transaction, its commit only flushes.
        with u.as_one():
            made.append(outgoing.create_draft(
                u, actor, title=title, doc_type=DOC_TYPE, disclosure=disclosure,
                disclosure_reason=disclosure_reason, main_recipients=main_recipients,
                copy_recipients=copy_recipients, prefix=prefix, remark=remark, important=important,
                urgency=urgency, secrecy=secrecy,
                cosigner_unit_ids=cosigner_unit_ids, body=body, today=today,
            ))
        return (ENTITY, made[0].id)

    links.open_linked(uow, actor, source=origin, kind=LINK_KIND, title=title, create=create, today=today)
    return made[0]
