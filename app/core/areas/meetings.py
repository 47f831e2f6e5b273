"""会议 declares itself: meetings in the 会议 flow, the 会议 page and the meeting window, its forms, its models
and its demo data."""

from __future__ import annotations

from app.core.areas import AreaManifest, FormEntry, SearchSpec
from app.core.meetings.flow import ENTITY, MEETING, TOPIC_ENTITY

MANIFEST = AreaManifest(
    key="meetings",
    label="会议",
    order=20,
    navigation="meetings",
    entity_types={ENTITY: "会议"},
    flows=(MEETING,),
    models="app.models.meetings",
    page="app.ui.meetings.page:MeetingsPage",
    record_windows={ENTITY: "app.ui.meetings.window:MeetingWindow"},
    demo="app.demo.meetings",
    forms=(
        FormEntry("meeting-notice", "会议通知", "app.printing.meetings.notice:render_meeting_notice",
                  "app.forms.meetings:load_meeting_notice"),
        FormEntry("meeting-sign-in", "签到表", "app.printing.meetings.sign_in:render_sign_in",
                  "app.forms.meetings:load_sign_in"),
        FormEntry("meeting-seating", "座次图", "app.printing.meetings.seating_chart:render_seating_chart",
                  "app.forms.meetings:load_seating_chart"),
        FormEntry("meeting-plan", "会议方案", "app.printing.meetings.plan:render_plan",
                  "app.forms.meetings:load_plan"),
    ),
    # A topic's materials are searched as the meeting's files.
    searches=(SearchSpec(ENTITY, 3, "app.services.meetings.search:SOURCE", file_owners=(TOPIC_ENTITY,)),),
)
