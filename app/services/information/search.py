"""What 综合查询 searches of a 政务信息 item or research article (app.services.search.sources): its title and body,
its author and writing group, the issue of 《政务信息》 it was issued in, the higher levels that adopted it, the
leaders' 批示 on it, and the opinions its moves carried (退回修改's what to change, 存档's note).

Read with plain selects for a whole batch at once: the items with their group and issue in one query, then one
query each for the adoptions and the 批示 (the opinions are added by app.services.search.upkeep). Every act that changes any of them records an audit
entry on the item itself (items.create_item, update_item, the flow's moves, adoptions.record_adoption,
record_comment and their removals); the issue an item is in is searched once the issue is issued, which moves
every item's flow (issues.publish_issue, and the ledger's import).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Table, select

from app.models.information import InfoAdoption, InfoComment, InfoGroup, InfoIssue, InfoItem
from app.services.information import records
from app.services.kernel.clock import local_date
from app.services.search.sources import SearchEntry, SearchField, gathered

if TYPE_CHECKING:
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork

_ITEMS: Table = InfoItem.__table__  # type: ignore[assignment]
_GROUPS: Table = InfoGroup.__table__  # type: ignore[assignment]
_ISSUES: Table = InfoIssue.__table__  # type: ignore[assignment]
_ADOPTIONS: Table = InfoAdoption.__table__  # type: ignore[assignment]
_COMMENTS: Table = InfoComment.__table__  # type: ignore[assignment]
_NAMES_JOIN = "、"
_TEXTS_JOIN = "；"



class InformationSource:
    """政务信息 items and research articles as 综合查询 finds them; nothing of them is masked."""

    files_private = False

    def entries(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[SearchEntry]:
        ids = sorted(set(record_ids))
        if not ids:
            return []
        i, g, s = _ITEMS.c, _GROUPS.c, _ISSUES.c
        rows = uow.execute(
            select(i.id, i.kind, i.title, i.body, i.author_name, i.submitted_on, i.created_at,
                   g.name.label("group_name"), s.year.label("issue_year"), s.seq.label("issue_seq"),
                   s.title.label("issue_title"), s.issued)
            .select_from(_ITEMS.outerjoin(_GROUPS, g.id == i.group_id).outerjoin(_ISSUES, s.id == i.issue_id))
            .where(i.id.in_(ids))
            .order_by(i.id)
        ).all()
        if not rows:
            return []
        a = _ADOPTIONS.c
        adoptions = gathered(
            (row.item_id, f"{row.body}（{row.level}）")
            for row in uow.execute(
                select(a.item_id, a.body, a.level).where(a.item_id.in_(ids)).order_by(a.item_id, a.id)
            )
        )
        c = _COMMENTS.c
        comments = gathered(
            (row.item_id, f"{row.leader}：{row.text}")
            for row in uow.execute(
                select(c.item_id, c.leader, c.text).where(c.item_id.in_(ids)).order_by(c.item_id, c.id)
            )
        )
        entries = []
        for row in rows:
            # An issue being edited may still lose the item; it is searched by the issue once issued.
            issue = (f"《{row.issue_title}》{records.issue_label(row.issue_year, row.issue_seq)}"
                     if row.issued and row.issue_seq is not None else "")
            # Filed under the year of its 报送日期, as the notices count it; a draft under the year it was begun.
            filed_on = row.submitted_on or local_date(row.created_at)
            entries.append(SearchEntry(
                record_id=row.id,
                year=filed_on.year,
                title=row.title,
                fields=(
                    SearchField("类型", records.KINDS.get(row.kind, "")),
                    SearchField("作者", row.author_name),
                    SearchField("信息组", row.group_name or ""),
                    SearchField("刊期", issue),
                    SearchField("正文", row.body),
                    SearchField("采用单位", _NAMES_JOIN.join(adoptions.get(row.id, ()))),
                    SearchField("领导批示", _TEXTS_JOIN.join(comments.get(row.id, ()))),
                ),
            ))
        return entries

    def record_ids(self, uow: UnitOfWork, after: int, limit: int) -> list[int]:
        i = _ITEMS.c
        return [int(x) for x in uow.execute(select(i.id).where(i.id > after).order_by(i.id).limit(limit)).scalars()]

    def sees_private(self, actor: Actor) -> bool:
        return True


SOURCE = InformationSource()
