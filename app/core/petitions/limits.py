"""The time limits of 《信访工作条例》 (2022), each counted by app.core.calendar (民法典 Arts. 201, 203: from the day
after, a last day on a rest day moves to the next working day; a year whose holidays are not published yet gives a
provisional date).

- 第二十四条: within 15 days of receiving it, decide whether to accept (受理, 不予受理, 转送, 交办);
- 第三十三条: finish within 60 days of acceptance; a complicated case may be extended once, by at most 30 days,
  and the petitioner is told the reason;
- 第三十五条: a 复查 may be requested within 30 days of the reply, and is decided within 30 days of the request;
  a 复核 likewise, within 30 days of the 复查's decision;
- an assigned unit that disputes the assignment says so within 5 working days.
"""

from __future__ import annotations

from datetime import date

from app.core.calendar import DAY, WORKDAY, Deadline, HolidayOverrides, deadline
from app.core.errors import ValidationError

ACCEPTANCE_DAYS = 15
HANDLING_DAYS = 60
EXTENSION_MAX_DAYS = 30
REVIEW_REQUEST_DAYS = 30
REVIEW_DECISION_DAYS = 30
OBJECTION_WORKDAYS = 5


def acceptance_deadline(received: date, overrides: HolidayOverrides | None = None) -> Deadline:
    """受理告知: 15 days from the day the petition was received."""
    return deadline(received, ACCEPTANCE_DAYS, DAY, overrides)


def handling_deadline(accepted: date, extension_days: int = 0, overrides: HolidayOverrides | None = None) -> Deadline:
    """办结: 60 days from acceptance, plus an extension of 0 to 30 days."""
    if isinstance(extension_days, bool) or not isinstance(extension_days, int):
        raise ValidationError("延期天数应为整数", field="extension_days")
    if not 0 <= extension_days <= EXTENSION_MAX_DAYS:
        raise ValidationError(
            f"延期不能超过{EXTENSION_MAX_DAYS}日（现为{extension_days}日），也不能为负数", field="extension_days"
        )
    return deadline(accepted, HANDLING_DAYS + extension_days, DAY, overrides)


def review_request_deadline(replied: date, overrides: HolidayOverrides | None = None) -> Deadline:
    """请求复查 (or 复核): 30 days from the reply (or the 复查's decision)."""
    return deadline(replied, REVIEW_REQUEST_DAYS, DAY, overrides)


def review_decision_deadline(requested: date, overrides: HolidayOverrides | None = None) -> Deadline:
    """复查 (or 复核) decided: 30 days from the request."""
    return deadline(requested, REVIEW_DECISION_DAYS, DAY, overrides)


def objection_deadline(assigned: date, overrides: HolidayOverrides | None = None) -> Deadline:
    """An assigned unit's objection to the assignment: 5 working days."""
    return deadline(assigned, OBJECTION_WORKDAYS, WORKDAY, overrides)
