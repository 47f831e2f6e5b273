"""The numbered issues of 《政务信息》 (app.services.information.issues): 第N期 per year from the gap-free sequence,
two clients beginning one at once, compiling, ordering and taking out items, 印发 moving every item to 已编入期刊,
who may do what, who sees an issue being edited, and bad input; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext, bootstrap
from app.core.errors import ConflictError, PermissionDenied, ValidationError
from app.models import AuditEntry
from app.services.information import issues, items, listing, records
from app.services.kernel import sequences, settings
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office, new_item

TODAY = date(2026, 11, 27)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def _titles(info: issues.IssueInfo) -> list[str]:
    return [item.title for item in info.items]


def _audit(o: Office, action: str) -> int:
    with o.ctx.uow() as uow:
        return int(uow.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity_type == issues.ENTITY, AuditEntry.action == action)).scalar_one())


def test_issues_are_numbered_per_year_without_gaps(office: Office) -> None:
    o = office
    first = o.run(issues.create_issue, o.clerk, issue_date=date(2026, 3, 2))
    second = o.run(issues.create_issue, o.director, today=date(2026, 3, 9))
    other_year = o.run(issues.create_issue, o.clerk, issue_date=date(2027, 1, 5))
    assert [(i.year, i.seq, i.label) for i in (first, second, other_year)] == [
        (2026, 1, "2026年第1期"), (2026, 2, "2026年第2期"), (2027, 1, "2027年第1期")]
    assert first.number_text == "第1期"
    # The office is the editing unit; 报/送/发 start at the usual lists.
    assert first.editor_unit == "青山县人民政府办公室"
    assert first.report_to == issues.DEFAULT_REPORT_TO
    assert "县政府各位领导" in first.send_to and "各乡镇人民政府" in first.distribute_to
    assert (first.issued, first.items, first.title) == (False, (), "政务信息")
    # A refused beginning gives its number back: the next one is still 第3期.
    with pytest.raises(PermissionDenied):
        o.run(issues.create_issue, o.petition, issue_date=date(2026, 3, 16))
    # So does one that fails after drawing its number (the unit of work rolls back).
    def broken(uow: Any, key: str) -> Any:
        raise ValidationError("模拟读取设置失败")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(issues, "get_setting", broken)
        with pytest.raises(ValidationError, match="模拟"):
            o.run(issues.create_issue, o.clerk, issue_date=date(2026, 3, 16))
    third = o.run(issues.create_issue, o.clerk, issue_date=date(2026, 3, 16))
    assert third.seq == 3
    rows = o.run(issues.list_issues, o.clerk, 2026)
    assert [r.seq for r in rows] == [3, 2, 1]
    assert [r.year for r in o.run(issues.list_issues, o.clerk)] == [2027, 2026, 2026, 2026]
    assert o.run(issues.issue_years, o.clerk) == [2027, 2026]
    assert _audit(o, "create") == 4


def test_two_clients_beginning_an_issue_at_once_get_consecutive_numbers(
    db_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two clients, each with its own engine on the same database, in two threads: the first draws its number and
    is held open until the second has asked for one (and so waits on the sequence's row lock, or SQLite's write
    lock); then both commit. They get 第1期 and 第2期, never the same."""
    one, two = bootstrap(db_url), bootstrap(db_url)
    try:
        o = build_information_office(one)
        drawn, asked = threading.Event(), threading.Event()
        original = sequences.next_number

        def holding(uow: Any, key: str, year: int, count: int = 1) -> int:
            if threading.current_thread().name == "second":
                asked.set()
            number = original(uow, key, year, count)
            if threading.current_thread().name == "first":
                drawn.set()
                asked.wait(20)
                # Let the second queue behind the lock before the first commits.
                threading.Event().wait(0.5)
            return number

        monkeypatch.setattr(sequences, "next_number", holding)
        results: dict[str, Any] = {}

        def run(name: str, context: AppContext, actor: Any) -> None:
            if name == "second":
                drawn.wait(20)
            try:
                with context.uow() as uow:
                    results[name] = issues.create_issue(uow, actor, issue_date=date(2026, 5, 11))
            except Exception as error:  # noqa: BLE001 - the outcome is what the test asserts
                results[name] = error
            finally:
                drawn.set()
                asked.set()

        threads = [threading.Thread(target=run, args=("first", one, o.clerk), name="first"),
                   threading.Thread(target=run, args=("second", two, o.clerk2), name="second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert isinstance(results["first"], issues.IssueInfo), results["first"]
        assert isinstance(results["second"], issues.IssueInfo), results["second"]
        assert sorted([results["first"].seq, results["second"].seq]) == [1, 2]
        assert results["first"].seq == 1
        with one.uow() as uow:
            assert [r.seq for r in issues.list_issues(uow, o.clerk, 2026)] == [2, 1]
            assert sequences.current_number(uow, issues.SEQUENCE, 2026) == 2
    finally:
        one.dispose()
        two.dispose()


def test_items_are_compiled_reordered_and_taken_out(office: Office) -> None:
    o = office
    a, b, c = (new_item(o, title=t) for t in ("甲", "乙", "丙"))
    issue = o.run(issues.create_issue, o.clerk, today=TODAY)
    issue = o.run(issues.add_items, o.clerk, issue.id, [a, b], expected_version=issue.version)
    issue = o.run(issues.add_items, o.clerk, issue.id, [c])
    assert _titles(issue) == ["甲", "乙", "丙"]
    assert [i.position for i in issue.items] == [1, 2, 3]
    assert (issue.items[0].author_name, issue.items[0].group_name) == ("孙接待", "第一信息组")
    assert o.run(records.get_item, o.clerk, a).issue_label == "2026年第1期"
    # Compiled into an issue being edited: no longer offered to another.
    assert o.run(listing.compilable_items, o.clerk) == []
    issue = o.run(issues.move_item, o.clerk, issue.id, c, -2)
    assert _titles(issue) == ["丙", "甲", "乙"]
    issue = o.run(issues.move_item, o.clerk, issue.id, c, 1, expected_version=issue.version)
    assert _titles(issue) == ["甲", "丙", "乙"]
    with pytest.raises(ValidationError, match="最前面"):
        o.run(issues.move_item, o.clerk, issue.id, a, -1)
    with pytest.raises(ValidationError, match="最后面"):
        o.run(issues.move_item, o.clerk, issue.id, b, 1)
    issue = o.run(issues.remove_item, o.clerk, issue.id, c)
    assert _titles(issue) == ["甲", "乙"]
    assert [i.position for i in issue.items] == [1, 2]
    assert [r.id for r in o.run(listing.compilable_items, o.clerk)] == [c]
    row = o.run(issues.list_issues, o.clerk)[0]
    assert (row.items, row.state_label) == (2, "编辑中")
    with pytest.raises(ValidationError, match="不在"):
        o.run(issues.remove_item, o.clerk, issue.id, c)
    # A stale version is refused and changes nothing.
    with pytest.raises(ConflictError, match="已被其他人修改"):
        o.run(issues.add_items, o.clerk, issue.id, [c], expected_version=issue.version - 1)
    assert _titles(o.run(issues.get_issue, o.clerk, issue.id)) == ["甲", "乙"]


def test_only_items_being_edited_and_in_no_issue_are_compiled(office: Office) -> None:
    o = office
    draft = new_item(o, submit=False, title="草稿")
    filed = new_item(o, title="存档的")
    o.run(items.file_item, o.clerk, filed, today=TODAY)
    free = new_item(o, title="可编入")
    first = o.run(issues.create_issue, o.clerk, today=TODAY)
    second = o.run(issues.create_issue, o.clerk, today=TODAY)
    with pytest.raises(ValidationError, match="撰写"):
        o.run(issues.add_items, o.clerk, first.id, [draft])
    with pytest.raises(ValidationError, match="已存档"):
        o.run(issues.add_items, o.clerk, first.id, [filed])
    with pytest.raises(ValidationError, match="请选择"):
        o.run(issues.add_items, o.clerk, first.id, [])
    o.run(issues.add_items, o.clerk, first.id, [free])
    with pytest.raises(ValidationError, match="已在本期"):
        o.run(issues.add_items, o.clerk, first.id, [free])
    with pytest.raises(ValidationError, match="2026年第1期，不能重复编入"):
        o.run(issues.add_items, o.clerk, second.id, [free])
    # A refused batch keeps nothing of it: the good item before the bad one is not compiled either.
    other = new_item(o, title="另一篇")
    with pytest.raises(ValidationError):
        o.run(issues.add_items, o.clerk, second.id, [other, draft])
    assert o.run(issues.get_issue, o.clerk, second.id).items == ()
    # Sent back while in the issue being edited: it leaves the issue.
    o.run(items.return_item, o.clerk, free, "请补充数据", today=TODAY)
    assert o.run(issues.get_issue, o.clerk, first.id).items == ()


def test_publishing_compiles_every_item_and_fixes_the_issue(office: Office) -> None:
    o = office
    a, b = new_item(o, title="甲"), new_item(o, by="finance", title="乙")
    issue = o.run(issues.create_issue, o.clerk, today=TODAY)
    with pytest.raises(ValidationError, match="请先加入稿件"):
        o.run(issues.publish_issue, o.clerk, issue.id, today=TODAY)
    issue = o.run(issues.add_items, o.clerk, issue.id, [a, b])
    with pytest.raises(ConflictError):
        o.run(issues.publish_issue, o.clerk, issue.id, expected_version=issue.version - 1, today=TODAY)
    published = o.run(issues.publish_issue, o.deputy, issue.id, expected_version=issue.version, today=TODAY)
    assert (published.issued, published.issued_by_name) == (True, "李副主任")
    assert published.version > issue.version
    for item_id in (a, b):
        info = o.run(records.get_item, o.clerk, item_id)
        assert (info.state, info.state_label, info.closed, info.issue_issued) == ("compiled", "已编入期刊", True, True)
    assert o.run(issues.list_issues, o.cashier)[0].state_label == "已印发"
    # Fixed from then on.
    c = new_item(o, title="丙")
    with pytest.raises(ValidationError, match="已印发，不能再加入稿件"):
        o.run(issues.add_items, o.clerk, issue.id, [c])
    with pytest.raises(ValidationError, match="已印发"):
        o.run(issues.remove_item, o.clerk, issue.id, a)
    with pytest.raises(ValidationError, match="已印发"):
        o.run(issues.move_item, o.clerk, issue.id, a, 1)
    with pytest.raises(ValidationError, match="已印发"):
        o.run(issues.publish_issue, o.clerk, issue.id, today=TODAY)
    with pytest.raises(ValidationError, match="已印发"):
        o.run(issues.update_issue, o.clerk, issue.id, issue_date=TODAY, editor_unit="某单位", report_to="",
              send_to="", distribute_to="")
    with pytest.raises(ValidationError, match="不能再修改"):
        o.run(items.update_item, o.clerk, a, items.ItemInput(title="改", body="改"))
    assert _audit(o, "publish") == 1


def test_a_publish_refused_midway_leaves_everything_as_it_was(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    a, b = new_item(o, title="甲"), new_item(o, title="乙")
    issue = o.run(issues.create_issue, o.clerk, today=TODAY)
    o.run(issues.add_items, o.clerk, issue.id, [a, b])
    original = issues.workflow.apply_transition
    calls: list[int] = []

    def failing_second(uow: Any, actor: Any, instance: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(instance.id)
        if len(calls) == 2:
            raise ValidationError("模拟第二篇出错")
        return original(uow, actor, instance, *args, **kwargs)

    monkeypatch.setattr(issues.workflow, "apply_transition", failing_second)
    with pytest.raises(ValidationError, match="模拟"):
        o.run(issues.publish_issue, o.clerk, issue.id, today=TODAY)
    assert o.run(records.get_item, o.clerk, a).state == "submitted"
    assert o.run(issues.get_issue, o.clerk, issue.id).issued is False


@pytest.mark.parametrize("who", ["clerk", "director", "deputy"])
def test_every_editor_may_edit_and_publish(office: Office, who: str) -> None:
    o = office
    actor = o.people[who]
    item = new_item(o)
    issue = o.run(issues.create_issue, actor, today=TODAY)
    issue = o.run(issues.update_issue, actor, issue.id, issue_date=date(2026, 11, 30), editor_unit="县政府办公室信息科",
                  report_to="市政府办公室", send_to="县政府各位领导", distribute_to="各乡镇", copies=60)
    issue = o.run(issues.add_items, actor, issue.id, [item])
    issue = o.run(issues.publish_issue, actor, issue.id, today=TODAY)
    assert issue.issued and issue.copies == 60 and issue.issue_date == date(2026, 11, 30)


@pytest.mark.parametrize("who", ["admin", "petition", "finance", "cashier", "mayor", "liaison_fin"])
def test_others_may_not_edit_issues(office: Office, who: str) -> None:
    o = office
    actor = o.people[who]
    item = new_item(o)
    issue = o.run(issues.create_issue, o.clerk, today=TODAY)
    o.run(issues.add_items, o.clerk, issue.id, [item])
    with pytest.raises(PermissionDenied, match="只有文秘人员和办公室领导"):
        o.run(issues.create_issue, actor, today=TODAY)
    for call, args in ((issues.add_items, ([item],)), (issues.remove_item, (item,)), (issues.move_item, (item, 1)),
                       (issues.publish_issue, ())):
        with pytest.raises(PermissionDenied):
            o.run(call, actor, issue.id, *args)
    with pytest.raises(PermissionDenied):
        o.run(issues.update_issue, actor, issue.id, issue_date=TODAY, editor_unit="x", report_to="", send_to="",
              distribute_to="")
    assert o.run(issues.get_issue, o.clerk, issue.id).items[0].id == item


def test_an_issue_being_edited_is_seen_by_the_editors_only(office: Office) -> None:
    o = office
    item = new_item(o)
    issue = o.run(issues.create_issue, o.clerk, today=TODAY)
    o.run(issues.add_items, o.clerk, issue.id, [item])
    o.run(issues.create_issue, o.clerk, today=TODAY)
    assert len(o.run(issues.list_issues, o.director)) == 2
    assert o.run(issues.list_issues, o.cashier) == []
    assert o.run(issues.issue_years, o.cashier) == []
    with pytest.raises(PermissionDenied, match="尚未印发"):
        o.run(issues.get_issue, o.cashier, issue.id)
    o.run(issues.publish_issue, o.clerk, issue.id, today=TODAY)
    rows = o.run(issues.list_issues, o.cashier)
    assert [(r.seq, r.items, r.issued) for r in rows] == [(1, 1, True)]
    seen = o.run(issues.get_issue, o.mayor, issue.id)
    assert seen.items[0].id == item
    # Issued, its item is seen by everyone.
    assert o.run(records.get_item, o.cashier, item).issue_label == "2026年第1期"


def test_bad_input_says_what_to_fix(office: Office) -> None:
    o = office
    issue = o.run(issues.create_issue, o.clerk, today=TODAY)

    def update(**changes: Any) -> issues.IssueInfo:
        values: dict[str, Any] = {"issue_date": TODAY, "editor_unit": "县政府办公室", "report_to": "市政府办公室",
                                  "send_to": "", "distribute_to": ""}
        values.update(changes)
        result: issues.IssueInfo = o.run(issues.update_issue, o.clerk, issue.id, **values)
        return result

    with pytest.raises(ValidationError, match="2026年内") as caught:
        update(issue_date=date(2027, 1, 4))
    assert caught.value.field == "issue_date"
    with pytest.raises(ValidationError, match="请填写编印单位") as caught:
        update(editor_unit="  ")
    assert caught.value.field == "editor_unit"
    with pytest.raises(ValidationError, match="不能超过500个字") as caught:
        update(send_to="领导" * 300)
    assert caught.value.field == "send_to"
    with pytest.raises(ValidationError, match="无法打印") as caught:
        update(report_to="市政府😀")
    assert caught.value.field == "report_to"
    with pytest.raises(ValidationError, match="印数") as caught:
        update(copies=-1)
    assert caught.value.field == "copies"
    with pytest.raises(ValidationError, match="不在"):
        o.run(issues.move_item, o.clerk, issue.id, 999_999, 1)
    with pytest.raises(Exception, match="找不到"):
        o.run(issues.get_issue, o.clerk, 999_999)
    # Spaces are tidied; nothing refused was kept.
    done = update(editor_unit="  县政府  办公室 ", send_to="")
    assert (done.editor_unit, done.send_to, done.issue_date) == ("县政府 办公室", "", TODAY)
    assert _audit(o, "update") == 1


def test_the_office_name_setting_is_the_default_unit(office: Office) -> None:
    o = office
    o.run(settings.update_settings, o.admin, {"office_name": "白水县人民政府办公室"})
    assert o.run(issues.create_issue, o.clerk, today=TODAY).editor_unit == "白水县人民政府办公室"
