"""`govdesk print` run in the test's process, and what it leaves: the PDF's text and the audit log's prints
(tests/test_cli_print_forms.py, tests/test_cli_print_meetings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.bootstrap import AppContext
from app.db.tables import audit_log
from tests.helpers.cli import run
from tests.helpers.pdfcheck import compact


@dataclass
class Cli:
    """`govdesk --database URL ARGV` in this process, with standard input when given, as tests/test_cli.py runs it."""

    capsys: pytest.CaptureFixture[str]
    url: str

    def __call__(self, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        return run(self.capsys, "--database", self.url, *argv, stdin=stdin)


def text_of(path: Path) -> str:
    return compact("".join(page.extract_text() for page in PdfReader(path).pages))


def prints(ctx: AppContext) -> list[Any]:
    """The print entries of the audit log, oldest first."""
    with ctx.uow() as uow:
        return list(uow.execute(
            select(audit_log.c.user_id, audit_log.c.username, audit_log.c.entity_type, audit_log.c.entity_id,
                   audit_log.c.detail)
            .where(audit_log.c.action == "print").order_by(audit_log.c.seq)
        ))
