"""导出Excel of the 信访台账: the list's cases as its filters select them, in the printed ledger's columns, saved where
the user chooses (the service writes the workbook, masks the phone for whoever does not handle petitions and
records the export).

LedgerExportAction(ctx, actor, current, parent): a QAction for the page's corner row or menu; ``current()`` gives
the list's PetitionFilter and its description in words (the sheet's caption, e.g. “全部在办，2026年”). It is
shown only to those who may export (records.sees_all): a unit's 联络员 does not see it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.services.kernel.actor import Actor
from app.services.petitions.ledger import LedgerExport, export_ledger
from app.services.petitions.listing import PetitionFilter
from app.services.petitions.records import sees_all
from app.ui.i18n import tr
from app.ui.petitions.import_dialog import write_file
from app.ui.widgets.db_call import db_call
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.qt_helpers import ask_excel_file

CurrentFilter = Callable[[], tuple[PetitionFilter, str]]


def export_ledger_file(
    parent: QWidget, ctx: AppContext, actor: Actor, f: PetitionFilter, caption: str, target: Path,
) -> LedgerExport | None:
    """Exports the ledger to ``target``; None, with the reason shown to the user, when it could not be done."""

    def work() -> LedgerExport:
        with ctx.uow() as uow:
            return export_ledger(uow, actor, f, caption=caption)

    try:
        made = db_call(parent, work)
        write_file(target, made.content)
    except GovDeskError as error:
        show_error(parent, error)
        return None
    return made


class LedgerExportAction(QAction):
    def __init__(self, ctx: AppContext, actor: Actor, current: CurrentFilter, parent: QWidget) -> None:
        super().__init__(tr("导出Excel…"), parent)
        self.ctx, self.actor, self.current, self.owner = ctx, actor, current, parent
        self.setToolTip(tr("把列表中按当前条件筛选出的信访件导出为Excel台账"))
        self.setVisible(sees_all(actor))
        self.triggered.connect(self.export)

    def export(self) -> LedgerExport | None:
        f, caption = self.current()
        target = ask_excel_file(self.owner, tr("信访台账{0}.xlsx").format(date.today().strftime("%Y%m%d")))
        if target is None:
            return None
        made = export_ledger_file(self.owner, self.ctx, self.actor, f, caption, target)
        if made is not None:
            inform(self.owner, tr("导出完成"), tr("已导出{0}件信访件到“{1}”。").format(made.count, target))
        return made
