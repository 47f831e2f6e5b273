"""Real CUPS queues for the print tests: cups-pdf queues made with lpadmin for this run, and removed after.

- a4: a plain cups-pdf queue;
- laser: the same with a PPD whose A4 printable area leaves 4.2 mm on each side, as a laser printer's does;
- reject: a queue that refuses jobs (cupsreject);
- stopped: a queue that accepts jobs but is paused (cupsdisable), as a printer out of paper is.
The cups-pdf output of this run goes to a folder of its own (a cups-pdf configuration named for the run).
.ci/run installs cups, cups-client and printer-driver-cups-pdf and starts cupsd; without them the tests skip.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from app.printing.kit import spool

CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
LASER_MARGIN_PT = 4.2 / 25.4 * 72
# cups-pdf runs ghostscript on each job: a few seconds for a short form on a loaded machine.
OUTPUT_WAIT_S = 90.0


def missing_for_cups() -> str | None:
    if shutil.which("lpadmin") is None or shutil.which("lp") is None:
        return "CUPS is not installed (lp, lpadmin): .ci/run installs cups and cups-client"
    if not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists():
        return "cups-pdf is not installed: .ci/run installs printer-driver-cups-pdf"
    if not spool.cups_running():
        return "the CUPS scheduler (cupsd) is not running: .ci/run starts it"
    if os.geteuid() != 0:
        return "making test queues with lpadmin needs root (CI runs as root)"
    return None


@dataclass
class Queues:
    a4: str
    laser: str
    reject: str
    stopped: str
    out: Path

    def outputs(self) -> set[Path]:
        return set(self.out.glob("*.pdf"))

    def wait_for_new_output(self, before: set[Path], count: int = 1) -> list[Path]:
        """The cups-pdf files that appeared since `before`, once every job of this run's queues is done."""
        deadline = time.monotonic() + OUTPUT_WAIT_S
        while time.monotonic() < deadline:
            new = sorted(self.outputs() - before, key=lambda p: p.stat().st_mtime)
            if len(new) >= count and not self.busy():
                return new
            time.sleep(0.2)
        raise AssertionError(f"cups-pdf wrote {len(self.outputs() - before)} of {count} files in {OUTPUT_WAIT_S} s")

    def busy(self) -> bool:
        listed = subprocess.run(["lpstat", "-o", f"{self.a4},{self.laser}"], capture_output=True, text=True,
                                env={**os.environ, "LC_ALL": "C"})
        return bool(listed.stdout.strip())

    def output_of_job(self, job_id: int) -> Path:
        deadline = time.monotonic() + OUTPUT_WAIT_S
        while time.monotonic() < deadline:
            found = [p for p in self.outputs() if re.search(rf"job_{job_id}\.pdf$", p.name)]
            if found:
                time.sleep(0.3)  # written; let cups-pdf finish setting its mode
                return found[0]
            time.sleep(0.2)
        raise AssertionError(f"no cups-pdf output for job {job_id} in {OUTPUT_WAIT_S} s")


def _lpadmin(*args: str) -> None:
    subprocess.run(["lpadmin", *args], check=True, capture_output=True)


def laser_ppd(folder: Path) -> Path:
    """cups-pdf's PPD with an A4 printable area 4.2 mm in from every edge."""
    margin = LASER_MARGIN_PT
    text = CUPS_PDF_PPD.read_text(encoding="latin-1")
    area = f'*ImageableArea A4/A4: "{margin:.2f} {margin:.2f} {595 - margin:.2f} {842 - margin:.2f}"'
    text, count = re.subn(r"^\*ImageableArea A4/A4: .*$", area, text, flags=re.MULTILINE)
    assert count == 1, "cups-pdf's PPD has no A4 ImageableArea line to change"
    path = folder / "laser.ppd"
    path.write_text(text, encoding="latin-1")
    return path


@contextmanager
def queues_for_this_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Queues]:
    """The four queues, made for this run and removed after (the ``cups_queues`` fixture of tests/printing)."""
    run = f"govdesk{os.getpid()}"
    out = Path(f"/var/spool/cups-pdf/{run}")
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o1777)
    config = Path(f"/etc/cups/cups-pdf-{run}.conf")
    # cups-pdf:/NAME reads cups-pdf-NAME.conf: this run's output stays in its own folder.
    config.write_text(f"Out {out}\nAnonDirName {out}\nLabel 1\n", encoding="ascii")
    folder = tmp_path_factory.mktemp("cups")
    queues = Queues(f"{run}-a4", f"{run}-laser", f"{run}-reject", f"{run}-stopped", out)
    device = f"cups-pdf:/{run}"
    try:
        for name in (queues.a4, queues.reject, queues.stopped):
            _lpadmin("-p", name, "-E", "-v", device, "-P", str(CUPS_PDF_PPD), "-o", "PageSize=A4")
        _lpadmin("-p", queues.laser, "-E", "-v", device, "-P", str(laser_ppd(folder)), "-o", "PageSize=A4")
        subprocess.run(["cupsreject", queues.reject], check=True, capture_output=True)
        subprocess.run(["cupsdisable", queues.stopped], check=True, capture_output=True)
        yield queues
    finally:
        for name in (queues.a4, queues.laser, queues.reject, queues.stopped):
            subprocess.run(["cancel", "-a", name], capture_output=True)
            subprocess.run(["lpadmin", "-x", name], capture_output=True)
        config.unlink(missing_ok=True)
        shutil.rmtree(out, ignore_errors=True)


# --- measuring printed pages ----------------------------------------------------------------------------------

MEASURE_DPI = 150
MM_PER_PIXEL = 25.4 / MEASURE_DPI


@dataclass(frozen=True)
class PageMeasure:
    """A page as printed: its size in mm, and the box around all its ink (the form's frame and text) in mm."""

    width: float
    height: float
    ink: tuple[float, float, float, float]

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def measure(pdf: Path, first: int = 1, last: int | None = None) -> list[PageMeasure]:
    """Renders pages with poppler (which applies /Rotate, as a viewer and a printer do) and measures them."""
    found = []
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout).group(1))  # type: ignore[union-attr]
    for page in range(first, (last or count) + 1):
        png = subprocess.run(["pdftoppm", "-gray", "-r", str(MEASURE_DPI), "-f", str(page), "-l", str(page), "-png",
                              str(pdf)], capture_output=True, check=True).stdout
        image = Image.open(io.BytesIO(png))
        ink = image.point(lambda value: 255 if value < 160 else 0).getbbox()
        assert ink is not None, f"page {page} of {pdf.name} is blank"
        found.append(PageMeasure(image.width * MM_PER_PIXEL, image.height * MM_PER_PIXEL,
                                 tuple(round(v * MM_PER_PIXEL, 2) for v in ink)))  # type: ignore[arg-type]
    return found


def turned(page: PageMeasure, clockwise: bool) -> PageMeasure:
    """The page as it lies on paper turned by 90°: how a printer puts a landscape page on portrait paper."""
    x0, y0, x1, y1 = page.ink
    if clockwise:
        ink = (page.height - y1, x0, page.height - y0, x1)
    else:
        ink = (y0, page.width - x1, y1, page.width - x0)
    return PageMeasure(page.height, page.width, ink)


def assert_same_measures(printed: list[PageMeasure], original: list[PageMeasure], tolerance_mm: float = 0.5) -> None:
    """Same paper, and the form's frame in the same place to tolerance_mm: at 100%, from the paper's corner.

    A landscape page may come out as the same page turned onto portrait paper (Qt's print engine sends it so;
    cups-pdf's ghostscript writes a landscape page): on paper the two are one print, and either is accepted."""
    assert len(printed) == len(original), (len(printed), len(original))
    for number, (got, want) in enumerate(zip(printed, original, strict=True), start=1):
        candidates = [want] if got.landscape == want.landscape else [turned(want, True), turned(want, False)]
        errors = []
        for candidate in candidates:
            paper = max(abs(got.width - candidate.width), abs(got.height - candidate.height))
            frame = max(abs(a - b) for a, b in zip(got.ink, candidate.ink, strict=True))
            errors.append((max(paper, frame), candidate))
        worst, closest = min(errors, key=lambda pair: pair[0])
        assert worst <= tolerance_mm, (
            f"page {number}: printed {got.width:.1f}×{got.height:.1f} mm with the frame at {got.ink} mm; "
            f"the form is {closest.width:.1f}×{closest.height:.1f} mm with it at {closest.ink} mm ({worst:.2f} mm off)"
        )
