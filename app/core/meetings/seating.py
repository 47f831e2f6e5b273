"""座次: where leaders sit by rank on a 主席台 or in a row of the hall.

The first sits at the centre; the second to the first's left, which is the audience's right; the third to the
first's right; and so on, outwards. With an even count the first two share the centre. Seen from the audience,
left to right: 5 seats give 5 3 1 2 4; 4 seats give 3 1 2 4. So the audience's left half holds the odd ranks,
the highest at the far end, and the right half the even ranks, rising outwards.

A zone (the 主席台, one row; the hall, rows of the meeting's seats per row) is seated by rank with this rule
until an organizer drags someone: arrange() then reads the zone's hand-set seats as one explicit order, and
drop() is the drag.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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


# The 主席台 is one row, as long as the rule allows; the hall has the meeting's seats per row.
DAIS_PER_ROW = MAX_SEATS

# (attendee id, rank, hand-set seat or None): one person of a zone as arrange() takes them.
Seated = tuple[int, int, int | None]


def _by_rank(people: list[tuple[int, Seated]]) -> list[int]:
    """Ids highest rank first; an unranked person (rank 0) after the ranked, each kept in the given order."""
    ordered = sorted(people, key=lambda p: (p[1][1] <= 0, p[1][1], p[0]))
    return [person[0] for _, person in ordered]


def arrange(people: Sequence[Seated], per_row: int) -> list[list[int]]:
    """A zone's rows of ids, the front row first, each from the audience's left.

    By rank: ranks 1, 2, … fill the rows as seating_rows places them. By hand: once anyone of the zone has a
    hand-set seat (a drag froze the zone's order), the seats are one explicit order, counted from the audience's
    left, row by row; anyone without a seat (added later) follows in rank order."""
    indexed = list(enumerate(people))
    by_hand = sorted(((p[2], i, p) for i, p in indexed if p[2] is not None), key=lambda s: (s[0], s[1]))
    if not by_hand:
        ranked = _by_rank(indexed)
        return [[ranked[rank - 1] for rank in row] for row in seating_rows(len(ranked), per_row)]
    flat = [p[0] for _, _, p in by_hand] + _by_rank([(i, p) for i, p in indexed if p[2] is None])
    return rows_of(flat, per_row)


def rows_of(flat: Sequence[int], per_row: int) -> list[list[int]]:
    """An explicit order (from the audience's left, row by row) cut into rows of ``per_row``."""
    if isinstance(per_row, bool) or not isinstance(per_row, int) or not 1 <= per_row <= MAX_SEATS:
        raise ValidationError(f"每排座位数应为1至{MAX_SEATS}个", field="per_row")
    return [list(flat[start:start + per_row]) for start in range(0, len(flat), per_row)]


def flatten(rows: Sequence[Sequence[int]]) -> list[int]:
    """Rows as one explicit order, the seat numbers a drag writes."""
    return [person for row in rows for person in row]


def drop(zones: Mapping[str, Sequence[int]], person: int, zone: str, index: int) -> dict[str, list[int]]:
    """The zones' explicit orders after ``person`` is dragged to seat ``index`` (0-based, from the audience's
    left, row by row) of ``zone``: the others of both zones keep their order, closing up behind the one moved.
    An index past the last seat puts them last; a negative one is refused."""
    if zone not in zones:
        raise ValidationError("座位区域只能是主席台或会场", field="zone")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValidationError("座位序号应为不小于0的整数", field="index")
    orders = {name: [p for p in order if p != person] for name, order in zones.items()}
    if not any(person in order for order in zones.values()):
        raise ValidationError("此人不在座次表中，请刷新后再调整", field="attendee_id")
    target = orders[zone]
    target.insert(min(index, len(target)), person)
    return orders
