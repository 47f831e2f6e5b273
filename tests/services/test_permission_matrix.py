"""The permission matrix: every public service function (every (uow, actor, ...) function, the ones that carry
app.services.kernel.access.acting's mark), called by one holder of every role, a user with no role and the 联络员
of another unit, on one prepared office per database.

Who may is written out by hand for each function. An allowed call runs in full in a dry run (its unit of
work rolls back); a refused one must raise PermissionDenied, or WorkflowError where a flow's step refuses the
role, or NotFound where hiding that a record exists is the rule. A function added without a row here fails
test_the_matrix_lists_every_public_service_function. The same table then proves that an actor who was
disabled, locked or demoted after logging in is refused by every one of them (SessionEnded)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update

import app.services
from app.bootstrap import AppContext
from app.core.claims import LineInput
from app.core.documents import OUTGOING
from app.core.errors import GovDeskError, NotFound, PermissionDenied, SessionEnded, ValidationError, WorkflowError
from app.core.roles import Role
from app.core.workflow.approval_chain import DEFAULT_CHAIN
from app.db.tables import common_opinions, user_roles, users
from app.db.tables import unit_groups as unit_groups_table
from app.models import Claim, Document, Unit, User, WorkflowInstance
from app.services.admin import audit, auth, maintenance, opinions, unit_groups
from app.services.admin import users as admin
from app.services.claims import budgets
from app.services.claims import detail as claim_detail
from app.services.claims import flow as claim_flow
from app.services.claims import lists as claim_lists
from app.services.claims import printed as claim_print
from app.services.claims import records as claims
from app.services.claims import reports as claim_reports
from app.services.documents import archives, incoming, outgoing
from app.services.documents import detail as document_detail
from app.services.documents import minutes as document_minutes
from app.services.documents import notice as document_notice
from app.services.documents import official as document_official
from app.services.documents import printed as document_print
from app.services.documents import records as documents
from app.services.documents import reports as document_reports
from app.services.information import adoptions as in_adoptions
from app.services.information import groups as in_groups
from app.services.information import issues as in_issues
from app.services.information import items as in_items
from app.services.information import ledger_import as in_ledger_import
from app.services.information import listing as in_listing
from app.services.information import notices as in_notices
from app.services.information import records as in_records
from app.services.information import study as in_study
from app.services.kernel import access, attachments, audit_anchors, changes, settings
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.meetings import agenda as mt_agenda
from app.services.meetings import attendance as mt_attendance
from app.services.meetings import decisions as mt_decisions
from app.services.meetings import lifecycle as mt_lifecycle
from app.services.meetings import listing as mt_listing
from app.services.meetings import plan as mt_plan
from app.services.meetings import records as mt_records
from app.services.meetings import seating as mt_seating
from app.services.petitions import handling as pt_handling
from app.services.petitions import ledger as pt_ledger
from app.services.petitions import ledger_import as pt_ledger_import
from app.services.petitions import lifecycle as pt_lifecycle
from app.services.petitions import listing as pt_listing
from app.services.petitions import problems as pt_problems
from app.services.petitions import records as pt_records
from app.services.petitions import repeats as pt_repeats
from app.services.petitions import screening as pt_screening
from app.services.petitions import visits as pt_visits
from app.services.search import query as search_query
from app.services.search import reindex as search_reindex
from app.services.supervision import campaigns as sv_campaigns
from app.services.supervision import detail as sv_detail
from app.services.supervision import items as sv_items
from app.services.supervision import ledger as sv_ledger
from app.services.supervision import lifecycle as sv_lifecycle
from app.services.supervision import notice as sv_notice
from app.services.supervision import sheet as sv_sheet
from app.services.workflow import accountability as workflow_accountability
from app.services.workflow import acts as workflow_acts
from app.services.workflow import (
    arrivals,
    delegation,
    done,
    handlers,
    move_effects,
    todo,
    urges,
    visibility,
    withdrawal,
    worklist,
)
from app.services.workflow import clocks as workflow_clocks
from app.services.workflow import detail as workflow_detail
from app.services.workflow import duties as workflow_duties
from app.services.workflow import flow_record as workflow_flow_record
from app.services.workflow import links as workflow_links
from app.services.workflow import moves as workflow
from app.services.workflow import parallel as workflow_parallel
from app.services.workflow import reopen as workflow_reopen
from app.services.workflow import responsibility as workflow_responsibility
from tests.helpers import PASSWORD, add_user
from tests.helpers.clock_flow import as_role, start_clocked
from tests.helpers.document_office import (
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)
from tests.helpers.dry_run import dry_run
from tests.helpers.information_ledger import ledger_bytes as in_ledger_bytes
from tests.helpers.information_ledger import one_row as in_one_row
from tests.helpers.information_matrix import ITEM as IN_ITEM
from tests.helpers.information_matrix import prepare_for_matrix as prepare_information
from tests.helpers.meetings_matrix import MATERIAL as MT_MATERIAL
from tests.helpers.meetings_matrix import decision_input as mt_decision_input
from tests.helpers.meetings_matrix import matrix_attendees as mt_attendees
from tests.helpers.meetings_matrix import prepare_for_matrix as prepare_meetings
from tests.helpers.meetings_matrix import topic_input as mt_topic_input
from tests.helpers.meetings_office import later as mt_later
from tests.helpers.meetings_office import meeting_input as mt_meeting_input
from tests.helpers.petitions_forms import import_sheet as pt_import_sheet
from tests.helpers.petitions_matrix import prepare_for_matrix as prepare_petitions
from tests.helpers.petitions_office import petition_input as pt_input
from tests.helpers.record_features_flow import ENTITY as RF_ENTITY
from tests.helpers.record_features_flow import FLOW_KEY as RF_FLOW
from tests.helpers.record_features_flow import prepare_for_matrix as prepare_record_features
from tests.helpers.supervision_office import EVIDENCE as SV_EVIDENCE
from tests.helpers.supervision_office import item_input as sv_item_input
from tests.helpers.supervision_office import prepare_for_matrix as prepare_supervision
from tests.helpers.supervision_office import sheet_bytes as sv_sheet_bytes

LATER = date(2030, 3, 4)
NEW_PASSWORD = "Qingshan#2026pass"

# One holder of each role, a user with no role (in 秘书股, headed by the clerk) and another unit's liaison.
SUBJECTS = ("admin", "director", "deputy", "clerk", "petition", "finance", "cashier", "mayor", "liaison_fin",
            "plain", "liaison_edu")
assert {Role.ADMIN, Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY, Role.PETITION_OFFICER, Role.FINANCE,
        Role.CASHIER, Role.COUNTY_LEADER, Role.LIAISON} == set(Role), "a new role needs a subject here"

ALL = frozenset(SUBJECTS)
NOBODY: frozenset[str] = frozenset()
ADMIN = frozenset({"admin"})
OFFICE = frozenset({"director", "deputy", "clerk"})
CLERK = frozenset({"clerk"})
# Everyone with an office role sees every document; a liaison, or a user with no role, only those linked to
# her unit: the prepared documents are drafted in 秘书股 (the plain user's) and co-signed by 财政局.
OFFICE_ROLES = ALL - {"plain", "liaison_fin", "liaison_edu"}
SEES_DOCS = OFFICE_ROLES | {"liaison_fin", "plain"}
NOT_ADMIN_OR_PETITIONS = frozenset({"director", "deputy", "clerk", "mayor"})
# Who hastens: the office's coordinators and the leaders (urges.URGING_ROLES).
URGERS = frozenset({"director", "deputy", "clerk", "petition", "mayor"})
CLAIM_OVERSEERS = frozenset({"finance", "cashier", "director", "deputy"})
# A submitted claim of the plain user of 秘书股: the overseers, the unit's head (the clerk) and herself.
SEES_CLAIM = CLAIM_OVERSEERS | {"clerk", "plain"}
# The record features' test item (tests/helpers/record_features_flow.prepare_for_matrix).
SEES_RF = OFFICE_ROLES | {"liaison_fin"}
RF_COORDINATORS = frozenset({"clerk", "director", "deputy"})
# 会议 (tests/helpers/meetings_matrix.prepare_for_matrix): every role in the office sees every meeting, the
# 财政局's 联络员 those the 财政局 attends (all of them); the 教育局's 联络员 and a user with no role of 秘书股 none.
SEES_MEETING = OFFICE_ROLES | {"liaison_fin"}
# A topic of the 财政局: its own 联络员, or the meeting's organizers (文秘, 主任, 副主任).
MT_PROPOSERS = OFFICE | {"liaison_fin"}
OFFICE_LEADERS = frozenset({"director", "deputy"})
# 信访 (tests/helpers/petitions_matrix.prepare_for_matrix): every case is seen by those who see all (信访接待员,
# the office's leaders and 文秘, the county's leaders); an assigned one by the 财政局's 联络员 too.
PT_SEES_ALL = frozenset({"petition", "director", "deputy", "clerk", "mayor"})
PT_SEES_ASSIGNED = PT_SEES_ALL | {"liaison_fin"}
# Who handles petitions (records.HANDLERS); the case's responsible person (首问负责) is the 信访接待员.
PT_HANDLERS = frozenset({"petition", "director", "deputy"})
PT_RESPONSIBLE = frozenset({"petition"})
# 信息调研 (tests/helpers/information_matrix.prepare_for_matrix): the editors (文秘, 主任, 副主任) see every item,
# a member of 第一信息组 (the 信访接待员 who wrote them, and the clerk) its items; the 会计 is in 第二信息组.
IN_EDITORS = OFFICE
IN_SEES = IN_EDITORS | {"petition"}
IN_GROUP_ADMINS = frozenset({"admin", "director"})
# The writing staff (the groups' members) and the editors read the study terms.
IN_STUDY_READERS = IN_SEES | {"finance"}
REFUSED: tuple[type[Exception], ...] = (PermissionDenied, WorkflowError, NotFound)


@dataclass
class Prepared:
    """The office, and the records each row acts on, by name."""

    office: Office
    people: dict[str, Actor]
    ids: dict[str, int]
    tmp: Path

    def __getitem__(self, key: str) -> int:
        return self.ids[key]

    def instance(self, uow: UnitOfWork, key: str) -> WorkflowInstance:
        found = uow.session.get(WorkflowInstance, self.ids[key])
        assert found is not None
        return found

    def document(self, uow: UnitOfWork, key: str) -> Document:
        found = uow.session.get(Document, self.ids[key])
        assert found is not None
        return found


def _instance_of(o: Office, model: Any, record_id: int) -> int:
    column = model.workflow_instance_id if model is Document else model.instance_id
    with o.ctx.uow() as uow:
        return int(uow.session.execute(select(column).where(model.id == record_id)).scalar_one())


CLAIM_STEP_PERSON = {"dept_review": "clerk", "finance_review": "finance", "leader_approval": "deputy",
                     "principal_approval": "director"}


def _claim_at(o: Office, people: dict[str, Actor], target: str) -> int:
    data = claims.ClaimInput(o.units["秘书股"], TODAY, [LineInput("赴市参加业务培训的差旅费", "差旅费", "800.00")], 2)
    info = o.run(claims.create_claim, people["plain"], data, submit=True, today=TODAY)
    while info.state != target:
        if info.state == "payment":
            info = o.run(claims.pay, people["cashier"], info.id, paid_on=TODAY, method="银行转账", today=TODAY)
        else:
            info = o.run(claims.decide, people[CLAIM_STEP_PERSON[info.state]], info.id, "approve", "同意。",
                         today=TODAY)
    return int(info.id)


def prepare(ctx: AppContext, tmp: Path) -> Prepared:
    o = build_office(ctx)
    people = {key: o.people[key] for key in SUBJECTS if key in o.people}
    people["plain"] = add_user(ctx, "plain", [], o.units["秘书股"], full_name="钱科员")
    ids: dict[str, int] = {}
    fin = o.units["财政局"]
    for step in ("draft", "review", "cosign", "sign", "recheck", "number", "print", "seal", "distribute",
                 "archive", "archived"):
        doc = new_draft(o, important=True, cosigner_unit_ids=[fin])
        advance_outgoing(o, doc, step)
        ids[f"out_{step}"] = doc
    for step in ("receive", "register", "screen", "propose", "instruct", "handle", "circulate", "conclude"):
        doc = new_incoming(o)
        advance_incoming(o, doc, step)
        ids[f"in_{step}"] = doc
    ids["circulation"] = o.run(incoming.circulate, o.clerk, ids["in_circulate"], [o.mayor.id])[0].id
    ids["out_review_instance"] = _instance_of(o, Document, ids["out_review"])
    ids["in_conclude_instance"] = _instance_of(o, Document, ids["in_conclude"])
    with ctx.uow() as uow:
        files = documents.list_files(uow, o.clerk, ids["out_draft"])
        ids["body"] = files[0].id
    ids["extra_file"] = o.run(documents.add_file, o.clerk, ids["out_draft"], filename="附件一.pdf",
                              data=b"%PDF-1.4 annex").id
    # Claims of the plain user: a draft (with a receipt), one waiting for her unit's head, one to pay, one to book.
    data = claims.ClaimInput(o.units["秘书股"], TODAY, [LineInput("购买办公用品", "办公费", "120.00")], 1)
    ids["claim_draft"] = o.run(claims.create_claim, people["plain"], data, today=TODAY).id
    ids["draft_receipt"] = o.run(claims.add_receipt, people["plain"], ids["claim_draft"], filename="发票.pdf",
                                 data=b"%PDF-1.4 receipt").id
    ids["claim_review"] = _claim_at(o, people, "dept_review")
    ids["claim_receipt"] = o.run(claims.add_receipt, people["plain"], ids["claim_draft"], filename="车票.pdf",
                                 data=b"%PDF-1.4 ticket").id
    ids["claim_payment"] = _claim_at(o, people, "payment")
    ids["claim_book"] = _claim_at(o, people, "bookkeeping")
    ids["claim_review_instance"] = _instance_of(o, Claim, ids["claim_review"])
    with ctx.uow() as uow:
        bare = workflow.start(uow, o.clerk, flow_key="outgoing_document", entity_type="task", title="临时事项")
        uow.commit()
        ids["bare"] = bare.id
    ids["budget"] = o.run(budgets.set_budget, o.admin, year=2026, unit_id=o.units["教育局"], category="办公费",
                          amount="5000").id
    ids["empty_unit"] = o.run(admin.create_unit, o.admin, name="空单位").id
    with ctx.uow() as uow:
        ids["clerk2_version"] = admin.get_user(uow, o.admin, o.clerk2.id or 0).version
        unit = uow.session.get(Unit, o.units["城关镇"])
        assert unit is not None
        ids["unit_version"] = unit.version
    ids["holiday"] = 0
    o.run(settings.set_holiday, o.admin, date(2026, 12, 31), False, "元旦前一日")
    ids.update(prepare_record_features(o))
    ids.update(prepare_supervision(o))
    ids.update(prepare_meetings(o))
    ids.update(prepare_petitions(o))
    ids.update(prepare_information(o))
    return Prepared(o, people, ids, tmp)


Call = Callable[[UnitOfWork, Actor, Prepared], Any]


@dataclass(frozen=True)
class Row:
    function: Callable[..., Any]
    call: Call
    may: frozenset[str]
    # Why a helper answers everyone: its callers decide; set for the rows where that is the rule.
    note: str = ""
    # An allowed caller that passes the permission check and is then refused by the arguments (a bad file):
    # the row proves the refusal, not the work.
    allowed_error: type[Exception] | None = None

    @property
    def name(self) -> str:
        return f"{self.function.__module__.removeprefix('app.services.')}.{self.function.__name__}"


def _pt_instance(uow: UnitOfWork, p: Prepared, key: str) -> WorkflowInstance:
    """A prepared case's flow instance, read as the office's director reads it."""
    return pt_records.load(uow, p.office.director, p[key])[1]


def _error_input() -> documents.ErrorInput:
    return documents.ErrorInput(kind="格式", note="标题字号不对")


HELPER = "a helper with no permission of its own: its public callers check"

ROWS: tuple[Row, ...] = (
    # ----- administration
    Row(admin.list_users, lambda u, a, p: admin.list_users(u, a), ADMIN),
    Row(admin.get_user, lambda u, a, p: admin.get_user(u, a, p.office.clerk2.id), ADMIN),
    Row(admin.find_user, lambda u, a, p: admin.find_user(u, a, "clerk"), ADMIN),
    Row(admin.create_user, lambda u, a, p: admin.create_user(
        u, a, username="newbie", full_name="新同事", password=NEW_PASSWORD, roles=[Role.SECRETARY]), ADMIN),
    Row(admin.update_user, lambda u, a, p: admin.update_user(
        u, a, p.office.clerk2.id, expected_version=p["clerk2_version"], title="科员"), ADMIN),
    Row(admin.reset_password, lambda u, a, p: admin.reset_password(u, a, p.office.clerk2.id, NEW_PASSWORD), ADMIN),
    Row(admin.lock_user, lambda u, a, p: admin.lock_user(u, a, p.office.clerk2.id), ADMIN),
    Row(admin.unlock_user, lambda u, a, p: admin.unlock_user(u, a, p.office.clerk2.id), ADMIN),
    Row(admin.list_units, lambda u, a, p: admin.list_units(u, a), ALL),
    Row(admin.create_unit, lambda u, a, p: admin.create_unit(u, a, name="新单位"), ADMIN),
    Row(admin.update_unit, lambda u, a, p: admin.update_unit(
        u, a, p.office.units["城关镇"], expected_version=p["unit_version"], short_name="城关"), ADMIN),
    Row(admin.delete_unit, lambda u, a, p: admin.delete_unit(u, a, p["empty_unit"]), ADMIN),
    Row(admin.directory, lambda u, a, p: admin.directory(u, a), ALL),
    Row(settings.update_settings, lambda u, a, p: settings.update_settings(u, a, {"office_name": "青山县政府办"}),
        ADMIN),
    Row(settings.set_holiday, lambda u, a, p: settings.set_holiday(u, a, date(2026, 12, 30), False, "调休"), ADMIN),
    Row(settings.remove_holiday, lambda u, a, p: settings.remove_holiday(u, a, date(2026, 12, 31)), ADMIN),
    Row(audit.verify, lambda u, a, p: audit.verify(u, a), ADMIN),
    Row(audit_anchors.make_anchor, lambda u, a, p: audit_anchors.make_anchor(u, a, None), ADMIN,
        note="without the office key an administrator is told to load it", allowed_error=ValidationError),
    Row(audit_anchors.latest_anchor, lambda u, a, p: audit_anchors.latest_anchor(u, a, None), ADMIN,
        note="without the office key an administrator is told to load it", allowed_error=ValidationError),
    Row(audit.list_entries, lambda u, a, p: audit.list_entries(u, a), ADMIN),
    Row(auth.change_own_password, lambda u, a, p: auth.change_own_password(u, a, PASSWORD, NEW_PASSWORD), ALL),
    Row(maintenance.backup_database, lambda u, a, p: maintenance.backup_database(
        u, a, p.tmp / f"{a.username}.govdesk-backup"), ADMIN),
    Row(maintenance.inspect_backup, lambda u, a, p: maintenance.inspect_backup(
        u, a, p.tmp / "no-such.govdesk-backup"), ADMIN, allowed_error=ValidationError),
    Row(maintenance.restore_database, lambda u, a, p: maintenance.restore_database(
        u, a, p.tmp / "no-such.govdesk-backup"), ADMIN, allowed_error=ValidationError),
    # ----- 发文
    Row(outgoing.cosign_candidates, lambda u, a, p: outgoing.cosign_candidates(u, a), ALL),
    Row(outgoing.create_draft, lambda u, a, p: outgoing.create_draft(
        u, a, title="关于做好防汛工作的通知", doc_type="通知", disclosure="主动公开", drafting_unit_id=a.unit_id,
        today=TODAY), OFFICE | {"liaison_fin", "liaison_edu"}),
    Row(outgoing.update_draft, lambda u, a, p: outgoing.update_draft(u, a, p["out_draft"], title="新标题"), CLERK),
    Row(outgoing.submit, lambda u, a, p: outgoing.submit(u, a, p["out_draft"], today=TODAY), CLERK),
    Row(outgoing.cancel_draft, lambda u, a, p: outgoing.cancel_draft(u, a, p["out_draft"], "重复", today=TODAY),
        CLERK),
    Row(outgoing.review, lambda u, a, p: outgoing.review(u, a, p["out_review"], "approve", today=TODAY),
        frozenset({"director", "deputy"})),
    Row(outgoing.cosign, lambda u, a, p: outgoing.cosign(
        u, a, p["out_cosign"], unit_id=p.office.units["财政局"], opinion="同意", given_by="吴局长", basis="电话"),
        OFFICE | {"liaison_fin"}),
    Row(outgoing.sign, lambda u, a, p: outgoing.sign(u, a, p["out_sign"], "同意印发", today=TODAY),
        frozenset({"mayor"})),
    Row(outgoing.recheck, lambda u, a, p: outgoing.recheck(u, a, p["out_recheck"], "approve", today=TODAY), OFFICE),
    Row(outgoing.return_to_signer, lambda u, a, p: outgoing.return_to_signer(
        u, a, p["out_recheck"], "附件2数据有误，需更换", today=TODAY), OFFICE),
    Row(outgoing.assign_number, lambda u, a, p: outgoing.assign_number(u, a, p["out_number"], today=TODAY), CLERK),
    Row(outgoing.mark_printed, lambda u, a, p: outgoing.mark_printed(
        u, a, p["out_print"], copies=40, proofreader="赵文秘"), CLERK),
    Row(outgoing.mark_sealed, lambda u, a, p: outgoing.mark_sealed(u, a, p["out_seal"], today=TODAY), CLERK),
    Row(outgoing.distribute, lambda u, a, p: outgoing.distribute(
        u, a, p["out_distribute"], [p.office.units["财政局"]], today=TODAY), CLERK),
    Row(outgoing.confirm_receipt, lambda u, a, p: outgoing.confirm_receipt(
        u, a, p["out_archive"], unit_id=p.office.units["财政局"], received_by="吴联络"), CLERK | {"liaison_fin"}),
    Row(archives.archive_document, lambda u, a, p: archives.archive_document(
        u, a, p["out_archive"], retention="D30", pages=3), CLERK),
    Row(archives.archive_catalogue, lambda u, a, p: archives.archive_catalogue(u, a, year=2026, retention="D30"),
        OFFICE),
    Row(archives.archive_stamp, lambda u, a, p: archives.archive_stamp(u, a, p["out_archived"]), SEES_DOCS),
    Row(archives.archive_parts, lambda u, a, p: archives.archive_parts(u, a, p["out_archived"]), SEES_DOCS),
    # ----- 收文
    Row(incoming.create_incoming, lambda u, a, p: incoming.create_incoming(
        u, a, title="关于报送统计数据的通知", source_unit="江州市统计局", today=TODAY), CLERK),
    Row(incoming.sign_for, lambda u, a, p: incoming.sign_for(
        u, a, p["in_receive"], received_at=datetime.combine(TODAY, time(9)), today=TODAY), CLERK),
    Row(incoming.register, lambda u, a, p: incoming.register(u, a, p["in_register"], today=TODAY), CLERK),
    Row(incoming.screen, lambda u, a, p: incoming.screen(u, a, p["in_screen"], "accept", today=TODAY), OFFICE),
    Row(incoming.propose, lambda u, a, p: incoming.propose(u, a, p["in_propose"], "拟请县长阅示", today=TODAY),
        frozenset({"director", "deputy"})),
    Row(incoming.instruct, lambda u, a, p: incoming.instruct(
        u, a, p["in_instruct"], "请各位领导阅", needs_handling=False, today=TODAY),
        frozenset({"mayor", "director"})),
    Row(incoming.assign_handling, lambda u, a, p: incoming.assign_handling(
        u, a, p["in_handle"], main_unit_id=p.office.units["财政局"], workdays=5, today=TODAY), OFFICE),
    Row(incoming.handled, lambda u, a, p: incoming.handled(u, a, p["in_handle"], result="已完成", today=TODAY),
        CLERK | {"liaison_fin"}),
    Row(incoming.circulate, lambda u, a, p: incoming.circulate(u, a, p["in_circulate"], [p.office.vice.id]), OFFICE),
    Row(incoming.mark_read, lambda u, a, p: incoming.mark_read(u, a, p["circulation"], remark="已阅"),
        CLERK | {"mayor"}),
    Row(incoming.recall, lambda u, a, p: incoming.recall(u, a, p["circulation"]), OFFICE),
    Row(incoming.finish_circulation, lambda u, a, p: incoming.finish_circulation(u, a, p["in_circulate"]), NOBODY,
        note="a reader has not read it yet: nobody may end the circulation"),
    Row(incoming.conclude, lambda u, a, p: incoming.conclude(u, a, p["in_conclude"], "已办结", today=TODAY), OFFICE),
    Row(incoming.reply, lambda u, a, p: incoming.reply(u, a, p["in_conclude"], method="电话", content="已答复"),
        OFFICE | {"liaison_fin"}),
    # ----- documents, shared
    Row(documents.can_see, lambda u, a, p: documents.can_see(u, a, p.document(u, "out_review")), ALL, HELPER),
    Row(documents.load, lambda u, a, p: documents.load(u, a, p["out_review"]), SEES_DOCS),
    Row(documents.require_actor_for, lambda u, a, p: documents.require_actor_for(
        u, a, p.document(u, "out_review"), p.instance(u, "out_review_instance"), "approve"),
        frozenset({"director", "deputy"})),
    Row(documents.may_reply, lambda u, a, p: documents.may_reply(
        u, a, p.document(u, "in_conclude"), p.instance(u, "in_conclude_instance")), ALL, HELPER),
    Row(documents.move, lambda u, a, p: documents.move(
        u, a, p.document(u, "out_review"), p.instance(u, "out_review_instance"), "approve", today=TODAY),
        frozenset({"director", "deputy"})),
    Row(documents.plain_step, lambda u, a, p: documents.plain_step(
        u, a, p["out_seal"], direction=OUTGOING, action="sealed", doing="用印"), CLERK),
    # The opening every step shares: the move's step from the document's flow, and who may take the move.
    Row(workflow_acts.open_act, lambda u, a, p: workflow_acts.open_act(
        u, a, documents.OUTGOING_DOCUMENTS, p["out_seal"], "用印", move="sealed"), CLERK),
    Row(documents.add_history_note, lambda u, a, p: documents.add_history_note(
        u, a, p.instance(u, "out_review_instance"), "note", "备注", "已电话提醒"), ALL, HELPER),
    Row(documents.audit, lambda u, a, p: documents.audit(u, a, "view", p.document(u, "out_review"), {}), ALL, HELPER),
    Row(documents.add_errors, lambda u, a, p: documents.add_errors(
        u, a, p.document(u, "out_review"), [_error_input()]), ALL, HELPER),
    Row(documents.get_document, lambda u, a, p: documents.get_document(u, a, p["out_review"]), SEES_DOCS),
    Row(documents.list_documents, lambda u, a, p: documents.list_documents(u, a), ALL),
    Row(documents.add_file, lambda u, a, p: documents.add_file(
        u, a, p["out_draft"], filename="附件二.pdf", data=b"%PDF-1.4 x"), OFFICE),
    Row(documents.remove_file, lambda u, a, p: documents.remove_file(u, a, p["out_draft"], p["extra_file"]), OFFICE),
    Row(documents.list_files, lambda u, a, p: documents.list_files(u, a, p["out_draft"]), SEES_DOCS),
    Row(documents.file_data, lambda u, a, p: documents.file_data(u, a, p["body"]), SEES_DOCS),
    Row(documents.record_error, lambda u, a, p: documents.record_error(u, a, p["out_review"], _error_input()),
        OFFICE | {"mayor"}),
    Row(documents.hasten, lambda u, a, p: documents.hasten(u, a, p["out_review"], "电话", today=LATER),
        URGERS),
    Row(document_detail.read_document_detail, lambda u, a, p: document_detail.read_document_detail(
        u, a, p["out_review"]), SEES_DOCS),
    Row(document_print.printed_document, lambda u, a, p: document_print.printed_document(u, a, p["out_archived"]),
        SEES_DOCS),
    # 正式公文: typeset by the office from 印制 on; the kept PDF is one more file of the document.
    Row(document_official.official_source, lambda u, a, p: document_official.official_source(
        u, a, p["out_print"], today=TODAY), OFFICE),
    Row(document_official.keep_typeset, lambda u, a, p: document_official.keep_typeset(
        u, a, p["out_print"], b"%PDF-1.4 typeset"), OFFICE),
    Row(document_notice.quarterly_notice, lambda u, a, p: document_notice.quarterly_notice(
        u, a, 2026, 4, today=TODAY), NOT_ADMIN_OR_PETITIONS),
    Row(document_reports.incoming_register, lambda u, a, p: document_reports.incoming_register(
        u, a, date_from=date(2026, 1, 1), date_to=TODAY), OFFICE_ROLES),
    # Called directly, the file helpers ask the owning area's rules: the same people as add_file/remove_file,
    # and for a claim the same as add_receipt/remove_receipt.
    Row(attachments.add_attachment, lambda u, a, p: attachments.add_attachment(
        u, a, owner_type="document", owner_id=p["out_draft"], filename="x.pdf", data=b"%PDF-1.4 y"), OFFICE),
    Row(attachments.remove_attachment, lambda u, a, p: attachments.remove_attachment(
        u, a, "document", p["out_draft"], p["extra_file"], "找不到附件"), OFFICE),
    Row(attachments.record_download, lambda u, a, p: attachments.record_download(
        u, a, documents.list_files(u, p.office.clerk, p["out_draft"])[0]), ALL, HELPER),
    # ----- 报账
    Row(claims.sees_all, lambda u, a, p: claims.sees_all(u, a), ALL, HELPER),
    Row(claims.headed_units, lambda u, a, p: claims.headed_units(u, a), ALL, HELPER),
    Row(claims.can_see, lambda u, a, p: claims.can_see(
        u, a, *claims.load(u, p.people["plain"], p["claim_review"])), ALL, HELPER),
    Row(claims.load, lambda u, a, p: claims.load(u, a, p["claim_review"]), SEES_CLAIM),
    Row(claims.get_claim, lambda u, a, p: claims.get_claim(u, a, p["claim_review"]), SEES_CLAIM),
    Row(claims.create_claim, lambda u, a, p: claims.create_claim(u, a, claims.ClaimInput(
        a.unit_id, TODAY, [LineInput("购买墨盒", "办公费", "80.00")], 1), today=TODAY), ALL),
    Row(claims.update_claim, lambda u, a, p: claims.update_claim(u, a, p["claim_draft"], claims.ClaimInput(
        p.office.units["秘书股"], TODAY, [LineInput("购买办公用品", "办公费", "130.00")], 1)), frozenset({"plain"})),
    Row(claims.submit, lambda u, a, p: claims.submit(u, a, p["claim_draft"], today=TODAY), frozenset({"plain"})),
    Row(claims.withdraw, lambda u, a, p: claims.withdraw(u, a, p["claim_draft"], "不报了", today=TODAY),
        frozenset({"plain"})),
    Row(claims.decide, lambda u, a, p: claims.decide(u, a, p["claim_review"], "approve", "同意。", today=TODAY), CLERK),
    Row(claims.pay, lambda u, a, p: claims.pay(u, a, p["claim_payment"], paid_on=TODAY, method="银行转账"),
        frozenset({"cashier"})),
    Row(claims.book, lambda u, a, p: claims.book(
        u, a, p["claim_book"], voucher_number="记-2026-11-031", booked_on=TODAY), frozenset({"finance"})),
    Row(claims.hasten, lambda u, a, p: claims.hasten(u, a, p["claim_review"], "电话", today=LATER),
        URGERS & SEES_CLAIM),
    Row(claims.add_receipt, lambda u, a, p: claims.add_receipt(
        u, a, p["claim_draft"], filename="收据.pdf", data=b"%PDF-1.4 r"), frozenset({"plain"})),
    Row(claims.remove_receipt, lambda u, a, p: claims.remove_receipt(u, a, p["claim_draft"], p["draft_receipt"]),
        frozenset({"plain"})),
    Row(claims.receipt_data, lambda u, a, p: claims.receipt_data(u, a, p["draft_receipt"]), frozenset({"plain"})),
    Row(claim_detail.read_claim_detail, lambda u, a, p: claim_detail.read_claim_detail(u, a, p["claim_review"]),
        SEES_CLAIM),
    Row(claim_print.claim_print_facts, lambda u, a, p: claim_print.claim_print_facts(u, a, p["claim_review"]),
        SEES_CLAIM),
    Row(claim_lists.list_claims, lambda u, a, p: claim_lists.list_claims(u, a, today=TODAY), ALL),
    Row(claim_reports.totals_by_unit, lambda u, a, p: claim_reports.totals_by_unit(
        u, a, date(2026, 1, 1), TODAY), CLAIM_OVERSEERS),
    Row(claim_reports.totals_by_category, lambda u, a, p: claim_reports.totals_by_category(
        u, a, date(2026, 1, 1), TODAY), CLAIM_OVERSEERS),
    Row(claim_flow.save_chain, lambda u, a, p: claim_flow.save_chain(u, a, replace(DEFAULT_CHAIN, fill_time_limit=3), 1),
        ADMIN),
    Row(claim_flow.versions, lambda u, a, p: claim_flow.versions(u, a), ADMIN),
    Row(budgets.set_budget, lambda u, a, p: budgets.set_budget(
        u, a, year=2026, unit_id=p.office.units["秘书股"], category="差旅费", amount="10000"), ADMIN | {"finance"}),
    Row(budgets.remove_budget, lambda u, a, p: budgets.remove_budget(u, a, p["budget"]), ADMIN | {"finance"}),
    Row(budgets.list_budgets, lambda u, a, p: budgets.list_budgets(u, a, 2026), ADMIN | CLAIM_OVERSEERS - {"cashier"}),
    # ----- the workflow
    Row(workflow.start, lambda u, a, p: workflow.start(
        u, a, flow_key="outgoing_document", entity_type="task", title="事项"), ALL, HELPER),
    Row(workflow.actor_context, lambda u, a, p: workflow.actor_context(u, a, p.instance(u, "bare")), ALL, HELPER),
    Row(workflow.available_actions, lambda u, a, p: workflow.available_actions(u, a, p.instance(u, "bare")), ALL,
        HELPER),
    Row(workflow.resolve_transition, lambda u, a, p: workflow.resolve_transition(
        u, a, p.instance(u, "bare"), "submit"), CLERK),
    Row(workflow.apply_transition, lambda u, a, p: workflow.apply_transition(
        u, a, p.instance(u, "bare"), "submit", today=TODAY), CLERK),
    Row(workflow.transition, lambda u, a, p: workflow.transition(u, a, p["bare"], "submit", today=TODAY), CLERK),
    Row(workflow_detail.instance_detail, lambda u, a, p: workflow_detail.instance_detail(
        u, a, p["claim_review_instance"]), SEES_CLAIM),
    Row(workflow_flow_record.flow_record, lambda u, a, p: workflow_flow_record.flow_record(
        u, a, p["claim_review_instance"], TODAY), SEES_CLAIM),
    Row(worklist.list_instances, lambda u, a, p: _listed_claim(u, a, p), SEES_CLAIM,
        note="lists for everyone; the prepared claim appears only to those who may see it"),
    Row(urges.urge, lambda u, a, p: urges.urge(u, a, p["claim_review_instance"], "电话", today=LATER),
        URGERS & SEES_CLAIM),
    Row(urges.urge_overdue, lambda u, a, p: urges.urge_overdue(u, a, today=LATER),
        frozenset({"admin", "director", "deputy", "clerk"})),
    Row(todo.actionable_clause, lambda u, a, p: todo.actionable_clause(u, a), ALL, HELPER),
    Row(todo.todo, lambda u, a, p: todo.todo(u, a, today=TODAY), ALL),
    Row(todo.workbench, lambda u, a, p: todo.workbench(u, a, TODAY), ALL),
    Row(visibility.visible_clause, lambda u, a, p: visibility.visible_clause(u, a), ALL, HELPER),
    Row(visibility.may_see, lambda u, a, p: visibility.may_see(u, a, p["claim_review_instance"]), ALL, HELPER),
    Row(visibility.visible_rule, lambda u, a, p: visibility.visible_rule(u, a, "claim"), ALL, HELPER),
    Row(visibility.require_visible, lambda u, a, p: visibility.require_visible(u, a, p["claim_review_instance"]),
        SEES_CLAIM),
    # ----- record features (issue 15): the responsible person, links, recurring duties, parallel work items.
    # The prepared item is a record of a flow alone, of the 财政局: the unit rule lets every office role and the
    # 财政局's 联络员 see it (SEES_RF); the clerk answers for it; 承办 is the secretaries' and the heads' step.
    Row(workflow_responsibility.responsible_of, lambda u, a, p: workflow_responsibility.responsible_of(u, a, p["rf_item"]), SEES_RF),
    Row(workflow_responsibility.handover_candidates, lambda u, a, p: workflow_responsibility.handover_candidates(u, a, p["rf_item"]),
        SEES_RF),
    Row(workflow_responsibility.hand_over, lambda u, a, p: workflow_responsibility.hand_over(
        u, a, p["rf_item"], to_user_id=p.office.clerk2.id, reason="工作调整"),
        frozenset({"clerk", "director", "deputy", "admin"})),
    Row(workflow_links.link_records, lambda u, a, p: workflow_links.link_records(
        u, a, source=(RF_ENTITY, p["rf_item"]), target=(RF_ENTITY, p["rf_other"]), kind="follow_up"), SEES_RF),
    Row(workflow_links.open_linked, lambda u, a, p: workflow_links.open_linked(
        u, a, source=(RF_ENTITY, p["rf_item"]), kind="review", title="复查", flow_key=RF_FLOW), SEES_RF),
    Row(workflow_links.links_of, lambda u, a, p: workflow_links.links_of(u, a, RF_ENTITY, p["rf_item"]), SEES_RF),
    Row(workflow_duties.follow_move, lambda u, a, p: workflow_duties.follow_move(
        u, a, p.instance(u, "rf_item"), workflow.flow_for(u, RF_FLOW), "register", TODAY), ALL, HELPER),
    Row(workflow_duties.duties_of, lambda u, a, p: workflow_duties.duties_of(u, a, p["rf_item"], TODAY), SEES_RF),
    Row(workflow_duties.duties_due, lambda u, a, p: workflow_duties.duties_due(u, a, TODAY), ALL,
        note="lists the actor's own reports for everyone"),
    Row(workflow_duties.set_rhythm, lambda u, a, p: workflow_duties.set_rhythm(
        u, a, p["rf_item"], "progress", "monthly", 1, TODAY), frozenset({"clerk", "director", "deputy"})),
    Row(workflow_duties.report_duty, lambda u, a, p: workflow_duties.report_duty(
        u, a, p["rf_item"], "progress", "进展顺利", TODAY), CLERK),
    Row(workflow_duties.hasten_duty, lambda u, a, p: workflow_duties.hasten_duty(
        u, a, p["rf_item"], "progress", "电话", "", LATER), URGERS & SEES_RF),
    Row(workflow_parallel.send_work_items, lambda u, a, p: workflow_parallel.send_work_items(
        u, a, p["rf_item"], [workflow_parallel.WorkItemInput("配合", unit_id=p.office.units["城关镇"])], TODAY),
        RF_COORDINATORS),
    Row(workflow_parallel.report_work_item, lambda u, a, p: workflow_parallel.report_work_item(
        u, a, p["rf_lead"], "已办"), frozenset({"liaison_fin"})),
    Row(workflow_parallel.finish_work_item, lambda u, a, p: workflow_parallel.finish_work_item(
        u, a, p["rf_reported"]), RF_COORDINATORS),
    # A holder sees their own items on a record they may not otherwise see: the 教育局's 联络员 holds one.
    Row(workflow_parallel.work_items_of, lambda u, a, p: workflow_parallel.work_items_of(u, a, p["rf_item"]),
        SEES_RF | {"liaison_edu"}),
    Row(workflow_parallel.pending_work_items, lambda u, a, p: workflow_parallel.pending_work_items(u, a, TODAY), ALL,
        note="lists the items waiting on the actor for everyone"),
    # ----- clocks that span steps (issue 15): a record of the clock test flow at 办理, in 秘书股, made in the row's
    # own dry run. Its 办理时限 is extended by the 办公室主任 or 副主任, paused and resumed by whoever acts at 办理
    # (文秘人员), read by whoever sees the record.
    Row(workflow_clocks.extend_clock, lambda u, a, p: workflow_clocks.extend_clock(
        u, a, _clocked(u, p), "handling", 10, "需要现场核查", today=TODAY), frozenset({"director", "deputy"})),
    Row(workflow_clocks.pause_clock, lambda u, a, p: workflow_clocks.pause_clock(
        u, a, _clocked(u, p), "handling", "等待补充材料", today=TODAY), CLERK),
    Row(workflow_clocks.resume_clock, lambda u, a, p: workflow_clocks.resume_clock(
        u, a, _clocked(u, p, paused=True), "handling", "材料已补齐", today=TODAY), CLERK),
    Row(workflow_clocks.clock_readings, lambda u, a, p: workflow_clocks.clock_readings(
        u, a, _clocked(u, p), today=TODAY), ALL - {"liaison_fin", "liaison_edu"}),
    Row(workflow_clocks.follow_move, lambda u, a, p: _clock_follows(u, a, p), ALL, HELPER),
    Row(move_effects.after_move, lambda u, a, p: _effects_follow(u, a, p), ALL, HELPER),
    # ----- the worklist: send to a named person, 撤回, 代理/委托 (issue 15)
    Row(handlers.handler_candidates, lambda u, a, p: handlers.handler_candidates(u, a, p["bare"], "submit"), CLERK),
    Row(workflow.resolve_for, lambda u, a, p: workflow.resolve_for(u, a, p.instance(u, "bare"), "submit"), CLERK),
    Row(workflow.principals_of, lambda u, a, p: workflow.principals_of(u, a), ALL, HELPER),
    # The prepared document at 核稿 was sent there by the clerk: hers alone to take back.
    Row(withdrawal.withdraw, lambda u, a, p: withdrawal.withdraw(u, a, p["out_review_instance"], today=TODAY), CLERK),
    Row(withdrawal.note_opened, lambda u, a, p: withdrawal.note_opened(u, a, _bare_info(u, p), True), ALL, HELPER),
    Row(workflow_detail.acting_for, lambda u, a, p: workflow_detail.acting_for(u, a, _bare_info(u, p)), ALL, HELPER),
    Row(workflow_detail.opened, lambda u, a, p: workflow_detail.opened(u, a, workflow_detail.assembled_detail(
        a, _bare_info(u, p), workflow.flow_for(u, "outgoing_document"), [], {}, actor_heads_unit=False,
        owner_name="", unit_name="")), ALL, HELPER),
    Row(delegation.delegate, lambda u, a, p: delegation.delegate(
        u, a, delegate_id=p.office.clerk2.id, starts_on=date.today(), ends_on=date.today() + timedelta(days=3)), ALL),
    # The mayor's delegation: the mayor may revoke it, and the administrator.
    Row(delegation.revoke_delegation, lambda u, a, p: delegation.revoke_delegation(u, a, _mayors_delegation(u, p)),
        frozenset({"mayor", "admin"})),
    Row(delegation.my_delegations, lambda u, a, p: delegation.my_delegations(u, a), ALL),
    # ----- 常用意见, 分发组, 已办 and arrival (issue 15, point 2)
    Row(opinions.my_opinions, lambda u, a, p: opinions.my_opinions(u, a), ALL),
    Row(opinions.opinion_phrases, lambda u, a, p: opinions.opinion_phrases(u, a, "documents"), ALL),
    Row(opinions.add_opinion, lambda u, a, p: opinions.add_opinion(u, a, "同意。"), ALL),
    Row(opinions.remove_opinion, lambda u, a, p: opinions.remove_opinion(u, a, _clerks_opinion(u, p)), CLERK,
        note="the owner only"),
    Row(opinions.move_opinion, lambda u, a, p: opinions.move_opinion(u, a, _clerks_opinion(u, p), 1), CLERK,
        note="the owner only"),
    Row(unit_groups.list_unit_groups, lambda u, a, p: unit_groups.list_unit_groups(u, a), ALL),
    Row(unit_groups.create_group, lambda u, a, p: unit_groups.create_group(u, a, "全部乡镇", [p.office.units["城关镇"]]),
        ADMIN),
    Row(unit_groups.rename_group, lambda u, a, p: unit_groups.rename_group(u, a, _group(u), "县直部门"), ADMIN),
    Row(unit_groups.delete_group, lambda u, a, p: unit_groups.delete_group(u, a, _group(u)), ADMIN),
    Row(unit_groups.set_members, lambda u, a, p: unit_groups.set_members(u, a, _group(u), [p.office.units["财政局"]]),
        ADMIN),
    Row(unit_groups.make_default_groups, lambda u, a, p: unit_groups.make_default_groups(u, a), ADMIN),
    Row(done.done_list, lambda u, a, p: done.done_list(u, a), ALL),
    Row(arrivals.arrival_mark, lambda u, a, p: arrivals.arrival_mark(u, a, today=TODAY), ALL),
    Row(arrivals.check_arrivals, lambda u, a, p: arrivals.check_arrivals(
        u, a, arrivals.ArrivalMark(0, 0, frozenset(), 0), [changes.Change(1, "document", 1, "update")], today=TODAY),
        ALL),
    # ----- 督查督办 (issue 16): items of the 财政局 alone, answered for by the clerk, one at each point of the flow
    # (tests/helpers/supervision_office.prepare_for_matrix). Registered and changed by the office's staff and
    # leaders; 交办 and 报请销号 by the responsible person; 销号, 退回, 撤销 and 重新打开 by the office's leaders;
    # reports by the 财政局's 联络员; seen by every role but another unit's 联络员 and a user with no role.
    Row(sv_items.create_item, lambda u, a, p: sv_items.create_item(
        u, a, sv_item_input(p.office, co_unit_ids=[]), today=TODAY), OFFICE),
    Row(sv_items.update_item, lambda u, a, p: sv_items.update_item(
        u, a, p["sv_register"], sv_item_input(p.office, title="推进停车场建设", co_unit_ids=[]), today=TODAY), OFFICE),
    Row(sv_items.add_item, lambda u, a, p: sv_items.add_item(u, a, _sv_checked(u, p), TODAY), ALL, HELPER),
    # The rhythm of an item's class: set by its responsible person (the clerk) or the office's leaders.
    Row(sv_lifecycle.follow_class, lambda u, a, p: sv_lifecycle.follow_class(
        u, a, *sv_items.load(u, p.office.director, p["sv_handle"]), TODAY), frozenset({"clerk", "director", "deputy"})),
    Row(sv_items.get_item, lambda u, a, p: sv_items.get_item(u, a, p["sv_handle"]), SEES_RF),
    Row(sv_items.load, lambda u, a, p: sv_items.load(u, a, p["sv_handle"]), SEES_RF),
    Row(sv_items.item_of_instance, lambda u, a, p: sv_items.item_of_instance(u, a, p["sv_instance"]), SEES_RF),
    Row(sv_detail.item_detail, lambda u, a, p: sv_detail.item_detail(u, a, p["sv_handle"], today=TODAY), SEES_RF),
    Row(sv_detail.slip_facts, lambda u, a, p: sv_detail.slip_facts(u, a, p["sv_handle"]), SEES_RF),
    Row(sv_detail.responsible_choices, lambda u, a, p: sv_detail.responsible_choices(u, a), OFFICE),
    Row(sv_lifecycle.assign_item, lambda u, a, p: sv_lifecycle.assign_item(u, a, p["sv_register"], today=TODAY),
        CLERK),
    Row(sv_lifecycle.report_progress, lambda u, a, p: sv_lifecycle.report_progress(
        u, a, p["sv_handle"], "已完成选址", today=TODAY), frozenset({"liaison_fin"})),
    Row(sv_lifecycle.report_task, lambda u, a, p: sv_lifecycle.report_task(
        u, a, p["sv_handle"], "已建成并验收", [SV_EVIDENCE], completion=True), frozenset({"liaison_fin"})),
    Row(sv_lifecycle.request_close, lambda u, a, p: sv_lifecycle.request_close(
        u, a, p["sv_completed"], today=TODAY), CLERK),
    Row(sv_lifecycle.close_item, lambda u, a, p: sv_lifecycle.close_item(u, a, p["sv_review"], "同意销号", today=TODAY),
        frozenset({"director", "deputy"})),
    Row(sv_lifecycle.return_item, lambda u, a, p: sv_lifecycle.return_item(
        u, a, p["sv_review"], "佐证材料不全", today=TODAY), frozenset({"director", "deputy"})),
    Row(sv_lifecycle.cancel_item, lambda u, a, p: sv_lifecycle.cancel_item(
        u, a, p["sv_handle"], "上级已调整部署", today=TODAY), frozenset({"director", "deputy"})),
    Row(sv_lifecycle.reopen_item, lambda u, a, p: sv_lifecycle.reopen_item(
        u, a, p["sv_closed"], "群众反映问题反弹", today=TODAY), frozenset({"director", "deputy"})),
    Row(sv_lifecycle.record_overdue, lambda u, a, p: sv_lifecycle.record_overdue(u, a, LATER), OFFICE),
    Row(sv_ledger.list_items, lambda u, a, p: sv_ledger.list_items(u, a, sv_ledger.LedgerFilter(box="all")), ALL,
        note="everyone lists the items they see"),
    Row(sv_ledger.ledger_rows, lambda u, a, p: sv_ledger.ledger_rows(u, a, sv_ledger.LedgerFilter(box="all")), ALL,
        note="everyone lists the items they see"),
    Row(sv_notice.supervision_notice, lambda u, a, p: sv_notice.supervision_notice(
        u, a, sv_notice.Period(date(2026, 10, 1), date(2026, 12, 31), "2026年第四季度"), today=TODAY),
        frozenset({"director", "deputy", "clerk", "mayor"})),
    Row(sv_sheet.import_items, lambda u, a, p: sv_sheet.import_items(u, a, sv_sheet_bytes([
        [1, "政府工作报告", "农村公路提质改造", "完成100公里", "县财政局", "", "", "重点督办", "2026-12-31"]]),
        "分解表.xlsx", today=TODAY), OFFICE),
    Row(sv_campaigns.record_campaign, lambda u, a, p: sv_campaigns.record_campaign(
        u, a, "专项督查", "", TODAY, TODAY, [sv_campaigns.FindingInput("台账不全")]), OFFICE),
    Row(sv_campaigns.add_findings, lambda u, a, p: sv_campaigns.add_findings(
        u, a, p["sv_campaign"], [sv_campaigns.FindingInput("消防通道堵塞")]), OFFICE),
    Row(sv_campaigns.list_campaigns, lambda u, a, p: sv_campaigns.list_campaigns(u, a), OFFICE_ROLES),
    Row(sv_campaigns.finding_to_item, lambda u, a, p: sv_campaigns.finding_to_item(
        u, a, p["sv_finding"], sv_item_input(p.office, co_unit_ids=[]), today=TODAY), OFFICE),
    # 重新打开 to 督办落实: whoever acts there (文秘人员 and the office's leaders); the area's service narrows it.
    Row(workflow_reopen.reopen, lambda u, a, p: workflow_reopen.reopen(
        u, a, p.instance(u, "sv_closed_instance"), "handle", "问题反弹", TODAY), OFFICE),
    Row(workflow_accountability.accountability_records, lambda u, a, p: workflow_accountability.accountability_records(
        u, a, date(2026, 1, 1), date(2030, 12, 31)), frozenset({"director", "deputy", "clerk", "mayor"})),
    # ----- 会议 (issue 17): 常务会议 registered by the clerk (their 经办人), one at each point of the flow, attended by
    # the county's leaders and the 财政局, not the 教育局 (tests/helpers/meetings_matrix.prepare_for_matrix).
    # Registered, changed and carried along the flow by the office's 文秘 and leaders; topics proposed by the
    # attending unit's 联络员 (or the organizers for it), reviewed by the organizers, a 常务会议's agenda put in
    # order by the office's leaders; a plan task ticked by its owner or the organizers; seen by every role in the
    # office and the attending unit's 联络员.
    Row(mt_records.load, lambda u, a, p: mt_records.load(u, a, p["mt_prepare"]), SEES_MEETING),
    Row(mt_records.get_meeting, lambda u, a, p: mt_records.get_meeting(u, a, p["mt_follow"]), SEES_MEETING),
    Row(mt_records.meeting_of_instance, lambda u, a, p: mt_records.meeting_of_instance(
        u, a, p["mt_closed_instance"]), SEES_MEETING),
    Row(mt_records.create_meeting, lambda u, a, p: mt_records.create_meeting(u, a, mt_meeting_input(
        p.office, None, title="县政府第25次常务会议", place="县政府办公楼二楼小会议室",
        attendees=mt_attendees(p.office), **mt_later(72)), today=TODAY), OFFICE),
    Row(mt_records.update_meeting, lambda u, a, p: mt_records.update_meeting(u, a, p["mt_prepare"], mt_meeting_input(
        p.office, p["mt_room"], title="县政府第21次常务会议（调整议程）", attendees=mt_attendees(p.office),
        **mt_later(0))), OFFICE),
    Row(mt_records.list_rooms, lambda u, a, p: mt_records.list_rooms(u, a), ALL,
        note="the rooms are no secret: every user's calendar and lists filter by them"),
    Row(mt_records.save_room, lambda u, a, p: mt_records.save_room(
        u, a, None, name="第三会议室", location="县政府办公楼六楼", capacity=20), OFFICE | ADMIN),
    Row(mt_agenda.propose_topic, lambda u, a, p: mt_agenda.propose_topic(
        u, a, p["mt_prepare"], mt_topic_input(p.office, "关于县级国有资产清查的汇报"), files=[MT_MATERIAL]),
        MT_PROPOSERS),
    Row(mt_agenda.update_topic, lambda u, a, p: mt_agenda.update_topic(
        u, a, p["mt_topic"], mt_topic_input(p.office, "关于2027年县级财政预算草案的汇报")), MT_PROPOSERS),
    Row(mt_agenda.withdraw_topic, lambda u, a, p: mt_agenda.withdraw_topic(u, a, p["mt_topic"]), MT_PROPOSERS),
    Row(mt_agenda.review_topic, lambda u, a, p: mt_agenda.review_topic(u, a, p["mt_topic"], True), OFFICE),
    Row(mt_agenda.order_topics, lambda u, a, p: mt_agenda.order_topics(
        u, a, p["mt_prepare"], [p["mt_topic_approved"]]), OFFICE_LEADERS),
    Row(mt_agenda.topics_of, lambda u, a, p: mt_agenda.topics_of(u, a, p["mt_prepare"]), SEES_MEETING),
    Row(mt_agenda.get_topic, lambda u, a, p: mt_agenda.get_topic(u, a, p["mt_topic"]), SEES_MEETING),
    Row(mt_agenda.materials_of, lambda u, a, p: mt_agenda.materials_of(u, a, p["mt_topic"]), SEES_MEETING),
    Row(mt_agenda.add_material, lambda u, a, p: mt_agenda.add_material(
        u, a, p["mt_topic"], "补充说明.pdf", b"%PDF-1.4\n% more\n"), MT_PROPOSERS),
    Row(mt_agenda.remove_material, lambda u, a, p: mt_agenda.remove_material(
        u, a, p["mt_topic"], p["mt_material"]), MT_PROPOSERS),
    Row(mt_agenda.download_material, lambda u, a, p: mt_agenda.download_material(u, a, p["mt_material"]),
        SEES_MEETING),
    Row(mt_attendance.sign_in, lambda u, a, p: mt_attendance.sign_in(
        u, a, p["mt_held"], p["mt_attendee"], "present"), OFFICE),
    Row(mt_attendance.attendance_summary, lambda u, a, p: mt_attendance.attendance_summary(u, a, p["mt_held"]),
        SEES_MEETING),
    Row(mt_seating.seating_of, lambda u, a, p: mt_seating.seating_of(u, a, p["mt_held"]), SEES_MEETING),
    Row(mt_seating.move_seat, lambda u, a, p: mt_seating.move_seat(
        u, a, p["mt_held"], p["mt_attendee"], "dais", 0), OFFICE),
    Row(mt_seating.reset_seating, lambda u, a, p: mt_seating.reset_seating(u, a, p["mt_held"]), OFFICE),
    Row(mt_decisions.save_decisions, lambda u, a, p: mt_decisions.save_decisions(u, a, p["mt_follow"], [
        mt_decision_input(p.office), mt_decisions.DecisionInput("各乡镇做好预算衔接", None, None)]), OFFICE),
    Row(mt_decisions.decisions_of, lambda u, a, p: mt_decisions.decisions_of(u, a, p["mt_follow"]), SEES_MEETING),
    # What the 督办 register form is filled in with: a read of the meeting; registering the item is 督查督办's act.
    Row(mt_decisions.decision_origin, lambda u, a, p: mt_decisions.decision_origin(u, a, p["mt_decision"]),
        SEES_MEETING),
    Row(workflow_links.linked_parts, lambda u, a, p: workflow_links.linked_parts(
        u, a, ("meeting", p["mt_follow"]), mt_decisions.LINK_KIND), SEES_MEETING),
    Row(document_minutes.draft_minutes, lambda u, a, p: document_minutes.draft_minutes(
        u, a, ("meeting", p["mt_follow"]), "县政府第23次常务会议纪要", today=TODAY), OFFICE),
    Row(mt_lifecycle.convene, lambda u, a, p: mt_lifecycle.convene(u, a, p["mt_prepare"], today=TODAY), OFFICE),
    Row(mt_lifecycle.cancel_meeting, lambda u, a, p: mt_lifecycle.cancel_meeting(
        u, a, p["mt_prepare"], "县长另有公务，会议改期", today=TODAY), OFFICE),
    Row(mt_lifecycle.conclude, lambda u, a, p: mt_lifecycle.conclude(u, a, p["mt_held"], today=TODAY), OFFICE),
    Row(mt_lifecycle.return_to_prepare, lambda u, a, p: mt_lifecycle.return_to_prepare(
        u, a, p["mt_held"], "提前开始签到，退回筹备", today=TODAY), OFFICE),
    Row(mt_lifecycle.finish, lambda u, a, p: mt_lifecycle.finish(u, a, p["mt_follow"], today=TODAY), OFFICE),
    Row(mt_listing.list_meetings, lambda u, a, p: mt_listing.list_meetings(u, a, mt_listing.MeetingFilter()), ALL,
        note="everyone lists the meetings they see"),
    Row(mt_listing.meetings_between, lambda u, a, p: mt_listing.meetings_between(
        u, a, date(2026, 11, 30), date(2026, 12, 6)), ALL, note="everyone's calendar shows the meetings they see"),
    Row(mt_listing.people_choices, lambda u, a, p: mt_listing.people_choices(u, a), OFFICE),
    Row(mt_listing.meeting_detail, lambda u, a, p: mt_listing.meeting_detail(u, a, p["mt_prepare"]), SEES_MEETING),
    Row(mt_listing.editor_choices, lambda u, a, p: mt_listing.editor_choices(u, a), OFFICE,
        note="the meeting form's rooms, units and people: for those who register meetings"),
    # What each tab of the meeting window reads in one call.
    Row(mt_agenda.agenda_of, lambda u, a, p: mt_agenda.agenda_of(u, a, p["mt_prepare"]), SEES_MEETING),
    Row(mt_attendance.sign_in_of, lambda u, a, p: mt_attendance.sign_in_of(u, a, p["mt_held"]), SEES_MEETING),
    Row(mt_decisions.decisions_view, lambda u, a, p: mt_decisions.decisions_view(u, a, p["mt_follow"]),
        SEES_MEETING),
    # The meeting's own files (通知, 会议记录): added and removed by its organizers while it is open.
    Row(mt_records.add_file, lambda u, a, p: mt_records.add_file(
        u, a, p["mt_prepare"], filename="座次表.pdf", data=b"%PDF-1.4 seats", purpose="material"), OFFICE),
    Row(mt_records.remove_file, lambda u, a, p: mt_records.remove_file(u, a, p["mt_prepare"], p["mt_file"]), OFFICE),
    Row(mt_records.file_data, lambda u, a, p: mt_records.file_data(u, a, p["mt_file"]), SEES_MEETING),
    Row(mt_plan.plan_of, lambda u, a, p: mt_plan.plan_of(u, a, p["mt_prepare"]), SEES_MEETING),
    Row(mt_plan.make_plan, lambda u, a, p: mt_plan.make_plan(u, a, p["mt_held"]), OFFICE),
    Row(mt_plan.add_task, lambda u, a, p: mt_plan.add_task(
        u, a, p["mt_prepare"], "会场布置", "检查会场音响和话筒", p["mt_owner"], datetime(2026, 11, 30, 16, 0)),
        OFFICE),
    Row(mt_plan.update_task, lambda u, a, p: mt_plan.update_task(
        u, a, p["mt_task"], text="征集议题，报县长审定", owner_id=p["mt_owner"],
        due_at=datetime(2026, 11, 27, 17, 0)), OFFICE),
    Row(mt_plan.remove_task, lambda u, a, p: mt_plan.remove_task(u, a, p["mt_task"]), OFFICE),
    # The 财政局's 联络员 ticks her own task, though she organizes nothing.
    Row(mt_plan.set_done, lambda u, a, p: mt_plan.set_done(u, a, p["mt_fin_task"], True), OFFICE | {"liaison_fin"}),
    # The engine's checklist items (a plan task's line on its owner's 工作台), on the meeting at 会前筹备: sent,
    # changed and recalled by whoever acts at its step (the office's 文秘 and leaders) or its 经办人; ticked by
    # its holder too.
    Row(workflow_parallel.send_checklist_item, lambda u, a, p: workflow_parallel.send_checklist_item(
        u, a, p["mt_prepare_instance"], p["mt_owner"], "核对参会名单", date(2026, 11, 30)), OFFICE),
    Row(workflow_parallel.update_checklist_item, lambda u, a, p: workflow_parallel.update_checklist_item(
        u, a, p["mt_item"], user_id=p["mt_owner"], task="征集议题，报县长审定", due=date(2026, 11, 27)), OFFICE),
    Row(workflow_parallel.recall_checklist_item, lambda u, a, p: workflow_parallel.recall_checklist_item(
        u, a, p["mt_item"]), OFFICE),
    Row(workflow_parallel.tick_checklist_item, lambda u, a, p: workflow_parallel.tick_checklist_item(
        u, a, p["mt_fin_item"], True), OFFICE | {"liaison_fin"}),
    # ----- 信息调研 (issue 19): the groups are set up by the director or the administrator; items are written by a
    # group's members for their group (the editors for any), moved by their author (报送) and the editors (存档,
    # 退回修改), and adopted and commented on as the editors record.
    Row(in_groups.list_groups, lambda u, a, p: in_groups.list_groups(u, a), ALL, note="the groups are no secret"),
    Row(in_groups.writing_staff, lambda u, a, p: in_groups.writing_staff(u, a), ALL, note="the groups are no secret"),
    Row(in_groups.create_default_groups, lambda u, a, p: in_groups.create_default_groups(u, a), IN_GROUP_ADMINS,
        allowed_error=ValidationError),
    Row(in_groups.save_group, lambda u, a, p: in_groups.save_group(
        u, a, p["in_group2"], name="第二信息组", leader_id=p.office.director.id, member_ids=[p.office.finance.id]),
        IN_GROUP_ADMINS),
    Row(in_groups.group_people, lambda u, a, p: in_groups.group_people(u, a), IN_GROUP_ADMINS),
    Row(in_notices.notice, lambda u, a, p: in_notices.notice(u, a, 2026, 4), IN_STUDY_READERS,
        note="the editors and every group's members"),
    Row(in_ledger_import.import_items, lambda u, a, p: in_ledger_import.import_items(
        u, a, in_ledger_bytes([in_one_row()]), today=TODAY), IN_EDITORS),
    Row(in_records.member_group_id, lambda u, a, p: in_records.member_group_id(u, a), ALL, HELPER),
    Row(in_records.visible_items, lambda u, a, p: in_records.visible_items(u, a), ALL, HELPER),
    Row(in_records.can_see, lambda u, a, p: in_records.can_see(
        u, a, in_records.load(u, p.office.director, p["in_draft"])[0]), ALL, HELPER),
    Row(in_records.load, lambda u, a, p: in_records.load(u, a, p["in_submitted"]), IN_SEES),
    Row(in_records.get_item, lambda u, a, p: in_records.get_item(u, a, p["in_adopted"]), IN_SEES),
    Row(in_records.item_of_instance, lambda u, a, p: in_records.item_of_instance(u, a, p["in_submitted_instance"]),
        IN_SEES),
    Row(in_records.item_info, lambda u, a, p: in_records.item_info(
        u, a, *in_records.load(u, p.office.director, p["in_draft"])), ALL, HELPER),
    Row(in_records.commit_info, lambda u, a, p: in_records.commit_info(
        u, a, *in_records.load(u, p.office.director, p["in_draft"])), ALL, HELPER),
    Row(in_items.check_item, lambda u, a, p: in_items.check_item(u, a, replace(IN_ITEM, group_id=p["in_group1"])),
        IN_SEES),
    Row(in_items.add_item, lambda u, a, p: in_items.add_item(u, a, in_items.check_item(
        u, p.office.clerk, IN_ITEM), TODAY), ALL, HELPER),
    Row(in_items.create_item, lambda u, a, p: in_items.create_item(
        u, a, replace(IN_ITEM, group_id=p["in_group1"]), today=TODAY), IN_SEES),
    Row(in_items.update_item, lambda u, a, p: in_items.update_item(u, a, p["in_draft"], IN_ITEM), IN_SEES),
    Row(in_items.submit_item, lambda u, a, p: in_items.submit_item(u, a, p["in_draft"], today=TODAY),
        frozenset({"petition"})),
    Row(in_items.return_item, lambda u, a, p: in_items.return_item(u, a, p["in_submitted"], "请补充数据", today=TODAY),
        IN_EDITORS),
    Row(in_items.file_item, lambda u, a, p: in_items.file_item(u, a, p["in_submitted"], today=TODAY), IN_EDITORS),
    Row(in_items.item_detail, lambda u, a, p: in_items.item_detail(u, a, p["in_submitted"]), IN_SEES),
    Row(in_items.group_choices, lambda u, a, p: in_items.group_choices(u, a), ALL,
        note="everyone is offered the groups they may write for (none for most)"),
    Row(in_adoptions.record_adoption, lambda u, a, p: in_adoptions.record_adoption(
        u, a, p["in_submitted"], body="省政府办公厅", level="省级", adopted_on=TODAY, today=TODAY), IN_EDITORS),
    Row(in_adoptions.remove_adoption, lambda u, a, p: in_adoptions.remove_adoption(u, a, p["in_adoption"]),
        IN_EDITORS),
    Row(in_adoptions.record_comment, lambda u, a, p: in_adoptions.record_comment(
        u, a, p["in_submitted"], leader="陈县长", text="阅。", commented_on=TODAY, today=TODAY), IN_EDITORS),
    Row(in_adoptions.remove_comment, lambda u, a, p: in_adoptions.remove_comment(u, a, p["in_comment"]), IN_EDITORS),
    Row(in_listing.conditions_for, lambda u, a, p: in_listing.conditions_for(u, a, in_listing.ItemFilter()), ALL,
        HELPER),
    Row(in_listing.list_items, lambda u, a, p: in_listing.list_items(u, a), ALL,
        note="everyone lists the items they see"),
    Row(in_listing.compilable_items, lambda u, a, p: in_listing.compilable_items(u, a), IN_EDITORS),
    # 《政务信息》: the editors make and issue it; an issued one is for everyone, one being edited for the editors.
    Row(in_issues.list_issues, lambda u, a, p: in_issues.list_issues(u, a), ALL,
        note="everyone lists the issues they see"),
    Row(in_issues.issue_years, lambda u, a, p: in_issues.issue_years(u, a), ALL,
        note="everyone lists the issues they see"),
    Row(in_issues.get_issue, lambda u, a, p: in_issues.get_issue(u, a, p["in_issue_editing"]), IN_EDITORS),
    Row(in_issues.create_issue, lambda u, a, p: in_issues.create_issue(u, a, issue_date=TODAY, today=TODAY),
        IN_EDITORS),
    Row(in_issues.update_issue, lambda u, a, p: in_issues.update_issue(
        u, a, p["in_issue_editing"], issue_date=TODAY, editor_unit="青山县人民政府办公室", report_to="市政府办公室",
        send_to="县政府各位领导", distribute_to="各乡镇人民政府"), IN_EDITORS),
    Row(in_issues.add_items, lambda u, a, p: in_issues.add_items(u, a, p["in_issue_editing"], [p["in_submitted"]]),
        IN_EDITORS),
    Row(in_issues.remove_item, lambda u, a, p: in_issues.remove_item(
        u, a, p["in_issue_editing"], p["in_issue_editing_item"]), IN_EDITORS),
    Row(in_issues.move_item, lambda u, a, p: in_issues.move_item(
        u, a, p["in_issue_editing"], p["in_issue_editing_item"], 1), IN_EDITORS, allowed_error=ValidationError),
    Row(in_issues.publish_issue, lambda u, a, p: in_issues.publish_issue(u, a, p["in_issue_editing"], today=TODAY),
        IN_EDITORS),
    # 学习: the editors keep the terms, the rotation and the records; the writing staff read them.
    Row(in_study.list_terms, lambda u, a, p: in_study.list_terms(u, a), IN_STUDY_READERS),
    Row(in_study.get_term, lambda u, a, p: in_study.get_term(u, a, p["in_term"]), IN_STUDY_READERS),
    Row(in_study.session_detail, lambda u, a, p: in_study.session_detail(u, a, p["in_session"]), IN_STUDY_READERS),
    Row(in_study.create_term, lambda u, a, p: in_study.create_term(
        u, a, name="2027年春季学习", starts_on=date(2027, 3, 1), ends_on=date(2027, 6, 28), topics=["案例解剖"]),
        IN_EDITORS),
    Row(in_study.add_absence, lambda u, a, p: in_study.add_absence(
        u, a, p["in_term"], p.office.clerk.id, date(2026, 12, 14), "请假"), IN_EDITORS),
    Row(in_study.remove_absence, lambda u, a, p: in_study.remove_absence(u, a, p["in_absence"]), IN_EDITORS),
    Row(in_study.generate_rotation, lambda u, a, p: in_study.generate_rotation(u, a, p["in_term"], today=TODAY),
        IN_EDITORS),
    Row(in_study.record_session, lambda u, a, p: in_study.record_session(
        u, a, p["in_session"], subject="学习《党政机关公文处理工作条例》", notes="逐条学习",
        attendance=[(p.office.clerk.id, True, "")], today=TODAY), IN_EDITORS),
    # ----- 信访 (issue 18): cases registered and answered for by the 信访接待员 (首问负责), one at each point of the
    # flow, the assigned ones assigned to the 财政局 (tests/helpers/petitions_matrix.prepare_for_matrix). Moved by
    # the responsible person; 审核 and 延期 by the office's leaders; the office (the responsible person or a
    # leader) answers an objection and hastens the unit; the unit's 联络员 objects.
    Row(pt_records.load, lambda u, a, p: pt_records.load(u, a, p["pt_handle"]), PT_SEES_ASSIGNED),
    Row(pt_records.get_petition, lambda u, a, p: pt_records.get_petition(u, a, p["pt_register"]), PT_SEES_ALL),
    Row(pt_records.add_petition, lambda u, a, p: pt_records.add_petition(
        u, a, pt_records.check_petition(pt_input(), TODAY), TODAY), ALL, HELPER),
    Row(pt_records.register_petition, lambda u, a, p: pt_records.register_petition(u, a, pt_input(), today=TODAY),
        PT_HANDLERS),
    Row(pt_records.update_petition, lambda u, a, p: pt_records.update_petition(
        u, a, p["pt_register"], pt_input(name="甲"), today=TODAY), PT_HANDLERS),
    Row(pt_repeats.matches_for, lambda u, a, p: pt_repeats.matches_for(
        u, a, pt_repeats.facts_of(pt_records.check_petition(pt_input(), TODAY))), PT_HANDLERS),
    Row(pt_repeats.check_repeats, lambda u, a, p: pt_repeats.check_repeats(u, a, pt_input(), today=TODAY),
        PT_HANDLERS),
    Row(pt_repeats.petitioner_history, lambda u, a, p: pt_repeats.petitioner_history(u, a, p["pt_register"]),
        PT_SEES_ALL),
    # 综合查询: everyone searches, and finds what they may see (tests/services/test_search_*.py show what).
    Row(search_query.search, lambda u, a, p: search_query.search(u, a, "工作"), ALL,
        note="everyone searches the records they see"),
    Row(search_query.search_kind, lambda u, a, p: search_query.search_kind(u, a, "document", "工作"), ALL,
        note="everyone searches the records they see"),
    Row(search_query.search_years, lambda u, a, p: search_query.search_years(u, a), ALL),
    Row(search_reindex.check_may_reindex, lambda u, a, p: search_reindex.check_may_reindex(u, a), ADMIN),
    Row(pt_listing.list_petitions, lambda u, a, p: pt_listing.list_petitions(u, a, today=TODAY), ALL,
        note="everyone lists the cases they see"),
    Row(pt_listing.ledger_rows, lambda u, a, p: pt_listing.ledger_rows(u, a, today=TODAY), ALL,
        note="everyone lists the cases they see"),
    # The 信访台账 in Excel is the office's (a unit's 联络员 lists its cases instead); an import registers cases.
    Row(pt_ledger.export_ledger, lambda u, a, p: pt_ledger.export_ledger(u, a, today=TODAY), PT_SEES_ALL),
    Row(pt_ledger_import.import_petitions, lambda u, a, p: pt_ledger_import.import_petitions(u, a, pt_import_sheet([
        ["2026-11-02", "来信", "李大明", "", "13900001111", "", "反映承包地被占用修路未获补偿", "征地拆迁", "城东乡", 1]]),
        "信访台账.xlsx", today=TODAY), PT_HANDLERS),
    # 排查: the counts are for those who see every case; a screened problem is assigned by those who handle
    # petitions, seen by the office and its unit's 联络员, reported on by that 联络员 and closed by the handlers.
    Row(pt_screening.screen, lambda u, a, p: pt_screening.screen(
        u, a, pt_screening.ScreeningFilter(TODAY.replace(month=1, day=1), TODAY)), PT_SEES_ALL),
    Row(pt_screening.filter_choices, lambda u, a, p: pt_screening.filter_choices(u, a), PT_SEES_ALL),
    Row(pt_problems.create_problem, lambda u, a, p: pt_problems.create_problem(
        u, a, title="河西乡复员退伍军人就业问题", category="复员退伍军人就业", place="河西乡",
        period_from=TODAY.replace(month=1, day=1), period_to=TODAY, case_count=2, description="落实安置政策",
        unit_id=p.office.units["教育局"], deadline=TODAY + timedelta(days=30), today=TODAY), PT_HANDLERS),
    Row(pt_problems.load, lambda u, a, p: pt_problems.load(u, a, p["pt_problem"]), PT_SEES_ASSIGNED),
    Row(pt_problems.get_problem, lambda u, a, p: pt_problems.get_problem(u, a, p["pt_problem"]), PT_SEES_ASSIGNED),
    Row(pt_problems.problem_detail, lambda u, a, p: pt_problems.problem_detail(u, a, p["pt_problem"], TODAY),
        PT_SEES_ASSIGNED),
    Row(pt_problems.problem_of_instance, lambda u, a, p: pt_problems.problem_of_instance(
        u, a, p["pt_problem_instance"]), PT_SEES_ASSIGNED),
    Row(pt_problems.list_problems, lambda u, a, p: pt_problems.list_problems(u, a), ALL,
        note="everyone lists the problems they see"),
    Row(pt_problems.report_problem, lambda u, a, p: pt_problems.report_problem(
        u, a, p["pt_problem"], "已化解", today=TODAY), frozenset({"liaison_fin"})),
    Row(pt_problems.solve, lambda u, a, p: pt_problems.solve(u, a, p["pt_problem_reported"], today=TODAY),
        PT_HANDLERS),
    # Helpers the acts share: they read and write for their callers, which check; those that read the case's
    # clocks, move it or link it still ask the workflow's own visibility and roles.
    Row(pt_records.record_unmasked_view, lambda u, a, p: pt_records.record_unmasked_view(
        u, a, [p["pt_register"]], "详情"), ALL, HELPER),
    Row(pt_records.petition_info, lambda u, a, p: pt_records.petition_info(
        u, a, *pt_records.load(u, p.office.director, p["pt_register"])), ALL, HELPER),
    Row(pt_records.commit_info, lambda u, a, p: pt_records.commit_info(
        u, a, *pt_records.load(u, p.office.director, p["pt_register"])), ALL, HELPER),
    Row(pt_problems.problem_info, lambda u, a, p: pt_problems.problem_info(
        u, a, *pt_problems.load(u, p.office.director, p["pt_problem"])), PT_SEES_ASSIGNED),
    Row(pt_repeats.link_repeats, lambda u, a, p: pt_repeats.link_repeats(
        u, a, pt_records.load(u, p.office.director, p["pt_ready"])[0], [p["pt_handle"]]), PT_SEES_ASSIGNED,
        allowed_error=ValidationError),
    Row(pt_handling.open_case, lambda u, a, p: pt_handling.open_case(u, a, p["pt_ready"], "报送审核", "submit", None),
        PT_RESPONSIBLE),
    Row(pt_handling.handling_due, lambda u, a, p: pt_handling.handling_due(
        u, a, _pt_instance(u, p, "pt_handle"), TODAY), PT_SEES_ASSIGNED),
    Row(pt_handling.send_task, lambda u, a, p: pt_handling.send_task(
        u, a, _pt_instance(u, p, "pt_register"), p.office.units["教育局"], "核实", TODAY + timedelta(days=10), TODAY),
        PT_HANDLERS),
    Row(pt_handling.assigned_on, lambda u, a, p: pt_handling.assigned_on(
        u, a, _pt_instance(u, p, "pt_handle"), pt_handling.lead_task(u, _pt_instance(u, p, "pt_handle")), TODAY),
        PT_SEES_ASSIGNED),
    Row(pt_lifecycle.accept, lambda u, a, p: pt_lifecycle.accept(u, a, p["pt_register"], today=TODAY),
        PT_RESPONSIBLE),
    Row(pt_lifecycle.assign, lambda u, a, p: pt_lifecycle.assign(
        u, a, p["pt_register"], unit_id=p.office.units["教育局"], due=TODAY + timedelta(days=20), task="核实",
        today=TODAY), PT_RESPONSIBLE),
    Row(pt_lifecycle.forward, lambda u, a, p: pt_lifecycle.forward(
        u, a, p["pt_register"], to="县人民法院", reason="属诉讼事项", today=TODAY), PT_RESPONSIBLE),
    Row(pt_lifecycle.reject, lambda u, a, p: pt_lifecycle.reject(
        u, a, p["pt_register"], reason="不属于受理范围", today=TODAY), PT_RESPONSIBLE),
    Row(pt_lifecycle.extend, lambda u, a, p: pt_lifecycle.extend(
        u, a, p["pt_handle"], days=15, reason="涉及多个部门", today=TODAY), OFFICE_LEADERS),
    Row(pt_lifecycle.write_reply, lambda u, a, p: pt_lifecycle.write_reply(
        u, a, p["pt_handle"], findings="查明属实", decision="支持", basis="依据", today=TODAY), PT_RESPONSIBLE),
    Row(pt_lifecycle.submit, lambda u, a, p: pt_lifecycle.submit(u, a, p["pt_ready"], today=TODAY), PT_RESPONSIBLE),
    Row(pt_lifecycle.sign, lambda u, a, p: pt_lifecycle.sign(u, a, p["pt_review"], today=TODAY), OFFICE_LEADERS),
    Row(pt_lifecycle.return_reply, lambda u, a, p: pt_lifecycle.return_reply(
        u, a, p["pt_review"], opinion="补充依据", today=TODAY), OFFICE_LEADERS),
    Row(pt_lifecycle.conclude, lambda u, a, p: pt_lifecycle.conclude(u, a, p["pt_replied"], today=TODAY),
        PT_RESPONSIBLE),
    Row(pt_handling.assignment_of, lambda u, a, p: pt_handling.assignment_of(u, a, p["pt_handle"], today=TODAY),
        PT_SEES_ASSIGNED),
    Row(pt_handling.object_to_assignment, lambda u, a, p: pt_handling.object_to_assignment(
        u, a, p["pt_handle"], reason="不属本单位职责", today=TODAY), frozenset({"liaison_fin"})),
    Row(pt_handling.answer_objection, lambda u, a, p: pt_handling.answer_objection(
        u, a, p["pt_objection"], uphold=True, answer="改由教育局办理", new_unit_id=p.office.units["教育局"],
        today=TODAY), PT_HANDLERS),
    Row(pt_handling.objections_of, lambda u, a, p: pt_handling.objections_of(u, a, p["pt_objected"]),
        PT_SEES_ASSIGNED),
    Row(pt_handling.urge_unit, lambda u, a, p: pt_handling.urge_unit(u, a, p["pt_handle"], today=TODAY),
        PT_HANDLERS),
    Row(pt_visits.record_visit, lambda u, a, p: pt_visits.record_visit(
        u, a, p["pt_replied"], visited_on=TODAY, method="电话回访", satisfaction="满意", today=TODAY),
        PT_RESPONSIBLE),
    Row(pt_visits.leader_choices, lambda u, a, p: pt_visits.leader_choices(u, a, p["pt_replied"]),
        PT_SEES_ASSIGNED),
    Row(pt_visits.visits_of, lambda u, a, p: pt_visits.visits_of(u, a, p["pt_replied"]), PT_SEES_ASSIGNED),
    Row(pt_visits.open_review, lambda u, a, p: pt_visits.open_review(
        u, a, p["pt_replied"], requested_on=TODAY, request="不服处理意见，请求复查", today=TODAY), PT_HANDLERS),
)


def _clocked(uow: UnitOfWork, p: Prepared, *, paused: bool = False) -> int:
    """A record of the clock test flow at 办理, prepared by role-holders with no account (so that an actor
    changed after login is refused by the row's function, not by the preparation)."""
    record = start_clocked(uow, as_role(Role.PETITION_OFFICER), TODAY, unit_id=p.office.units["秘书股"], at="handle")
    if paused:
        workflow_clocks.pause_clock(uow, as_role(Role.SECRETARY), record, "handling", "等待补充材料", today=TODAY)
    return record


def _clock_follows(uow: UnitOfWork, actor: Actor, p: Prepared) -> None:
    """The clocks of a record the move's own service just moved from 登记 to 办理."""
    from app.services.workflow.moves import flow_for

    instance = uow.session.get(WorkflowInstance, _clocked(uow, p))
    assert instance is not None
    workflow_clocks.follow_move(uow, actor, instance, flow_for(uow, instance.flow_key), "register", TODAY)


def _effects_follow(uow: UnitOfWork, actor: Actor, p: Prepared) -> None:
    """Every move effect (clocks, then duties) of a record the move's own service just moved from 登记 to 办理."""
    from app.services.workflow.moves import flow_for

    instance = uow.session.get(WorkflowInstance, _clocked(uow, p))
    assert instance is not None
    move_effects.after_move(uow, actor, instance, flow_for(uow, instance.flow_key), "register", TODAY)


def _sv_checked(uow: UnitOfWork, p: Prepared) -> sv_items.CheckedItem:
    """An item as the register form's checks leave it, answered for by the second 文秘 (no subject of the matrix,
    so that a subject disabled after login is refused by add_item itself, not by the checks)."""
    unit = uow.session.get(Unit, p.office.units["财政局"])
    person = uow.session.get(User, p.office.clerk2.id)
    assert unit is not None and person is not None
    return sv_items.CheckedItem("政府工作报告", "农村公路提质改造", "", unit, (), person, "重点督办", LATER)


def _bare_info(uow: UnitOfWork, p: Prepared) -> workflow.InstanceInfo:
    instance = p.instance(uow, "bare")
    return workflow.instance_info(instance, workflow.flow_for(uow, instance.flow_key, instance.flow_version))


def _mayors_delegation(uow: UnitOfWork, p: Prepared) -> int:
    return delegation.delegate(uow, p.people["mayor"], delegate_id=p.office.vice.id, starts_on=date.today(),
                               ends_on=date.today() + timedelta(days=3)).id


def _clerks_opinion(uow: UnitOfWork, p: Prepared) -> int:
    """One of the clerk's own 常用意见, written in the row's dry run."""
    row = {"user_id": p.office.clerk.id, "text": "请按程序办理。", "position": 1}
    return int(uow.execute(insert(common_opinions).values(row)).inserted_primary_key[0])  # type: ignore[attr-defined]


def _group(uow: UnitOfWork) -> int:
    """A 分发组, written in the row's dry run."""
    return int(uow.execute(insert(unit_groups_table).values(name="县直部门组", position=1))
               .inserted_primary_key[0])  # type: ignore[attr-defined]


def _listed_claim(uow: UnitOfWork, actor: Actor, p: Prepared) -> None:
    page = worklist.list_instances(uow, actor, include_closed=True, limit=500)
    if p["claim_review_instance"] not in {row.id for row in page.rows}:
        raise PermissionDenied("not listed")


def _public_service_functions() -> set[str]:
    names = set()
    # Every module of every package under app/services, named from there on (documents.records.get_document).
    for module_info in pkgutil.walk_packages(app.services.__path__, "app.services."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if not name.startswith("_") and getattr(value, "checks_actor", False) and value.__module__ == module.__name__:
                names.add(f"{module_info.name.removeprefix('app.services.')}.{name}")
    return names


def test_the_matrix_lists_every_public_service_function() -> None:
    listed = [row.name for row in ROWS]
    assert len(listed) == len(set(listed)), "a function has two rows"
    public = _public_service_functions()
    assert len(public) > 100
    missing = sorted(public - set(listed))
    assert not missing, "no row in the permission matrix for: " + ", ".join(missing)
    assert not set(listed) - public


def _outcome(ctx: AppContext, row: Row, who: Actor, p: Prepared) -> str:
    try:
        with dry_run(ctx) as uow:
            row.call(uow, who, p)
    except SessionEnded as error:
        return f"session ended: {error}"
    except REFUSED:
        return "refused"
    except GovDeskError as error:
        if row.allowed_error is not None and isinstance(error, row.allowed_error):
            return "allowed"
        return f"{type(error).__name__}: {error}"
    return "allowed"


@pytest.fixture
def prepared(ctx: AppContext, tmp_path: Path) -> Iterator[Prepared]:
    yield prepare(ctx, tmp_path)


def test_every_function_for_every_role(ctx: AppContext, prepared: Prepared) -> None:
    wrong = []
    for row in ROWS:
        for key in SUBJECTS:
            got = _outcome(ctx, row, prepared.people[key], prepared)
            want = "allowed" if key in row.may else "refused"
            if got != want:
                wrong.append(f"{row.name} by {key}: {got}, expected {want}")
    assert not wrong, f"{len(wrong)} wrong:\n" + "\n".join(wrong)


def _end_sessions(ctx: AppContext, p: Prepared) -> dict[str, str]:
    """Each subject's account changed behind her open window, in turn: disabled, locked by an administrator,
    or given another role."""
    how = {}
    changes = ("disable", "lock", "demote")
    with ctx.uow() as uow:
        for index, key in enumerate(SUBJECTS):
            user_id = p.people[key].id
            change = changes[index % len(changes)]
            how[key] = change
            if change == "disable":
                uow.execute(update(users).where(users.c.id == user_id).values(active=False))
            elif change == "lock":
                uow.execute(update(users).where(users.c.id == user_id).values(locked_by_admin=True))
            else:
                uow.execute(user_roles.delete().where(user_roles.c.user_id == user_id))
                uow.execute(user_roles.insert().values(user_id=user_id, role_code=Role.PETITION_OFFICER.value
                                                       if key != "petition" else Role.CASHIER.value))
        uow.commit()
    for key in SUBJECTS:
        # Another PC's administrator made the change: nothing in this process forgot the confirmation.
        access.forget(ctx.engine, p.people[key].id)
    return how


def test_an_actor_changed_after_login_is_refused_by_every_function(ctx: AppContext, prepared: Prepared) -> None:
    how = _end_sessions(ctx, prepared)
    wrong = []
    for row in ROWS:
        # Those who could call it a moment ago; for a row nobody may call, everyone.
        for key in sorted(row.may or ALL):
            got = _outcome(ctx, row, prepared.people[key], prepared)
            if not got.startswith("session ended"):
                wrong.append(f"{row.name} by {key} ({how[key]}): {got}")
    assert not wrong, f"{len(wrong)} still served:\n" + "\n".join(wrong)
