"""Who sees a petitioner's particulars, and every unmasked read in the audit log (app.services.petitions.records,
listing); repeats found before saving, linked and flagged, and a petitioner's history (repeats); on SQLite,
PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, update

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.core.ids import mask_id_number
from app.db.tables import audit_log
from app.models.petitions import Petition
from app.services.petitions import listing, records, repeats
from app.services.workflow import links
from tests.helpers.document_office import TODAY, Office
from tests.helpers.petitions_office import (
    PETITIONER_ID,
    PETITIONER_PHONE,
    build_petition_office,
    id_number,
    new_petition,
    petition_input,
    register,
)

MASKED_ID = "110***********123X"
MASKED_PHONE = "138****5678"
OTHER = {"name": "李秀英", "id_number": id_number("19720805", "246"), "phone": "13900002222",
         "address": "东山乡红星村", "request": "反映东山乡红星村饮用水管道老化经常停水，要求更换管道", "category": "城乡建设",
         "place": "东山乡"}


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


def _unmasked_views(o: Office) -> list[tuple[str, dict[str, Any]]]:
    with o.ctx.uow() as uow:
        rows = uow.execute(select(audit_log.c.username, audit_log.c.detail)
                           .where(audit_log.c.action == "view_unmasked").order_by(audit_log.c.seq)).all()
    return [(name, json.loads(detail)) for name, detail in rows]


def _assign_to(o: Office, petition_id: int, unit: str) -> None:
    """The case as 交办 leaves it for visibility: its unit named (the act itself is lifecycle.assign's)."""
    with o.ctx.uow() as uow:
        uow.execute(update(Petition).where(Petition.id == petition_id).values(handling_unit_id=o.units[unit]))
        uow.commit()


# ----- masking -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["petition", "petition2", "director", "deputy"])
def test_those_who_handle_petitions_read_it_unmasked_and_each_read_is_audited(office: Office, who: str) -> None:
    case = new_petition(office)
    seen = office.run(records.get_petition, office.people[who], case)
    assert (seen.id_number, seen.phone, seen.address, seen.masked) == (
        PETITIONER_ID, PETITIONER_PHONE, "城关镇幸福小区3栋2单元501", False)
    office.run(records.get_petition, office.people[who], case)
    assert _unmasked_views(office) == [(who, {"where": "详情", "petitions": [case]})] * 2


@pytest.mark.parametrize("who", ["clerk", "mayor", "vice"])
def test_others_who_see_every_case_read_it_masked_and_leave_no_unmasked_row(office: Office, who: str) -> None:
    case = new_petition(office, representatives=[], people_count=1)
    seen = office.run(records.get_petition, office.people[who], case)
    assert (seen.id_number, seen.phone, seen.address, seen.masked) == (MASKED_ID, MASKED_PHONE, "（已隐去）", True)
    assert (seen.name, seen.request) == ("王建国", petition_input().request)
    assert _unmasked_views(office) == []


def test_a_representatives_particulars_are_masked_too(office: Office) -> None:
    rep = records.RepresentativeInput("赵六", id_number("19800101", "135"), "13700001234")
    case = new_petition(office, people_count=8, representatives=[rep])
    masked = office.run(records.get_petition, office.clerk, case).representatives[0]
    plain = office.run(records.get_petition, office.petition, case).representatives[0]
    assert (masked.id_number, masked.phone) == (mask_id_number(rep.id_number), "137****1234")
    assert masked.id_number.startswith("110***********")
    assert (plain.id_number, plain.phone) == (rep.id_number, rep.phone)


def test_an_assigned_units_liaison_sees_that_case_only_masked(office: Office) -> None:
    mine, other = new_petition(office), new_petition(office, **OTHER)
    _assign_to(office, mine, "财政局")
    seen = office.run(records.get_petition, office.liaison_fin, mine)
    assert (seen.id_number, seen.phone) == (MASKED_ID, MASKED_PHONE)
    for who, case in (("liaison_fin", other), ("liaison_edu", mine)):
        with pytest.raises(PermissionDenied, match="没有交办给您的单位"):
            office.run(records.get_petition, office.people[who], case)
    page = office.run(listing.list_petitions, office.liaison_fin, today=TODAY)
    assert [row.id for row in page.rows] == [mine] and page.rows[0].phone == MASKED_PHONE
    assert office.run(listing.list_petitions, office.liaison_edu, today=TODAY).total == 0
    assert _unmasked_views(office) == []


@pytest.mark.parametrize("who", ["finance", "cashier", "admin"])
def test_roles_with_no_part_in_petitions_see_none(office: Office, who: str) -> None:
    new_petition(office)
    assert office.run(listing.list_petitions, office.people[who], today=TODAY).total == 0


def test_a_list_page_read_unmasked_is_one_audit_row_naming_its_cases(office: Office) -> None:
    first, second = new_petition(office), new_petition(office, **OTHER)
    page = office.run(listing.list_petitions, office.petition, listing.PetitionFilter(box="open"), today=TODAY)
    assert [(r.id, r.id_number, r.phone) for r in page.rows] == [
        (second, OTHER["id_number"], OTHER["phone"]), (first, PETITIONER_ID, PETITIONER_PHONE)]
    masked = office.run(listing.list_petitions, office.clerk, listing.PetitionFilter(box="open"), today=TODAY)
    assert [r.phone for r in masked.rows] == ["139****2222", MASKED_PHONE]
    office.run(listing.ledger_rows, office.director, listing.PetitionFilter(), today=TODAY, where="台账导出")
    assert _unmasked_views(office) == [("petition", {"where": "信访列表", "petitions": [first, second]}),
                                       ("director", {"where": "台账导出", "petitions": [first, second]})]


def test_only_those_who_read_particulars_find_a_case_by_them(office: Office) -> None:
    case = new_petition(office)
    new_petition(office, **OTHER)
    by_id = listing.PetitionFilter(search=PETITIONER_ID.lower())
    by_phone = listing.PetitionFilter(search=PETITIONER_PHONE)
    assert [r.id for r in office.run(listing.list_petitions, office.petition, by_id, today=TODAY).rows] == [case]
    assert [r.id for r in office.run(listing.list_petitions, office.petition, by_phone, today=TODAY).rows] == [case]
    assert office.run(listing.list_petitions, office.clerk, by_phone, today=TODAY).total == 0
    by_word = listing.PetitionFilter(search="幸福小区")
    assert [r.id for r in office.run(listing.list_petitions, office.clerk, by_word, today=TODAY).rows] == [case]


def test_the_lists_boxes_and_filters(office: Office) -> None:
    first = new_petition(office)
    second = new_petition(office, by="petition2", **OTHER)
    repeat = new_petition(office, channel="来电", channel_detail="24365热线")

    def ids(f: listing.PetitionFilter, who: str = "petition") -> list[int]:
        return [r.id for r in office.run(listing.list_petitions, office.people[who], f, today=TODAY).rows]

    assert ids(listing.PetitionFilter(box="mine")) == [repeat, first]
    assert ids(listing.PetitionFilter(box="mine"), "petition2") == [second]
    assert ids(listing.PetitionFilter(box="repeats")) == [repeat]
    assert ids(listing.PetitionFilter(channel="来电")) == [repeat]
    assert ids(listing.PetitionFilter(category="城乡建设", place="东山乡")) == [second]
    # Received 2026-11-02: the 15 days of 受理 end on 11-17, past by TODAY.
    due = office.run(listing.list_petitions, office.petition, listing.PetitionFilter(box="due"), today=TODAY)
    assert due.total == 3 and all(row.overdue(TODAY) for row in due.rows)
    with pytest.raises(ValidationError, match="信访方式只能是"):
        ids(listing.PetitionFilter(channel="微信"))
    with pytest.raises(ValidationError, match="起始日期不能晚于截止日期"):
        ids(listing.PetitionFilter(date_from=TODAY, date_to=TODAY.replace(day=1)))


# ----- repeats ------------------------------------------------------------------------------------------


def test_the_same_id_number_is_a_repeat_whatever_the_request(office: Office) -> None:
    first = new_petition(office)
    found = office.run(repeats.check_repeats, office.petition,
                       petition_input(name="王建国", phone="", request="反映另外一件完全不同的家庭纠纷事情", category="其他"),
                       today=TODAY)
    assert [(c.petition_id, c.reasons) for c in found] == [(first, ("身份证号相同",))]


def test_the_same_name_and_phone_is_a_repeat(office: Office) -> None:
    first = new_petition(office)
    found = office.run(repeats.check_repeats, office.petition,
                       petition_input(id_number="", phone="+86 138-1234-5678", request="另一件事：小区路灯不亮", category="其他"),
                       today=TODAY)
    assert [(c.petition_id, c.reasons) for c in found] == [(first, ("姓名和联系电话相同",))]


def test_a_request_retold_by_someone_else_is_a_repeat(office: Office) -> None:
    first = new_petition(office)
    retold = petition_input(name="张桂兰", id_number="", phone="13600001111",
                            request="幸福小区的商品房交房五年了不动产权证书还没办下来，请督促开发商协助办证")
    found = office.run(repeats.check_repeats, office.petition, retold, today=TODAY)
    assert [c.petition_id for c in found] == [first]
    assert found[0].reasons[0].startswith("诉求内容相似（相似度") and found[0].similarity >= 0.4


@pytest.mark.parametrize("fields", [
    {"name": "王建国", "id_number": "", "phone": "13900009999", "request": "反映村里的道路坑洼不平，雨天积水严重"},
    {"name": "王建军", "id_number": "", "phone": PETITIONER_PHONE, "request": "东山乡敬老院伙食标准太低"},
    {"id_number": id_number(serial="999"), "phone": "", "request": "红星村征地补偿款至今没有发放到位"},
])
def test_what_is_not_a_repeat(office: Office, fields: dict[str, str]) -> None:
    new_petition(office)
    assert office.run(repeats.check_repeats, office.petition, petition_input(**fields), today=TODAY) == []


def test_a_repeat_is_flagged_linked_both_ways_and_masked_for_others(office: Office) -> None:
    first = new_petition(office)
    second = register(office, name="王建国", id_number="").petition
    assert second.is_repeat and not office.run(records.get_petition, office.petition, first).is_repeat
    from_new = office.run(links.links_of, office.petition, "petition", second.id)
    from_old = office.run(links.links_of, office.petition, "petition", first)
    assert [(r.kind_label, r.entity_id) for r in from_new.records] == [("首次件", first)]
    assert [(r.kind_label, r.entity_id) for r in from_old.records] == [("重复件", second.id)]
    with pytest.raises(PermissionDenied, match="查看重复信访"):
        office.run(repeats.check_repeats, office.clerk, petition_input(), today=TODAY)


def test_a_petitioners_history_gathers_every_case_of_theirs(office: Office) -> None:
    first = new_petition(office)
    other = new_petition(office, **OTHER)
    by_phone = new_petition(office, id_number="", request="反映幸福小区车位被占用，要求物业处理")
    history = office.run(repeats.petitioner_history, office.mayor, first)
    assert sorted(row.petition_id for row in history) == sorted([first, by_phone])
    assert other not in {row.petition_id for row in history}
    with pytest.raises(PermissionDenied, match="全部信访记录"):
        _assign_to(office, first, "财政局")
        office.run(repeats.petitioner_history, office.liaison_fin, first)


def test_of_many_alike_requests_the_closest_ten_are_flagged_and_every_one_of_the_same_person(office: Office) -> None:
    same_person = new_petition(office)
    alike = [new_petition(office, name=f"业主{i}", id_number="", phone=f"1370000{i:04d}", address="")
             for i in range(12)]
    found = office.run(repeats.check_repeats, office.petition, petition_input(), today=TODAY)
    assert found[0].petition_id == same_person and not found[0].wording_only
    wording = [c.petition_id for c in found if c.wording_only]
    assert len(wording) == repeats.MAX_WORDING_MATCHES and set(wording) <= set(alike)
    # The same wording: the latest first.
    assert wording == sorted(alike, reverse=True)[: repeats.MAX_WORDING_MATCHES]
