"""A 信息台账 as the office keeps it in Excel, for the import's tests: a whole year of the 8 groups' items, 18 issues of
《政务信息》, 52 adoptions earning 216 points (32 市级, 16 省级, 4 国家级) and 10 research articles. No tests live here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta

from app.core.information.ledger_sheet import COLUMNS

YEAR = 2025
GROUPS: tuple[str, ...] = tuple(f"第{n}信息组" for n in "一二三四五六七八")
# Who writes in each group of build_information_office: the first two groups' members, others by name only.
AUTHORS: dict[str, tuple[str, ...]] = {
    "第一信息组": ("张文秘", "孙接待"),
    "第二信息组": ("赵文秘", "钱会计"),
}
ISSUES = 18
PER_ISSUE = 6
FILED = 40
ARTICLES = 10
# 32 × 3 + 16 × 5 + 4 × 10 = 216.
LEVEL_COUNTS: tuple[tuple[str, int], ...] = (("市级", 32), ("省级", 16), ("国家级", 4))
BODIES: dict[str, str] = {"市级": "市政府办公室", "省级": "省政府办公厅", "国家级": "国务院办公厅"}
ADOPTIONS = sum(count for _level, count in LEVEL_COUNTS)
POINTS = 216
ITEMS = ISSUES * PER_ISSUE + FILED

TOPICS: tuple[str, ...] = (
    "农村公路提质改造", "高标准农田建设", "义务教育学校改薄", "城乡医保参保扩面", "营商环境优化", "农村人居环境整治",
    "重点项目建设", "安全生产大检查", "森林防火", "秸秆禁烧", "消费帮扶", "就业创业服务",
)


def _author(group: str, n: int) -> str:
    names = AUTHORS.get(group)
    return names[n % len(names)] if names else f"{group[1]}组通讯员{n % 3 + 1}"


def year_ledger(year: int = YEAR) -> list[list[object]]:
    """The year's rows in COLUMNS order: 108 items in 18 issues, 40 filed, 10 articles; 52 items adopted."""
    levels = [level for level, count in LEVEL_COUNTS for _ in range(count)]
    rows: list[list[object]] = []
    n = 0
    for issue in range(1, ISSUES + 1):
        start = date(year, 1, 6) + timedelta(days=(issue - 1) * 19)
        for k in range(PER_ISSUE):
            group = GROUPS[n % len(GROUPS)]
            day = start + timedelta(days=k % 4)
            # Dates as Excel keeps them (a date cell) and as people type them (text): both are read.
            cell: object = day if n % 3 else f"{day.year}年{day.month}月{day.day}日"
            rows.append([f"我县{TOPICS[n % len(TOPICS)]}工作动态（{n + 1}）", group, _author(group, n), cell, "信息",
                         issue if n % 2 else f"第{issue}期", "", "", ""])
            n += 1
    for k in range(FILED):
        group = GROUPS[n % len(GROUPS)]
        day = date(year, 1, 8) + timedelta(days=k * 8)
        rows.append([f"{TOPICS[k % len(TOPICS)]}简讯（{n + 1}）", group, _author(group, n), day.isoformat(), "", "", "",
                     "", ""])
        n += 1
    for k in range(ARTICLES):
        group = GROUPS[k % len(GROUPS)]
        day = date(year, 3 + k, 10)
        rows.append([f"关于{TOPICS[k]}的调研报告", group, _author(group, k), day, "调研文章", "", "", "", ""])
    # The adoptions: every other compiled item, then filed ones, until all 52 are placed.
    adopted = [i for i in range(ISSUES * PER_ISSUE) if i % 2 == 0] + list(range(ISSUES * PER_ISSUE, ITEMS))
    for index, level in zip(adopted, levels, strict=False):
        row = rows[index]
        submitted = row[3] if isinstance(row[3], date) else _date_of(row[3])
        row[6], row[7], row[8] = BODIES[level], level, submitted + timedelta(days=7)
    return rows


def _date_of(value: object) -> date:
    text = str(value)
    if "年" in text:
        y, rest = text.split("年")
        m, d = rest.rstrip("日").split("月")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(text)


def ledger_bytes(rows: Sequence[Sequence[object]], header: Sequence[object] = COLUMNS,
                 above: Sequence[Sequence[object]] = ()) -> bytes:
    """An .xlsx workbook of one sheet (rows ``above`` the header, such as a title), written as Excel saves it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "信息台账"
    for row in (*above, header, *rows):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def swell(data: bytes, marker: str, text: str) -> bytes:
    """The workbook with the cell holding ``marker`` made to hold ``text`` instead, however long: Excel and openpyxl
    stop a cell at 32767 characters, a hostile file need not."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info).replace(marker.encode(), text.encode()))
    return out.getvalue()


def one_row(**cells: object) -> list[object]:
    """A good row (the template's example, 2026), with some cells changed by column name."""
    values: dict[str, object] = {
        "标题": "我县农村公路提质改造取得新进展", "报送组": "第一信息组", "作者": "张文秘", "报送日期": "2026-03-05",
        "类型": "信息", "编入期号": "", "采用单位": "", "采用层级": "", "采用日期": "",
    }
    values.update(cells)
    return [values[name] for name in COLUMNS]


__all__ = ["ADOPTIONS", "ARTICLES", "ISSUES", "ITEMS", "POINTS", "YEAR", "ledger_bytes", "one_row", "swell", "year_ledger"]
