"""Points for adoptions by a higher level: a table the office may change (a setting), 市级 3, 省级 5, 国家级 10 by
default. Each adoption earns the points of its level in the table in force."""

from __future__ import annotations

from collections.abc import Mapping

from app.core.errors import ValidationError

LEVELS: tuple[str, ...] = ("市级", "省级", "国家级")
DEFAULT_POINTS: dict[str, int] = {"市级": 3, "省级": 5, "国家级": 10}
MAX_POINTS = 100


def checked_table(table: Mapping[str, object]) -> dict[str, int]:
    """A points table as an administrator saves it: every level, each a whole number of 0 to 100 points."""
    result: dict[str, int] = {}
    for level in LEVELS:
        value = table.get(level)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"“{level}”的分值应为整数", field=level)
        if not 0 <= value <= MAX_POINTS:
            raise ValidationError(f"“{level}”的分值应为0至{MAX_POINTS}分", field=level)
        result[level] = value
    unknown = sorted(set(table) - set(LEVELS))
    if unknown:
        raise ValidationError(f"采用层级只有{'、'.join(LEVELS)}，没有“{'、'.join(unknown)}”")
    return result


def points_for(level: str, table: Mapping[str, int] = DEFAULT_POINTS) -> int:
    """The points one adoption at ``level`` earns."""
    if level not in LEVELS:
        raise ValidationError(f"采用层级“{level}”无效，应为{'、'.join(LEVELS)}之一", field="level")
    return table[level]
