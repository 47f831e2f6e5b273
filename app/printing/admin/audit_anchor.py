"""审计日志锚点: one page that files an anchor of the audit chain on paper.

Someone with write access to the database could delete the anchors table along with a recomputed chain;
the paper in the office's files cannot be reached that way. Whoever checks later verifies with the exported
file (`govdesk audit verify --anchor FILE`), or compares the printed head hash with the anchored entry's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm

from app.printing.kit.fonts import resolve_fonts
from app.printing.kit.page import build_pdf, format_cn_datetime
from app.printing.kit.table_form import FormBuilder, label, value


@dataclass(frozen=True)
class AuditAnchorSheet:
    office_name: str
    seq: int
    count: int
    head_hash: str
    made_at: datetime  # on the office's clock: the caller converts the stored UTC
    made_by: str
    fingerprint: str
    signature: str


def grouped(digest: str) -> str:
    """A 64-digit hex digest as eight groups of eight, two lines of four: read and compared by eye."""
    groups = [digest[i:i + 8] for i in range(0, len(digest), 8)]
    return " ".join(groups[:4]) + "\n" + " ".join(groups[4:])


def render_audit_anchor(data: AuditAnchorSheet) -> bytes:
    fonts = resolve_fonts()
    title = f"{data.office_name}\n审计日志锚点" if data.office_name else "审计日志锚点"
    form = FormBuilder(title, fonts=fonts, col_widths=[30 * mm, 126 * mm])
    form.row([label("锚定位置"), value(f"第 {data.seq} 条（至此共 {data.count} 条审计记录）")])
    form.row([label("生成时间"), value(format_cn_datetime(data.made_at))])
    form.row([label("生成人"), value(data.made_by)])
    form.row([label("链头校验值"), value(grouped(data.head_hash))], height=16 * mm)
    form.row([label("密钥指纹"), value(data.fingerprint)])
    form.row([label("锚点签名"), value(grouped(data.signature))], height=16 * mm)
    form.row([label("保管人签名"), value("")], height=20 * mm)
    form.note(f"本页记录审计日志在上述时间的链头。核验时用导出的锚点文件核验审计日志，"
              f"或把本页的链头校验值与系统中第 {data.seq} 条审计记录的校验值核对：不一致或该条已不存在，"
              "说明日志被改写或截去。")
    form.note("本页与导出的锚点文件应存放在数据库服务器以外的地方。")
    return build_pdf([form.build()], title=f"审计日志锚点 第{data.seq}条", author=data.office_name or "GovDesk")
