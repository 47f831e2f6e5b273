"""The program's log file: warnings and every unexpected error's full traceback go there, so that the
user sees one line of Chinese (or a message box) naming the file, never a traceback.

Setting it up costs no file access at the start: the file is opened at the first record.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

from app import __version__
from app.paths import LOG_FILE_NAME, log_file

# A log past this size is moved aside to govdesk.log.1 at the next start, so it never grows without end.
MAX_LOG_BYTES = 2 * 1024 * 1024


class _LogFileHandler(logging.FileHandler):
    """A file handler that makes its folder when it first writes, and drops a record it cannot write
    instead of printing logging's own traceback on the console."""

    def _open(self):  # type: ignore[no-untyped-def]
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        pass


_handler: _LogFileHandler | None = None

# A database URL's password, as typed (user:password@host): everything up to the token's last @.
_URL_PASSWORD = re.compile(r"(://[^\s:/@'\"]*:)[^\s'\"]*@")
# Passwords the program was given outside a URL (standard input, a prompt): they are taken out of anything
# logged or printed, in every spelling a URL or a driver's message may carry them.
_secrets: set[str] = set()
# Shorter ones would blank out ordinary words of a traceback; a URL's password is still removed by pattern.
MIN_SECRET_LENGTH = 4


def register_secret(secret: str) -> None:
    """Keeps ``secret`` (a database password) out of the log and of the program's error lines."""
    if len(secret) >= MIN_SECRET_LENGTH:
        _secrets.update({secret, quote(secret, safe=""), quote_plus(secret)})


def redact(text: str) -> str:
    """``text`` without any database password: a URL's password is shown as ***, and so is a known one."""
    text = _URL_PASSWORD.sub(r"\1***@", text)
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging() -> Path:
    """Warnings and errors of every module go to the log file (set up once per process, again if the
    log's folder changed, as it does between tests)."""
    global _handler
    target = log_file().absolute()
    if _handler is not None and Path(_handler.baseFilename) == target:
        return target
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    _rotate(target)
    _handler = _LogFileHandler(target, encoding="utf-8", delay=True)
    _handler.setLevel(logging.WARNING)
    _handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(_handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    return target


def _rotate(target: Path) -> None:
    try:
        if target.stat().st_size > MAX_LOG_BYTES:
            target.replace(target.with_name(target.name + ".1"))
    except OSError:
        pass  # no log yet, or it cannot be moved: it is appended to as it is


def record_unexpected(error: BaseException, context: str = "") -> Path | None:
    """Appends the error with its full traceback to the log file and returns the file's path.

    Written directly, not through logging, so that it reaches the file even where logging was never
    set up. If the per-user log folder cannot be written (a full disk, a locked-down profile), the
    temporary folder is tried; None when neither can be written."""
    # Imported here: the start pays for none of them.
    import tempfile
    import traceback
    from datetime import datetime

    stamp = datetime.now().isoformat(sep=" ", timespec="seconds")
    where = f"（{context}）" if context else ""
    # The command line and the error's text may both hold a database URL with its password.
    text = redact(
        f"{stamp} ERROR GovDesk {__version__} 意外错误{where}；命令行：{sys.argv!r}\n"
        + "".join(traceback.format_exception(type(error), error, error.__traceback__))
    )
    for where_to in (log_file, lambda: Path(tempfile.gettempdir()) / LOG_FILE_NAME):
        try:
            target = where_to()
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a", encoding="utf-8") as stream:
                stream.write(text)
            return target.absolute()
        except Exception:  # no folder for logs at all (or none that can be named): the next, or say so
            continue
    return None


def unexpected_error_line(path: Path | None) -> str:
    """What the user reads about an unexpected error: one line, in Chinese, naming the log file."""
    if path is None:
        return "程序遇到意外错误，未能完成操作；详细信息也无法写入日志文件，请联系系统管理员"
    return f"程序遇到意外错误，未能完成操作。详细信息已写入日志文件：{path}，请把这个文件交给系统管理员"
