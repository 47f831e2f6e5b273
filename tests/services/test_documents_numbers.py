"""Two clients numbering signed documents at the same moment: distinct, consecutive numbers, no gaps."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize

import pytest

from app.bootstrap import AppContext, bootstrap
from app.core.numbering import parse_doc_number
from app.services.documents import outgoing
from app.services.kernel.actor import Actor
from tests.helpers.document_office import TODAY, advance_outgoing, build_office, new_draft

CLIENTS = 2
DOCUMENTS_EACH = 8


def _number_all(url: str, clerk: Actor, documents: list[int], start: multiprocessing.synchronize.Event) -> list[str]:
    context = bootstrap(url)
    start.wait(30)
    numbers = []
    try:
        for doc in documents:
            with context.uow() as uow:
                numbers.append(outgoing.assign_number(uow, clerk, doc, today=TODAY).doc_number or "")
    finally:
        context.dispose()
    return numbers


@pytest.mark.slow
def test_two_clients_get_distinct_consecutive_numbers(ctx: AppContext, db_url: str) -> None:
    office = build_office(ctx)
    batches = []
    for _ in range(CLIENTS):
        batch = []
        for _ in range(DOCUMENTS_EACH):
            doc = new_draft(office)
            advance_outgoing(office, doc, "number")
            batch.append(doc)
        batches.append(batch)
    spawn = multiprocessing.get_context("spawn")
    manager = spawn.Manager()
    start = manager.Event()
    clerks = [office.clerk, office.clerk2]
    with spawn.Pool(CLIENTS) as pool:
        pending = [
            pool.apply_async(_number_all, (db_url, clerks[i], batches[i], start)) for i in range(CLIENTS)
        ]
        start.set()
        results = [p.get(timeout=120) for p in pending]
    manager.shutdown()
    seqs = [[parse_doc_number(n)[2] for n in numbers] for numbers in results]
    assert sorted(s for batch in seqs for s in batch) == list(range(1, CLIENTS * DOCUMENTS_EACH + 1))
    for batch in seqs:
        assert batch == sorted(batch), "each client sees its own numbers rise"
    assert all(n.startswith("县政办发〔2026〕") for numbers in results for n in numbers)
