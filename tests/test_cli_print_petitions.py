"""信访's forms from `govdesk print FORM --id N` (and the 台账 from --year with --quarter or --month): refused to a
user who may not see the case (one Chinese line, exit code 2, no PDF, nothing in the audit log), printed for the
信访接待员 with the particulars whole, and audited as made on the command line together with the unmasked reading.
On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.areas.petitions import MANIFEST
from app.db.tables import audit_log
from app.forms import build_registry
from tests.helpers import PASSWORD
from tests.helpers.cli_print import Cli, prints, text_of
from tests.helpers.document_office import Office
from tests.helpers.petitions_forms import assign_case, reply_case
from tests.helpers.petitions_office import PETITIONER_ID, PETITIONER_PHONE, build_petition_office, new_petition

REFUSED = "这件信访件没有交办给您的单位，不能查看"
SAYS: dict[str, tuple[str, ...]] = {
    "petition-register": ("信访登记表", "信〔2026〕1号", PETITIONER_ID, "拟办意见受理情况"),
    "petition-assignment": ("信访事项交办单", "县财政局", PETITIONER_PHONE, "异议期限"),
    "petition-opinion": ("信访事项处理意见书", "王建国：", "予以支持", "请求复查"),
}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


def test_every_petition_form_is_tested_here() -> None:
    assert sorted([*SAYS, "petition-ledger"]) == sorted(form.name for form in MANIFEST.forms)


def _unmasked_reads(ctx: AppContext) -> list[str]:
    with ctx.uow() as uow:
        return [json.loads(detail)["where"] for detail in uow.execute(
            select(audit_log.c.detail).where(audit_log.c.action == "view_unmasked").order_by(audit_log.c.seq)
        ).scalars()]


@pytest.mark.parametrize("form", sorted(SAYS))
def test_a_case_form_prints_for_whoever_sees_the_case(cli: Cli, office: Office, tmp_path: Path, form: str) -> None:
    case = new_petition(office)
    assign_case(office, case)
    if form == "petition-opinion":
        # A case of its own, handled by the office and answered.
        case = new_petition(office, request="反映城关镇幸福小区小区道路破损严重，雨天积水无法通行，要求修复")
        reply_case(office, case)
    refused = tmp_path / "refused.pdf"
    code, out, err = cli("print", form, "--id", str(case), "--out", str(refused), "--as", "liaison_edu",
                         stdin=f"{PASSWORD}\n")
    assert (code, out, err) == (2, "", f"错误：{REFUSED}\n")
    assert not refused.exists() and prints(office.ctx) == []

    printed = tmp_path / f"{form}.pdf"
    code, out, err = cli("print", form, "--id", str(case), "--out", str(printed), "--as", "petition",
                         stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "") and out.startswith(f"已输出 {build_registry().get(form).title}")
    said = text_of(printed)
    for words in SAYS[form]:
        assert words in said, words
    ((user_id, _username, entity_type, entity_id, detail),) = prints(office.ctx)
    assert (user_id, entity_type, entity_id) == (office.petition.id, "petition", case)
    facts = json.loads(detail)
    assert (facts["form"], facts["via"]) == (form, "cli") and facts["account"]
    assert _unmasked_reads(office.ctx)[-1] == {"petition-register": "登记表", "petition-assignment": "交办单",
                                                "petition-opinion": "处理意见书"}[form]


def test_the_ledger_prints_for_a_quarter_and_is_refused_to_a_unit(cli: Cli, office: Office, tmp_path: Path) -> None:
    new_petition(office)
    refused = tmp_path / "refused.pdf"
    code, out, err = cli("print", "petition-ledger", "--year", "2026", "--out", str(refused), "--as", "liaison_fin",
                         stdin=f"{PASSWORD}\n")
    assert code == 2 and out == "" and err.startswith("错误：信访台账由信访接待员、办公室人员和县领导打印")
    assert not refused.exists() and prints(office.ctx) == []

    printed = tmp_path / "ledger.pdf"
    code, out, err = cli("print", "petition-ledger", "--year", "2026", "--quarter", "4", "--out", str(printed),
                         "--as", "clerk", stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "") and out.startswith("已输出 信访台账")
    said = text_of(printed)
    assert "2026年第四季度" in said and "共1件" in said and "王建国" in said and PETITIONER_PHONE not in said
    ((user_id, _username, _entity_type, _entity_id, detail),) = prints(office.ctx)
    assert user_id == office.clerk.id and json.loads(detail)["period"] == "2026年第四季度"

    code, _out, err = cli("print", "petition-ledger", "--year", "2026", "--quarter", "4", "--month", "11", "--out",
                          str(tmp_path / "both.pdf"))
    assert code == 2 and "只能按" in err
