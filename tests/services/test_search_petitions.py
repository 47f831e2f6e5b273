"""综合查询 of 信访件 (app.services.petitions.search): cases registered and handled through the real services are
found by their fields at once, by terms of one, two and four characters and by two words; not before their
commit; a correction replaces the old text; a case not accepted stays findable as 不予受理, as the lists keep it;
the petitioner's ID number, phone and address, and the text of the case's scans, are found only by those who
handle petitions and never shown to anyone else, in the snippets either; a unit's 联络员 finds only the cases
assigned to their unit; and the index kept by every commit is the index a rebuild makes. On SQLite, PostgreSQL
and MariaDB."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import pytest

from app.bootstrap import AppContext
from app.core.petitions.flow import ENTITY
from app.services.petitions import lifecycle, records
from app.services.search import query
from app.services.workflow import parallel
from tests.helpers import search_checks
from tests.helpers.document_office import TODAY, Office
from tests.helpers.docx_bodies import paragraphs
from tests.helpers.petitions_office import (
    PETITIONER_ID,
    PETITIONER_PHONE,
    build_petition_office,
    id_number,
    new_petition,
    petition_input,
)

DUE = date(2026, 12, 18)
ADDRESS = "城关镇幸福小区3栋2单元501"
REPRESENTATIVE_ID = id_number("19700101", "456")
# Who reads petitioners' particulars unmasked, and who sees every case masked.
HANDLERS = ("petition", "director", "deputy")
MASKED = ("clerk", "mayor")


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


found = partial(search_checks.found_by, ENTITY)


def shown(hit: query.SearchHit) -> str:
    """Everything a result shows: its heading and its snippet."""
    return f"{hit.title}\n{hit.snippet.label}\t{hit.snippet.text}" if hit.snippet else hit.title


def assigned(o: Office, **fields: Any) -> int:
    pid = new_petition(o, **fields)
    o.run(lifecycle.assign, o.petition, pid, unit_id=o.units["财政局"], due=DUE, task="核实开发商办证进度并答复",
          opinion="请财政局依法处理", today=TODAY)
    return pid


def test_a_case_is_found_by_its_fields(office: Office) -> None:
    o = office
    case = new_petition(o)  # 王建国, 幸福小区 不动产权证书, 商品房两证办理, 城关镇
    other = new_petition(o, name="李秀英", request="反映村道年久失修，雨天无法通行", category="交通出行", place="青山镇",
                         id_number="", phone="13900001111", facts="")
    assert set(found(o, "clerk", "证")) == {case}  # one character
    assert set(found(o, "clerk", "通行")) == {other}  # two
    assert set(found(o, "clerk", "不动产权")) == {case}  # four
    assert set(found(o, "clerk", "王建国 幸福小区")) == {case}
    assert found(o, "clerk", "王建国 青山镇") == {}
    assert set(found(o, "clerk", "信〔2026〕2号")) == {other}
    assert set(found(o, "clerk", "孙接待")) == {case, other}  # who registered them and answers for them
    hit = found(o, "clerk", "青山镇")[other]
    assert (hit.title, hit.state, hit.closed, hit.year) == (
        "信〔2026〕2号 李秀英：反映村道年久失修，雨天无法通行", "登记", False, 2026)
    assert hit.snippet is not None and (hit.snippet.label, hit.snippet.text) == ("问题属地", "青山镇")


def test_found_when_its_commit_ends_and_not_before(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    search_checks.assert_found_when_its_commit_ends_and_not_before(
        ENTITY, office, monkeypatch, "director", "不动产权", lambda: new_petition(office)
    )


def test_a_correction_replaces_the_old_text(office: Office) -> None:
    o = office
    case = new_petition(o)
    o.run(records.update_petition, o.petition, case,
          petition_input(request="反映小区物业乱收费", address="城关镇和平路8号"), today=TODAY)
    assert found(o, "clerk", "不动产权") == {} and found(o, "petition", "幸福小区") == {}
    assert set(found(o, "clerk", "物业")) == {case}
    assert set(found(o, "petition", "和平路")) == {case} and found(o, "clerk", "和平路") == {}


def test_what_the_handling_said_is_found(office: Office) -> None:
    o = office
    case = assigned(o)
    instance = o.run(records.get_petition, o.director, case).instance_id
    task = [i for i in o.run(parallel.work_items_of, o.director, instance).items if i.lead][-1]
    o.run(parallel.report_work_item, o.liaison_fin, task.id, "已督促开发商补齐材料")
    o.run(lifecycle.write_reply, o.petition, case, findings="开发商已补齐材料，登记中心已受理",
          decision="支持", basis="《不动产登记暂行条例》第十四条", today=TODAY)
    labels = {
        text: found(o, "clerk", text)[case].snippet.label  # type: ignore[union-attr]
        for text in ("依法处理", "核实开发商", "督促开发商", "登记中心", "暂行条例", "县财政局")
    }
    assert labels == {"依法处理": "办理意见", "核实开发商": "交办任务", "督促开发商": "办理情况",
                      "登记中心": "查明的事实", "暂行条例": "处理依据", "县财政局": "承办单位"}
    assert found(o, "clerk", "暂行条例")[case].state == "办理"


def test_a_case_not_accepted_is_found_as_such(office: Office) -> None:
    o = office
    case = new_petition(o)
    o.run(lifecycle.reject, o.petition, case, reason="不属于行政机关职权范围", today=TODAY)
    hit = found(o, "clerk", "不动产权")[case]
    assert (hit.state, hit.closed) == ("不予受理", True)
    assert set(found(o, "clerk", "职权范围")) == {case}
    assert found(o, "clerk", "不动产权", state=query.OPEN) == {}
    assert set(found(o, "clerk", "不动产权", state="不予受理")) == {case}


@pytest.mark.parametrize("term", [PETITIONER_ID, PETITIONER_PHONE, "3栋2单元", REPRESENTATIVE_ID, "13700001234"])
def test_the_petitioners_particulars_are_found_by_those_who_handle_petitions_only(office: Office, term: str) -> None:
    o = office
    case = new_petition(o, address=ADDRESS, people_count=2,
                        representatives=[records.RepresentativeInput("赵大海", REPRESENTATIVE_ID, "13700001234")])
    for who in HANDLERS:
        hit = found(o, who, term)[case]
        assert hit.snippet is not None and term in hit.snippet.text
    for who in (*MASKED, "liaison_fin"):
        assert found(o, who, term) == {}, who


def test_nobody_else_sees_the_particulars_in_a_result(office: Office) -> None:
    """A term in both the request (public) and the address (private): the masked reader finds the case by the
    request, and nothing they are shown holds the ID number, the phone or the address."""
    o = office
    case = new_petition(o, address="城关镇幸福小区3栋2单元501")
    particulars = (PETITIONER_ID, PETITIONER_PHONE, "3栋2单元")
    for text in ("幸福小区", "王建国", "城关镇", "1", "3", "5"):
        for who in MASKED:
            for hit in found(o, who, text).values():
                assert not any(p in shown(hit) for p in particulars), (who, text, shown(hit))
    clerk_hit = found(o, "clerk", "幸福小区")[case]
    assert clerk_hit.snippet is not None and clerk_hit.snippet.label == "信访诉求"


def test_the_scans_text_is_found_by_the_handlers_only(office: Office) -> None:
    o = office
    case = new_petition(o)
    with o.ctx.uow() as uow:
        petition, _instance = records.load(uow, o.petition, case)
        records.FILES.add(uow, o.petition, petition, filename="来信.docx",
                          data=paragraphs("要求补发拆迁补偿款，身份证号见附件"), purpose="letter")
    assert set(found(o, "petition", "拆迁补偿")) == {case}
    assert found(o, "clerk", "拆迁补偿") == {} and found(o, "clerk", "来信") == {}


def test_a_liaison_finds_only_the_cases_assigned_to_their_unit(office: Office, walk: str) -> None:
    o = office
    case = new_petition(o)
    assert found(o, "liaison_fin", "不动产权") == {}
    o.run(lifecycle.assign, o.petition, case, unit_id=o.units["财政局"], due=DUE, task="核实办证进度", today=TODAY)
    assert set(found(o, "liaison_fin", "不动产权")) == {case}
    assert found(o, "liaison_edu", "不动产权") == {}
    assert found(o, "finance", "不动产权") == {}  # a role of the office that does not see petitions


def test_the_kept_index_is_the_rebuilt_one(office: Office) -> None:
    o = office
    new_petition(o)
    assigned(o, name="李秀英")
    rejected = new_petition(o, name="张三")
    o.run(lifecycle.reject, o.petition, rejected, reason="重复信访", today=TODAY)
    corrected = new_petition(o)
    o.run(records.update_petition, o.petition, corrected, petition_input(request="反映噪声扰民"), today=TODAY)
    rows, postings = search_checks.kind_index(o.ctx, ENTITY)
    assert len(rows) == 4 and any(not public for public in postings.values())
    search_checks.assert_upkeep_is_a_rebuild(ENTITY, o.ctx)
