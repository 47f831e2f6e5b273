"""The title's line breaking (app.core.document_title): by meaning, in 梯形 or 菱形, never inside a word."""

from __future__ import annotations

import itertools

import pytest

from app.core.document_title import NO_LINE_END, NO_LINE_START, break_title


def width(text: str) -> float:
    """A 2号 character is 22 pt; digits and Latin letters half of it."""
    return sum(11.0 if ord(c) < 0x2000 else 22.0 for c in text)


MEASURE = 442.0  # the 156 mm type area, about 20 characters of 2号

TITLES = (
    "青山县人民政府办公室关于做好2027年元旦春节期间安全生产工作的通知",
    "青山县人民政府关于申请安排2027年农村公路提质改造专项资金的请示",
    "青山县人民政府办公室关于印发青山县节日期间安全检查工作方案和值班安排的通知",
    "青山县人民政府办公室 青山县财政局 青山县交通运输局关于下达2027年第一批农村公路建设项目资金计划的通知",
    "关于转发《江州市人民政府关于进一步加强森林防火工作的意见》的通知",
    "青山县人民政府关于同意设立青山县乡村振兴服务中心的批复",
)


def shape_ok(lines: list[str]) -> bool:
    """梯形: no line longer than the one below (half a character's leeway); 菱形: up to the longest, then down."""
    widths = [width(line) for line in lines]
    slack = 11.0
    if all(a <= b + slack for a, b in itertools.pairwise(widths)):
        return True
    peak = widths.index(max(widths))
    return (
        0 < peak < len(widths) - 1
        and all(a <= b + slack for a, b in itertools.pairwise(widths[: peak + 1]))
        and all(a + slack >= b for a, b in itertools.pairwise(widths[peak:]))
    )


def test_a_title_that_fits_stays_on_one_line() -> None:
    assert break_title("县政府第十二次常务会议纪要", width, MEASURE) == ["县政府第十二次常务会议纪要"]
    assert break_title("", width, MEASURE) == []


@pytest.mark.parametrize("title", TITLES)
def test_lines_fit_keep_every_character_and_read_by_meaning(title: str) -> None:
    lines = break_title(title, width, MEASURE)
    assert len(lines) >= 2
    assert "".join(lines).replace(" ", "") == title.replace(" ", "")
    assert all(width(line) <= MEASURE for line in lines)
    assert shape_ok(lines), lines
    for line in lines[:-1]:
        assert not line.endswith(NO_LINE_END), lines
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, lines


@pytest.mark.parametrize("title", TITLES)
def test_numbers_book_titles_and_the_organ_stay_whole(title: str) -> None:
    lines = break_title(title, width, MEASURE)
    joined = "|".join(lines)
    for whole in ("2027", "青山县人民政府", "青山县人民政府办公室", "《江州市人民政府", "森林防火"):
        if whole in title.replace(" ", ""):
            assert whole in joined, (whole, lines)


def test_breaks_after_the_organ_before_about() -> None:
    lines = break_title("青山县人民政府办公室关于印发青山县节日期间安全检查工作方案和值班安排的通知", width, MEASURE)
    assert lines[0] == "青山县人民政府办公室"
    assert lines[1].startswith("关于")


def test_the_doc_type_stays_with_its_de() -> None:
    for title in TITLES:
        lines = break_title(title, width, MEASURE)
        assert not any(line.startswith(("通知", "请示", "批复")) for line in lines[1:]) or not title.endswith(
            ("的通知", "的请示", "的批复")
        )


def test_sample_title_reads_as_an_office_would_set_it() -> None:
    lines = break_title(TITLES[1], width, MEASURE)
    assert lines == ["青山县人民政府关于申请安排", "2027年农村公路提质改造专项资金的请示"]


def test_a_narrow_measure_takes_more_lines_still_whole() -> None:
    lines = break_title(TITLES[0], width, 260.0)
    assert len(lines) >= 3
    assert all(width(line) <= 260.0 for line in lines)
    assert "2027年" in "|".join(lines)
