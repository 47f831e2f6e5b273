"""打印 from a list: the selected records drawn in one form off the GUI thread, record by record with
progress and 取消; the records that could not be drawn named with their reason; the others in one print
preview, where the user prints them or saves them as one PDF.

Each record is loaded as the user who prints (app.forms.PrintContext), so the services refuse a record that
user may not see: the list hides nothing on its own, a refused record is named like any other failure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtWidgets import QProgressDialog, QWidget

from app import batch_print
from app.batch_print import BatchReport, merge, render_each
from app.core.errors import WorkCancelled
from app.forms import PrintContext, build_registry
from app.ui.i18n import tr
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.worker import ProgressFn, run_with_progress

# A record's name in the progress and in the failures: its number and the start of its title.
TITLE_CHARS = 30


@dataclass(frozen=True)
class PrintForm:
    """A form a list prints its selected records in: what the user reads, and the form registry's key."""

    label: str
    form: str


@dataclass(frozen=True)
class Selected:
    """One selected record: its id and how the user knows it (文号 and title, 单号 and 摘要)."""

    record_id: int
    name: str


@dataclass
class BatchRun:
    """One batch in flight and, once it ends, how it ended (for the tests and for a caller that waits)."""

    form: str
    selected: Sequence[Selected]
    dialog: QProgressDialog | None = None
    finished: bool = False
    cancelled: bool = False
    report: BatchReport = field(default_factory=BatchReport)
    pdf: bytes | None = None


def record_name(number: str, title: str) -> str:
    short = title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS] + "…"
    return f"{number} {short}".strip()


def too_many(count: int) -> str | None:
    """What to tell the user when a selection is more than one batch may print; None when it is not."""
    if count <= batch_print.MAX_IDS:
        return None
    return tr("一次最多打印 {0} 件，现在选了 {1} 件：请少选一些，分几次打印。").format(batch_print.MAX_IDS, count)


def print_selected(
    parent: QWidget, source: PrintContext, form: PrintForm, selected: Sequence[Selected],
    on_finished: Callable[[BatchRun], None] | None = None,
) -> BatchRun | None:
    """Draws the selected records in ``form`` off the GUI thread, then shows them in one print preview.

    Returns the run (its dialog carries the 取消), or None when there was nothing to start."""
    run = BatchRun(form.form, list(selected))
    if not selected:
        inform(parent, tr("打印"), tr("请先在列表中选中要打印的记录（按住 Ctrl 或 Shift 可多选，Ctrl+A 全选）。"))
        return None
    refusal = too_many(len(selected))
    if refusal is not None:
        inform(parent, tr("打印"), refusal)
        return None
    registry = build_registry()
    ids = [item.record_id for item in selected]
    names = {item.record_id: item.name for item in selected}
    total = len(ids)
    # The texts are translated here, in the GUI thread; the worker only fills them in.
    drawing = tr("正在生成{0}：第 {1}/{2} 件\n{3}")
    merging = tr("正在合成 {0} 件为一个 PDF…")

    def work(progress: ProgressFn) -> tuple[BatchReport, bytes | None]:
        # One step per record and one to merge them, so the bar is not full while the PDF is still being made.
        steps = total + 1

        def step(done: int, _total: int, _message: str) -> None:
            if done < total:
                progress(done, steps, drawing.format(form.label, done + 1, total, names[ids[done]]))
            else:
                progress(done, steps, merging.format(len(report.printed)))

        report = BatchReport()
        step(0, total, "")
        pdfs = [pdf for _id, pdf in render_each(registry, form.form, source, ids, report, step)]
        return report, (merge(pdfs) if pdfs else None)

    def done(outcome: tuple[BatchReport, bytes | None]) -> None:
        run.report, run.pdf = outcome
        run.finished = True
        _show_outcome(parent, form, run)
        if on_finished is not None:
            on_finished(run)

    def failed(error: BaseException) -> None:
        run.finished = True
        run.cancelled = isinstance(error, WorkCancelled)
        if not run.cancelled:
            show_error(parent, error, tr("无法打印"))
        if on_finished is not None:
            on_finished(run)

    run.dialog = run_with_progress(parent, tr("正在生成{0}").format(form.label), work, done, failed,
                                   cancel_label=tr("取消"))
    return run


def _show_outcome(parent: QWidget, form: PrintForm, run: BatchRun) -> None:
    report = run.report
    names = {item.record_id: item.name for item in run.selected}
    if report.failed:
        line = tr("• {0}：{1}")
        lines = "\n".join(line.format(names.get(record_id, record_id), reason) for record_id, reason in report.failed.items())
        if run.pdf is None:
            inform(parent, tr("未能打印"), tr("选中的 {0} 件都未能生成{1}：\n{2}").format(len(report.failed), form.label, lines))
            return
        inform(parent, tr("部分未能打印"), tr("以下 {0} 件未能生成{1}，打印预览中没有它们：\n{2}\n\n其余 {3} 件已在打印预览中。").format(
            len(report.failed), form.label, lines, len(report.printed)))
    if run.pdf is None:
        return
    _preview(parent, form, run.pdf, len(report.printed))


def _preview(parent: QWidget, form: PrintForm, pdf: bytes, count: int) -> None:
    from app.ui.widgets.print_preview import PrintPreviewDialog

    title = tr("{0}（{1} 件）").format(form.label, count)
    name = tr("{0}-{1}件-{2}.pdf").format(form.label, count, f"{date.today():%Y%m%d}")
    PrintPreviewDialog(title, pdf, name, parent).exec()


def selection_text(selected: int, loaded: int, total: int) -> str:
    """已选 N 件, and when every loaded row is chosen but the list has more, that only those print."""
    if selected == 0:
        return ""
    if selected == loaded and loaded < total:
        return tr("已选 {0} 件（列表共 {1} 条，只打印已选的；向下滚动可加载更多）").format(selected, total)
    return tr("已选 {0} 件").format(selected)


def describe_rows(rows: Sequence[Any], number: Callable[[Any], str]) -> list[Selected]:
    """The rows as records to print: their id, and their number (the list's first column) with their title."""
    return [Selected(int(row.id), record_name(number(row), str(getattr(row, "title", "")))) for row in rows]
