"""Importing a 信访台账 (.xlsx): every row registered as a case at 登记, or none; every bad row named with its row
number and what to fix; repeats within the file and of earlier cases flagged and linked; a hostile or foreign file
refused; only those who register petitions may import. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.core.petitions.ledger_sheet import COLUMNS, SheetProblems
from app.db.tables import record_links
from app.models import AuditEntry, WorkflowInstance
from app.models.petitions import Petition
from app.services.petitions import records
from app.services.petitions.ledger import ledger_template
from app.services.petitions.ledger_import import ImportedPetitions, import_petitions
from tests.helpers.document_office import TODAY, Office
from tests.helpers.petitions_forms import import_sheet
from tests.helpers.petitions_office import PETITIONER_ID, build_petition_office, id_number, new_petition

OTHER_ID = id_number("19800101", "222")
# In the template's order, but the file names its columns in another.
HEADER = ("姓名", "登记日期", "信访方式", "身份证号", "联系电话", "住址", "人数", "诉求", "问题类别", "问题属地")
GOOD: list[list[object]] = [
    ["李大明", datetime(2026, 10, 8), "来信", OTHER_ID, "13900001111", "城东乡李家村", 1,
     "反映城东乡李家村承包地被占用修路未获补偿，要求依法补偿", "征地拆迁", "城东乡"],
    ["张秀英", "2026年11月3日", "来电（24365热线）", "", "13700002222", "", "",
     "反映县第二中学食堂饭菜价格过高质量较差，要求加强监管", "教育", "城关镇"],
    # The same ID number as the case already registered: a repeat of it.
    ["王建国", "2026-11-20", "网上信访(县长信箱)", PETITIONER_ID, "", "", 1.0,
     "再次反映幸福小区不动产权证书至今未办理的问题", "商品房两证办理", "城关镇"],
    # The same name and phone as the file's first row: a repeat of that row.
    ["李大明", "2026/11/25", "来访", "", "13900001111", "", 12,
     "群众集体反映修路占地补偿款至今没有发放到户", "征地拆迁", "城东乡"],
]


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


def _state(o: Office) -> tuple[int, int, int]:
    """Cases, audit rows and links: what a refused import leaves as they were."""
    with o.ctx.uow() as uow:
        return (uow.execute(select(func.count()).select_from(Petition)).scalar_one(),
                uow.execute(select(func.count()).select_from(AuditEntry)).scalar_one(),
                uow.execute(select(func.count()).select_from(record_links)).scalar_one())


def _import(o: Office, data: bytes, who: str = "petition", name: str = "台账.xlsx") -> ImportedPetitions:
    made: ImportedPetitions = o.run(import_petitions, o.people[who], data, name, today=TODAY)
    return made


def test_a_good_sheet_is_registered_with_its_repeats_linked(office: Office) -> None:
    earlier = new_petition(office)
    above = [["青山县2026年信访台账"], ["填报单位：城东乡"]]
    made = _import(office, import_sheet(GOOD, HEADER, above))
    assert made.count == 4 and made.repeats == 2
    assert made.numbers == ("信〔2026〕2号", "信〔2026〕3号", "信〔2026〕4号", "信〔2026〕5号")
    with office.ctx.uow() as uow:
        rows = uow.execute(
            select(Petition.id, Petition.name, Petition.received_on, Petition.channel, Petition.channel_detail,
                   Petition.people_count, Petition.is_repeat, WorkflowInstance.state, WorkflowInstance.responsible_id)
            .join(WorkflowInstance, WorkflowInstance.id == Petition.instance_id)
            .where(Petition.id != earlier).order_by(Petition.id)
        ).all()
        links = {(source, target) for source, target in uow.execute(
            select(record_links.c.source_id, record_links.c.target_id).where(record_links.c.kind == "repeat"))}
        entry = uow.session.execute(select(AuditEntry.username, AuditEntry.entity_type, AuditEntry.detail)
                                    .where(AuditEntry.action == "import")).one()
    assert [(r.name, r.received_on, r.channel, r.channel_detail, r.people_count, r.is_repeat) for r in rows] == [
        ("李大明", date(2026, 10, 8), "来信", "", 1, False),
        ("张秀英", date(2026, 11, 3), "来电", "24365热线", 1, False),
        ("王建国", date(2026, 11, 20), "网上信访", "县长信箱", 1, True),
        ("李大明", date(2026, 11, 25), "来访", "", 12, True),
    ]
    assert {(r.state, r.responsible_id) for r in rows} == {("register", office.petition.id)}
    first, _second, third, fourth = (r.id for r in rows)
    assert links == {(earlier, third), (first, fourth)}
    assert (entry.username, entry.entity_type) == ("petition", "petition")
    assert '"petitions": 4' in str(entry.detail) and '"repeats": 2' in str(entry.detail)


def test_every_bad_row_is_named_and_nothing_is_written(office: Office) -> None:
    new_petition(office)
    good = GOOD[0]

    def row(**changes: object) -> list[object]:
        values = dict(zip(HEADER, good, strict=True))
        values.update(changes)
        return [values[name] for name in HEADER]

    bad = [
        row(),                                            # row 2: good
        row(登记日期="上个月"),                             # 3
        row(信访方式="走访"),                               # 4
        row(身份证号="110101198001012229"),                # 5: a wrong check digit
        row(联系电话="1234"),                               # 6
        row(姓名=""),                                     # 7
        row(人数="很多"),                                   # 8
        row(问题类别=None),                                # 9
        row(登记日期="2027-01-05"),                         # 10: after the import's day
        row(人数=0),                                      # 11
        row(登记日期=None, 信访方式=None),                   # 12: two problems of one row
        row(身份证号="", 联系电话="", 住址=""),               # 13: no way to answer the petitioner
    ]
    before = _state(office)
    with pytest.raises(SheetProblems) as raised:
        _import(office, import_sheet(bad, HEADER))
    said = {p.row: p.message for p in raised.value.problems}
    assert sorted(said) == list(range(3, 14))
    assert "登记日期“上个月”不是有效日期" in said[3]
    assert "信访方式“走访”不对，只能是来信、来访、来电、网上信访、传真" in said[4]
    assert "信访人的身份证号有误" in said[5]
    assert "信访人的联系电话有误" in said[6]
    assert said[7] == "请填写信访人姓名"
    assert "人数“很多”应为整数" in said[8]
    assert said[9] == "请填写问题类别"
    assert said[10] == "登记日期不能晚于今天"
    assert "人数应在1到" in said[11]
    assert said[12] == "缺少登记日期；缺少信访方式"
    assert "至少填写信访人的身份证号、联系电话或住址中的一项" in said[13]
    assert str(raised.value.problems[0]).startswith("第3行：")
    assert "表格中有11处问题，未导入任何信访件" in raised.value.message
    assert _state(office) == before


@pytest.mark.parametrize(("header", "says"), [
    ((*COLUMNS, "备注"), "表头有不认识的列“备注”"),
    (tuple(c for c in COLUMNS if c != "诉求"), "表头缺少“诉求”列"),
    ((*COLUMNS[:-1], "姓名"), "表头中“姓名”列出现了两次"),
])
def test_a_header_the_import_does_not_know_is_refused_by_name(
    office: Office, header: tuple[str, ...], says: str,
) -> None:
    before = _state(office)
    with pytest.raises(SheetProblems, match=says):
        _import(office, import_sheet([list(range(len(header)))], header))
    assert _state(office) == before


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        # Some 400 MB of zeros in a few hundred KB.
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(400):
                member.write(block)
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("台账.xlsx", "登记日期,姓名\n2026-11-02,王建国\n".encode(), "不是有效的 Excel 工作簿"),
    ("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "不是 .xlsx 格式"),
    ("台账.xlsx", b"PK\x03\x04" + b"x" * 100, "不是有效的 Excel 工作簿"),
    ("台账.xlsx", b"", "不是有效的 Excel 工作簿"),
])
def test_a_file_that_is_not_a_workbook_is_refused(office: Office, name: str, content: bytes, says: str) -> None:
    before = _state(office)
    with pytest.raises(ValidationError, match=says):
        _import(office, content, name=name)
    assert _state(office) == before


def test_a_zip_bomb_and_a_huge_file_are_refused(office: Office) -> None:
    with pytest.raises(ValidationError, match="解压后过大"):
        _import(office, _zip_bomb())
    with pytest.raises(ValidationError, match="超过20 MB"):
        _import(office, b"PK" + b"\0" * (20 * 1024 * 1024))
    assert _state(office)[0] == 0


def test_only_those_who_register_petitions_may_import(office: Office) -> None:
    data = import_sheet(GOOD[:1], HEADER)
    for who in ("clerk", "mayor", "liaison_fin", "finance", "admin"):
        with pytest.raises(PermissionDenied, match="可以导入信访件"):
            _import(office, data, who)
    assert _state(office)[0] == 0
    for count, who in enumerate(("director", "deputy", "petition2"), start=1):
        _import(office, data, who)
        assert _state(office)[0] == count


def test_the_template_imports_as_it_is(office: Office) -> None:
    made = _import(office, ledger_template(), name="信访件导入模板.xlsx")
    assert made.count == 1
    info = office.run(records.get_petition, office.petition, office.run(
        lambda uow: uow.execute(select(Petition.id)).scalar_one()))
    assert (info.name, info.channel, info.category, info.received_on) == ("王建国", "来访", "商品房两证办理",
                                                                          date(2026, 11, 2))
