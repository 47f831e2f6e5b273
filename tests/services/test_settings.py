"""Office settings and holiday overrides."""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.core.roles import Role
from app.services.kernel import settings
from app.services.workflow import moves as workflow
from tests.helpers import add_user


def test_defaults_then_saved_values(ctx: AppContext) -> None:
    root = add_user(ctx, "root", [Role.ADMIN])
    with ctx.uow() as uow:
        assert settings.get_setting(uow, "doc_prefixes") == ["县政办发", "县政办函"]
        saved = settings.update_settings(
            uow, root, {"office_name": "青山县人民政府办公室", "doc_prefixes": "县政办发、县政发", "fonds_number": "J012"}
        )
    assert saved["doc_prefixes"] == ["县政办发", "县政发"]
    with ctx.uow() as uow:
        assert settings.get_setting(uow, "office_name") == "青山县人民政府办公室"


def test_one_bad_value_saves_nothing(ctx: AppContext) -> None:
    root = add_user(ctx, "root", [Role.ADMIN])
    with ctx.uow() as uow, pytest.raises(ValidationError, match="机关代字“县政办发〔2026〕”不正确") as caught:
        settings.update_settings(uow, root, {"office_name": "新名称", "doc_prefixes": ["县政办发〔2026〕"]})
    assert caught.value.field == "doc_prefixes"
    with ctx.uow() as uow:
        assert settings.get_setting(uow, "office_name") == "某某县人民政府办公室"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("office_name", "", "不能为空"),
        ("attachment_max_mb", "abc", "请输入整数"),
        ("attachment_max_mb", "0", "1到2048"),
        ("no_such_key", "x", "没有“no_such_key”这项设置"),
    ],
)
def test_bad_settings_say_what_to_fix(ctx: AppContext, key: str, value: str, message: str) -> None:
    root = add_user(ctx, "root", [Role.ADMIN])
    with ctx.uow() as uow, pytest.raises(ValidationError, match=message):
        settings.update_settings(uow, root, {key: value})


def test_holidays_entered_for_an_unpublished_year_move_deadlines(ctx: AppContext) -> None:
    root = add_user(ctx, "root", [Role.ADMIN])
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])

    def due(start: date) -> tuple[date | None, bool]:
        with ctx.uow() as uow:
            instance = workflow.start(
                uow, clerk, flow_key="outgoing_document", entity_type="test", title="远期", today=start
            )
            uow.rollback()
            return instance.due_date, instance.due_provisional

    # 2099 is a year the official data does not cover. From Wednesday 9/23, 3 working days: Thu, Fri, then Mon.
    assert due(date(2099, 9, 23)) == (date(2099, 9, 28), True)
    # 国庆 (10/1-10/3) is a rest day whatever the notice will add: from Wednesday 9/30, 10/5, 10/6, 10/7.
    assert due(date(2099, 9, 30)) == (date(2099, 10, 7), True)
    with ctx.uow() as uow:
        for day in (24, 25, 28):
            settings.set_holiday(uow, root, date(2099, 9, day), False, "中秋节")
    with ctx.uow() as uow:
        settings.set_holiday(uow, root, date(2099, 9, 26), True, "调休上班")
    with ctx.uow() as uow:
        assert [h.day.day for h in settings.list_holidays(uow, 2099)] == [24, 25, 26, 28]
    assert due(date(2099, 9, 23)) == (date(2099, 9, 30), True)  # 9/26 (make-up day), 9/29, 9/30
    with ctx.uow() as uow:
        settings.remove_holiday(uow, root, date(2099, 9, 26))
    with ctx.uow() as uow, pytest.raises(ValidationError, match="没有设置过"):
        settings.remove_holiday(uow, root, date(2099, 9, 26))
