"""The baseline of bench.print_forms: the 发文稿纸 drawn by a plain reportlab script, no GovDesk code at all.

    python bench/print_baseline.py FIELDS.json OUT.pdf|OUT_DIR FONT_DIR

FIELDS.json holds the printed strings of one record (a JSON object) or of several (a list); with a list,
OUT_DIR gets one PDF per record, as `govdesk print --id 1-100 --out DIR` writes them. The script draws
what GovDesk's form draws, the way a programmer would write it by hand: the same three font files (Song,
Hei and the Kai face that serves 楷体 and 仿宋, registered once), an A4 page with the GB/T 9704 type area,
the title at 二号, the ruled form table at 小四 with its label column shaded and the 签发 box spanning the
six rows beside it, the 办理记录 table that repeats its heading on a second page, and the page number.
It leaves out what a plain script would not do: no glyph fallback, no data checks, no Chinese line-breaking
rules beyond reportlab's own CJK wrap.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

SONG, HEI, KAI = "Song", "Hei", "Kai"
LEFT, TOP, WIDTH, HEIGHT = 28 * mm, 37 * mm, 156 * mm, 225 * mm
SHADE = colors.Color(0.93, 0.93, 0.93)


def register_fonts(font_dir: Path) -> None:
    pdfmetrics.registerFont(TTFont(SONG, str(font_dir / "gbsn00lp.ttf")))
    pdfmetrics.registerFont(TTFont(HEI, str(font_dir / "wqy-microhei.ttc"), subfontIndex=0))
    pdfmetrics.registerFont(TTFont(KAI, str(font_dir / "LXGWWenKai-Regular.ttf")))


def style(font: str, size: float, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(f"{font}-{size}-{align}", fontName=font, fontSize=size, leading=size * 1.4,
                          alignment=align, wordWrap="CJK")


def para(text: str, st: ParagraphStyle) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>"), st)


def form_table(f: dict[str, Any]) -> Table:
    label, value, prominent = style(SONG, 12, 1), style(KAI, 12), style(HEI, 14)
    sign = f["signing"]
    box = [para("签发：", label), para(sign["text"], value), Spacer(1, 6 * mm),
           para(f"签发人：{sign['name']}\n{sign['date']}", style(KAI, 12, 2))]
    beside = [("文号", f["doc_number"]), ("文种", f["doc_type"]), ("密级", f["classification"]),
              ("公开属性", f["disclosure"]), ("缓急", f["urgency"]), ("印制份数", f["copies"])]
    rows: list[list[Any]] = []
    for i, (name, text) in enumerate(beside):
        rows.append([para(name, label), para(text, value), box if i == 0 else "", ""])
    cosigns = f["cosigns"] or [["无会签单位", "", "", ""]]
    for unit, opinion, name, day in cosigns:
        rows.append([para("会签", label), para(unit, value), para(opinion, value), para(f"{name} {day}", value)])
    for caption, signer, opinion in f["opinions"]:  # 核稿, 复核
        rows.append([para(caption, label), [para(opinion["text"], value),
                                           para(f"{signer}：{opinion['name']}  {opinion['date']}", style(KAI, 12, 2))],
                     "", ""])
    rows.append([para("拟稿单位", label), para(f["drafting_unit"], value), para("拟稿人", label), para(f["drafter"], value)])
    rows.append([para("拟稿日期", label), para(f["drafted_on"], value), para("校对", label), para(f["proofreader"], value)])
    rows.append([para("标题", label), para(f["title"], prominent), "", ""])
    for name in ("主送", "抄送", "附件"):
        rows.append([para(name, label), para(f[name], value), "", ""])
    table = Table(rows, colWidths=[w * mm for w in (22, 55, 22, 57)], minRowHeights=[8.5 * mm] * len(rows))
    n = len(beside)
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 1.0, colors.black), ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("SPAN", (2, 0), (3, n - 1)), ("VALIGN", (2, 0), (3, n - 1), "TOP"),
    ]
    drafter_rows = n + len(cosigns) + len(f["opinions"])
    for r in range(n + len(cosigns), len(rows)):
        if r in (drafter_rows, drafter_rows + 1):
            commands.append(("BACKGROUND", (2, r), (2, r), SHADE))
        else:
            commands.append(("SPAN", (1, r), (3, r)))
    table.setStyle(TableStyle(commands))
    return table


def trail_table(trail: list[list[str]]) -> Table:
    head, cell = style(SONG, 10.5, 1), style(KAI, 10.5)
    rows: list[list[Any]] = [[para("办理记录", style(SONG, 12, 1)), "", "", "", ""],
                             [para(h, head) for h in ("办理时间", "环节", "办理人", "操作", "办理意见")]]
    rows += [[para(text, cell) for text in row] for row in trail] or [[para("暂无办理记录", cell), "", "", "", ""]]
    table = Table(rows, colWidths=[43 * mm, 12 * mm, 15 * mm, 18 * mm, 68 * mm], repeatRows=2)
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.0, colors.black), ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), SHADE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.setFont(SONG, 14)
    text = f"— {doc.page} —"
    y = A4[1] - TOP - HEIGHT - 7 * mm
    if doc.page % 2:
        canvas.drawRightString(LEFT + WIDTH - 14, y, text)
    else:
        canvas.drawString(LEFT + 14, y, text)


def draw(fields: dict[str, Any], out: Path) -> None:
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=LEFT, rightMargin=A4[0] - LEFT - WIDTH,
                            topMargin=TOP, bottomMargin=A4[1] - TOP - HEIGHT, title=fields["title"])
    title = para(fields["form_title"], style(SONG, 22, 1))
    doc.build([title, Spacer(1, 6 * mm), form_table(fields), trail_table(fields["trail"])],
              onFirstPage=page_number, onLaterPages=page_number)


def main(argv: list[str]) -> int:
    fields_file, out, font_dir = Path(argv[0]), Path(argv[1]), Path(argv[2])
    register_fonts(font_dir)
    data = json.loads(fields_file.read_text(encoding="utf-8"))
    if isinstance(data, list):
        for record in data:
            draw(record, out / f"baseline-{record['id']}.pdf")
    else:
        draw(data, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
