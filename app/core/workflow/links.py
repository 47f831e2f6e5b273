"""The kinds of link between two records: one record opened from another (复查 of a petition, a meeting's
decision turned into a supervision item), read from either end.

A link has a source (the record the new one came from) and a target (the new record); each kind says what
the other record is, seen from each end: from a petition its link reads 复查件, from the 复查 it reads
原信访件.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import ValidationError


@dataclass(frozen=True)
class LinkKind:
    key: str
    # What the link is (复查), for the pickers.
    label: str
    # What the target is, as the source's window lists it (复查件).
    target_label: str
    # What the source is, as the target's window lists it (原信访件).
    source_label: str


LINK_KINDS: dict[str, LinkKind] = {
    kind.key: kind
    for kind in (
        LinkKind("review", "复查", "复查件", "被复查件"),
        LinkKind("re_review", "复核", "复核件", "被复核件"),
        LinkKind("decision_item", "议定事项转督办", "督办事项", "来源议定事项"),
        LinkKind("minutes", "会议纪要", "会议纪要", "来源会议"),
        LinkKind("document_item", "公文转督办", "督办事项", "来源公文"),
        LinkKind("repeat", "重复信访", "重复件", "首次件"),
        LinkKind("follow_up", "后续办理", "后续事项", "前序事项"),
    )
}


def link_kind(key: str) -> LinkKind:
    """The kind named ``key``, or a refusal listing the kinds there are."""
    try:
        return LINK_KINDS[key]
    except KeyError:
        known = "、".join(kind.label for kind in LINK_KINDS.values())
        raise ValidationError(f"没有“{key}”这种关联，可选：{known}", field="kind") from None


def label_from(kind: LinkKind, seen_from_source: bool) -> str:
    """What the other end of a link is, seen from this end."""
    return kind.target_label if seen_from_source else kind.source_label
