"""Office settings: one typed registry of every key, its default and its check; and holiday overrides."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.core.errors import ValidationError
from app.core.roles import Role
from app.db import tables
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork

if TYPE_CHECKING:
    from app.core.calendar import WorkCalendar


def _text(limit: int, required: bool = True) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = str(value or "").strip()
        if required and not text:
            raise ValidationError("此项不能为空")
        if len(text) > limit:
            raise ValidationError(f"不能超过{limit}个字符")
        return text

    return check


def _prefixes(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value).replace("，", ",").replace("、", ",").split(",")
    cleaned = [str(p).strip() for p in items if str(p).strip()]
    if not cleaned:
        raise ValidationError("至少要有一个机关代字，例如：县政办发")
    for prefix in cleaned:
        if any(c in prefix for c in "〔〕[]()（）") or any(c.isdigit() for c in prefix) or len(prefix) > 20:
            raise ValidationError(f"机关代字“{prefix}”不正确：只写代字本身，如“县政办发”，不含年份、括号和序号")
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError("机关代字有重复")
    return cleaned


def _count(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError("请输入整数") from None
        if not low <= number <= high:
            raise ValidationError(f"请输入{low}到{high}之间的整数")
        return number

    return check


def _points(value: Any) -> dict[str, int]:
    """The adoption points table: every level (市级, 省级, 国家级) with its whole points, as typed on the
    settings page (市级=3、省级=5、国家级=10) or given as numbers."""
    from app.core.information.points import checked_table

    if not isinstance(value, dict) or not value:
        raise ValidationError("采用计分表不能为空，格式：市级=3、省级=5、国家级=10")
    typed = {str(k): int(v) if isinstance(v, str) and v.strip().isdigit() else v for k, v in value.items()}
    return checked_table(typed)


def _issuers(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValidationError("发文机关的格式：代字=机关名称，例如 县政发=某某县人民政府")
    table: dict[str, str] = {}
    for prefix, organ in value.items():
        code, name = str(prefix).strip(), str(organ).strip()
        if not code or not name:
            raise ValidationError("发文机关的每一项都要写代字和机关名称，例如 县政发=某某县人民政府")
        if len(name) > 60:
            raise ValidationError(f"机关名称“{name[:20]}…”不能超过60个字")
        table[code] = name
    return table


def _phrases(value: Any) -> list[str]:
    """常用意见 of the office: a list, or the settings page's text with the phrases between “、”."""
    from app.core.printable import check_printable

    items = value if isinstance(value, list) else str(value or "").split("、")
    cleaned = [" ".join(str(p).split()) for p in items if str(p).strip()]
    for phrase in cleaned:
        if "、" in phrase:
            raise ValidationError(f"“{phrase[:20]}”中不能有“、”：各条意见之间用“、”隔开")
        if len(phrase) > 200:
            raise ValidationError(f"“{phrase[:20]}…”超过了200个字")
        check_printable(phrase, "常用意见")
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError("常用意见有重复")
    if len(cleaned) > 30:
        raise ValidationError("常用意见最多30条")
    return cleaned


# The office's 常用意见 per area, offered in every opinion box of the area after the person's own
# (app.services.admin.opinions). The defaults are the phrases each area's window had built in.
OPINION_AREAS: dict[str, tuple[str, list[str]]] = {
    "documents": ("公文常用意见", ["同意。", "同意印发。", "已阅。", "请按程序办理。", "请抓好落实。", "请有关单位研究办理。"]),
    "claims": ("报账常用意见", [
        "同意。", "情况属实，同意报销。", "同意，请按规定标准报销。", "票据不全，请补齐后重新提交。",
        "请说明超出开支标准的原因。",
    ]),
}


def opinion_setting(area: str) -> str:
    return f"office_opinions_{area}"


@dataclass(frozen=True)
class SettingSpec:
    """One office setting: its key, label, default, and the check a new value must pass."""

    key: str
    label: str
    default: Any
    check: Callable[[Any], Any]
    help: str = ""


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("office_name", "单位名称", "某某县人民政府办公室", _text(60), "打印在各类表单的抬头"),
        SettingSpec("doc_prefixes", "机关代字", ["县政办发", "县政办函"], _prefixes, "发文字号的代字，每个代字每年单独编号"),
        SettingSpec(
            "doc_issuers", "发文机关", {}, _issuers,
            "各机关代字的发文机关，即归档文件目录的责任者，格式：县政发=某某县人民政府。"
            "未填的代字：含“办”字的为本办公室，不含的为本级人民政府",
        ),
        SettingSpec("fonds_number", "全宗号", "", _text(20, required=False), "档号的第一部分，由档案馆分配"),
        SettingSpec("org_code", "机构（问题）代码", "", _text(20, required=False), "档号中可选的机构代码"),
        SettingSpec("attachment_max_mb", "附件大小上限（MB）", 50, _count(1, 2048), "单个附件的最大体积"),
        SettingSpec("info_weekly_quota", "每组每周政务信息（条）", 5, _count(0, 100)),
        SettingSpec("info_research_quota", "每组每半年调研文章（篇）", 1, _count(0, 20)),
        SettingSpec(
            "adoption_points", "上级采用计分", {"市级": 3, "省级": 5, "国家级": 10}, _points,
            "信息被上级采用一次所得分数，按采用层级计，格式：市级=3、省级=5、国家级=10",
        ),
        *(
            SettingSpec(opinion_setting(area), label, phrases, _phrases,
                        "办理意见框中“常用意见”列出的本单位通用意见，各条之间用“、”隔开；个人常用意见排在前面")
            for area, (label, phrases) in OPINION_AREAS.items()
        ),
    )
}


def _spec(key: str) -> SettingSpec:
    try:
        return SETTINGS[key]
    except KeyError:
        raise ValidationError(f"没有“{key}”这项设置") from None


def get_setting(uow: UnitOfWork, key: str) -> Any:
    spec = _spec(key)
    value = uow.execute(select(tables.settings.c.value).where(tables.settings.c.key == key)).scalar_one_or_none()
    return json.loads(value) if value is not None else spec.default


def office_opinions(uow: UnitOfWork, area: str) -> list[str]:
    """The office's 常用意见 of an area; none for an area that has no such setting."""
    if opinion_setting(area) not in SETTINGS:
        return []
    return list(get_setting(uow, opinion_setting(area)))


def all_settings(uow: UnitOfWork) -> dict[str, Any]:
    columns = tables.settings.c
    stored = {key: json.loads(value) for key, value in uow.execute(select(columns.key, columns.value))}
    return {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}


@acting
def update_settings(uow: UnitOfWork, actor: Actor | None, values: dict[str, Any]) -> dict[str, Any]:
    """Checks every value first and writes none unless all are right. actor None is the first-run wizard."""
    from app.models import Setting

    if actor is not None:
        require_role(actor, [Role.ADMIN], "修改系统设置")
    checked: dict[str, Any] = {}
    for key, value in values.items():
        spec = _spec(key)
        try:
            checked[key] = spec.check(value)
        except ValidationError as error:
            raise ValidationError(f"{spec.label}：{error.message}", field=key) from None
    changes: dict[str, list[Any]] = {}
    for key, value in checked.items():
        row = uow.session.execute(select(Setting).where(Setting.key == key)).scalar_one_or_none()
        encoded = json.dumps(value, ensure_ascii=False)
        old = json.loads(row.value) if row else SETTINGS[key].default
        if old == value:
            continue
        changes[key] = [old, value]
        if row is None:
            uow.session.add(Setting(key=key, value=encoded))
        else:
            row.value = encoded
    if changes:
        actor_id = actor.id if actor else None
        username = actor.username if actor else "setup"
        uow.record(actor_id, username, "update", "settings", None, changes, change_op="update")
    uow.commit()
    return all_settings(uow)


# ----- holidays ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HolidayInfo:
    """A day an administrator declared a holiday or a make-up working day."""

    id: int
    day: date
    is_workday: bool
    note: str


def list_holidays(uow: UnitOfWork, year: int | None = None) -> list[HolidayInfo]:
    days = tables.holiday_overrides.c
    query = select(days.id, days.day, days.is_workday, days.note).order_by(days.day)
    if year is not None:
        query = query.where(days.day >= date(year, 1, 1), days.day <= date(year, 12, 31))
    return [HolidayInfo(h.id, h.day, h.is_workday, h.note) for h in uow.execute(query)]


@acting
def set_holiday(uow: UnitOfWork, actor: Actor, day: date, is_workday: bool, note: str = "") -> HolidayInfo:
    """Declares a day a holiday (is_workday False) or a make-up working day (True)."""
    require_role(actor, [Role.ADMIN], "设置节假日")
    from app.models import HolidayOverride

    row = uow.session.execute(select(HolidayOverride).where(HolidayOverride.day == day)).scalar_one_or_none()
    if row is None:
        row = HolidayOverride(day=day, is_workday=is_workday, note=note.strip()[:100])
        uow.session.add(row)
    else:
        row.is_workday = is_workday
        row.note = note.strip()[:100]
    uow.flush()
    uow.cache.pop("calendar", None)
    uow.record(
        actor.id, actor.username, "update", "holiday", row.id,
        {"day": day.isoformat(), "is_workday": is_workday, "note": note}, change_op="update",
    )
    info = HolidayInfo(row.id, row.day, row.is_workday, row.note)
    uow.commit()
    return info


@acting
def remove_holiday(uow: UnitOfWork, actor: Actor, day: date) -> None:
    require_role(actor, [Role.ADMIN], "删除节假日设置")
    from app.models import HolidayOverride

    row = uow.session.execute(select(HolidayOverride).where(HolidayOverride.day == day)).scalar_one_or_none()
    if row is None:
        raise ValidationError(f"{day:%Y年%m月%d日}没有设置过节假日")
    uow.session.delete(row)
    uow.cache.pop("calendar", None)
    uow.record(actor.id, actor.username, "delete", "holiday", row.id, {"day": day.isoformat()}, change_op="delete")
    uow.commit()


def work_calendar(uow: UnitOfWork) -> WorkCalendar:
    # Imported here: the calendar and its holiday tables are not needed by what reads only settings (a
    # printed form's office name).
    from app.core.calendar import HolidayOverrides, WorkCalendar

    cached = uow.cache.get("calendar")
    if isinstance(cached, WorkCalendar):
        return cached
    # The table's columns: the 工作台 asks this at every start, before the ORM is loaded.
    days = tables.holiday_overrides.c
    rows = uow.execute(select(days.day, days.is_workday)).all()
    overrides = HolidayOverrides(
        holidays=frozenset(day for day, workday in rows if not workday),
        workdays=frozenset(day for day, workday in rows if workday),
    )
    calendar = WorkCalendar(overrides)
    uow.cache["calendar"] = calendar
    return calendar
