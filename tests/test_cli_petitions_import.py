"""`govdesk import petitions FILE.xlsx --as USER`: a 信访台账 imported as 信访件 by a named, logged-in 信访接待员 (or
office leader), all or none; every bad row printed, a refusal in Chinese and a non-zero exit code; a file that is
not a workbook refused. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.models import AuditEntry
from app.models.petitions import Petition
from tests.helpers import PASSWORD
from tests.helpers.cli_print import Cli
from tests.helpers.document_office import Office
from tests.helpers.petitions_forms import import_sheet
from tests.helpers.petitions_office import PETITIONER_ID, build_petition_office, new_petition

ROWS: list[list[object]] = [
    ["2026-11-02", "来信", "李大明", "", "13900001111", "城东乡李家村", "反映承包地被占用修路未获补偿，要求依法补偿",
     "征地拆迁", "城东乡", 1],
    ["2026-11-05", "来访", "王建国", PETITIONER_ID, "", "", "再次反映幸福小区不动产权证书至今未办理", "商品房两证办理",
     "城关镇", 2],
]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


def _sheet(tmp_path: Path, rows: list[list[object]], name: str = "信访台账.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(import_sheet(rows))
    return path


def _state(ctx: AppContext) -> tuple[int, int]:
    """Cases, and the audit log's rows of cases (the login is audited too): what a refused import leaves."""
    with ctx.uow() as uow:
        return (uow.session.execute(select(func.count()).select_from(Petition)).scalar_one(),
                uow.session.execute(select(func.count()).select_from(AuditEntry)
                                    .where(AuditEntry.entity_type == "petition")).scalar_one())


def test_a_good_sheet_is_imported_by_the_user_named(cli: Cli, office: Office, tmp_path: Path) -> None:
    new_petition(office)
    code, out, err = cli("import", "petitions", str(_sheet(tmp_path, ROWS)), "--as", "petition2",
                         stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "")
    assert out == "已导入2件信访件，其中1件为重复信访，已与原件关联：信〔2026〕2号、信〔2026〕3号\n"
    with office.ctx.uow() as uow:
        names = uow.session.execute(select(Petition.name, Petition.registered_by_name, Petition.is_repeat)
                                    .order_by(Petition.id)).all()
        entry = uow.session.execute(select(AuditEntry.username).where(AuditEntry.action == "import")).scalar_one()
    assert [tuple(n) for n in names] == [("王建国", "孙接待", False), ("李大明", "周接待", False),
                                         ("王建国", "周接待", True)]
    assert entry == "petition2"


def test_every_bad_row_is_printed_and_nothing_imported(cli: Cli, office: Office, tmp_path: Path) -> None:
    rows = [ROWS[0], ["明天", *ROWS[0][1:]], [ROWS[0][0], "走访", *ROWS[0][2:]], ROWS[1]]
    # More bad rows than a window shows (50): the command prints every one.
    rows += [[*ROWS[0][:2], "", *ROWS[0][3:]] for _ in range(60)]
    before = _state(office.ctx)
    code, out, err = cli("import", "petitions", str(_sheet(tmp_path, rows)), "--as", "director",
                         stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == "错误：信访台账.xlsx中有62处问题，未导入任何信访件，请改正后重新导入："
    assert lines[1].startswith("第3行：登记日期“明天”不是有效日期")
    assert lines[2].startswith("第4行：信访方式“走访”不对")
    assert lines[3] == "第6行：请填写信访人姓名" and lines[-1] == "第65行：请填写信访人姓名" and len(lines) == 63
    assert _state(office.ctx) == before


def test_a_user_who_does_not_register_petitions_and_a_foreign_file_are_refused(
    cli: Cli, office: Office, tmp_path: Path,
) -> None:
    before = _state(office.ctx)
    code, out, err = cli("import", "petitions", str(_sheet(tmp_path, ROWS)), "--as", "clerk", stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "") and err.startswith("错误：只有") and "可以导入信访件" in err
    text = tmp_path / "台账.xlsx"
    text.write_text("登记日期,姓名\n2026-11-02,王建国\n", encoding="utf-8")
    code, out, err = cli("import", "petitions", str(text), "--as", "petition", stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "") and "不是有效的 Excel 工作簿" in err
    code, out, err = cli("import", "petitions", str(tmp_path / "没有.xlsx"), "--as", "petition",
                         stdin=f"{PASSWORD}\n")
    assert (code, out, err) == (2, "", f"错误：找不到文件“{tmp_path / '没有.xlsx'}”\n")
    assert _state(office.ctx) == before
