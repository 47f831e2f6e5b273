"""The office's roles. Codes are stored in the database; labels are what users read."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    DIRECTOR = "director"
    DEPUTY_DIRECTOR = "deputy_director"
    SECRETARY = "secretary"
    PETITION_OFFICER = "petition_officer"
    FINANCE = "finance"
    CASHIER = "cashier"
    COUNTY_LEADER = "county_leader"
    LIAISON = "liaison"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "系统管理员",
    Role.DIRECTOR: "办公室主任",
    Role.DEPUTY_DIRECTOR: "副主任",
    Role.SECRETARY: "文秘人员",
    Role.PETITION_OFFICER: "信访接待员",
    Role.FINANCE: "财务人员",
    Role.CASHIER: "出纳",
    Role.COUNTY_LEADER: "县领导",
    Role.LIAISON: "部门联络员",
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.ADMIN: "管理用户、单位、角色、系统设置和数据备份",
    Role.DIRECTOR: "办公室主要负责人，审核、审批办公室各项工作",
    Role.DEPUTY_DIRECTOR: "联系信息组，审核公文和督办事项",
    Role.SECRETARY: "拟稿、登记、编发信息、跟踪督办",
    Role.PETITION_OFFICER: "登记和处理来信来访来电",
    Role.FINANCE: "审核报销单据",
    Role.CASHIER: "付款和记账",
    Role.COUNTY_LEADER: "签发公文、批示文件、审批报销",
    Role.LIAISON: "代表本单位签收、承办和反馈",
}

# Roles that may see petitioners' ID numbers and phones unmasked.
PETITION_HANDLING_ROLES: frozenset[Role] = frozenset(
    {Role.PETITION_OFFICER, Role.DIRECTOR, Role.DEPUTY_DIRECTOR}
)


def role_from_label(text: str) -> Role:
    """Accepts a role code or its Chinese label, as typed on the command line."""
    from app.core.errors import ValidationError

    cleaned = text.strip()
    for role in Role:
        if cleaned in (role.value, role.label):
            return role
    known = "、".join(r.label for r in Role)
    raise ValidationError(f"没有“{cleaned}”这个角色，可选：{known}", field="roles")


def describe_roles(codes: frozenset[str] | set[str]) -> str:
    """Role labels in the office's usual order, e.g. 文秘人员、信访接待员."""
    return "、".join(role.label for role in Role if role.value in codes) or "无角色"
