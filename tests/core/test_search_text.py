"""The rules 综合查询 matches by: folding, grams, needles, highlights and snippets (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.search_text import (
    MAX_NEEDLES,
    fold,
    gram_code,
    gram_text,
    hit_spans,
    parse_query,
    runs,
    snippet,
    text_grams,
)

CHINESE = st.text(alphabet="安全生产农村公路青山镇信访工作通知关于做好的", min_size=1, max_size=30)
OFFICE_TEXT = st.text(alphabet="安全生产农村公路〔〕2025号ＡＢab ，。（）\n", min_size=0, max_size=60)


def test_folding_takes_full_width_and_capitals_as_typed_plainly() -> None:
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("GovDesk") == "govdesk"
    assert fold("县政办发〔2025〕12号") == "县政办发〔2025〕12号"


def test_words_break_at_spaces_and_punctuation() -> None:
    assert runs(fold("县政办发〔2025〕12号")) == ["县政办发", "2025", "12号"]
    assert runs("安全 生产，工作") == ["安全", "生产", "工作"]
    assert runs("") == []


def test_grams_are_characters_and_neighbouring_pairs_within_words() -> None:
    grams = {gram_text(code) for code in text_grams("安全 生产")}
    assert grams == {"安", "全", "安全", "生", "产", "生产"}
    assert "全生" not in grams  # never across a space


def test_a_gram_code_reads_back() -> None:
    for gram in ("安", "安全", "a", "12", "〔"):
        assert gram_text(gram_code(gram)) == gram


def test_a_query_is_its_words_each_of_which_must_match() -> None:
    query = parse_query("  农村公路   青山镇 ")
    assert query.needles == ("农村公路", "青山镇")
    assert query.checked_needles == ("农村公路", "青山镇")
    assert parse_query("王").needles == ("王",)
    assert parse_query("安全 安全生产").needles == ("安全生产",)  # the shorter adds nothing
    assert parse_query("，。 ").empty
    assert len(parse_query(" ".join(f"词{i}{i}" for i in range(20))).needles) == MAX_NEEDLES


def test_a_two_character_needle_is_one_gram_and_needs_no_check() -> None:
    query = parse_query("安全")
    assert [gram_text(g) for g in query.grams()] == ["安全"]
    assert query.checked_needles == ()


@given(CHINESE, st.data())
def test_any_piece_of_a_text_has_all_its_grams_in_the_text(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = parse_query(text[start:end])
    assert set(query.grams()) <= text_grams(fold(text))


@given(OFFICE_TEXT, CHINESE)
def test_highlights_cover_exactly_the_needles_in_the_typed_text(text: str, needle_text: str) -> None:
    needle = parse_query(needle_text).needles[0]
    spans = hit_spans(text + needle_text, [needle])
    combined = text + needle_text
    assert spans, "the appended needle is always found"
    for start, end in spans:
        assert 0 <= start < end <= len(combined)
        assert needle in fold(combined[start:end])


def test_highlights_map_back_through_full_width_letters() -> None:
    text = "关于ＰＤＦ文件"
    assert hit_spans(text, ["pdf"]) == [(2, 5)]


def test_a_snippet_cuts_around_the_first_hit_of_the_best_field() -> None:
    body = "前言" * 50 + "农村公路养护工作" + "结尾" * 50
    found = snippet([("来文单位", "县交通局"), ("正文", body)], ["农村公路"], width=40)
    assert found is not None
    assert found.label == "正文"
    assert found.text.startswith("…") and found.text.endswith("…")
    assert len(found.text) <= 42
    (start, end), = found.spans
    assert found.text[start:end] == "农村公路"


def test_a_snippet_prefers_the_field_holding_every_word() -> None:
    fields = [("来文单位", "青山镇人民政府"), ("事由", "青山镇农村公路修缮")]
    found = snippet(fields, ["青山镇", "公路"])
    assert found is not None and found.label == "事由"
    assert snippet(fields, ["不存在"]) is None
