"""会议's rules without a database: the seating order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.meetings import seat_order
from app.core.meetings.seating import seating_rows


def test_the_examples_of_the_rule() -> None:
    assert seat_order(5) == [5, 3, 1, 2, 4]
    assert seat_order(4) == [3, 1, 2, 4]
    assert seat_order(1) == [1]
    assert seat_order(2) == [1, 2]
    assert seat_order(3) == [3, 1, 2]


@given(st.integers(min_value=1, max_value=99))
def test_every_count_seats_each_rank_once_outwards_from_the_centre(count: int) -> None:
    order = seat_order(count)
    assert sorted(order) == list(range(1, count + 1))
    centre = order.index(1)
    # The first sits at the centre (left of it with an even count), the second to the audience's right of him.
    assert centre == (count - 1) // 2 and (count == 1 or order[centre + 1] == 2)
    # Outwards from the centre each seat goes to a lower rank: odd ranks to the audience's left, even to its right.
    assert order[: centre + 1] == sorted(order[: centre + 1], reverse=True)
    assert order[centre + 1 :] == sorted(order[centre + 1 :])
    assert all(rank % 2 == 1 for rank in order[: centre + 1]) and all(r % 2 == 0 for r in order[centre + 1 :])


@pytest.mark.parametrize("count", [0, 100, -3, True, 2.0])
def test_counts_outside_1_to_99_are_refused(count: object) -> None:
    with pytest.raises(ValidationError, match="座位数"):
        seat_order(count)  # type: ignore[arg-type]


def test_rows_of_the_hall() -> None:
    assert seating_rows(7, 5) == [[5, 3, 1, 2, 4], [6, 7]]
    assert seating_rows(0, 5) == []
    with pytest.raises(ValidationError, match="每排座位数"):
        seating_rows(3, 0)
