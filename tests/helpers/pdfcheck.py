"""Reading printed PDFs back: their text, their fonts, and their pages as pixels."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(pdf).pages)


def compact(text: str) -> str:
    """Text without white space: extraction splits and spaces CJK runs unpredictably."""
    return "".join(text.split())


def fonts_of(pdf: bytes) -> Iterator[tuple[str, Any]]:
    """(BaseFont, font dictionary) of every font any page uses."""
    for page in reader(pdf).pages:
        resources: Any = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            yield str(font["/BaseFont"]), font


def assert_fonts_embedded(pdf: bytes) -> None:
    """Every font is an embedded TrueType subset: a reader without CJK fonts shows the same glyphs."""
    found = list(fonts_of(pdf))
    assert found, "the PDF uses no fonts"
    for name, font in found:
        assert font["/Subtype"] == "/TrueType", name
        assert "+" in name, f"{name} is not a subset"
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"


def text_runs(pdf: bytes, page_index: int = 0) -> list[tuple[str, float, float, str]]:
    """(text, x, y, font) of each text run on a page, in PDF coordinates."""
    runs: list[tuple[str, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            runs.append((text, x, y, str(font["/BaseFont"]) if font else ""))

    reader(pdf).pages[page_index].extract_text(visitor_text=visit)
    return runs


def assert_no_missing_glyphs(pdf: bytes) -> None:
    """Every character drawn is drawn in a font that has a glyph for it (no .notdef boxes)."""
    from reportlab.pdfbase import pdfmetrics

    from app.printing.kit.fonts import ROLES, missing_glyphs, resolve_fonts

    fonts = resolve_fonts()
    by_face: dict[str, str] = {}
    for role in ROLES:
        face = pdfmetrics.getFont(fonts.name(role)).face.name
        by_face[face.decode() if isinstance(face, bytes) else str(face)] = fonts.name(role)
    checked = 0
    for index in range(len(reader(pdf).pages)):
        for text, _, _, base_font in text_runs(pdf, index):
            face = base_font.lstrip("/").split("+", 1)[-1]
            if face not in by_face:
                face = face.rsplit("-", 1)[0]  # a face from a .ttc carries its index, e.g. -0
            assert face in by_face, f"text {text!r} is set in an unknown font {base_font}"
            drawn = "".join(text.split())
            assert missing_glyphs(by_face[face], drawn) == set(), f"{text!r} in {face}"
            checked += len(drawn)
    assert checked, "no text found"


def render_png(pdf: bytes, tmp_path: Path, dpi: int = 50, name: str = "page") -> list[Image.Image]:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / name)], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob(f"{name}-*.png"))]


def share_of_colour(
    image: Image.Image, box: tuple[int, int, int, int], rgb: tuple[int, int, int], tolerance: int = 24
) -> float:
    """The fraction of pixels in box (left, top, right, bottom) within tolerance of a colour."""
    data = image.crop(box).tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    close = sum(1 for p in pixels if all(abs(a - b) <= tolerance for a, b in zip(p, rgb, strict=True)))
    return close / max(1, len(pixels))
