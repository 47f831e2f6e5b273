"""Demo data, the office itself: the county, its units and its people, with names that read like a real
office's, and the accounts the summary offers for each role. Every area's demo builds on this.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import Protocol

from sqlalchemy import select

from app.core.roles import ROLE_LABELS, Role
from app.models import Unit, User, UserRole
from app.services.admin import unit_groups
from app.services.admin.passwords import hash_password
from app.services.kernel.actor import SYSTEM_ACTOR, Actor
from app.services.kernel.uow import UnitOfWork


class AppContext(Protocol):
    """What the demo needs of app.bootstrap.AppContext, which services may not import (layer rule)."""

    def uow(self) -> UnitOfWork: ...


DEMO_PASSWORD = "govdesk123"
COUNTY = "青山县"
CITY = "江州市"
OFFICE_NAME = f"{COUNTY}人民政府办公室"

# The office works in China Standard Time, which has no daylight saving.
CST = timezone(timedelta(hours=8))

# ----- names --------------------------------------------------------------------------------------

# Surnames and given-name characters with pinyin, so user names read like real office logins.
SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
    ("彭", "peng"),
    ("曾", "zeng"),
    ("肖", "xiao"),
    ("田", "tian"),
    ("董", "dong"),
    ("袁", "yuan"),
    ("潘", "pan"),
    ("蒋", "jiang"),
    ("蔡", "cai"),
    ("余", "yu"),
    ("杜", "du"),
    ("叶", "ye"),
    ("程", "cheng"),
    ("魏", "wei"),
    ("苏", "su"),
    ("吕", "lv"),
    ("丁", "ding"),
    ("任", "ren"),
    ("沈", "shen"),
)
GIVEN_CHARS: tuple[tuple[str, str], ...] = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀", "xiu"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("英", "ying"),
    ("华", "hua"),
    ("建", "jian"),
    ("国", "guo"),
    ("文", "wen"),
    ("志", "zhi"),
    ("红", "hong"),
    ("玲", "ling"),
    ("斌", "bin"),
    ("辉", "hui"),
    ("鹏", "peng"),
    ("宇", "yu"),
    ("晓", "xiao"),
    ("婷", "ting"),
    ("雪", "xue"),
    ("琳", "lin"),
    ("浩", "hao"),
    ("凯", "kai"),
    ("健", "jian"),
    ("波", "bo"),
    ("海", "hai"),
    ("峰", "feng"),
    ("春", "chun"),
    ("燕", "yan"),
    ("亮", "liang"),
    ("萍", "ping"),
    ("云", "yun"),
    ("东", "dong"),
    ("兴", "xing"),
    ("德", "de"),
    ("荣", "rong"),
    ("成", "cheng"),
    ("永", "yong"),
    ("庆", "qing"),
    ("清", "qing"),
    ("君", "jun"),
    ("慧", "hui"),
    ("立", "li"),
    ("新", "xin"),
)


def random_person(rng: random.Random) -> tuple[str, str]:
    """A Chinese full name and its pinyin (for a login name): one surname, one or two given characters."""
    surname, surname_py = rng.choice(SURNAMES)
    count = 1 if rng.random() < 0.3 else 2
    chars = [rng.choice(GIVEN_CHARS) for _ in range(count)]
    return surname + "".join(c for c, _ in chars), surname_py + "".join(p for _, p in chars)


def random_mobile(rng: random.Random) -> str:
    prefix = rng.choice(("135", "136", "138", "139", "150", "152", "158", "177", "180", "187", "189", "199"))
    return prefix + "".join(rng.choice("0123456789") for _ in range(8))


# ----- the organisation ---------------------------------------------------------------------------

SECTIONS: tuple[str, ...] = ("秘书股", "综合股", "督查室", "信息科", "财务室", "信访室")

DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("县发展和改革局", "县发改局"),
    ("县教育局", "县教育局"),
    ("县科学技术和工业信息化局", "县科工信局"),
    ("县公安局", "县公安局"),
    ("县民政局", "县民政局"),
    ("县司法局", "县司法局"),
    ("县财政局", "县财政局"),
    ("县人力资源和社会保障局", "县人社局"),
    ("县自然资源局", "县自然资源局"),
    ("县住房和城乡建设局", "县住建局"),
    ("县交通运输局", "县交通运输局"),
    ("县水利局", "县水利局"),
    ("县农业农村局", "县农业农村局"),
    ("县商务局", "县商务局"),
    ("县文化广电和旅游局", "县文广旅局"),
    ("县卫生健康局", "县卫健局"),
    ("县退役军人事务局", "县退役军人事务局"),
    ("县应急管理局", "县应急管理局"),
    ("县审计局", "县审计局"),
    ("县市场监督管理局", "县市场监管局"),
    ("县统计局", "县统计局"),
    ("县医疗保障局", "县医保局"),
)

TOWNSHIPS: tuple[str, ...] = (
    "城关镇",
    "青山镇",
    "石桥镇",
    "白沙镇",
    "龙泉镇",
    "河口镇",
    "柳树乡",
    "双河乡",
    "松林乡",
    "红岩乡",
    "高坪乡",
    "大湾乡",
)

# Units that have a liaison (部门联络员) in the demo: the ones the office deals with most.
_LIAISON_UNITS: tuple[str, ...] = (
    "县发展和改革局",
    "县教育局",
    "县财政局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县农业农村局",
    "县卫生健康局",
    "县退役军人事务局",
    "县应急管理局",
    "城关镇",
    "青山镇",
)

_LEADERS_UNIT = f"{COUNTY}人民政府"


@dataclass(frozen=True)
class _StaffSpec:
    roles: tuple[Role, ...]
    unit: str
    title: str
    rank_order: int = 100
    is_principal: bool = False
    heads_unit: bool = False
    fixed_username: str | None = None


# The office as the seed describes it: a director, deputy directors leading the writing groups,
# the writing staff spread over the sections, petition reception, finance; and the county leaders.
_STAFF: tuple[_StaffSpec, ...] = (
    _StaffSpec((Role.ADMIN,), "信息科", "网络管理员", 60, fixed_username="admin"),
    _StaffSpec((Role.DIRECTOR,), OFFICE_NAME, "县政府办公室主任", 10, is_principal=True, heads_unit=True),
    _StaffSpec((Role.DEPUTY_DIRECTOR,), OFFICE_NAME, "县政府办公室副主任", 11),
    _StaffSpec((Role.DEPUTY_DIRECTOR,), OFFICE_NAME, "县政府办公室副主任", 12),
    _StaffSpec((Role.SECRETARY,), "秘书股", "秘书股股长", 20, heads_unit=True),
    _StaffSpec((Role.SECRETARY,), "秘书股", "秘书股副股长", 30),
    _StaffSpec((Role.SECRETARY,), "秘书股", "科员", 40),
    _StaffSpec((Role.SECRETARY,), "秘书股", "科员", 40),
    _StaffSpec((Role.SECRETARY,), "综合股", "综合股股长", 20, heads_unit=True),
    _StaffSpec((Role.SECRETARY,), "综合股", "科员", 40),
    _StaffSpec((Role.SECRETARY,), "督查室", "督查室主任", 20, heads_unit=True),
    _StaffSpec((Role.SECRETARY,), "督查室", "科员", 40),
    _StaffSpec((Role.SECRETARY,), "信息科", "信息科科长", 20, heads_unit=True),
    _StaffSpec((Role.SECRETARY,), "信息科", "科员", 40),
    _StaffSpec((Role.PETITION_OFFICER,), "信访室", "信访室主任", 20, heads_unit=True),
    _StaffSpec((Role.PETITION_OFFICER,), "信访室", "科员", 40),
    _StaffSpec((Role.FINANCE,), "财务室", "会计", 20, heads_unit=True),
    _StaffSpec((Role.CASHIER,), "财务室", "出纳", 40),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "县长", 1, is_principal=True, heads_unit=True),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "常务副县长", 2),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "副县长", 3),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "副县长", 4),
    _StaffSpec((Role.COUNTY_LEADER,), _LEADERS_UNIT, "副县长", 5),
    *(
        _StaffSpec((Role.LIAISON,), name, "党政办主任" if name.endswith(("镇", "乡")) else "办公室主任", 80)
        for name in _LIAISON_UNITS
    ),
)


# ----- the accounts offered ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    role_label: str
    username: str
    full_name: str
    title: str



# ----- building the organisation ------------------------------------------------------------------


@dataclass
class Org:
    units: dict[str, Unit]
    users: list[Actor]
    heads: dict[int, int]
    admin: Actor
    accounts: list[DemoAccount]

    def with_role(self, role: Role) -> list[Actor]:
        return [a for a in self.users if role.value in a.roles]

    def unit_name(self, unit_id: int | None) -> str:
        for name, unit in self.units.items():
            if unit.id == unit_id:
                return unit.short_name or name
        return ""


def create_org(ctx: AppContext, rng: random.Random) -> Org:
    password_hash = hash_password(DEMO_PASSWORD)  # argon2 costs ~0.1 s: hash once, share it.
    system = SYSTEM_ACTOR
    with ctx.uow() as uow:
        session = uow.session
        taken = set(session.execute(select(User.username)).scalars())
        units: dict[str, Unit] = {}

        def add_unit(name: str, short: str, kind: str, parent: Unit | None, order: int) -> Unit:
            unit = Unit(
                name=name,
                short_name=short,
                kind=kind,
                parent_id=parent.id if parent else None,
                sort_order=order,
            )
            session.add(unit)
            uow.flush()
            uow.record(
                system.id,
                system.username,
                "create",
                "unit",
                unit.id,
                {"name": name, "kind": kind, "parent_id": unit.parent_id, "demo": True},
                change_op="create",
            )
            units[name] = unit
            return unit

        root = add_unit(_LEADERS_UNIT, "县政府", "leadership", None, 0)
        office = add_unit(OFFICE_NAME, "县政府办", "department", root, 1)
        for i, name in enumerate(SECTIONS, start=1):
            add_unit(name, name, "section", office, i)
        for i, (name, short) in enumerate(DEPARTMENTS, start=1):
            add_unit(name, short, "department", root, 100 + i)
        for i, name in enumerate(TOWNSHIPS, start=1):
            add_unit(name, name, "township", root, 200 + i)

        used_names: set[str] = set()
        created: list[tuple[_StaffSpec, User]] = []
        for spec in _STAFF:
            full_name, pinyin = random_person(rng)
            while full_name in used_names:
                full_name, pinyin = random_person(rng)
            used_names.add(full_name)
            username = spec.fixed_username or pinyin
            if username in taken:
                # A first administrator may already exist; the demo never touches that account.
                base = username if spec.fixed_username is None else f"demo_{username}"
                username, n = base, 2
                while username in taken:
                    username, n = f"{base}{n}", n + 1
            taken.add(username)
            user = User(
                username=username,
                full_name=full_name,
                password_hash=password_hash,
                unit_id=units[spec.unit].id,
                title=spec.title,
                is_principal=spec.is_principal,
                rank_order=spec.rank_order,
                phone=random_mobile(rng),
                role_links=[UserRole(role_code=r.value) for r in spec.roles],
            )
            session.add(user)
            created.append((spec, user))
        uow.flush()

        heads: dict[int, int] = {}
        for spec, user in created:
            uow.record(
                system.id,
                system.username,
                "create",
                "user",
                user.id,
                {
                    "username": user.username,
                    "full_name": user.full_name,
                    "roles": [r.value for r in spec.roles],
                    "unit_id": user.unit_id,
                    "demo": True,
                },
                change_op="create",
            )
            if spec.heads_unit:
                unit = units[spec.unit]
                unit.head_user_id = user.id
                heads[unit.id] = user.id
                uow.record(
                    system.id,
                    system.username,
                    "update",
                    "unit",
                    unit.id,
                    {"head_user_id": [None, user.id]},
                    change_op="update",
                )
        uow.flush()

        actors = [
            Actor(
                id=user.id,
                username=user.username,
                full_name=user.full_name,
                roles=frozenset(r.value for r in spec.roles),
                unit_id=user.unit_id,
                is_principal=user.is_principal,
            )
            for spec, user in created
        ]
        accounts: list[DemoAccount] = []
        seen_roles: set[Role] = set()
        for spec, user in created:
            role = spec.roles[0]
            if role not in seen_roles:
                seen_roles.add(role)
                accounts.append(DemoAccount(ROLE_LABELS[role], user.username, user.full_name, spec.title))
        uow.commit()
    with ctx.uow() as uow:
        # 分发组 of the units just made: every unit picker offers 全部乡镇 and 全部县直部门.
        unit_groups.make_default_groups(uow, system)

    admin = next(a for a in actors if Role.ADMIN.value in a.roles)
    return Org(units=units, users=actors, heads=heads, admin=admin, accounts=accounts)
