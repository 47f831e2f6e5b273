"""Restores that carry attacks (issue 13, points 3 and 4): a .sqlite3 backup with a trigger, a view and an
extra table brings in its rows only; a backup edited to add an administrator is refused unless the
administrator overrides it, and the override is audited."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.bootstrap import AppContext, bootstrap
from app.core.errors import ValidationError
from app.core.roles import Role
from app.db import backup_signature as signatures
from app.db.backup import BACKUP_SUFFIX, backup, inspect_backup, restore, table_checksums
from app.db.backup_signature import BackupMaker
from app.db.migrate import alembic_config, program_revision, upgrade
from app.db.office_key import ENV_FILE, OfficeKey, create_office_key, key_file_text
from app.services.admin import audit, auth, maintenance
from tests.helpers import PASSWORD, add_unit, add_user
from tests.helpers.databases import SqliteTemplate

ADMIN_NAME = "guanliyuan"


@pytest.fixture
def office_key() -> OfficeKey:
    return create_office_key()


@pytest.fixture
def source(tmp_path: Path, sqlite_template: SqliteTemplate) -> Iterator[AppContext]:
    """The office's local database a backup is made of: an administrator and a 联络员."""
    folder = tmp_path / "source"
    folder.mkdir()
    context = bootstrap(sqlite_template.fresh(folder))
    unit = add_unit(context, "农业农村局")
    add_user(context, ADMIN_NAME, [Role.ADMIN], full_name="管理员甲")
    add_user(context, "lianluo", [Role.LIAISON], unit_id=unit, full_name="联络员乙")
    yield context
    context.dispose()


def _roles_at_login(ctx: AppContext, username: str) -> frozenset[str]:
    with ctx.uow() as uow:
        return auth.login(uow, username, PASSWORD).roles


def _plant_hostile_objects(path: Path) -> None:
    """What the issue found: a trigger on the audit log that makes the 联络员 an administrator."""
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TRIGGER promote AFTER INSERT ON audit_log BEGIN
                INSERT OR IGNORE INTO user_roles (user_id, role_code)
                SELECT id, 'admin' FROM users WHERE username = 'lianluo';
            END;
            CREATE VIEW everyone AS SELECT username, password_hash FROM users;
            CREATE TABLE stash (x TEXT);
            INSERT INTO stash VALUES ('loot');
            CREATE INDEX users_by_lower ON users (lower(username));
            """
        )
    conn.close()


def _objects(ctx: AppContext) -> set[str]:
    with ctx.engine.connect() as conn:
        if ctx.engine.dialect.name == "sqlite":
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE name IN "
                                     "('promote', 'everyone', 'stash', 'users_by_lower')"))
        else:
            rows = conn.execute(text(
                "SELECT table_name FROM information_schema.tables WHERE table_name IN ('everyone', 'stash') "
                "UNION SELECT trigger_name FROM information_schema.triggers WHERE trigger_name = 'promote'"
            ))
        return {row[0] for row in rows}


def test_a_sqlite_backup_brings_rows_not_triggers(
    ctx: AppContext, source: AppContext, tmp_path: Path, office_key: OfficeKey
) -> None:
    path = backup(source.engine, tmp_path / "office")
    _plant_hostile_objects(path)
    # Planting them changed the file: the signature no longer holds, and the restore is refused.
    assert inspect_backup(path).state == "altered"
    with pytest.raises(ValidationError, match="签名无效"):
        restore(ctx.engine, path)
    # Even past the override, only the rows come in.
    restore(ctx.engine, path, accept_unsigned=True)
    assert _objects(ctx) == set()
    assert Role.ADMIN.value not in _roles_at_login(ctx, "lianluo")  # the login writes an audit row
    assert Role.ADMIN.value not in _roles_at_login(ctx, "lianluo")
    assert Role.ADMIN.value in _roles_at_login(ctx, ADMIN_NAME)


def test_a_signed_sqlite_backup_restores_and_names_its_maker(
    ctx: AppContext, source: AppContext, tmp_path: Path, office_key: OfficeKey
) -> None:
    path = backup(source.engine, tmp_path / "office", maker=BackupMaker(ADMIN_NAME, "管理员甲"))
    origin = inspect_backup(path)
    assert origin.good and origin.made_by == ADMIN_NAME and origin.made_by_name == "管理员甲"
    assert origin.fingerprint == office_key.fingerprint and origin.made_at is not None
    assert "管理员甲" in origin.describe() and "签名有效" in origin.describe()
    assert restore(ctx.engine, path) == origin
    assert table_checksums(ctx.engine) == table_checksums(source.engine)


def _add_admin_to_zip(good: Path, forged: Path) -> None:
    """An attacker's edit: a new row in user_roles, with the manifest's checksum recomputed to match."""
    from app.db import backup as storage

    with zipfile.ZipFile(good) as old:
        members = {info.filename: old.read(info) for info in old.infolist()}
    lines = [json.loads(line) for line in members["tables/user_roles.jsonl"].decode().splitlines() if line]
    liaison = next(r for r in lines if r["role_code"] == Role.LIAISON.value)
    lines.append({"id": max(r["id"] for r in lines) + 1, "user_id": liaison["user_id"], "role_code": "admin"})
    members["tables/user_roles.jsonl"] = "".join(json.dumps(r) + "\n" for r in lines).encode()
    codec = storage._TableCodec.of(next(t for t in storage._tables() if t.name == "user_roles"))
    hasher = storage._Hasher(codec)
    for record in lines:
        hasher.add({c.key: storage._decode(c, record[c.name]) for c in codec.columns})
    manifest = json.loads(members["manifest.json"])
    for table in manifest["tables"]:
        if table["name"] == "user_roles":
            table["rows"], table["sha256"] = hasher.rows, hasher.result().sha256
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(forged, "w") as new:
        for name, data in members.items():
            new.writestr(name, data)


def test_a_forged_admin_is_refused_and_the_override_is_audited(
    ctx: AppContext, source: AppContext, tmp_path: Path, office_key: OfficeKey
) -> None:
    good = backup(source.engine, tmp_path / f"good{BACKUP_SUFFIX}", maker=BackupMaker(ADMIN_NAME, "管理员甲"))
    forged = tmp_path / f"forged{BACKUP_SUFFIX}"
    _add_admin_to_zip(good, forged)
    admin = add_user(ctx, "dangqian", [Role.ADMIN], full_name="当前管理员")
    before = table_checksums(ctx.engine)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="签名无效"):
        maintenance.restore_database(uow, admin, forged)
    assert table_checksums(ctx.engine) == before
    assert "dangqian" in _usernames(ctx)

    with ctx.uow() as uow:
        origin = maintenance.restore_database(uow, admin, forged, accept_unsigned=True)
    assert origin.state == "altered"
    assert Role.ADMIN.value in _roles_at_login(ctx, "lianluo")  # what the override let in
    with ctx.engine.connect() as conn:
        username, raw = conn.execute(text("SELECT username, detail FROM audit_log WHERE action = 'restore'")).one()
    detail = json.loads(raw)
    assert username == "dangqian"
    assert detail["override"] is True and detail["signature"] == "altered" and detail["made_by"] == ADMIN_NAME
    with ctx.uow() as uow:
        assert audit.verify_chain(uow).ok


def _usernames(ctx: AppContext) -> set[str]:
    with ctx.engine.connect() as conn:
        return set(conn.execute(text("SELECT username FROM users")).scalars())


def test_an_unsigned_backup_is_refused_and_another_offices_key_too(
    ctx: AppContext, source: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unsigned = backup(source.engine, tmp_path / f"unsigned{BACKUP_SUFFIX}")  # this PC has no key yet
    assert inspect_backup(unsigned).state == "unsigned"
    create_office_key()
    with pytest.raises(ValidationError, match="没有签名"):
        restore(ctx.engine, unsigned)

    monkeypatch.setenv(ENV_FILE, str(tmp_path / "other-office.json"))
    (tmp_path / "other-office.json").write_text(key_file_text(OfficeKey(b"x" * 32)))
    theirs = backup(source.engine, tmp_path / "theirs")
    monkeypatch.undo()
    monkeypatch.setenv(ENV_FILE, str(tmp_path / "ours.json"))
    create_office_key()
    origin = inspect_backup(theirs)
    assert origin.state == "other_key" and "另一把密钥" in origin.describe()
    with pytest.raises(ValidationError, match="另一把密钥"):
        restore(ctx.engine, theirs)


def test_a_forged_signature_document_is_not_believed(
    ctx: AppContext, source: AppContext, tmp_path: Path, office_key: OfficeKey
) -> None:
    """The attacker writes their own signature table claiming the administrator, without the key."""
    path = backup(source.engine, tmp_path / "office")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE users SET full_name = '改过' WHERE username = 'lianluo'")
        body = json.loads(conn.execute(f"SELECT body FROM {signatures.SQLITE_TABLE}").fetchone()[0])
        body["payload"]["content"] = signatures.sqlite_content(conn)
        conn.execute(f"UPDATE {signatures.SQLITE_TABLE} SET body = ?", (json.dumps(body),))
    conn.close()
    assert inspect_backup(path).state == "altered"
    with pytest.raises(ValidationError, match="签名无效"):
        restore(ctx.engine, path)


def test_a_backup_of_an_older_schema_restores(ctx: AppContext, tmp_path: Path, office_key: OfficeKey) -> None:
    """Made by an older GovDesk: its schema comes from the migrations at its revision, then upgraded."""
    script = ScriptDirectory.from_config(alembic_config())
    older = script.get_revision(program_revision()).down_revision
    assert isinstance(older, str)
    old_file = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{old_file}", poolclass=NullPool)
    upgrade(engine, older)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO units (name, short_name, kind, sort_order, active, created_at, updated_at, version) "
                          "VALUES ('旧单位', '', 'department', 1, 1, '2025-01-01', '2025-01-01', 1)"))
    engine.dispose()
    with sqlite3.connect(old_file) as conn:
        signatures.sign_sqlite_file(conn, office_key, BackupMaker(ADMIN_NAME, "管理员甲"))
    conn.close()
    assert inspect_backup(old_file).good
    restore(ctx.engine, old_file)
    with ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM units")).scalars().all() == ["旧单位"]
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == program_revision()


def test_a_pc_without_the_key_cannot_vouch_for_a_signed_backup(
    ctx: AppContext, source: AppContext, tmp_path: Path, office_key: OfficeKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = backup(source.engine, tmp_path / f"office{BACKUP_SUFFIX}", maker=BackupMaker(ADMIN_NAME, "管理员甲"))
    monkeypatch.setenv(ENV_FILE, str(tmp_path / "no-key-here.json"))
    origin = inspect_backup(path)
    assert origin.state == "no_key" and origin.made_by == ADMIN_NAME and "请先导入办公室密钥" in origin.describe()
    with pytest.raises(ValidationError, match="本机没有办公室密钥"):
        restore(ctx.engine, path)
