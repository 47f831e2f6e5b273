"""The records the permission matrix's 信息调研 rows act on (tests/services/test_permission_matrix): the 8 groups,
第一信息组 led by the deputy with the clerk and the 信访接待员 as members, 第二信息组 led by the director with the
会计; items written by the 信访接待员 for 第一信息组, one at each point of the flow, one with an adoption and a 批示.
Made on TODAY through the real services. No tests live here."""

from __future__ import annotations

from app.services.information import adoptions, groups, items
from tests.helpers.document_office import TODAY, Office

ITEM = items.ItemInput("item", "城关镇农村公路提质改造取得新进展", "今年以来，城关镇新改建农村公路12公里。")


def prepare_for_matrix(o: Office) -> dict[str, int]:
    made = o.run(groups.create_default_groups, o.admin)
    first, second = made[0], made[1]
    o.run(groups.save_group, o.admin, first.id, name=first.name, leader_id=o.deputy.id,
          member_ids=[o.clerk.id, o.petition.id])
    o.run(groups.save_group, o.admin, second.id, name=second.name, leader_id=o.director.id, member_ids=[o.finance.id])
    ids = {"in_group1": first.id, "in_group2": second.id}
    ids["in_draft"] = o.run(items.create_item, o.petition, ITEM, today=TODAY).id
    for key in ("in_submitted", "in_adopted"):
        info = o.run(items.create_item, o.petition, ITEM, submit=True, today=TODAY)
        ids[key], ids[f"{key}_instance"] = info.id, info.instance_id
    adopted = o.run(adoptions.record_adoption, o.clerk, ids["in_adopted"], body="市政府办公室", level="市级",
                    adopted_on=TODAY, today=TODAY)
    adopted = o.run(adoptions.record_comment, o.clerk, ids["in_adopted"], leader="陈县长", text="请总结推广。",
                    commented_on=TODAY, today=TODAY)
    ids["in_adoption"], ids["in_comment"] = adopted.adoptions[0].id, adopted.comments[0].id
    return ids
