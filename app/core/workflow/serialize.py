"""Flows as plain dicts (JSON-ready), so an administrator's edited flow can be stored and versioned."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.core.workflow.clocks import Clock, ClockExtension
from app.core.workflow.duties import Duty, Rhythm
from app.core.workflow.engine import Condition, Flow, Predicate, Step, TimeLimit, Transition


def _value_to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, (list, tuple, frozenset, set)):
        return [_value_to_json(v) for v in value]
    return value


def _value_from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"decimal"}:
        return Decimal(value["decimal"])
    if isinstance(value, list):
        return tuple(_value_from_json(v) for v in value)
    return value


def _clock_to_dict(clock: Clock) -> dict[str, Any]:
    extension = clock.extension
    return {
        "key": clock.key,
        "label": clock.label,
        "starts_on": clock.starts_on,
        "stops_on": clock.stops_on,
        "limit": {"amount": clock.limit.amount, "unit": clock.limit.unit},
        "extension": (
            {"max_amount": extension.max_amount, "approver_roles": sorted(extension.approver_roles)}
            if extension is not None else None
        ),
        "pausable": clock.pausable,
    }


def _clock_from_dict(data: Mapping[str, Any]) -> Clock:
    extension = data.get("extension")
    return Clock(
        key=data["key"],
        label=data["label"],
        starts_on=data["starts_on"],
        stops_on=data["stops_on"],
        limit=TimeLimit(**data["limit"]),
        extension=(
            ClockExtension(int(extension["max_amount"]), frozenset(extension["approver_roles"]))
            if extension else None
        ),
        pausable=bool(data.get("pausable", False)),
    )


def _duty_to_dict(duty: Duty) -> dict[str, Any]:
    return {
        "key": duty.key,
        "label": duty.label,
        "starts_on": duty.starts_on,
        "stops_on": duty.stops_on,
        "holder": duty.holder,
        "rhythm": {"kind": duty.rhythm.kind, "every": duty.rhythm.every},
    }


def _duty_from_dict(data: Mapping[str, Any]) -> Duty:
    rhythm = data.get("rhythm") or {"kind": "weekly", "every": 1}
    return Duty(
        key=data["key"],
        label=data["label"],
        starts_on=data["starts_on"],
        stops_on=data["stops_on"],
        holder=data.get("holder", "responsible"),
        rhythm=Rhythm(rhythm["kind"], int(rhythm.get("every", 1))),
    )


def flow_to_dict(flow: Flow) -> dict[str, Any]:
    """The flow as a dict; "clocks", "duties" and a transition's "waits_for" only where there are some, so
    the definitions stored before them read back as they were written."""
    data = _flow_dict(flow)
    if flow.clocks:
        data["clocks"] = [_clock_to_dict(clock) for clock in flow.clocks]
    if flow.duties:
        data["duties"] = [_duty_to_dict(duty) for duty in flow.duties]
    for transition, stored in zip(flow.transitions, data["transitions"], strict=True):
        if transition.waits_for:
            stored["waits_for"] = transition.waits_for
    return data


def _flow_dict(flow: Flow) -> dict[str, Any]:
    return {
        "key": flow.key,
        "label": flow.label,
        "version": flow.version,
        "start": flow.start,
        "field_labels": dict(flow.field_labels),
        "steps": [
            {
                "key": s.key,
                "label": s.label,
                "roles": sorted(s.roles),
                "time_limit": (
                    {"amount": s.time_limit.amount, "unit": s.time_limit.unit} if s.time_limit else None
                ),
                "final": s.final,
                "description": s.description,
            }
            for s in flow.steps
        ],
        "transitions": [
            {
                "source": t.source,
                "action": t.action,
                "target": t.target,
                "label": t.label,
                "roles": sorted(t.roles) if t.roles is not None else None,
                "conditions": [
                    {"field": c.field, "op": c.op, "value": _value_to_json(c.value)} for c in t.conditions
                ],
                "predicates": list(t.predicates),
                "kind": t.kind,
                "requires_opinion": t.requires_opinion,
                # Only where declared: the definitions stored before 撤回 existed read back as written.
                **({"withdrawable": t.withdrawable} if t.withdrawable is not None else {}),
            }
            for t in flow.transitions
        ],
    }


def flow_from_dict(data: Mapping[str, Any], predicates: Mapping[str, Predicate] | None = None) -> Flow:
    """Builds and validates a flow; a broken one raises FlowDefinitionError with the reason."""
    steps = tuple(
        Step(
            key=s["key"],
            label=s["label"],
            roles=frozenset(s.get("roles") or ()),
            time_limit=TimeLimit(**s["time_limit"]) if s.get("time_limit") else None,
            final=bool(s.get("final", False)),
            description=s.get("description", ""),
        )
        for s in data["steps"]
    )
    transitions = tuple(
        Transition(
            source=t["source"],
            action=t["action"],
            target=t["target"],
            label=t["label"],
            roles=frozenset(t["roles"]) if t.get("roles") is not None else None,
            conditions=tuple(
                Condition(c["field"], c["op"], _value_from_json(c["value"])) for c in t.get("conditions", ())
            ),
            predicates=tuple(t.get("predicates", ())),
            kind=t.get("kind", "forward"),
            requires_opinion=bool(t.get("requires_opinion", False)),
            waits_for=t.get("waits_for", ""),
            withdrawable=bool(t["withdrawable"]) if t.get("withdrawable") is not None else None,
        )
        for t in data["transitions"]
    )
    return Flow(
        key=data["key"],
        label=data["label"],
        version=int(data.get("version", 1)),
        start=data["start"],
        steps=steps,
        transitions=transitions,
        field_labels=dict(data.get("field_labels", {})),
        predicates=dict(predicates or {}),
        clocks=tuple(_clock_from_dict(c) for c in data.get("clocks", ())),
        duties=tuple(_duty_from_dict(d) for d in data.get("duties", ())),
    )
