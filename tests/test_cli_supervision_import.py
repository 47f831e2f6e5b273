"""`govdesk import supervision FILE.xlsx --as USER`: a 目标任务分解表 imported as 督办事项 by a named, logged-in
user of the office, all or none; every bad row printed, a refusal in Chinese and a non-zero exit code. On SQLite,
PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.models import AuditEntry
from app.models.supervision import SupervisionItem
from app.services.supervision import ledger
from tests.helpers import PASSWORD
from tests.helpers.cli_print import Cli
from tests.helpers.document_office import Office, build_office
from tests.helpers.supervision_office import sheet_bytes

# The command imports as of the day it runs: deadlines a month on are good whenever the tests run.
DUE = date.today() + timedelta(days=30)
YEAR = date.today().year
ROWS: list[list[object]] = [
    [1, "政府工作报告", "农村公路提质改造", "完成100公里", "县财政局", "县教育局", "王主任", "重点督办", DUE],
    [2, "市交办", "城区停车位建设", "新增车位500个", "城关镇", "", "", "定期", DUE.isoformat()],
]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    return Cli(capsys, db_url)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _sheet(tmp_path: Path, rows: list[list[object]], name: str = "分解表.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(sheet_bytes(rows))
    return path


def _items(ctx: AppContext) -> tuple[int, int]:
    """Items and the audit log's rows of supervision items (the login is audited too, as it should be): what a
    refused import leaves as they were."""
    with ctx.uow() as uow:
        return (uow.session.execute(select(func.count()).select_from(SupervisionItem)).scalar_one(),
                uow.session.execute(select(func.count()).select_from(AuditEntry)
                                    .where(AuditEntry.entity_type == "supervision_item")).scalar_one())


def test_a_good_sheet_is_imported_by_the_user_named(cli: Cli, office: Office, tmp_path: Path) -> None:
    code, out, err = cli("import", "supervision", str(_sheet(tmp_path, ROWS)), "--as", "clerk", stdin=f"{PASSWORD}\n")
    assert (code, err) == (0, "")
    assert out == f"已导入2项督办事项：督〔{YEAR}〕1号、督〔{YEAR}〕2号\n"
    rows = office.run(ledger.list_items, office.director, ledger.LedgerFilter(box="all"), order_by="number").rows
    assert [(r.title, r.responsible_name, r.state) for r in rows] == [
        ("农村公路提质改造", "王主任", "register"), ("城区停车位建设", "张文秘", "register")]
    with office.ctx.uow() as uow:
        entry = uow.session.execute(
            select(AuditEntry).where(AuditEntry.action == "import").order_by(AuditEntry.seq.desc())
        ).scalars().first()
        assert entry is not None and (entry.username, entry.entity_type) == ("clerk", "supervision_item")


def test_every_bad_row_is_printed_and_nothing_imported(cli: Cli, office: Office, tmp_path: Path) -> None:
    rows = [
        ROWS[0],
        [2, "政府工作报告", "单位不对", "", "县水务局", "", "", "重点督办", DUE],
        [3, "政府工作报告", "日期不对", "", "县财政局", "", "", "重点督办", "明年底"],
        ROWS[1],
    ]
    # More bad rows than a window shows (50): the command prints every one.
    rows += [[n, "领导批示", f"没有牵头{n}", "", None, "", "", "马上督办", DUE] for n in range(5, 60)]
    before = _items(office.ctx)
    code, out, err = cli("import", "supervision", str(_sheet(tmp_path, rows)), "--as", "director",
                         stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == "错误：分解表.xlsx中有57处问题，未导入任何事项，请改正后重新导入："
    assert lines[1] == "第3行：牵头单位“县水务局”不在单位名录中，请先在单位管理中添加或改为名录中的名称"
    assert lines[2].startswith("第4行：办结时限“明年底”不是有效日期")
    assert lines[3:] == [f"第{n + 1}行：缺少牵头单位" for n in range(5, 60)]
    assert _items(office.ctx) == before


@pytest.mark.parametrize("who", ["mayor", "liaison_fin", "admin"])
def test_a_user_who_may_not_register_items_is_refused(cli: Cli, office: Office, tmp_path: Path, who: str) -> None:
    before = _items(office.ctx)
    code, out, err = cli("import", "supervision", str(_sheet(tmp_path, ROWS)), "--as", who, stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "")
    assert err.startswith("错误：") and "导入督办事项" in err
    assert _items(office.ctx) == before


def test_a_wrong_or_missing_password_imports_nothing(cli: Cli, office: Office, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, ROWS)
    before = _items(office.ctx)
    code, out, err = cli("import", "supervision", str(sheet), "--as", "clerk", stdin="wrong-password\n")
    assert (code, out) == (2, "") and err.startswith("错误：用户名或密码不正确")
    code, out, err = cli("import", "supervision", str(sheet), "--as", "clerk", stdin="")
    assert (code, err) == (2, "错误：没有读到登录密码：--as 在终端中提示输入，否则从标准输入读一行\n")
    assert _items(office.ctx) == before


def test_the_user_must_be_named(cli: Cli, office: Office, tmp_path: Path) -> None:
    code, out, err = cli("import", "supervision", str(_sheet(tmp_path, ROWS)))
    assert (code, out) == (2, "")
    assert err == "错误：缺少参数：--as。用 govdesk --help 查看用法\n"


@pytest.mark.parametrize(("name", "content", "words"), [
    ("分解表.xls", b"\xd0\xcf\x11\xe0" + bytes(100), "“分解表.xls”不是 .xlsx 格式"),
    ("随机.xlsx", bytes(range(256)) * 8, "“随机.xlsx”不是有效的 Excel 工作簿"),
])
def test_a_file_that_is_no_workbook_is_refused(
    cli: Cli, office: Office, tmp_path: Path, name: str, content: bytes, words: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = cli("import", "supervision", str(path), "--as", "clerk", stdin=f"{PASSWORD}\n")
    assert (code, out) == (2, "")
    assert err.startswith(f"错误：{words}")


def test_a_missing_file_or_a_folder_is_named_before_the_database_is_opened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    # A database that does not exist: the file is judged first, so nothing is created.
    cli = Cli(capsys, f"sqlite:///{tmp_path / 'never-created.sqlite3'}")
    code, out, err = cli("import", "supervision", str(tmp_path / "没有.xlsx"), "--as", "clerk")
    assert (code, out, err) == (2, "", f"错误：找不到文件“{tmp_path / '没有.xlsx'}”\n")
    code, out, err = cli("import", "supervision", str(tmp_path), "--as", "clerk")
    assert (code, err) == (2, f"错误：“{tmp_path}”是文件夹，请给出 .xlsx 文件\n")
    assert not (tmp_path / "never-created.sqlite3").exists()
