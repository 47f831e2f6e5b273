"""信访's forms drawn from real cases and read back with pypdf: the 信访登记表, 交办单, 处理意见书 and 信访台账, each
masked for a reader who does not handle petitions and unmasked, with an audit row, for one who does; refused where
the reader may not see the case or the form does not exist yet (nothing recorded then). The wording of the 复查
and 复核意见书 from their data. On SQLite, PostgreSQL and MariaDB where a database is involved."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.core.ids import mask_id_number, mask_phone
from app.core.petitions.terms import INITIAL, RE_REVIEW, REVIEW
from app.db.tables import audit_log
from app.forms import PrintContext, PrintPeriod
from app.forms import petitions as loaders
from app.printing.petitions.assignment import render_assignment
from app.printing.petitions.data import CaseFacts, Handling, OpinionLetter, Person, RegisterSheet
from app.printing.petitions.ledger import render_ledger
from app.printing.petitions.opinion import render_opinion
from app.printing.petitions.register import render_register
from app.services.petitions import lifecycle
from app.services.petitions.records import RepresentativeInput
from tests.helpers.document_office import TODAY, Office
from tests.helpers.pdfcheck import assert_fonts_embedded, compact, page_text, reader
from tests.helpers.petitions_forms import BASIS, FINDINGS, OBJECTION_BY, TASK, assign_case, reply_case
from tests.helpers.petitions_office import (
    PETITIONER_ID,
    PETITIONER_PHONE,
    REQUEST,
    build_petition_office,
    id_number,
    new_petition,
    register,
)

OTHER_ID = id_number("19700101", "456")


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


def as_user(o: Office, who: str) -> PrintContext:
    return PrintContext(o.ctx, o.people[who])


def audit(o: Office, action: str) -> list[tuple[str, int | None, dict[str, Any]]]:
    with o.ctx.uow() as uow:
        rows = uow.execute(select(audit_log.c.username, audit_log.c.entity_id, audit_log.c.detail)
                           .where(audit_log.c.action == action).order_by(audit_log.c.seq)).all()
    found = [(r.username, r.entity_id, json.loads(r.detail)) for r in rows]
    # The acts that took the case along read it unmasked too (办理): these tests look at the forms' reads.
    return [row for row in found if row[2].get("where") != "办理"]


def text(pdf: bytes) -> str:
    return compact(page_text(pdf))


# ----- 信访登记表 -------------------------------------------------------------------------------------------


def test_register_form_is_masked_for_the_clerk_and_whole_for_the_officer_who_is_audited(office: Office) -> None:
    first = register(office).petition
    group = register(office, people_count=3,
                     representatives=[RepresentativeInput("李大明", OTHER_ID, "13900001111")]).petition
    assert group.is_repeat

    clerk_pdf = render_register(loaders.load_register(as_user(office, "clerk"), group.id))
    said = text(clerk_pdf)
    for words in ("青山县人民政府办公室", "信访登记表", group.number, "来访", "王建国", "3人", "李大明", "商品房两证办理",
                  "城关镇", compact(REQUEST), f"是，与{first.number}重复", "孙接待", "已按规定隐去部分内容"):
        assert words in said, words
    assert mask_id_number(PETITIONER_ID) in said and mask_phone(PETITIONER_PHONE) in said
    assert PETITIONER_ID not in said and PETITIONER_PHONE not in said and OTHER_ID not in said
    assert "城关镇幸福小区3栋2单元501" not in said
    assert audit(office, "view_unmasked") == []
    assert_fonts_embedded(clerk_pdf)

    officer = text(render_register(loaders.load_register(as_user(office, "petition"), group.id)))
    assert PETITIONER_ID in officer and PETITIONER_PHONE in officer and OTHER_ID in officer
    assert "城关镇幸福小区3栋2单元501" in officer and "仅供信访工作使用" in officer
    assert [(who, entity, detail["where"]) for who, entity, detail in audit(office, "view_unmasked")] == [
        ("petition", group.id, "登记表")]
    assert [(who, entity, detail["form"]) for who, entity, detail in audit(office, "print")] == [
        ("clerk", group.id, "petition-register"), ("petition", group.id, "petition-register")]


def test_register_form_lists_what_was_done_with_the_case(office: Office) -> None:
    case = new_petition(office)
    assign_case(office, case)
    said = text(render_register(loaders.load_register(as_user(office, "director"), case)))
    # Each move with its opinion, then who made it and when (the day it was recorded).
    assert "拟办意见受理情况交办：交财政局办理签名：孙接待" in said


def test_a_unit_that_was_not_assigned_the_case_may_not_print_it(office: Office) -> None:
    case = new_petition(office)
    with pytest.raises(PermissionDenied, match="没有交办给您的单位"):
        loaders.load_register(as_user(office, "liaison_fin"), case)
    assert audit(office, "print") == []


# ----- 交办单 -------------------------------------------------------------------------------------------


def test_assignment_slip_goes_to_the_unit_with_its_task_and_limits(office: Office) -> None:
    case = new_petition(office)
    with pytest.raises(ValidationError, match="没有交办给承办单位"):
        loaders.load_assignment(as_user(office, "petition"), case)
    assign_case(office, case)

    pdf = render_assignment(loaders.load_assignment(as_user(office, "liaison_fin"), case))
    said = text(pdf)
    for words in ("信访事项交办单", "县财政局", compact(TASK), "2026年12月28日", f"异议期限{OBJECTION_BY}",
                  f"请于{OBJECTION_BY}前（5个工作日内）书面提出", "签收人", "交办日期：2026年11月27日"):
        assert words in said, words
    # The 联络员 reads the petitioner masked; the 落款 is the office's.
    assert mask_phone(PETITIONER_PHONE) in said and PETITIONER_PHONE not in said
    assert said.endswith("青山县人民政府办公室2026年11月27日") or "青山县人民政府办公室2026年11月27日" in said
    assert audit(office, "view_unmasked") == []
    with pytest.raises(PermissionDenied):
        loaders.load_assignment(as_user(office, "liaison_edu"), case)

    officer = text(render_assignment(loaders.load_assignment(as_user(office, "petition"), case)))
    assert PETITIONER_PHONE in officer
    assert [(w, d["where"]) for w, _e, d in audit(office, "view_unmasked")][-1] == ("petition", "交办单")
    assert [(w, d["form"]) for w, _e, d in audit(office, "print")] == [
        ("liaison_fin", "petition-assignment"), ("petition", "petition-assignment")]


def test_assignment_slip_follows_an_upheld_objection_and_an_extension(office: Office) -> None:
    case = new_petition(office)
    assign_case(office, case)
    objection = office.run(lifecycle.object_to_assignment, office.liaison_fin, case, reason="不属本单位职责",
                           today=date(2026, 11, 30))
    office.run(lifecycle.answer_objection, office.director, objection.id, uphold=True, answer="改由教育局办理",
               new_unit_id=office.units["教育局"], due=date(2026, 12, 30), today=date(2026, 12, 1))
    office.run(lifecycle.extend, office.director, case, days=20, reason="案情复杂，需现场核查", today=date(2026, 12, 2))

    said = text(render_assignment(loaders.load_assignment(as_user(office, "liaison_edu"), case)))
    # Dated the day the objection was upheld; its 异议期限 5 working days on (2026-12-08).
    for words in ("县教育局", "交办日期：2026年12月1日", "办理期限2026年12月30日", "异议期限2026年12月8日",
                  "延期情况经批准延期20日，理由：案情复杂，需现场核查"):
        assert words in said, words
    with pytest.raises(PermissionDenied):
        loaders.load_assignment(as_user(office, "liaison_fin"), case)


# ----- 处理意见书 ----------------------------------------------------------------------------------------


def test_opinion_is_refused_until_the_reply_is_signed_then_printed(office: Office) -> None:
    case = new_petition(office)
    reply_case(office, case, "不予支持", sign=False)
    with pytest.raises(ValidationError, match="尚未审核签发"):
        loaders.load_opinion(as_user(office, "petition"), case)
    assert audit(office, "print") == []

    other = new_petition(office, id_number=OTHER_ID, name="李大明", phone="13900001111")
    reply_case(office, other, "支持")
    said = text(render_opinion(loaders.load_opinion(as_user(office, "clerk"), other)))
    for words in ("信访事项处理意见书", "李大明：", "一、信访请求", compact(REQUEST), "二、查明的事实", compact(FINDINGS),
                  "三、处理意见", "予以支持", f"依据：{compact(BASIS)}", "四、告知事项",
                  "自收到本意见书之日起30日内，向青山县人民政府书面请求复查", "青山县人民政府办公室2026年11月27日"):
        assert words in said, words
    assert [(w, d["form"]) for w, _e, d in audit(office, "print")] == [("clerk", "petition-opinion")]


def test_a_review_of_a_real_case_prints_as_a_review(office: Office) -> None:
    case = new_petition(office)
    reply_case(office, case, "不予支持")
    review = office.run(lifecycle.open_review, office.petition, case, requested_on=TODAY,
                        request="对处理意见不服，请求复查", today=TODAY).id
    registered = text(render_register(loaders.load_register(as_user(office, "clerk"), review)))
    assert "复查〔2026〕1号" in registered and "类型复查（原件：信〔2026〕1号）" in registered
    reply_case(office, review, "不予支持")
    said = text(render_opinion(loaders.load_opinion(as_user(office, "clerk"), review)))
    for words in ("信访事项复查意见书", "复查〔2026〕1号", "对信〔2026〕1号提出的复查请求", "三、复查意见",
                  "向复查机关的上一级行政机关请求复核"):
        assert words in said, words


def _case(stage: str) -> CaseFacts:
    return CaseFacts("青山县人民政府办公室", {INITIAL: "信〔2026〕1号", REVIEW: "复查〔2026〕1号",
                                            RE_REVIEW: "复核〔2026〕1号"}[stage],
                     stage, date(2026, 11, 2), "来信", Person("王建国"), "请求撤销原处理意见")


@pytest.mark.parametrize(("stage", "title", "says", "absent"), [
    (REVIEW, "信访事项复查意见书", "如对本复查意见不服，可以自收到本意见书之日起30日内，向复查机关的上一级行政机关请求复核",
     "不再受理"),
    (RE_REVIEW, "信访事项复核意见书", "信访人对复核意见不服的，不再受理", "请求复核"),
])
def test_a_review_prints_its_own_title_and_what_may_follow(stage: str, title: str, says: str, absent: str) -> None:
    letter = OpinionLetter(_case(stage), "经复查，原处理意见认定事实清楚", "不予支持", "《信访工作条例》第三十五条",
                           date(2026, 11, 20), reviews_number="信〔2026〕1号")
    said = text(render_opinion(letter))
    assert title in said and says in said and absent not in said
    assert "对信〔2026〕1号提出的" in said and "不予支持" in said


def test_an_opinion_letter_without_a_known_decision_is_refused() -> None:
    with pytest.raises(ValidationError, match="处理意见只能是支持、解释说明、不予支持"):
        OpinionLetter(_case(INITIAL), FINDINGS, "同意", BASIS, date(2026, 11, 20))


# ----- 信访台账 -----------------------------------------------------------------------------------------


def test_ledger_of_a_quarter_masked_for_the_clerk_unmasked_and_audited_for_the_officer(office: Office) -> None:
    first = new_petition(office)
    new_petition(office, people_count=4)
    outside = new_petition(office, received_on=date(2026, 9, 30), request="反映教师绩效工资发放不到位的问题及诉求",
                           category="教育", place="城东乡", id_number=OTHER_ID, phone="13900001111", name="李大明")
    reply_case(office, first, "支持")
    q4 = PrintPeriod(year=2026, quarter=4)

    clerk = loaders.load_ledger(as_user(office, "clerk"), q4)
    assert [row.serial for row in clerk.rows] == [1, 2] and clerk.masked
    pdf = render_ledger(clerk)
    said = text(pdf)
    for words in ("青山县人民政府办公室信访台账", "2026年第四季度", "信访人联系电话已隐去部分内容", "共2件",
                  mask_phone(PETITIONER_PHONE), "已答复", "支持", "（重复信访）",
                  "合计：信访件2件，涉及5人次；其中重复信访1件，已办结0件；处理意见：支持1件。", "第1页共1页"):
        assert words in said, words
    assert PETITIONER_PHONE not in said and "李大明" not in said
    assert audit(office, "view_unmasked") == []
    assert_fonts_embedded(pdf)

    officer = loaders.load_ledger(as_user(office, "petition"), PrintPeriod(year=2026, month=9))
    assert [(r.name, r.phone) for r in officer.rows] == [("李大明", "13900001111")] and not officer.masked
    assert [(w, d["where"], d["petitions"]) for w, _e, d in audit(office, "view_unmasked")] == [
        ("petition", "台账打印", [outside])]
    assert [(w, d["form"], d["period"], d["count"]) for w, _e, d in audit(office, "print")] == [
        ("clerk", "petition-ledger", "2026年第四季度", 2), ("petition", "petition-ledger", "2026年9月", 1)]


def test_ledger_is_refused_to_a_unit_and_for_a_bad_period(office: Office) -> None:
    new_petition(office)
    with pytest.raises(PermissionDenied, match="信访台账由信访接待员、办公室人员和县领导打印"):
        loaders.load_ledger(as_user(office, "liaison_fin"), PrintPeriod(year=2026))
    with pytest.raises(ValidationError, match="季度应为1至4"):
        loaders.load_ledger(as_user(office, "petition"), PrintPeriod(year=2026, quarter=5))
    with pytest.raises(ValidationError, match="年度"):
        loaders.load_ledger(as_user(office, "petition"), PrintPeriod())
    assert audit(office, "print") == []


def test_an_empty_ledger_says_so(office: Office) -> None:
    said = text(render_ledger(loaders.load_ledger(as_user(office, "mayor"), PrintPeriod(year=2025))))
    assert "所选期间没有信访件" in said and "合计：信访件0件，涉及0人次" in said


def test_a_long_request_goes_whole_to_a_continuation_page_and_a_long_history_is_cut() -> None:
    case = CaseFacts("青山县人民政府办公室", "信〔2026〕9号", INITIAL, date(2026, 11, 2), "来信", Person("王建国"),
                     "要求补偿。" * 400, "", 1, "事实经过如下。" * 571, "征地拆迁", "城关镇")
    moves = [Handling("退回修改" if n % 2 else "报送审核", "孙接待", date(2026, 11, 3), "请补充材料。" * 40)
             for n in range(20)]
    pdf = render_register(RegisterSheet(case, "孙接待", date(2026, 11, 27), handling=moves))
    first, *rest = [compact(page.extract_text()) for page in reader(pdf).pages]
    assert "内容较长，详见续页“信访诉求”" in first and "内容较长，详见续页“事实和理由”" in first
    assert "（此前另有17条办理记录）" in first and first.count("签名：孙接待") == 3
    continued = "".join(rest)
    assert continued.startswith("续页（信访登记表信〔2026〕9号）信访诉求")
    assert continued.count("要求补偿") == 400 and continued.count("事实经过如下") == 571
