"""督查督办 declares itself: items in the 督办事项 flow, the 督查督办 page and the item window, its forms, its
models and its demo data."""

from __future__ import annotations

from app.core.areas import AreaManifest, FormEntry, Opener, SearchSpec
from app.core.roles import Role
from app.core.supervision.flow import ENTITY, SUPERVISION_ITEM

MANIFEST = AreaManifest(
    key="supervision",
    label="督查督办",
    order=30,
    navigation="supervision",
    entity_types={ENTITY: "督办事项"},
    flows=(SUPERVISION_ITEM,),
    models="app.models.supervision",
    page="app.ui.supervision.page:SupervisionPage",
    record_windows={ENTITY: "app.ui.supervision.window:ItemWindow"},
    demo="app.demo.supervision",
    forms=(
        FormEntry("supervision-slip", "督办通知单", "app.printing.supervision.slip:render_notice_slip",
                  "app.forms.supervision:load_supervision_slip"),
        FormEntry("supervision-ledger", "督办台账", "app.printing.supervision.ledger:render_ledger",
                  "app.forms.supervision:load_supervision_ledger", ("year",)),
        FormEntry("supervision-notice", "督查通报", "app.printing.supervision.notice:render_notice",
                  "app.forms.supervision:load_supervision_notice", ("year",), ("month", "quarter")),
    ),
    # A document that asks for follow-up (a 上级交办 file, a leader's 批示 on it) becomes an item, linked both ways.
    # A meeting's decision (议定事项) becomes an item in one action from the meeting's 议定事项 tab, once the
    # meeting is held (when it has decisions).
    opened_from={"document": Opener("转为督办事项…", "app.ui.supervision.editor:OriginItemEditor",
                                    (Role.SECRETARY.value, Role.DIRECTOR.value, Role.DEPUTY_DIRECTOR.value)),
                 "meeting": Opener("转为督办事项…", "app.ui.supervision.editor:DecisionItemEditor",
                                   (Role.SECRETARY.value, Role.DIRECTOR.value, Role.DEPUTY_DIRECTOR.value),
                                   states=("held", "follow_up", "closed"), per_part=True)},
    searches=(SearchSpec(ENTITY, 4, "app.services.supervision.search:SOURCE"),),
)
