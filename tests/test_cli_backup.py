"""govdesk key and the signed backups on the command line: the maker is shown before a restore, an unsigned
backup is refused, and --accept-unsigned restores it with an audit row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.db.office_key import ENV_FILE
from tests.helpers.cli import run


@pytest.fixture
def database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert run(capsys, "--database", url, "db", "init")[0] == 0
    code, _, err = run(
        capsys, "--database", url, "user", "add", "admin1", "--name", "管理员", "--role", "系统管理员",
        "--password-stdin", stdin="Zhengwu#2026x\n",
    )
    assert code == 0, err
    return url


def _restores(url: str) -> list[dict[str, object]]:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT username, detail FROM audit_log WHERE action = 'restore'")).all()
    engine.dispose()
    return [{"username": name, **json.loads(detail)} for name, detail in rows]


def test_key_create_show_export_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "key", "show")[0] == 1
    code, out, _ = run(capsys, "key", "create")
    assert code == 0 and "指纹" in out
    fingerprint = out.split("指纹 ")[1][:19]
    code, _, err = run(capsys, "key", "create")
    assert code != 0 and "已有办公室密钥" in err
    exported = tmp_path / "office.key"
    assert run(capsys, "key", "export", str(exported))[0] == 0
    monkeypatch.setenv(ENV_FILE, str(tmp_path / "second-pc.json"))
    code, out, _ = run(capsys, "key", "import", str(exported))
    assert code == 0 and fingerprint in out
    assert fingerprint in run(capsys, "key", "show")[1]
    hostile = tmp_path / "hostile.key"
    hostile.write_bytes(b"\x00" * 100_000)
    code, _, err = run(capsys, "key", "import", str(hostile))
    assert code != 0 and "不是 GovDesk 办公室密钥文件" in err


def test_an_unsigned_backup_is_refused_then_overridden_with_an_audit_row(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "b.govdesk-backup"
    code, _, err = run(capsys, "--database", database, "db", "backup", str(target))
    assert code == 0 and "没有签名" in err
    assert run(capsys, "key", "create")[0] == 0
    code, out, err = run(capsys, "--database", database, "db", "restore", str(target), "--yes")
    assert code == 1 and "没有签名" in out and "已拒绝恢复" in err
    assert _restores(database) == []
    code, out, err = run(
        capsys, "--database", database, "db", "restore", str(target), "--yes", "--accept-unsigned"
    )
    assert code == 0, err
    [row] = _restores(database)
    assert row["override"] is True and row["signature"] == "unsigned" and str(row["username"]).startswith("os:")


def test_a_signed_backup_shows_its_maker_and_restores(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "key", "create")[0] == 0
    target = tmp_path / "b.sqlite3"
    code, out, _ = run(capsys, "--database", database, "db", "backup", str(target))
    assert code == 0 and "已用办公室密钥签名" in out
    code, out, err = run(capsys, "--database", database, "db", "restore", str(target), "--yes")
    assert code == 0, err
    assert "制作人：命令行" in out and "签名有效" in out and "制作时间" in out
    [row] = _restores(database)
    assert row["override"] is False and row["signature"] == "good"
