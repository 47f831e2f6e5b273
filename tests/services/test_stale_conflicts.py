"""Two people acting on one record (issue 13, Low): the one who comes second is told it changed (ConflictError,
which the windows show as the conflict dialog), never SQLAlchemy's StaleDataError, wherever the unit of work's
write happens: an explicit flush, the commit, or the flush a query makes first (autoflush)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.bootstrap import AppContext
from app.core.errors import ConflictError
from app.models import Claim, Document
from app.services.claims import records as claims
from app.services.documents import outgoing
from app.services.documents import records as documents
from app.services.kernel.uow import UnitOfWork
from tests.helpers import document_office
from tests.helpers.claims_office import TODAY, claim_input, new_claim
from tests.helpers.claims_office import Office as ClaimOffice

WRITES: dict[str, Callable[[UnitOfWork, type[Any]], Any]] = {
    "a query's autoflush": lambda uow, model: uow.session.execute(select(model.id)).all(),
    "uow.flush": lambda uow, _model: uow.flush(),
    "uow.commit": lambda uow, _model: uow.commit(),
}


def _second_person_changes(ctx: AppContext, model: type[Any], record_id: int, column: str) -> None:
    with ctx.uow() as uow:
        record = uow.session.get(model, record_id)
        setattr(record, column, getattr(record, column) + "（改）")
        uow.commit()


def _attack(ctx: AppContext, model: type[Any], record_id: int, column: str, write: str) -> None:
    with ctx.uow() as first:
        record = first.session.get(model, record_id)
        _second_person_changes(ctx, model, record_id, column)
        setattr(record, column, "我的修改")
        with pytest.raises(ConflictError) as raised:
            WRITES[write](first, model)
        assert isinstance(raised.value.__cause__, StaleDataError)
    with ctx.uow() as uow:
        # The first person's change was not written over the second's.
        assert getattr(uow.session.get(model, record_id), column).endswith("（改）")


@pytest.mark.parametrize("write", list(WRITES))
def test_a_document_changed_meanwhile_is_a_conflict(ctx: AppContext, write: str) -> None:
    o = document_office.build_office(ctx)
    doc_id = document_office.new_draft(o)
    _attack(ctx, Document, doc_id, "title", write)


@pytest.mark.parametrize("write", list(WRITES))
def test_a_claim_changed_meanwhile_is_a_conflict(office: ClaimOffice, write: str) -> None:
    claim_id = new_claim(office, submit=False)
    _attack(office.ctx, Claim, claim_id, "title", write)


def test_a_service_that_meets_a_change_after_its_own_check_says_conflict(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's version check passed, then someone else saved before this service wrote."""
    o = document_office.build_office(ctx)
    doc_id = document_office.new_draft(o)
    real_load = documents.load
    raced: list[int] = []

    def load_then_race(uow: UnitOfWork, actor: Any, document_id: int, **kwargs: Any) -> Any:
        found = real_load(uow, actor, document_id, **kwargs)
        if not raced:
            raced.append(document_id)
            _second_person_changes(ctx, Document, document_id, "title")
        return found

    with ctx.uow() as uow:
        version = documents.load(uow, o.clerk, doc_id)[0].version
    # Every step opens its document through documents.load (app.services.workflow.acts.open_act).
    monkeypatch.setattr(documents, "load", load_then_race)
    with pytest.raises(ConflictError):
        o.run(outgoing.update_draft, o.clerk, doc_id, expected_version=version, title="关于做好春季防火工作的通知")
    assert raced == [doc_id]


def test_a_claim_service_that_meets_a_change_after_its_own_check_says_conflict(
    office: ClaimOffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim_id = new_claim(office, submit=False)
    real_load = claims.load
    raced: list[int] = []

    def load_then_race(uow: UnitOfWork, actor: Any, cid: int, *args: Any, **kwargs: Any) -> Any:
        found = real_load(uow, actor, cid, *args, **kwargs)
        if not raced:
            raced.append(cid)
            _second_person_changes(office.ctx, Claim, cid, "title")
        return found

    monkeypatch.setattr(claims, "load", load_then_race)
    with pytest.raises(ConflictError):
        office.run(claims.update_claim, office.people["claimant"], claim_id, claim_input(office), today=TODAY)
    assert raced == [claim_id]
