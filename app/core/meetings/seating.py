"""座次: where leaders sit by rank on a 主席台 or in a row of the hall.

The first sits at the centre; the second to the first's left, which is the audience's right; the third to the
first's right; and so on, outwards. With an even count the first two share the centre. Seen from the audience,
left to right: 5 seats give 5 3 1 2 4; 4 seats give 3 1 2 4. So the audience's left half holds the odd ranks,
the highest at the far end, and the right half the even ranks, rising outwards.
"""

from __future__ import annotations

from app.core.errors import ValidationError

MAX_SEATS = 99


def seat_order(count: int) -> list[int]:
    """The ranks of ``count`` seats (1 to 99) from the audience's left to its right."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValidationError("座位数应为整数", field="count")
    if not 1 <= count <= MAX_SEATS:
        raise ValidationError(f"一排座位数应为1至{MAX_SEATS}个，不能是{count}个", field="count")
    highest_odd = count if count % 2 else count - 1
    return list(range(highest_odd, 0, -2)) + list(range(2, count + 1, 2))


def seating_rows(count: int, per_row: int) -> list[list[int]]:
    """Ranks seated in rows of at most ``per_row`` (the front row first), each row ordered by seat_order; a
    later row holds the next ranks. The last row is centred the same way, whatever its length."""
    if isinstance(per_row, bool) or not isinstance(per_row, int) or not 1 <= per_row <= MAX_SEATS:
        raise ValidationError(f"每排座位数应为1至{MAX_SEATS}个", field="per_row")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValidationError("人数应为不小于0的整数", field="count")
    rows: list[list[int]] = []
    seated = 0
    while seated < count:
        in_row = min(per_row, count - seated)
        rows.append([seated + rank for rank in seat_order(in_row)])
        seated += in_row
    return rows
