"""Reading a typeset 公文 back to measure it: text runs with their baselines and fonts (pypdf), printed lines
with their boxes (pdftotext -bbox-layout), stroked rules with their colour and weight (the content stream),
and where red ink lies on the rendered page (pdftoppm). Every measure is in millimetres from the page's top
and left edges, as GB/T 9704 gives its measures."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops
from pypdf.generic import ContentStream

from tests.helpers.linecheck import PAGE_NUMBER, PrintedLine, printed_lines
from tests.helpers.pdfcheck import reader

PT = 25.4 / 72  # millimetres in a point
PAGE_HEIGHT_MM = 297.0


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text (pypdf)."""
    return [page.extract_text() for page in reader(pdf).pages]


def mm_from_top(y_pt: float) -> float:
    return PAGE_HEIGHT_MM - y_pt * PT


@dataclass(frozen=True)
class Run:
    text: str
    x: float  # mm from the left edge
    baseline: float  # mm from the top edge
    font: str  # BaseFont without the subset tag
    size: float  # points


def runs(pdf: bytes, page_index: int) -> list[Run]:
    """Each text run on a page with its start, baseline, face and size."""
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1] if font else ""
            name = re.sub(r"-\d+$", "", name)  # a face from a .ttc carries its index
            found.append(Run(text, x * PT, mm_from_top(y), name, size * tm[3] * cm[3]))

    reader(pdf).pages[page_index].extract_text(visitor_text=visit)
    # pypdf hands a line over in pieces, each with the line's start: one run per line and face.
    merged: list[Run] = []
    for run in found:
        last = merged[-1] if merged else None
        if last and (last.x, last.baseline, last.font, last.size) == (run.x, run.baseline, run.font, run.size):
            merged[-1] = replace(last, text=last.text + run.text)
        else:
            merged.append(run)
    return merged


def run_starting(pdf: bytes, text: str) -> tuple[int, Run]:
    """The first run on any page whose text starts with text (white space ignored)."""
    for index in range(len(reader(pdf).pages)):
        for run in runs(pdf, index):
            if "".join(run.text.split()).startswith(text):
                return index, run
    raise AssertionError(f"no run starts with {text!r}")


def run_exact(pdf: bytes, text: str) -> tuple[int, Run]:
    """The first run on any page whose whole text is text (white space ignored)."""
    for index in range(len(reader(pdf).pages)):
        for run in runs(pdf, index):
            if "".join(run.text.split()) == text:
                return index, run
    raise AssertionError(f"no run reads {text!r}")


@dataclass(frozen=True)
class Rule:
    page: int  # 0-based
    x0: float
    x1: float
    y: float  # mm from the top
    weight: float  # mm
    rgb: tuple[float, float, float]

    @property
    def length(self) -> float:
        return self.x1 - self.x0


def _apply(m: list[float], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _concat(a: list[float], b: list[float]) -> list[float]:
    """a then b (PDF's cm premultiplies the current matrix)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def horizontal_rules(pdf: bytes) -> list[Rule]:
    """Every stroked horizontal segment (m … l … S) on every page, as drawn."""
    rules: list[Rule] = []
    pdf_reader = reader(pdf)
    for index, page in enumerate(pdf_reader.pages):
        content = ContentStream(page.get_contents(), pdf_reader)
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        stroke: tuple[float, float, float] = (0.0, 0.0, 0.0)
        width = 1.0
        stack: list[tuple[list[float], tuple[float, float, float], float]] = []
        path: list[tuple[tuple[float, float], tuple[float, float]]] = []
        current = (0.0, 0.0)
        for operands, operator in content.operations:
            op = operator.decode() if isinstance(operator, bytes) else str(operator)
            values = [float(v) for v in operands] if op in ("cm", "RG", "w", "m", "l", "G") else []
            if op == "q":
                stack.append((ctm, stroke, width))
            elif op == "Q":
                ctm, stroke, width = stack.pop()
            elif op == "cm":
                ctm = _concat(values, ctm)
            elif op == "RG":
                stroke = (values[0], values[1], values[2])
            elif op == "G":
                stroke = (values[0], values[0], values[0])
            elif op == "w":
                width = values[0]
            elif op == "m":
                current = _apply(ctm, values[0], values[1])
            elif op == "l":
                point = _apply(ctm, values[0], values[1])
                path.append((current, point))
                current = point
            elif op in ("S", "s"):
                for (ax, ay), (bx, by) in path:
                    if abs(ay - by) < 0.01:
                        rules.append(
                            Rule(
                                index,
                                min(ax, bx) * PT,
                                max(ax, bx) * PT,
                                mm_from_top(ay),
                                width * abs(ctm[3]) * PT,
                                stroke,
                            )
                        )
                path = []
            elif op == "n":
                path = []
    return rules


@dataclass(frozen=True)
class Picture:
    page: int  # 0-based
    left: float  # mm from the left
    top: float  # mm from the top
    width: float
    height: float


def pictures(pdf: bytes) -> list[Picture]:
    """Every image drawn (an XObject painted with Do), with the box its matrix gives it."""
    found: list[Picture] = []
    pdf_reader = reader(pdf)
    for index, page in enumerate(pdf_reader.pages):
        content = ContentStream(page.get_contents(), pdf_reader)
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        stack: list[list[float]] = []
        for operands, operator in content.operations:
            op = operator.decode() if isinstance(operator, bytes) else str(operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop()
            elif op == "cm":
                ctm = _concat([float(v) for v in operands], ctm)
            elif op == "Do":
                width, height = ctm[0] * PT, ctm[3] * PT
                found.append(Picture(index, ctm[4] * PT, mm_from_top(ctm[5]) - height, width, height))
    return found


def red_rules(pdf: bytes, page: int = 0) -> list[Rule]:
    return [r for r in horizontal_rules(pdf) if r.page == page and r.rgb[0] > 0.8 and r.rgb[1] < 0.2 and r.rgb[2] < 0.3]


def text_lines(pdf: bytes) -> list[PrintedLine]:
    """pdftotext's lines (points from the top-left), page numbers included."""
    return printed_lines(pdf)


def body_lines(pdf: bytes, page: int) -> list[PrintedLine]:
    """The lines of a page (1-based, as pdftotext counts), without the page number."""
    return [line for line in printed_lines(pdf) if line.page == page and not PAGE_NUMBER.fullmatch(line.text.strip())]


def page_number_lines(pdf: bytes) -> dict[int, PrintedLine]:
    return {line.page: line for line in printed_lines(pdf) if PAGE_NUMBER.fullmatch(line.text.strip())}


def render_page(pdf: bytes, page: int, dpi: int) -> Image.Image:
    """One page (1-based) as an RGB image."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        target = Path(folder) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-png",
                "-singlefile",
                str(source),
                str(target),
            ],
            check=True,
        )
        return Image.open(f"{target}.png").convert("RGB")


# Channel limits (low, high) of the ink sought: 公文 red, and black type.
RED = ((181, 255), (0, 89), (0, 99))
DARK = ((0, 109), (0, 109), (0, 109))


@dataclass(frozen=True)
class InkBox:
    left: float  # mm
    top: float
    right: float
    bottom: float


def ink_box(
    image: Image.Image,
    dpi: int,
    ink: tuple[tuple[int, int], ...],
    area: tuple[float, float, float, float] | None = None,
) -> InkBox | None:
    """The box (mm) around the pixels of this ink within area (left, top, right, bottom in mm), or None."""
    px = dpi / 25.4
    left, top, right, bottom = area or (0.0, 0.0, image.width / px, image.height / px)
    crop = image.crop((int(left * px), int(top * px), int(right * px), int(bottom * px)))
    mask: Image.Image | None = None
    for channel, (low, high) in zip(crop.split(), ink, strict=True):
        passed = channel.point(lambda v, lo=low, hi=high: 255 if lo <= v <= hi else 0)
        mask = passed if mask is None else ImageChops.multiply(mask, passed)
    assert mask is not None
    box = mask.getbbox()
    if box is None:
        return None
    return InkBox(left + box[0] / px, top + box[1] / px, left + box[2] / px, top + box[3] / px)
