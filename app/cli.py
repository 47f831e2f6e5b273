"""The `govdesk` command: start the desktop program, or administer the database and users.

Every error a user can cause ends in one Chinese line on stderr and exit code 2, never a traceback. Any
other error ends in one Chinese line naming the log file, where its traceback is, and exit code 1.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from app import APP_TITLE, __version__
from app.bootstrap import (
    AppContext,
    bootstrap,
    load_database_layer,
    pause_gc_for_start,
    resolve_database_url,
    resume_gc_after_start,
)
from app.db import SCHEMA_REVISION
from app.errorlog import configure_logging, record_unexpected, redact, register_secret, unexpected_error_line

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

    from app.db.backup_signature import BackupOrigin
    from app.db.office_key import OfficeKey
    from app.forms import PrintContext
    from app.print_arguments import PrintArguments

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


_ARGPARSE_PHRASES: list[tuple[str, str]] = [
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"argument (\S+): invalid choice: '([^']*)'.*", r"没有“\2”这个选项（\1）"),
    (r"invalid choice: '([^']*)'.*", r"没有“\1”这个命令"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (\S+): invalid int value: '([^']*)'", r"参数 \1 需要整数，“\2”不是整数"),
]


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE_PHRASES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.exit(EXIT_USAGE, f"错误：{message}。用 govdesk --help 查看用法\n")


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# ----- helpers -------------------------------------------------------------------------------------


# The databases this command opened, closed when it ends (_run): main() also runs inside a process that
# goes on (the tests, a script), whose pooled connections must not be left for the garbage collector.
_OPENED: list[AppContext] = []


def _opened(ctx: AppContext) -> AppContext:
    _OPENED.append(ctx)
    return ctx


def _close_opened() -> None:
    while _OPENED:
        _OPENED.pop().dispose()


def _context(args: argparse.Namespace, *, administration: bool = False) -> AppContext:
    """The database of --database (or the default). ``administration``: backup, restore, copy and upgrade,
    whose statements may run longer on a large database than the limit a window's statements have."""
    given = resolve_database_url(args.database)
    _keep_secret(given)
    url = _with_stdin_password(args, given)
    if not administration:
        return _opened(bootstrap(url))
    from app.db.engine import make_engine, normalize_url

    parsed = normalize_url(url)
    return _opened(AppContext(url=parsed, engine=make_engine(parsed, statement_timeout=None)))


def _with_stdin_password(args: argparse.Namespace, url: str) -> str:
    """The URL with the database password read from the first line of standard input, when asked for
    (--db-password-stdin): a password never needs escaping there, and stays out of the process list."""
    if not getattr(args, "db_password_stdin", False):
        return url
    from app.db.engine import normalize_url

    parsed = normalize_url(url)
    if parsed.password:
        raise CliError("数据库地址中已经写了密码，又给了 --db-password-stdin：请只用其中一种")
    password = _read_db_password("数据库密码（输入时不显示）：", "--db-password-stdin 要求第一行是密码")
    # Set on the parsed URL and rendered quoted, so that % @ : / # in the password reach the driver as typed.
    return parsed.set(password=password).render_as_string(hide_password=False)


def _read_db_password(prompt: str, where: str) -> str:
    """A database password from standard input's next line, or, in a terminal, typed without echo."""
    if sys.stdin.isatty():
        password = getpass.getpass(prompt)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliError(f"没有读到数据库密码（{where}）")
    register_secret(password)
    return password


def _keep_secret(url: str) -> None:
    """A password written in a URL on the command line is kept out of every message and the log, and the
    administrator is told once where else it is kept: in the shell's history and the process list."""
    from app.db.engine import normalize_url

    password = normalize_url(url).password
    if password and password not in _warned:
        register_secret(password)
        _warned.add(password)
        print(
            "提示：数据库密码写在了地址中，会留在命令历史和进程列表里；以后请不要在地址中写密码，"
            "改用 --db-password-stdin（目标数据库用 --to-password-stdin）输入",
            file=sys.stderr,
        )


_warned: set[str] = set()


def _require_current_schema(ctx: AppContext) -> None:
    from app.db.migrate import check_schema

    status = check_schema(ctx.engine)
    if not status.ok:
        raise CliError(status.message())


def _read_password(args: argparse.Namespace, prompt: str = "密码：") -> str:
    if getattr(args, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CliError("标准输入中没有读到密码")
        return password
    if not sys.stdin.isatty():
        raise CliError("没有终端可以输入密码：请在终端中运行，或加 --password-stdin 从标准输入读取")
    first = getpass.getpass(prompt)
    second = getpass.getpass("再输入一次：")
    if first != second:
        raise CliError("两次输入的密码不一致")
    return first


def _progress(out: TextIO) -> Callable[[int, int, str], None]:
    def report(done: int, total: int, message: str) -> None:
        out.write(f"\r[{done}/{total}] {message}".ljust(60))
        out.flush()
        if done >= total:
            out.write("\n")

    return report


# ----- commands ---------------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    # Before Qt: PySide6 reads the source of every module imported after it (see load_database_layer).
    load_database_layer()
    try:
        from app.ui.application import run_gui
    except ImportError as error:
        raise CliError(f"无法启动图形界面：{error}") from error
    return run_gui(args.database)


def cmd_db_init(args: argparse.Namespace) -> int:
    from app.db.migrate import check_schema, upgrade

    ctx = _context(args, administration=True)
    status = check_schema(ctx.engine)
    if status.state == "current":
        print(f"数据库已经初始化过了：{ctx.location}")
        return EXIT_OK
    if status.state != "empty":
        raise CliError(status.message())
    upgrade(ctx.engine)
    print(f"已初始化数据库：{ctx.location}")
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from app.db.migrate import backup_sqlite_before_upgrade, check_schema, upgrade

    ctx = _context(args, administration=True)
    status = check_schema(ctx.engine)
    if status.state == "current":
        print(status.message())
        return EXIT_OK
    if status.state in ("too_new", "unversioned"):
        raise CliError(status.message())
    saved = backup_sqlite_before_upgrade(ctx.engine)
    if saved:
        print(f"升级前已备份到：{saved}")
    upgrade(ctx.engine)
    print(f"已升级到最新结构（版本 {check_schema(ctx.engine).program_revision}）：{ctx.location}")
    _rebuild_search_index_if_incomplete(ctx)
    return EXIT_OK


def cmd_db_reindex(args: argparse.Namespace) -> int:
    ctx = _context(args, administration=True)
    _require_current_schema(ctx)
    _rebuild_search_index(ctx)
    return EXIT_OK


def _rebuild_search_index(ctx: AppContext) -> None:
    from app.services.search.reindex import reindex

    print("正在重建综合查询索引……", file=sys.stderr)
    report = reindex(ctx.uow, progress=_progress(sys.stderr))
    print(report.summary())


def _rebuild_search_index_if_incomplete(ctx: AppContext) -> None:
    """After an upgrade that brought the index, a restore or a copy: the index is rebuilt from the records."""
    from app.services.search.query import index_complete

    with ctx.uow() as uow:
        complete = index_complete(uow)
    if not complete:
        _rebuild_search_index(ctx)


def cmd_db_check(args: argparse.Namespace) -> int:
    from app.db.migrate import check_schema

    ctx = _context(args)
    status = check_schema(ctx.engine)
    print(f"{ctx.location}：{status.message()}")
    return EXIT_OK if status.ok else EXIT_PROBLEM


def cmd_db_backup(args: argparse.Namespace) -> int:
    from app.db.backup import backup

    ctx = _context(args, administration=True)
    _require_current_schema(ctx)
    target = Path(args.file)
    if target.exists() and not args.overwrite:
        raise CliError(f"文件 {target} 已存在；换一个文件名，或加 --overwrite 覆盖")
    written = backup(ctx.engine, target, progress=_progress(sys.stderr))
    print(f"已备份到：{written}")
    _say_whether_signed()
    return EXIT_OK


def _say_whether_signed() -> None:
    from app.db.office_key import load_office_key

    key = load_office_key()
    if key is None:
        # Still made: an unsigned backup is better than none, and a restore refuses it unless overridden.
        print(
            "警告：本机没有办公室密钥，这个备份没有签名，恢复时会被拒绝（除非管理员加 --accept-unsigned）。"
            "请在第一台电脑运行 govdesk key create，在其他电脑运行 govdesk key import 密钥文件",
            file=sys.stderr,
        )
    else:
        print(f"已用办公室密钥签名（指纹 {key.fingerprint}）")


def cmd_db_restore(args: argparse.Namespace) -> int:
    from app.db.backup import restore
    from app.db.migrate import check_schema, upgrade

    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"找不到备份文件：{source}")
    ctx = _context(args, administration=True)
    status = check_schema(ctx.engine)
    if status.state == "empty":
        upgrade(ctx.engine)
    elif not status.ok:
        raise CliError(status.message())
    origin = _check_origin(args, source)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("恢复会覆盖数据库中的全部现有数据；确认无误后加 --yes 再运行")
        answer = input(f"恢复将用 {source.name} 覆盖 {ctx.location} 中的全部数据，确定吗？(输入 是 确认)：")
        if answer.strip() not in ("是", "y", "yes"):
            print("已取消，数据库没有改动")
            return EXIT_PROBLEM
    origin = restore(ctx.engine, source, progress=_progress(sys.stderr), accept_unsigned=args.accept_unsigned)
    _audit_restore(ctx, source, origin)
    print(f"已从 {source} 恢复：{ctx.location}")
    _rebuild_search_index_if_incomplete(ctx)
    return EXIT_OK


def _check_origin(args: argparse.Namespace, source: Path) -> BackupOrigin:
    """Who made the backup and whether its signature holds, printed before anything is asked or done."""
    from app.db.backup import inspect_backup

    origin = inspect_backup(source)
    print(origin.describe())
    if not origin.good:
        if not args.accept_unsigned:
            raise CliError(origin.refusal().message, EXIT_PROBLEM)
        print("已加 --accept-unsigned：仍然恢复，此操作将记入审计日志", file=sys.stderr)
    return origin


def _audit_restore(ctx: AppContext, source: Path, origin: BackupOrigin) -> None:
    from app.db.backup_signature import BackupMaker

    who = BackupMaker.command_line()
    detail = {"file": str(source), **origin.audit_detail(), "override": not origin.good, "restored_by": who.full_name}
    with ctx.uow() as uow:
        uow.record(None, who.username, "restore", "database", None, detail, change_op="update")
        uow.commit()


def cmd_key_create(args: argparse.Namespace) -> int:
    from app.db.office_key import create_office_key

    key = create_office_key()
    print(f"已生成办公室密钥，指纹 {key.fingerprint}。请用 govdesk key export 文件 导出，带到其他电脑上导入，并妥善保管")
    return EXIT_OK


def cmd_key_show(args: argparse.Namespace) -> int:
    from app.db.office_key import load_office_key

    key = load_office_key()
    if key is None:
        print("本机没有办公室密钥：第一台电脑运行 govdesk key create，其他电脑运行 govdesk key import 密钥文件")
        return EXIT_PROBLEM
    print(f"办公室密钥指纹：{key.fingerprint}")
    return EXIT_OK


def cmd_key_export(args: argparse.Namespace) -> int:
    from app.db.office_key import export_office_key

    target = Path(args.file)
    if target.exists():
        raise CliError(f"文件 {target} 已存在；请换一个文件名")
    export_office_key(target)
    print(f"已导出到 {target}。持有这个文件的人可以为备份签名：请存放在安全的地方，用完从 U 盘等处删除")
    return EXIT_OK


def cmd_key_import(args: argparse.Namespace) -> int:
    from app.db.office_key import import_office_key

    key = import_office_key(Path(args.file))
    print(f"已导入办公室密钥，指纹 {key.fingerprint}；请与其他电脑上 govdesk key show 显示的指纹核对")
    return EXIT_OK


def cmd_db_copy(args: argparse.Namespace) -> int:
    from app.db.backup import copy_database
    from app.db.migrate import check_schema, upgrade

    source = _context(args, administration=True)
    _require_current_schema(source)
    from app.db.engine import make_engine, normalize_url

    target_url = normalize_url(args.to)
    if args.to_password_stdin:
        if target_url.password:
            raise CliError("目标数据库地址中已经写了密码，又给了 --to-password-stdin：请只用其中一种")
        target_url = target_url.set(password=_read_db_password(
            "目标数据库密码（输入时不显示）：", "--to-password-stdin 要求标准输入的下一行是目标数据库的密码"))
    else:
        _keep_secret(args.to)
    target = _opened(AppContext(url=target_url, engine=make_engine(target_url, statement_timeout=None)))
    if target.url == source.url:
        raise CliError("目标数据库和当前数据库是同一个，请换一个目标")
    status = check_schema(target.engine)
    if status.state == "empty":
        upgrade(target.engine)
    elif not status.ok:
        raise CliError(f"目标数据库：{status.message()}")
    report = copy_database(source.engine, target.engine, progress=_progress(sys.stderr))
    print(report.summary())
    if report.ok:
        _rebuild_search_index_if_incomplete(target)
    if report.ok:
        print(f"以后各台电脑请连接：{target.location}")
    return EXIT_OK if report.ok else EXIT_PROBLEM


def cmd_user_add(args: argparse.Namespace) -> int:
    from app.services.admin import users as admin
    from app.services.kernel.actor import SYSTEM_ACTOR

    ctx = _context(args)
    _require_current_schema(ctx)
    password = _read_password(args)
    with ctx.uow() as uow:
        unit_id = _unit_id(uow, args.unit) if args.unit else None
        info = admin.create_user(
            uow, SYSTEM_ACTOR, username=args.username, full_name=args.name, password=password,
            roles=args.role or [], unit_id=unit_id, title=args.title or "", is_principal=args.principal,
        )
    print(f"已添加用户 {info.username}（{info.full_name}，{info.role_labels}）")
    return EXIT_OK


def _unit_id(uow: object, name: str) -> int:
    from app.services.admin import users as admin
    from app.services.kernel.actor import SYSTEM_ACTOR

    for unit in admin.list_units(uow, SYSTEM_ACTOR, include_inactive=True):  # type: ignore[arg-type]
        if unit.name == name or unit.short_name == name:
            return unit.id
    raise CliError(f"没有名为“{name}”的单位，请先在系统管理中添加")


def _find(ctx: AppContext, username: str) -> int:
    from app.services.admin import users as admin
    from app.services.kernel.actor import SYSTEM_ACTOR

    with ctx.uow() as uow:
        return admin.find_user(uow, SYSTEM_ACTOR, username).id


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from app.services.admin import users as admin
    from app.services.kernel.actor import SYSTEM_ACTOR

    ctx = _context(args)
    _require_current_schema(ctx)
    user_id = _find(ctx, args.username)
    password = _read_password(args, "新密码：")
    with ctx.uow() as uow:
        admin.reset_password(uow, SYSTEM_ACTOR, user_id, password)
    print(f"已重置 {args.username} 的密码，下次登录时需修改")
    return EXIT_OK


def cmd_user_lock(args: argparse.Namespace) -> int:
    from app.services.admin import users as admin
    from app.services.kernel.actor import SYSTEM_ACTOR

    ctx = _context(args)
    _require_current_schema(ctx)
    user_id = _find(ctx, args.username)
    with ctx.uow() as uow:
        if args.command_name == "lock":
            admin.lock_user(uow, SYSTEM_ACTOR, user_id)
            print(f"已锁定 {args.username}")
        else:
            admin.unlock_user(uow, SYSTEM_ACTOR, user_id)
            print(f"已解锁 {args.username}")
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    from app.services.admin import users as admin
    from app.services.kernel.actor import SYSTEM_ACTOR

    ctx = _context(args)
    _require_current_schema(ctx)
    with ctx.uow() as uow:
        users = admin.list_users(uow, SYSTEM_ACTOR)
    if not users:
        print("还没有用户。用 govdesk user add 添加第一个")
        return EXIT_OK
    for u in users:
        state = "停用" if not u.active else ("锁定" if u.locked else "正常")
        print(f"{u.username}\t{u.full_name}\t{u.role_labels}\t{u.unit_name or '-'}\t{state}")
    return EXIT_OK


def _office_key_or_say_why() -> OfficeKey | None:
    """This PC's office key, or None with a line on stderr when the keyring is locked or the key damaged:
    verify still checks the chain itself and says that anchors could not be checked."""
    from app.core.errors import ValidationError
    from app.db.office_key import load_office_key

    try:
        return load_office_key()
    except ValidationError as error:
        print(f"注意：{error.message}", file=sys.stderr)
        return None


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from app.services.admin.audit import verify_chain
    from app.services.kernel.audit_anchors import read_anchor_file

    anchor_file = read_anchor_file(Path(args.anchor)) if args.anchor else None
    ctx = _context(args)
    _require_current_schema(ctx)
    key = _office_key_or_say_why()
    progress = _verify_progress(sys.stderr)
    import gc

    # The walk makes no reference cycles, and the command ends when it is done: the collector would only
    # go through SQLAlchemy's objects again and again as the batches' tuples come and go (about 0.5 µs an entry).
    gc.disable()
    with ctx.uow() as uow:
        report = verify_chain(uow, key=key, anchor_file=anchor_file, progress=progress)
    if progress is not None:
        print(file=sys.stderr)
    print(report.summary())
    return EXIT_OK if report.ok else EXIT_PROBLEM


def _verify_progress(stream: TextIO) -> Callable[[int, int], None] | None:
    """A percentage line on a terminal, rewritten after each batch; nothing when the output goes to a file
    or a pipe (a scheduled task's log should hold the verdict only)."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        stream.write(f"\r核验审计日志：{percent:3d}%（已核验 {done} / 共 {total} 条）")
        stream.flush()

    return show


def cmd_audit_anchor(args: argparse.Namespace) -> int:
    from app.services.kernel import settings
    from app.services.kernel.actor import SYSTEM_ACTOR
    from app.services.kernel.audit_anchors import anchor_file_text, make_anchor

    ctx = _context(args)
    _require_current_schema(ctx)
    key = _office_key_or_say_why()
    with ctx.uow() as uow:
        anchor = make_anchor(uow, SYSTEM_ACTOR, key)
    print(f"已生成审计日志锚点：第 {anchor.seq} 条，链头校验值 {anchor.head_hash}，密钥指纹 {anchor.fingerprint}")
    if args.export:
        _write_output(Path(args.export), anchor_file_text(anchor).encode("utf-8"))
        print(f"锚点文件已保存到 {args.export}：请存放在数据库服务器以外的地方")
    if args.pdf:
        from app.printing.admin.audit_anchor import AuditAnchorSheet, render_audit_anchor

        with ctx.uow() as uow:
            office = str(settings.get_setting(uow, "office_name"))
        sheet = AuditAnchorSheet(office, anchor.seq, anchor.count, anchor.head_hash, anchor.at.astimezone(),
                                 anchor.made_by, anchor.fingerprint, anchor.signature)
        _write_output(Path(args.pdf), render_audit_anchor(sheet))
        print(f"锚点页已保存到 {args.pdf}：请打印后归档")
    return EXIT_OK


def _write_output(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise CliError(f"无法写入 {path}：{error.strerror or error}", EXIT_USAGE) from error


def cmd_demo_data(args: argparse.Namespace) -> int:
    from app.db.migrate import check_schema, upgrade
    from app.demo.generate import generate_demo_data

    if args.size < 0:
        raise CliError("--size 不能为负数")
    ctx = _context(args)
    if check_schema(ctx.engine).state == "empty":
        upgrade(ctx.engine)
    _require_current_schema(ctx)
    summary = generate_demo_data(ctx, size=args.size, progress=_progress(sys.stderr))
    print(summary.summary())
    return EXIT_OK


def cmd_urge_overdue(args: argparse.Namespace) -> int:
    from app.services.kernel.actor import SYSTEM_ACTOR
    from app.services.workflow.urges import urge_overdue

    ctx = _context(args)
    _require_current_schema(ctx)
    with ctx.uow() as uow:
        count = urge_overdue(uow, SYSTEM_ACTOR)
    print(f"已对 {count} 件逾期事项发出系统催办" if count else "没有需要催办的逾期事项")
    return EXIT_OK


def cmd_forms(args: argparse.Namespace) -> int:
    from app.forms import build_registry

    # One form a line: its name for `govdesk print`, its title, and the arguments it takes.
    for spec in build_registry():
        print(f"{spec.name}\t{spec.title}\t{spec.argument_text()}")
    return EXIT_OK


def _print_arguments(args: argparse.Namespace) -> PrintArguments:
    from app.print_arguments import PrintArguments

    return PrintArguments(id=args.id, year=args.year, quarter=args.quarter, month=args.month, retention=args.retention,
                          date_from=args.date_from, date_to=args.date_to, one_file=args.one_file)


def _printer(args: argparse.Namespace, ctx: AppContext) -> PrintContext:
    """Who prints: the user of --as, logged in with the password (so their rights apply and the audit log
    names them), else the system, as the command line's other commands act. Either way the print is
    recorded as made on the command line, with this computer's account."""
    from app.forms import VIA_COMMAND_LINE, PrintContext
    from app.services.kernel.actor import SYSTEM_ACTOR

    actor = SYSTEM_ACTOR
    if args.as_user is not None:
        from app.services.admin.auth import login

        password = _read_login_password(f"{args.as_user} 的登录密码（输入时不显示）：")
        with ctx.uow() as uow:
            actor = login(uow, args.as_user, password)
    return PrintContext(ctx, actor, via=VIA_COMMAND_LINE, account=_machine_account())


def _read_login_password(prompt: str) -> str:
    """A login password: typed without echo in a terminal, else the next line of standard input."""
    password = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliError("没有读到登录密码：--as 在终端中提示输入，否则从标准输入读一行")
    register_secret(password)
    return password


def _machine_account() -> str:
    """user@computer that ran the command, for the audit log: which PC and which of its accounts printed."""
    import socket

    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except (OSError, KeyError):
        return socket.gethostname()


def cmd_print(args: argparse.Namespace) -> int:
    from app import batch_print
    from app.forms import build_registry
    from app.print_arguments import check_by_id, describe_period, period_of

    registry = build_registry()
    spec = registry.get(args.form)
    title = spec.title
    arguments = _print_arguments(args)
    if not spec.by_id:
        # A register, catalogue or notice: one PDF for the period asked for.
        period = period_of(spec, arguments)
        target = batch_print.plan_file(args.out)
        ctx = _context(args)
        _require_current_schema(ctx)
        pdf = registry.load_and_render(args.form, _printer(args, ctx), period)
        batch_print.write_pdf(target.path, pdf)
        print(f"已输出 {title}（{describe_period(period)}）：{target.path}（{len(pdf) // 1024 + 1} KB）")
        return EXIT_OK
    ids = batch_print.parse_ids(check_by_id(spec, arguments))
    target = batch_print.plan_target(args.out, ids, args.one_file)
    ctx = _context(args)
    _require_current_schema(ctx)
    source = _printer(args, ctx)
    if len(ids) == 1:
        # One record: its own error (找不到该报销单…) is the whole answer, as it always was.
        pdf = registry.load_and_render(args.form, source, ids[0])
        path = target.file_for(args.form, ids[0])
        batch_print.write_pdf(path, pdf)
        print(f"已输出 {title}：{path}（{len(pdf) // 1024 + 1} KB）")
        return EXIT_OK
    report = batch_print.BatchReport()
    drawn = batch_print.render_each(registry, args.form, source, ids, report, _progress(sys.stderr))
    if target.one_file:
        pdfs = []
        for _id, pdf in drawn:
            pdfs.append(pdf)
            resume_gc_after_start()
        if report.failed:
            raise CliError(f"以下记录未能打印，没有生成 {target.path}：{report.failures()}")
        merged = batch_print.merge(pdfs)
        batch_print.write_pdf(target.path, merged)
        print(f"已输出 {title} {len(pdfs)} 份，合成一个文件：{target.path}（{len(merged) // 1024 + 1} KB）")
        return EXIT_OK
    for record_id, pdf in drawn:
        batch_print.write_pdf(target.file_for(args.form, record_id), pdf)
        # What the first form loaded (modules, fonts) stays; the collector need not walk it for each next form.
        resume_gc_after_start()
    if report.printed:
        print(f"已输出 {title} {len(report.printed)} 份到文件夹 {target.path}（每条一个 PDF）")
    if report.failed:
        print(f"错误：以下记录未能打印：{report.failures()}", file=sys.stderr)
        return EXIT_PROBLEM if report.printed else EXIT_USAGE
    return EXIT_OK


def cmd_import_supervision(args: argparse.Namespace) -> int:
    """A 目标任务分解表 (.xlsx) imported as 督办事项, all or none, by the user of --as: logged in with the
    password, so the import is theirs in the audit log and in the items (whoever imports a row without a 责任人
    answers for it, 一事一人), and only a 文秘 or the office's director or deputy may do it."""
    from app.core.supervision.ledger_sheet import SheetProblems
    from app.services.admin.auth import login
    from app.services.kernel.sheets import MAX_FILE_BYTES
    from app.services.supervision.sheet import import_items

    path = Path(args.file)
    data = _read_sheet_file(path, MAX_FILE_BYTES)
    ctx = _context(args)
    _require_current_schema(ctx)
    password = _read_login_password(f"{args.as_user} 的登录密码（输入时不显示）：")
    with ctx.uow() as uow:
        actor = login(uow, args.as_user, password)
    try:
        with ctx.uow() as uow:
            made = import_items(uow, actor, data, path.name)
    except SheetProblems as problems:
        # Every bad row, however many: the window shows the first 50, a file fixed from here needs them all.
        print(f"错误：{path.name}中有{len(problems.problems)}处问题，未导入任何事项，请改正后重新导入：", file=sys.stderr)
        for problem in problems.problems:
            print(str(problem), file=sys.stderr)
        return EXIT_USAGE
    print(f"已导入{made.count}项督办事项：{'、'.join(made.numbers)}")
    return EXIT_OK


def cmd_import_petitions(args: argparse.Namespace) -> int:
    """A 信访台账 (.xlsx) imported as 信访件 at 登记, all or none, by the user of --as: logged in with the password,
    so the import is theirs in the audit log and they answer for every case (首问负责); only a 信访接待员 or the
    office's director or deputy may do it. Repeats among the rows and of earlier cases are flagged and linked."""
    from app.core.petitions.ledger_sheet import SheetProblems
    from app.services.admin.auth import login
    from app.services.kernel.sheets import MAX_FILE_BYTES
    from app.services.petitions.ledger_import import import_petitions

    path = Path(args.file)
    data = _read_sheet_file(path, MAX_FILE_BYTES)
    ctx = _context(args)
    _require_current_schema(ctx)
    password = _read_login_password(f"{args.as_user} 的登录密码（输入时不显示）：")
    with ctx.uow() as uow:
        actor = login(uow, args.as_user, password)
    try:
        with ctx.uow() as uow:
            made = import_petitions(uow, actor, data, path.name)
    except SheetProblems as problems:
        # Every bad row, however many: the window shows the first 50, a file fixed from here needs them all.
        print(f"错误：{path.name}中有{len(problems.problems)}处问题，未导入任何信访件，请改正后重新导入：", file=sys.stderr)
        for problem in problems.problems:
            print(str(problem), file=sys.stderr)
        return EXIT_USAGE
    repeated = f"，其中{made.repeats}件为重复信访，已与原件关联" if made.repeats else ""
    print(f"已导入{made.count}件信访件{repeated}：{'、'.join(made.numbers)}")
    return EXIT_OK


def cmd_import_info_items(args: argparse.Namespace) -> int:
    """A 信息台账 (.xlsx) imported as 政务信息 items and research articles, all or none, by the user of --as: logged
    in with the password, so the import is theirs in the audit log; only a 文秘人员 or the office's director or
    deputy may do it. Rows with an 编入期号 are compiled into that issue of 《政务信息》 (made if missing), the others
    filed; adoptions earn the points of the table in force."""
    from app.core.information.ledger_sheet import SheetProblems
    from app.services.admin.auth import login
    from app.services.information.ledger_import import import_items
    from app.services.kernel.sheets import MAX_FILE_BYTES

    path = Path(args.file)
    data = _read_sheet_file(path, MAX_FILE_BYTES)
    ctx = _context(args)
    _require_current_schema(ctx)
    password = _read_login_password(f"{args.as_user} 的登录密码（输入时不显示）：")
    with ctx.uow() as uow:
        actor = login(uow, args.as_user, password)
    try:
        with ctx.uow() as uow:
            made = import_items(uow, actor, data, file_name=path.name)
    except SheetProblems as problems:
        # Every bad row, however many: the service's message stops at 20, a file fixed from here needs them all.
        lines = problems.lines()
        print(f"错误：{path.name}中有{len(lines)}行有问题，未导入任何稿件，请改正后重新导入：", file=sys.stderr)
        for line in lines:
            print(line, file=sys.stderr)
        return EXIT_PROBLEM
    issues = f"，新建已印发的《政务信息》{made.issues}期" if made.issues else ""
    adopted = f"，上级采用{made.adoptions}次，计{made.points}分" if made.adoptions else ""
    print(f"已导入{made.total}篇稿件：政务信息{made.items}条，调研文章{made.articles}篇{issues}{adopted}")
    return EXIT_OK


def _read_sheet_file(path: Path, limit: int) -> bytes:
    """The file's bytes, at most one more than ``limit`` (the reader refuses a larger file by its size without
    this reading all of it), or why it cannot be read."""
    try:
        with path.open("rb") as file:
            return file.read(limit + 1)
    except FileNotFoundError:
        raise CliError(f"找不到文件“{path}”") from None
    except IsADirectoryError:
        raise CliError(f"“{path}”是文件夹，请给出 .xlsx 文件") from None
    except OSError:
        raise CliError(f"无法读取文件“{path}”，请检查是否有权限打开它") from None


def cmd_screenshots(args: argparse.Namespace) -> int:
    from app.ui.screenshots import save_screenshots

    target = Path(args.dir)
    target.mkdir(parents=True, exist_ok=True)
    for path in save_screenshots(target):
        print(path)
    return EXIT_OK


# ----- parser -------------------------------------------------------------------------------------------


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="govdesk",
        description=f"{APP_TITLE}（GovDesk）。不带命令时启动图形界面。",
        epilog="数据库：--database 或环境变量 GOVDESK_DATABASE；都不给时使用本机数据文件。",
    )
    # The schema revision is the constant the migrations' head is checked against (tests/db), not the
    # head itself: reading that takes Alembic and every migration script, and would be paid by every start.
    parser.add_argument(
        "--version", action="version", version=f"GovDesk {__version__}（数据库结构版本 {SCHEMA_REVISION}）"
    )
    parser.add_argument(
        "--database", metavar="URL",
        help="数据库地址，如 sqlite:///D:/govdesk.sqlite3、postgresql://用户@服务器/库名、mysql://用户@服务器/库名",
    )
    parser.add_argument(
        "--db-password-stdin", action="store_true",
        help="数据库密码：在终端中提示输入（不显示），否则从标准输入读第一行（地址中不写密码；含 %%、@、# 等字符也不必转义）",
    )
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)

    gui = commands.add_parser("gui", help="启动图形界面（默认）")
    gui.set_defaults(handler=cmd_gui)

    db = commands.add_parser("db", help="数据库：初始化、升级、检查、备份、恢复、迁移到服务器")
    db_commands = db.add_subparsers(dest="db_command", metavar="子命令", required=True)
    db_commands.add_parser("init", help="在空数据库中建表").set_defaults(handler=cmd_db_init)
    db_commands.add_parser("upgrade", help="把数据库结构升级到本程序的版本").set_defaults(handler=cmd_db_upgrade)
    db_commands.add_parser("check", help="检查数据库结构版本是否与本程序一致").set_defaults(handler=cmd_db_check)
    db_commands.add_parser("reindex", help="重建综合查询索引（升级、恢复或复制后会自动重建）").set_defaults(
        handler=cmd_db_reindex
    )
    backup = db_commands.add_parser("backup", help="备份到文件")
    backup.add_argument("file", metavar="文件")
    backup.add_argument("--overwrite", action="store_true", help="文件已存在时覆盖")
    backup.set_defaults(handler=cmd_db_backup)
    restore = db_commands.add_parser("restore", help="从备份文件恢复（覆盖现有数据）")
    restore.add_argument("file", metavar="文件")
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    restore.add_argument(
        "--accept-unsigned", action="store_true",
        help="备份没有签名、签名无效或来自另一把密钥时仍然恢复（记入审计日志）；只用于确认可信的备份",
    )
    restore.set_defaults(handler=cmd_db_restore)
    copy = db_commands.add_parser("copy", help="把全部数据复制到另一个数据库（如局域网服务器）并核对")
    copy.add_argument("--to", required=True, metavar="URL", help="目标数据库地址（不要写密码，用 --to-password-stdin）")
    copy.add_argument(
        "--to-password-stdin", action="store_true",
        help="目标数据库的密码：在终端中提示输入（不显示），否则从标准输入读一行（在 --db-password-stdin 的那一行之后）",
    )
    copy.set_defaults(handler=cmd_db_copy)

    user = commands.add_parser("user", help="用户：添加、重置密码、锁定、解锁、列表")
    user_commands = user.add_subparsers(dest="user_command", metavar="子命令", required=True)
    add = user_commands.add_parser("add", help="添加用户")
    add.add_argument("username", metavar="用户名")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument("--role", action="append", help="角色（可多次给出），如 文秘人员、县领导、系统管理员")
    add.add_argument("--unit", help="所在单位名称")
    add.add_argument("--title", help="职务")
    add.add_argument("--principal", action="store_true", help="主要领导（可签发重要文件）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    add.set_defaults(handler=cmd_user_add)
    passwd = user_commands.add_parser("passwd", help="重置密码")
    passwd.add_argument("username", metavar="用户名")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    passwd.set_defaults(handler=cmd_user_passwd)
    for name, text in (("lock", "锁定账户"), ("unlock", "解锁账户")):
        sub = user_commands.add_parser(name, help=text)
        sub.add_argument("username", metavar="用户名")
        sub.set_defaults(handler=cmd_user_lock, command_name=name)
    user_commands.add_parser("list", help="列出全部用户").set_defaults(handler=cmd_user_list)

    key = commands.add_parser("key", help="办公室密钥：为备份签名，全办公室各电脑共用一把")
    key_commands = key.add_subparsers(dest="key_command", metavar="子命令", required=True)
    key_commands.add_parser("create", help="生成办公室密钥（只在第一台电脑上运行一次）").set_defaults(handler=cmd_key_create)
    key_commands.add_parser("show", help="显示本机办公室密钥的指纹，用于核对各电脑是否一致").set_defaults(
        handler=cmd_key_show
    )
    for name, text in (("export", "把办公室密钥导出到文件（请妥善保管该文件）"), ("import", "从密钥文件导入办公室密钥")):
        sub = key_commands.add_parser(name, help=text)
        sub.add_argument("file", metavar="文件")
        sub.set_defaults(handler=cmd_key_export if name == "export" else cmd_key_import)

    audit = commands.add_parser("audit", help="审计日志")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="子命令", required=True)
    verify = audit_commands.add_parser("verify", help="核验审计日志是否被删除或篡改（用办公室密钥核对锚点）")
    verify.add_argument("--anchor", metavar="锚点文件", help="同时核对导出的锚点文件（.json）")
    verify.set_defaults(handler=cmd_audit_verify)
    anchor = audit_commands.add_parser("anchor", help="用办公室密钥为审计日志生成锚点，可导出文件、保存为 PDF 打印")
    anchor.add_argument("--export", metavar="文件", help="把锚点保存为签名的 .json 文件")
    anchor.add_argument("--pdf", metavar="文件", help="把锚点保存为一页 PDF（审计日志锚点），打印后归档")
    anchor.set_defaults(handler=cmd_audit_anchor)

    commands.add_parser("forms", help="列出可打印的表单").set_defaults(handler=cmd_forms)
    commands.add_parser(
        "urge-overdue", help="对全部逾期事项发出系统催办（每天可由计划任务运行一次）"
    ).set_defaults(handler=cmd_urge_overdue)
    print_ = commands.add_parser(
        "print", help="把表单打印到 PDF 文件：一条或多条记录的表单，或一个期间的登记簿、目录、通报（各表单的参数见 govdesk forms）"
    )
    print_.add_argument("form", metavar="表单", help="表单名称，见 govdesk forms")
    print_.add_argument("--id", metavar="编号", help="记录编号；多条用逗号分隔，连续的写成范围，如 1,2,5-9")
    print_.add_argument("--year", metavar="年度", help="年度，如 2026（归档文件目录、归档章、通报）")
    print_.add_argument("--quarter", metavar="季度", help="季度 1-4（公文运转及差错情况通报、督查通报）")
    print_.add_argument("--month", metavar="月份", help="月份 1-12（督查通报）")
    print_.add_argument("--retention", metavar="保管期限", help="Y（永久）、D30（定期30年）或 D10（定期10年）（归档文件目录、归档章）")
    print_.add_argument("--from", dest="date_from", metavar="起始日期", help="如 2026-10-01（收文登记簿）")
    print_.add_argument("--to", dest="date_to", metavar="截止日期", help="如 2026-12-31（收文登记簿）")
    print_.add_argument(
        "--out", required=True, metavar="FILE.pdf|文件夹",
        help="一条记录或一个期间：PDF 文件名；多条记录：文件夹（每条一个 PDF，名为 表单-编号.pdf）",
    )
    print_.add_argument(
        "--one-file", action="store_true", help="多条记录合成一个 PDF（--out 给 .pdf 文件名；有一条打印不了就不生成）"
    )
    print_.add_argument(
        "--as", dest="as_user", metavar="用户名",
        help="以该用户的身份打印（按其权限，审计日志记其姓名）；密码在终端中提示输入，否则从标准输入读一行"
             "（在 --db-password-stdin 的那一行之后）。不给时以系统身份打印，审计日志记为命令行",
    )
    print_.set_defaults(handler=cmd_print)
    import_ = commands.add_parser(
        "import", help="导入：督办事项（目标任务分解表 .xlsx）、信访件（信访台账 .xlsx）、政务信息（信息台账 .xlsx）"
    )
    import_commands = import_.add_subparsers(dest="import_command", metavar="子命令", required=True)
    supervision = import_commands.add_parser(
        "supervision", help="把目标任务分解表（.xlsx）中的每一行导入为立项环节的督办事项；有一行不对就一项也不导入，并列出每个问题行",
        description="把目标任务分解表（.xlsx 的第一个工作表；表头在前10行内，其上可有标题）的每一行导入为立项环节的督办事项，"
                    "全部导入或一项也不导入：有问题时逐行列出行号和应如何改正，退出码非零。"
                    "导入须以一位用户的身份进行：命令行的系统身份只有管理员权限，不能登记督办事项；"
                    "未填写责任人的行由导入人负责（一事一人），所以须是文秘人员、办公室主任或副主任。",
    )
    supervision.add_argument("file", metavar="FILE.xlsx", help="目标任务分解表，表头含事项来源、事项名称、牵头单位、督办类别、办结时限等列（可用程序导出的模板）")
    supervision.add_argument(
        "--as", dest="as_user", metavar="用户名", required=True,
        help="以该用户的身份导入（必填）：须是文秘人员、办公室主任或副主任；未填写责任人的行由其负责（一事一人），"
             "审计日志记其姓名。密码在终端中提示输入，否则从标准输入读一行（在 --db-password-stdin 的那一行之后）",
    )
    supervision.set_defaults(handler=cmd_import_supervision)
    petitions = import_commands.add_parser(
        "petitions", help="把信访台账（.xlsx）中的每一行登记为信访件；有一行不对就一件也不导入，并列出每个问题行",
        description="把信访台账（.xlsx 的第一个工作表；表头在前10行内，其上可有标题）的每一行登记为信访件，"
                    "全部导入或一件也不导入：有问题时逐行列出行号和应如何改正，退出码非零。"
                    "表头列：登记日期、信访方式、姓名、身份证号、联系电话、住址、诉求、问题类别、问题属地、人数（顺序不限，不能有其他列）。"
                    "与已有信访件或表中前面各行重复的，标记为重复信访并关联。导入人是每一件的首问责任人，"
                    "所以须以信访接待员、办公室主任或副主任的身份导入。",
    )
    petitions.add_argument("file", metavar="FILE.xlsx", help="信访台账，表头含登记日期、信访方式、姓名、诉求、问题类别、问题属地等列（可用程序保存的导入模板）")
    petitions.add_argument(
        "--as", dest="as_user", metavar="用户名", required=True,
        help="以该用户的身份导入（必填）：须是信访接待员、办公室主任或副主任，是每一件的首问责任人，审计日志记其姓名。"
             "密码在终端中提示输入，否则从标准输入读一行（在 --db-password-stdin 的那一行之后）",
    )
    petitions.set_defaults(handler=cmd_import_petitions)
    info_items = import_commands.add_parser(
        "info-items", help="把信息台账（.xlsx）中的每一行导入为政务信息或调研文章；有一行不对就一篇也不导入，并列出每个问题行",
        description="把信息台账（.xlsx 的第一个工作表；表头在前10行内，其上可有标题）的每一行导入为已报送的政务信息或调研文章，"
                    "全部导入或一篇也不导入：有问题时逐行列出行号和应如何改正，退出码为1。"
                    "表头列：标题、报送组、作者、报送日期、类型（信息或调研文章）、编入期号、采用单位、采用层级（市级、省级或国家级）、"
                    "采用日期（顺序不限）。填了编入期号的编入该年度的那一期《政务信息》（没有的新建为已印发），其余存档；"
                    "采用单位、采用层级、采用日期三项要么都填、要么都空着。须以文秘人员、办公室主任或副主任的身份导入。",
    )
    info_items.add_argument("file", metavar="FILE.xlsx", help="信息台账，表头含标题、报送组、作者、报送日期等列（可用程序保存的导入模板）")
    info_items.add_argument(
        "--as", dest="as_user", metavar="用户名", required=True,
        help="以该用户的身份导入（必填）：须是文秘人员、办公室主任或副主任，审计日志记其姓名。"
             "密码在终端中提示输入，否则从标准输入读一行（在 --db-password-stdin 的那一行之后）",
    )
    info_items.set_defaults(handler=cmd_import_info_items)
    shots = commands.add_parser("screenshots", help="用演示数据为每个窗口和对话框截图（PNG）")
    shots.add_argument("dir", metavar="文件夹")
    shots.set_defaults(handler=cmd_screenshots)

    demo = commands.add_parser("demo-data", help="生成演示数据（单位、人员和各环节的办理事项）")
    demo.add_argument("--size", type=int, default=200, help="办理事项的数量（默认 200）")
    demo.set_defaults(handler=cmd_demo_data)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        configure_logging()
        return _run(argv)
    except Exception as error:
        # The last resort: whatever went wrong, the user reads one line, and the traceback is in the log.
        print(f"错误：{unexpected_error_line(record_unexpected(error))}", file=sys.stderr)
        return EXIT_PROBLEM


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", cmd_gui)
    if handler is cmd_gui or handler is cmd_print:
        # Before SQLAlchemy, Qt and the models are imported; the GUI turns it back on at its first window,
        # `print` after its first form: one print makes some 150,000 lasting objects (SQLAlchemy, the ORM,
        # reportlab), and the collector walked them about 400 times, a third of a cold print's time.
        pause_gc_for_start()
    # Imported here, not at the top, so that the pause above covers SQLAlchemy's import too.
    from sqlalchemy.exc import DBAPIError, DisconnectionError, ProgrammingError

    from app.core.errors import GovDeskError

    try:
        return handler(args)
    except CliError as error:
        print(f"错误：{redact(str(error))}", file=sys.stderr)
        return error.code
    except GovDeskError as error:
        print(f"错误：{redact(error.message)}", file=sys.stderr)
        return EXIT_USAGE
    except ProgrammingError as error:
        # Most often a table or column this program expects and the database lacks: a schema out of step.
        code = _error_code(error)
        print(f"错误：数据库拒绝了操作{code}，请先运行 govdesk db check", file=sys.stderr)
        return EXIT_USAGE
    except (DBAPIError, DisconnectionError) as error:
        print(f"错误：{_connection_problem(error)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return EXIT_PROBLEM
    finally:
        _close_opened()
        # Normally done at the first window already; this covers a GUI that never got that far.
        resume_gc_after_start()


def _error_code(error: DBAPIError) -> str:
    """The driver's error code, for the administrator; never the driver's English text."""
    orig = error.orig
    args = getattr(orig, "args", None) or (None,)
    code = getattr(orig, "sqlstate", None) or args[0]
    return f"（错误代码 {code}）" if isinstance(code, (str, int)) and str(code).isalnum() else ""


def _connection_problem(error: BaseException) -> str:
    from app.db.faults import MESSAGES, explain

    fault = explain(error)
    return fault.message if fault is not None else MESSAGES["other"].format(code="")


if __name__ == "__main__":
    raise SystemExit(main())
