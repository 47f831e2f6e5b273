"""公文 declares itself: 发文 and 收文 in their flows, the 公文 page and the document window, its forms, its
models and its demo data.

The flows, as DOMAIN.md describes them. Facts the guards read (the services put them in the context):
- actor_is_owner: the actor drafted or filed the record;
- actor_is_principal: the actor is a principal leader (主要领导);
- actor_heads_unit: the actor heads the record's unit;
- the record's own facts, named in each flow's field_labels.
"""

from __future__ import annotations

from dataclasses import replace

from app.core.areas import AreaManifest, FormEntry, Opener, SearchSpec
from app.core.roles import Role
from app.core.workflow.engine import OWNER, PRINCIPAL, Condition, Flow, Step, TimeLimit, Transition, roles

_OFFICE_LEADS = roles(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
_DRAFTERS = roles(Role.SECRETARY, Role.LIAISON, Role.DEPUTY_DIRECTOR, Role.DIRECTOR)
_CLERKS = roles(Role.SECRETARY)


def _return(source: str, target: str = "draft", label: str = "退回") -> Transition:
    return Transition(source, "return", target, label, kind="return", requires_opinion=True)


OUTGOING_DOCUMENT = Flow(
    key="outgoing_document",
    label="发文办理",
    start="draft",
    # Version 2 added 复核 (条例 Art. 25); documents begun under version 1 keep it (OUTGOING_DOCUMENT_V1).
    version=2,
    field_labels={
        "has_cosigners": "有会签单位",
        "!has_cosigners": "无会签单位",
        "important": "重要文件",
        "!important": "非重要文件",
        "upward": "上行文",
        "!upward": "非上行文",
        "cosign_complete": "各会签单位均已同意",
        "actor_is_principal": "主要领导签发",
        "actor_is_owner": "拟稿人本人",
    },
    steps=(
        Step("draft", "拟稿", _DRAFTERS, TimeLimit(3)),
        Step("review", "核稿", _OFFICE_LEADS, TimeLimit(2)),
        # The office sends the draft round the co-issuing units and moves it on once all have agreed;
        # each unit's liaison writes that unit's opinion (app.services.documents.outgoing.cosign), which is not a move.
        Step("cosign", "会签", _OFFICE_LEADS | _CLERKS, TimeLimit(3)),
        Step("sign", "签发", roles(Role.COUNTY_LEADER, Role.DIRECTOR), TimeLimit(2)),
        # 条例 Art. 25: the office checks the signed draft (审批手续, 附件, 格式) before it is numbered; a
        # substantive problem goes back to the signer for 复审, and the re-signed draft comes back here.
        Step(
            "recheck", "复核", _CLERKS | _OFFICE_LEADS, TimeLimit(1),
            description="核对审批手续是否完备、附件是否齐全、格式是否统一规范",
        ),
        Step("number", "编号", _CLERKS, TimeLimit(1)),
        Step("print", "印制", _CLERKS, TimeLimit(1)),
        Step("seal", "用印", _CLERKS, TimeLimit(1)),
        Step("distribute", "分发", _CLERKS, TimeLimit(2)),
        Step("archive", "归档", _CLERKS, TimeLimit(30, "day")),
        Step("archived", "已归档", frozenset(), final=True),
        Step("cancelled", "已作废", frozenset(), final=True),
    ),
    transitions=(
        Transition("draft", "submit", "review", "送核稿", conditions=(OWNER,)),
        Transition("draft", "cancel", "cancelled", "作废", conditions=(OWNER,), kind="cancel", requires_opinion=True),
        # 撤回 (Transition.withdrawable): a move that a plain step back cannot undo is not withdrawable: the 会签
        # units already have the draft, a signature dates the document, a number is taken, paper printed,
        # sealed or sent.
        Transition("review", "approve", "cosign", "核稿通过", conditions=(Condition("has_cosigners", "==", True),),
                   withdrawable=False),
        Transition("review", "approve", "sign", "核稿通过", conditions=(Condition("has_cosigners", "==", False),)),
        _return("review"),
        Transition("cosign", "approve", "sign", "会签完毕", conditions=(Condition("cosign_complete", "==", True),)),
        _return("cosign"),
        # Important documents and 上行文 need the principal leader; others any signing leader.
        Transition("sign", "sign", "recheck", "签发", roles=roles(Role.COUNTY_LEADER), conditions=(PRINCIPAL,),
                   withdrawable=False),
        Transition(
            "sign",
            "sign",
            "recheck",
            "签发",
            conditions=(Condition("important", "==", False), Condition("upward", "==", False)),
            withdrawable=False,
        ),
        _return("sign"),
        Transition("recheck", "recheck", "number", "复核通过"),
        # 复审: the reason is required; the service hands the draft back to the leader who signed it.
        Transition("recheck", "return_to_signer", "sign", "退回复审", kind="return", requires_opinion=True),
        Transition("number", "assign_number", "print", "编号", withdrawable=False),
        # The signed 正文 and 附件 are frozen (app.core.documents.signed_files_frozen); a change found while
        # numbering or printing goes back, with its reason, to the signer, whose new signature covers it.
        # After 用印 the sealed paper exists: a change then is a new document, not a return.
        Transition("number", "return_to_signer", "sign", "退回签发人", kind="return", requires_opinion=True),
        Transition("print", "printed", "seal", "印制完成", withdrawable=False),
        Transition("print", "return_to_signer", "sign", "退回签发人", kind="return", requires_opinion=True),
        Transition("seal", "sealed", "distribute", "用印完成", withdrawable=False),
        Transition("distribute", "distributed", "archive", "分发完成", withdrawable=False),
        Transition("archive", "archive", "archived", "归档"),
    ),
)


def _without_recheck(flow: Flow) -> Flow:
    """The outgoing flow as it was before 复核: 签发 went straight to 编号."""
    return replace(
        flow,
        version=1,
        steps=tuple(s for s in flow.steps if s.key != "recheck"),
        transitions=tuple(
            replace(t, target="number") if t.target == "recheck" else t
            for t in flow.transitions
            if t.source != "recheck"
        ),
    )


# Documents begun before 复核 was added run on to the end on the flow they began with (migration 0004
# moves those not yet signed on to version 2).
OUTGOING_DOCUMENT_V1 = _without_recheck(OUTGOING_DOCUMENT)


INCOMING_DOCUMENT = Flow(
    key="incoming_document",
    label="收文办理",
    start="receive",
    field_labels={
        "needs_handling": "需要承办",
        "!needs_handling": "阅件（无需承办）",
        "needs_circulation": "需要传阅",
        "!needs_circulation": "无需传阅",
        "circulation_complete": "传阅件均已阅毕或收回",
    },
    steps=(
        Step("receive", "签收", _CLERKS, TimeLimit(1)),
        Step("register", "登记", _CLERKS, TimeLimit(1)),
        Step("screen", "初审", _OFFICE_LEADS | _CLERKS, TimeLimit(1)),
        Step("propose", "拟办", _OFFICE_LEADS, TimeLimit(1)),
        Step("instruct", "批办", roles(Role.COUNTY_LEADER, Role.DIRECTOR), TimeLimit(2)),
        Step("handle", "承办", roles(Role.LIAISON, Role.SECRETARY), TimeLimit(10)),
        Step("circulate", "传阅", _CLERKS, TimeLimit(5)),
        Step("conclude", "办结", _CLERKS | _OFFICE_LEADS, TimeLimit(2)),
        Step("archive", "归档", _CLERKS, TimeLimit(30, "day")),
        Step("archived", "已归档", frozenset(), final=True),
        Step("returned", "已退文", frozenset(), final=True),
    ),
    transitions=(
        # 签收 records when the paper came, 登记 takes a 收文编号, 批办 names the handling units, 承办完成 and 办结
        # record their results: none is undone by a step back (撤回), unlike 初审通过, 拟办 and 传阅完毕.
        Transition("receive", "sign_for", "register", "签收", withdrawable=False),
        Transition("register", "register", "screen", "登记", withdrawable=False),
        Transition("screen", "accept", "propose", "初审通过"),
        Transition("screen", "return", "returned", "退文", kind="return", requires_opinion=True),
        Transition("propose", "propose", "instruct", "提出拟办意见", requires_opinion=True),
        Transition(
            "instruct", "instruct", "handle", "批办", conditions=(Condition("needs_handling", "==", True),),
            requires_opinion=True, withdrawable=False,
        ),
        Transition(
            "instruct", "instruct", "circulate", "批办", conditions=(Condition("needs_handling", "==", False),),
            requires_opinion=True, withdrawable=False,
        ),
        Transition(
            "handle", "handled", "circulate", "承办完成", conditions=(Condition("needs_circulation", "==", True),),
            withdrawable=False,
        ),
        Transition(
            "handle", "handled", "conclude", "承办完成", conditions=(Condition("needs_circulation", "==", False),),
            withdrawable=False,
        ),
        Transition(
            "circulate", "circulated", "conclude", "传阅完毕", conditions=(Condition("circulation_complete", "==", True),)
        ),
        Transition("conclude", "conclude", "archive", "办结", withdrawable=False),
        Transition("archive", "archive", "archived", "归档"),
    ),
)


MANIFEST = AreaManifest(
    key="documents",
    label="公文",
    order=10,
    navigation="documents",
    entity_types={"document": "公文"},
    flows=(OUTGOING_DOCUMENT, INCOMING_DOCUMENT),
    past_flows=(OUTGOING_DOCUMENT_V1,),
    models="app.models.documents",
    page="app.ui.documents.page:DocumentsPage",
    record_windows={"document": "app.ui.documents.window:DocumentWindow"},
    demo="app.demo.documents",
    forms=(
        FormEntry("outgoing-draft", "发文稿纸", "app.printing.documents.outgoing_draft:render_outgoing_draft",
                  "app.forms.documents:load_outgoing_draft"),
        FormEntry("incoming-slip", "收文处理笺", "app.printing.documents.incoming_slip:render_incoming_slip",
                  "app.forms.documents:load_incoming_slip"),
        FormEntry("receipt-register", "收文登记簿", "app.printing.documents.receipt_register:render_receipt_register",
                  "app.forms.documents:load_receipt_register", ("from", "to")),
        FormEntry("archive-stamps", "归档章", "app.printing.documents.archive_forms:render_archive_stamps",
                  "app.forms.documents:load_archive_stamps", ("year", "retention")),
        FormEntry("archive-catalogue", "归档文件目录", "app.printing.documents.archive_forms:render_archive_catalogue",
                  "app.forms.documents:load_archive_catalogue", ("year", "retention")),
        FormEntry("document-notice", "公文运转及差错情况通报", "app.printing.documents.notice:render_document_notice",
                  "app.forms.documents:load_document_notice", ("year", "quarter")),
        FormEntry("official-document", "正式公文", "app.printing.documents.official.render:render_official_document",
                  "app.forms.documents:load_official_document"),
    ),
    # A meeting's minutes start as a 纪要 draft linked to the meeting (app.services.documents.minutes).
    # A meeting's 纪要, once the meeting has been held (its steps 会议召开, 会后落实, 已办结).
    opened_from={"meeting": Opener("起草会议纪要…", "app.ui.documents.minutes_dialog:MinutesDraftDialog",
                                   (Role.SECRETARY.value, Role.DIRECTOR.value, Role.DEPUTY_DIRECTOR.value),
                                   states=("held", "follow_up", "closed"))},
    searches=(SearchSpec("document", 1, "app.services.documents.search:SOURCE"),),
)
