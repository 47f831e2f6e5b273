"""The audit log as a person reads it: who (name and username), what record (its Chinese kind and its
number or title), and what changed (“字段：旧值 → 新值”, with Chinese field labels and values).

Entries store codes (roles, states, ids) so that they stay true when names change; the names are looked up
when the log is shown, a page at a time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.core.errors import GovDeskError
from app.core.roles import ROLE_LABELS, Role
from app.core.workflow import DEFAULT_FLOWS
from app.core.workflow.engine import Flow
from app.db.tables import units, users, workflow_instances
from app.services.kernel.uow import UnitOfWork

ENTITY_LABELS: dict[str, str] = {
    "user": "用户",
    "unit": "单位",
    "document": "公文",
    "claim": "报销单",
    "attachment": "附件",
    "budget": "预算",
    "flow": "流程",
    "settings": "系统设置",
    "holiday": "节假日",
    "database": "数据库",
    "document_error": "差错记录",
    "item": "事项",
    "audit_log": "审计日志",
    "delegation": "委托代办",
    "info_group": "信息组",
    "info_issue": "《政务信息》",
    "study_term": "学习安排",
    "study_session": "学习记录",
}

FIELD_LABELS: dict[str, str] = {
    # people and units
    "username": "用户名", "full_name": "姓名", "roles": "角色", "unit_id": "单位", "title": "标题",
    "is_principal": "主要负责人", "rank_order": "排序", "phone": "电话", "active": "启用", "name": "名称",
    "kind": "类别", "short_name": "简称", "parent_id": "上级单位", "head_user_id": "负责人", "sort_order": "排序",
    # logins
    "reason": "原因", "left": "剩余次数", "minutes": "锁定分钟",
    # flows
    "action": "操作", "state": "环节", "opinion": "意见", "flow": "流程", "version": "版本", "steps": "环节",
    # documents
    "direction": "类别", "doc_type": "文种", "urgency": "缓急", "secrecy": "密级", "disclosure": "公开属性",
    "disclosure_reason": "不予公开理由", "important": "重要文件", "main_recipients": "主送", "copy_recipients": "抄送",
    "prefix": "机关代字", "remark": "备注", "cosigners": "会签单位", "source_unit": "来文单位",
    "source_number": "来文字号", "doc_number": "发文字号", "receipt_number": "收文编号", "readers": "传阅人",
    "reader": "阅文人", "units": "分发单位", "copies": "份数", "unit": "单位", "received_by": "签收人",
    "archive_code": "档号", "pages": "页数", "recipient": "答复对象", "content": "内容", "replied_by": "答复人",
    "agreed": "是否同意", "given_by": "意见提出人", "basis": "依据", "on_behalf": "代为登记",
    "document": "公文", "person": "责任人", "drafting_unit_id": "拟稿单位", "main": "主办单位", "co": "协办单位",
    "deadline": "办理时限", "provisional": "时限待国务院公布", "replied_at": "答复时间",
    "signer": "签发人", "signed_at": "原签发时间",
    # the worklist: 送… a named person, 撤回, 代理/委托
    "send_to": "送交", "on_behalf_of": "代谁办理", "withdrawn": "撤回的操作", "principal": "委托人",
    "delegate": "代理人", "from": "开始日期", "to": "结束日期", "period": "委托期间",
    # claims and budgets
    "total": "合计（元）", "lines": "明细行数", "paid_on": "付款日期", "method": "方式", "year": "年度",
    "category": "费用类别", "amount": "金额（元）",
    # attachments, holidays, backups, urges
    "owner": "所属", "filename": "文件名", "size": "大小", "replaced_by": "替换为", "file": "文件", "day": "日期",
    "is_workday": "调休上班", "note": "说明", "demo": "演示数据",
    # audit anchors
    "seq": "锚定到第几条记录", "fingerprint": "密钥指纹",
    # prints (app.forms): the form, what period a register or notice covers, and where it was asked for
    "form": "表单", "date_from": "起始日期", "date_to": "截止日期", "quarter": "季度", "retention": "保管期限",
    "count": "件数", "via": "途径", "account": "本机账户",
}

FIELD_ORDER = {key: position for position, key in enumerate(FIELD_LABELS)}

ACTION_LABELS: dict[str, str] = {
    "login": "登录成功",
    "login_failed": "登录失败",
    "login_locked": "账户锁定",
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "transition": "流程办理",
    "view_unmasked": "查看未遮蔽信息",
    "view_restricted": "查看不予公开公文",
    "download": "打开或另存文件",
    "password_reset": "重置密码",
    "password_change": "修改密码",
    "lock": "锁定账户",
    "unlock": "解锁账户",
    "restore": "恢复备份",
    "backup": "备份数据",
    "urge": "催办",
    "number": "编号",
    "circulate": "传阅",
    "read": "阅文",
    "recall": "收回传阅",
    "reply": "答复来文单位",
    "distribute": "分发",
    "receipt": "签收分发件",
    "cosign": "会签意见",
    "return_to_signer": "退回签发人",
    "archive": "归档",
    "pay": "付款",
    "assign": "交办",
    "audit_anchor": "生成锚点",
    "print": "打印表单",
    "withdraw": "撤回",
    "take_back": "撤回",
    "delegate": "设置委托",
    "revoke_delegation": "撤销委托",
}

REASONS = {
    "wrong_password": "密码错误",
    "unknown_or_inactive": "用户不存在或已停用",
    "locked": "账户锁定中",
    "locked_by_admin": "管理员已锁定",
}
DIRECTIONS = {"out": "发文", "in": "收文"}
# Where a print was asked for (app.forms.PrintContext.via); a print in the program records none.
PRINTED_VIA = {"cli": "命令行"}
# Ids and digests that mean nothing to a reader, and an attachment's owner: the record they point at is
# named in 对象.
HIDDEN_KEYS = frozenset({"instance", "sha256", "owner", "form_title"})
# Lists that are values, not [old, new] pairs, even with two items.
PLAIN_LISTS = frozenset({"steps", "readers", "units", "cosigners", "co"})
UNIT_KEYS = frozenset({"unit_id", "parent_id", "drafting_unit_id"})
USER_KEYS = frozenset({"head_user_id"})
EMPTY = "（空）"
# Between the changes of one entry.
SEPARATOR = "；"


@dataclass
class Names:
    """What a page of entries points at, read in a few queries."""

    users: dict[int, tuple[str, str]] = field(default_factory=dict)
    units: dict[int, str] = field(default_factory=dict)
    documents: dict[int, str] = field(default_factory=dict)
    claims: dict[int, str] = field(default_factory=dict)
    # instance id -> (flow key, flow version, title)
    instances: dict[int, tuple[str, int, str]] = field(default_factory=dict)
    flows: dict[tuple[str, int], Flow | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """What the viewer needs of one stored entry."""

    user_id: int | None
    username: str
    action: str
    entity_type: str
    entity_id: int | None
    detail: Mapping[str, Any]


def _ints(values: Iterable[object]) -> set[int]:
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}


def _detail_ids(entries: Sequence[Entry], keys: frozenset[str]) -> set[int]:
    found: set[int] = set()
    for entry in entries:
        for key, value in entry.detail.items():
            if key in keys:
                found |= _ints(value if isinstance(value, list) else [value])
            if key in ("before", "after") and isinstance(value, dict):
                found |= _ints(v for k, v in value.items() if k in keys)
    return found


def _owner(value: object) -> tuple[str, int] | None:
    if isinstance(value, str) and ":" in value:
        kind, _, ident = value.partition(":")
        if ident.isdigit():
            return kind, int(ident)
    return None


def load_names(uow: UnitOfWork, entries: Sequence[Entry]) -> Names:
    names = Names()
    user_ids = {e.user_id for e in entries if e.user_id is not None}
    user_ids |= {e.entity_id for e in entries if e.entity_type == "user" and e.entity_id is not None}
    user_ids |= _detail_ids(entries, USER_KEYS)
    if user_ids:
        for row in uow.execute(select(users.c.id, users.c.full_name, users.c.username).where(users.c.id.in_(user_ids))):
            names.users[row.id] = (row.full_name, row.username)
    unit_ids = {e.entity_id for e in entries if e.entity_type == "unit" and e.entity_id is not None}
    unit_ids |= _detail_ids(entries, UNIT_KEYS)
    if unit_ids:
        for row in uow.execute(select(units.c.id, units.c.name).where(units.c.id.in_(unit_ids))):
            names.units[row.id] = row.name
    owners = [_owner(e.detail.get("owner")) for e in entries]
    document_ids = {e.entity_id for e in entries if e.entity_type == "document" and e.entity_id is not None}
    document_ids |= _ints(e.detail.get("document") for e in entries if e.entity_type == "document_error")
    document_ids |= {o[1] for o in owners if o is not None and o[0] == "document"}
    claim_ids = {e.entity_id for e in entries if e.entity_type == "claim" and e.entity_id is not None}
    claim_ids |= {o[1] for o in owners if o is not None and o[0] == "claim"}
    if document_ids or claim_ids:
        # The record tables are the ORM's; the viewer is an administrator's page, never on the start's path.
        from app.models import Claim, Document

        if document_ids:
            docs = uow.execute(
                select(Document.id, Document.direction, Document.doc_number, Document.receipt_number, Document.title)
                .where(Document.id.in_(document_ids))
            )
            for row in docs:
                number = row.doc_number if row.direction == "out" else row.receipt_number
                kind = DIRECTIONS.get(row.direction, "公文")
                names.documents[row.id] = f"{kind} {number}《{row.title}》" if number else f"{kind}《{row.title}》"
        if claim_ids:
            for row in uow.execute(select(Claim.id, Claim.number, Claim.title).where(Claim.id.in_(claim_ids))):
                names.claims[row.id] = f"报销单 {row.number}（{row.title}）"
    instance_ids = _ints(e.detail.get("instance") for e in entries)
    instance_ids |= {
        e.entity_id for e in entries
        if e.entity_id is not None and (e.entity_type not in ENTITY_LABELS or e.entity_type == "item")
    }
    if instance_ids:
        wi = workflow_instances.c
        for row in uow.execute(select(wi.id, wi.flow_key, wi.flow_version, wi.title).where(wi.id.in_(instance_ids))):
            names.instances[row.id] = (row.flow_key, row.flow_version, row.title)
    for key, version, _title in names.instances.values():
        if (key, version) not in names.flows:
            names.flows[key, version] = _flow(uow, key, version)
    return names


def _flow(uow: UnitOfWork, key: str, version: int) -> Flow | None:
    from app.services.workflow import moves as workflow

    try:
        return workflow.flow_for(uow, key, version)
    except GovDeskError:
        return DEFAULT_FLOWS.get(key)


# ----- who and what ------------------------------------------------------------------------------------------
def who(entry: Entry, names: Names) -> str:
    """张文秘（clerk）; a name typed at a failed login as it was typed."""
    if entry.user_id is not None and entry.user_id in names.users:
        full_name, username = names.users[entry.user_id]
        return f"{full_name}（{username}）"
    if entry.username == "system":
        return "系统"
    return entry.username or "—"


def _document(names: Names, ident: int | None) -> str:
    if ident is None:
        return "公文"
    return names.documents.get(ident, f"公文（已删除，编号{ident}）")


def subject(entry: Entry, names: Names) -> str:
    """The record an entry is about, by its Chinese kind and its number, title or name."""
    kind, ident, detail = entry.entity_type, entry.entity_id, entry.detail
    if kind == "user":
        if ident is not None and ident in names.users:
            return f"用户 {names.users[ident][0]}"
        return f"用户 {detail.get('full_name') or detail.get('username') or entry.username}"
    if kind == "unit":
        return f"单位 {names.units.get(ident, str(detail.get('name', ''))) if ident is not None else ''}".strip()
    if kind == "document":
        return _document(names, ident)
    if kind == "claim":
        return names.claims.get(ident, f"报销单（已删除，编号{ident}）") if ident is not None else "报销单"
    if kind == "attachment":
        owner = _owner(detail.get("owner"))
        where = ""
        if owner is not None:
            where = f"（{_document(names, owner[1]) if owner[0] == 'document' else names.claims.get(owner[1], '')}）"
        return f"附件 {detail.get('filename', '')}{where}".strip()
    if kind == "budget":
        unit = detail.get("unit") or names.units.get(detail.get("unit_id") or 0, "")
        return f"预算 {detail.get('year', '')}年 {unit} {detail.get('category', '')}".strip()
    if kind == "flow":
        flow = DEFAULT_FLOWS.get(str(detail.get("flow", "")))
        return f"{flow.label if flow else '流程'} 第{detail.get('version', ident)}版"
    if kind == "holiday":
        return f"节假日 {detail.get('day', '')}".strip()
    if kind == "document_error":
        return f"差错记录（{_document(names, detail.get('document'))}）"
    if kind in ("settings", "database"):
        return ENTITY_LABELS[kind]
    if ident is not None and ident in names.instances:
        key, version, title = names.instances[ident]
        flow = names.flows.get((key, version))
        return f"{flow.label if flow else ENTITY_LABELS.get(kind, kind)}《{title}》"
    label = ENTITY_LABELS.get(kind, kind)
    return f"{label} {ident}" if ident is not None else label


# ----- what changed ------------------------------------------------------------------------------------------
def _flow_of(entry: Entry, names: Names) -> Flow | None:
    ident = entry.detail.get("instance")
    if not isinstance(ident, int):
        ident = entry.entity_id
    if isinstance(ident, int) and ident in names.instances:
        key, version, _title = names.instances[ident]
        return names.flows.get((key, version))
    return None


def _step_label(flow: Flow | None, key: object) -> str:
    if flow is not None and isinstance(key, str) and flow.has_step(key):
        return flow.step(key).label
    return _plain(key)


def _action_label(flow: Flow | None, key: object) -> str:
    if flow is not None:
        for transition in flow.transitions:
            if transition.action == key:
                return transition.label
    return ACTION_LABELS.get(str(key), _plain(key))


def _size(value: object) -> str:
    if not isinstance(value, int):
        return _plain(value)
    if value < 1024:
        return f"{value} 字节"
    if value < 1024 * 1024:
        return f"{value / 1024:.1f} KB"
    return f"{value / 1024 / 1024:.1f} MB"


def _plain(value: object) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k}={_plain(v)}" for k, v in value.items())
    return str(value)


def _value(key: str, value: object, entry: Entry, names: Names, flow: Flow | None) -> str:
    if key == "roles" and isinstance(value, list):
        return "、".join(ROLE_LABELS[Role(v)] if v in Role._value2member_map_ else str(v) for v in value) or EMPTY
    if key in UNIT_KEYS and isinstance(value, int):
        return names.units.get(value, f"（已删除的单位{value}）")
    if key in USER_KEYS and isinstance(value, int):
        return names.users.get(value, (f"（已删除的用户{value}）", ""))[0]
    if key == "state":
        return _step_label(flow, value)
    if key in ("action", "withdrawn"):
        return _action_label(flow, value)
    if key == "reason":
        return REASONS.get(str(value), _plain(value))
    if key == "kind" and entry.entity_type == "unit":
        from app.models.org import UNIT_KINDS

        return UNIT_KINDS.get(str(value), _plain(value))
    if key == "direction":
        return DIRECTIONS.get(str(value), _plain(value))
    if key == "flow":
        known = DEFAULT_FLOWS.get(str(value))
        return known.label if known else _plain(value)
    if key == "agreed" and isinstance(value, bool):
        return "同意" if value else "不同意"
    if key == "size":
        return _size(value)
    if key == "document" and isinstance(value, int):
        return _document(names, value)
    if entry.action == "print":
        return _print_value(key, value, entry)
    return _plain(value)


def _print_value(key: str, value: object, entry: Entry) -> str:
    """A print's form by its title (stored beside its name, which `govdesk print` takes), its 保管期限 and 途径."""
    if key == "form":
        return _plain(entry.detail.get("form_title") or value)
    if key == "retention" and isinstance(value, str):
        from app.core.archives import RETENTIONS

        return RETENTIONS.get(value, value)
    if key == "via":
        return PRINTED_VIA.get(str(value), _plain(value))
    return _plain(value)


def _label(key: str, entry: Entry) -> str:
    if entry.entity_type == "settings":
        from app.services.kernel.settings import SETTINGS

        if key in SETTINGS:
            return SETTINGS[key].label
    return FIELD_LABELS.get(key, key)


def _is_change(key: str, value: object) -> bool:
    if not isinstance(value, list) or len(value) != 2 or key in PLAIN_LISTS:
        return False
    if key == "roles":
        return all(isinstance(v, list) for v in value)
    return True


def describe(entry: Entry, names: Names) -> str:
    """字段：旧值 → 新值；字段：值, what says nothing left out."""
    flow = _flow_of(entry, names)
    parts: list[str] = []
    detail = dict(entry.detail)
    before, after = detail.pop("before", None), detail.pop("after", None)
    if isinstance(before, dict) and isinstance(after, dict):
        # An edit that recorded the record's facts before and after: each that changed, as one change.
        for key in [*before, *(k for k in after if k not in before)]:
            if before.get(key) != after.get(key):
                detail[key] = [before.get(key), after.get(key)]
    # Entries are stored with sorted keys; they read in the order of FIELD_LABELS (what was done, then how).
    for key, value in sorted(detail.items(), key=lambda item: FIELD_ORDER.get(item[0], len(FIELD_ORDER))):
        if key in HIDDEN_KEYS or value in ("", None, [], {}):
            continue
        label = _label(key, entry)
        if _is_change(key, value):
            assert isinstance(value, list)
            old, new = (_value(key, v, entry, names, flow) for v in value)
            parts.append(f"{label}：{old} → {new}")
        else:
            parts.append(f"{label}：{_value(key, value, entry, names, flow)}")
    return SEPARATOR.join(parts)


__all__ = ["ACTION_LABELS", "Entry", "Names", "describe", "load_names", "subject", "who"]
