"""The plain data the study rotation's form (周一学习轮讲安排表) prints from: no ORM, no session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class RotationRow:
    """One Monday of the term: a session (its presenter and topic) or a Monday skipped (``serial`` 0, the reason in
    ``remark``)."""

    held_on: date
    serial: int = 0
    presenter: str = ""
    topic: str = ""
    remark: str = ""


@dataclass(frozen=True)
class RotationSheet:
    office_name: str
    term_name: str
    starts_on: date
    ends_on: date
    printed_on: date
    rows: Sequence[RotationRow] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return f"{self.term_name}周一学习轮讲安排表"
