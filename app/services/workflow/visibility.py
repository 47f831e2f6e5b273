"""Who may see which record in a flow, asked by the workflow's own reads (the record window's flow, the
paged list, 催办), so that none of them shows more than the record's own service would.

Each area registers its rule once, for its entity type, as SQL on the workflow_instances columns: the
paged list filters with it in the database, and one record is checked with the same statement, so the
list and the window can never disagree. A record of an area whose rule is not registered is shown to
nobody but the command line (fail closed); an instance with no record behind it (a flow without an
area of its own) follows the unit rule that every flow has: a liaison sees their own unit's only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import and_, false, not_, or_, select, true

from app.core.errors import PermissionDenied
from app.db.tables import workflow_instances
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.workflow.moves import UNIT_SCOPED_ROLES

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from app.services.kernel.uow import UnitOfWork

# (uow, actor) → which instances of the area the actor may see, on workflow_instances' columns; None: all.
Rule = Callable[["UnitOfWork", Actor], "ColumnElement[bool] | None"]

_WI = workflow_instances.c
_rules: dict[str, Rule] = {}


def register(entity_type: str, rule: Rule) -> None:
    """An area's rule for its records (its module calls this once, when imported)."""
    _rules[entity_type] = rule


def _unit_rule(actor: Actor) -> ColumnElement[bool]:
    if actor.roles - UNIT_SCOPED_ROLES:
        return true()
    return _WI.unit_id == actor.unit_id if actor.unit_id is not None else false()


@acting
def visible_clause(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool]:
    """The workflow instances the actor may see, as one SQL condition."""
    if actor.id is None:
        # The command line acts for whoever may read the database itself.
        return true()
    parts: list[ColumnElement[bool]] = []
    for entity_type, rule in sorted(_rules.items()):
        clause = rule(uow, actor)
        parts.append(and_(_WI.entity_type == entity_type, true() if clause is None else clause))
    # Instances with no record behind them: the unit rule. A record whose area registered no rule: nobody.
    registered = sorted(_rules)
    unowned: ColumnElement[bool] = _WI.entity_id.is_(None)
    if registered:
        unowned = and_(unowned, not_(_WI.entity_type.in_(registered)))
    parts.append(and_(unowned, _unit_rule(actor)))
    return or_(*parts)


@acting
def visible_rule(uow: UnitOfWork, actor: Actor, entity_type: str) -> ColumnElement[bool] | None:
    """The instances of one area's records the actor may see (the area's rule alone: a query that already
    names the entity type need not carry every area's), on workflow_instances' columns; None: every one."""
    if actor.id is None:
        return None
    rule = _rules.get(entity_type)
    if rule is None:
        return false()
    return rule(uow, actor)


@acting
def may_see(uow: UnitOfWork, actor: Actor, instance_id: int) -> bool:
    if actor.id is None:
        return True
    found = uow.execute(
        select(_WI.id).where(_WI.id == instance_id, visible_clause(uow, actor)).limit(1)
    ).first()
    return found is not None


@acting
def require_visible(uow: UnitOfWork, actor: Actor, instance_id: int, doing: str = "查看") -> None:
    """Refuses a record the actor may not see through its own service."""
    if not may_see(uow, actor, instance_id):
        raise PermissionDenied(f"这件事项不在您可以查看的范围内，不能{doing}；如需办理，请联系它的经办人或办公室")
