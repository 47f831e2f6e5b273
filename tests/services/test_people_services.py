"""常用意见 per person, 分发组, 我的已办 and arrival: the services of issue 15's point 2, on every database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.bootstrap import AppContext
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.db.tables import common_opinions, unit_groups, workflow_history
from app.models import Document, Urge
from app.services.admin import opinions
from app.services.admin import unit_groups as groups
from app.services.documents import outgoing
from app.services.kernel import changes, settings
from app.services.workflow import arrivals, done, urges
from tests.helpers.document_office import TODAY, Office, advance_outgoing, build_office, counts, new_draft


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


# ----- 常用意见 ---------------------------------------------------------------------------------------------

def test_each_person_keeps_their_own_opinions_before_the_offices(office: Office) -> None:
    o = office
    o.run(opinions.add_opinion, o.mayor, "  同意，请办公室   抓紧办理。 ")
    o.run(opinions.add_opinion, o.mayor, "请分管副县长阅示。")
    o.run(opinions.add_opinion, o.deputy, "同意。")
    mine = o.run(opinions.my_opinions, o.mayor)
    assert [m.text for m in mine] == ["同意，请办公室 抓紧办理。", "请分管副县长阅示。"]
    phrases = o.run(opinions.opinion_phrases, o.deputy, "documents")
    assert [p.text for p in phrases.own] == ["同意。"]
    # The office's follow, without the one the person has made their own.
    assert phrases.texts[:3] == ["同意。", "同意印发。", "已阅。"]
    assert o.run(opinions.opinion_phrases, o.clerk, "claims").office[1] == "情况属实，同意报销。"
    assert o.run(opinions.opinion_phrases, o.clerk, "meetings").office == []


def test_opinions_are_moved_and_removed_by_their_owner_only(office: Office) -> None:
    o = office
    first = o.run(opinions.add_opinion, o.mayor, "甲")
    o.run(opinions.add_opinion, o.mayor, "乙")
    third = o.run(opinions.add_opinion, o.mayor, "丙")
    assert [m.text for m in o.run(opinions.move_opinion, o.mayor, third.id, -1)] == ["甲", "丙", "乙"]
    assert [m.text for m in o.run(opinions.move_opinion, o.mayor, first.id, 9)] == ["丙", "乙", "甲"]
    before = counts(o.ctx)
    for call in (lambda u: opinions.remove_opinion(u, o.vice, first.id),
                 lambda u: opinions.move_opinion(u, o.vice, first.id, 1)):
        with o.ctx.uow() as uow, pytest.raises(NotFound, match="找不到这条常用意见"):
            call(uow)
    assert counts(o.ctx) == before
    o.run(opinions.remove_opinion, o.mayor, first.id)
    assert [m.text for m in o.run(opinions.my_opinions, o.mayor)] == ["丙", "乙"]
    assert o.run(opinions.my_opinions, o.vice) == []


@pytest.mark.parametrize(("text", "message"), [
    ("   ", "不能为空"),
    ("同" * 201, "不能超过200个字"),
    ("同意😀", "无法打印"),
    ("已阅。", "已在您的常用意见中"),
])
def test_a_bad_opinion_is_refused_and_nothing_is_written(office: Office, text: str, message: str) -> None:
    o = office
    o.run(opinions.add_opinion, o.mayor, "已阅。")
    before = counts(o.ctx)
    with o.ctx.uow() as uow, pytest.raises(ValidationError, match=message):
        opinions.add_opinion(uow, o.mayor, text)
    assert counts(o.ctx) == before


def test_a_person_keeps_at_most_so_many_opinions(office: Office) -> None:
    o = office
    with o.ctx.uow() as uow:
        uow.execute(common_opinions.insert(), [
            {"user_id": o.mayor.id, "text": f"意见{i}", "position": i} for i in range(opinions.MAX_PER_PERSON)])
        uow.commit()
    with o.ctx.uow() as uow, pytest.raises(ValidationError, match="最多30条"):
        opinions.add_opinion(uow, o.mayor, "再来一条")


def test_the_offices_opinions_are_a_setting_the_administrator_edits(office: Office) -> None:
    o = office
    key = settings.opinion_setting("documents")
    o.run(settings.update_settings, o.admin, {key: "同意。、请县教育局牵头办理。"})
    assert o.run(opinions.opinion_phrases, o.mayor, "documents").office == ["同意。", "请县教育局牵头办理。"]
    for bad, message in (("同意。、同意。", "重复"), (["请财政局、教育局办理。"], "不能有“、”")):
        with o.ctx.uow() as uow, pytest.raises(ValidationError, match=message):
            settings.update_settings(uow, o.admin, {key: bad})
    with o.ctx.uow() as uow, pytest.raises(PermissionDenied):
        settings.update_settings(uow, o.mayor, {key: "同意。"})


# ----- 分发组 -----------------------------------------------------------------------------------------------

def test_default_groups_hold_the_units_of_their_kind(office: Office) -> None:
    o = office
    made = o.run(groups.make_default_groups, None)
    by_name = {g.name: g for g in made}
    assert by_name["全部乡镇"].unit_names == ("城关镇",)
    assert set(by_name["全部县直部门"].unit_ids) == {o.units["办公室"], o.units["财政局"], o.units["教育局"]}
    # Made once: a second run (the demo data after the wizard) adds nothing.
    assert len(o.run(groups.make_default_groups, o.admin)) == 2
    # Everyone reads them: every unit picker offers them.
    assert [g.name for g in o.run(groups.list_unit_groups, o.liaison_edu)] == ["全部乡镇", "全部县直部门"]


def test_the_administrator_edits_groups(office: Office) -> None:
    o = office
    made = o.run(groups.create_group, o.admin, "县领导", [o.units["县政府"]])
    assert made.unit_ids == (o.units["县政府"],)
    renamed = o.run(groups.rename_group, o.admin, made.id, "县政府领导")
    assert renamed.name == "县政府领导"
    changed = o.run(groups.set_members, o.admin, made.id, [o.units["城关镇"], o.units["教育局"]])
    assert set(changed.unit_ids) == {o.units["城关镇"], o.units["教育局"]}
    o.run(groups.delete_group, o.admin, made.id)
    assert o.run(groups.list_unit_groups, o.clerk) == []


def test_group_edits_are_refused_to_others_and_bad_names_and_units(office: Office) -> None:
    o = office
    made = o.run(groups.create_group, o.admin, "全部乡镇", [o.units["城关镇"]])
    before = counts(o.ctx)
    for who in (o.director, o.clerk, o.liaison_fin):
        for call in (lambda u, a: groups.create_group(u, a, "新组"), lambda u, a: groups.rename_group(u, a, made.id, "甲"),
                     lambda u, a: groups.set_members(u, a, made.id, []), lambda u, a: groups.delete_group(u, a, made.id)):
            with o.ctx.uow() as uow, pytest.raises(PermissionDenied, match="只有系统管理员"):
                call(uow, who)
    for name, unit_ids, message in (("", [], "名称不能为空"), ("全部乡镇", [], "已有名为“全部乡镇”"),
                                    ("组" * 51, [], "不能超过50个字"), ("新组", [999999], "已被删除")):
        with o.ctx.uow() as uow, pytest.raises(ValidationError, match=message):
            groups.create_group(uow, o.admin, name, unit_ids)
    with o.ctx.uow() as uow, pytest.raises(NotFound, match="找不到这个分发组"):
        groups.rename_group(uow, o.admin, made.id + 100, "甲")
    assert counts(o.ctx) == before
    with o.ctx.uow() as uow:
        assert uow.execute(select(func.count()).select_from(unit_groups)).scalar_one() == 1


# ----- 我的已办 ---------------------------------------------------------------------------------------------

def test_done_lists_what_the_person_acted_on_with_where_it_stands_now(office: Office) -> None:
    o = office
    first = new_draft(o, title="关于冬季防火的通知")
    advance_outgoing(o, first, "sign")
    second = new_draft(o, title="关于春耕生产的通知")
    advance_outgoing(o, second, "review")
    new_draft(o, title="别人的草稿", drafter=o.clerk2)
    page = o.run(done.done_list, o.clerk)
    assert [i.info.title for i in page.rows] == ["关于春耕生产的通知", "关于冬季防火的通知"]
    assert page.total == 2
    latest = page.rows[1]
    # The record's step now, and the clerk's own last act on it (the 会签 step's 送签发).
    assert latest.info.state == "sign" and not latest.closed
    assert latest.action_label and latest.acted_at is not None
    # The second waits for the deputy at 审核: not his yet.
    assert [i.info.title for i in o.run(done.done_list, o.deputy).rows] == ["关于冬季防火的通知"]
    assert o.run(done.done_list, o.mayor).total == 0
    assert [i.info.title for i in o.run(done.done_list, o.clerk, search="春耕").rows] == ["关于春耕生产的通知"]
    assert o.run(done.done_list, o.clerk, flow_keys=frozenset({"reimbursement"})).total == 0
    # No count of every act: the total says one more follows while one does.
    assert o.run(done.done_list, o.clerk, limit=1).total == 2
    assert [i.info.title for i in o.run(done.done_list, o.clerk, limit=1, offset=1).rows] == ["关于冬季防火的通知"]


def test_done_counts_acts_on_the_persons_behalf_and_hides_what_they_may_not_see(office: Office) -> None:
    o = office
    doc = new_draft(o, title="代签的文件")
    advance_outgoing(o, doc, "sign")
    with o.ctx.uow() as uow:
        # The vice mayor signed for the mayor (a delegate's act, as the worklist records it).
        uow.execute(update(workflow_history).where(workflow_history.c.actor_id == o.clerk.id)
                    .values(actor_id=o.vice.id, on_behalf_of_id=o.mayor.id, on_behalf_of_name="陈县长"))
        uow.commit()
    assert [i.info.title for i in o.run(done.done_list, o.mayor).rows] == ["代签的文件"]
    vice = o.run(done.done_list, o.vice).rows
    assert [(i.info.title, i.on_behalf_of) for i in vice] == [("代签的文件", "陈县长")]
    # The liaison of 教育局 sees no document of 秘书股: acts of theirs on it would not be listed either.
    with o.ctx.uow() as uow:
        uow.execute(update(workflow_history).values(actor_id=o.liaison_edu.id, on_behalf_of_id=None))
        uow.commit()
    assert o.run(done.done_list, o.liaison_edu).total == 0


def test_done_refuses_a_page_no_list_gives(office: Office) -> None:
    with office.ctx.uow() as uow, pytest.raises(ValidationError, match="分页参数不正确"):
        done.done_list(uow, office.clerk, limit=0)


# ----- arrival ----------------------------------------------------------------------------------------------

def _feed(o: Office, since: int) -> list[changes.Change]:
    with o.ctx.uow() as uow:
        return changes.changes_since(uow, since)


def _position(o: Office) -> int:
    with o.ctx.uow() as uow:
        return changes.latest_position(uow)


def test_a_to_do_another_person_sends_arrives_and_ones_own_does_not(office: Office) -> None:
    o = office
    mark = o.run(arrivals.arrival_mark, o.deputy, today=TODAY)
    clerk_mark = o.run(arrivals.arrival_mark, o.clerk, today=TODAY)
    since = _position(o)
    doc = new_draft(o, title="关于冬季防火的通知")
    feed = _feed(o, since)
    # The clerk's own draft is in the clerk's 待办, but it is no news to the clerk.
    got, clerk_mark = o.run(arrivals.check_arrivals, o.clerk, clerk_mark, feed, today=TODAY)
    assert got.todo_count == 1 and got.new_todo_count == 0
    got, mark = o.run(arrivals.check_arrivals, o.deputy, mark, feed, today=TODAY)
    assert not got.anything
    since = _position(o)
    o.run(outgoing.submit, o.clerk, doc, today=TODAY)
    feed = _feed(o, since)
    got, mark = o.run(arrivals.check_arrivals, o.deputy, mark, feed, today=TODAY)
    assert (got.new_todo_count, got.new_todo_titles, got.todo_count) == (1, ["关于冬季防火的通知"], 1)
    # Looked at again, it is not new any more.
    got, mark = o.run(arrivals.check_arrivals, o.deputy, mark, feed, today=TODAY)
    assert not got.anything and got.todo_count == 1
    got, clerk_mark = o.run(arrivals.check_arrivals, o.clerk, clerk_mark, feed, today=TODAY)
    assert not got.anything and got.todo_count == 0


def test_a_change_to_no_record_counts_nothing(office: Office) -> None:
    o = office
    mark = o.run(arrivals.arrival_mark, o.deputy, today=TODAY)
    since = _position(o)
    o.run(groups.create_group, o.admin, "全部乡镇", [])
    got, same = o.run(arrivals.check_arrivals, o.deputy, mark, _feed(o, since), today=TODAY)
    assert same is mark and not got.anything


def test_an_urge_arrives_for_the_person_it_is_aimed_at(office: Office) -> None:
    o = office
    doc = new_draft(o, title="紧急通知", urgency="特急")
    advance_outgoing(o, doc, "review")
    deputy_mark = o.run(arrivals.arrival_mark, o.deputy, today=TODAY)
    director_mark = o.run(arrivals.arrival_mark, o.director, today=TODAY)
    since = _position(o)
    with o.ctx.uow() as uow:
        instance_id = uow.session.execute(select(Document.workflow_instance_id).where(Document.id == doc)).scalar_one()
    made = o.run(urges.urge, o.mayor, instance_id, "电话", "请今天办结", today=TODAY)
    with o.ctx.uow() as uow:
        # Aimed at the deputy, as the worklist's 催办 aims one at the holder.
        uow.execute(update(Urge.__table__).where(Urge.__table__.c.id == made.id).values(aimed_at_id=o.deputy.id))
        uow.commit()
    feed = _feed(o, since)
    got, deputy_mark = o.run(arrivals.check_arrivals, o.deputy, deputy_mark, feed, today=TODAY)
    assert [(u.by_name, u.method, u.note, u.title) for u in got.urges] == [("陈县长", "电话", "请今天办结", "紧急通知")]
    # The director holds the same step, but the urge was not aimed at him.
    got, _ = o.run(arrivals.check_arrivals, o.director, director_mark, feed, today=TODAY)
    assert got.urges == []
    got, _ = o.run(arrivals.check_arrivals, o.deputy, deputy_mark, feed, today=TODAY)
    assert got.urges == []


def test_default_groups_made_before_the_units_are_filled_later(office: Office) -> None:
    o = office
    # As the first-run wizard leaves them: made while the office had no units yet.
    o.run(groups.create_group, o.admin, "全部乡镇", [])
    by_name = {g.name: g for g in o.run(groups.make_default_groups, o.admin)}
    assert by_name["全部乡镇"].unit_ids == (o.units["城关镇"],)
    with o.ctx.uow() as uow, pytest.raises(PermissionDenied):
        groups.make_default_groups(uow, o.director)


def test_a_document_sent_to_read_arrives_as_reading_not_as_a_to_do(office: Office) -> None:
    from app.services.documents import incoming
    from tests.helpers.document_office import advance_incoming, new_incoming

    o = office
    doc = new_incoming(o, title="江州市关于加强安全生产工作的通报")
    advance_incoming(o, doc, "instruct")
    o.run(incoming.instruct, o.mayor, doc, "请各位领导阅", needs_handling=False)
    mark = o.run(arrivals.arrival_mark, o.vice, today=TODAY)
    since = _position(o)
    o.run(incoming.circulate, o.clerk, doc, [o.vice.id])
    got, _ = o.run(arrivals.check_arrivals, o.vice, mark, _feed(o, since), today=TODAY)
    assert (got.new_read_count, got.new_read_titles) == (1, ["江州市关于加强安全生产工作的通报"])
    assert got.new_todo_count == 0 and got.read_count == 1


def test_done_reads_on_in_rounds_and_in_one_statement_alike(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    for title in ("一号文", "二号文", "三号文"):
        advance_outgoing(o, new_draft(o, title=title), "review")
    new_draft(o, title="四号文", drafter=o.clerk2)
    in_rounds = [i.info.title for i in o.run(done.done_list, o.clerk, limit=2).rows]
    # Rounds of one act each: the walk goes on until the page is full.
    monkeypatch.setattr(done, "FIRST_ROUND", 1)
    monkeypatch.setattr(done, "LAST_ROUND", 1)
    small = o.run(done.done_list, o.clerk, limit=2)
    assert [i.info.title for i in small.rows] == in_rounds == ["三号文", "二号文"] and small.total == 3
    monkeypatch.setattr(done, "ROUNDS_UP_TO", 0)
    assert [i.info.title for i in o.run(done.done_list, o.clerk, limit=2).rows] == in_rounds
    assert [i.info.title for i in o.run(done.done_list, o.clerk, offset=2, limit=2).rows] == ["一号文"]
