"""`python -m tests.helpers.official_pages DIR`: the README's pictures of the typeset 公文, one page of each kind
(下行文, 上行文, 纪要, 函 in the 信函格式), the 下行文's second page (its structure levels and a table with merged cells) and its
版记 page, from the samples in tests.helpers.official_samples, rendered
with pdftoppm (poppler-utils) at 60 dpi."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from app.printing.documents.official.render import render_official_document
from tests.helpers import official_samples

PAGES: tuple[tuple[str, str, int], ...] = (
    ("official-down-going", "down_going", 1),
    ("official-body-page", "down_going", 2),
    ("official-up-going", "up_going", 1),
    ("official-minutes", "minutes", 1),
    ("official-letter", "letter", 1),
    ("official-record-page", "down_going", -1),
)


def render_pages(target: Path) -> list[Path]:
    from pypdf import PdfReader

    target.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as work:
        for name, sample, page in PAGES:
            pdf = Path(work) / f"{sample}.pdf"
            if not pdf.exists():
                pdf.write_bytes(render_official_document(getattr(official_samples, sample)()))
            number = page if page > 0 else len(PdfReader(str(pdf)).pages)
            stem = target / name
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                            str(pdf), str(stem)], check=True)
            made.append(stem.with_suffix(".png"))
    return made


if __name__ == "__main__":
    for path in render_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshots")):
        print(path)
