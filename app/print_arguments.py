"""What `govdesk print FORM …` is asked to print, checked before the database is opened.

A record's form takes --id; a register, a catalogue or a notice takes its period (--year, --quarter,
--retention, --from/--to), as the form's ``arguments`` in the registry say. Each wrong, missing or
misplaced argument is refused with one Chinese line saying what to write instead (exit code 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.core.errors import ValidationError
from app.forms import PrintPeriod
from app.printing.kit.registry import ARGUMENT_HELP, FormSpec

# The years a register or a notice may cover (app.services.documents.notice.quarter_bounds holds the same).
FIRST_YEAR, LAST_YEAR = 2000, 2999
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2})")


@dataclass(frozen=True)
class PrintArguments:
    """The print options as typed (None when not given)."""

    id: str | None = None
    year: str | None = None
    quarter: str | None = None
    month: str | None = None
    retention: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    one_file: bool = False

    def given(self) -> list[str]:
        """The period and id options given, by their names in ARGUMENT_HELP."""
        typed = {"id": self.id, "year": self.year, "quarter": self.quarter, "month": self.month,
                 "retention": self.retention,
                 "from": self.date_from, "to": self.date_to}
        return [name for name, value in typed.items() if value is not None]


def option(name: str) -> str:
    return f"--{name}"


def check_by_id(spec: FormSpec, arguments: PrintArguments) -> str:
    """The id list of a record's form; refuses a period given to it."""
    others = [name for name in arguments.given() if name != "id"]
    if others:
        raise ValidationError(
            f"{spec.title}（{spec.name}）按记录编号打印，不接受 {option(others[0])}：请用 --id 给出编号，如 --id 5 或 --id 1,2,5-9"
        )
    if arguments.id is None:
        raise ValidationError(f"打印{spec.title}需要 --id 记录编号，如 --id 5 或 --id 1,2,5-9")
    return arguments.id


def period_of(spec: FormSpec, arguments: PrintArguments) -> PrintPeriod:
    """The period a register, catalogue or notice covers, from the options it takes (all of them required)."""
    wanted = spec.argument_text()
    for name in arguments.given():
        if name not in spec.arguments and name not in spec.optional:
            raise ValidationError(f"{spec.title}（{spec.name}）按期间打印，不接受 {option(name)}：请给 {wanted}")
    chosen = [name for name in spec.optional if name in arguments.given()]
    if len(chosen) > 1:
        raise ValidationError(f"{spec.title}只能按{'或'.join(option(n) for n in chosen)}中的一种打印，请只给一个")
    if arguments.one_file:
        raise ValidationError(f"--one-file 只用于按编号打印多条记录；{spec.title}本来就是一个 PDF")
    for name in spec.arguments:
        if name not in arguments.given():
            raise ValidationError(f"打印{spec.title}需要 {ARGUMENT_HELP[name]}；全部参数：{wanted}")
    period = PrintPeriod(
        year=_year(arguments.year) if arguments.year is not None else None,
        quarter=_quarter(arguments.quarter) if arguments.quarter is not None else None,
        month=_month(arguments.month) if arguments.month is not None else None,
        retention=_retention(arguments.retention) if arguments.retention is not None else None,
        date_from=_date(arguments.date_from, "--from") if arguments.date_from is not None else None,
        date_to=_date(arguments.date_to, "--to") if arguments.date_to is not None else None,
    )
    if period.date_from is not None and period.date_to is not None and period.date_from > period.date_to:
        raise ValidationError(
            f"起始日期 {period.date_from:%Y-%m-%d} 晚于截止日期 {period.date_to:%Y-%m-%d}：--from 应不晚于 --to"
        )
    return period


def describe_period(period: PrintPeriod) -> str:
    """The period as the output line names it: 2026年第四季度, 2026年 定期30年, 2026-10-01 至 2026-12-31."""
    from app.core.archives import retention_name

    if period.date_from is not None and period.date_to is not None:
        return f"{period.date_from:%Y-%m-%d} 至 {period.date_to:%Y-%m-%d}"
    parts = [f"{period.year}年"]
    if period.quarter is not None:
        parts.append(f"第{'一二三四'[period.quarter - 1]}季度")
    if period.month is not None:
        parts.append(f"{period.month}月")
    if period.retention is not None:
        parts.append(f" {retention_name(period.retention)}")
    return "".join(parts)


def _year(text: str) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR):
        raise ValidationError(f"--year 应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的年份，如 2026；“{text}”不是")
    return int(value)


def _quarter(text: str) -> int:
    value = text.strip()
    if value not in ("1", "2", "3", "4"):
        raise ValidationError(f"--quarter 应为季度 1、2、3 或 4；“{text}”不是")
    return int(value)


def _month(text: str) -> int:
    if text.strip() not in {str(m) for m in range(1, 13)}:
        raise ValidationError(f"--month 应为月份 1 至 12；“{text}”不是")
    return int(text.strip())


def _retention(text: str) -> str:
    from app.core.archives import retention_code

    try:
        return retention_code(text)
    except ValidationError:
        raise ValidationError(
            f"--retention 应为保管期限 Y（永久）、D30（定期30年）或 D10（定期10年）；“{text}”不是"
        ) from None


def _date(text: str, name: str) -> date:
    match = _DATE.fullmatch(text.strip())
    if match is not None:
        year, month, day = (int(g) for g in (match.groups()[:3] if match[1] else match.groups()[3:]))
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise ValidationError(f"{name} 的“{text}”不是日期：请写成 2026-10-01 这样的年-月-日")


__all__ = ["PrintArguments", "check_by_id", "describe_period", "period_of"]
