"""The rules the typesetter takes from the document and the office's settings (app.core.official_document)."""

from __future__ import annotations

import pytest

from app.core.errors import ValidationError
from app.core.official_document import (
    TYPESET_STATES,
    check_copy_number,
    disclosure_note,
    issuer_mark,
    layout_of,
    minutes_mark,
    minutes_number,
    names_text,
    note_text,
    signer_names,
)

OFFICE = "青山县人民政府办公室"


def test_the_mark_is_the_organ_and_wenjian_except_for_letters() -> None:
    assert issuer_mark(OFFICE, "通知", "县政办发") == f"{OFFICE}文件"
    assert issuer_mark("青山县人民政府", "请示", "县政发") == "青山县人民政府文件"
    assert issuer_mark(OFFICE, "函", "县政办发") == OFFICE
    assert issuer_mark(OFFICE, "通知", "县政办函") == OFFICE


@pytest.mark.parametrize(("title", "mark"), [
    ("县政府第十二次常务会议纪要", "县政府常务会议纪要"),
    ("青山县人民政府第3次常务会议纪要", "青山县人民政府常务会议纪要"),
    ("县长办公会议纪要", "县长办公会议纪要"),
    ("纪要", "青山县人民政府纪要"),
])
def test_the_minutes_mark_drops_the_sittings_ordinal(title: str, mark: str) -> None:
    assert minutes_mark(title, "青山县人民政府") == mark


def test_the_note_states_the_disclosure() -> None:
    assert [disclosure_note(d) for d in ("主动公开", "依申请公开", "不予公开", "")] == [
        "此件公开发布", "此件依申请公开", "此件不公开", ""]


def test_layouts_and_steps() -> None:
    assert [layout_of(t) for t in ("通知", "函", "请示", "报告", "纪要", "批复")] == [
        "down", "letter", "up", "up", "minutes", "down"]
    assert minutes_number(12) == "第12期" and minutes_number(None) == ""
    assert TYPESET_STATES == ("print", "seal", "distribute", "archive")


def test_names_and_notes_as_typed() -> None:
    assert signer_names(" 陈建国、李华，王芳 ") == ("陈建国", "李华", "王芳")
    assert signer_names("") == ()
    assert names_text(("陈建国", "李华")) == "陈建国、李华"
    assert note_text("（此件公开发布）") == "此件公开发布" and note_text(" 联系人：刘洋 ") == "联系人：刘洋"


def test_a_copy_number_is_six_digits_or_none() -> None:
    assert check_copy_number(" 000001 ") == "000001" and check_copy_number("") == ""
    for bad in ("12", "0000001", "00000A"):
        with pytest.raises(ValidationError, match="份号为6位阿拉伯数字"):
            check_copy_number(bad)
