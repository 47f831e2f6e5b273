"""The characters a printed form can draw: the generated table, held to the bundled font files."""

from __future__ import annotations

import pytest

from app.core.claims import LineInput, claim_problems
from app.core.documents import check_title
from app.core.errors import ValidationError
from app.core.printable import check_printable, is_printable, printable_problem, unprintable
from app.core.printable_chars import RANGES
from tests.helpers.printable_table import bundled_code_points


def test_the_table_is_what_the_bundled_fonts_draw() -> None:
    # The generator reads the fonts with reportlab, which app/core may not.
    table = {p for first, last in zip(RANGES[0::2], RANGES[1::2], strict=True) for p in range(first, last + 1)}
    assert table == bundled_code_points(), "the fonts changed: run python -m tests.helpers.printable_table"


@pytest.mark.parametrize(
    "text",
    [
        "关于做好2026年冬春季森林防火工作的通知",
        "县政办发〔2026〕12号《关于〈办法〉的通知》“三审”—……·、，。；：？！（）【】「」％℃①Ⅻ",
        "GB/T 9704—2012 A-Z a-z 0-9 ￥€$",
        "第一行\n第二行\t完",
    ],
)
def test_what_the_office_writes_is_printable(text: str) -> None:
    assert unprintable(text) == []
    assert printable_problem(text, "标题") is None


def test_emoji_are_named_once_each_as_typed() -> None:
    assert unprintable("好😀好😀👍🏻，👨\u200d👩\u200d👧") == ["😀", "👍🏻", "👨\u200d👩\u200d👧"]
    assert not is_printable("😀") and is_printable("中")
    assert printable_problem("关于😀的通知", "标题") == "标题中的“😀”无法打印，请删去或换成文字"
    with pytest.raises(ValidationError) as refused:
        check_printable("同意👍", "意见", field="opinion")
    assert refused.value.field == "opinion"
    assert refused.value.message == "意见中的“👍”无法打印，请删去或换成文字"


def test_titles_and_claim_lines_are_checked_in_core() -> None:
    with pytest.raises(ValidationError) as refused:
        check_title("关于做好森林防火工作的通知🔥")
    assert refused.value.field == "title" and "“🔥”无法打印" in refused.value.message
    _, problems = claim_problems([LineInput("出差🚄车票", "差旅费", "120")], 1, "")
    assert problems == {"line:0:summary": "摘要中的“🚄”无法打印，请删去或换成文字"}
