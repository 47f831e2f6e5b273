"""Backup, restore and copying a database: nothing is lost, on any backend, and bad input is refused.

The copy tests use the `ctx` database as the target, so SQLite → PostgreSQL and SQLite → MariaDB run
when GOVDESK_TEST_DATABASES names those servers and are skipped with the fixture's reason otherwise.
"""

from __future__ import annotations

import base64
import json
import random
import shutil
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.bootstrap import AppContext, bootstrap
from app.core.errors import ValidationError
from app.core.roles import Role
from app.core.workflow import DEFAULT_FLOWS
from app.core.workflow.serialize import flow_to_dict
from app.db.backup import (
    BACKUP_SUFFIX,
    SQLITE_SUFFIX,
    BackupManifest,
    CopyReport,
    TableChecksum,
    TableComparison,
    backup,
    copy_database,
    export_database,
    import_database,
    restore,
    sqlite_online_backup,
    table_checksums,
)
from app.db.migrate import program_revision
from app.models import FlowDefinition, Unit, Urge, User
from app.services.admin import audit, auth
from app.services.admin import users as admin
from app.services.kernel import attachments, settings
from app.services.kernel.actor import SYSTEM_ACTOR
from app.services.kernel.sequences import next_number
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow
from tests.helpers import PASSWORD, UNGUARDED_OWNER, add_unit, add_user, set_unit_head
from tests.helpers.databases import SqliteTemplate

BYTES_0_255 = bytes(range(256))
BIG_BLOB = random.Random(20261129).randbytes(1024 * 1024 + 17)
# A character outside the Basic Multilingual Plane: MariaDB keeps it only in utf8mb4.
RARE_HANZI = "𠀾"


@dataclass(frozen=True)
class Office:
    office_id: int
    section_id: int
    secretary_id: int
    director_id: int
    instance_id: int


@pytest.fixture(autouse=True)
def _office_key() -> None:
    """These tests are about the data: their backups are signed with an office key (H3's tests attack the
    signatures, in tests/db/test_backup_signed.py)."""
    from app.db.office_key import create_office_key

    create_office_key()


def populate(ctx: AppContext) -> Office:
    """An office as the services build it: units, users, a document in flight, attachments, settings."""
    office = add_unit(ctx, "青山县人民政府办公室", "department")
    with ctx.uow() as uow:
        # Created before its parent: copying in id order alone would break the parent link.
        section = admin.create_unit(uow, SYSTEM_ACTOR, name=f"秘书股{RARE_HANZI}", kind="section", short_name="秘书")
    with ctx.uow() as uow:
        group = admin.create_unit(uow, SYSTEM_ACTOR, name="综合协调组", kind="section", parent_id=office)
    with ctx.uow() as uow:
        admin.update_unit(uow, SYSTEM_ACTOR, section.id, expected_version=section.version, parent_id=group.id)
    secretary = add_user(ctx, "wangwm", [Role.SECRETARY], section.id, full_name="王文秘")
    director = add_user(ctx, "lizr", [Role.DIRECTOR], office, full_name="李主任", is_principal=True)
    set_unit_head(ctx, office, director.id)
    accountant = add_user(ctx, "zhaokj", [Role.FINANCE, Role.CASHIER], office, full_name="赵会计")
    with ctx.uow() as uow:
        admin.update_user(
            uow, SYSTEM_ACTOR, accountant.id or 0, expected_version=1, title="会计", phone="0771-5551234"
        )
    with ctx.uow() as uow:
        admin.lock_user(uow, SYSTEM_ACTOR, accountant.id or 0)
    with ctx.uow() as uow:
        auth.login(uow, "wangwm", PASSWORD)  # stamps last_login_at, an aware datetime with microseconds

    with ctx.uow() as uow:
        instance = workflow.start(
            uow, secretary, flow_key="outgoing_document", entity_type="outgoing_document",
            title="关于做好2027年元旦春节期间安全生产工作的通知", urgency="特急",
        )
        uow.commit()
        instance_id = instance.id
    with ctx.uow() as uow:
        workflow.transition(uow, secretary, instance_id, "submit", "请主任审核。", facts={"has_cosigners": False})
    with ctx.uow() as uow:
        workflow.transition(
            uow, director, instance_id, "approve", "同意，请县领导签发。“急”字号办理。", facts={"has_cosigners": False}
        )
    with ctx.uow() as uow:
        uow.session.add(Urge(instance_id=instance_id, by_id=director.id, by_name="李主任", method="电话", note="请今日内办结"))
        uow.record(director.id, director.username, "urge", "outgoing_document", instance_id, {"note": "请今日内办结"})
        uow.commit()
    with ctx.uow() as uow:
        attachments.add_attachment(
            uow, secretary, owner_type=UNGUARDED_OWNER, owner_id=instance_id, filename="正文（定稿）.dat",
            data=BYTES_0_255,
        )
        attachments.add_attachment(
            uow, secretary, owner_type=UNGUARDED_OWNER, owner_id=instance_id, filename="扫描件.pdf", data=BIG_BLOB,
        )
        uow.commit()
    with ctx.uow() as uow:
        settings.update_settings(
            uow, SYSTEM_ACTOR, {"office_name": "青山县人民政府办公室", "doc_prefixes": ["青政办发", "青政办函"]}
        )
    with ctx.uow() as uow:
        settings.set_holiday(uow, SYSTEM_ACTOR, date(2027, 1, 1), False, "元旦")
    with ctx.uow() as uow:
        settings.set_holiday(uow, SYSTEM_ACTOR, date(2027, 2, 7), True, "春节调休上班")
    with ctx.uow() as uow:
        next_number(uow, "青政办发", 2027)
        uow.session.add(
            FlowDefinition(
                flow_key="incoming_document", flow_version=2, created_by=director.id,
                definition=json.dumps(flow_to_dict(DEFAULT_FLOWS["incoming_document"]), ensure_ascii=False),
            )
        )
        uow.commit()
    return Office(office, section.id, secretary.id or 0, director.id or 0, instance_id)


def _user(uow: UnitOfWork, username: str) -> User:
    return uow.session.execute(select(User).where(User.username == username)).scalar_one()


def usernames(ctx: AppContext) -> set[str]:
    with ctx.uow() as uow:
        return set(uow.session.execute(select(User.username)).scalars())


def chain_ok(ctx: AppContext) -> bool:
    with ctx.uow() as uow:
        return audit.verify_chain(uow).ok


def change_everything(ctx: AppContext) -> None:
    """Work done after a backup, which a restore must take away."""
    add_user(ctx, "xinren", [Role.SECRETARY], full_name="新同事")
    with ctx.uow() as uow:
        settings.remove_holiday(uow, SYSTEM_ACTOR, date(2027, 1, 1))
    with ctx.uow() as uow:
        settings.update_settings(uow, SYSTEM_ACTOR, {"office_name": "改过的名称"})


def new_records_work(ctx: AppContext, office: Office) -> None:
    """After ids were given explicitly, the next record must still get a fresh one (PostgreSQL sequences)."""
    with ctx.uow() as uow:
        user = admin.create_user(
            uow, SYSTEM_ACTOR, username="houlai", full_name="后来的人", password="houlai2026", roles=["部门联络员"],
            unit_id=office.office_id,
        )
    with ctx.uow() as uow:
        unit = admin.create_unit(uow, SYSTEM_ACTOR, name="县应急管理局")
    with ctx.uow() as uow:
        instance = workflow.start(
            uow, auth.actor_of(_user(uow, "wangwm")), flow_key="outgoing_document", entity_type="outgoing_document",
            title="第二份文件",
        )
        uow.commit()
        new_instance = instance.id
    assert user.id > office.director_id and unit.id > office.section_id and new_instance > office.instance_id
    assert chain_ok(ctx)


@pytest.fixture
def other_sqlite(tmp_path: Path, sqlite_template: SqliteTemplate) -> Iterator[AppContext]:
    """A second migrated, empty SQLite database beside the `ctx` one."""
    folder = tmp_path / "other"
    folder.mkdir()
    context = bootstrap(sqlite_template.fresh(folder))
    yield context
    context.dispose()


def set_revision(ctx: AppContext, revision: str) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


@pytest.fixture
def revision_guard(ctx: AppContext) -> Iterator[None]:
    """Server databases are shared by a test run: a test that fakes the revision must put it back."""
    yield
    set_revision(ctx, program_revision())


# ----- backup and restore on every backend -------------------------------------------------------------


def test_backup_then_restore_brings_back_the_data(ctx: AppContext, tmp_path: Path) -> None:
    office = populate(ctx)
    before = table_checksums(ctx.engine)
    path = backup(ctx.engine, tmp_path)
    expected_suffix = SQLITE_SUFFIX if ctx.backend == "sqlite" else BACKUP_SUFFIX
    assert path.parent == tmp_path and path.name.endswith(expected_suffix) and path.is_file()
    assert not list(tmp_path.glob("*.partial"))

    change_everything(ctx)
    assert table_checksums(ctx.engine) != before and "xinren" in usernames(ctx)

    restore(ctx.engine, path)
    assert table_checksums(ctx.engine) == before
    assert "xinren" not in usernames(ctx)
    with ctx.uow() as uow:
        assert [h.day for h in settings.list_holidays(uow)] == [date(2027, 1, 1), date(2027, 2, 7)]
        assert settings.get_setting(uow, "office_name") == "青山县人民政府办公室"
        from sqlalchemy import select

        from app.models import Attachment

        # Found by size, not by id: MariaDB does not reuse or reset AUTO_INCREMENT between tests.
        big = uow.session.execute(select(Attachment.id).where(Attachment.size == len(BIG_BLOB))).scalar_one()
        _, data = attachments.attachment_data(uow, big)
        assert data == BIG_BLOB
    assert chain_ok(ctx)
    new_records_work(ctx, office)


def test_export_file_is_portable_and_readable(ctx: AppContext, tmp_path: Path) -> None:
    populate(ctx)
    calls: list[tuple[int, int, str]] = []
    manifest = export_database(ctx.engine, tmp_path / f"办公室{BACKUP_SUFFIX}", lambda *c: calls.append(c))

    assert manifest.schema_revision == program_revision()
    assert manifest.source_backend == ctx.backend
    assert manifest.tables == table_checksums(ctx.engine)
    assert manifest.tables["users"].rows == 3 and manifest.tables["attachments"].rows == 2
    assert manifest.tables["roles"].rows == 9

    with zipfile.ZipFile(tmp_path / f"办公室{BACKUP_SUFFIX}") as archive:
        raw = json.loads(archive.read("manifest.json"))
        assert raw["format"] == "govdesk-backup" and raw["program_version"]
        assert raw["created_at"].endswith("+00:00")
        assert [t["name"] for t in raw["tables"]].index("units") < [t["name"] for t in raw["tables"]].index("users")
        users = [json.loads(line) for line in archive.read("tables/users.jsonl").decode("utf-8").splitlines()]
        blobs = [json.loads(line) for line in archive.read("tables/attachments.jsonl").decode("utf-8").splitlines()]
        units_text = archive.read("tables/units.jsonl").decode("utf-8")
    wang = next(u for u in users if u["username"] == "wangwm")
    assert wang["full_name"] == "王文秘"  # readable, not \u escapes
    assert wang["last_login_at"].endswith("+00:00") and "." in wang["last_login_at"]
    assert wang["active"] is True and wang["locked_by_admin"] is False
    assert next(u for u in users if u["username"] == "zhaokj")["locked_by_admin"] is True
    assert base64.b64decode(blobs[0]["data"]) == BYTES_0_255
    assert base64.b64decode(blobs[1]["data"]) == BIG_BLOB
    assert RARE_HANZI in units_text

    totals = {total for _, total, _ in calls}
    assert len(totals) == 1 and calls[-1][0] == calls[-1][1]
    assert [done for done, _, _ in calls] == sorted(done for done, _, _ in calls)
    assert any("users" in message and "正在导出" in message for _, _, message in calls)


def test_import_replaces_later_changes(ctx: AppContext, tmp_path: Path) -> None:
    office = populate(ctx)
    path = tmp_path / f"b{BACKUP_SUFFIX}"
    manifest = export_database(ctx.engine, path)
    change_everything(ctx)
    calls: list[tuple[int, int, str]] = []
    # export_database alone does not sign: the administrator's override restores it.
    imported = import_database(ctx.engine, path, lambda *c: calls.append(c), accept_unsigned=True)
    assert imported == manifest
    assert table_checksums(ctx.engine) == manifest.tables
    assert calls[-1][0] == calls[-1][1] and "恢复完成" in calls[-1][2]
    assert chain_ok(ctx)
    new_records_work(ctx, office)


def test_a_sqlite_database_can_also_be_backed_up_portably(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    populate(sqlite_ctx)
    path = backup(sqlite_ctx.engine, tmp_path / f"portable{BACKUP_SUFFIX}")
    assert path == tmp_path / f"portable{BACKUP_SUFFIX}" and zipfile.is_zipfile(path)
    assert backup(sqlite_ctx.engine, tmp_path / "plain").name == f"plain{SQLITE_SUFFIX}"


def test_online_backup_does_not_wait_for_or_include_uncommitted_work(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    populate(sqlite_ctx)
    before = table_checksums(sqlite_ctx.engine)
    database = sqlite_ctx.url.database
    assert database is not None
    writer = sqlite3.connect(database)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE units SET short_name = '未提交'")
    done = threading.Event()

    def run() -> None:
        sqlite_online_backup(sqlite_ctx.engine, tmp_path / f"live{SQLITE_SUFFIX}")
        done.set()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=10)
    writer.rollback()
    writer.close()
    assert done.is_set(), "the backup waited for another connection's write transaction"
    copy = bootstrap(f"sqlite:///{tmp_path / f'live{SQLITE_SUFFIX}'}")
    try:
        assert table_checksums(copy.engine) == before
    finally:
        copy.dispose()
    assert not (tmp_path / f"live{SQLITE_SUFFIX}-wal").exists()


# ----- copying to another database ---------------------------------------------------------------------


def test_copy_from_sqlite_loses_nothing(ctx: AppContext, other_sqlite: AppContext) -> None:
    """SQLite → SQLite, PostgreSQL and MariaDB: the target is `ctx`."""
    office = populate(other_sqlite)
    calls: list[tuple[int, int, str]] = []
    report = copy_database(other_sqlite.engine, ctx.engine, lambda *c: calls.append(c))

    assert report.ok, report.summary()
    assert "全部一致" in report.summary()
    assert {t.name for t in report.tables} == set(table_checksums(ctx.engine))
    assert all(t.source_rows == t.target_rows and t.source_checksum == t.target_checksum for t in report.tables)
    assert table_checksums(ctx.engine) == table_checksums(other_sqlite.engine)
    assert usernames(ctx) == {"wangwm", "lizr", "zhaokj"}
    assert chain_ok(ctx)
    assert calls[-1][0] == calls[-1][1] and any("正在复制" in m for _, _, m in calls)
    with ctx.uow() as uow:
        assert uow.session.get(Unit, office.office_id).head_user_id == office.director_id  # type: ignore[union-attr]
    new_records_work(ctx, office)


def test_copy_from_any_backend_to_sqlite(ctx: AppContext, other_sqlite: AppContext) -> None:
    """PostgreSQL and MariaDB → SQLite: the way back from the LAN server to a local file."""
    office = populate(ctx)
    report = copy_database(ctx.engine, other_sqlite.engine)
    assert report.ok, report.summary()
    assert table_checksums(other_sqlite.engine) == table_checksums(ctx.engine)
    assert chain_ok(other_sqlite)
    new_records_work(other_sqlite, office)


def test_a_sqlite_backup_file_restores_into_any_backend(
    ctx: AppContext, other_sqlite: AppContext, tmp_path: Path
) -> None:
    office = populate(other_sqlite)
    path = backup(other_sqlite.engine, tmp_path / "local")
    add_unit(ctx, "将被替换的单位")
    restore(ctx.engine, path)
    assert table_checksums(ctx.engine) == table_checksums(other_sqlite.engine)
    assert chain_ok(ctx)
    new_records_work(ctx, office)


def test_copy_report_summary_names_what_differs() -> None:
    same = TableComparison.of("users", TableChecksum(3, "a"), TableChecksum(3, "a"))
    fewer = TableComparison.of("units", TableChecksum(4, "b"), TableChecksum(3, "c"))
    report = CopyReport([same, fewer], ok=False)
    assert same.ok and not fewer.ok
    assert "units 表：源 4 行，目标 3 行（行数不同）" in report.summary()
    assert "users" not in report.summary()


# ----- refusals: the target is left as it was ----------------------------------------------------------


def test_copy_refuses_a_target_with_data(ctx: AppContext, other_sqlite: AppContext) -> None:
    populate(other_sqlite)
    add_unit(ctx, "已有的单位")
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        copy_database(other_sqlite.engine, ctx.engine)
    assert "已经有数据" in error.value.message and "units 表 1 行" in error.value.message
    assert "空数据库" in error.value.message
    assert table_checksums(ctx.engine) == before


def test_copy_replaces_only_the_seeded_roles(ctx: AppContext, other_sqlite: AppContext) -> None:
    with other_sqlite.engine.begin() as conn:
        conn.execute(text("UPDATE roles SET description = '本单位自定的说明' WHERE code = 'cashier'"))
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE roles SET label = '旧名称' WHERE code = 'finance'"))
    report = copy_database(other_sqlite.engine, ctx.engine)
    assert report.ok
    assert table_checksums(ctx.engine)["roles"] == table_checksums(other_sqlite.engine)["roles"]


@pytest.mark.usefixtures("revision_guard")
def test_copy_refuses_a_target_of_another_schema_revision(ctx: AppContext, other_sqlite: AppContext) -> None:
    populate(other_sqlite)
    set_revision(ctx, "ffff")
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        copy_database(other_sqlite.engine, ctx.engine)
    assert "ffff" in error.value.message and "govdesk db upgrade" in error.value.message
    assert table_checksums(ctx.engine) == before


def test_copy_refuses_a_target_without_tables(tmp_path: Path, other_sqlite: AppContext) -> None:
    blank = bootstrap(f"sqlite:///{tmp_path / 'blank.sqlite3'}")
    try:
        with pytest.raises(ValidationError) as error:
            copy_database(other_sqlite.engine, blank.engine)
    finally:
        blank.dispose()
    assert "还没有建表" in error.value.message and "govdesk db upgrade" in error.value.message


@pytest.mark.usefixtures("revision_guard")
def test_restore_refuses_a_database_of_another_schema_revision(
    ctx: AppContext, other_sqlite: AppContext, tmp_path: Path
) -> None:
    populate(other_sqlite)
    path = backup(other_sqlite.engine, tmp_path / f"b{BACKUP_SUFFIX}")
    add_unit(ctx, "原有单位")
    set_revision(ctx, "ffff")
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        restore(ctx.engine, path)
    assert "ffff" in error.value.message and "新版本" in error.value.message
    assert table_checksums(ctx.engine) == before


def test_restore_refuses_a_file_of_another_schema_revision(ctx: AppContext, tmp_path: Path) -> None:
    populate(ctx)
    good = tmp_path / f"good{BACKUP_SUFFIX}"
    export_database(ctx.engine, good)
    newer = tmp_path / f"newer{BACKUP_SUFFIX}"
    rewrite_manifest(good, newer, lambda raw: {**raw, "schema_revision": "9999"})
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        import_database(ctx.engine, newer)
    message = error.value.message
    assert "9999" in message and "新版本" in message and "govdesk db upgrade" in message
    assert table_checksums(ctx.engine) == before


def test_restore_refuses_a_sqlite_backup_of_another_schema_revision(
    ctx: AppContext, other_sqlite: AppContext, tmp_path: Path
) -> None:
    populate(other_sqlite)
    path = backup(other_sqlite.engine, tmp_path / "old")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000'")
    conn.close()
    populate(ctx)
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        restore(ctx.engine, path)
    assert "0000" in error.value.message and "govdesk db upgrade" in error.value.message
    assert table_checksums(ctx.engine) == before


def rewrite_manifest(source: Path, target: Path, change: object, drop: str | None = None) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if item.filename == drop:
                continue
            data = old.read(item.filename)
            if item.filename == "manifest.json" and callable(change):
                data = json.dumps(change(json.loads(data)), ensure_ascii=False).encode("utf-8")
            new.writestr(item, data)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("random.govdesk-backup", random.Random(7).randbytes(5000), "不是 GovDesk 备份文件"),
        ("empty.govdesk-backup", b"", "不是 GovDesk 备份文件"),
        ("notes.zip", None, "不是 GovDesk 备份文件"),
    ],
    ids=["random-bytes", "empty-file", "zip-without-manifest"],
)
def test_restore_refuses_files_that_are_not_backups(
    ctx: AppContext, tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    populate(ctx)
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("说明.txt", "这是一个普通的压缩包")
    else:
        path.write_bytes(content)
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        restore(ctx.engine, path)
    assert expected in error.value.message and name in error.value.message
    assert BACKUP_SUFFIX in error.value.message  # says what to choose instead
    assert table_checksums(ctx.engine) == before


def test_restore_refuses_a_missing_file(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as error:
        restore(ctx.engine, tmp_path / "nowhere.govdesk-backup")
    assert "找不到备份文件" in error.value.message


def test_restore_refuses_a_sqlite_file_of_another_program(ctx: AppContext, tmp_path: Path) -> None:
    populate(ctx)
    path = tmp_path / "contacts.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.close()
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        restore(ctx.engine, path)
    assert "不是 GovDesk 的数据库" in error.value.message
    assert table_checksums(ctx.engine) == before


def test_restore_refuses_a_zip_with_another_manifest(ctx: AppContext, tmp_path: Path) -> None:
    populate(ctx)
    good = tmp_path / f"good{BACKUP_SUFFIX}"
    export_database(ctx.engine, good)
    foreign = tmp_path / f"foreign{BACKUP_SUFFIX}"
    rewrite_manifest(good, foreign, lambda raw: {"format": "something-else"})
    no_table = tmp_path / f"no-table{BACKUP_SUFFIX}"
    rewrite_manifest(good, no_table, None, drop="tables/users.jsonl")
    change_everything(ctx)
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        restore(ctx.engine, foreign, accept_unsigned=True)
    assert "不是 GovDesk 备份文件" in error.value.message
    with pytest.raises(ValidationError) as error:
        restore(ctx.engine, no_table, accept_unsigned=True)
    assert "缺少 users 表" in error.value.message and "不完整" in error.value.message
    assert table_checksums(ctx.engine) == before


def test_a_tampered_backup_changes_nothing(ctx: AppContext, tmp_path: Path) -> None:
    """The mismatch shows only after every table was emptied and reloaded: all of it must roll back."""
    populate(ctx)
    good = tmp_path / f"good{BACKUP_SUFFIX}"
    export_database(ctx.engine, good)
    tampered = tmp_path / f"tampered{BACKUP_SUFFIX}"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(tampered, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "tables/users.jsonl":
                data = data.replace("王文秘".encode(), "王文密".encode())
            new.writestr(item, data)
    change_everything(ctx)
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        # Past the signature (the override): the checksums still catch it.
        restore(ctx.engine, tampered, accept_unsigned=True)
    assert "已损坏或被改动" in error.value.message and "users" in error.value.message
    assert "没有改变" in error.value.message
    assert table_checksums(ctx.engine) == before
    assert "xinren" in usernames(ctx)


def test_a_backup_the_database_rejects_changes_nothing(ctx: AppContext, tmp_path: Path) -> None:
    """A row the target refuses (two users with one name) rolls back the rows already written."""
    populate(ctx)
    good = tmp_path / f"good{BACKUP_SUFFIX}"
    export_database(ctx.engine, good)
    clash = tmp_path / f"clash{BACKUP_SUFFIX}"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(clash, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "tables/users.jsonl":
                data = data.replace(b'"username":"lizr"', b'"username":"wangwm"')
            new.writestr(item, data)
    change_everything(ctx)
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        restore(ctx.engine, clash, accept_unsigned=True)
    assert "users" in error.value.message and "没有改变" in error.value.message
    assert table_checksums(ctx.engine) == before


def test_a_truncated_sqlite_backup_is_refused(
    ctx: AppContext, other_sqlite: AppContext, tmp_path: Path
) -> None:
    populate(other_sqlite)
    path = backup(other_sqlite.engine, tmp_path / "whole")
    broken = tmp_path / f"broken{SQLITE_SUFFIX}"
    shutil.copyfile(path, broken)
    with broken.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    populate(ctx)
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        restore(ctx.engine, broken)
    assert "损坏" in error.value.message
    assert table_checksums(ctx.engine) == before


def test_checksums_do_not_depend_on_row_order_of_text_keys(sqlite_ctx: AppContext) -> None:
    first = table_checksums(sqlite_ctx.engine)["roles"]
    with sqlite_ctx.engine.begin() as conn:
        rows = conn.execute(text("SELECT code, label, description FROM roles")).all()
        conn.execute(text("DELETE FROM roles"))
        for row in reversed(rows):
            conn.execute(text("INSERT INTO roles VALUES (:c, :l, :d)"), {"c": row[0], "l": row[1], "d": row[2]})
    assert table_checksums(sqlite_ctx.engine)["roles"] == first


def test_manifest_survives_a_round_trip(tmp_path: Path) -> None:
    manifest = BackupManifest(
        format_version=1, program_version="0.1.0", schema_revision="0001",
        created_at=datetime(2027, 1, 1, 8, 30, tzinfo=UTC) + timedelta(microseconds=5), source_backend="sqlite",
        tables={"units": TableChecksum(2, "ab")}, columns={"units": ["id", "name"]},
    )
    assert BackupManifest.from_json(manifest.to_json().encode("utf-8"), tmp_path / "x") == manifest


def test_timestamps_keep_their_microseconds(ctx: AppContext, other_sqlite: AppContext) -> None:
    populate(other_sqlite)
    copy_database(other_sqlite.engine, ctx.engine)
    with ctx.uow() as uow, other_sqlite.uow() as source:
        copied = uow.session.execute(select(User.username, User.created_at).order_by(User.id)).all()
        original = source.session.execute(select(User.username, User.created_at).order_by(User.id)).all()
    assert copied == original
    assert any(at.microsecond for _, at in copied)


def test_mariadb_packet_limit_is_explained(ctx: AppContext, other_sqlite: AppContext) -> None:
    """SQLite takes any blob; MariaDB refuses a statement over max_allowed_packet (16 MB by default)."""
    if ctx.backend != "mysql":
        pytest.skip("只有 MariaDB/MySQL 有 max_allowed_packet 限制")
    with ctx.engine.connect() as conn:
        packet = int(conn.execute(text("SELECT @@max_allowed_packet")).scalar_one())
    if packet > 64 * 1024 * 1024:
        pytest.skip("这台 MariaDB 的 max_allowed_packet 已经足够大")
    populate(other_sqlite)
    with other_sqlite.uow() as uow:
        attachments.add_attachment(
            uow, SYSTEM_ACTOR, owner_type=UNGUARDED_OWNER, owner_id=1, filename="高清扫描件.pdf",
            data=b"\x01" * (packet + 1024),
        )
        uow.commit()
    before = table_checksums(ctx.engine)
    with pytest.raises(ValidationError) as error:
        copy_database(other_sqlite.engine, ctx.engine)
    assert "max_allowed_packet" in error.value.message and "没有改变" in error.value.message
    assert table_checksums(ctx.engine) == before


def test_restore_copes_with_another_page_size(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    """A WAL database cannot take pages of another size from the backup API: rows are copied instead."""
    populate(sqlite_ctx)
    before = table_checksums(sqlite_ctx.engine)
    path = backup(sqlite_ctx.engine, tmp_path / "b")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA page_size=8192")
        conn.execute("VACUUM")
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    conn.close()
    change_everything(sqlite_ctx)
    restore(sqlite_ctx.engine, path)
    assert table_checksums(sqlite_ctx.engine) == before
    with sqlite_ctx.engine.connect() as live:
        assert live.exec_driver_sql("PRAGMA page_size").scalar() == 4096
        assert live.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_damaged_local_database_can_be_restored_from_a_file(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    """The local file is replaced whole, so its own schema state does not matter."""
    populate(sqlite_ctx)
    before = table_checksums(sqlite_ctx.engine)
    path = backup(sqlite_ctx.engine, tmp_path / "b")
    with sqlite_ctx.engine.begin() as conn:
        conn.execute(text("DROP TABLE urges"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    restore(sqlite_ctx.engine, path)
    assert table_checksums(sqlite_ctx.engine) == before
    assert chain_ok(sqlite_ctx)
