"""The bordered table form that the office's paper forms share (发文稿纸, 收文处理笺, 催办单, 报销单 …).

A form is a title, an optional line above the table (编号 and the like), and a grid of label cells and
value cells. Rows are given as cells with column spans over a fixed grid (8 columns by default), so a
form reads like the paper it copies::

    form = FormBuilder("某某县人民政府办公室\\n催 办 单")
    form.row([label("事项名称", 2), value(title, 6)])
    form.opinion_row("领导批示", [OpinionEntry(text, "张三", date)])
    flowable = form.build()
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    ALIGNMENTS,
    SIZE_2,
    SIZE_5,
    SIZE_SMALL_4,
    TYPE_AREA_HEIGHT,
    TYPE_AREA_WIDTH,
    BoldTitle,
    cjk_style,
    draw_text,
    enable_chinese_line_breaking,
    format_cn_date,
)

Align = Literal["left", "center", "right"]

LABEL_SHADE = colors.HexColor("#F2F2F2")
RULE_COLOR = colors.black
OUTER_RULE = 1.0
INNER_RULE = 0.5
CELL_PAD_X = 5.0
CELL_PAD_Y = 4.0
DEFAULT_ROW_HEIGHT = 10 * mm
DEFAULT_OPINION_HEIGHT = 32 * mm


def ruled_style(font: str, top: float, bottom: float, side: float, *, box: bool = True) -> list[tuple[object, ...]]:
    """The TableStyle every ruled form and list starts from: framed (unless it sits in a frame already), ruled
    inside, cells centred on their row and padded so. ``font`` is for the empty cells: without it they name
    Helvetica, a font that is never embedded."""
    style: list[tuple[object, ...]] = [("FONTNAME", (0, 0), (-1, -1), font)]
    if box:
        style.append(("BOX", (0, 0), (-1, -1), OUTER_RULE, RULE_COLOR))
    return style + [
        ("INNERGRID", (0, 0), (-1, -1), INNER_RULE, RULE_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
        ("LEFTPADDING", (0, 0), (-1, -1), side),
        ("RIGHTPADDING", (0, 0), (-1, -1), side),
    ]


@dataclass(frozen=True)
class Cell:
    """One cell of a row. Labels are centred (and shaded); values are left-aligned unless told otherwise."""

    text: str = ""
    colspan: int = 1
    label: bool = False
    height: float | None = None
    align: Align | None = None
    rowspan: int = 1
    # Content drawn instead of text, e.g. an OpinionBox or a nested list.
    content: Flowable | None = None

    def __post_init__(self) -> None:
        if self.colspan < 1 or self.rowspan < 1:
            raise ValueError("colspan and rowspan must be at least 1")


def label(text: str, colspan: int = 1, *, rowspan: int = 1, align: Align | None = None) -> Cell:
    return Cell(text, colspan, label=True, rowspan=rowspan, align=align)


def value(
    text: str, colspan: int = 1, *, rowspan: int = 1, align: Align | None = None, height: float | None = None
) -> Cell:
    return Cell(text, colspan, label=False, rowspan=rowspan, align=align, height=height)


@dataclass(frozen=True)
class OpinionEntry:
    """One signed opinion (签批意见). An entry with nothing filled in prints blank lines to sign by hand."""

    text: str = ""
    name: str = ""
    date: date | None = None

    @property
    def blank(self) -> bool:
        return not (self.text or self.name or self.date)


class OpinionBox(Flowable):
    """A tall cell's content: each opinion's text, then “签名 … 日期” right-aligned under it.

    The last signature line sits at the foot of the cell, as on the paper forms, so that a blank box
    leaves the whole height for handwriting.
    """

    def __init__(
        self,
        entries: Sequence[OpinionEntry],
        text_style: ParagraphStyle,
        fonts: FontSet,
        min_height: float = DEFAULT_OPINION_HEIGHT,
        sign_label: str = "签名",
    ) -> None:
        super().__init__()
        self.entries = list(entries) or [OpinionEntry()]
        self.text_style = text_style
        self.fonts = fonts
        self.min_height = min_height
        # How far the box may shrink to keep a form on one page: half, but never below two lines.
        self.floor = max(min_height / 2, text_style.fontSize * 4)
        self.sign_label = sign_label
        self.sign_size = text_style.fontSize
        self._blocks: list[tuple[Paragraph | None, float, OpinionEntry]] = []
        self._width = 0.0
        self._height = 0.0

    @property
    def _sign_height(self) -> float:
        return self.sign_size * 1.6

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        self._blocks = []
        total = 0.0
        for entry in self.entries:
            para: Paragraph | None = None
            height = 0.0
            if entry.text:
                para = Paragraph(self.fonts.markup(entry.text, self.text_style.fontName), self.text_style)
                _, height = para.wrap(availWidth, availHeight)
            self._blocks.append((para, height, entry))
            total += height + self._sign_height + 4
        self._height = max(self.min_height, total)
        return availWidth, self._height

    def _signature_pieces(self, entry: OpinionEntry) -> list[str]:
        name = entry.name or "\u3000" * 5
        when = (
            format_cn_date(entry.date)
            if entry.date
            else "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
        )
        return [f"{self.sign_label}：{name}", when]

    def _draw_signature(self, entry: OpinionEntry, baseline: float) -> None:
        font = self.text_style.fontName
        pieces = self._signature_pieces(entry)
        gap = self.sign_size * 2
        widths = [self.fonts.string_width(p, font, self.sign_size) for p in pieces]
        x = self._width - sum(widths) - gap * (len(pieces) - 1) - self.sign_size
        for piece, width in zip(pieces, widths, strict=True):
            draw_text(self.canv, self.fonts, x, baseline, piece, font, self.sign_size)
            x += width + gap

    def draw(self) -> None:
        top = self._height
        for index, (para, height, entry) in enumerate(self._blocks):
            if para is not None:
                para.drawOn(self.canv, 0, top - height)
            top -= height
            last = index == len(self._blocks) - 1
            sign_top = self._sign_height if last else top
            self._draw_signature(entry, sign_top - self.sign_size * 1.15)
            top -= self._sign_height + 4


class _MinHeight(Flowable):
    """Cell content padded to a minimum height and centred in it: reportlab's Table has no minimum row height."""

    def __init__(self, content: Flowable, min_height: float) -> None:
        super().__init__()
        self.content = content
        self.min_height = min_height
        self._content_height = 0.0
        self._height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, self._content_height = self.content.wrap(availWidth, availHeight)
        self._height = max(self.min_height, self._content_height)
        return availWidth, self._height

    def draw(self) -> None:
        self.content.drawOn(self.canv, 0, (self._height - self._content_height) / 2)


@dataclass
class _Placed:
    cell: Cell
    row: int
    column: int


class FormBuilder:
    """Builds one bordered form table (with its title) as a single platypus flowable."""

    def __init__(
        self,
        title: str,
        subtitle: str | None = None,
        *,
        columns: int = 8,
        col_widths: Sequence[float] | None = None,
        width: float = TYPE_AREA_WIDTH,
        fonts: FontSet | None = None,
        shade_labels: bool = True,
        row_height: float = DEFAULT_ROW_HEIGHT,
        font_size: float = SIZE_SMALL_4,
    ) -> None:
        self.fonts = fonts or resolve_fonts()
        enable_chinese_line_breaking()
        self.title = title
        self.subtitle = subtitle
        if col_widths is not None:
            self.col_widths = [float(w) for w in col_widths]
            scale = width / sum(self.col_widths)
            self.col_widths = [w * scale for w in self.col_widths]
        else:
            self.col_widths = [width / columns] * columns
        self.columns = len(self.col_widths)
        self.width = width
        self.shade_labels = shade_labels
        self.row_height = row_height
        self.font_size = font_size
        self._rows: list[list[_Placed]] = []
        self._row_min: list[float] = []
        self._occupied: set[tuple[int, int]] = set()
        self._header: tuple[str, str] | None = None
        self._notes: list[str] = []
        self._opinion_boxes: list[OpinionBox] = []
        self.label_style = self._style("label", self.fonts.song, "center")
        self.value_style = self._style("value", self.fonts.fang, "left")

    # ----- styles ------------------------------------------------------------------------
    def _style(self, name: str, font: str, align: Align, size: float | None = None) -> ParagraphStyle:
        size = size or self.font_size
        return cjk_style(f"form-{name}-{align}", font, size, size * 1.4, ALIGNMENTS[align])

    def paragraph(self, text: str, *, is_label: bool = False, align: Align | None = None) -> Paragraph:
        base = self.label_style if is_label else self.value_style
        style = self._style("cell", base.fontName, align or ("center" if is_label else "left"))
        return Paragraph(self.fonts.markup(text, style.fontName), style)

    @property
    def label_span(self) -> int:
        """Columns a row label takes by default: a quarter of the grid (2 of 8, 1 of 4)."""
        return max(1, self.columns // 4)

    def span_width(self, column: int, colspan: int) -> float:
        return sum(self.col_widths[column : column + colspan])

    # ----- composing ------------------------------------------------------------------------
    def header(self, left: str = "", right: str = "") -> FormBuilder:
        """A line between the title and the table, e.g. 编号 on the right."""
        self._header = (left, right)
        return self

    def note(self, text: str) -> FormBuilder:
        """A line of small print under the table (注：…)."""
        self._notes.append(text)
        return self

    def row(self, cells: Sequence[Cell], height: float | None = None) -> FormBuilder:
        """Add one row. The spans must fill exactly the columns that earlier row spans left free."""
        index = len(self._rows)
        free = [c for c in range(self.columns) if (index, c) not in self._occupied]
        placed: list[_Placed] = []
        cursor = 0
        for cell in cells:
            if cursor + cell.colspan > len(free):
                raise ValueError(f"第{index + 1}行的单元格超出了{self.columns}列")
            column = free[cursor]
            span = list(range(column, column + cell.colspan))
            if free[cursor : cursor + cell.colspan] != span:
                raise ValueError(f"第{index + 1}行的跨列单元格跨过了上一行的跨行单元格")
            for r in range(index, index + cell.rowspan):
                for c in span:
                    self._occupied.add((r, c))
            placed.append(_Placed(cell, index, column))
            cursor += cell.colspan
        if cursor != len(free):
            raise ValueError(f"第{index + 1}行只填了{cursor}列，应为{len(free)}列")
        self._rows.append(placed)
        heights = [c.height for c in cells if c.height is not None]
        self._row_min.append(max([height or self.row_height, *heights]))
        return self

    def opinion_row(
        self,
        label_text: str,
        entries: Sequence[OpinionEntry],
        *,
        label_colspan: int | None = None,
        height: float = DEFAULT_OPINION_HEIGHT,
        sign_label: str = "签名",
    ) -> FormBuilder:
        """A tall row: the label on the left, the opinions with their signature lines on the right."""
        label_colspan = label_colspan or self.label_span
        value_span = self.columns - label_colspan
        box = OpinionBox(entries, self.value_style, self.fonts, height - 2 * CELL_PAD_Y, sign_label)
        self._opinion_boxes.append(box)
        return self.row([label(label_text, label_colspan), Cell(colspan=value_span, content=box)])

    def list_row(
        self,
        label_text: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        ratios: Sequence[float],
        *,
        label_colspan: int | None = None,
        empty_text: str = "无",
    ) -> FormBuilder:
        """A row whose value is a small ruled list (催办记录, 传阅情况 …) with its own column widths."""
        label_colspan = label_colspan or self.label_span
        value_span = self.columns - label_colspan
        inner_width = self.span_width(label_colspan, value_span)
        total = sum(ratios)
        widths = [inner_width * r / total for r in ratios]
        small = self._style("list", self.fonts.fang, "center", SIZE_5)
        head = self._style("list-head", self.fonts.song, "center", SIZE_5)
        data: list[list[Flowable]] = [[Paragraph(self.fonts.markup(h, head.fontName), head) for h in headers]]
        for record in rows:
            data.append([Paragraph(self.fonts.markup(text, small.fontName), small) for text in record])
        # The row's cell frames the list.
        style = ruled_style(self.fonts.song, 3, 3, 3, box=False)
        style.append(("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE if self.shade_labels else colors.white))
        if not rows:
            data.append(
                [Paragraph(self.fonts.markup(empty_text, small.fontName), small)] + [""] * (len(headers) - 1)
            )
            style.append(("SPAN", (0, 1), (-1, 1)))
        inner = Table(data, colWidths=widths)
        inner.setStyle(TableStyle(style))
        # The nested list sets the row's height, so its rules run from the top rule to the bottom one.
        return self.row(
            [label(label_text, label_colspan), Cell(colspan=value_span, content=_Flush(inner))], height=1
        )

    # ----- output -------------------------------------------------------------------------
    def _table(self) -> Table:
        data: list[list[Flowable | str]] = [["" for _ in range(self.columns)] for _ in self._rows]
        style = ruled_style(self.fonts.song, CELL_PAD_Y, CELL_PAD_Y, CELL_PAD_X)
        for row_index, placed_row in enumerate(self._rows):
            # One cell per row carries the row's minimum height; the others centre beside it.
            carrier = next(
                (p for p in placed_row if p.cell.rowspan == 1 and not isinstance(p.cell.content, _Flush)),
                None,
            )
            for placed in placed_row:
                cell = placed.cell
                first, last = placed.column, placed.column + cell.colspan - 1
                bottom = row_index + cell.rowspan - 1
                content: Flowable = (
                    cell.content
                    if cell.content is not None
                    else self.paragraph(cell.text, is_label=cell.label, align=cell.align)
                )
                if isinstance(content, _Flush):
                    style += [
                        ("LEFTPADDING", (first, row_index), (first, row_index), 0),
                        ("RIGHTPADDING", (first, row_index), (first, row_index), 0),
                        ("TOPPADDING", (first, row_index), (first, row_index), 0),
                        ("BOTTOMPADDING", (first, row_index), (first, row_index), 0),
                    ]
                elif placed is carrier:
                    content = _MinHeight(content, self._row_min[row_index] - 2 * CELL_PAD_Y)
                data[row_index][first] = content
                if cell.colspan > 1 or cell.rowspan > 1:
                    style.append(("SPAN", (first, row_index), (last, bottom)))
                if cell.label and self.shade_labels:
                    style.append(("BACKGROUND", (first, row_index), (last, bottom), LABEL_SHADE))
        table = Table(data, colWidths=self.col_widths)
        table.setStyle(TableStyle(style))
        return table

    def _parts(self) -> list[Flowable]:
        parts: list[Flowable] = [BoldTitle(self.title.split("\n"), self.fonts, SIZE_2, space_after=6)]
        if self.subtitle:
            style = self._style("subtitle", self.fonts.kai, "center", SIZE_SMALL_4 + 2)
            parts.append(Paragraph(self.fonts.markup(self.subtitle, style.fontName), style))
        if self._header:
            left, right = self._header
            parts.append(Spacer(0, 4))
            parts.append(_HeaderLine(left, right, self.fonts, self.font_size))
        parts.append(Spacer(0, 4))
        parts.append(self._table())
        for text in self._notes:
            style = self._style("note", self.fonts.song, "left", SIZE_5)
            parts.append(Spacer(0, 4))
            parts.append(Paragraph(self.fonts.markup(text, style.fontName), style))
        return parts

    def _height(self, parts: list[Flowable]) -> float:
        total = 0.0
        for part in parts:
            _, height = part.wrap(self.width, TYPE_AREA_HEIGHT * 10)
            total += height + part.getSpaceBefore() + part.getSpaceAfter()
        return total

    def build(self, max_height: float = TYPE_AREA_HEIGHT) -> Flowable:
        """The form as one flowable. Blank opinion boxes give up height, down to half, to stay on one page."""
        parts = self._parts()
        excess = self._height(parts) - max_height + 2  # 2 pt for rounding in reportlab's own layout
        room = sum(box.min_height - box.floor for box in self._opinion_boxes)
        if excess > 0 and room > 0:
            share = min(1.0, excess / room)
            for box in self._opinion_boxes:
                box.min_height -= (box.min_height - box.floor) * share
            parts = self._parts()
        return KeepTogether(parts)


class _Flush(Flowable):
    """A nested table that fills its cell edge to edge, so its rules meet the outer ones."""

    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = self.table.wrap(availWidth, availHeight)
        return width, height

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, 0)


class _HeaderLine(Flowable):
    def __init__(self, left: str, right: str, fonts: FontSet, size: float) -> None:
        super().__init__()
        self.left, self.right = left, right
        self.fonts = fonts
        self.size = size
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, self.size * 1.5

    def draw(self) -> None:
        font = self.fonts.song
        baseline = self.size * 0.35
        if self.left:
            draw_text(self.canv, self.fonts, 0, baseline, self.left, font, self.size)
        if self.right:
            width = self.fonts.string_width(self.right, font, self.size)
            draw_text(self.canv, self.fonts, self._width - width, baseline, self.right, font, self.size)
