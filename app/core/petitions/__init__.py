"""信访's rules, apart from any database (DOMAIN.md §4, 《信访工作条例》2022): the statutory time limits, the
channels and decisions, and what makes a new registration a repeat of an earlier one."""

from app.core.petitions.limits import (
    EXTENSION_MAX_DAYS,
    acceptance_deadline,
    handling_deadline,
    objection_deadline,
    review_decision_deadline,
    review_request_deadline,
)

__all__ = [
    "EXTENSION_MAX_DAYS",
    "acceptance_deadline",
    "handling_deadline",
    "objection_deadline",
    "review_decision_deadline",
    "review_request_deadline",
]
