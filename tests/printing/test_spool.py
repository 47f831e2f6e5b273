"""app.printing.kit.spool against a real CUPS: the PDF goes to lp as it is, and the job's fate is read back."""

from __future__ import annotations

import subprocess

import pytest
from pypdf import PdfReader

from app.printing.documents.outgoing_draft import render_outgoing_draft
from app.printing.kit import spool
from tests.helpers import document_samples
from tests.helpers.cups_queues import Queues


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return render_outgoing_draft(document_samples.outgoing_draft())


def test_lp_gets_the_form_at_its_own_measures_with_copies_and_range() -> None:
    args = spool.lp_arguments(spool.SpoolRequest("前台", "发文稿纸", copies=2, pages=(2, 3)))
    assert args[:3] == ["lp", "-d", "前台"]
    joined = " ".join(args)
    assert "-o print-scaling=none" in joined and "-n 2" in joined and "-P 2-3" in joined
    assert args[-1] == "-", "the PDF goes on standard input, not through a temporary file"


def test_ipp_response_is_read_back() -> None:
    # A Get-Job-Attributes answer as CUPS writes it: status, one job group with an enum and two keywords.
    def attribute(tag: int, name: str, value: bytes) -> bytes:
        return bytes([tag]) + len(name).to_bytes(2, "big") + name.encode() + len(value).to_bytes(2, "big") + value

    body = (b"\x02\x00\x00\x00" + (7).to_bytes(4, "big") + b"\x02" + attribute(0x23, "job-state", (8).to_bytes(4, "big"))
            + attribute(0x44, "job-state-reasons", b"aborted-by-system") + attribute(0x44, "", b"job-printing") + b"\x03")
    status, found = spool.decode_response(body)
    assert status == 0
    assert found == {"job-state": [8], "job-state-reasons": ["aborted-by-system", "job-printing"]}
    request = spool.encode_request(0x0009, [(0x45, "job-uri", "ipp://localhost/jobs/5")], ["job-state"])
    assert request[:4] == b"\x02\x00\x00\x09" and request.endswith(b"\x03")


def test_a_job_is_sent_as_pdf_and_seen_to_complete(cups_queues: Queues, draft_pdf: bytes) -> None:
    job = spool.submit(draft_pdf, spool.SpoolRequest(cups_queues.a4, "发文稿纸", copies=2, pages=(2, 2)))
    fate = spool.wait_for_fate(job, timeout=60)
    assert fate.state == "completed" and not fate.failed, fate
    printed = PdfReader(cups_queues.output_of_job(job))
    assert len(printed.pages) == 2, "page 2, two copies"


def test_a_queue_that_rejects_jobs_is_an_error_in_chinese(cups_queues: Queues, draft_pdf: bytes) -> None:
    with pytest.raises(spool.PrintFailed) as refused:
        spool.submit(draft_pdf, spool.SpoolRequest(cups_queues.reject, "发文稿纸"))
    assert f"打印机“{cups_queues.reject}”当前拒绝接收打印作业，这份文件没有打印" in refused.value.message
    assert f"cupsaccept {cups_queues.reject}" in refused.value.message


def test_an_unknown_queue_is_named(cups_queues: Queues, draft_pdf: bytes) -> None:
    assert not spool.is_cups_queue(cups_queues.a4 + "-gone")
    with pytest.raises(spool.PrintFailed, match="找不到打印机"):
        spool.submit(draft_pdf, spool.SpoolRequest(cups_queues.a4 + "-gone", "发文稿纸"))


def test_a_paused_queue_is_not_reported_as_printed(cups_queues: Queues, draft_pdf: bytes) -> None:
    job = spool.submit(draft_pdf, spool.SpoolRequest(cups_queues.stopped, "发文稿纸"))
    try:
        fate = spool.wait_for_fate(job, timeout=30)
        assert fate.printer_stopped and fate.failed, fate
        told = spool.explain_fate(cups_queues.stopped, fate)
        assert "已停用" in told and "尚未打印" in told and f"cupsenable {cups_queues.stopped}" in told
    finally:
        spool.cancel(job)


def test_a_cancelled_job_is_a_failure(cups_queues: Queues, draft_pdf: bytes) -> None:
    job = spool.submit(draft_pdf, spool.SpoolRequest(cups_queues.stopped, "发文稿纸"))
    spool.cancel(job)
    fate = spool.wait_for_fate(job, timeout=30)
    assert fate.state == "canceled" and fate.failed, fate
    assert "作业已被取消" in spool.explain_fate(cups_queues.stopped, fate)


def test_cups_is_found(cups_queues: Queues) -> None:
    assert spool.cups_running()
    assert spool.is_cups_queue(cups_queues.a4) and spool.is_cups_queue(cups_queues.reject)
    listed = subprocess.run(["lpstat", "-a", cups_queues.reject], capture_output=True, text=True)
    assert listed.returncode == 0, "a rejecting queue is still a CUPS queue: its refusal is reported on sending"
