"""The pure document rules of app.core.documents (no database)."""

from __future__ import annotations

import pytest

from app.core.documents import (
    DOC_TYPES,
    check_disclosure,
    check_doc_type,
    check_error_kind,
    check_secrecy,
    check_source_number,
    check_title,
    check_urgency,
    infer_doc_type,
    is_upward,
)
from app.core.errors import ValidationError


def test_the_fifteen_types_and_the_upward_ones() -> None:
    assert len(DOC_TYPES) == 15 and len(set(DOC_TYPES)) == 15
    assert [t for t in DOC_TYPES if is_upward(t)] == ["报告", "请示"]
    assert check_doc_type("令") == check_doc_type("命令") == "命令（令）"
    assert check_doc_type("", required=False) == ""
    with pytest.raises(ValidationError, match="15种") as bad:
        check_doc_type("简报")
    assert bad.value.field == "doc_type"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("关于做好冬季森林防火工作的通知", "通知"),
        ("青山县人民政府第12次常务会议纪要", "纪要"),
        ("青山县人民政府令", "命令（令）"),
        ("关于申请拨付资金的请示。", "请示"),
        ("城关镇2026年工作要点", ""),
    ],
)
def test_the_type_a_title_names(title: str, kind: str) -> None:
    assert infer_doc_type(title) == kind


@pytest.mark.parametrize("mark", ["秘密", "机密", "绝密", "机密★10年", " 绝密 "])
def test_classified_marks_are_refused_with_the_law(mark: str) -> None:
    with pytest.raises(ValidationError, match="依照《保守国家秘密法》不得处理涉密公文") as refused:
        check_secrecy(mark)
    assert refused.value.field == "secrecy"


def test_non_classified_marks() -> None:
    assert [check_secrecy(m) for m in ("", None, "非密", "无", " 公开 ")] == ["", "", "", "", ""]
    with pytest.raises(ValidationError, match="只处理非涉密公文"):
        check_secrecy("内部资料")
    with pytest.raises(ValidationError, match="保守国家秘密法") as in_title:
        check_title("秘密★1年 关于某事项的通知")
    assert in_title.value.field == "title"
    assert check_title("  关于 秘密 会议室改造的通知 ") == "关于 秘密 会议室改造的通知"
    with pytest.raises(ValidationError, match="请填写"):
        check_title("   ")


def test_urgency_disclosure_and_error_kinds() -> None:
    assert [check_urgency(u) for u in ("特急", "加急", "", "普通")] == ["特急", "加急", "", ""]
    with pytest.raises(ValidationError, match="紧急程度"):
        check_urgency("急件")
    assert check_disclosure("依申请公开", "多余的理由") == ("依申请公开", "")
    assert check_disclosure("", "", required=False) == ("", "")
    with pytest.raises(ValidationError) as no_reason:
        check_disclosure("不予公开", " ")
    assert no_reason.value.field == "disclosure_reason"
    assert [check_error_kind(k) for k in ("格式", "文字差错", "文种错误", "程序")] == ["格式", "文字", "文种", "程序"]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("江府办发〔2026〕45号", "江府办发〔2026〕45号"),
        ("江府办发[2026]45号", "江府办发〔2026〕45号"),
        ("江府办发（2026）45号", "江府办发〔2026〕45号"),
        ("江府办函〔2026〕第3号", "江府办函〔2026〕第3号"),  # an older style, kept as the paper has it
        ("（2026）江01民初15号", "（2026）江01民初15号"),  # a court's number
        ("江应急字2026-15", "江应急字2026-15"),
        ("", ""),
    ],
)
def test_source_numbers(typed: str, kept: str) -> None:
    assert check_source_number(typed) == kept


@pytest.mark.parametrize("typed", ["江府发〔2026〕07号", "江府发〔26〕7号", "〔2026〕7号"])
def test_a_source_number_in_our_shape_is_checked(typed: str) -> None:
    with pytest.raises(ValidationError, match="来文字号") as bad:
        check_source_number(typed)
    assert bad.value.field == "source_number"
