"""Gap-free, duplicate-free sequence numbers, even with several clients at once."""

from __future__ import annotations

import multiprocessing

import pytest

from app.bootstrap import AppContext, bootstrap
from app.core.errors import ValidationError
from app.services.kernel.sequences import current_number, next_number

CLIENTS = 8
DRAWS = 50


def _draw_many(url: str, key: str, year: int, draws: int, start: multiprocessing.synchronize.Event) -> list[int]:
    context = bootstrap(url)
    start.wait(30)
    numbers = []
    try:
        for _ in range(draws):
            with context.uow() as uow:
                numbers.append(next_number(uow, key, year))
                uow.commit()
    finally:
        context.dispose()
    return numbers


@pytest.mark.slow
def test_eight_processes_get_distinct_consecutive_numbers(db_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    manager = spawn.Manager()
    start = manager.Event()
    with spawn.Pool(CLIENTS) as pool:
        pending = [
            pool.apply_async(_draw_many, (db_url, "县政办发", 2026, DRAWS, start)) for _ in range(CLIENTS)
        ]
        start.set()
        results = [p.get(timeout=300) for p in pending]
    manager.shutdown()
    numbers = sorted(n for batch in results for n in batch)
    assert numbers == list(range(1, CLIENTS * DRAWS + 1))
    for batch in results:
        assert batch == sorted(batch), "each client sees its own numbers rise"


def test_a_rolled_back_number_is_given_again(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        assert next_number(uow, "县政办发", 2026) == 1
        uow.commit()
    with ctx.uow() as uow:
        assert next_number(uow, "县政办发", 2026) == 2
        # no commit: the unit of work rolls back
    with ctx.uow() as uow:
        assert next_number(uow, "县政办发", 2026) == 2
        uow.commit()
        assert current_number(uow, "县政办发", 2026) == 2


def test_each_prefix_and_year_has_its_own_sequence(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        s = uow
        drawn = [
            next_number(s, "县政办发", 2026),
            next_number(s, "县政办发", 2026),
            next_number(s, "县政办函", 2026),
            next_number(s, "县政办发", 2027),
        ]
        uow.commit()
    assert drawn == [1, 2, 1, 1]


def test_a_bad_key_is_refused(ctx: AppContext) -> None:
    with ctx.uow() as uow, pytest.raises(ValidationError, match="不能为空"):
        next_number(uow, "", 2026)
