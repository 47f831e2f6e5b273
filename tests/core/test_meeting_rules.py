"""会议's rules without a database: the seating order, room clashes and the plan's templates."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.meetings import seat_order
from app.core.meetings.plan import PHASES, plan_template
from app.core.meetings.rooms import Booking, check_times, clash_message, first_clash
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


# ----- rooms ---------------------------------------------------------------------------------------------------


NINE, TEN, ELEVEN = (datetime(2026, 12, 7, h, 0) for h in (9, 10, 11))


def test_back_to_back_bookings_do_not_clash_and_overlapping_ones_do() -> None:
    held = [Booking(1, NINE, TEN, 7, "县政府常务会议"), Booking(2, TEN, ELEVEN, 8, "专题会")]
    assert first_clash(Booking(1, TEN, ELEVEN), held) is None
    clash = first_clash(Booking(1, datetime(2026, 12, 7, 9, 30), ELEVEN), held)
    assert clash is not None and clash.meeting_id == 7
    assert clash_message("第一会议室", clash) == (
        "第一会议室在12月7日09:00—10:00已被“县政府常务会议”预订，请换一个会议室或时间"
    )
    # A meeting moving within its own booking does not clash with itself.
    assert first_clash(Booking(1, NINE, datetime(2026, 12, 7, 9, 45), 7), held) is None


def test_times_that_cannot_be_right() -> None:
    with pytest.raises(ValidationError, match="结束时间应晚于开始时间"):
        check_times(TEN, NINE)
    with pytest.raises(ValidationError, match="不能超过14小时"):
        check_times(NINE, datetime(2026, 12, 8, 9, 0))
    check_times(NINE, TEN)


def test_each_type_starts_from_its_template_in_phase_order() -> None:
    tasks = plan_template("常务会议")
    assert [t.phase for t in tasks] == sorted((t.phase for t in tasks), key=PHASES.index)
    assert {t.phase for t in tasks} == set(PHASES)
    assert any("议题" in t.text for t in tasks) and not any("议题" in t.text for t in plan_template("工作会议"))
