"""Registering a petition (app.services.petitions.records): every channel, the petitioner's particulars checked,
a group's representatives, 首问负责, the 受理 clock from the day received, corrections at 登记, and who may do
each; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import ConflictError, PermissionDenied, ValidationError
from app.core.petitions import acceptance_deadline
from app.db.tables import workflow_clocks
from app.models import WorkflowInstance
from app.models.petitions import Petition, PetitionRepresentative
from app.services.petitions import records
from tests.helpers.document_office import TODAY, Office, counts
from tests.helpers.petitions_office import (
    PETITIONER_ID,
    RECEIVED,
    build_petition_office,
    id_number,
    new_petition,
    petition_input,
    register,
)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


def _rows(o: Office) -> tuple[int, int, int]:
    with o.ctx.uow() as uow:
        return (
            uow.execute(select(func.count()).select_from(Petition)).scalar_one(),
            uow.execute(select(func.count()).select_from(PetitionRepresentative)).scalar_one(),
            uow.execute(select(func.count()).select_from(WorkflowInstance)).scalar_one(),
        )


@pytest.mark.parametrize("who", ["petition", "petition2", "director", "deputy"])
def test_those_who_handle_petitions_register_one_and_answer_for_it(office: Office, who: str) -> None:
    made = register(office, who).petition
    assert (made.number, made.stage_label, made.state, made.state_label) == ("信〔2026〕1号", "信访件", "register", "登记")
    # 首问负责: whoever registers it answers for it.
    assert (made.responsible_id, made.responsible_name) == (office.people[who].id, office.people[who].full_name)
    assert made.registered_by_name == office.people[who].full_name
    assert (made.id_number, made.phone, made.masked) == (PETITIONER_ID, "13812345678", False)


@pytest.mark.parametrize("who", ["clerk", "mayor", "finance", "cashier", "liaison_fin", "admin"])
def test_nobody_else_registers_one(office: Office, who: str) -> None:
    before = (counts(office.ctx), _rows(office))
    with pytest.raises(PermissionDenied, match="登记信访件"):
        register(office, who)
    assert (counts(office.ctx), _rows(office)) == before


@pytest.mark.parametrize(("channel", "detail"), [
    ("来信", ""), ("来访", ""), ("来访", "领导大接访"), ("来电", ""), ("来电", "24365热线"), ("网上信访", ""),
    ("网上信访", "县长信箱"), ("网上信访", "网上咨询"), ("传真", ""),
])
def test_every_channel_is_registered(office: Office, channel: str, detail: str) -> None:
    leader = "陈县长" if detail == "领导大接访" else ""
    made = register(office, channel=channel, channel_detail=detail, reception_leader=leader).petition
    assert (made.channel, made.channel_detail, made.reception_leader) == (channel, detail, leader)
    assert made.channel_text == (f"{channel}（{detail}）" if detail else channel)


def test_the_acceptance_clock_counts_from_the_day_received(office: Office) -> None:
    # Received on the Friday before 国庆 (2026-09-25): 15 days end on 10-10, a 调休 working Saturday.
    received = date(2026, 9, 25)
    made = register(office, received_on=received).petition
    with office.ctx.uow() as uow:
        clock = uow.execute(select(workflow_clocks).where(workflow_clocks.c.instance_id == made.instance_id,
                                                          workflow_clocks.c.clock_key == "acceptance")).one()
        due = uow.execute(select(WorkflowInstance.due_date).where(WorkflowInstance.id == made.instance_id)).scalar_one()
    assert clock.due_date == due == acceptance_deadline(received).date == date(2026, 10, 10)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"channel": "微信"}, "channel", "信访方式只能是来信、来访、来电、网上信访、传真"),
    ({"channel": "来信", "channel_detail": "县长信箱"}, "channel_detail", "来信没有“县长信箱”这种途径"),
    ({"channel": "来访", "channel_detail": "领导大接访"}, "reception_leader", "领导大接访请填写接访领导"),
    ({"received_on": None}, "received_on", "请填写登记日期"),
    ({"received_on": date(2026, 11, 28)}, "received_on", "登记日期不能晚于今天"),
    ({"name": "  "}, "name", "请填写信访人姓名"),
    ({"name": "王" * 51}, "name", "信访人姓名不能超过50个字"),
    ({"id_number": "110101196503121230"}, "id_number", "信访人的身份证号有误"),
    ({"phone": "138123456789"}, "phone", "信访人的联系电话有误"),
    ({"id_number": "", "phone": "", "address": ""}, "phone", "请至少填写信访人的身份证号、联系电话或住址中的一项"),
    ({"people_count": 0}, "people_count", "人数应在1到10000之间"),
    ({"request": " "}, "request", "请填写信访诉求"),
    ({"request": "要" * 2001}, "request", "信访诉求不能超过2000个字"),
    ({"category": ""}, "category", "请填写问题类别"),
    ({"place": ""}, "place", "请填写问题属地"),
])
def test_a_bad_field_is_refused_in_its_own_words_and_nothing_is_written(
    office: Office, fields: dict[str, object], field: str, message: str,
) -> None:
    before = (counts(office.ctx), _rows(office))
    with pytest.raises(ValidationError, match=message) as refused:
        register(office, **fields)
    assert refused.value.field == field
    assert (counts(office.ctx), _rows(office)) == before


def test_particulars_are_kept_normalized(office: Office) -> None:
    made = register(office, id_number=PETITIONER_ID.lower().replace("x", "x") + " ", phone="138 1234 5678",
                    name="  王  建国 ").petition
    assert (made.id_number, made.phone, made.name) == (PETITIONER_ID, "13812345678", "王 建国")


def test_a_group_visit_names_up_to_five_representatives(office: Office) -> None:
    reps = [records.RepresentativeInput(f"代表{i}", id_number(serial=f"{i:03d}"), f"1390000000{i}") for i in range(1, 5)]
    made = register(office, people_count=30, representatives=reps).petition
    assert [r.name for r in made.representatives] == ["代表1", "代表2", "代表3", "代表4"]
    assert made.people_count == 30
    before = _rows(office)
    too_many = [*reps, records.RepresentativeInput("代表5")]
    with pytest.raises(ValidationError, match="集体访推选的代表不能超过5人（含登记的信访人），现在有6人"):
        register(office, people_count=30, representatives=too_many)
    with pytest.raises(ValidationError, match="只有多人来访才登记代表"):
        register(office, people_count=1, representatives=reps[:1])
    with pytest.raises(ValidationError, match="第3位代表的身份证号有误"):
        register(office, people_count=30,
                 representatives=[reps[0], records.RepresentativeInput("代表2", "110101196503121230")])
    with pytest.raises(ValidationError, match="请填写第2位代表的姓名"):
        register(office, people_count=30, representatives=[records.RepresentativeInput(" ")])
    assert _rows(office) == before


def test_numbers_run_per_year(office: Office) -> None:
    first = register(office, received_on=date(2025, 12, 30)).petition
    second = register(office).petition
    third = register(office, name="李四", id_number="", phone="13900001111", request="另一件事情的具体诉求内容").petition
    assert (first.number, second.number, third.number) == ("信〔2025〕1号", "信〔2026〕1号", "信〔2026〕2号")


def test_its_responsible_person_or_a_leader_corrects_it_at_registration(office: Office) -> None:
    made = register(office).petition
    fixed = office.run(records.update_petition, office.petition, made.id,
                       petition_input(request="反映幸福小区不动产权证书办理问题", category="城乡建设"),
                       expected_version=made.version, today=TODAY)
    assert (fixed.request, fixed.category, fixed.version) == ("反映幸福小区不动产权证书办理问题", "城乡建设", made.version + 1)
    by_leader = office.run(records.update_petition, office.director, made.id, petition_input(place="东山乡"),
                           today=TODAY)
    assert by_leader.place == "东山乡"
    with pytest.raises(ConflictError, match="已被其他人修改"):
        office.run(records.update_petition, office.petition, made.id, petition_input(), expected_version=made.version,
                   today=TODAY)
    for who in ("petition2", "clerk"):
        with pytest.raises(PermissionDenied):
            office.run(records.update_petition, office.people[who], made.id, petition_input(), today=TODAY)
    with pytest.raises(PermissionDenied, match="不能查看"):
        office.run(records.update_petition, office.liaison_fin, made.id, petition_input(), today=TODAY)


def test_a_case_out_of_sight_or_missing_is_refused(office: Office) -> None:
    made = new_petition(office)
    for who in ("finance", "cashier", "admin", "liaison_fin"):
        with pytest.raises(PermissionDenied, match="不能查看"):
            office.run(records.get_petition, office.people[who], made)
    from app.core.errors import NotFound

    with pytest.raises(NotFound, match="找不到该信访件"):
        office.run(records.get_petition, office.petition, made + 100)


def test_the_received_day_is_kept(office: Office) -> None:
    assert register(office).petition.received_on == RECEIVED
