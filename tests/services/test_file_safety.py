"""Files attacked through the services, on every database: hostile names, programs by name and by content,
a type claimed by the caller, a pixel bomb; and the trace a download or a 不予公开 view leaves."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Unit, User, UserRole
from app.printing.claims.form import Receipt, receipt_pdf
from app.services.admin.auth import actor_of
from app.services.claims import records as claims
from app.services.documents import records as documents
from tests.helpers import claims_office as claim_roles
from tests.helpers import password_hash
from tests.helpers.document_office import Office, build_office, new_draft

STARTUP = "..\\..\\..\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\x.bat"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PE = b"MZ\x90\x00" + b"\x00" * 56 + struct.pack("<I", 64) + b"PE\x00\x00" + b"\x00" * 64


def png_header(width: int, height: int) -> bytes:
    """A PNG's signature and header chunk only: it claims its size, and there is nothing to decode."""
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr))


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


@pytest.fixture
def claim_office(ctx: AppContext) -> claim_roles.Office:
    """The claims office's people and units (tests/helpers/claims_office.py), without its unit heads and principal."""
    with ctx.uow() as uow:
        units = {name: Unit(name=name, kind="section", sort_order=i)
                 for i, name in enumerate(("综合股", "督查股", "办公室", "县政府"))}
        uow.session.add_all(units.values())
        uow.flush()
        users = {
            key: User(username=key, full_name=name, password_hash=password_hash(), unit_id=units[unit].id,
                      role_links=[UserRole(role_code=r.value) for r in roles])
            for key, (unit, roles, name, _) in claim_roles.PEOPLE.items()
        }
        uow.session.add_all(users.values())
        uow.commit()
        return claim_roles.Office(ctx, {n: u.id for n, u in units.items()},
                                  {k: actor_of(u) for k, u in users.items()})


def audit_rows(ctx: AppContext, action: str) -> list[tuple[str, str, int | None, str]]:
    """(username, entity type, entity id, detail) of each audit entry of that action, oldest first."""
    with ctx.uow() as uow:
        return [(r.username, r.entity_type, r.entity_id, r.detail) for r in uow.session.execute(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
        ).scalars()]


def test_a_hostile_name_is_stored_as_a_base_name(office: Office) -> None:
    o = office
    doc = new_draft(o)
    for hostile, stored in [("../../x", "x"), ("C:\\Users\\a\\..\\报告.pdf", "报告.pdf"), ("CON.pdf", "_CON.pdf"),
                            ("scan.pdf:evil", "scan.pdf_evil"), ("\\\\srv\\share\\..\\通知.pdf. ", "通知.pdf")]:
        info = o.run(documents.add_file, o.clerk, doc, filename=hostile, data=PDF)
        assert info.filename == stored
    names = {f.filename for f in o.run(documents.list_files, o.director, doc) if f.purpose == "attachment"}
    assert names == {"x", "报告.pdf", "_CON.pdf", "scan.pdf_evil", "通知.pdf"}


@pytest.mark.parametrize("name", [STARTUP, "setup.exe", "a.cmd", "a.scr", "a.js", "a.vbs", "a.ps1", "a.msi",
                                  "a.lnk", "a.sh", "a.desktop", "a.hta", "报告.pdf.exe", "x.bat. . "])
def test_a_program_is_refused_by_its_name(office: Office, name: str) -> None:
    doc = new_draft(office)
    with pytest.raises(ValidationError, match="打开时会作为程序运行") as refused:
        office.run(documents.add_file, office.clerk, doc, filename=name, data=PDF)
    assert "”是 ." in str(refused.value)
    assert [f.purpose for f in office.run(documents.list_files, office.clerk, doc)] == ["body"]


PROGRAMS = pytest.mark.parametrize(("content", "kind"), [
    (PE, "Windows 可执行程序"), (b"\x7fELF\x02\x01\x01\x00", "Linux 可执行程序"), (b"#!/bin/bash\ncurl x|sh\n", "脚本程序"),
    (b"\x4c\x00\x00\x00\x01\x14\x02\x00" + b"\x00" * 70, "Windows 快捷方式"),
])


@PROGRAMS
def test_a_program_is_refused_by_its_content_whatever_its_name(office: Office, content: bytes, kind: str) -> None:
    doc = new_draft(office)
    with pytest.raises(ValidationError, match=f"“发票.pdf”的内容是{kind}"):
        office.run(documents.add_file, office.clerk, doc, filename="发票.pdf", data=content)
    assert [f.purpose for f in office.run(documents.list_files, office.clerk, doc)] == ["body"]


@PROGRAMS
def test_a_receipt_that_is_a_program_is_refused_whatever_its_name(
    claim_office: claim_roles.Office, content: bytes, kind: str
) -> None:
    c = claim_office
    claim_id = claim_roles.new_claim(c, submit=False)
    with pytest.raises(ValidationError, match=f"“车票.jpg”的内容是{kind}"):
        c.run(claims.add_receipt, c.people["claimant"], claim_id, filename="车票.jpg", data=content,
              mime_type="image/jpeg")
    assert c.run(claims.get_claim, c.people["claimant"], claim_id).receipts == []


def test_the_stored_type_is_the_contents_not_the_callers(claim_office: claim_roles.Office) -> None:
    c = claim_office
    claim_id = claim_roles.new_claim(c, submit=False)
    claimant = c.people["claimant"]
    # Claimed to be a PDF, it is a PNG: printed as the image it is.
    png = c.run(claims.add_receipt, claimant, claim_id, filename="发票.pdf", data=png_header(40, 30),
                mime_type="application/pdf")
    html = c.run(claims.add_receipt, claimant, claim_id, filename="发票.png", data=b"<html><script>x</script>",
                 mime_type="image/png")
    pdf = c.run(claims.add_receipt, claimant, claim_id, filename="发票", data=PDF, mime_type="text/html")
    assert (png.mime_type, html.mime_type, pdf.mime_type) == ("image/png", "text/plain", "application/pdf")
    stored = {r.id: r.mime_type for r in c.run(claims.get_claim, claimant, claim_id).receipts}
    assert stored == {png.id: "image/png", html.id: "text/plain", pdf.id: "application/pdf"}


def test_a_pixel_bomb_is_refused_at_upload_with_the_limit_and_the_way_out(claim_office: claim_roles.Office) -> None:
    c = claim_office
    claim_id = claim_roles.new_claim(c, submit=False)
    bomb = png_header(12_000, 12_000)
    assert len(bomb) < 100
    with pytest.raises(ValidationError) as refused:
        c.run(claims.add_receipt, c.people["claimant"], claim_id, filename="发票.png", data=bomb)
    message = str(refused.value)
    assert "12000×12000" in message and "20000" in message and "50 百万像素" in message and "缩小" in message
    with pytest.raises(ValidationError, match="30000×2"):
        c.run(claims.add_receipt, c.people["claimant"], claim_id, filename="长图.png", data=png_header(30_000, 2))
    # A large but sound scan passes: an A4 page at 600 dpi.
    c.run(claims.add_receipt, c.people["claimant"], claim_id, filename="扫描.png", data=png_header(4961, 7016))


def test_printing_never_decodes_a_pixel_bomb_stored_before_the_bound() -> None:
    pdf = receipt_pdf(1, Receipt("旧票据.png", "image/png", png_header(12_000, 12_000)))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "旧票据.png" in text and "12000×12000" in text and "打印上限" in text


def test_a_download_is_audited_and_a_refused_one_is_not(office: Office) -> None:
    o = office
    doc = new_draft(o)
    body = o.run(documents.add_file, o.clerk, doc, filename="正文.pdf", data=PDF, purpose="attachment")
    assert audit_rows(o.ctx, "download") == []
    info, data = o.run(documents.file_data, o.director, body.id)
    assert data == PDF
    with pytest.raises(PermissionDenied):
        o.run(documents.file_data, o.liaison_edu, body.id)
    rows = audit_rows(o.ctx, "download")
    assert [r[:3] for r in rows] == [("director", "attachment", body.id)]
    assert "正文.pdf" in rows[0][3] and f"document:{doc}" in rows[0][3]


def test_a_receipt_download_is_audited_and_a_refused_one_is_not(claim_office: claim_roles.Office) -> None:
    c = claim_office
    claim_id = claim_roles.new_claim(c, submit=False)
    receipt = c.run(claims.add_receipt, c.people["claimant"], claim_id, filename="车票.pdf", data=PDF)
    c.run(claims.receipt_data, c.people["claimant"], receipt.id)
    with pytest.raises(PermissionDenied):
        c.run(claims.receipt_data, c.people["colleague"], receipt.id)
    rows = audit_rows(c.ctx, "download")
    assert [r[:3] for r in rows] == [("claimant", "attachment", receipt.id)]


def test_a_view_of_a_document_withheld_from_disclosure_is_audited(office: Office) -> None:
    o = office
    public = new_draft(o)
    withheld = new_draft(o, title="关于某信访人情况的报告", disclosure="不予公开", disclosure_reason="涉及个人隐私")
    o.run(documents.get_document, o.director, public)
    assert audit_rows(o.ctx, "view_restricted") == []
    o.run(documents.get_document, o.director, withheld)
    with pytest.raises(PermissionDenied):
        o.run(documents.get_document, o.liaison_edu, withheld)
    rows = audit_rows(o.ctx, "view_restricted")
    assert [r[:3] for r in rows] == [("director", "document", withheld)]
    assert "关于某信访人情况的报告" in rows[0][3]
