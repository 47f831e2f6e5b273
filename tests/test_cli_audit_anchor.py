"""govdesk audit anchor / verify --anchor: the administrator anchors the chain, exports and prints the anchor,
and verify finds a recomputed chain and a cut end against it, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from app.bootstrap import bootstrap
from app.db import office_key as keys
from app.db.tables import audit_anchors, audit_log, sequences
from tests.helpers.audit_chain import recompute_chain_from
from tests.helpers.cli import run
from tests.helpers.pdfcheck import compact, page_text, reader


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    run(capsys, "--database", url, "db", "init")
    for name in ("a1", "a2", "a3"):
        run(capsys, "--database", url, "user", "add", name, "--name", "某人", "--role", "出纳", "--password-stdin",
            stdin="Secret-123456\n")
    return ("--database", url)


def test_anchor_export_print_and_verify_against_the_file(
    capsys: pytest.CaptureFixture[str], db: tuple[str, str], tmp_path: Path
) -> None:
    key = keys.create_office_key()
    exported, printed = tmp_path / "anchor.json", tmp_path / "anchor.pdf"
    code, out, err = run(capsys, *db, "audit", "anchor", "--export", str(exported), "--pdf", str(printed))
    assert (code, err) == (0, ""), err
    assert key.fingerprint in out and "已生成审计日志锚点" in out
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["fingerprint"] == key.fingerprint and data["seq"] >= 3
    pdf = printed.read_bytes()
    assert len(reader(pdf).pages) == 1
    text = compact(page_text(pdf))
    assert "审计日志锚点" in text and key.fingerprint in text and compact(data["head_hash"][:8]) in text
    code, out, _ = run(capsys, *db, "audit", "verify", "--anchor", str(exported))
    assert code == 0 and "最新的有效锚点" in out

    # Someone with the database but not the key: rewrites an entry, recomputes the chain, drops the
    # anchors table's rows and cuts the end. The exported file still knows.
    ctx = bootstrap(db[1])
    recompute_chain_from(ctx, 2, username="intruder")
    with ctx.engine.begin() as conn:
        conn.execute(delete(audit_anchors))
        conn.execute(delete(audit_log).where(audit_log.c.seq >= data["seq"]))
        conn.execute(update(sequences).where(sequences.c.key == "audit_log").values(last_value=data["seq"] - 1))
    ctx.dispose()
    assert run(capsys, *db, "audit", "verify")[0] == 0  # the table alone cannot tell
    code, out, _ = run(capsys, *db, "audit", "verify", "--anchor", str(exported))
    assert code == 1 and "日志末尾被截去" in out and f"记录到第 {data['seq']} 条" in out


def test_without_the_key_anchor_refuses_and_verify_says_it_cannot_check(
    capsys: pytest.CaptureFixture[str], db: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys.create_office_key()
    exported = tmp_path / "anchor.json"
    assert run(capsys, *db, "audit", "anchor", "--export", str(exported))[0] == 0
    monkeypatch.setenv(keys.ENV_FILE, str(tmp_path / "no-key-here.json"))
    code, _, err = run(capsys, *db, "audit", "anchor")
    assert code == 2 and "本机没有办公室密钥" in err and err.count("\n") == 1
    code, out, _ = run(capsys, *db, "audit", "verify", "--anchor", str(exported))
    assert code == 0 and "无法核对审计日志锚点" in out


def test_a_forged_anchor_file_is_reported_and_a_hostile_one_refused(
    capsys: pytest.CaptureFixture[str], db: tuple[str, str], tmp_path: Path
) -> None:
    keys.create_office_key()
    exported = tmp_path / "anchor.json"
    run(capsys, *db, "audit", "anchor", "--export", str(exported))
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["seq"] -= 1  # an anchor moved back, to hide a cut: its signature no longer holds
    exported.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, *db, "audit", "verify", "--anchor", str(exported))
    assert code == 1 and "锚点文件" in out and "签名不符" in out
    exported.write_bytes(b"\x00" * 100_000)
    code, out, err = run(capsys, *db, "audit", "verify", "--anchor", str(exported))
    assert code == 2 and "不是 GovDesk 审计日志锚点文件" in err and err.count("\n") == 1
