"""What 综合查询 finds a 会议 by: its name, number and type, where it is held, its host and organizing unit, what
the notice asks of attendees, who attends (people and units, and whom a unit sent in its place), its agenda's
topics with their units and reporters, its decisions (议定事项) with their lead units, and the opinions of its
history (the reason it was cancelled …).

The upkeep (app.services.search.upkeep) adds the text of the meeting's own files and its topics' materials, and
where its flow stands.

A topic not yet approved (已申报, 办公室已审核, 不予上会, 已撤回) is shown only to those who see every meeting, and to
its own unit (app.services.meetings.agenda): a 联络员 who sees the meeting because their unit attends reads only
its approved topics. Such topics are therefore private fields, searched only by those who see every meeting,
so that a 联络员 never finds a meeting, nor reads a snippet, by another unit's topic they may not read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, cast

from sqlalchemy import select

from app.core.meetings.agenda import APPROVED
from app.core.meetings.flow import TOPIC_ENTITY
from app.db.tables import units
from app.models.meetings import Meeting, MeetingAttendee, MeetingDecision, MeetingRoom, MeetingTopic
from app.services.kernel.clock import local_date
from app.services.meetings.records import sees_all
from app.services.search.sources import FileOwner, SearchEntry, SearchField

if TYPE_CHECKING:
    from sqlalchemy import Table

    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork


_MEETINGS = cast("Table", Meeting.__table__)
_ROOMS = cast("Table", MeetingRoom.__table__)
_ATTENDEES = cast("Table", MeetingAttendee.__table__)
_TOPICS = cast("Table", MeetingTopic.__table__)
_DECISIONS = cast("Table", MeetingDecision.__table__)


def _joined(values: Iterable[str], separator: str = "、") -> str:
    """Distinct non-empty values in their first order."""
    return separator.join(dict.fromkeys(v.strip() for v in values if v and v.strip()))


class _Parts:
    """A meeting's lists (attendees, topics, decisions) gathered for a batch of meetings."""

    def __init__(self) -> None:
        self.people: list[str] = []
        self.units: list[str] = []
        self.topics: list[str] = []
        self.topic_units: list[str] = []
        self.reporters: list[str] = []
        self.summaries: list[str] = []
        self.pending_topics: list[str] = []
        self.pending_summaries: list[str] = []
        self.decisions: list[str] = []
        self.lead_units: list[str] = []


class MeetingSearch:
    """会议 as 综合查询 reads them (app.services.search.sources.SearchSource)."""

    files_private = False

    def entries(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[SearchEntry]:
        ids = list(record_ids)
        if not ids:
            return []
        m, room = _MEETINGS.c, _ROOMS.c
        rows = uow.execute(
            select(
                m.id, m.number, m.meeting_type, m.title, m.starts_at, m.place, m.host_name, m.notes,
                room.name.label("room_name"), room.location.label("room_location"),
                units.c.name.label("organizer"),
            )
            .select_from(
                _MEETINGS.outerjoin(_ROOMS, room.id == m.room_id).outerjoin(units, units.c.id == m.organizer_unit_id)
            )
            .where(m.id.in_(ids))
        ).all()
        if not rows:
            return []
        parts = self._parts(uow, ids)
        entries = []
        for r in rows:
            part = parts.get(r.id, _Parts())
            where = r.room_name or ""
            if where and r.room_location:
                where = f"{where}（{r.room_location}）"
            fields = [
                SearchField("会议编号", r.number),
                SearchField("会议类型", r.meeting_type),
                SearchField("会议地点", _joined([where, r.place], "，")),
                SearchField("主持人", r.host_name),
                SearchField("承办单位", r.organizer or ""),
                SearchField("参会人员", _joined(part.people)),
                SearchField("参会单位", _joined(part.units)),
                SearchField("议题", "；".join(part.topics)),
                SearchField("议题申报单位", _joined(part.topic_units)),
                SearchField("汇报人", _joined(part.reporters)),
                SearchField("议题说明", "；".join(part.summaries)),
                SearchField("议定事项", "；".join(part.decisions)),
                SearchField("牵头单位", _joined(part.lead_units)),
                SearchField("会议要求", r.notes),
                SearchField("议题（未审定）", "；".join(part.pending_topics), private=True),
                SearchField("议题说明（未审定）", "；".join(part.pending_summaries), private=True),
            ]
            entries.append(
                SearchEntry(record_id=r.id, year=local_date(r.starts_at).year, title=r.title,
                            fields=tuple(f for f in fields if f.value.strip()))
            )
        return entries

    @staticmethod
    def _parts(uow: UnitOfWork, ids: Sequence[int]) -> dict[int, _Parts]:
        parts: dict[int, _Parts] = {}

        def of(meeting_id: int) -> _Parts:
            return parts.setdefault(meeting_id, _Parts())

        a = _ATTENDEES.c
        for meeting_id, name, substitute, unit_name in uow.execute(
            select(a.meeting_id, a.name, a.substitute_name, units.c.name)
            .select_from(_ATTENDEES.outerjoin(units, units.c.id == a.unit_id))
            .where(a.meeting_id.in_(ids))
            .order_by(a.meeting_id, a.position)
        ):
            part = of(meeting_id)
            part.people += [name, substitute]
            part.units.append(unit_name or "")
        t = _TOPICS.c
        for meeting_id, title, summary, reporter, state, unit_name in uow.execute(
            select(t.meeting_id, t.title, t.summary, t.reporter, t.state, units.c.name)
            .select_from(_TOPICS.outerjoin(units, units.c.id == t.unit_id))
            .where(t.meeting_id.in_(ids))
            .order_by(t.meeting_id, t.position, t.id)
        ):
            part = of(meeting_id)
            if state == APPROVED:
                part.topics.append(title)
                part.topic_units.append(unit_name or "")
                part.reporters.append(reporter)
                if summary.strip():
                    part.summaries.append(summary.strip())
            else:
                # Its unit and reporter are left out too: they would say what the hidden topic is about.
                part.pending_topics.append(title)
                if summary.strip():
                    part.pending_summaries.append(summary.strip())
        d = _DECISIONS.c
        for meeting_id, text, unit_name in uow.execute(
            select(d.meeting_id, d.text, units.c.name)
            .select_from(_DECISIONS.outerjoin(units, units.c.id == d.lead_unit_id))
            .where(d.meeting_id.in_(ids))
            .order_by(d.meeting_id, d.position)
        ):
            part = of(meeting_id)
            part.decisions.append(text.strip())
            part.lead_units.append(unit_name or "")
        return parts

    def file_owners(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[FileOwner]:
        """The meetings' topics: their materials are searched as the meeting's, privately until approved (as the
        topic itself)."""
        t = _TOPICS.c
        return [
            FileOwner(TOPIC_ENTITY, topic_id, meeting_id, "议题材料", private=state != APPROVED)
            for topic_id, meeting_id, state in uow.execute(
                select(t.id, t.meeting_id, t.state).where(t.meeting_id.in_(list(record_ids))).order_by(t.id)
            )
        ]

    def records_of(self, uow: UnitOfWork, owner_type: str, owner_ids: Sequence[int]) -> dict[int, int]:
        if owner_type != TOPIC_ENTITY or not owner_ids:
            return {}
        t = _TOPICS.c
        return {
            int(topic_id): int(meeting_id)
            for topic_id, meeting_id in uow.execute(select(t.id, t.meeting_id).where(t.id.in_(list(owner_ids))))
        }

    def record_ids(self, uow: UnitOfWork, after: int, limit: int) -> list[int]:
        m = _MEETINGS.c
        return [int(i) for i in uow.execute(select(m.id).where(m.id > after).order_by(m.id).limit(limit)).scalars()]

    def sees_private(self, actor: Actor) -> bool:
        # Topics not yet approved: read by those who see every meeting (app.services.meetings.agenda._sees_topic).
        return sees_all(actor)


SOURCE = MeetingSearch()
