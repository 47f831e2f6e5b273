"""The facts about who acts that a flow's guards may read, in one registry.

A guard on the record (amount > 5000) is judged from the record's own facts; a guard on who acts (the
record's owner, the head of its unit …) must also be answerable in SQL, since the 工作台 asks the database
which records wait for a person, and answerable for a person who is not acting now (the candidates a sender
may pick, the principal a delegate acts for). So every such fact is registered here, with its label, and
each layer that answers it keeps one entry per registered fact: app.services.workflow.moves computes it
for one record, app.services.workflow.todo writes it as SQL (a test holds both complete). A flow naming an
``actor_`` fact that is not registered is refused when it is declared (engine.Flow._validate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Facts about who acts (the owner, the unit's head …) rather than about the record.
ACTOR_FACT_PREFIX = "actor_"


@dataclass(frozen=True)
class ActorFact:
    """One fact about the acting person, with how a refusal or a flowchart names it."""

    key: str
    label: str
    # How the fact's negation reads (非… is the engine's fallback).
    negated: str


def _facts(*facts: ActorFact) -> dict[str, ActorFact]:
    return {fact.key: fact for fact in facts}


ACTOR_FACTS: Mapping[str, ActorFact] = _facts(
    # The person drafted or filed the record.
    ActorFact("actor_is_owner", "经办人本人", "非经办人本人"),
    # The person is a principal leader (主要领导).
    ActorFact("actor_is_principal", "主要领导", "非主要领导"),
    # The person heads the record's unit.
    ActorFact("actor_heads_unit", "本单位负责人", "非本单位负责人"),
    # The person answers for the record across moves (一事一人, 首问负责).
    ActorFact("actor_is_responsible", "责任人本人", "非责任人本人"),
)


def is_actor_fact(field_name: str) -> bool:
    return field_name.startswith(ACTOR_FACT_PREFIX)


def fact_label(key: str) -> str:
    fact = ACTOR_FACTS.get(key)
    return fact.label if fact is not None else key
