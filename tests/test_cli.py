"""The govdesk command: each command works, and bad input ends in one Chinese line with exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import update

from app.db import SCHEMA_REVISION
from app.models import AuditEntry
from tests.helpers.cli import run


@pytest.fixture
def empty_sqlite(tmp_path: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path}/cli.sqlite3"  # type: ignore[operator]


def test_version_through_the_installed_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("GovDesk ") and "数据库结构版本" in result.stdout


def test_init_check_and_users(capsys: pytest.CaptureFixture[str], empty_sqlite: str) -> None:
    db = ("--database", empty_sqlite)
    assert run(capsys, *db, "db", "check")[0] == 1
    code, out, _ = run(capsys, *db, "db", "init")
    assert code == 0 and "已初始化数据库" in out
    assert run(capsys, *db, "db", "check")[1].endswith(f"数据库结构是最新的（版本 {SCHEMA_REVISION}）\n")
    assert "已经初始化过了" in run(capsys, *db, "db", "init")[1]
    assert "已经" not in run(capsys, *db, "db", "upgrade")[2]

    code, out, err = run(
        capsys, *db, "user", "add", "zhangwei", "--name", "张伟", "--role", "文秘人员", "--role", "信访接待员",
        "--password-stdin", stdin="Qingshan#2026\n",
    )
    assert (code, err) == (0, "")
    assert "已添加用户 zhangwei（张伟，文秘人员、信访接待员）" in out
    assert run(capsys, *db, "user", "lock", "zhangwei")[0] == 0
    assert "锁定" in run(capsys, *db, "user", "list")[1]
    assert run(capsys, *db, "user", "unlock", "zhangwei")[0] == 0
    assert run(capsys, *db, "user", "passwd", "zhangwei", "--password-stdin", stdin="another456\n")[0] == 0
    code, out, _ = run(capsys, *db, "audit", "verify")
    assert code == 0 and "未发现删除或篡改" in out
    assert run(capsys, *db, "urge-overdue")[1] == "没有需要催办的逾期事项\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["db", "bogus"], "没有“bogus”这个选项"),
        (["nonsense"], "没有“nonsense”这个"),
        (["user", "add"], "缺少参数"),
        (["demo-data", "--size", "many"], "需要整数"),
        (["--database", "oracle://x/y", "db", "check"], "不支持“oracle”数据库"),
        (["--database", "postgresql://postgres@127.0.0.1:1/x", "db", "check"], "连不上数据库服务器"),
        (["user", "list"], "数据库是空的"),
        (["user", "add", "x", "--name", "某", "--role", "董事长", "--password-stdin"], "没有“董事长”这个角色"),
        (["user", "lock", "nobody"], "数据库是空的"),
        (["db", "restore", "/no/such/file.govdesk-backup", "--yes"], "找不到备份文件"),
    ],
)
def test_bad_input_is_one_chinese_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], empty_sqlite: str, argv: list[str], message: str
) -> None:
    args = argv if "--database" in argv else ["--database", empty_sqlite, *argv]
    if "董事长" in argv:
        run(capsys, "--database", empty_sqlite, "db", "init")
    code, out, err = run(capsys, *args, stdin="Qingshan#2026\n")
    assert code == 2
    assert message in err
    assert err.startswith("错误：") and err.count("\n") == 1, err
    assert "Traceback" not in err + out


def test_a_password_needs_a_terminal_or_stdin(capsys: pytest.CaptureFixture[str], empty_sqlite: str) -> None:
    run(capsys, "--database", empty_sqlite, "db", "init")
    code, _, err = run(capsys, "--database", empty_sqlite, "user", "add", "li", "--name", "李", "--role", "出纳", stdin="")
    assert code == 2 and "--password-stdin" in err


def test_audit_verify_reports_tampering(capsys: pytest.CaptureFixture[str], empty_sqlite: str) -> None:
    db = ("--database", empty_sqlite)
    run(capsys, *db, "db", "init")
    for name in ("a1", "a2"):
        run(capsys, *db, "user", "add", name, "--name", "某人", "--role", "出纳", "--password-stdin", stdin="Qingshan#2026\n")
    from app.bootstrap import bootstrap

    ctx = bootstrap(empty_sqlite)
    with ctx.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 1).values(detail="{}"))
    ctx.dispose()
    code, out, _ = run(capsys, *db, "audit", "verify")
    assert code == 1 and "已被修改" in out


def test_print_a_claim_its_receipts_and_its_flowchart(
    capsys: pytest.CaptureFixture[str], empty_sqlite: str, tmp_path: pytest.TempPathFactory
) -> None:
    from datetime import date

    from pypdf import PdfReader

    from app.bootstrap import bootstrap
    from app.core.claims import LineInput
    from app.core.roles import Role
    from app.services.claims import records as claims
    from tests.helpers import add_unit, add_user

    assert run(capsys, "--database", empty_sqlite, "db", "init")[0] == 0
    ctx = bootstrap(empty_sqlite)
    try:
        unit = add_unit(ctx, "综合股", "section")
        claimant = add_user(ctx, "zhang", [Role.SECRETARY], unit, "张报销")
        with ctx.uow() as uow:
            info = claims.create_claim(uow, claimant, claims.ClaimInput(
                unit, date.today(), [LineInput("购买打印纸", "办公费", "1409.50")], 2))
        with ctx.uow() as uow:
            claims.add_receipt(uow, claimant, info.id, filename="发票.txt", data=b"not a scan")
        with ctx.uow() as uow:
            claims.submit(uow, claimant, info.id)
    finally:
        ctx.dispose()
    code, out, _ = run(capsys, "--database", empty_sqlite, "forms")
    assert code == 0 and "claim-form" in out and "claim-flowchart" in out
    pages = {}
    for form in ("claim-form", "claim-form-receipts", "claim-flowchart"):
        target = f"{tmp_path}/{form}.pdf"
        assert run(capsys, "--database", empty_sqlite, "print", form, "--id", str(info.id), "--out", target)[0] == 0
        reader = PdfReader(target)
        pages[form] = reader
    form_text = "".join("".join(p.extract_text().split()) for p in pages["claim-form"].pages)
    assert "壹仟肆佰零玖元伍角整" in form_text and "张报销" in form_text
    # The receipt that is not a scan gets a page saying so, after the form.
    assert len(pages["claim-form-receipts"].pages) == len(pages["claim-form"].pages) + 1
    assert len(pages["claim-flowchart"].pages) == 1
    assert "部门负责人审核" in "".join(pages["claim-flowchart"].pages[0].extract_text().split())
    code, _, err = run(capsys, "--database", empty_sqlite, "print", "claim-form", "--id", "999", "--out", f"{tmp_path}/x.pdf")
    assert code == 2 and "找不到该报销单" in err


# As a `pip install .` that left the fonts out of the package did: no bundled fonts and no system fonts.
FONTLESS_DRIVER = """
import sys
from pathlib import Path

import app.printing.kit.fonts

app.printing.kit.fonts.resources_dir = lambda: Path(sys.argv[1])
app.printing.kit.fonts.system_font_dirs = lambda: []
from app.cli import main

sys.exit(main(sys.argv[2:]))
"""


def test_an_unexpected_error_is_one_chinese_line_naming_the_log_file(
    capsys: pytest.CaptureFixture[str], empty_sqlite: str, tmp_path: Path
) -> None:
    """A fresh process, as the user runs the command: what reaches the console is all there is to see."""
    import os
    from datetime import date

    from app.bootstrap import bootstrap
    from app.core.claims import LineInput
    from app.core.roles import Role
    from app.services.claims import records as claims
    from tests.helpers import add_unit, add_user

    run(capsys, "--database", empty_sqlite, "db", "init")
    ctx = bootstrap(empty_sqlite)
    try:
        unit = add_unit(ctx, "综合股", "section")
        claimant = add_user(ctx, "zhang", [Role.SECRETARY], unit, "张报销")
        with ctx.uow() as uow:
            claim = claims.create_claim(
                uow, claimant, claims.ClaimInput(unit, date.today(), [LineInput("购买打印纸", "办公费", "12.00")], 1)
            )
    finally:
        ctx.dispose()
    logs, empty = tmp_path / "logs", tmp_path / "no-resources"
    empty.mkdir()
    env = dict(os.environ, GOVDESK_LOG_DIR=str(logs), HOME=str(tmp_path))
    out = tmp_path / "claim.pdf"
    done = subprocess.run(
        [sys.executable, "-c", FONTLESS_DRIVER, str(empty),
         "--database", empty_sqlite, "print", "claim-form", "--id", str(claim.id), "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    log_file = logs / "govdesk.log"
    assert done.returncode == 1 and done.stdout == "", done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("错误：程序遇到意外错误") and str(log_file) in done.stderr
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "FileNotFoundError" in logged
    assert "'print', 'claim-form'" in logged  # the command line, to tell what was asked
    assert not out.exists()


# What `govdesk` does before its login dialog, in a fresh process: the command line parsed (where the
# version used to be worked out), the database layer loaded, the schema checked and the users counted.
START_PATH = """
import sys

from app.cli import build_parser
from app.bootstrap import bootstrap, load_database_layer

args = build_parser().parse_args(["--database", sys.argv[1]])
load_database_layer()
from app.db.migrate import check_schema
from app.services.admin import auth

ctx = bootstrap(args.database)
assert check_schema(ctx.engine).ok
with ctx.uow() as uow:
    auth.has_users(uow)
print("loaded:", *sorted(m for m in sys.modules if m == "alembic" or m.startswith(("alembic.", "app.db.migrations"))))
"""


def test_the_start_and_the_version_load_no_alembic(capsys: pytest.CaptureFixture[str], empty_sqlite: str) -> None:
    run(capsys, "--database", empty_sqlite, "db", "init")
    done = subprocess.run([sys.executable, "-c", START_PATH, empty_sqlite], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["loaded:"], done.stdout
    # -X importtime lists every module the process imports.
    version = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "app.cli", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith(f"GovDesk 0.1.0（数据库结构版本 {SCHEMA_REVISION}）")
    imported = [line.rsplit("|", 1)[-1].strip() for line in version.stderr.splitlines() if "|" in line]
    assert "app.bootstrap" in imported and not [m for m in imported if m.startswith(("alembic", "sqlalchemy"))]


def test_a_log_folder_that_cannot_be_written_falls_back_to_the_temporary_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tempfile

    from app.errorlog import record_unexpected

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("GOVDESK_LOG_DIR", str(blocker / "logs"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    try:
        raise RuntimeError("磁盘已满")
    except RuntimeError as error:
        written = record_unexpected(error)
    assert written == tmp_path / "temp" / "govdesk.log"
    assert "RuntimeError: 磁盘已满" in written.read_text(encoding="utf-8")
