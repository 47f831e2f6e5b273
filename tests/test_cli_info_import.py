"""`govdesk import info-items FILE.xlsx --as USER`: a 信息台账 imported by a named, logged-in 文秘人员 (or office
leader), all or none; every bad row printed in Chinese and exit code 1; a user who may not import and a file that
is not a workbook refused. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.models import AuditEntry
from app.models.information import InfoIssue, InfoItem
from tests.helpers import PASSWORD
from tests.helpers.cli_print import Cli
from tests.helpers.document_office import Office
from tests.helpers.information_ledger import ledger_bytes, one_row, year_ledger
from tests.helpers.information_office import build_information_office


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def _sheet(tmp_path: Path, rows: list[list[object]], name: str = "信息台账.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(ledger_bytes(rows))
    return path


def _state(ctx: AppContext) -> tuple[int, int, int]:
    """Items, issues and import entries of the audit log: what a refused import leaves."""
    with ctx.uow() as uow:
        s = uow.session
        return (s.execute(select(func.count()).select_from(InfoItem)).scalar_one(),
                s.execute(select(func.count()).select_from(InfoIssue)).scalar_one(),
                s.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import")).scalar_one())


def test_a_years_ledger_is_imported_by_the_user_named(cli: Cli, office: Office, tmp_path: Path) -> None:
    code, out, err = cli("import", "info-items", str(_sheet(tmp_path, year_ledger())), "--as", "clerk2",
                         stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "")
    assert out == "已导入158篇稿件：政务信息148条，调研文章10篇，新建已印发的《政务信息》18期，上级采用52次，计216分\n"
    assert _state(office.ctx) == (158, 18, 1)
    with office.ctx.uow() as uow:
        entry = uow.session.execute(select(AuditEntry.username).where(AuditEntry.action == "import")).scalar_one()
    assert entry == "clerk2"


def test_every_bad_row_is_printed_exit_1_and_nothing_imported(cli: Cli, office: Office, tmp_path: Path) -> None:
    rows = [one_row(), one_row(标题="另一条", 报送日期="明天"), one_row(标题="又一条", 报送组="第九组")]
    # More bad rows than the window's message names (20): the command prints every one.
    rows += [one_row(标题=f"第{n}条", 作者="") for n in range(30)]
    before = _state(office.ctx)
    code, out, err = cli("import", "info-items", str(_sheet(tmp_path, rows)), "--as", "director",
                         stdin=f"{PASSWORD}\n")
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0] == "错误：信息台账.xlsx中有32行有问题，未导入任何稿件，请改正后重新导入："
    assert lines[1].startswith("第3行：报送日期“明天”不是有效日期")
    assert lines[2].startswith("第4行：报送组“第九组”不存在，请填写现有信息组的名称（第一信息组")
    assert lines[3] == "第5行：缺少作者，请填写作者姓名" and lines[-1] == "第34行：缺少作者，请填写作者姓名"
    assert len(lines) == 33
    assert _state(office.ctx) == before


def test_a_user_who_may_not_import_and_a_foreign_file_are_refused(cli: Cli, office: Office, tmp_path: Path) -> None:
    before = _state(office.ctx)
    code, out, err = cli("import", "info-items", str(_sheet(tmp_path, [one_row()])), "--as", "petition",
                         stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "") and err.startswith("错误：只有") and "可以导入信息台账" in err
    text = tmp_path / "台账.xlsx"
    text.write_text("标题,报送组\n一条,第一信息组\n", encoding="utf-8")
    code, out, err = cli("import", "info-items", str(text), "--as", "clerk", stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "") and "不是有效的 Excel 工作簿" in err
    code, out, err = cli("import", "info-items", str(tmp_path / "没有.xlsx"), "--as", "clerk", stdin=f"{PASSWORD}\n")
    assert (code, out, err) == (2, "", f"错误：找不到文件“{tmp_path / '没有.xlsx'}”\n")
    assert _state(office.ctx) == before
