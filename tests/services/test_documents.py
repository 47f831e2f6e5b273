"""发文 and 收文 through the services on every database: numbers, secrecy, disclosure, returns with
their errors, 会签, distribution receipts, circulation, handling deadlines, files and 催办."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import ConflictError, PermissionDenied, ValidationError, WorkflowError
from app.models import Document, DocumentError, Sequence, WorkflowInstance
from app.services.documents import archives, incoming, outgoing
from app.services.documents import records as documents
from app.services.documents.records import ErrorInput, get_document, list_documents
from tests.helpers.document_office import (
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    counts,
    new_draft,
    new_incoming,
)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def document_rows(office: Office) -> int:
    with office.ctx.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(Document)).scalar_one())


def test_an_outgoing_document_from_draft_to_archive(office: Office) -> None:
    o = office
    doc = new_draft(o, important=True, cosigner_unit_ids=[o.units["财政局"]], urgency="加急",
                    copy_recipients="县委办公室")
    advance_outgoing(o, doc, "archived")
    detail = o.run(get_document, o.director, doc)
    d = detail.document
    assert (d.doc_number, d.doc_year, d.doc_seq, d.prefix) == ("县政办发〔2026〕1号", 2026, 1, "县政办发")
    assert (d.state_label, d.closed, d.signer_name, d.doc_date) == ("已归档", True, "陈县长", TODAY)
    assert (d.copies, d.proofreader, d.urgency, d.drafting_unit_name) == (60, "赵文秘", "加急", "秘书股")
    assert detail.archive is not None and detail.archive.archive_code == "J012-WS·2026-D30-0001"
    assert [(c.unit_name, c.agreed, c.opinion) for c in detail.cosigners] == [("县财政局", True, "同意")]
    trail = [(h.action_label, h.actor_name, h.opinion) for h in detail.instance.history]
    assert trail[:4] == [("创建", "张文秘", ""), ("送核稿", "张文秘", ""), ("核稿通过", "李副主任", "文稿已核，同意送签"),
                         ("会签（县财政局）", "张文秘", "同意（单位负责人经电话提出，张文秘代为登记）")]
    assert ("签发", "陈县长", "同意印发") in trail and trail[-1][0] == "归档"
    assert [f.purpose for f in detail.files] == ["body"]


def test_a_number_is_given_only_after_signing(office: Office) -> None:
    o = office
    doc = new_draft(o)
    for state in ("draft", "review", "sign"):
        advance_outgoing(o, doc, state)
        before = counts(o.ctx)
        with pytest.raises(WorkflowError, match="只能在签发之后编号") as refused:
            o.run(outgoing.assign_number, o.clerk, doc, today=TODAY)
        assert refused.value.field == "doc_number"
        assert counts(o.ctx) == before
    with o.ctx.uow() as uow:
        drawn = select(func.count()).select_from(Sequence).where(Sequence.key == outgoing.sequence_key("县政办发"))
        assert uow.session.execute(drawn).scalar_one() == 0
    o.run(outgoing.sign, o.vice, doc, "同意", today=date(2026, 12, 31))
    # Signed, but not yet checked (复核, 条例 Art. 25): still no number.
    with pytest.raises(WorkflowError, match="须在复核之后编号") as refused:
        o.run(outgoing.assign_number, o.clerk, doc, today=date(2027, 1, 4))
    assert refused.value.field == "doc_number"
    o.run(outgoing.recheck, o.clerk, doc, "approve", today=date(2027, 1, 4))
    numbered = o.run(outgoing.assign_number, o.clerk, doc, today=date(2027, 1, 4))
    # The year is the year of signing (成文日期), even when the number is drawn in the new year.
    assert numbered.doc_number == "县政办发〔2026〕1号" and numbered.doc_date == date(2026, 12, 31)
    with pytest.raises(ValidationError, match="已有发文字号"):
        o.run(outgoing.assign_number, o.clerk, doc)


def test_numbers_run_per_prefix_and_year_without_gaps(office: Office) -> None:
    o = office
    made = []
    for prefix in ("县政办发", "县政办函", "县政办发"):
        doc = new_draft(o, prefix=prefix)
        advance_outgoing(o, doc, "number")
        made.append(doc)
    # A refused numbering (bad prefix) gives nothing away.
    with pytest.raises(ValidationError, match="机关代字“县府发”不在系统设置"):
        o.run(outgoing.assign_number, o.clerk, made[0], prefix="县府发")
    numbers = [o.run(outgoing.assign_number, o.clerk, d, today=TODAY).doc_number for d in made]
    assert numbers == ["县政办发〔2026〕1号", "县政办函〔2026〕1号", "县政办发〔2026〕2号"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"secrecy": "机密"}, "secrecy"),
        ({"secrecy": "秘密★1年"}, "secrecy"),
        ({"title": "绝密★关于某工程的通知"}, "title"),
    ],
)
def test_a_classified_mark_is_refused(office: Office, fields: dict[str, str], field: str) -> None:
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="本系统为非涉密系统，依照《保守国家秘密法》不得处理涉密公文") as refused:
        new_draft(office, **fields)
    assert refused.value.field == field
    with pytest.raises(ValidationError, match="保守国家秘密法"):
        new_incoming(office, secrecy=fields.get("secrecy", "绝密"))
    assert counts(office.ctx) == before and document_rows(office) == 0


def test_a_classified_mark_cannot_be_added_later(office: Office) -> None:
    doc = new_draft(office)
    with pytest.raises(ValidationError, match="保守国家秘密法"):
        office.run(outgoing.update_draft, office.clerk, doc, secrecy="机密")
    doc_in = new_incoming(office)
    advance_incoming(office, doc_in, "register")
    with pytest.raises(ValidationError, match="保守国家秘密法"):
        office.run(incoming.register, office.clerk, doc_in, secrecy="秘密")
    assert office.run(get_document, office.clerk, doc).document.secrecy == ""


def test_disclosure_is_required_and_withholding_needs_a_reason(office: Office) -> None:
    with pytest.raises(ValidationError, match="请选择公开属性") as missing:
        new_draft(office, disclosure="")
    assert missing.value.field == "disclosure"
    with pytest.raises(ValidationError, match="必须说明理由") as no_reason:
        new_draft(office, disclosure="不予公开")
    assert no_reason.value.field == "disclosure_reason"
    assert document_rows(office) == 0
    doc = new_draft(office, disclosure="不予公开", disclosure_reason="涉及个人隐私")
    info = office.run(get_document, office.clerk, doc).document
    assert (info.disclosure, info.disclosure_reason) == ("不予公开", "涉及个人隐私")
    # A reason is kept only for 不予公开.
    changed = office.run(outgoing.update_draft, office.clerk, doc, disclosure="主动公开")
    assert (changed.disclosure, changed.disclosure_reason) == ("主动公开", "")


def test_a_returned_draft_keeps_its_history_and_the_error(office: Office) -> None:
    o = office
    doc = new_draft(o)
    advance_outgoing(o, doc, "review")
    with pytest.raises(WorkflowError, match="必须填写意见或理由"):
        o.run(outgoing.review, o.deputy, doc, "return", "  ")
    o.run(outgoing.review, o.deputy, doc, "return", "文种使用不当，请改为“函”",
          errors=[ErrorInput("文种", "上行请示误用通知"), ErrorInput("文字差错", "“部署”误作“布署”")])
    o.run(outgoing.update_draft, o.clerk, doc, title="关于商请做好冬季森林防火工作的函", doc_type="函")
    advance_outgoing(o, doc, "sign")
    detail = o.run(get_document, o.director, doc)
    trail = [(h.action_label, h.from_label, h.to_label, h.opinion) for h in detail.instance.history]
    assert trail[2] == ("退回", "核稿", "拟稿", "文种使用不当，请改为“函”")
    assert [t[0] for t in trail] == ["创建", "送核稿", "退回", "送核稿", "核稿通过"]
    assert [(e.kind, e.person_name, e.unit_name, e.recorded_by_name) for e in detail.errors] == [
        ("文种", "张文秘", "秘书股", "李副主任"), ("文字", "张文秘", "秘书股", "李副主任"),
    ]
    with o.ctx.uow() as uow:
        linked = uow.session.execute(select(DocumentError.history_id)).scalars().all()
    assert len(set(linked)) == 1 and None not in linked
    with pytest.raises(ValidationError, match="差错类型"):
        o.run(outgoing.review, o.mayor, doc, "return", "请修改", errors=[ErrorInput("态度")])


def test_only_the_drafter_edits_and_a_stale_version_is_refused(office: Office) -> None:
    o = office
    doc = new_draft(o)
    seen = o.run(get_document, o.clerk, doc).document.version
    o.run(outgoing.update_draft, o.clerk, doc, expected_version=seen, main_recipients="各乡镇人民政府")
    with pytest.raises(ConflictError):
        o.run(outgoing.update_draft, o.clerk, doc, expected_version=seen, remark="第二个客户端")
    with pytest.raises(PermissionDenied, match="只有拟稿人本人"):
        o.run(outgoing.update_draft, o.clerk2, doc, remark="别人改")
    with pytest.raises(ValidationError, match="不能修改这些项目"):
        o.run(outgoing.update_draft, o.clerk, doc, doc_number="县政办发〔2026〕9号")
    advance_outgoing(o, doc, "review")
    with pytest.raises(WorkflowError, match="现在在“核稿”环节"):
        o.run(outgoing.update_draft, o.clerk, doc, remark="送审后再改")


def test_submitting_needs_the_body_and_a_liaison_drafts_for_their_unit(office: Office) -> None:
    o = office
    doc = new_draft(o, body=None)
    with pytest.raises(ValidationError, match="请先添加正文") as refused:
        o.run(outgoing.submit, o.clerk, doc)
    assert refused.value.field == "body"
    with pytest.raises(PermissionDenied, match="本单位名义"):
        new_draft(o, drafter=o.liaison_fin, drafting_unit_id=o.units["秘书股"])
    mine = new_draft(o, drafter=o.liaison_fin, body=None)
    assert o.run(get_document, o.liaison_fin, mine).document.drafting_unit_name == "县财政局"
    with pytest.raises(PermissionDenied, match="不属于您所在的单位"):
        o.run(get_document, o.liaison_edu, mine)


def test_cosigning_needs_every_unit_to_agree(office: Office) -> None:
    o = office
    fin, edu = o.units["财政局"], o.units["教育局"]
    doc = new_draft(o, cosigner_unit_ids=[fin, edu])
    advance_outgoing(o, doc, "cosign")
    o.run(outgoing.cosign, o.liaison_fin, doc, opinion="同意")
    with pytest.raises(ValidationError, match="写明理由"):
        o.run(outgoing.cosign, o.liaison_edu, doc, agree=False)
    o.run(outgoing.cosign, o.liaison_edu, doc, agree=False, opinion="经费来源需另行研究")
    with pytest.raises(WorkflowError, match="不满足“会签完毕”的条件：各会签单位均已同意"):
        o.run(outgoing.review, o.clerk, doc, "approve")
    with pytest.raises(ValidationError, match="不是这份公文的会签单位"):
        o.run(outgoing.cosign, o.clerk, doc, unit_id=o.units["城关镇"])
    o.run(outgoing.review, o.clerk, doc, "return", "县教育局不同意，请与其协商后修改")
    o.run(outgoing.submit, o.clerk, doc)
    detail = o.run(get_document, o.clerk, doc)
    # A new round: the answers are cleared; the earlier opinions stay in the trail.
    assert [c.agreed for c in detail.cosigners] == [None, None]
    assert "不同意：经费来源需另行研究" in [h.opinion for h in detail.instance.history]
    advance_outgoing(o, doc, "sign")
    assert o.run(get_document, o.clerk, doc).document.state == "sign"


def test_distribution_tracks_who_signed_for_it(office: Office) -> None:
    o = office
    fin, town, edu = o.units["财政局"], o.units["城关镇"], o.units["教育局"]
    doc = new_draft(o)
    advance_outgoing(o, doc, "distribute")
    with pytest.raises(ValidationError, match="至少选择一个分发单位"):
        o.run(outgoing.distribute, o.clerk, doc, [])
    o.run(outgoing.distribute, o.clerk, doc, [fin, town], complete=False)
    o.run(outgoing.distribute, o.clerk, doc, [edu, fin], copies=2, today=TODAY)
    o.run(outgoing.confirm_receipt, o.liaison_fin, doc)
    with pytest.raises(PermissionDenied, match="只有收文单位的联络员"):
        o.run(outgoing.confirm_receipt, o.liaison_edu, doc, unit_id=town)
    with pytest.raises(ValidationError, match="请填写对方签收人"):
        o.run(outgoing.confirm_receipt, o.clerk, doc, unit_id=town)
    o.run(outgoing.confirm_receipt, o.clerk, doc, unit_id=town, received_by="城关镇党政办 黄丽")
    with pytest.raises(ValidationError, match="已由吴联络签收"):
        o.run(outgoing.confirm_receipt, o.clerk, doc, unit_id=fin, received_by="某人")
    detail = o.run(get_document, o.liaison_edu, doc)
    assert [(d.unit_name, d.copies, d.received_by_name, d.received) for d in detail.distributions] == [
        ("县财政局", 1, "吴联络", True), ("城关镇", 1, "城关镇党政办 黄丽", True), ("县教育局", 2, "", False),
    ]
    assert detail.my_receipt_unit_id == edu and detail.document.state == "archive"


def test_a_circulation_is_recalled_and_stays_visible(office: Office) -> None:
    o = office
    doc = new_incoming(o)
    advance_incoming(o, doc, "instruct")
    o.run(incoming.instruct, o.mayor, doc, "请各位领导阅", needs_handling=False, today=TODAY)
    sent = o.run(incoming.circulate, o.clerk, doc, [o.mayor.id, o.vice.id, o.director.id], note="请阅")
    with pytest.raises(ValidationError, match="正在传阅此件"):
        o.run(incoming.circulate, o.clerk, doc, [o.vice.id])
    listed = o.run(list_documents, o.clerk, direction="in", circulating=True)
    assert [r.id for r in listed.rows] == [doc] and listed.rows[0].status_label == "传阅中"
    o.run(incoming.mark_read, o.mayor, sent[0].id, remark="已阅。请财政局关注资金安排")
    o.run(incoming.recall, o.clerk, sent[1].id, reason="刘副县长外出学习")
    with pytest.raises(ValidationError, match="已收回"):
        o.run(incoming.mark_read, o.vice, sent[1].id)
    with pytest.raises(ValidationError, match="已阅毕"):
        o.run(incoming.recall, o.clerk, sent[0].id)
    with pytest.raises(WorkflowError, match="不满足“传阅完毕”的条件：传阅件均已阅毕或收回"):
        o.run(incoming.finish_circulation, o.clerk, doc)
    detail = o.run(get_document, o.director, doc)
    assert detail.holders == ["王主任"] and detail.my_circulation_id == sent[2].id
    assert [(c.reader_name, c.status, c.remark) for c in detail.circulations] == [
        ("陈县长", "已阅", "已阅。请财政局关注资金安排"), ("刘副县长", "已收回", ""), ("王主任", "未阅", ""),
    ]
    o.run(incoming.recall, o.director, sent[2].id)
    o.run(incoming.finish_circulation, o.clerk, doc, today=TODAY)
    # Recalled readers can be sent it again later; the first entry stays as it was.
    again = o.run(incoming.circulate, o.clerk, doc, [o.vice.id])
    assert again[0].status == "未阅"
    after = o.run(get_document, o.clerk, doc)
    assert [c.status for c in after.circulations] == ["已阅", "已收回", "已收回", "未阅"]
    assert not o.run(list_documents, o.clerk, direction="in", circulating=False).rows


def test_handling_names_one_lead_unit_and_a_working_day_deadline(office: Office) -> None:
    o = office
    fin, edu = o.units["财政局"], o.units["教育局"]
    doc = new_incoming(o)
    advance_incoming(o, doc, "instruct")
    # From Friday 2026-09-25, 5 working days: 9/28, 9/29, 9/30, then the National Day holiday, 10/8, 10/9.
    info = o.run(incoming.instruct, o.mayor, doc, "请县财政局牵头，县教育局配合", needs_handling=True,
                 main_unit_id=fin, co_unit_ids=[edu, fin], workdays=5, today=date(2026, 9, 25))
    assert (info.handling_unit_name, info.co_units, info.handling_deadline, info.handling_provisional) == (
        "县财政局", ((edu, "县教育局"),), date(2026, 10, 9), False,
    )
    assert (info.state, info.due_date) == ("handle", date(2026, 10, 9))
    # Into a year whose holidays are not yet published: weekends and the fixed statutory holidays (元旦 on
    # Friday 2027-01-01) are off, and the result is provisional: 12/30, 12/31, 1/4, 1/5, 1/6.
    late = o.run(incoming.assign_handling, o.clerk, doc, main_unit_id=edu, workdays=5, today=date(2026, 12, 29))
    assert (late.handling_deadline, late.handling_provisional, late.due_provisional) == (date(2027, 1, 6), True, True)
    assert late.co_units == () and late.handling_unit_name == "县教育局"
    with pytest.raises(ValidationError, match="办理时限应为"):
        o.run(incoming.assign_handling, o.clerk, doc, main_unit_id=edu, workdays=0)
    with pytest.raises(PermissionDenied):
        o.run(incoming.handled, o.liaison_fin, doc, result="已办")
    done = o.run(incoming.handled, o.liaison_edu, doc, result="已按要求完成整改并报送市政府", today=TODAY)
    assert (done.state, done.result) == ("conclude", "已按要求完成整改并报送市政府")


def test_registering_gives_gap_free_receipt_numbers_and_screening_may_return(office: Office) -> None:
    o = office
    docs = [new_incoming(o, source_number=n) for n in ("江府办发[2026]45号", "江府发〔2026〕7号", "（2026）江01民初15号")]
    infos = [o.run(get_document, o.clerk, d).document for d in docs]
    assert [i.source_number for i in infos] == ["江府办发〔2026〕45号", "江府发〔2026〕7号", "（2026）江01民初15号"]
    assert infos[0].doc_type == "通知"
    with pytest.raises(ValidationError, match="来文字号“江府发〔2026〕07号”有误") as bad:
        new_incoming(o, source_number="江府发〔2026〕07号")
    assert bad.value.field == "source_number"
    for d in docs:
        advance_incoming(o, d, "screen")
    numbers = [o.run(get_document, o.clerk, d).document.receipt_number for d in docs]
    assert numbers == ["收〔2026〕1号", "收〔2026〕2号", "收〔2026〕3号"]
    returned = o.run(incoming.screen, o.deputy, docs[1], "return", "不属于本机关职责范围，退回来文单位",
                     errors=[ErrorInput("程序", "未经县级部门审核直接报送")])
    assert (returned.state_label, returned.closed) == ("已退文", True)
    errors = o.run(get_document, o.clerk, docs[1]).errors
    assert [(e.kind, e.unit_name) for e in errors] == [("程序", "江州市人民政府办公室")]


def test_files_are_kept_with_the_document(office: Office) -> None:
    o = office
    doc = new_draft(o)
    o.run(documents.add_file, o.clerk, doc, filename="附件1 名单.xlsx", data=b"xlsx")
    body = o.run(documents.add_file, o.clerk, doc, filename="正文（修改稿）.docx", data=b"second draft",
                 purpose="body")
    files = o.run(documents.list_files, o.director, doc)
    assert [(f.purpose, f.filename) for f in files] == [("attachment", "附件1 名单.xlsx"), ("body", "正文（修改稿）.docx")]
    info, data = o.run(documents.file_data, o.director, body.id)
    assert data == b"second draft" and info.sha256 == body.sha256
    with pytest.raises(PermissionDenied):
        o.run(documents.file_data, o.liaison_edu, body.id)
    with pytest.raises(PermissionDenied):
        o.run(documents.add_file, o.petition, doc, filename="x.pdf", data=b"x")
    from app.services.kernel.settings import update_settings

    with o.ctx.uow() as uow:
        update_settings(uow, o.admin, {"attachment_max_mb": 1})
    with pytest.raises(ValidationError, match="超过了 1 MB 的上限"):
        o.run(documents.add_file, o.clerk, doc, filename="扫描件.pdf", data=b"0" * (1024 * 1024 + 1), purpose="scan")
    o.run(documents.remove_file, o.clerk, doc, files[0].id)
    assert [f.purpose for f in o.run(documents.list_files, o.clerk, doc)] == ["body"]


def test_an_overdue_document_is_hastened(office: Office) -> None:
    o = office
    doc = new_draft(o, today=date(2026, 11, 2))
    with pytest.raises(ValidationError, match="已逾期或标为紧急"):
        o.run(documents.hasten, o.director, doc, "电话", today=date(2026, 11, 3))
    urged = o.run(documents.hasten, o.director, doc, "电话", "请今日内送核", today=TODAY)
    assert (urged.by_name, urged.method) == ("王主任", "电话")
    with o.ctx.uow() as uow:
        instance = uow.session.execute(select(WorkflowInstance)).scalar_one()
        assert instance.due_date == date(2026, 11, 5)


def test_archiving_needs_the_fonds_number(office: Office) -> None:
    from app.services.kernel.settings import update_settings

    o = office
    doc = new_draft(o)
    advance_outgoing(o, doc, "archive")
    with o.ctx.uow() as uow:
        update_settings(uow, o.admin, {"fonds_number": ""})
    with pytest.raises(ValidationError, match="请系统管理员先在系统设置中填写全宗号"):
        o.run(archives.archive_document, o.clerk, doc, retention="Y", pages=3)
    with o.ctx.uow() as uow:
        update_settings(uow, o.admin, {"fonds_number": "J012"})
    with pytest.raises(ValidationError, match="保管期限"):
        o.run(archives.archive_document, o.clerk, doc, retention="D20", pages=3)
    assert o.run(archives.archive_document, o.clerk, doc, retention="永久", pages=3).archive_code == "J012-WS·2026-Y-0001"


def test_archive_items_run_per_year_and_retention(office: Office) -> None:
    o = office
    plan = [("D30", None), ("Y", None), ("D30", None), ("D30", 2025), ("Y", None)]
    made = []
    for i, (retention, year) in enumerate(plan):
        if i % 2:
            doc = new_incoming(o, title=f"江州市财政局关于下达补助资金的通知（{i}）")
            advance_incoming(o, doc, "archive")
        else:
            doc = new_draft(o, title=f"关于做好第{i}批项目申报工作的通知")
            advance_outgoing(o, doc, "archive")
        made.append(o.run(archives.archive_document, o.clerk, doc, retention=retention, pages=i + 2, year=year,
                          remark="" if i else "附件另存"))
    assert [a.archive_code for a in made] == [
        "J012-WS·2026-D30-0001", "J012-WS·2026-Y-0001", "J012-WS·2026-D30-0002", "J012-WS·2025-D30-0001",
        "J012-WS·2026-Y-0002",
    ]
    catalogue = o.run(archives.archive_catalogue, o.clerk, year=2026, retention="D30")
    assert [(r.seq, r.archive_code, r.doc_number, r.responsible, r.date, r.pages, r.remark) for r in catalogue] == [
        (1, "J012-WS·2026-D30-0001", "县政办发〔2026〕1号", "青山县人民政府办公室", "20261127", 2, "附件另存"),
        (2, "J012-WS·2026-D30-0002", "县政办发〔2026〕2号", "青山县人民政府办公室", "20261127", 4, ""),
    ]
    permanent = o.run(archives.archive_catalogue, o.clerk, year=2026, retention="Y")
    assert [(r.doc_number, r.responsible) for r in permanent] == [
        ("江府办发〔2026〕45号", "江州市人民政府办公室"), ("县政办发〔2026〕3号", "青山县人民政府办公室"),
    ]
    stamp = o.run(archives.archive_stamp, o.clerk, permanent[0].document_id)
    assert (stamp.fonds, stamp.year, stamp.retention, stamp.item_no, stamp.pages) == ("J012", 2026, "永久", "0001", 3)
    with pytest.raises(PermissionDenied):
        o.run(archives.archive_catalogue, o.liaison_fin, year=2026, retention="Y")


def test_received_time_is_kept_and_may_not_be_in_the_future(office: Office) -> None:
    o = office
    doc = new_incoming(o)
    with pytest.raises(ValidationError, match="不能晚于现在"):
        o.run(incoming.sign_for, o.clerk, doc, received_at=datetime(2999, 1, 1, 9, 0))
    info = o.run(incoming.sign_for, o.clerk, doc, received_at=datetime.combine(TODAY, time(8, 5)))
    assert info.received_at is not None and info.received_at.hour == 0 and info.doc_date == TODAY
