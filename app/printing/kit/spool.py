"""Sending a PDF to the system's print spooler (CUPS) as it is, and learning what became of the job.

On Linux (UOS, Kylin) and wherever CUPS takes PDF, the form's own PDF goes to `lp`: it stays vector, keeps its
text, and CUPS's pdftopdf places each page at 100% in its own orientation. Drawing the pages as bitmaps into
the printer's printable area (what QPrinter does) shrank the forms and their margins, and spooled ~2 MB a page.

A job that `lp` accepted can still fail (a stopped queue, a backend that aborts), and `lp` returns before that.
So the job's fate is read back over IPP (Get-Job-Attributes, a few bytes over CUPS's local socket), which says
what `lpstat` does not: whether a finished job completed, was cancelled, or was aborted, and why.
No Qt here: the print dialog lives in app/ui, this runs in a worker thread.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import struct
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.errors import GovDeskError

# lp and lpstat answer from the local scheduler in well under a second; more means CUPS is hung.
COMMAND_TIMEOUT_S = 30.0
# How long to watch a job after lp accepted it. A PDF queue finishes in 1-3 s; a real printer may still be
# printing then: a job still queued or printing is reported as sent, not as printed.
FATE_WAIT_S = 10.0
POLL_INTERVAL_S = 0.25

# IPP job-state and printer-state values (RFC 8011 5.3.7, 5.4.11).
JOB_STATES = {3: "pending", 4: "pending-held", 5: "processing", 6: "processing-stopped", 7: "canceled",
              8: "aborted", 9: "completed"}
FINAL_STATES = frozenset({"canceled", "aborted", "completed"})
PRINTER_STOPPED = 5


class PrintFailed(GovDeskError):
    """The print system refused or lost a job; the message says why and what to do, in Chinese."""


@dataclass(frozen=True)
class SpoolRequest:
    queue: str
    title: str
    copies: int = 1
    # First and last page, 1-based and inclusive; None prints every page.
    pages: tuple[int, int] | None = None


@dataclass(frozen=True)
class JobFate:
    job_id: int
    state: str
    reasons: tuple[str, ...] = ()
    message: str = ""
    printer_stopped: bool = False

    @property
    def failed(self) -> bool:
        return self.state in ("canceled", "aborted") or "job-completed-with-errors" in self.reasons or (
            self.printer_stopped and self.state not in FINAL_STATES
        )

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES


def _env() -> dict[str, str]:
    # lp's messages are parsed below: ask for them untranslated.
    return {**os.environ, "LC_ALL": "C", "LANG": "C"}


def _run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, input=data, capture_output=True, env=_env(), timeout=COMMAND_TIMEOUT_S)
    except subprocess.TimeoutExpired as error:
        raise PrintFailed("打印服务（CUPS）没有响应。请稍后再试；如果反复出现，请联系系统管理员重启打印服务。") from error


def cups_running() -> bool:
    """True where lp exists and a CUPS scheduler answers."""
    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        return False
    try:
        result = _run(["lpstat", "-r"])
    except PrintFailed:
        return False
    return result.returncode == 0 and b"is running" in result.stdout and b"not running" not in result.stdout


def is_cups_queue(queue: str) -> bool:
    """True when CUPS knows this queue, whether or not it accepts jobs now (a refusal is reported on sending)."""
    if not queue or not cups_running():
        return False
    return _run(["lpstat", "-a", queue]).returncode == 0


def lp_arguments(request: SpoolRequest) -> list[str]:
    args = ["lp", "-d", request.queue, "-t", request.title or "GovDesk", "-n", str(max(request.copies, 1)),
            # The form's own measures: no shrinking into the printable area, and copies kept together.
            "-o", "print-scaling=none", "-o", "collate=true"]
    if request.pages is not None:
        first, last = request.pages
        args += ["-P", f"{first}-{last}" if last != first else str(first)]
    return [*args, "--", "-"]


def submit(pdf: bytes, request: SpoolRequest) -> int:
    """Hands the PDF to CUPS as it is; returns the job id. Raises PrintFailed with CUPS's reason in Chinese."""
    result = _run(lp_arguments(request), pdf)
    output = (result.stdout + result.stderr).decode("utf-8", "replace").strip()
    found = re.search(r"request id is \S+-(\d+)", output)
    if result.returncode != 0 or found is None:
        raise PrintFailed(explain_lp_error(request.queue, output))
    return int(found.group(1))


def cancel(job_id: int) -> None:
    _run(["cancel", str(job_id)])


def explain_lp_error(queue: str, output: str) -> str:
    text = output.lower()
    if "not accepting" in text:
        return (f"打印机“{queue}”当前拒绝接收打印作业，这份文件没有打印。请换一台打印机；"
                f"或请系统管理员在打印服务中让它重新接收作业（cupsaccept {queue}）。")
    if "does not exist" in text or "unknown destination" in text or "not found" in text:
        return f"找不到打印机“{queue}”，这份文件没有打印。请重新选择打印机；如果它刚被删除，请联系系统管理员。"
    if "scheduler" in text or "unable to connect" in text or "connection refused" in text:
        return "打印服务（CUPS）没有运行，这份文件没有打印。请联系系统管理员启动打印服务后再试。"
    if "forbidden" in text or "not authorized" in text or "unauthorized" in text:
        return f"没有权限使用打印机“{queue}”，这份文件没有打印。请联系系统管理员。"
    detail = output.splitlines()[-1] if output else "没有说明原因"
    return f"打印机“{queue}”没有接收这份文件，没有打印（打印服务说：{detail}）。请检查打印机后再试。"


REASONS = {
    "job-canceled-by-user": "作业已被取消",
    "job-canceled-by-operator": "作业被管理员取消",
    "job-canceled-at-device": "作业在打印机上被取消",
    "aborted-by-system": "打印服务中止了作业（打印机驱动或打印机连接出错）",
    "job-aborted-by-system": "打印服务中止了作业（打印机驱动或打印机连接出错）",
    "job-completed-with-errors": "打印结束，但打印机报告了错误",
    "document-format-error": "打印机无法处理这份文件",
    "unsupported-document-format": "打印机不支持 PDF 文件",
    "document-unprintable-error": "打印机无法打印这份文件",
    "job-hold-until-specified": "作业被挂起，等待放行",
    "printer-stopped": "打印机已停用",
}


def explain_fate(queue: str, fate: JobFate) -> str:
    """Why a job failed, in Chinese, with what to do."""
    said = [REASONS[r] for r in fate.reasons if r in REASONS]
    why = "；".join(dict.fromkeys(said)) or {
        "canceled": "作业已被取消", "aborted": "打印服务中止了作业"}.get(fate.state, "打印机报告了错误")
    extra = f"（打印服务说：{fate.message}）" if fate.message else ""
    if fate.printer_stopped and not fate.finished:
        return (f"打印机“{queue}”已停用（暂停），第 {fate.job_id} 号作业尚未打印，在队列中等待{extra}。"
                f"请检查打印机（电源、纸张、连接），并请系统管理员恢复该打印机（cupsenable {queue}）；"
                "恢复后会自动打印，请不要重复打印。")
    return f"打印机“{queue}”第 {fate.job_id} 号作业没有打印成功：{why}{extra}。请检查打印机后重新打印。"


def wait_for_fate(
    job_id: int, timeout: float = FATE_WAIT_S, should_stop: Callable[[], bool] = lambda: False
) -> JobFate:
    """Watches a job until it finishes, the queue is found stopped, or timeout; returns the last state seen."""
    deadline = time.monotonic() + timeout
    fate = JobFate(job_id, "pending")
    while True:
        fate = job_fate(job_id)
        if fate.finished or fate.printer_stopped or fate.state == "unknown":
            return fate
        if time.monotonic() >= deadline or should_stop():
            return fate
        time.sleep(POLL_INTERVAL_S)


def job_fate(job_id: int) -> JobFate:
    """The job's state over IPP; state 'unknown' when CUPS cannot be asked (the job was still accepted)."""
    try:
        job = ipp_request(0x0009, [(0x45, "job-uri", f"ipp://localhost/jobs/{job_id}")],
                          ["job-state", "job-state-reasons", "job-printer-state-message", "job-printer-uri"])
    except (OSError, http.client.HTTPException, ValueError):
        return JobFate(job_id, "unknown")
    state = JOB_STATES.get(_first_int(job.get("job-state")), "unknown")
    reasons = tuple(str(r) for r in job.get("job-state-reasons", []))
    message = str(job.get("job-printer-state-message", [""])[0] or "")
    stopped = False
    printer_uri = job.get("job-printer-uri")
    if state not in FINAL_STATES and printer_uri:
        try:
            printer = ipp_request(0x000B, [(0x45, "printer-uri", str(printer_uri[0]))],
                                  ["printer-state", "printer-state-message"])
        except (OSError, http.client.HTTPException, ValueError):
            printer = {}
        stopped = _first_int(printer.get("printer-state")) == PRINTER_STOPPED
        message = message or str(printer.get("printer-state-message", [""])[0] or "")
    return JobFate(job_id, state, reasons, message.strip(), stopped)


def _first_int(values: list[object] | None) -> int:
    return values[0] if values and isinstance(values[0], int) else -1


# --- a minimal IPP client: enough for Get-Job-Attributes and Get-Printer-Attributes ---------------------------

_INTEGER_TAGS = frozenset({0x21, 0x23})


def _attribute(tag: int, name: str, value: str | int) -> bytes:
    encoded = struct.pack(">i", value) if isinstance(value, int) else value.encode("utf-8")
    raw_name = name.encode("ascii")
    return struct.pack(">BH", tag, len(raw_name)) + raw_name + struct.pack(">H", len(encoded)) + encoded


def encode_request(operation: int, attributes: list[tuple[int, str, str]], requested: list[str],
                   request_id: int = 1) -> bytes:
    body = struct.pack(">BBHI", 2, 0, operation, request_id) + b"\x01"
    body += _attribute(0x47, "attributes-charset", "utf-8") + _attribute(0x48, "attributes-natural-language", "en")
    for tag, name, value in attributes:
        body += _attribute(tag, name, value)
    body += _attribute(0x42, "requesting-user-name", os.environ.get("USER", "govdesk") or "govdesk")
    for index, keyword in enumerate(requested):
        body += _attribute(0x44, "requested-attributes" if index == 0 else "", keyword)
    return body + b"\x03"


@dataclass
class _Reader:
    data: bytes
    at: int = 0
    attributes: dict[str, list[object]] = field(default_factory=dict)

    def take(self, count: int) -> bytes:
        if self.at + count > len(self.data):
            raise ValueError("truncated IPP response")
        chunk = self.data[self.at:self.at + count]
        self.at += count
        return chunk


def decode_response(data: bytes) -> tuple[int, dict[str, list[object]]]:
    """(status code, attributes by name) of an IPP response; groups are merged, which suits one job/printer."""
    reader = _Reader(data)
    _version, status, _request_id = struct.unpack(">HHI", reader.take(8))
    name = ""
    while True:
        tag = reader.take(1)[0]
        if tag == 0x03:
            break
        if tag < 0x10:  # a new attribute group
            continue
        (name_length,) = struct.unpack(">H", reader.take(2))
        if name_length:
            name = reader.take(name_length).decode("ascii", "replace")
        (value_length,) = struct.unpack(">H", reader.take(2))
        raw = reader.take(value_length)
        value: object
        if tag in _INTEGER_TAGS and value_length == 4:
            value = struct.unpack(">i", raw)[0]
        elif tag == 0x22:
            value = bool(raw and raw[0])
        else:
            value = raw.decode("utf-8", "replace")
        reader.attributes.setdefault(name, []).append(value)
    return status, reader.attributes


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


def _connection(timeout: float = 5.0) -> http.client.HTTPConnection:
    """The scheduler lp uses: CUPS_SERVER if set (a socket path or host[:port]), else the local socket or :631."""
    server = os.environ.get("CUPS_SERVER", "")
    if server.startswith("/"):
        return _UnixHTTPConnection(server, timeout)
    if not server:
        for path in ("/run/cups/cups.sock", "/var/run/cups/cups.sock"):
            if os.path.exists(path):
                return _UnixHTTPConnection(path, timeout)
        server = "localhost"
    host, _, port = server.partition(":")
    return http.client.HTTPConnection(host, int(port or 631), timeout=timeout)


def ipp_request(operation: int, attributes: list[tuple[int, str, str]], requested: list[str]) -> dict[str, list[object]]:
    connection = _connection()
    try:
        connection.request("POST", "/", encode_request(operation, attributes, requested),
                           {"Content-Type": "application/ipp"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise ValueError(f"IPP HTTP status {response.status}")
    status, found = decode_response(body)
    if status >= 0x0400:
        raise ValueError(f"IPP status {status:#06x}")
    return found
