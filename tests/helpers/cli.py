"""Running the govdesk command in-process, as a shell would, and reading what it printed."""

from __future__ import annotations

import io
import sys

import pytest

from app.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    # Put back what was there (pytest's guard), never the real standard input: a later read must fail, not wait.
    before = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        sys.stdin = before
    captured = capsys.readouterr()
    return code, captured.out, captured.err
