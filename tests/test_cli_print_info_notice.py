"""`govdesk print info-notice --year 2026 [--quarter 4]`: refused to a user in no writing group (one Chinese line,
exit code 2, no PDF, nothing in the audit log), printed for a group's member with the groups and the totals, and
audited as made on the command line for the period. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.bootstrap import AppContext
from app.services.information import adoptions
from tests.helpers import PASSWORD
from tests.helpers.cli_print import Cli, prints, text_of
from tests.helpers.document_office import Office
from tests.helpers.information_office import WRITTEN, build_information_office, new_item


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def test_the_notice_prints_for_a_quarter(cli: Cli, office: Office, tmp_path: Path) -> None:
    o = office
    item = new_item(o)
    o.run(adoptions.record_adoption, o.clerk, item, body="省政府办公厅", level="省级", adopted_on=WRITTEN, today=WRITTEN)
    refused = tmp_path / "refused.pdf"
    code, out, err = cli("print", "info-notice", "--year", "2026", "--quarter", "4", "--out", str(refused),
                         "--as", "cashier", stdin=f"{PASSWORD}\n")
    assert code == 2 and out == "" and err.startswith("错误：政务信息报送情况通报供文秘人员、办公室领导和各信息组成员查看")
    assert not refused.exists() and prints(o.ctx) == []

    printed = tmp_path / "notice.pdf"
    code, out, err = cli("print", "info-notice", "--year", "2026", "--quarter", "4", "--out", str(printed),
                         "--as", "petition", stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "") and out.startswith("已输出 政务信息报送情况通报")
    said = text_of(printed)
    assert said.startswith("关于2026年第四季度政务信息报送情况的通报")
    assert "报送信息1条，被上级采用1条，计5分，完成调研文章0篇" in said
    for n in "一二三四五六七八":
        assert f"第{n}信息组" in said
    ((user_id, _username, _entity_type, _entity_id, detail),) = prints(o.ctx)
    facts = json.loads(detail)
    assert user_id == o.petition.id and (facts["form"], facts["period"], facts["via"]) == (
        "info-notice", "2026年第四季度", "cli")


def test_the_year_and_a_bad_quarter(cli: Cli, office: Office, tmp_path: Path) -> None:
    printed = tmp_path / "year.pdf"
    code, out, err = cli("print", "info-notice", "--year", "2026", "--out", str(printed))
    assert (code, err) == (0, "")
    assert text_of(printed).startswith("关于2026年度政务信息报送情况的通报")
    code, _out, err = cli("print", "info-notice", "--year", "2026", "--quarter", "5", "--out", str(tmp_path / "q5.pdf"))
    assert code == 2 and "季度" in err and not (tmp_path / "q5.pdf").exists()
    code, _out, err = cli("print", "info-notice", "--out", str(tmp_path / "none.pdf"))
    assert code == 2 and "--year" in err
