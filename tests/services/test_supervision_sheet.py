"""The 目标任务分解表 import (app.services.supervision.sheet): a good sheet makes every item; a sheet with any bad
row writes nothing and names every bad row with its row number; a hostile file is refused in Chinese saying
what to do. Sheets are written with openpyxl here, as Excel saves them; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.core.supervision.ledger_sheet import SheetProblems
from app.models import AuditEntry, WorkflowInstance
from app.models.supervision import SupervisionItem
from app.services.kernel.sheets import MAX_UNPACKED_BYTES
from app.services.supervision import ledger, sheet
from tests.helpers.document_office import TODAY, Office, build_office
from tests.helpers.supervision_office import SHEET_HEADER, sheet_bytes

GOOD_ROWS: list[list[object]] = [
    [1, "政府工作报告", "农村公路提质改造", "完成100公里", "县财政局", "县教育局、城关镇", "赵文秘", "重点督办",
     datetime(2026, 12, 31)],
    [2, "市交办", "城区停车位建设", "新增车位500个", "城关镇", "", "", "定期", "2027年3月31日"],
    [3, "领导批示", "校园周边交通整治", "", "县教育局", "县财政局", "王主任", "马上督办", date(2026, 12, 15)],
]


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _written(ctx: AppContext) -> tuple[int, int, int]:
    """Items, flow instances and audit rows: what a refused import must leave as they were."""
    with ctx.uow() as uow:
        s = uow.session
        return (
            s.execute(select(func.count()).select_from(SupervisionItem)).scalar_one(),
            s.execute(select(func.count()).select_from(WorkflowInstance)).scalar_one(),
            s.execute(select(func.count()).select_from(AuditEntry)).scalar_one(),
        )


def _import(o: Office, data: bytes, filename: str = "2026年目标任务分解表.xlsx", who: str = "clerk") -> sheet.SheetImport:
    return o.run(sheet.import_items, o.people[who], data, filename, today=TODAY)  # type: ignore[no-any-return]


def test_a_good_sheet_makes_every_item_in_its_order(office: Office) -> None:
    before = _written(office.ctx)
    made = _import(office, sheet_bytes(GOOD_ROWS))
    assert (made.count, made.numbers) == (3, ("督〔2026〕1号", "督〔2026〕2号", "督〔2026〕3号"))
    assert _written(office.ctx)[:2] == (before[0] + 3, before[1] + 3)
    rows = office.run(ledger.list_items, office.director, ledger.LedgerFilter(box="all"), order_by="number").rows
    assert [(r.title, r.source, r.lead_unit_name, r.co_unit_names, r.priority, r.deadline, r.state) for r in rows] == [
        ("农村公路提质改造", "政府工作报告", "县财政局", "县教育局、城关镇", "重点督办", date(2026, 12, 31), "register"),
        ("城区停车位建设", "上级交办事项", "城关镇", "", "定期督办", date(2027, 3, 31), "register"),
        ("校园周边交通整治", "领导批示", "县教育局", "县财政局", "马上督办", date(2026, 12, 15), "register"),
    ]
    # 一事一人: the person the row names, else whoever imported it.
    assert [r.responsible_name for r in rows] == ["赵文秘", "张文秘", "王主任"]
    assert [r.requirement for r in rows] == ["完成100公里", "新增车位500个", ""]
    with office.ctx.uow() as uow:
        entry = uow.session.execute(
            select(AuditEntry).where(AuditEntry.action == "import").order_by(AuditEntry.seq.desc())
        ).scalars().first()
        assert entry is not None and entry.username == "clerk" and '"items": 3' in entry.detail


@pytest.mark.parametrize("who", ["director", "deputy", "clerk2"])
def test_the_office_staff_and_leaders_import(office: Office, who: str) -> None:
    made = _import(office, sheet_bytes(GOOD_ROWS[1:2]), who=who)
    assert made.count == 1
    [row] = office.run(ledger.list_items, office.director, ledger.LedgerFilter(box="all")).rows
    assert row.responsible_name == office.people[who].full_name


@pytest.mark.parametrize("who", ["petition", "finance", "cashier", "mayor", "liaison_fin", "admin"])
def test_nobody_else_imports(office: Office, who: str) -> None:
    before = _written(office.ctx)
    with pytest.raises(PermissionDenied, match="导入督办事项"):
        _import(office, sheet_bytes(GOOD_ROWS), who=who)
    assert _written(office.ctx) == before


def test_a_bad_row_in_the_middle_writes_nothing_and_every_bad_row_is_named(office: Office) -> None:
    rows = [
        GOOD_ROWS[0],
        [2, "政府工作报告", "单位不对", "", "县水务局", "", "", "重点督办", "2026-12-31"],
        GOOD_ROWS[1],
        [4, "政府工作报告", "日期不对", "", "县财政局", "", "", "重点督办", "明年底"],
        [5, "政府工作报告", "没有牵头", "", None, "", "", "重点督办", "2026/12/31"],
        GOOD_ROWS[2],
        [7, "常务会议", "时限已过", "", "县财政局", "", "", "定期督办", datetime(2026, 11, 1)],
    ]
    before = _written(office.ctx)
    with pytest.raises(SheetProblems) as raised:
        _import(office, sheet_bytes(rows))
    assert _written(office.ctx) == before
    assert [str(p) for p in raised.value.problems] == [
        "第3行：牵头单位“县水务局”不在单位名录中，请先在单位管理中添加或改为名录中的名称",
        "第5行：办结时限“明年底”不是有效日期，请写成2026-12-31或2026年12月31日",
        "第6行：缺少牵头单位",
        "第8行：办结时限2026-11-01已过，请改为今天或以后的日期",
    ]
    assert raised.value.message.startswith("表格中有4处问题，未导入任何事项，请改正后重新导入")
    # Put right, the same sheet imports in full.
    rows[1][4], rows[3][8], rows[4][4], rows[6][8] = "县财政局", "2026-12-20", "城关镇", date(2026, 12, 1)
    assert _import(office, sheet_bytes(rows)).count == 7


def test_a_past_deadline_alone_is_named_too(office: Office) -> None:
    rows = [GOOD_ROWS[0], [2, "领导批示", "过期", "", "城关镇", "", "", "马上督办", TODAY - timedelta(days=1)]]
    before = _written(office.ctx)
    with pytest.raises(SheetProblems, match="第3行：办结时限2026-11-26已过"):
        _import(office, sheet_bytes(rows))
    assert _written(office.ctx) == before


def test_a_responsible_person_not_of_the_office_is_named(office: Office) -> None:
    rows = [[1, "领导批示", "事项", "", "城关镇", "", "吴联络", "马上督办", "2026-12-31"]]
    with pytest.raises(SheetProblems, match="第2行：责任人“吴联络”不是在岗的文秘人员、办公室主任或副主任，请改正或留空"):
        _import(office, sheet_bytes(rows))


def test_a_sheet_without_its_columns_or_rows_is_refused(office: Office) -> None:
    before = _written(office.ctx)
    with pytest.raises(SheetProblems, match="表头缺少“牵头单位”列"):
        _import(office, sheet_bytes([], header=[c for c in SHEET_HEADER if c != "牵头单位"]))
    with pytest.raises(SheetProblems, match="表格中没有任何事项"):
        _import(office, sheet_bytes([[None] * 9, ["", "", "", "", "", "", "", "", ""]]))
    assert _written(office.ctx) == before


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _bomb() -> bytes:
    """A workbook whose directory says its sheet unpacks to more than any sheet would: what a zip bomb
    declares (the bytes themselves are a few; the reader must refuse before inflating anything)."""
    data = bytearray(sheet_bytes(GOOD_ROWS))
    entry = data.find(b"PK\x01\x02")
    # The central directory's uncompressed size of the first entry (offset 24 of its record).
    struct.pack_into("<I", data, entry + 24, MAX_UNPACKED_BYTES + 1)
    return bytes(data)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("分解表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "“分解表.xls”不是 .xlsx 格式，请在 Excel 或 WPS 中“另存为”"),
    ("分解表.xlsx", os.urandom(4096), "“分解表.xlsx”不是有效的 Excel 工作簿"),
    ("分解表.xlsx", b"", "不是有效的 Excel 工作簿"),
    ("分解表.xlsx", _zip({"readme.txt": b"not a workbook"}), "“分解表.xlsx”无法读取，可能已损坏或不是 Excel 工作簿"),
    ("分解表.xlsx", _zip({"[Content_Types].xml": b"<?xml version='1.0'?><Types", "xl/workbook.xml": b"<"}),
     "无法读取，可能已损坏"),
    ("分解表.xlsx", _bomb(), "“分解表.xlsx”解压后过大，不像是一张普通的表格，已拒绝导入"),
    ("C:\\Users\\张文秘\\桌面\\分解表.xlsx", b"PK\x03\x04" + bytes(64), "“分解表.xlsx”"),
])
def test_a_hostile_file_is_refused_in_chinese(office: Office, name: str, data: bytes, words: str) -> None:
    before = _written(office.ctx)
    with pytest.raises(ValidationError) as raised:
        _import(office, data, filename=name)
    assert words in raised.value.message
    assert _written(office.ctx) == before


def test_an_oversized_file_is_refused_before_it_is_read(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.kernel import sheets

    monkeypatch.setattr(sheets, "MAX_FILE_BYTES", 1024)
    with pytest.raises(ValidationError, match="超过0 MB|超过"):
        _import(office, sheet_bytes(GOOD_ROWS))


def test_a_sheet_with_a_title_above_its_header_imports(office: Office) -> None:
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    assert page is not None
    page.append(["2026年县政府工作报告目标任务分解表"])
    page.merge_cells("A1:I1")
    page.append(list(SHEET_HEADER))
    for row in GOOD_ROWS[:2]:
        page.append(row)
    page.append([3, "领导批示", "日期不对", "", "城关镇", "", "", "马上督办", "年底"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SheetProblems) as raised:
        _import(office, out.getvalue())
    # Row numbers as Excel shows them, the title counted.
    assert [p.row for p in raised.value.problems] == [5]
    page.delete_rows(5)
    out = io.BytesIO()
    book.save(out)
    assert _import(office, out.getvalue()).count == 2
