"""The shared bordered-table form builder."""

from __future__ import annotations

from datetime import date

import pytest

from app.printing.kit.page import build_pdf
from app.printing.kit.table_form import Cell, FormBuilder, OpinionEntry, label, value
from tests.helpers.pdfcheck import assert_fonts_embedded, compact, page_text, reader


def test_rows_must_fill_the_grid() -> None:
    form = FormBuilder("测试表")
    with pytest.raises(ValueError, match="只填了"):
        form.row([label("标题", 2), value("x", 4)])
    with pytest.raises(ValueError, match="超出"):
        form.row([label("标题", 2), value("x", 7)])


def test_a_row_span_leaves_its_columns_to_the_rows_below() -> None:
    form = FormBuilder("测试表", columns=4)
    form.row([label("承办情况", rowspan=2), value("第一行", 3)])
    form.row([value("第二行", 3)])  # the label's column is taken
    with pytest.raises(ValueError):
        FormBuilder("x", columns=4).row([Cell("x", colspan=0)])
    pdf = build_pdf([form.build()], title="测试表")
    assert "第二行" in page_text(pdf)


def test_a_small_form_with_opinions_and_a_list() -> None:
    form = FormBuilder("青山县人民政府办公室\n收文处理笺", "（样表）")
    form.header(left="收文编号：收〔2026〕18号", right="2026年11月29日")
    form.row([label("标题", 2), value("关于做好冬季安全生产工作的通知", 6)])
    form.row(
        [label("来文单位", 2), value("市应急管理局", 2), label("来文字号", 2), value("市应急〔2026〕9号", 2)]
    )
    form.opinion_row(
        "拟办意见",
        [OpinionEntry("建议呈县领导阅示，转县应急管理局办理。", "赵主任", date(2026, 11, 29))],
    )
    form.opinion_row("领导批示", [OpinionEntry()])  # left blank to sign by hand
    form.list_row("传阅情况", ["阅件人", "阅毕日期"], [], [1, 1], empty_text="尚未传阅")
    form.note("注：本笺随文件流转。")
    pdf = build_pdf([form.build()], title="收文处理笺")
    text = compact(page_text(pdf))
    assert len(reader(pdf).pages) == 1
    for expected in (
        "收文处理笺",
        "收文编号：收〔2026〕18号",
        "来文字号",
        "市应急〔2026〕9号",
        "建议呈县领导阅示",
        "签名：赵主任",
        "2026年11月29日",
        "领导批示",
        "年月日",
        "尚未传阅",
        "注：本笺随文件流转。",
    ):
        assert expected in text
    assert_fonts_embedded(pdf)
