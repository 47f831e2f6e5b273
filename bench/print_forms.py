"""Printing speed: `govdesk print outgoing-draft` (发文稿纸) from a cold start, beside a plain reportlab script
drawing the same form with the same font files, and LibreOffice converting a .docx of the same fields.

    python -m bench.print_forms [--runs 7] [--batch 100] [--batch-runs 3] [--database URL]

All three columns are measured in one run, interleaved so that machine noise hits each alike, and each
figure is the median of its runs:
- single: one form, each a fresh process (a clerk printing one sheet from the command line);
- batch: --batch forms in one process: `govdesk print --id a,b,… --out DIR`, the baseline script drawing
  them all in one process, and one `soffice --convert-to pdf` call with all the .docx files.
The bench writes the database (`govdesk demo-data --size 300` through the entry point) and, for the other two
columns, the records' printed fields (JSON) and .docx files (python-docx), outside
the timing. LibreOffice (Debian: libreoffice-writer-nogui) is given the same three font files through
fontconfig; without `soffice` its column is skipped and the bench says so.
Targets: GovDesk single ≤ 1.3× plain reportlab and ≤ 0.4× LibreOffice.

GovDesk keeps what parsing a font file finds in its per-user cache (app/printing/kit/font_cache.py), so only the
first print on a machine parses the fonts; the plain script parses them in every process. The bench gives
GovDesk a cache folder of its own: the `govdesk print` row is measured with a cache that an earlier print
built (the bench checks that it is there before it starts timing), and the `govdesk print, empty cache`
row empties the folder before each run, so it is the very first print on a machine, cache written included.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORM = "outgoing-draft"
# The font cache's files (app/printing/kit/fonts.py: cache_dir()/fonts-<format>/*.bin).
FONT_CACHE_GLOB = "fonts-*/*.bin"
BASELINE = Path(__file__).with_name("print_baseline.py")
# The family names fontconfig reads from the bundled files (fc-scan): Song, Hei, and the Kai face.
DOCX_FONTS = {"song": "AR PL SungtiL GB", "hei": "WenQuanYi Micro Hei", "kai": "LXGW WenKai"}

Runner = Callable[[], tuple[float, float]]

# Where a cold print's time goes, measured beside the three columns: GovDesk's own drawing of the same record
# (its data unpickled, no database), then the same with SQLAlchemy Core opening the database and reading the
# record's row. Both pause the collector as `govdesk print` does.
_DRAW_ONLY = """
import gc, pickle, sys
gc.disable()
from app.printing.documents.outgoing_draft import render_outgoing_draft
data = pickle.loads(open(sys.argv[1], "rb").read())
open(sys.argv[2], "wb").write(render_outgoing_draft(data))
gc.freeze()
"""
_CORE_AND_DRAW = """
import gc, pickle, sys
gc.disable()
from sqlalchemy import create_engine, text
with create_engine(sys.argv[3]).connect() as conn:
    conn.execute(text("SELECT * FROM documents WHERE id = :id"), {"id": int(sys.argv[4])}).all()
from app.printing.documents.outgoing_draft import render_outgoing_draft
data = pickle.loads(open(sys.argv[1], "rb").read())
open(sys.argv[2], "wb").write(render_outgoing_draft(data))
gc.freeze()
"""


# ----- setting up, outside the timing ---------------------------------------------------------------------


def govdesk_command() -> str:
    """The installed `govdesk` entry point of this environment (a console script beside its python)."""
    beside = Path(sys.executable).with_name("govdesk.exe" if os.name == "nt" else "govdesk")
    found = str(beside) if beside.exists() else shutil.which("govdesk")
    if not found:
        raise SystemExit("找不到 govdesk 命令：先在这个环境里安装本程序（pip install -e .[bench]）")
    return found


def make_database(govdesk: str, url: str) -> None:
    subprocess.run([govdesk, "--database", url, "demo-data", "--size", "300"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def printed_fields(url: str, wanted: int) -> list[dict[str, Any]]:
    """The first `wanted` 发文 that print, each as the strings its 发文稿纸 shows (through the same loader)."""
    from sqlalchemy import text

    from app.bootstrap import bootstrap
    from app.core.errors import GovDeskError
    from app.forms.documents import load_outgoing_draft
    from app.printing.documents.outgoing_draft import (
        CLASSIFICATION,
        URGENCIES,
        attachments_text,
        choice_boxes,
        disclosure_text,
        number_text,
        trail_rows,
    )
    from app.printing.kit.page import format_cn_date
    from app.printing.kit.table_form import OpinionEntry

    def opinion(entry: OpinionEntry) -> dict[str, str]:
        return {"text": entry.text, "name": entry.name, "date": format_cn_date(entry.date) if entry.date else ""}

    ctx = bootstrap(url)
    records: list[dict[str, Any]] = []
    try:
        with ctx.engine.connect() as conn:
            ids = conn.execute(text("SELECT id FROM documents WHERE direction = 'out' ORDER BY id")).scalars().all()
        for record_id in ids:
            try:
                data = load_outgoing_draft(ctx, record_id)
            except GovDeskError:
                continue
            records.append({
                "id": record_id,
                "form_title": f"{data.office_name}发文稿纸",
                "title": data.title,
                "doc_number": number_text(data.doc_number),
                "doc_type": data.doc_type,
                "classification": CLASSIFICATION,
                "disclosure": disclosure_text(data.disclosure, data.disclosure_reason),
                "urgency": choice_boxes(URGENCIES, data.urgency),
                "copies": f"{data.copies}份" if data.copies else "",
                "signing": opinion(data.signing),
                "opinions": [["核稿", "核稿人", opinion(data.review)],
                             ["复核", "复核人", opinion(getattr(data, "recheck", OpinionEntry()))]],
                "cosigns": [list(c.cells()) for c in data.cosigns],
                "drafting_unit": data.drafting_unit,
                "drafter": data.drafter,
                "drafted_on": format_cn_date(data.drafted_on) if data.drafted_on else "",
                "proofreader": data.proofreader,
                "主送": data.main_recipients,
                "抄送": data.copy_recipients,
                "附件": attachments_text(data.attachments),
                "trail": trail_rows(data.trail),
            })
            if len(records) == wanted:
                break
    finally:
        ctx.dispose()
    if len(records) < wanted:
        raise SystemExit(f"数据库里只有 {len(records)} 件可打印的发文，需要 {wanted} 件")
    return records


def write_docx(fields: dict[str, Any], out: Path) -> None:
    """The same fields as a Word form: title, the ruled form table, the 办理记录 table."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.top_margin = Mm(28), Mm(37)
    section.right_margin, section.bottom_margin = Mm(26), Mm(35)

    def styled(paragraph: Any, font: str, size: float, align: Any = None) -> None:
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.name = DOCX_FONTS[font]
            run._element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONTS[font])

    def cell(table: Any, row: int, col: int, text: str, font: str = "kai", size: float = 12, align: Any = None) -> None:
        target = table.cell(row, col)
        target.text = text
        for paragraph in target.paragraphs:
            styled(paragraph, font, size, align)

    styled(doc.add_paragraph(fields["form_title"]), "song", 22, WD_ALIGN_PARAGRAPH.CENTER)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    beside = [("文号", fields["doc_number"]), ("文种", fields["doc_type"]), ("密级", fields["classification"]),
              ("公开属性", fields["disclosure"]), ("缓急", fields["urgency"]), ("印制份数", fields["copies"])]
    cosigns = fields["cosigns"] or [["无会签单位", "", "", ""]]
    lines = len(beside) + len(cosigns) + len(fields["opinions"]) + 6
    table = doc.add_table(rows=lines, cols=4)
    table.style = "Table Grid"
    for i, (name, value) in enumerate(beside):
        cell(table, i, 0, name, "song", align=centre)
        cell(table, i, 1, value)
    box = table.cell(0, 2).merge(table.cell(len(beside) - 1, 3))
    sign = fields["signing"]
    box.text = f"签发：\n{sign['text']}\n\n签发人：{sign['name']}\n{sign['date']}"
    for paragraph in box.paragraphs:
        styled(paragraph, "kai", 12)
    row = len(beside)
    for unit, opinion, name, day in cosigns:
        cell(table, row, 0, "会签", "song", align=centre)
        for col, value in enumerate((unit, opinion, f"{name} {day}"), start=1):
            cell(table, row, col, value)
        row += 1
    for caption, signer, opinion in fields["opinions"]:
        cell(table, row, 0, caption, "song", align=centre)
        merged = table.cell(row, 1).merge(table.cell(row, 3))
        merged.text = f"{opinion['text']}\n{signer}：{opinion['name']}  {opinion['date']}"
        for paragraph in merged.paragraphs:
            styled(paragraph, "kai", 12)
        row += 1
    for left, right in ((("拟稿单位", fields["drafting_unit"]), ("拟稿人", fields["drafter"])),
                        (("拟稿日期", fields["drafted_on"]), ("校对", fields["proofreader"]))):
        cell(table, row, 0, left[0], "song", align=centre)
        cell(table, row, 1, left[1])
        cell(table, row, 2, right[0], "song", align=centre)
        cell(table, row, 3, right[1])
        row += 1
    for name, font, size in (("标题", "hei", 14), ("主送", "kai", 12), ("抄送", "kai", 12), ("附件", "kai", 12)):
        cell(table, row, 0, name, "song", align=centre)
        table.cell(row, 1).merge(table.cell(row, 3))
        cell(table, row, 1, fields["title"] if name == "标题" else fields[name], font, size)
        row += 1
    for column, width in zip(table.columns, (22, 55, 22, 57), strict=True):
        for c in column.cells:
            c.width = Mm(width)
    trail = doc.add_table(rows=2 + len(fields["trail"]), cols=5)
    trail.style = "Table Grid"
    trail.cell(0, 0).merge(trail.cell(0, 4))
    cell(trail, 0, 0, "办理记录", "song", align=centre)
    for col, heading in enumerate(("办理时间", "环节", "办理人", "操作", "办理意见")):
        cell(trail, 1, col, heading, "song", 10.5, centre)
    for r, values in enumerate(fields["trail"], start=2):
        for col, value in enumerate(values):
            cell(trail, r, col, value, "kai", 10.5)
    doc.save(str(out))


def fontconfig_env(work: Path) -> None:
    """LibreOffice gets the bundled font files too (this machine may have no CJK font of its own)."""
    from app.paths import resources_dir

    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{resources_dir() / 'fonts'}</dir>\n  <cachedir>{work / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )


# ----- measuring --------------------------------------------------------------------------------------------


def timed(argv: list[str], env: dict[str, str], expect: Callable[[], bool]) -> tuple[float, float]:
    """Wall time of one process from its start to its exit, and its peak memory (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert process.stderr is not None
    err = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0 or not expect():
        raise SystemExit(f"失败：{' '.join(argv)}\n{err.decode(errors='replace')}")
    return elapsed, usage.ru_maxrss / 1024


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def all_pdfs(folder: Path, count: int) -> Callable[[], bool]:
    return lambda: len(list(folder.glob("*.pdf"))) == count


def measure(runners: dict[str, Runner], runs: int) -> dict[str, list[tuple[float, float]]]:
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in runners}
    for run in runners.values():
        run()  # warm-up: bytecode, the OS file cache, LibreOffice's user profile
    for _ in range(runs):
        for name, run in runners.items():
            results[name].append(run())
    return results


def report(title: str, results: dict[str, list[tuple[float, float]]], runs: int) -> dict[str, float]:
    medians = {name: statistics.median(t for t, _ in values) for name, values in results.items()}
    print(f"\n{title}（{runs} 次取中位数）")
    print(f"{'':22}{'秒':>8}{'峰值内存 MB':>14}{'各次（秒）':>12}")
    for name, values in results.items():
        memory = statistics.median(m for _, m in values)
        each = " ".join(f"{t:.2f}" for t, _ in values)
        print(f"{name:22}{medians[name]:8.2f}{memory:14.1f}   {each}")
    return medians


def prepare(work: Path, url: str, count: int) -> None:
    """In a child process, so that the bench's own process stays small: a child's peak memory starts from
    its parent's at fork. Writes the records' fields (JSON), their .docx files and LibreOffice's fonts.conf."""
    from app.paths import resources_dir

    records = printed_fields(url, count)
    from app.bootstrap import bootstrap
    from app.forms.documents import load_outgoing_draft

    ctx = bootstrap(url)
    try:
        (work / "one.pickle").write_bytes(pickle.dumps(load_outgoing_draft(ctx, records[0]["id"])))
    finally:
        ctx.dispose()
    (work / "one.json").write_text(json.dumps(records[0], ensure_ascii=False), encoding="utf-8")
    (work / "batch.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    docx_dir = fresh(work / "docx")
    for record in records:
        write_docx(record, docx_dir / f"{FORM}-{record['id']}.docx")
    fontconfig_env(work)
    meta = {"font_dir": str(resources_dir() / "fonts"), "ids": [r["id"] for r in records]}
    (work / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.print_forms", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="single-form runs per column")
    parser.add_argument("--batch", type=int, default=100, help="forms in the batch")
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--database", help="an existing GovDesk database (default: a new demo database)")
    parser.add_argument("--prepare", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(Path(args.prepare), args.database, max(args.batch, 1))
        return 0
    govdesk = govdesk_command()
    soffice = shutil.which("soffice")
    with tempfile.TemporaryDirectory(prefix="govdesk-print-bench-") as tmp:
        work = Path(tmp)
        url = args.database or f"sqlite:///{work / 'print-bench.sqlite3'}"
        if not args.database:
            make_database(govdesk, url)
        subprocess.run([sys.executable, "-m", "bench.print_forms", "--prepare", str(work), "--database", url,
                        "--batch", str(args.batch)], check=True)
        meta = json.loads((work / "meta.json").read_text(encoding="utf-8"))
        font_dir, record_ids = meta["font_dir"], meta["ids"]
        one, count, docx_dir = record_ids[0], len(record_ids), work / "docx"
        # Every process runs with its bytecode cached, as an installed program does; the warm-ups fill it.
        # GovDesk's per-user cache is a folder of the bench's own: the user's is neither read nor written.
        font_cache, empty_cache = work / "cache", work / "empty-cache"
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(work / "pycache"), GOVDESK_CACHE_DIR=str(font_cache))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        first_env = dict(env, GOVDESK_CACHE_DIR=str(empty_cache))
        lo_env = dict(os.environ, FONTCONFIG_FILE=str(work / "fonts.conf"))
        profile = f"-env:UserInstallation={(work / 'lo-profile').as_uri()}"
        out = work / "out"
        ids = ",".join(map(str, record_ids))
        pdf = out / "one.pdf"

        def print_one() -> list[str]:
            return [govdesk, "--database", url, "print", FORM, "--id", str(one), "--out", str(fresh(out) / "one.pdf")]

        def first_print() -> list[str]:
            fresh(empty_cache)  # before the clock starts: timed() gets the argv ready-made
            return print_one()

        # The font cache is built by a print before any timing, and the bench checks that it was: the
        # `govdesk print` row is a later process on a machine that has printed before.
        subprocess.run(print_one(), env=env, check=True, stdout=subprocess.DEVNULL)
        cached = sorted(font_cache.glob(FONT_CACHE_GLOB))
        if not cached:
            raise SystemExit(f"第一次打印没有在 {font_cache} 写下字体缓存：这一行测的就不是有缓存的打印")
        print(f"字体缓存（由计时前的一次打印写下）：{len(cached)} 个文件，{sum(p.stat().st_size for p in cached) // 1024} KB")

        single: dict[str, Runner] = {
            "govdesk print": lambda: timed(print_one(), env, pdf.exists),
            # The first print on a machine: its cache folder emptied before each run (outside the timing).
            "govdesk print, empty cache": lambda: timed(first_print(), first_env, pdf.exists),
            "plain reportlab": lambda: timed(
                [sys.executable, str(BASELINE), str(work / "one.json"), str(fresh(out) / "one.pdf"), font_dir],
                env, pdf.exists),
        }
        batch: dict[str, Runner] = {
            "govdesk print --id": lambda: timed(
                [govdesk, "--database", url, "print", FORM, "--id", ids, "--out", str(fresh(out))],
                env, all_pdfs(out, count)),
            "plain reportlab": lambda: timed(
                [sys.executable, str(BASELINE), str(work / "batch.json"), str(fresh(out)), font_dir],
                env, all_pdfs(out, count)),
        }
        single["  draw only (GovDesk)"] = lambda: timed(
            [sys.executable, "-c", _DRAW_ONLY, str(work / "one.pickle"), str(fresh(out) / "one.pdf")], env, pdf.exists)
        single["  + SQLAlchemy, 1 row"] = lambda: timed(
            [sys.executable, "-c", _CORE_AND_DRAW, str(work / "one.pickle"), str(fresh(out) / "one.pdf"), url,
             str(one)], env, pdf.exists)
        one_docx = docx_dir / f"{FORM}-{one}.docx"
        if soffice:
            single["LibreOffice"] = lambda: timed(
                [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(fresh(out)), str(one_docx)],
                lo_env, (out / one_docx.with_suffix(".pdf").name).exists)
            batch["LibreOffice"] = lambda: timed(
                [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(fresh(out)),
                 *sorted(str(p) for p in docx_dir.glob("*.docx"))],
                lo_env, all_pdfs(out, count))
        print(f"表单：{FORM}（发文稿纸），记录 {one}；数据库：{url if args.database else 'demo-data --size 300'}")
        print(f"govdesk：{govdesk}")
        if not soffice:
            print("没有找到 LibreOffice（soffice）：跳过 LibreOffice 一列。Debian: apt-get install libreoffice-writer-nogui")
        before = {p: p.stat().st_mtime_ns for p in cached}
        s = report("单张（每次一个新进程）", measure(single, args.runs), args.runs)
        # Only the files the govdesk row reads: the diagnostic rows import app from this checkout, whose fonts
        # (at another path, so under other cache names) they may cache beside them.
        if {p: p.stat().st_mtime_ns for p in cached} != before:
            print("注意：计时期间字体缓存被重写过，“govdesk print”一行里有重新解析字体的打印")
        b = report(f"批量 {count} 张（一个进程）", measure(batch, args.batch_runs), args.batch_runs)
    print("\n比值")
    print(f"  单张 govdesk / plain reportlab = {s['govdesk print'] / s['plain reportlab']:.2f}（目标 ≤ 1.3）")
    first = s["govdesk print, empty cache"]
    print(f"  单张，本机第一次打印（缓存为空）/ plain reportlab = {first / s['plain reportlab']:.2f}")
    print(f"  批量 govdesk / plain reportlab = {b['govdesk print --id'] / b['plain reportlab']:.2f}")
    if soffice:
        print(f"  单张 govdesk / LibreOffice     = {s['govdesk print'] / s['LibreOffice']:.2f}（目标 ≤ 0.4）")
        print(f"  单张，本机第一次打印（缓存为空）/ LibreOffice = {first / s['LibreOffice']:.2f}")
        print(f"  批量 govdesk / LibreOffice     = {b['govdesk print --id'] / b['LibreOffice']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
