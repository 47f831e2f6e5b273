"""《政务信息》 from `govdesk print info-issue --id N` through the real command line: an issue being edited is
refused to a user who is not an editor (one Chinese line, exit code 2, no PDF, nothing in the audit log), and
printed for an editor; once issued, for anyone; each print audited as made on the command line. On SQLite,
PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import AppContext
from app.forms import build_registry
from app.services.information import issues
from tests.helpers import PASSWORD
from tests.helpers.cli_print import Cli, prints, text_of
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office, new_item


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def test_an_issue_prints_from_the_command_line(cli: Cli, office: Office, tmp_path: Path) -> None:
    o = office
    item = new_item(o, title="我县农村公路提质改造取得新进展")
    issue = o.run(issues.create_issue, o.clerk, today=date(2026, 11, 27))
    o.run(issues.add_items, o.clerk, issue.id, [item])

    refused = tmp_path / "refused.pdf"
    code, out, err = cli("print", "info-issue", "--id", str(issue.id), "--out", str(refused), "--as", "cashier",
                         stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "") and err.startswith("错误：《政务信息》2026年第1期正在编辑")
    assert not refused.exists() and prints(o.ctx) == []

    proof = tmp_path / "proof.pdf"
    code, out, err = cli("print", "info-issue", "--id", str(issue.id), "--out", str(proof), "--as", "clerk",
                         stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "") and out.startswith(f"已输出 {build_registry().get('info-issue').title}")
    said = text_of(proof)
    for words in ("政务信息", "第1期", "青山县人民政府办公室", "2026年11月27日", "我县农村公路提质改造取得新进展",
                  "报：市政府办公室", "发：各乡镇人民政府，县政府各部门"):
        assert words in said, words

    o.run(issues.publish_issue, o.clerk, issue.id, today=date(2026, 11, 27))
    issued = tmp_path / "issued.pdf"
    code, out, err = cli("print", "info-issue", "--id", str(issue.id), "--out", str(issued), "--as", "cashier",
                         stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "")
    assert "我县农村公路提质改造取得新进展" in text_of(issued)
    entries = prints(o.ctx)
    assert [(e.user_id, e.entity_type, e.entity_id) for e in entries] == [
        (o.clerk.id, "info_issue", issue.id), (o.cashier.id, "info_issue", issue.id)]
    facts = json.loads(entries[-1].detail)
    assert (facts["form"], facts["via"], facts["issued"]) == ("info-issue", "cli", True) and facts["account"]


def test_a_missing_issue_is_refused(cli: Cli, office: Office, tmp_path: Path) -> None:
    code, out, err = cli("print", "info-issue", "--id", "999", "--out", str(tmp_path / "none.pdf"))
    assert code == 2 and out == "" and "找不到这一期《政务信息》" in err
