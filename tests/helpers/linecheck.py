"""Printed lines read back from a PDF with their boxes, to check Chinese line-breaking on paper.

pypdf gives the text; poppler's ``pdftotext -bbox-layout`` gives each line's box as drawn, character
spacing (Tc) included, independently of reportlab.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.printing.kit.linebreak import CANNOT_END, CANNOT_START

needs_pdftotext = pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="pdftotext (poppler-utils) is not installed",
)


# GB/T 9704's page number, — 1 —, is no line of text.
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


@dataclass(frozen=True)
class PrintedLine:
    page: int
    text: str
    x0: float  # left edge, points from the page's left
    x1: float  # right edge
    top: float  # points from the page's top
    height: float


def printed_lines(pdf: bytes) -> list[PrintedLine]:
    """Every line of text on every page, in reading order."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        target = Path(folder) / "out.html"
        subprocess.run(["pdftotext", "-bbox-layout", str(source), str(target)], check=True)
        # The DOCTYPE names a DTD that ElementTree would not read anyway.
        root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", target.read_text(encoding="utf-8")))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    lines: list[PrintedLine] = []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        for line in page.iterfind(".//h:line", ns):
            text = "".join(word.text or "" for word in line.iterfind("h:word", ns))
            top, bottom = float(line.get("yMin", 0)), float(line.get("yMax", 0))
            lines.append(
                PrintedLine(number, text, float(line.get("xMin", 0)), float(line.get("xMax", 0)), top, bottom - top)
            )
    return lines


def breaking_faults(lines: list[PrintedLine]) -> list[str]:
    """Lines that start with a mark that may not start one, or end with one that may not end one."""
    faults = []
    for line in lines:
        text = line.text.strip()
        # A cell holding only a mark (“—” for nothing) is no broken line.
        if not text or PAGE_NUMBER.fullmatch(text) or all(c in CANNOT_START + CANNOT_END for c in text):
            continue
        if text[0] in CANNOT_START:
            faults.append(f"第{line.page}页的行以“{text[0]}”开头：{text}")
        if text[-1] in CANNOT_END:
            faults.append(f"第{line.page}页的行以“{text[-1]}”结尾：{text}")
    return faults
