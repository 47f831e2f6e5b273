"""The records the permission matrix's 信息调研 rows act on (tests/services/test_permission_matrix): the 8 groups,
第一信息组 led by the deputy with the clerk and the 信访接待员 as members, 第二信息组 led by the director with the
会计; items written by the 信访接待员 for 第一信息组, one at each point of the flow, one with an adoption and a 批示.
Made on TODAY through the real services. No tests live here."""

from __future__ import annotations

from datetime import date

from app.services.information import adoptions, groups, issues, items, study
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
    ids.update(_issues(o))
    ids.update(_study(o))
    return ids


def _issues(o: Office) -> dict[str, int]:
    """An issue being edited, holding an item, and one issued."""
    made = {}
    for key in ("in_issue_editing", "in_issue_issued"):
        item = o.run(items.create_item, o.petition, ITEM, submit=True, today=TODAY)
        issue = o.run(issues.create_issue, o.clerk, issue_date=TODAY, today=TODAY)
        o.run(issues.add_items, o.clerk, issue.id, [item.id])
        made[key], made[f"{key}_item"] = issue.id, item.id
    o.run(issues.publish_issue, o.clerk, made["in_issue_issued"], today=TODAY)
    return made


def _study(o: Office) -> dict[str, int]:
    """A term of November and December with its rotation made at its start, the 信访接待员 away on 12-07."""
    term = o.run(study.create_term, o.clerk, name="2026年冬季学习", starts_on=date(2026, 11, 2),
                 ends_on=date(2026, 12, 28), topics=["案例解剖", "公文写作常识"])
    absence = o.run(study.add_absence, o.clerk, term.id, o.petition.id, date(2026, 12, 7), "出差")
    term = o.run(study.generate_rotation, o.clerk, term.id, today=date(2026, 11, 2))
    held = next(s for s in term.sessions if s.held_on == date(2026, 11, 23))
    return {"in_term": term.id, "in_absence": absence.id, "in_session": held.id}
