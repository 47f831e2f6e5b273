"""The small office the UI tests log into: who is in it. The ``office`` fixture in tests/ui/conftest.py
builds it."""

from __future__ import annotations

from dataclasses import dataclass

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor


@dataclass
class Office:
    ctx: AppContext
    admin: Actor
    clerk: Actor
    lead: Actor
    leader: Actor
    unit_id: int
