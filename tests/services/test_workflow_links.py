"""Linked records (app.services.workflow.links): one record opens another linked to it, even after its final
step; the link reads from both ends with each end's label; only records the actor may see are shown, the rest
counted. On the test flow stored as an edited flow, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.bootstrap import AppContext
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.db.tables import record_links, workflow_instances
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import links, moves
from tests.helpers.document_office import Office, counts
from tests.helpers.record_features_flow import ENTITY, FLOW_KEY, build, start_item


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build(ctx)


def _close(o: Office, instance_id: int) -> None:
    """The petition-like record past its final step."""
    with o.ctx.uow() as uow:
        uow.execute(update(workflow_instances).where(workflow_instances.c.id == instance_id)
                    .values(state="closed", closed=True))
        uow.commit()


def _links(o: Office) -> int:
    with o.ctx.uow() as uow:
        return int(uow.execute(select(func.count()).select_from(record_links)).scalar_one())


def test_a_review_opens_from_a_closed_record_and_reads_from_both_ends(office: Office) -> None:
    petition = start_item(office, "反映小区供暖不达标")
    _close(office, petition)
    review = office.run(links.open_linked, office.clerk, source=(ENTITY, petition), kind="review",
                        title="关于供暖问题的复查", flow_key=FLOW_KEY)
    assert review[0] == ENTITY and review[1] != petition
    with office.ctx.uow() as uow:
        opened = moves.get_instance(uow, review[1])
        assert (opened.state, opened.title, opened.responsible_id) == ("register", "关于供暖问题的复查", office.clerk.id)
        # The same matter: the review stays with the petition's unit.
        assert opened.unit_id == office.units["财政局"]
    seen_from_petition = office.run(links.links_of, office.director, ENTITY, petition)
    assert seen_from_petition.hidden == 0
    [other] = seen_from_petition.records
    assert (other.kind_label, other.title, other.state_label, other.outgoing) == ("复查件", "关于供暖问题的复查", "登记",
                                                                                 True)
    assert other.instance_id == review[1]
    [back] = office.run(links.links_of, office.director, *review).records
    assert (back.kind_label, back.title, back.state_label, back.closed, back.outgoing) == (
        "被复查件", "反映小区供暖不达标", "已销号", True, False)


def test_two_existing_records_are_linked_once(office: Office) -> None:
    meeting, item = start_item(office, "常务会议议定事项"), start_item(office, "推进停车场建设")
    before = counts(office.ctx)
    office.run(links.link_records, office.clerk, source=(ENTITY, meeting), target=(ENTITY, item),
               kind="decision_item")
    assert counts(office.ctx)[1:] == (before[1] + 1, before[2] + 1)
    [shown] = office.run(links.links_of, office.clerk, ENTITY, item).records
    assert shown.kind_label == "来源议定事项"
    for source, target in (((ENTITY, meeting), (ENTITY, item)), ((ENTITY, item), (ENTITY, meeting))):
        with pytest.raises(ValidationError, match="已有“议定事项转督办”关联"):
            office.run(links.link_records, office.clerk, source=source, target=target, kind="decision_item")
    # Another kind between the same two is another link.
    office.run(links.link_records, office.clerk, source=(ENTITY, meeting), target=(ENTITY, item), kind="follow_up")
    assert _links(office) == 2


@pytest.mark.parametrize(("kind", "same", "error", "words"), [
    ("cousin", False, ValidationError, "没有“cousin”这种关联"),
    ("review", True, ValidationError, "不能把一件事项与它自己关联"),
])
def test_a_bad_link_is_refused_and_changes_nothing(office: Office, kind: str, same: bool,
                                                   error: type[Exception], words: str) -> None:
    first, second = start_item(office), start_item(office, "第二件")
    before = counts(office.ctx)
    with pytest.raises(error, match=words):
        office.run(links.link_records, office.clerk, source=(ENTITY, first),
                   target=(ENTITY, first if same else second), kind=kind)
    assert counts(office.ctx) == before and _links(office) == 0


def test_a_missing_record_is_not_found(office: Office) -> None:
    first = start_item(office)
    with pytest.raises(NotFound, match="找不到要关联的记录"):
        office.run(links.link_records, office.clerk, source=(ENTITY, first), target=(ENTITY, 99999), kind="review")
    with pytest.raises(NotFound):
        office.run(links.link_records, office.clerk, source=("document", first), target=(ENTITY, first),
                   kind="review")


def test_only_who_sees_both_records_links_them(office: Office) -> None:
    fin, edu = start_item(office, "财政局事项", "财政局"), start_item(office, "教育局事项", "教育局")
    # The 财政局's 联络员 sees the 财政局's record, not the 教育局's.
    with pytest.raises(PermissionDenied, match="不能关联"):
        office.run(links.link_records, office.liaison_fin, source=(ENTITY, fin), target=(ENTITY, edu),
                   kind="follow_up")
    with pytest.raises(PermissionDenied):
        office.run(links.open_linked, office.liaison_edu, source=(ENTITY, fin), kind="review", title="复查",
                   flow_key=FLOW_KEY)
    assert _links(office) == 0
    office.run(links.link_records, office.director, source=(ENTITY, fin), target=(ENTITY, edu), kind="follow_up")
    # Each 联络员 sees her own end, and is told that one more link exists, not what it is.
    for who, own in (("liaison_fin", fin), ("liaison_edu", edu)):
        shown = office.run(links.links_of, office.people[who], ENTITY, own)
        assert (shown.records, shown.hidden) == ([], 1)
    with pytest.raises(PermissionDenied):
        office.run(links.links_of, office.liaison_edu, ENTITY, fin)
    assert len(office.run(links.links_of, office.mayor, ENTITY, fin).records) == 1


def test_an_area_opens_its_own_record_in_the_same_unit_of_work(office: Office) -> None:
    petition = start_item(office, "反映噪音扰民")

    def create(uow: UnitOfWork) -> tuple[str, int]:
        instance = moves.start(uow, office.petition, flow_key=FLOW_KEY, entity_type=ENTITY, title="噪音复核")
        return ENTITY, instance.id

    target = office.run(links.open_linked, office.petition, source=(ENTITY, petition), kind="re_review",
                        title="噪音复核", create=create)
    [shown] = office.run(links.links_of, office.petition, ENTITY, petition).records
    assert (shown.kind_label, shown.entity_id) == ("复核件", target[1])


def test_a_refused_opening_leaves_no_record_behind(office: Office) -> None:
    petition = start_item(office)
    with office.ctx.uow() as uow:
        before = uow.execute(select(func.count()).select_from(workflow_instances)).scalar_one()
    with pytest.raises(ValidationError, match="请填写新事项的标题"):
        office.run(links.open_linked, office.clerk, source=(ENTITY, petition), kind="review", title=" ",
                   flow_key=FLOW_KEY)
    # A kind is checked before anything is made; so is a second link of the same kind to the same record.
    with pytest.raises(ValidationError, match="这种关联"):
        office.run(links.open_linked, office.clerk, source=(ENTITY, petition), kind="nope", title="复查",
                   flow_key=FLOW_KEY)
    with office.ctx.uow() as uow:
        assert uow.execute(select(func.count()).select_from(workflow_instances)).scalar_one() == before
    assert _links(office) == 0
