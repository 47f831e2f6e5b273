"""`govdesk print info-study-rotation --id N`: a term's 周一学习轮讲安排表 through the command line, refused (one
Chinese line, exit code 2, no PDF, nothing in the audit log) to a user outside the writing groups, printed for a
group's member and audited as made on the command line. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import AppContext
from app.services.information import study
from tests.helpers import PASSWORD
from tests.helpers.cli_print import Cli, prints, text_of
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def test_the_rotation_prints_for_a_member_and_is_refused_to_an_outsider(
    cli: Cli, office: Office, tmp_path: Path,
) -> None:
    o = office
    term = o.run(study.create_term, o.clerk, name="2026年下半年", starts_on=date(2026, 7, 1),
                 ends_on=date(2026, 12, 31), topics=["案例解剖", "公文写作常识"])
    made = o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 7, 1))

    refused = tmp_path / "refused.pdf"
    code, out, err = cli("print", "info-study-rotation", "--id", str(term.id), "--out", str(refused),
                         "--as", "cashier", stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "") and err.startswith("错误：") and "信息组成员" in err
    assert not refused.exists() and prints(o.ctx) == []

    printed = tmp_path / "rotation.pdf"
    code, out, err = cli("print", "info-study-rotation", "--id", str(term.id), "--out", str(printed),
                         "--as", "petition", stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "") and out.startswith("已输出 周一学习轮讲安排表")
    said = text_of(printed)
    first = made.sessions[0]
    for words in ("2026年下半年周一学习轮讲安排表", f"{first.held_on.year}年{first.held_on.month}月{first.held_on.day}日（周一）",
                  first.presenter_name, "国庆节放假", "青山县人民政府办公室"):
        assert words in said, words
    ((user_id, _username, entity_type, entity_id, detail),) = prints(o.ctx)
    assert (user_id, entity_type, entity_id) == (o.petition.id, "study_term", term.id)
    facts = json.loads(detail)
    assert (facts["form"], facts["via"]) == ("info-study-rotation", "cli") and facts["account"]

    code, _out, err = cli("print", "info-study-rotation", "--id", "999999", "--out", str(tmp_path / "none.pdf"))
    assert code == 2 and "找不到该学期" in err
