"""会议's demo data: a year of meetings (filled in by the demo work of issue 17)."""

from __future__ import annotations

from app.demo.flows import FlowDemo

RECORD_TIMES: dict[type, tuple[str, ...]] = {}
FLOWS: dict[str, FlowDemo] = {}
