"""What an issue of 《政务信息》 prints from: plain data, no records (app.forms.information.load_issue makes it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class IssueArticle:
    """One item of the issue: its title, its body (paragraphs one to a line), and whom it came from."""

    title: str
    body: str
    author: str = ""
    group: str = ""


@dataclass(frozen=True)
class IssueSheet:
    """An issue of 《政务信息》 as printed: the red title, 第N期, the editing unit and the date, the items in order,
    and the foot's 报/送/发 lists with the number of copies (0: not printed)."""

    year: int
    seq: int
    editor_unit: str
    issue_date: date
    items: tuple[IssueArticle, ...] = ()
    report_to: str = ""
    send_to: str = ""
    distribute_to: str = ""
    copies: int = 0
    title: str = "政务信息"

    @property
    def number_text(self) -> str:
        return f"第{self.seq}期"
