"""The window of one document: its fields, the history of opinions, the flowchart, files, circulation
or distribution, recorded errors, and the actions this user may take at its current step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.documents import DEFAULT_COPIES, OUTGOING, SIGNED_FILES_MESSAGE, signed_files_frozen
from app.core.errors import GovDeskError
from app.core.file_names import clean_name
from app.core.official_document import TYPESET_STATES
from app.core.roles import Role
from app.services.admin import unit_groups
from app.services.admin import users as admin
from app.services.documents import archives, incoming, official, outgoing
from app.services.documents import records as documents
from app.services.kernel.actor import Actor
from app.services.workflow import urges
from app.services.workflow.detail import ActionChoice
from app.ui.documents.inputs import ArchiveDialog, HandlingDialog, PickDialog, PrintedDialog, ReturnDialog
from app.ui.i18n import tr
from app.ui.theme import ACCENT, MUTED, SOON, URGENT
from app.ui.widgets.display import cn_date, fill_table, past_due, plain_table, when
from app.ui.widgets.messages import confirm, inform, show_error
from app.ui.widgets.opinion import OpinionBox, PhraseReader
from app.ui.widgets.qt_helpers import add_button, ask_open_file, clear_layout, icon_button
from app.ui.widgets.record_features import RecordFeaturesPanel, attach_record_features
from app.ui.widgets.record_tabs import AttachmentsPanel, Fact
from app.ui.widgets.record_window import ExtraAction, RecordWindow
from app.ui.widgets.units import GroupPicker


class DocumentWindow(RecordWindow):
    # 作废理由, 退回理由 and 办理结果 are typed in the opinion box too: their refusals show under it.
    opinion_fields = ("opinion", "reason", "result")
    # 送核稿, 核稿通过/会签完毕 (送签发) and 拟办 (送批办) may name the next handler.
    send_to_actions = frozenset({"submit", "approve", "propose"})

    def __init__(self, ctx: AppContext, actor: Actor, document_id: int, parent: QWidget | None = None) -> None:
        # Leaders write the same few opinions all day: one click puts one in the box (their own 常用意见,
        # then the office's, read with the document).
        opinion = OpinionBox(tr("办理意见："), tr("办理意见（签发、批示、拟办、退回理由、办理结果都写在这里）"),
                             height=80, area="documents", ctx=ctx, actor=actor)
        super().__init__(ctx, actor, opinion, parent, attachments=AttachmentsPanel(tr("添加附件…")))
        self.document_id = document_id
        self.reader = partial(_read_document, ctx, actor, document_id, opinion.reader)
        self.detail: documents.DocumentDetail | None = None
        self.record_features: RecordFeaturesPanel | None = None
        self.phrases = self.opinion_box.phrases

        panel = self.attachments
        assert isinstance(panel, AttachmentsPanel)
        self.files, self.add_file_button = panel.table, panel.add_button
        panel.wire(self.choose_file, self.open_selected_file, self.export_selected_file)
        self.tabs.setTabText(self.files_index, tr("正文和附件"))
        self.parties = plain_table()
        self.errors = plain_table()
        parties_tab = QWidget()
        parties_layout = QVBoxLayout(parties_tab)
        self.parties_buttons = QHBoxLayout()
        parties_layout.addLayout(self.parties_buttons)
        parties_layout.addWidget(self.parties)
        self.parties_index = self.add_area_tab(parties_tab, "users", tr("传阅"))
        self.add_area_tab(self.errors, "edit", tr("差错"))

        self.add_print_button(tr("打印…"))
        self.archive_files_button = self.add_tool(icon_button("save", tr("导出归档文件…"), self.export_archive_files))
        self.archive_files_button.setToolTip(tr("按归档顺序（正本、发文稿纸、定稿、附件）导出这一件的全部文件"))
        self.archive_files_button.hide()
        # What other areas open from a document (转为督办事项…), as their manifests say.
        self.add_openers("document", document_id, lambda: self.doc.title if self.detail is not None else "")
        self.load()

    # ----- showing --------------------------------------------------------------------------------------------
    @property
    def doc(self) -> documents.DocumentInfo:
        assert self.detail is not None
        return self.detail.document

    def show_record(self, detail: documents.DocumentDetail) -> None:
        doc = detail.document
        outgoing_doc = doc.direction == OUTGOING
        overdue = past_due(doc.due_date) and not doc.closed
        colour = MUTED if doc.closed else URGENT if overdue else SOON if detail.circulating else ACCENT
        state = tr("已办结（{0}）").format(doc.state_label) if doc.closed else tr("当前环节：{0}").format(doc.state_label)
        if overdue:
            state += tr("（已逾期）")
        if detail.circulating:
            state += tr("　传阅中：{0}").format(tr("、").join(detail.holders))
        self.opinion_box.show_phrases()
        self.show_header(f"{doc.direction_label} — {doc.title}", doc.title, state, colour,
                         _outgoing_facts(doc) if outgoing_doc else _incoming_facts(detail))
        self.info_sheet.set_facts(_record_facts(detail))
        self.show_history(detail.instance.history)
        self.show_flow(detail.instance.flow, detail.instance.trail)
        self.show_files(detail.files, lambda f: documents.FILE_PURPOSES.get(f.purpose, tr("附件")))
        if outgoing_doc:
            self.tabs.setTabText(self.parties_index, tr("会签与分发"))
            rows = [[tr("会签"), c.unit_name,
                     tr("{0}（{1}，{2}代录）").format(c.given_by, c.basis, c.by_name) if c.on_behalf else c.by_name,
                     when(c.at), c.opinion] for c in detail.cosigners]
            rows += [[tr("分发"), d.unit_name, d.received_by_name or tr("未签收"), when(d.received_at), tr("{0}份").format(d.copies)]
                     for d in detail.distributions]
            fill_table(self.parties, [tr("类别"), tr("单位"), tr("办理人"), tr("时间"), tr("意见/说明")], rows)
        else:
            self.tabs.setTabText(self.parties_index, tr("传阅"))
            fill_table(self.parties, [tr("阅件人"), tr("送阅时间"), tr("阅毕时间"), tr("状态"), tr("阅批意见")], [
                [c.reader_name, when(c.sent_at), when(c.read_at), c.status, c.remark] for c in detail.circulations
            ])
        fill_table(self.errors, [tr("类别"), tr("说明"), tr("责任人"), tr("单位"), tr("登记人"), tr("时间")], [
            [e.kind, e.note, e.person_name, e.unit_name, e.recorded_by_name, when(e.at)] for e in detail.errors
        ])
        self.show_urges(detail.urges)
        self.show_related([])
        # 责任与进展 (who answers for the document, its parallel work) and, in 关联, the records opened from it
        # (督办事项), read by its flow instance once the document is read.
        if self.record_features is None:
            self.record_features = attach_record_features(self, detail.instance.info.id)
        self.record_features.refresh()
        self._build_actions()

    def _build_actions(self) -> None:
        assert self.detail is not None
        clear_layout(self.parties_buttons)
        detail, doc = self.detail, self.detail.document
        extras: list[ExtraAction] = []
        if doc.direction == OUTGOING and doc.state == "draft" and doc.drafter_id == self.actor.id:
            extras.append((tr("修改文稿"), self.edit_draft, False))
        if detail.my_cosign_unit_id is not None:
            extras.append((tr("会签同意"), lambda: self.cosign(True), True))
            extras.append((tr("会签不同意"), lambda: self.cosign(False), False))
        if detail.proxy_cosign_unit_ids:
            extras.append((tr("代录会签意见…"), self.record_cosign, False))
        if detail.may_reply:
            extras.append((tr("答复来文单位…"), self.reply, False))
        if detail.my_circulation_id is not None:
            extras.append((tr("已阅"), self.mark_read, True))
        if detail.my_receipt_unit_id is not None:
            extras.append((tr("签收"), self.confirm_receipt, True))
        if doc.direction == OUTGOING and doc.state in TYPESET_STATES and self.actor.has(*official.TYPESETTERS):
            extras.append((tr("生成正式公文…"), self.typeset, False))
        self.show_actions(detail.instance.actions, extras, instance=detail.instance)
        self.archive_files_button.setVisible(doc.state in ("archive", "archived") and self._may_circulate())
        if doc.direction != OUTGOING and doc.state == "circulate" and self._may_circulate():
            add_button(self.parties_buttons, tr("送传阅…"), self.circulate)
            add_button(self.parties_buttons, tr("收回选中"), self.recall_selected)
        self.parties_buttons.addStretch(1)
        can_act = self.actions_row.count() > 0
        self.opinion_box.set_enabled(can_act)
        if can_act:
            # The 待批 case: the window opens with the cursor where the opinion goes.
            self.opinion.setFocus()
        may_urge = not doc.closed and self.actor.has(*urges.URGING_ROLES) and (past_due(doc.due_date) or bool(doc.urgency))
        self.set_urging(may_urge)
        # The service refuses it too; the button says why before anyone picks a file.
        frozen = signed_files_frozen(doc.direction, doc.signed_at is not None, doc.state, "attachment")
        self.add_file_button.setEnabled(not frozen and not doc.closed)
        self.add_file_button.setToolTip(tr(SIGNED_FILES_MESSAGE) if frozen else "")

    def typeset(self) -> None:
        """生成正式公文: the signed text typeset to GB/T 9704 (app.ui.documents.official_dialog)."""
        from app.ui.documents.official_dialog import open_official_dialog

        dialog = open_official_dialog(self.ctx, self.actor, self.document_id, self)
        if dialog is not None:
            dialog.exec()
            if dialog.kept is not None:
                self.load()

    def export_archive_files(self) -> Path | None:
        """The 件's files, numbered in filing order, into a folder of the user's choosing."""
        from PySide6.QtWidgets import QFileDialog

        from app.forms import PrintContext
        from app.forms.documents import archive_files

        files = self.read(lambda: archive_files(PrintContext(self.ctx, self.actor), self.document_id))
        if files is None:
            return None
        chosen = QFileDialog.getExistingDirectory(self, tr("选择导出归档文件的文件夹"), str(Path.home()))
        if not chosen:
            return None
        folder = Path(chosen) / clean_name(f"{self.doc.doc_number or self.doc.receipt_number or self.doc.title}")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in files:
                (folder / name).write_bytes(data)
        except OSError as error:
            show_error(self, OSError(tr("无法写入 {0}：{1}").format(folder, error.strerror)))
            return None
        inform(self, tr("导出归档文件"), tr("已按归档顺序导出{0}个文件到：\n{1}").format(len(files), folder))
        return folder

    def _may_circulate(self) -> bool:
        """Who runs the 传阅 (the service checks it again): the office's clerks and its leads."""
        return self.actor.has(Role.SECRETARY, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)

    # ----- acting ---------------------------------------------------------------------------------------------
    def act(self, choice: ActionChoice) -> None:
        doc, v = self.doc, self.doc.version
        ident, actor = self.document_id, self.actor
        opinion = self.opinion_text()
        to = self.sent_to(choice.action)  # read here: the service runs off the GUI thread
        if doc.direction == OUTGOING:
            handlers: dict[str, Callable[[], object]] = {
                "submit": lambda: self.run_service(lambda u: outgoing.submit(
                    u, actor, ident, opinion, expected_version=v, send_to=to)),
                "cancel": lambda: self._with_opinion(tr("作废理由"), lambda text: self.run_service(
                    lambda u: outgoing.cancel_draft(u, actor, ident, text, expected_version=v))),
                "approve": lambda: self.run_service(lambda u: outgoing.review(
                    u, actor, ident, "approve", opinion, expected_version=v, send_to=to)),
                "return": lambda: self._return(lambda u, text, errs: outgoing.review(
                    u, actor, ident, "return", text, errors=errs, expected_version=v), doc.state == "review"),
                "sign": lambda: self._with_opinion(tr("签发意见"), lambda text: self.run_service(
                    lambda u: outgoing.sign(u, actor, ident, text, expected_version=v))),
                "recheck": lambda: self.run_service(lambda u: outgoing.recheck(
                    u, actor, ident, "approve", opinion, expected_version=v)),
                "return_to_signer": lambda: self._with_opinion(
                    tr("退回复审的理由") if doc.state == "recheck" else tr("退回签发人的理由（要修改什么、为什么）"),
                    lambda text: self.run_service(lambda u: outgoing.return_to_signer(u, actor, ident, text, expected_version=v))),
                "assign_number": lambda: self.run_service(lambda u: outgoing.assign_number(u, actor, ident, expected_version=v)),
                "printed": self._printed,
                "sealed": lambda: self.run_service(lambda u: outgoing.mark_sealed(u, actor, ident, expected_version=v)),
                "distributed": self._distribute,
                "archive": self._archive,
            }
        else:
            handlers = {
                "sign_for": lambda: self.run_service(lambda u: incoming.sign_for(u, actor, ident, expected_version=v)),
                "register": lambda: self.run_service(lambda u: incoming.register(u, actor, ident, expected_version=v)),
                "accept": lambda: self.run_service(lambda u: incoming.screen(u, actor, ident, "accept", expected_version=v)),
                "return": lambda: self._return(lambda u, text, errs: incoming.screen(
                    u, actor, ident, "return", text, errors=errs, expected_version=v), True),
                "propose": lambda: self._with_opinion(tr("拟办意见"), lambda text: self.run_service(
                    lambda u: incoming.propose(
                        u, actor, ident, text, expected_version=v, send_to=to))),
                "instruct": self._instruct,
                "handled": self._handled,
                "circulated": lambda: self.run_service(lambda u: incoming.finish_circulation(u, actor, ident, expected_version=v)),
                "conclude": lambda: self.run_service(lambda u: incoming.conclude(u, actor, ident, opinion, expected_version=v)),
                "archive": self._archive,
            }
        handler = handlers.get(choice.action)
        if handler is None:
            show_error(self, GovDeskError(tr("“{0}”请在相应模块中办理").format(choice.label)))
            return
        handler()

    def _with_opinion(self, what: str, then: Callable[[str], object]) -> None:
        text = self.need_opinion(what)
        if text is not None:
            then(text)

    def _return(self, work: Callable[[Any, str, list[documents.ErrorInput]], object], with_errors: bool) -> None:
        dialog = ReturnDialog(tr("退回"), with_errors, self)
        if self.opinion_text():
            dialog.reason.setPlainText(self.opinion_text())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        text, errs = dialog.reason.toPlainText().strip(), dialog.errors()
        self.run_service(lambda u: work(u, text, errs))

    def _units(self) -> tuple[list[tuple[str, int]], list[unit_groups.UnitGroupInfo]] | None:
        """The units to choose from, and the 分发组 that tick several at once; None (the refusal shown) when
        they cannot be read."""
        ctx, actor = self.ctx, self.actor

        def read() -> tuple[list[tuple[str, int]], list[unit_groups.UnitGroupInfo]]:
            with ctx.uow() as uow:
                return [(u.name, u.id) for u in admin.list_units(uow, actor)], unit_groups.list_unit_groups(uow, actor)

        return self.read(read)

    def _printed(self) -> None:
        dialog = PrintedDialog(self.doc.copies or DEFAULT_COPIES, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            copies, proofreader, v = dialog.copies.value(), dialog.proofreader.text(), self.doc.version
            self.run_service(lambda u: outgoing.mark_printed(
                u, self.actor, self.document_id, copies=copies, proofreader=proofreader, expected_version=v))

    def _distribute(self) -> None:
        found = self._units()
        if found is None:
            return
        units, groups = found
        dialog = PickDialog(tr("分发"), tr("勾选要分发到的单位；各单位签收后在“会签与分发”中可见。"), units,
                            tr("分发"), self)
        _offer_groups(dialog, dialog.list, groups, 2)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            chosen, v = dialog.chosen(), self.doc.version
            self.run_service(lambda u: outgoing.distribute(u, self.actor, self.document_id, chosen, expected_version=v))

    def _archive(self) -> None:
        dialog = ArchiveDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            retention, pages, v = dialog.retention.currentData(), dialog.pages.value(), self.doc.version
            self.run_service(lambda u: archives.archive_document(
                u, self.actor, self.document_id, retention=retention, pages=pages, expected_version=v))

    def _instruct(self) -> None:
        found = self._units()
        if found is None:
            return
        units, groups = found
        dialog = HandlingDialog(units, opinion_needed=True, parent=self)
        _offer_groups(dialog, dialog.co_units, groups, 1, tr("协办单位可按分发组一次勾选："))
        picker = dialog.findChild(GroupPicker)
        if picker is not None:
            # A 阅件 has no 协办 to tick.
            dialog.needs_handling.toggled.connect(picker.setEnabled)
        if self.opinion_text():
            dialog.opinion.setPlainText(self.opinion_text())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        needs = dialog.needs_handling.isChecked()
        text, main = dialog.opinion.toPlainText(), dialog.main_unit.currentData() if needs else None
        co, days, v = dialog.co_unit_ids() if needs else [], dialog.workdays.value() if needs else None, self.doc.version
        self.run_service(lambda u: incoming.instruct(
            u, self.actor, self.document_id, text, needs_handling=needs, main_unit_id=main, co_unit_ids=co,
            workdays=days, expected_version=v))

    def _handled(self) -> None:
        text = self.need_opinion(tr("办理结果"))
        if text is None:
            return
        circulate = confirm(self, tr("承办完成"), tr("办理结果需要送领导传阅吗？"), tr("需要传阅"), tr("不需要"))
        v = self.doc.version
        self.run_service(lambda u: incoming.handled(
            u, self.actor, self.document_id, result=text, needs_circulation=circulate, expected_version=v))

    def edit_draft(self) -> None:
        from app.ui.documents.draft_dialog import DraftDialog

        assert self.detail is not None
        dialog = DraftDialog(self.ctx, self.actor, self.doc, tuple(c.unit_id for c in self.detail.cosigners), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self.load()

    def cosign(self, agree: bool) -> None:
        assert self.detail is not None
        unit = self.detail.my_cosign_unit_id
        opinion = self.opinion_text()
        if not agree and not opinion:
            self.need_opinion(tr("不同意的理由"))
            return
        self.run_service(lambda u: outgoing.cosign(u, self.actor, self.document_id, opinion=opinion, agree=agree, unit_id=unit))

    def record_cosign(self) -> None:
        from app.ui.documents.office_acts import ProxyCosignDialog

        assert self.detail is not None
        pending = set(self.detail.proxy_cosign_unit_ids)
        units = [(c.unit_name, c.unit_id) for c in self.detail.cosigners if c.unit_id in pending]
        dialog = ProxyCosignDialog(self.ctx, self.actor, self.document_id, units, self.opinion_text(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self.opinion.clear()
            self.load()

    def reply(self) -> None:
        from app.ui.documents.office_acts import ReplyDialog

        dialog = ReplyDialog(self.ctx, self.actor, self.document_id, self.doc.source_unit, self)
        if self.opinion_text():
            dialog.content.setPlainText(self.opinion_text())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self.opinion.clear()
            self.load()

    def mark_read(self) -> None:
        assert self.detail is not None
        entry, remark = self.detail.my_circulation_id, self.opinion_text()
        if entry is not None:
            self.run_service(lambda u: incoming.mark_read(u, self.actor, entry, remark=remark))

    def confirm_receipt(self) -> None:
        assert self.detail is not None
        unit = self.detail.my_receipt_unit_id
        self.run_service(lambda u: outgoing.confirm_receipt(u, self.actor, self.document_id, unit_id=unit,
                                                     received_by=self.actor.full_name))

    def circulate(self) -> None:
        ctx, actor = self.ctx, self.actor

        def read() -> list[admin.PersonInfo]:
            with ctx.uow() as uow:
                return admin.directory(uow, actor)

        people = self.read(read)
        if people is None:
            return
        readers = [(tr("{0}（{1}）").format(p.full_name, p.title) if p.title else p.full_name, p.id) for p in people]
        dialog = PickDialog(tr("送传阅"), tr("可同时送多位领导传阅；未阅前可以收回。"), readers, tr("送阅"), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            chosen, note = dialog.chosen(), self.opinion_text()
            self.run_service(lambda u: incoming.circulate(u, self.actor, self.document_id, chosen, note=note))

    def recall_selected(self) -> None:
        assert self.detail is not None
        rows = self.parties.selectionModel().selectedRows()
        if not rows:
            show_error(self, GovDeskError(tr("请先在传阅列表中选中要收回的一行")))
            return
        entry = self.detail.circulations[rows[0].row()]
        self.run_service(lambda u: incoming.recall(u, self.actor, entry.id, reason=self.opinion_text()))

    def hasten(self, uow: Any, method: str, note: str) -> object:
        return documents.hasten(uow, self.actor, self.document_id, method, note)

    # ----- files and printing -----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = ask_open_file(self, tr("添加附件"))
        if path:
            self.add_file(path)

    def add_file(self, path: Path) -> None:
        data = self.read_chosen_file(path)
        if data is None:
            return
        self.run_service(lambda u: documents.add_file(u, self.actor, self.document_id, filename=path.name, data=data))

    def selected_file(self) -> tuple[str, bytes] | None:
        return self.chosen_file(tr("请先选中一个文件"), lambda u, chosen: documents.file_data(u, self.actor, chosen))

    def form_name(self) -> str:
        return "outgoing-draft" if self.doc.direction == OUTGOING else "incoming-slip"

    def print_form(self) -> None:
        self.print_record(self.form_name(), self.document_id, None,
                          lambda title: f"{title}-{self.doc.number or self.doc.id}.pdf")


def _offer_groups(dialog: QDialog, target: QListWidget, groups: list[unit_groups.UnitGroupInfo], at: int,
                  caption: str = "") -> None:
    """Puts 按分发组勾选… into a dialog's layout at ``at``, where some group holds a unit the list offers."""
    picker = GroupPicker(target, groups)
    layout = dialog.layout()
    if not picker.offers_groups or not isinstance(layout, QVBoxLayout):
        return
    row = QHBoxLayout()
    if caption:
        row.addWidget(QLabel(caption))
    row.addWidget(picker)
    row.addStretch(1)
    layout.insertLayout(at, row)


def _read_document(
    ctx: AppContext, actor: Actor, document_id: int, phrases: PhraseReader | None = None
) -> documents.DocumentDetail:
    """What the window shows, in a unit of work of its own (run off the GUI thread by db_call); the opinion
    box's phrases with it, the first time."""
    with ctx.uow() as uow:
        detail = documents.get_document(uow, actor, document_id)
        if phrases is not None:
            phrases.read(uow)
        return detail


def _signature(signer_name: str, signed_at: datetime | None) -> str:
    """Who signed and when; a signer without a time is one the document went back to (退回签发人)."""
    if signer_name and signed_at is None:
        return tr("{0}（待重新签发）").format(signer_name)
    return f"{signer_name} {when(signed_at)}".strip() or "—"


def _outgoing_facts(doc: documents.DocumentInfo) -> list[Fact]:
    """The header of a 发文: its number, kind, who drafted and signed it, and to whom it goes."""
    disclosure = tr("{0}：{1}").format(doc.disclosure, doc.disclosure_reason) if doc.disclosure_reason else doc.disclosure
    return [
        (tr("发文字号"), doc.doc_number or tr("（签发后编号）")), (tr("文种"), doc.doc_type),
        (tr("缓急"), doc.urgency or tr("一般")), (tr("公开属性"), disclosure),
        (tr("拟稿"), f"{doc.drafting_unit_name} {doc.drafter_name}"), (tr("签发"), _signature(doc.signer_name, doc.signed_at)),
        (tr("主送"), doc.main_recipients or "—"), (tr("抄送"), doc.copy_recipients or "—"),
    ]


def _incoming_facts(detail: documents.DocumentDetail) -> list[Fact]:
    """The header of a 收文: its number, where it came from, who handles it by when, and what came of it."""
    doc = detail.document
    co = tr("、").join(name for _id, name in doc.co_units)
    return [
        (tr("收文编号"), doc.receipt_number or tr("（登记后编号）")), (tr("来文单位"), doc.source_unit),
        (tr("来文字号"), doc.source_number or "—"), (tr("签收时间"), when(doc.received_at) or "—"),
        (tr("主办单位"), doc.handling_unit_name or "—"), (tr("协办单位"), co or "—"),
        (tr("办理时限"), cn_date(doc.handling_deadline) + (tr("（待国务院公布）") if doc.handling_provisional else "")),
        (tr("办理结果"), doc.result or "—"),
        (tr("答复来文单位"), tr("；").join(
            tr("{0} {1}以{2}方式答复").format(when(r.replied_at), r.replied_by_name, r.method)
            for r in detail.replies) or "—"),
    ]


def _yes_no(value: bool) -> str:
    return tr("是") if value else tr("否")


def _record_facts(detail: documents.DocumentDetail) -> list[Fact]:
    """基本信息: the title whole, and the fields the header leaves out (密级, dates, copies, remarks, the archive
    entry)."""
    doc = detail.document
    facts: list[Fact] = [(tr("标题"), doc.title), (tr("密级"), doc.secrecy or tr("非涉密"))]
    if doc.direction == OUTGOING:
        facts += [
            (tr("成文日期"), cn_date(doc.doc_date) if doc.signed_at else tr("（签发后确定）")),
            (tr("拟稿时间"), when(doc.created_at)),
            (tr("重要文件"), _yes_no(doc.important)), (tr("上行文"), _yes_no(doc.upward)),
            (tr("印制份数"), str(doc.copies) if doc.copies else "—"), (tr("校对"), doc.proofreader or "—"),
        ]
    else:
        facts += [
            (tr("文种"), doc.doc_type or "—"), (tr("缓急"), doc.urgency or tr("一般")),
            (tr("来文日期"), cn_date(doc.source_date)), (tr("登记时间"), when(doc.created_at)),
            (tr("来文份数"), str(doc.copies_received) if doc.copies_received else "—"),
            (tr("需要办理"), _yes_no(doc.needs_handling)), (tr("需要传阅"), _yes_no(doc.needs_circulation)),
        ]
    facts.append((tr("备注"), doc.remark or "—"))
    archive = detail.archive
    if archive is not None:
        facts += [
            (tr("档号"), archive.archive_code or "—"), (tr("保管期限"), archive.retention_label),
            (tr("页数"), str(archive.pages)),
            (tr("归档"), tr("{0} {1}").format(when(archive.archived_at), archive.archived_by_name)),
        ]
    return facts
