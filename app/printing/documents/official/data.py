"""What the typesetter takes: every field of a 公文 as GB/T 9704-2012 lays it out, as plain data.

The forms loader (app.forms.documents.load_official_document) fills it from the document, its body file and
the office's settings; the PDF (render.render_official_document) and the .docx
(docx_export.official_docx) are made from the same data, so that they say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.core.document_body import Body
from app.core.official_document import Layout

__all__ = ["Layout", "MinutesPeople", "OfficialAttachment", "OfficialDocumentData"]


@dataclass(frozen=True)
class OfficialAttachment:
    """One 附件: its name as the 附件说明 gives it, and, when its file could be read, its body, which starts on
    a new page with 附件N at the top left. A file that cannot be typeset (a scan, a PDF) is named in the
    附件说明 only and printed from its own file."""

    name: str
    body: Body | None = None


@dataclass(frozen=True)
class MinutesPeople:
    """纪要's 出席, 请假 and 列席 lines (GB/T 9704 §10.3), each a list of names and posts as the office writes it."""

    present: str = ""
    absent: str = ""
    attending: str = ""


@dataclass(frozen=True)
class OfficialDocumentData:
    layout: Layout
    doc_type: str  # 文种 (通知, 请示 …)
    # 发文机关标志 in red: "青山县人民政府办公室文件", or for a 纪要 "青山县人民政府常务会议纪要".
    issuer_mark: str
    doc_number: str  # 县政办发〔2026〕12号; a 纪要's number as "第12期" (or "")
    title: str
    main_recipients: str  # 主送机关, without the colon; "" for a 纪要
    body: Body
    issuer_names: tuple[str, ...]  # 发文机关署名: one organ, or several for a joint document
    signed_on: date  # 成文日期
    printer: str  # 印发机关
    printed_on: date  # 印发日期
    attachments: tuple[OfficialAttachment, ...] = ()
    signers: tuple[str, ...] = ()  # 签发人 of a 上行文 (several for a joint one)
    sealed: bool = True  # leaves the space for the seal over the 署名 and 成文日期
    note: str = ""  # 附注, printed in round brackets below the 成文日期 (e.g. 此件公开发布)
    copy_to: str = ""  # 抄送机关 (a 纪要's 分送)
    copy_number: str = ""  # 份号, six digits, where the office numbers its copies
    secrecy: str = ""  # 密级和保密期限; always "" here: GovDesk is not cleared for classified documents
    urgency: str = ""  # 紧急程度: 特急 or 加急
    minutes_people: MinutesPeople = field(default_factory=MinutesPeople)
