"""Fixtures for the printing tests: real CUPS queues (tests/helpers/cups_queues.py), used by test_spool and
test_cups; they skip where CUPS and cups-pdf are missing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.cups_queues import Queues, missing_for_cups, queues_for_this_run


@pytest.fixture(scope="session")
def cups_queues(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Queues]:
    reason = missing_for_cups()
    if reason:
        pytest.skip(reason)
    with queues_for_this_run(tmp_path_factory) as queues:
        yield queues
