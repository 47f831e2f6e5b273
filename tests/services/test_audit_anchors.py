"""Anchors of the audit chain, attacked by someone who can write to the database but has no office key:
a chain recomputed after an edit, a cut end, a forged anchor row, a forged anchor file."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select, update

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.core.roles import Role
from app.db import office_key as keys
from app.db.tables import audit_anchors, audit_log, sequences
from app.services.admin import audit, auth
from app.services.kernel import audit_anchors as anchors
from app.services.kernel.actor import Actor
from app.services.kernel.audit_chain import ANCHOR_AFTER, ANCHOR_EVERY
from tests.helpers import PASSWORD, add_user
from tests.helpers.audit_chain import recompute_chain_from


def write_entries(ctx: AppContext, n: int, per_commit: int = 1) -> None:
    for i in range(0, n, per_commit):
        with ctx.uow() as uow:
            for j in range(min(per_commit, n - i)):
                uow.record(None, "system", "update", "settings", None, {"office_name": ["旧", f"新{i + j}"]})
            uow.commit()


def admin(ctx: AppContext) -> Actor:
    return add_user(ctx, "root", [Role.ADMIN], full_name="管理员")


def anchor_now(ctx: AppContext, actor: Actor, key: keys.OfficeKey | None) -> anchors.Anchor:
    with ctx.uow() as uow:
        return anchors.make_anchor(uow, actor, key)


def check(ctx: AppContext, key: keys.OfficeKey | None, anchor_file: anchors.Anchor | None = None) -> audit.ChainReport:
    with ctx.uow() as uow:
        return audit.verify_chain(uow, key=key, anchor_file=anchor_file)


def test_an_anchored_chain_verifies_and_says_against_which_anchor(ctx: AppContext) -> None:
    key = keys.create_office_key()
    root = admin(ctx)
    write_entries(ctx, 5)
    anchor = anchor_now(ctx, root, key)
    assert anchor.signed_by(key) and anchor.count == anchor.seq
    write_entries(ctx, 2)  # entries after the anchor are fine
    report = check(ctx, key)
    assert report.ok, report.summary()
    assert f"第 {anchor.seq} 条" in report.summary() and key.fingerprint in report.summary()
    with ctx.uow() as uow:
        made = uow.execute(select(audit_log.c.action).order_by(audit_log.c.seq.desc()).limit(3)).scalars().all()
    assert "audit_anchor" in made  # the administrator's anchor is itself in the log


def test_a_recomputed_chain_passes_alone_but_not_against_the_anchor(ctx: AppContext) -> None:
    key = keys.create_office_key()
    root = admin(ctx)
    write_entries(ctx, 6)
    anchor_now(ctx, root, key)
    recompute_chain_from(ctx, 3, username="someone_else")
    assert check(ctx, None).problems == ()  # the chain agrees with itself: this was the hole
    report = check(ctx, key)
    assert not report.ok
    assert any("被改写" in p.message for p in report.problems), report.summary()


def test_a_cut_end_is_reported_as_a_cut(ctx: AppContext) -> None:
    key = keys.create_office_key()
    root = admin(ctx)
    write_entries(ctx, 6)
    anchor = anchor_now(ctx, root, key)
    # Cut the last entries and wind the sequence back, so that the chain alone sees nothing missing.
    with ctx.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq > anchor.seq - 3))
        conn.execute(update(sequences).where(sequences.c.key == "audit_log").values(last_value=anchor.seq - 3))
    assert check(ctx, None).ok
    report = check(ctx, key)
    assert not report.ok
    cut = [p for p in report.problems if "末尾被截去" in p.message]
    assert cut and f"记录到第 {anchor.seq} 条" in cut[0].message and f"只到第 {anchor.seq - 3} 条" in cut[0].message


def test_an_anchor_forged_without_the_key_is_reported(ctx: AppContext) -> None:
    key = keys.create_office_key()
    root = admin(ctx)
    write_entries(ctx, 4)
    anchor_now(ctx, root, key)
    recompute_chain_from(ctx, 2, detail='{"forged": true}')
    with ctx.engine.begin() as conn:
        head = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
        # The attacker writes an anchor for the recomputed head, with the right fingerprint but no key.
        forged = anchors.sign_anchor(keys.OfficeKey(secrets.token_bytes(32)), head.seq, head.hash, "root")
        conn.execute(insert(audit_anchors).values(
            seq=forged.seq, head_hash=forged.head_hash, count=forged.count, at=forged.at, made_by="root",
            fingerprint=key.fingerprint, signature=forged.signature,
        ))
        # And alters the real anchor's hash to the recomputed one.
        conn.execute(update(audit_anchors).where(audit_anchors.c.seq < head.seq).values(head_hash=head.hash))
    report = check(ctx, key)
    forged_reports = [p for p in report.problems if "签名不符" in p.message]
    assert len(forged_reports) == 2, report.summary()
    assert "还没有有效的审计日志锚点" in report.summary()


def test_an_anchor_of_another_key_is_reported(ctx: AppContext) -> None:
    key = keys.create_office_key()
    root = admin(ctx)
    write_entries(ctx, 3)
    other = keys.OfficeKey(secrets.token_bytes(32))
    anchor_now(ctx, root, other)
    report = check(ctx, key)
    assert any("另一把密钥" in p.message and other.fingerprint in p.message for p in report.problems)


def test_without_the_key_the_report_says_anchors_cannot_be_checked(ctx: AppContext) -> None:
    key = keys.create_office_key()
    root = admin(ctx)
    write_entries(ctx, 3)
    # Said with no anchor in the table as well: an emptied table looks the same.
    assert "无法核对审计日志锚点" in check(ctx, None).summary()
    anchor_now(ctx, root, key)
    report = check(ctx, None)
    assert report.ok and "本机没有办公室密钥，无法核对审计日志锚点" in report.summary()
    with ctx.uow() as uow, pytest.raises(ValidationError, match="本机没有办公室密钥"):
        anchors.make_anchor(uow, root, None)


def test_the_exported_anchor_survives_a_deleted_anchors_table(ctx: AppContext, tmp_path: Path) -> None:
    key = keys.create_office_key()
    root = admin(ctx)
    write_entries(ctx, 6)
    anchor_now(ctx, root, key)
    with ctx.uow() as uow:
        latest = anchors.latest_anchor(uow, root, key)
    path = tmp_path / "anchor.json"
    path.write_text(anchors.anchor_file_text(latest), encoding="utf-8")
    recompute_chain_from(ctx, 5, username="x")
    with ctx.engine.begin() as conn:
        conn.execute(delete(audit_anchors))
    assert check(ctx, key).ok  # the table alone no longer knows
    report = check(ctx, key, anchors.read_anchor_file(path))
    assert any("锚点文件" in p.message and "被改写" in p.message for p in report.problems), report.summary()
    # An anchor file edited to the recomputed head: its signature fails.
    data = json.loads(path.read_text(encoding="utf-8"))
    with ctx.uow() as uow:
        data["head_hash"] = uow.execute(select(audit_log.c.hash).where(audit_log.c.seq == data["seq"])).scalar_one()
    path.write_text(json.dumps(data), encoding="utf-8")
    report = check(ctx, key, anchors.read_anchor_file(path))
    assert any("锚点文件" in p.message and "签名不符" in p.message for p in report.problems), report.summary()


@pytest.mark.parametrize(
    "raw",
    [b"x" * 9000, b"\xff\xfe", b"[]", b'{"format": "govdesk-audit-anchor"}',
     b'{"format":"govdesk-audit-anchor","version":1,"seq":-1,"head_hash":"0","count":1,"at":"x",'
     b'"made_by":"a","fingerprint":"f","signature":"s"}'],
)
def test_a_hostile_anchor_file_is_refused(raw: bytes) -> None:
    with pytest.raises(ValidationError, match="锚点文件"):
        anchors.parse_anchor_file(raw)


def test_only_the_administrator_anchors_and_exports(ctx: AppContext) -> None:
    key = keys.create_office_key()
    clerk = add_user(ctx, "zhao", [Role.SECRETARY])
    write_entries(ctx, 2)
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        anchors.make_anchor(uow, clerk, key)
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        anchors.latest_anchor(uow, clerk, key)
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        audit.verify(uow, clerk, key)


def test_commits_anchor_the_chain_every_so_many_entries_on_a_pc_with_the_key(ctx: AppContext) -> None:
    write_entries(ctx, ANCHOR_EVERY + 5, per_commit=50)
    with ctx.uow() as uow:
        assert uow.execute(select(func.count()).select_from(audit_anchors)).scalar_one() == 0  # no key: none
    key = keys.create_office_key()
    write_entries(ctx, ANCHOR_EVERY, per_commit=50)  # crosses the mark at 2 x ANCHOR_EVERY once
    with ctx.uow() as uow:
        stored = anchors.stored_anchors(uow)
    assert len(stored) == 1 and stored[0].signed_by(key)
    assert ANCHOR_EVERY * 2 <= stored[0].seq < ANCHOR_EVERY * 2 + 50
    report = check(ctx, key)
    assert report.ok, report.summary()
    # A cut after the periodic anchor shows, with no administrator involved.
    with ctx.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq > ANCHOR_EVERY))
        conn.execute(update(sequences).where(sequences.c.key == "audit_log").values(last_value=ANCHOR_EVERY))
    assert any("末尾被截去" in p.message for p in check(ctx, key).problems)


def anchor_count(ctx: AppContext) -> int:
    with ctx.uow() as uow:
        return int(uow.execute(select(func.count()).select_from(audit_anchors)).scalar_one())


def test_the_first_login_a_day_after_the_last_anchor_anchors_the_chain(ctx: AppContext) -> None:
    add_user(ctx, "qian", [Role.SECRETARY])
    write_entries(ctx, 3)
    with ctx.uow() as uow:
        auth.login(uow, "qian", PASSWORD)
    assert anchor_count(ctx) == 0  # no key on this PC: the login still works, and anchors nothing
    key = keys.create_office_key()
    with ctx.uow() as uow:
        auth.login(uow, "qian", PASSWORD)
    assert anchor_count(ctx) == 1  # never anchored: due
    with ctx.uow() as uow:
        auth.login(uow, "qian", PASSWORD)
    write_entries(ctx, 2)
    assert anchor_count(ctx) == 1  # anchored an hour ago, and other commits never anchor
    # A day passes: the anchor is made a day older (and signed again, as it would have been then).
    with ctx.uow() as uow:
        old = anchors.stored_anchors(uow)[0]
        uow.execute(delete(audit_anchors))
        anchors.store_anchor(uow, anchors.sign_anchor(key, old.seq, old.head_hash, old.made_by,
                                                       old.at - ANCHOR_AFTER - timedelta(minutes=1)))
        uow.commit()
    with ctx.uow() as uow:
        auth.login(uow, "qian", PASSWORD)
    with ctx.uow() as uow:
        stored = anchors.stored_anchors(uow)
        head = uow.execute(select(func.max(audit_log.c.seq))).scalar_one()
    assert len(stored) == 2 and stored[-1].seq == head and stored[-1].signed_by(key)
    assert check(ctx, key).ok


def test_a_commit_asks_the_keyring_once_per_process(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    key = keys.create_office_key()
    asked: list[int] = []
    real = anchors.load_office_key

    def counting() -> keys.OfficeKey | None:
        asked.append(1)
        return real()

    monkeypatch.setattr(anchors, "load_office_key", counting)
    monkeypatch.setattr(anchors, "_found_keys", {})
    write_entries(ctx, ANCHOR_EVERY * 3, per_commit=ANCHOR_EVERY // 2)
    with ctx.uow() as uow:
        stored = anchors.stored_anchors(uow)
    assert len(stored) == 3 and all(a.signed_by(key) for a in stored)
    assert len(asked) == 1
