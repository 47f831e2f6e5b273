"""重复信访 and a petitioner's history: the earlier cases a registration repeats, found in the database and judged
by app.core.petitions.repeats; the links that tie them; every case of one petitioner; and whether a matter has
been through 复核, after which the same request is not accepted again (《信访工作条例》第三十五条).

The candidates are read in a few indexed queries: the same ID number, the same name and phone, and for the
request's wording the latest cases of the same category or place (a retold request keeps its category or its
place), so the check stays quick at a county's hundred thousand cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select

from app.core.petitions.flow import CONCLUDED, ENTITY
from app.core.petitions.repeats import PetitionerFacts, normalized_id, normalized_phone, repeat_match
from app.core.petitions.terms import INITIAL, RE_REVIEW, REVIEW, STAGE_LABELS
from app.db.tables import record_links, workflow_instances
from app.models.petitions import Petition
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork
from app.services.petitions import records
from app.services.workflow import links

# How many of the latest cases of the same category or place the wording is compared with.
TEXT_CANDIDATES = 3000
# A request many people make (a whole estate without its certificates) is told alike by all of them: of the
# cases matched by their wording alone, the closest this many are flagged and linked, not every one.
MAX_WORDING_MATCHES = 10
# How app.core.petitions.repeats names a match by wording.
WORDING = "诉求内容相似"
_RL = record_links.c
_WI = workflow_instances.c


@dataclass(frozen=True)
class RepeatCandidate:
    """An earlier case a registration repeats, as the registering person may read it, with why it matched."""

    petition_id: int
    number: str
    received_on: date
    name: str
    id_number: str
    phone: str
    request: str
    category: str
    place: str
    state_label: str
    reasons: tuple[str, ...]
    similarity: float
    # The matter went through 复核 and was concluded: the same request is not accepted again.
    final: bool

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)

    @property
    def wording_only(self) -> bool:
        """Matched by the request's wording alone, not by the petitioner."""
        return all(reason.startswith(WORDING) for reason in self.reasons)


def facts_of(checked: Any) -> PetitionerFacts:
    """What the check compares of a registration (records.CheckedPetition, or a case)."""
    return PetitionerFacts(checked.name, checked.id_number, checked.phone, checked.request)


def _phone_variants(phone: str) -> list[str]:
    digits = normalized_phone(phone)
    return [p for p in {phone.strip(), digits} if p]


def _candidate_rows(
    uow: UnitOfWork, facts: PetitionerFacts, category: str, place: str, exclude_id: int | None,
) -> list[Any]:
    columns = (Petition.id, Petition.number, Petition.received_on, Petition.name, Petition.id_number,
               Petition.phone, Petition.request, Petition.category, Petition.place, Petition.instance_id)
    where_first = Petition.stage == INITIAL
    found: dict[int, Any] = {}
    queries = []
    if facts.id_number.strip():
        queries.append(select(*columns).where(where_first, Petition.id_number == normalized_id(facts.id_number)))
    phones = _phone_variants(facts.phone)
    if facts.name.strip() and phones:
        queries.append(select(*columns).where(where_first, Petition.name == facts.name.strip(),
                                              Petition.phone.in_(phones)))
    for column, value in ((Petition.category, category), (Petition.place, place)):
        if value:
            queries.append(
                select(*columns).where(where_first, column == value)
                .order_by(Petition.received_on.desc(), Petition.id.desc()).limit(TEXT_CANDIDATES)
            )
    for query in queries:
        for row in uow.execute(query).all():
            if row.id != exclude_id:
                found[row.id] = row
    return list(found.values())


def _state_labels(uow: UnitOfWork, instance_ids: Iterable[int]) -> dict[int, tuple[str, bool]]:
    from app.services.workflow.moves import flow_for

    wanted = sorted({i for i in instance_ids if i is not None})
    labels: dict[int, tuple[str, bool]] = {}
    for row in uow.execute(
        select(_WI.id, _WI.flow_key, _WI.flow_version, _WI.state, _WI.closed).where(_WI.id.in_(wanted))
    ).all():
        flow = flow_for(uow, row.flow_key, row.flow_version)
        labels[row.id] = (flow.step(row.state).label, bool(row.closed))
    return labels


@acting
def matches_for(
    uow: UnitOfWork, actor: Actor, facts: PetitionerFacts, *, category: str = "", place: str = "",
    exclude_id: int | None = None,
) -> list[RepeatCandidate]:
    """The earlier cases a registration repeats, the strongest match first: for those who register cases."""
    require_role(actor, records.HANDLERS, "查看重复信访")
    rows = _candidate_rows(uow, facts, category.strip(), place.strip(), exclude_id)
    judged = []
    for row in rows:
        match = repeat_match(facts, PetitionerFacts(row.name, row.id_number, row.phone, row.request))
        if match is not None:
            judged.append((row, match))
    # Strongest first: more reasons, then the closer wording, then the latest.
    judged.sort(key=lambda pair: (-len(pair[1].reasons), -pair[1].similarity, -pair[0].received_on.toordinal(),
                                  -pair[0].id))
    kept = []
    by_wording = 0
    for row, match in judged:
        if all(reason.startswith(WORDING) for reason in match.reasons):
            if by_wording == MAX_WORDING_MATCHES:
                continue
            by_wording += 1
        kept.append((row, match))
    if not kept:
        return []
    states = _state_labels(uow, [row.instance_id for row, _m in kept])
    finals = final_matters(uow, [row.id for row, _m in kept])
    return [
        RepeatCandidate(
            petition_id=row.id, number=row.number, received_on=row.received_on, name=row.name,
            id_number=records.masked_id(actor, row.id_number), phone=records.masked_phone(actor, row.phone),
            request=row.request, category=row.category, place=row.place,
            state_label=states.get(row.instance_id, ("", False))[0], reasons=match.reasons,
            similarity=match.similarity, final=row.id in finals,
        )
        for row, match in kept
    ]


@acting
def check_repeats(uow: UnitOfWork, actor: Actor, data: records.PetitionInput, *, today: date | None = None,
                  exclude_id: int | None = None) -> list[RepeatCandidate]:
    """The registration form's check before saving: the fields checked as saving would, then its matches."""
    checked = records.check_petition(data, today or date.today())
    return matches_for(uow, actor, facts_of(checked), category=checked.category, place=checked.place,
                       exclude_id=exclude_id)


@acting
def link_repeats(uow: UnitOfWork, actor: Actor, petition: Petition, earlier_ids: Sequence[int]) -> None:
    """Links the new case to each earlier case it repeats (source: the earlier case). Does not commit."""
    with uow.as_one():
        for earlier in earlier_ids:
            links.link_records(uow, actor, source=(ENTITY, earlier), target=(ENTITY, petition.id), kind="repeat")


# ----- the matter's stages --------------------------------------------------------------------------------


def _reviews_of(uow: UnitOfWork, petition_ids: Sequence[int]) -> list[Any]:
    return list(uow.execute(
        select(Petition.id, Petition.reviews_id, Petition.stage, _WI.state)
        .join(workflow_instances, _WI.id == Petition.instance_id)
        .where(Petition.reviews_id.in_(petition_ids))
    ).all())


def final_matters(uow: UnitOfWork, petition_ids: Sequence[int]) -> set[int]:
    """Of these cases, those whose matter went through 复核 to its end (办结): a 复核 of a 复查 of the case."""
    wanted = list(petition_ids)
    if not wanted:
        return set()
    reviews = _reviews_of(uow, wanted)
    review_of = {row.id: row.reviews_id for row in reviews if row.stage == REVIEW}
    if not review_of:
        return set()
    re_reviews = _reviews_of(uow, list(review_of))
    return {review_of[row.reviews_id] for row in re_reviews if row.stage == RE_REVIEW and row.state == CONCLUDED}


def repeated_final_matter(uow: UnitOfWork, petition: Petition) -> str:
    """The number of an earlier case this one repeats whose matter ended after 复核 ("" for none): such a
    request is not accepted again."""
    sources = [row.source_id for row in uow.execute(
        select(_RL.source_id).where(_RL.kind == "repeat", _RL.target_type == ENTITY, _RL.target_id == petition.id,
                                    _RL.source_type == ENTITY)
    ).all()]
    finals = final_matters(uow, sources)
    if not finals:
        return ""
    return str(uow.execute(select(Petition.number).where(Petition.id == min(finals))).scalar_one())


# ----- a petitioner's history ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    petition_id: int
    number: str
    stage_label: str
    received_on: date
    channel: str
    request: str
    category: str
    state_label: str
    closed: bool
    is_repeat: bool
    decision: str


@acting
def petitioner_history(uow: UnitOfWork, actor: Actor, petition_id: int) -> list[HistoryRow]:
    """Every case of this case's petitioner (the same ID number, or the same name and phone) and their 复查 and
    复核, the latest first, for those who see every case."""
    petition, _instance = records.load(uow, actor, petition_id)
    if not records.sees_all(actor):
        from app.core.errors import PermissionDenied

        raise PermissionDenied("只有信访接待员、办公室人员和县领导可以查看信访人的全部信访记录")
    same: list[Any] = []
    if petition.id_number:
        same.append(Petition.id_number == petition.id_number)
    if petition.phone:
        same.append(and_(Petition.name == petition.name, Petition.phone == petition.phone))
    same.append(Petition.id == petition.id)
    firsts = [row[0] for row in uow.execute(select(Petition.id).where(or_(*same))).all()]
    chain = set(firsts)
    frontier = list(firsts)
    while frontier:
        found = [row.id for row in _reviews_of(uow, frontier) if row.id not in chain]
        chain.update(found)
        frontier = found
    rows = uow.execute(
        select(Petition.id, Petition.number, Petition.stage, Petition.received_on, Petition.channel,
               Petition.request, Petition.category, Petition.is_repeat, Petition.decision, Petition.instance_id)
        .where(Petition.id.in_(chain)).order_by(Petition.received_on.desc(), Petition.id.desc())
    ).all()
    states = _state_labels(uow, [row.instance_id for row in rows])
    return [
        HistoryRow(row.id, row.number, STAGE_LABELS[row.stage], row.received_on, row.channel, row.request,
                   row.category, *states.get(row.instance_id, ("", False)), row.is_repeat, row.decision)
        for row in rows
    ]
