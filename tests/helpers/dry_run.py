"""Trying a service for real without keeping what it did."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.bootstrap import AppContext
from app.services.kernel.uow import UnitOfWork


class DryRun(UnitOfWork):
    """A unit of work whose commit only flushes: the service runs in full, then everything rolls back."""

    committed = False

    def commit(self) -> None:
        self.flush()
        self.committed = True


@contextmanager
def dry_run(ctx: AppContext) -> Iterator[DryRun]:
    uow = DryRun(ctx.engine)
    with uow:
        yield uow
