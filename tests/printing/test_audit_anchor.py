"""审计日志锚点: one page, its text read back, every glyph present."""

from __future__ import annotations

from datetime import datetime

from app.printing.admin.audit_anchor import AuditAnchorSheet, grouped, render_audit_anchor
from tests.helpers.pdfcheck import assert_fonts_embedded, assert_no_missing_glyphs, compact, page_text, reader

SHEET = AuditAnchorSheet(
    office_name="某某县人民政府办公室", seq=1234, count=1234, head_hash="ab12" * 16,
    made_at=datetime(2026, 12, 5, 14, 30), made_by="root（管理员）", fingerprint="1A2B-3C4D-5E6F-7081",
    signature="cd34" * 16,
)


def test_the_anchor_prints_on_one_page_with_what_is_compared() -> None:
    pdf = render_audit_anchor(SHEET)
    assert len(reader(pdf).pages) == 1
    text = compact(page_text(pdf))
    for expected in ("审计日志锚点", "某某县人民政府办公室", "第1234条", "root（管理员）", "1A2B-3C4D-5E6F-7081",
                     "链头校验值", "密钥指纹", "锚点签名", "2026年12月5日"):
        assert compact(expected) in text, expected
    # The whole hash, in groups: nothing of it is cut at the cell's edge.
    assert compact(grouped(SHEET.head_hash)) in text
    assert compact(grouped(SHEET.signature)) in text
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)
