"""Fixtures for the printing tests: real CUPS queues (tests/printing/cups_queues.py)."""

from tests.printing.cups_queues import cups_queues  # noqa: F401 - a fixture, used by test_spool and test_cups
