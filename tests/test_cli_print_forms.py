"""Every form `govdesk forms` lists prints from `govdesk print`, as the user of --as or as the system.

Each form: a user who may not see what it prints is refused, with no PDF and no print in the audit log; one who
may gets the PDF (read back with pypdf); the print is in the audit log, with the form, as made on the command
line. The registers, catalogues and notices take their period (--year, --quarter, --retention, --from/--to),
and every wrong argument is one Chinese line with exit code 2. On SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.cli import main
from app.core.claims import LineInput
from app.forms import build_registry
from app.models import Document
from app.services.admin import audit
from app.services.claims import records as claims
from app.services.kernel.settings import update_settings
from app.services.workflow import urges
from tests.helpers import PASSWORD
from tests.helpers.cli_print import Cli, prints, text_of
from tests.helpers.document_office import (
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)
from tests.helpers.docx_bodies import paragraphs as docx_paragraphs


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


@dataclass(frozen=True)
class Case:
    """One form printed: its arguments, what its PDF must say, and what its audit entry names."""

    form: str
    arguments: tuple[str, ...]
    says: tuple[str, ...]
    entity: tuple[str, int | None]
    detail: dict[str, Any]


# What another unit's liaison is told, form by form: each is the services' refusal, not some other failure.
_NOT_OURS = "这份公文不属于您所在的单位，不能查看或办理"
_NOT_VISIBLE = "这件事项不在您可以查看的范围内，不能{0}；如需办理，请联系它的经办人或办公室"
_NOT_YOUR_CLAIM = "这张报销单不是您的，也不在您审批的范围内，不能查看"
_CATALOGUE = "只有办公室主任、副主任、文秘人员可以查看归档文件目录"
REFUSALS = {
    "outgoing-draft": _NOT_OURS, "incoming-slip": _NOT_OURS, "official-document": _NOT_OURS,
    "urge-slip": _NOT_VISIBLE.format("打印催办单"), "flowchart": _NOT_VISIBLE.format("查看"),
    "claim-form": _NOT_YOUR_CLAIM, "claim-form-receipts": _NOT_YOUR_CLAIM, "claim-flowchart": _NOT_YOUR_CLAIM,
    "receipt-register": "收文登记簿由办公室查阅和打印，请向办公室文秘人员索取",
    "archive-catalogue": _CATALOGUE, "archive-stamps": _CATALOGUE,
    "document-notice": "只有办公室主任、副主任、文秘人员、县领导可以查看公文运转及差错情况通报",
    "supervision-slip": "这件督办事项不由您的单位牵头或协办，不能查看",
    "supervision-ledger": "督办台账由办公室和县领导打印，请向办公室索取",
    "supervision-notice": "只有办公室主任、副主任、文秘人员、县领导可以查看督查通报",
    **dict.fromkeys(("meeting-notice", "meeting-sign-in", "meeting-seating", "meeting-plan"),
                    "您的单位不参加也不承办这个会议，不能查看"),
    **dict.fromkeys(("petition-register", "petition-assignment", "petition-opinion"),
                    "这件信访件没有交办给您的单位，不能查看"),
    "petition-ledger": "信访台账由信访接待员、办公室人员和县领导打印，承办单位请在信访列表中查看交办给本单位的信访件",
    "info-issue": "《政务信息》2026年第1期正在编辑，尚未印发，只有文秘人员和办公室领导可以查看",
    "info-notice": "政务信息报送情况通报供文秘人员、办公室领导和各信息组成员查看，您不在任何信息组中",
    "info-study-rotation": "只有信息组成员和文秘人员、办公室领导可以查看周一学习安排",
}


def instance_of(office: Office, document_id: int) -> int:
    with office.ctx.uow() as uow:
        return int(uow.session.execute(
            select(Document.workflow_instance_id).where(Document.id == document_id)
        ).scalar_one())


def _information(o: Office) -> tuple[int, int]:
    """信息调研: the clerk writes in 第一信息组; an issue being edited holds her item; a term's rotation is made."""
    from datetime import date

    from app.services.information import groups, issues, items, study

    made = o.run(groups.create_default_groups, o.admin)
    o.run(groups.save_group, o.admin, made[0].id, name=made[0].name, leader_id=o.deputy.id, member_ids=[o.clerk.id])
    item = o.run(items.create_item, o.clerk, items.ItemInput("item", "城关镇农村公路提质改造取得新进展", "新改建12公里。"),
                 submit=True, today=TODAY)
    issue = o.run(issues.create_issue, o.clerk, issue_date=TODAY, today=TODAY)
    o.run(issues.add_items, o.clerk, issue.id, [item.id])
    term = o.run(study.create_term, o.clerk, name="2026年冬季学习", starts_on=date(2026, 11, 2),
                 ends_on=date(2026, 12, 28), topics=["案例解剖"])
    o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 11, 2))
    return issue.id, term.id


def prepare(office: Office) -> list[Case]:
    """An archived 发文, a registered and urged 收文, a submitted claim: something for every form to print."""
    o = office
    with o.ctx.uow() as uow:
        update_settings(uow, o.admin, {"doc_prefixes": ["县政办发", "县政发", "县政办函"]})
    draft = new_draft(o, title="关于做好冬季森林防火工作的通知")
    advance_outgoing(o, draft, "archived")
    # Typeset at 印制, from a real .docx body.
    typeset = new_draft(o, title="关于做好元旦春节期间安全生产工作的通知", body=("正文.docx", docx_paragraphs(
        "一、压实安全责任", "各乡镇要落实属地管理责任，开展一次全覆盖的隐患排查。")))
    advance_outgoing(o, typeset, "print")
    incoming = new_incoming(o, title="关于开展安全生产大检查的通知")
    advance_incoming(o, incoming, "screen")
    item = instance_of(o, incoming)
    o.run(urges.urge, o.director, item, "电话", "请尽快拟办", today=TODAY)
    with o.ctx.uow() as uow:
        claim = claims.create_claim(uow, o.clerk, claims.ClaimInput(
            o.units["秘书股"], TODAY, [LineInput("购买打印纸", "办公费", "1409.50")], 1))
    with o.ctx.uow() as uow:
        claims.add_receipt(uow, o.clerk, claim.id, filename="发票.txt", data=b"not a scan")
    with o.ctx.uow() as uow:
        claims.submit(uow, o.clerk, claim.id)
    draft_item = instance_of(o, draft)
    from tests.helpers.supervision_office import new_item

    supervised = new_item(o, title="新建城区公共停车位500个", co_unit_ids=[])
    from app.services.meetings import plan
    from app.services.meetings.records import AttendeeInput
    from tests.helpers.meetings_office import new_meeting

    # The 财政局 attends, the 教育局 (the outsider's unit) does not.
    meeting = new_meeting(o, None, place="县政府第一会议室", attendees=[
        AttendeeInput(user_id=o.mayor.id, post="县长", rank=1, zone="dais"),
        AttendeeInput(unit_id=o.units["财政局"], name="钱局长", post="局长", rank=2)])
    o.run(plan.make_plan, o.clerk, meeting)
    m = ("--id", str(meeting))
    d30 = ("--year", "2026", "--retention", "D30")
    issue, term = _information(o)
    from tests.helpers.petitions_forms import assign_case, reply_case
    from tests.helpers.petitions_office import new_petition

    # Registered by the 信访接待员; one assigned to the 财政局, one answered.
    petition = new_petition(o)
    assigned = new_petition(o, name="李大明", id_number="", phone="13900001111")
    assign_case(o, assigned)
    answered = new_petition(o, name="张秀英", id_number="", phone="13700002222")
    reply_case(o, answered)
    return [
        Case("info-issue", ("--id", str(issue)), ("政务信息", "第1期", "农村公路"), ("info_issue", issue),
             {"label": "2026年第1期", "issued": False}),
        Case("info-notice", ("--year", "2026", "--quarter", "4"), ("关于2026年第四季度政务信息报送情况的通报",),
             ("information_item", None), {"period": "2026年第四季度"}),
        Case("info-study-rotation", ("--id", str(term)), ("周一学习轮讲安排表", "张文秘"), ("study_term", term), {}),
        Case("petition-register", ("--id", str(petition)), ("信访登记表", "王建国"), ("petition", petition), {}),
        Case("petition-assignment", ("--id", str(assigned)), ("信访事项交办单", "县财政局"), ("petition", assigned), {}),
        Case("petition-opinion", ("--id", str(answered)), ("信访事项处理意见书", "张秀英："), ("petition", answered),
             {}),
        Case("petition-ledger", ("--year", "2026"), ("信访台账", "共3件"), ("petition", None),
             {"period": "2026年", "count": 3}),
        Case("meeting-notice", m, ("关于召开县政府第12次常务会议的通知", "县财政局："), ("meeting", meeting), {}),
        Case("meeting-sign-in", m, ("县政府第12次常务会议签到表", "钱局长"), ("meeting", meeting), {}),
        Case("meeting-seating", m, ("县政府第12次常务会议座次图", "陈县长"), ("meeting", meeting), {}),
        Case("meeting-plan", m, ("县政府第12次常务会议方案", "材料准备"), ("meeting", meeting), {}),
        Case("official-document", ("--id", str(typeset)), (
            "青山县人民政府办公室文件", "县政办发〔2026〕2号", "关于做好元旦春节期间安全生产工作的通知",
            "一、压实安全责任", "各乡镇要落实属地管理责任"), ("document", typeset), {}),
        Case("outgoing-draft", ("--id", str(draft)), ("发文稿纸", "关于做好冬季森林防火工作的通知"),
             ("document", draft), {}),
        Case("incoming-slip", ("--id", str(incoming)), ("收文处理笺", "关于开展安全生产大检查的通知"),
             ("document", incoming), {}),
        Case("urge-slip", ("--id", str(item)), ("催办单", "请尽快拟办"), ("document", incoming), {"instance": item}),
        Case("flowchart", ("--id", str(draft_item)), ("关于做好冬季森林防火工作的通知",), ("document", draft),
             {"instance": draft_item}),
        Case("claim-form", ("--id", str(claim.id)), ("壹仟肆佰零玖元伍角整", o.clerk.full_name), ("claim", claim.id), {}),
        Case("claim-form-receipts", ("--id", str(claim.id)), ("壹仟肆佰零玖元伍角整", "发票.txt"),
             ("claim", claim.id), {}),
        Case("claim-flowchart", ("--id", str(claim.id)), ("报账流程图", "财务审核"), ("claim", claim.id), {}),
        Case("receipt-register", ("--from", "2026-11-01", "--to", "2026-11-30"),
             ("收文登记簿", "关于开展安全生产大检查的通知"), ("document", None),
             {"date_from": "2026-11-01", "date_to": "2026-11-30", "count": 1}),
        Case("archive-catalogue", d30, ("归档文件目录", "关于做好冬季森林防火工作的通知", "备考表"), ("document", None),
             {"year": 2026, "retention": "D30", "count": 1}),
        Case("archive-stamps", d30, ("归档章", "县政办发〔2026〕1号"), ("document", None),
             {"year": 2026, "retention": "D30", "count": 1}),
        Case("document-notice", ("--year", "2026", "--quarter", "4"), ("2026年第四季度公文运转及差错情况",),
             ("document", None), {"year": 2026, "quarter": 4}),
        Case("supervision-slip", ("--id", str(supervised)), ("督办通知单", "新建城区公共停车位500个"),
             ("supervision_item", supervised), {}),
        Case("supervision-ledger", ("--year", "2026"), ("督办台账", "新建城区公共停车位500个"),
             ("supervision_item", None), {"year": 2026, "count": 1}),
        Case("supervision-notice", ("--year", "2026", "--quarter", "4"), ("督查督办工作情况的通报",),
             ("supervision_item", None), {"year": 2026, "quarter": 4}),
    ]


def test_every_form_prints_as_the_user_who_may_see_it_and_is_audited(
    cli: Cli, ctx: AppContext, tmp_path: Path
) -> None:
    office = build_office(ctx)
    cases = prepare(office)
    # Every form the registry lists is printed here: a form added without a case fails.
    assert sorted(c.form for c in cases) == sorted(build_registry().names())
    outsider, clerk = office.liaison_edu, office.clerk  # another unit's liaison; the office's 文秘
    for case in cases:
        refused = tmp_path / f"refused-{case.form}.pdf"
        before = prints(ctx)
        code, out, err = cli("print", case.form, *case.arguments, "--out", str(refused), "--as", outsider.username,
                             stdin=f"{PASSWORD}\n")
        assert (code, out) == (2, ""), (case.form, err)
        assert err == f"错误：{REFUSALS[case.form]}\n", (case.form, err)
        assert not refused.exists(), case.form
        assert prints(ctx) == before, f"{case.form}: a refused print is not in the audit log"

        printed = tmp_path / f"{case.form}.pdf"
        code, out, err = cli("print", case.form, *case.arguments, "--out", str(printed), "--as", clerk.username,
                             stdin=f"{PASSWORD}\n")
        assert (code, err) == (0, ""), (case.form, err)
        assert out.startswith(f"已输出 {build_registry().get(case.form).title}"), out
        text = text_of(printed)
        for words in case.says:
            assert words in text, (case.form, words)
        entries = prints(ctx)
        assert len(entries) == len(before) + 1, case.form
        user_id, username, entity_type, entity_id, detail = entries[-1]
        assert (user_id, username) == (clerk.id, clerk.username), case.form
        assert (entity_type, entity_id) == case.entity, case.form
        facts = json.loads(detail)
        assert facts["form"] == case.form and facts["via"] == "cli" and facts["account"], (case.form, facts)
        assert facts["form_title"] == build_registry().get(case.form).title
        for key, value in case.detail.items():
            assert facts[key] == value, (case.form, key, facts)


def test_without_as_the_system_prints_and_the_log_says_from_the_command_line(
    cli: Cli, ctx: AppContext, tmp_path: Path
) -> None:
    office = build_office(ctx)
    draft = new_draft(office, title="关于做好冬季森林防火工作的通知")
    target = tmp_path / "draft.pdf"
    assert cli("print", "outgoing-draft", "--id", str(draft), "--out", str(target))[0] == 0
    quarter = tmp_path / "notice.pdf"
    # The system reads what the office's roles read: the quarterly notice too.
    code, out, err = cli("print", "document-notice", "--year", "2026", "--quarter", "4", "--out", str(quarter))
    assert (code, err) == (0, "") and out.startswith("已输出 公文运转及差错情况通报（2026年第四季度）")
    (draft_print, notice_print) = prints(ctx)
    assert draft_print[:4] == (None, "system", "document", draft)
    assert notice_print[:4] == (None, "system", "document", None)
    # As the audit log viewer shows them, newest first.
    shown, total = office.run(audit.list_entries, office.admin, action="print")
    assert total == 2 and [row.action_label for row in shown] == ["打印表单", "打印表单"]
    notice, draft_row = shown
    assert (notice.who, notice.subject, draft_row.who) == ("系统", "公文", "系统")
    assert draft_row.subject == "发文《关于做好冬季森林防火工作的通知》"
    assert draft_row.description.startswith("表单：发文稿纸；")
    assert "表单：公文运转及差错情况通报" in notice.description and "季度：4" in notice.description
    assert "途径：命令行" in notice.description and "本机账户：" in notice.description
    assert "outgoing-draft" not in draft_row.description and "form_title" not in draft_row.description


def test_a_batch_records_each_printed_record_and_not_the_refused_ones(
    cli: Cli, ctx: AppContext, tmp_path: Path
) -> None:
    office = build_office(ctx)
    fin = new_draft(office, title="关于县财政局会签的通知", cosigner_unit_ids=[office.units["财政局"]])
    ours = new_draft(office, title="关于秘书股内部事项的通知")
    code, out, err = cli("print", "outgoing-draft", "--id", f"{fin},{ours}", "--out", str(tmp_path / "batch"),
                         "--as", office.liaison_fin.username, stdin=f"{PASSWORD}\n")
    assert code == 1, err
    assert sorted(p.name for p in (tmp_path / "batch").iterdir()) == [f"outgoing-draft-{fin}.pdf"]
    assert f"编号 {ours}：这份公文不属于您所在的单位" in err
    assert [(row.user_id, row.entity_id) for row in prints(ctx)] == [(office.liaison_fin.id, fin)]


def test_forms_says_what_each_form_takes(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code = main(["--database", sqlite_url, "forms"])
    lines = dict(line.split("\t", 1) for line in capsys.readouterr().out.splitlines())
    assert code == 0 and set(lines) == set(build_registry().names())
    assert lines["outgoing-draft"] == "发文稿纸\t--id 编号（多条：1,2,5-9）"
    assert lines["receipt-register"] == "收文登记簿\t--from 起始日期 --to 截止日期"
    assert lines["document-notice"] == "公文运转及差错情况通报\t--year 年度 --quarter 季度（1-4）"
    assert lines["archive-catalogue"].startswith("归档文件目录\t--year 年度 --retention 保管期限")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope", "--id", "1"], "没有名为“nope”的表单。可打印的表单有：urge-slip（催办单）"),
        (["document-notice", "--year", "2026", "--quarter", "5"], "--quarter 应为季度 1、2、3 或 4；“5”不是"),
        (["document-notice", "--year", "二〇二六", "--quarter", "1"], "--year 应为 2000 至 2999 之间的年份"),
        (["document-notice", "--quarter", "1"], "打印公文运转及差错情况通报需要 --year 年度"),
        (["document-notice", "--year", "2026"], "打印公文运转及差错情况通报需要 --quarter 季度（1-4）"),
        (["document-notice", "--id", "3"], "公文运转及差错情况通报（document-notice）按期间打印，不接受 --id"),
        (["document-notice", "--year", "2026", "--quarter", "1", "--retention", "Y"], "不接受 --retention"),
        (["receipt-register", "--from", "2026-13-01", "--to", "2026-12-31"], "--from 的“2026-13-01”不是日期"),
        (["receipt-register", "--from", "2026-02-30", "--to", "2026-12-31"], "--from 的“2026-02-30”不是日期"),
        (["receipt-register", "--from", "2026-12-01", "--to", "2026-10-01"], "起始日期 2026-12-01 晚于截止日期 2026-10-01"),
        (["receipt-register", "--from", "2026-10-01"], "打印收文登记簿需要 --to 截止日期"),
        (["archive-catalogue", "--year", "2026", "--retention", "D20"], "--retention 应为保管期限 Y（永久）"),
        (["archive-catalogue", "--year", "2026"], "打印归档文件目录需要 --retention 保管期限"),
        (["archive-stamps", "--year", "2026", "--retention", "Y", "--one-file"], "--one-file 只用于按编号打印多条记录"),
        (["outgoing-draft", "--year", "2026"], "发文稿纸（outgoing-draft）按记录编号打印，不接受 --year"),
        (["outgoing-draft"], "打印发文稿纸需要 --id 记录编号"),
        (["claim-form", "--id", "1", "--from", "2026-01-01"], "不接受 --from"),
        (["document-notice", "--year", "2026", "--quarter", "1", "--out-of-place"], "无法识别的参数：--out-of-place"),
    ],
)
def test_a_bad_argument_is_one_chinese_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    # No database at all: the arguments are checked first, so a typing slip costs nothing.
    url = f"sqlite:///{tmp_path}/never-created.sqlite3"
    try:
        code = main(["--database", url, "print", *argv, "--out", str(tmp_path / "x.pdf")])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert captured.err.startswith("错误：") and captured.err.count("\n") == 1, captured.err
    assert message in captured.err
    assert not (tmp_path / "never-created.sqlite3").exists() and not (tmp_path / "x.pdf").exists()


def test_a_wrong_password_for_as_prints_nothing(cli: Cli, ctx: AppContext, tmp_path: Path) -> None:
    office = build_office(ctx)
    draft = new_draft(office)
    target = tmp_path / "x.pdf"
    code, out, err = cli("print", "outgoing-draft", "--id", str(draft), "--out", str(target),
                         "--as", office.clerk.username, stdin="wrong-password\n")
    assert (code, out) == (2, "") and err.startswith("错误：用户名或密码不正确")
    code, _, err = cli("print", "outgoing-draft", "--id", str(draft), "--out", str(target),
                       "--as", office.clerk.username, stdin="")
    assert code == 2 and err == "错误：没有读到登录密码：--as 在终端中提示输入，否则从标准输入读一行\n"
    assert not target.exists() and prints(ctx) == []


def test_the_period_a_register_covers_is_the_one_asked_for(cli: Cli, ctx: AppContext, tmp_path: Path) -> None:
    office = build_office(ctx)
    registered = new_incoming(office, title="关于十一月来文的通知")  # received on TODAY, 2026-11-27
    advance_incoming(office, registered, "screen")
    texts = {}
    for first, last in (("20261101", "2026-11-30"), ("2026-11-28", "2026-12-31")):
        target = tmp_path / f"register-{first}.pdf"
        code, out, err = cli("print", "receipt-register", "--from", first, "--to", last, "--out", str(target),
                             "--as", office.clerk.username, stdin=f"{PASSWORD}\n")
        assert (code, err) == (0, ""), err
        texts[first] = text_of(target)
    assert "关于十一月来文的通知" in texts["20261101"] and "共1件" in texts["20261101"]
    assert "关于十一月来文的通知" not in texts["2026-11-28"]
    assert "2026年11月28日至2026年12月31日" in texts["2026-11-28"]
    periods = [json.loads(row.detail) for row in prints(ctx)]
    assert [(p["date_from"], p["date_to"], p["count"]) for p in periods] == [
        ("2026-11-01", "2026-11-30", 1), ("2026-11-28", "2026-12-31", 0),
    ]
