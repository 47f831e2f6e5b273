"""信息调研's items (app.services.information): writing for one's group, 报送 dating it, the editors' 存档 and
退回修改, adoptions earning the points of the table in force (and a changed table), 批示, who sees an item, the
writing groups; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap import AppContext
from app.core.errors import ConflictError, PermissionDenied, ValidationError, WorkflowError
from app.services.information import adoptions, groups, items, listing, records
from app.services.kernel import settings
from tests.helpers.document_office import Office
from tests.helpers.information_office import WRITTEN, build_information_office, group_id, item_input, new_item

ADOPTED = date(2026, 11, 10)
TODAY = date(2026, 11, 27)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def test_a_member_writes_for_their_group_and_submitting_dates_it(office: Office) -> None:
    o = office
    draft = o.run(items.create_item, o.petition, item_input(), today=WRITTEN)
    assert (draft.state, draft.group_id, draft.author_name, draft.submitted_on) == ("draft", group_id(o), "孙接待", None)
    submitted = o.run(items.submit_item, o.petition, draft.id, today=date(2026, 11, 4))
    assert (submitted.state, submitted.submitted_on) == ("submitted", date(2026, 11, 4))


def test_who_may_write(office: Office) -> None:
    o = office
    with pytest.raises(PermissionDenied, match="信息组成员"):
        o.run(items.create_item, o.cashier, item_input(), today=WRITTEN)
    with pytest.raises(PermissionDenied, match="本人所在的信息组"):
        o.run(items.create_item, o.petition, item_input(group_id=group_id(o, "second")), today=WRITTEN)
    with pytest.raises(PermissionDenied, match="本人名义"):
        o.run(items.create_item, o.petition, item_input(author_name="别人"), today=WRITTEN)
    # An editor enters a piece from paper for another group and author.
    info = o.run(items.create_item, o.clerk, item_input(group_id=group_id(o, "second"), author_name="钱会计"),
                 today=WRITTEN)
    assert (info.group_id, info.author_name, info.author_id) == (group_id(o, "second"), "钱会计", None)


def test_bad_input_says_what_to_fix(office: Office) -> None:
    o = office
    with pytest.raises(ValidationError, match="请填写标题"):
        o.run(items.create_item, o.petition, item_input(title="  "), today=WRITTEN)
    with pytest.raises(ValidationError, match="稿件类型"):
        o.run(items.create_item, o.petition, item_input(kind="诗歌"), today=WRITTEN)
    with pytest.raises(ValidationError, match="正文"):
        o.run(items.create_item, o.petition, item_input(body=""), submit=True, today=WRITTEN)
    # Nothing of the refused 报送 was kept.
    page = o.run(listing.list_items, o.clerk)
    assert page.total == 0


def test_editors_file_and_return_with_an_opinion(office: Office) -> None:
    o = office
    first = new_item(o)
    second = new_item(o, title="第二条")
    with pytest.raises(PermissionDenied):
        o.run(items.file_item, o.petition, first)
    filed = o.run(items.file_item, o.clerk, first, today=TODAY)
    assert (filed.state, filed.closed) == ("filed", True)
    with pytest.raises(ValidationError, match="退回修改的意见"):
        o.run(items.return_item, o.clerk, second, "  ", today=TODAY)
    back = o.run(items.return_item, o.clerk, second, "数据请核实", today=TODAY)
    assert back.state == "draft"
    again = o.run(items.update_item, o.petition, second, item_input(title="第二条（修改）"))
    assert again.title == "第二条（修改）"
    with pytest.raises(ValidationError, match="不能再修改"):
        o.run(items.update_item, o.clerk, first, item_input())


def test_the_author_may_not_change_a_submitted_item_but_the_editor_may(office: Office) -> None:
    o = office
    item_id = new_item(o)
    with pytest.raises(PermissionDenied, match="正在编审"):
        o.run(items.update_item, o.petition, item_id, item_input(title="改"))
    edited = o.run(items.update_item, o.clerk, item_id, item_input(title="改好的标题"))
    assert (edited.title, edited.author_name) == ("改好的标题", "孙接待")


def test_a_stale_version_is_refused(office: Office) -> None:
    o = office
    info = o.run(items.create_item, o.petition, item_input(), today=WRITTEN)
    o.run(items.update_item, o.petition, info.id, item_input(title="新"), expected_version=info.version)
    with pytest.raises(ConflictError):
        o.run(items.update_item, o.petition, info.id, item_input(title="旧"), expected_version=info.version)


def test_adoptions_earn_the_points_of_the_table_in_force(office: Office) -> None:
    o = office
    first, second = new_item(o), new_item(o, title="第二条")
    info = o.run(adoptions.record_adoption, o.clerk, first, body="市政府办公室", level="市级", adopted_on=ADOPTED,
                 today=TODAY)
    info = o.run(adoptions.record_adoption, o.clerk, first, body="省政府办公厅", level="省级", adopted_on=ADOPTED,
                 today=TODAY)
    assert [a.points for a in info.adoptions] == [3, 5] and info.points == 8
    with o.ctx.uow() as uow:
        settings.update_settings(uow, o.admin, {"adoption_points": {"市级": "4", "省级": "6", "国家级": "12"}})
        uow.commit()
    later = o.run(adoptions.record_adoption, o.clerk, second, body="国务院办公厅", level="国家级",
                  adopted_on=ADOPTED, today=TODAY)
    assert later.points == 12
    # What was earned before the change stays as it was.
    assert o.run(records.get_item, o.clerk, first).points == 8


def test_an_adoption_is_checked(office: Office) -> None:
    o = office
    item_id = new_item(o)
    draft = new_item(o, submit=False, title="草稿")
    with pytest.raises(PermissionDenied):
        o.run(adoptions.record_adoption, o.petition, item_id, body="市政府办公室", level="市级", adopted_on=ADOPTED)
    with pytest.raises(ValidationError, match="还没有报送"):
        o.run(adoptions.record_adoption, o.clerk, draft, body="市政府办公室", level="市级", adopted_on=ADOPTED)
    with pytest.raises(ValidationError, match="采用层级"):
        o.run(adoptions.record_adoption, o.clerk, item_id, body="市政府办公室", level="县级", adopted_on=ADOPTED)
    with pytest.raises(ValidationError, match="早于稿件的报送日期"):
        o.run(adoptions.record_adoption, o.clerk, item_id, body="市政府办公室", level="市级",
              adopted_on=date(2026, 10, 1), today=TODAY)
    with pytest.raises(ValidationError, match="晚于今天"):
        o.run(adoptions.record_adoption, o.clerk, item_id, body="市政府办公室", level="市级",
              adopted_on=date(2026, 12, 1), today=TODAY)
    o.run(adoptions.record_adoption, o.clerk, item_id, body="市政府办公室", level="市级", adopted_on=ADOPTED,
          today=TODAY)
    with pytest.raises(ValidationError, match="已经登记过"):
        o.run(adoptions.record_adoption, o.clerk, item_id, body="市政府办公室", level="市级", adopted_on=ADOPTED,
              today=TODAY)
    info = o.run(records.get_item, o.clerk, item_id)
    removed = o.run(adoptions.remove_adoption, o.clerk, info.adoptions[0].id)
    assert removed.adoptions == ()


def test_comments_by_editors_and_a_county_leader_of_their_own(office: Office) -> None:
    o = office
    item_id = new_item(o)
    info = o.run(adoptions.record_comment, o.clerk, item_id, leader="陈县长", text="请交通局总结推广。",
                 commented_on=ADOPTED, today=TODAY)
    assert [(c.leader, c.text) for c in info.comments] == [("陈县长", "请交通局总结推广。")]
    with pytest.raises(PermissionDenied):
        o.run(adoptions.record_comment, o.finance, item_id, leader="x", text="y", commented_on=ADOPTED, today=TODAY)
    # A county leader sees an item only once its issue is issued.
    with pytest.raises(PermissionDenied):
        o.run(adoptions.record_comment, o.mayor, item_id, leader="陈县长", text="阅。", commented_on=ADOPTED,
              today=TODAY)


def test_who_sees_which_items(office: Office) -> None:
    o = office
    ours = new_item(o)
    theirs = new_item(o, by="finance", title="第二组的稿件")
    assert {r.id for r in o.run(listing.list_items, o.clerk).rows} == {ours, theirs}
    assert {r.id for r in o.run(listing.list_items, o.petition).rows} == {ours}
    assert o.run(listing.list_items, o.mayor).total == 0
    assert o.run(listing.list_items, o.liaison_fin).total == 0
    with pytest.raises(PermissionDenied):
        o.run(records.get_item, o.petition, theirs)
    assert {r.id for r in o.run(listing.list_items, o.finance, listing.ItemFilter(box="group")).rows} == {theirs}
    assert {r.id for r in o.run(listing.list_items, o.clerk, listing.ItemFilter(box="review")).rows} == {ours, theirs}
    assert [r.id for r in o.run(listing.list_items, o.clerk, listing.ItemFilter(search="第二组")).rows] == [theirs]


def test_groups_are_set_up_by_the_director_one_person_per_group(office: Office) -> None:
    o = office
    listed = o.run(groups.list_groups, o.cashier)
    assert len(listed) == 8 and listed[0].leader_name == "李副主任"
    assert listed[0].member_names == "张文秘、孙接待"
    second = listed[1]
    with pytest.raises(PermissionDenied):
        o.run(groups.save_group, o.clerk, second.id, name=second.name, leader_id=None, member_ids=[])
    with pytest.raises(ValidationError, match="已在第一信息组"):
        o.run(groups.save_group, o.director, second.id, name=second.name, leader_id=None,
              member_ids=[o.petition.id])
    with pytest.raises(ValidationError, match="不是办公室主任或副主任"):
        o.run(groups.save_group, o.director, second.id, name=second.name, leader_id=o.clerk.id, member_ids=[])
    with pytest.raises(ValidationError, match="已经有名为"):
        o.run(groups.save_group, o.director, second.id, name="第一信息组", leader_id=None, member_ids=[])
    with pytest.raises(ValidationError, match="已经设置了信息组"):
        o.run(groups.create_default_groups, o.director)
    staff = o.run(groups.writing_staff, o.clerk)
    assert [m.name for m in staff] == ["张文秘", "孙接待", "赵文秘", "钱会计"]
    with o.ctx.uow() as uow:
        assert groups.points_table(uow) == {"市级": 3, "省级": 5, "国家级": 10}
        assert groups.quotas(uow) == groups.Quotas(5, 1)


def test_an_item_in_no_state_of_the_flow_cannot_be_filed_twice(office: Office) -> None:
    o = office
    item_id = new_item(o)
    o.run(items.file_item, o.clerk, item_id, today=TODAY)
    with pytest.raises((WorkflowError, PermissionDenied)):
        o.run(items.file_item, o.clerk, item_id, today=TODAY)
