"""议题: the states of a unit's proposed topic and where the office's review takes it (DOMAIN.md §2).

A unit proposes (已申报). For a 常务会议 the office's 文秘 or leaders first review it (办公室已审核), and only the
office's 主任 or 副主任 approve it (已审定) and put the agenda in order; for any other meeting the office's review
is the approval. A topic may be turned down (不予上会, with the reason) before it is approved, and its unit may
withdraw it (已撤回) while it is only proposed.
"""

from __future__ import annotations

from app.core.errors import WorkflowError

PROPOSED, REVIEWED, APPROVED, REJECTED, WITHDRAWN = "proposed", "reviewed", "approved", "rejected", "withdrawn"

TOPIC_STATES: dict[str, str] = {
    PROPOSED: "已申报",
    REVIEWED: "办公室已审核",
    APPROVED: "已审定",
    REJECTED: "不予上会",
    WITHDRAWN: "已撤回",
}

# The meeting type whose topics the office's leaders approve after the 文秘's review.
EXECUTIVE = "常务会议"


def state_label(state: str) -> str:
    return TOPIC_STATES.get(state, state)


def review_target(meeting_type: str, state: str, approve: bool) -> str:
    """Where a review takes a topic at ``state``: approving moves it one step on (for a 常务会议 proposed →
    reviewed → approved, otherwise proposed → approved), turning it down makes it 不予上会. A topic already
    decided, or withdrawn, is refused, saying so."""
    if state not in (PROPOSED, REVIEWED):
        raise WorkflowError(f"该议题{state_label(state)}，不能再审核")
    if not approve:
        return REJECTED
    if state == PROPOSED and meeting_type == EXECUTIVE:
        return REVIEWED
    return APPROVED


def needs_office_leader(meeting_type: str, state: str) -> bool:
    """Whether only the office's 主任 or 副主任 may take this review: a 常务会议's reviewed topic, approved or
    turned down, is theirs to decide; the 文秘 reviewed it already."""
    return meeting_type == EXECUTIVE and state == REVIEWED
