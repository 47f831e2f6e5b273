"""One form for many records in one process: `govdesk print FORM --id 1,2,5-9 --out DIR`.

Each record is loaded and drawn through the same registry as a single print, so it gets the same data and
the same checks; a record that cannot be printed is named with its reason, and the others still print.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import GovDeskError, ServerUnavailable, ValidationError
from app.printing.kit.registry import FormRegistry

# A county office prints a quarter's 收文 at most; more than this in one go is a typing slip (1-100000).
MAX_IDS = 5000

_ITEM = re.compile(r"(\d+)\s*[-－~～]\s*(\d+)|(\d+)")

Progress = Callable[[int, int, str], None]


def parse_ids(text: str) -> list[int]:
    """'1,2,5-9' as [1, 2, 5, 6, 7, 8, 9]: in the order given, each record once."""
    if not text.strip():
        raise ValidationError("--id 后面要写记录编号，如 5，或 1,2,5-9")
    ids: dict[int, None] = {}
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            raise ValidationError(f"编号列表“{text}”中有空项：编号之间用一个逗号分隔，如 1,2,5-9")
        match = _ITEM.fullmatch(part)
        if match is None:
            raise ValidationError(f"“{part}”不是记录编号：编号是正整数，连续的写成 5-9，多个用逗号分隔")
        first, last = (int(match[3]), int(match[3])) if match[3] else (int(match[1]), int(match[2]))
        if first < 1:
            raise ValidationError(f"“{part}”不是记录编号：编号从 1 开始")
        if last < first:
            raise ValidationError(f"范围“{part}”前大后小，请写成 {last}-{first}")
        if len(ids) + last - first + 1 > MAX_IDS:
            raise ValidationError(f"一次最多打印 {MAX_IDS} 条记录，请分几次打印")
        ids.update(dict.fromkeys(range(first, last + 1)))
    return list(ids)


@dataclass(frozen=True)
class Target:
    """Where the PDFs go: one file (a single record, or all in one), or one file per record in a folder."""

    path: Path
    one_file: bool

    def file_for(self, form: str, record_id: int) -> Path:
        return self.path if self.one_file else self.path / f"{form}-{record_id}.pdf"


def plan_target(out: str, ids: Sequence[int], one_file: bool) -> Target:
    """Check the output path before any record is loaded, so a typing slip costs nothing."""
    path = Path(out)
    is_pdf = path.suffix.lower() == ".pdf"
    if one_file or (is_pdf and len(ids) == 1):
        if not is_pdf:
            raise ValidationError(f"输出文件应以 .pdf 结尾（现在是“{path.name}”）")
        _check_file(path)
        return Target(path, one_file=True)
    if is_pdf:
        raise ValidationError(
            f"{len(ids)} 个编号要输出到一个文件夹（--out 给文件夹名，每条一个 PDF），或加 --one-file 合成一个 PDF"
        )
    if path.suffix and not path.is_dir():
        raise ValidationError(f"输出文件应以 .pdf 结尾（现在是“{path.name}”）；要输出到文件夹，请给文件夹名")
    _check_folder(path)
    return Target(path, one_file=False)


def plan_file(out: str) -> Target:
    """One PDF file, for a register, a catalogue or a notice: checked before anything is read."""
    path = Path(out)
    if path.suffix.lower() != ".pdf":
        raise ValidationError(f"输出文件应以 .pdf 结尾（现在是“{path.name}”）")
    _check_file(path)
    return Target(path, one_file=True)


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise ValidationError(f"{path} 是一个文件夹，请给出 PDF 文件名")
    folder = path.parent
    if not folder.is_dir():
        raise ValidationError(f"文件夹 {folder} 不存在，请先建好或换一个位置")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValidationError(f"没有权限写入 {path}，请换一个位置")


def _check_folder(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise ValidationError(f"{path} 是一个文件，不是文件夹：请给出文件夹名")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ValidationError(f"无法建立文件夹 {path}（{_reason(error)}），请换一个位置") from error
    if not os.access(path, os.W_OK):
        raise ValidationError(f"没有权限写入文件夹 {path}，请换一个位置")


def write_pdf(path: Path, pdf: bytes) -> None:
    try:
        path.write_bytes(pdf)
    except OSError as error:
        raise ValidationError(f"无法写入 {path}（{_reason(error)}），请换一个位置") from error


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "没有权限"
    if isinstance(error, NotADirectoryError | FileExistsError):
        return "路径中有同名的文件"
    if isinstance(error, FileNotFoundError):
        return "路径不存在"
    return error.strerror or type(error).__name__


@dataclass
class BatchReport:
    """What a batch printed, and each record it could not print with the reason."""

    printed: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)

    def failures(self) -> str:
        """The failed records, grouped by reason: '3、7：找不到该报销单；12：这是一件收文…'."""
        by_reason: dict[str, list[int]] = {}
        for record_id, reason in self.failed.items():
            by_reason.setdefault(reason, []).append(record_id)
        return "；".join(f"编号 {'、'.join(map(str, ids))}：{reason}" for reason, ids in by_reason.items())


def render_each(
    registry: FormRegistry, form: str, context: Any, ids: Sequence[int], report: BatchReport,
    progress: Progress | None = None,
) -> Iterator[tuple[int, bytes]]:
    """Each record's PDF as it is drawn; a record that cannot be printed goes into the report instead."""
    title = registry.get(form).title
    for done, record_id in enumerate(ids, start=1):
        try:
            pdf = registry.load_and_render(form, context, record_id)
        except ServerUnavailable:
            # Not this record's fault: every one after it would wait for the server in turn. Stop here.
            raise
        except GovDeskError as error:
            report.failed[record_id] = error.message
        else:
            report.printed.append(record_id)
            yield record_id, pdf
        if progress is not None:
            progress(done, len(ids), f"{title} 编号 {record_id}")


def merge(pdfs: Sequence[bytes]) -> bytes:
    """The PDFs one after another in one file."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
