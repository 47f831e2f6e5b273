"""信息调研 declares itself: 政务信息 items and research articles in the 政务信息 flow, the 信息调研 page and the
item window, its forms (the 《政务信息》 issue, the notice, the study rotation), its models and its demo data."""

from __future__ import annotations

from app.core.areas import AreaManifest, FormEntry, SearchSpec
from app.core.information.flow import ENTITY, INFORMATION_ITEM

MANIFEST = AreaManifest(
    key="information",
    label="信息调研",
    order=60,
    navigation="information",
    entity_types={ENTITY: "政务信息"},
    flows=(INFORMATION_ITEM,),
    models="app.models.information",
    page="app.ui.information.page:InformationPage",
    record_windows={ENTITY: "app.ui.information.window:ItemWindow"},
    demo="app.demo.information",
    forms=(
        FormEntry("info-issue", "《政务信息》", "app.printing.information.issue:render_issue",
                  "app.forms.information:load_issue"),
        FormEntry("info-notice", "政务信息报送情况通报", "app.printing.information.notice:render_notice",
                  "app.forms.information:load_notice", ("year",), ("quarter",)),
        FormEntry("info-study-rotation", "周一学习轮讲安排表", "app.printing.information.rotation:render_rotation",
                  "app.forms.information:load_rotation"),
    ),
    searches=(SearchSpec(ENTITY, 6, "app.services.information.search:SOURCE"),),
)
