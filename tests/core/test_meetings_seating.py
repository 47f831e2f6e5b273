"""座次's arrangement without a database (app.core.meetings.seating): the order for 1 to 15 leaders written
out, a zone's rows by rank, a hand-set order after a drag, and drags within and across zones. The rule's
properties for 1 to 99 seats are in test_meeting_rules.py."""

from __future__ import annotations

import pytest

from app.core.errors import ValidationError
from app.core.meetings import seat_order
from app.core.meetings.seating import DAIS_PER_ROW, arrange, drop, flatten, rows_of

# From the audience's left, as an office would draw them by hand.
WRITTEN_OUT = {
    1: "1",
    2: "1 2",
    3: "3 1 2",
    4: "3 1 2 4",
    5: "5 3 1 2 4",
    6: "5 3 1 2 4 6",
    7: "7 5 3 1 2 4 6",
    8: "7 5 3 1 2 4 6 8",
    9: "9 7 5 3 1 2 4 6 8",
    10: "9 7 5 3 1 2 4 6 8 10",
    11: "11 9 7 5 3 1 2 4 6 8 10",
    12: "11 9 7 5 3 1 2 4 6 8 10 12",
    13: "13 11 9 7 5 3 1 2 4 6 8 10 12",
    14: "13 11 9 7 5 3 1 2 4 6 8 10 12 14",
    15: "15 13 11 9 7 5 3 1 2 4 6 8 10 12 14",
}


@pytest.mark.parametrize("count", range(1, 16))
def test_the_order_for_one_to_fifteen_leaders(count: int) -> None:
    assert " ".join(map(str, seat_order(count))) == WRITTEN_OUT[count]


def test_a_zone_by_rank_puts_the_first_in_the_centre() -> None:
    # ids 10…14 given in no particular order, ranks 1…5.
    people = [(12, 3, None), (10, 1, None), (14, 5, None), (11, 2, None), (13, 4, None)]
    assert arrange(people, DAIS_PER_ROW) == [[14, 12, 10, 11, 13]]
    assert arrange(people[:4], DAIS_PER_ROW) == [[12, 10, 11, 14]]
    assert arrange([], 10) == []


def test_the_hall_fills_rows_front_first_each_centred() -> None:
    people = [(100 + rank, rank, None) for rank in range(1, 8)]
    assert arrange(people, 3) == [[103, 101, 102], [106, 104, 105], [107]]


def test_the_unranked_sit_after_the_ranked_in_the_order_given() -> None:
    # Rank 0: a unit added without a rank sits behind every ranked person; equal ranks keep the given order.
    people = [(1, 0, None), (2, 0, None), (3, 2, None), (4, 1, None), (5, 2, None)]
    # In rank order 4, 3, 5, 1, 2: seat_order(5) is 5 3 1 2 4.
    assert arrange(people, 5) == [[2, 5, 4, 3, 1]]


def test_hand_set_seats_are_an_explicit_order_row_by_row() -> None:
    people = [(1, 1, 3), (2, 2, 0), (3, 3, 1), (4, 4, 2), (5, 5, 4)]
    assert arrange(people, 2) == [[2, 3], [4, 1], [5]]
    # Someone added after the drag, with no seat, follows the hand-set ones, in rank order among the new.
    assert arrange([*people, (7, 9, None), (6, 1, None)], 10) == [[2, 3, 4, 1, 5, 6, 7]]


def test_a_drag_within_a_zone_closes_up_behind_the_one_moved() -> None:
    zones = {"dais": [5, 3, 1, 2, 4], "hall": [9, 8]}
    moved = drop(zones, 4, "dais", 0)
    assert moved == {"dais": [4, 5, 3, 1, 2], "hall": [9, 8]}
    # Dragged to the right past its neighbour: the seats between shift left.
    assert drop(zones, 5, "dais", 2)["dais"] == [3, 1, 5, 2, 4]
    # Past the last seat: last.
    assert drop(zones, 3, "dais", 40)["dais"] == [5, 1, 2, 4, 3]
    # The input is left as it was.
    assert zones == {"dais": [5, 3, 1, 2, 4], "hall": [9, 8]}


def test_a_drag_across_zones_leaves_both_in_order() -> None:
    zones = {"dais": [5, 3, 1, 2, 4], "hall": [9, 8, 7]}
    assert drop(zones, 8, "dais", 2) == {"dais": [5, 3, 8, 1, 2, 4], "hall": [9, 7]}
    assert drop(zones, 1, "hall", 1) == {"dais": [5, 3, 2, 4], "hall": [9, 1, 8, 7]}
    assert drop({"dais": [], "hall": [1]}, 1, "dais", 0) == {"dais": [1], "hall": []}


@pytest.mark.parametrize(("person", "zone", "index", "message"), [
    (1, "stage", 0, "座位区域只能是主席台或会场"),
    (1, "hall", -1, "座位序号应为不小于0的整数"),
    (1, "hall", True, "座位序号应为不小于0的整数"),
    (99, "hall", 0, "此人不在座次表中"),
])
def test_drags_that_cannot_be_right(person: int, zone: str, index: int, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        drop({"dais": [1], "hall": [2]}, person, zone, index)


def test_rows_of_an_explicit_order_and_back() -> None:
    assert flatten([[1, 2], [3]]) == [1, 2, 3]
    assert rows_of([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert rows_of([], 2) == []
    with pytest.raises(ValidationError, match="每排座位数"):
        rows_of([1], 0)
