"""信访 declares itself: petitions with their 复查 and 复核 in the 信访 flows, the problems the screening assigns,
the 信访 page and the case window, its forms, its models and its demo data."""

from __future__ import annotations

from app.core.areas import AreaManifest, FormEntry, SearchSpec
from app.core.petitions.flow import ENTITY, PETITION, PETITION_PROBLEM, PETITION_REVIEW, PROBLEM_ENTITY

MANIFEST = AreaManifest(
    key="petitions",
    label="信访",
    order=40,
    navigation="petitions",
    entity_types={ENTITY: "信访件", PROBLEM_ENTITY: "排查问题"},
    flows=(PETITION, PETITION_REVIEW, PETITION_PROBLEM),
    models="app.models.petitions",
    page="app.ui.petitions.page:PetitionsPage",
    record_windows={ENTITY: "app.ui.petitions.window:PetitionWindow",
                    PROBLEM_ENTITY: "app.ui.petitions.problem_window:ProblemWindow"},
    demo="app.demo.petitions",
    forms=(
        FormEntry("petition-register", "信访登记表", "app.printing.petitions.register:render_register",
                  "app.forms.petitions:load_register"),
        FormEntry("petition-assignment", "交办单", "app.printing.petitions.assignment:render_assignment",
                  "app.forms.petitions:load_assignment"),
        FormEntry("petition-opinion", "处理意见书", "app.printing.petitions.opinion:render_opinion",
                  "app.forms.petitions:load_opinion"),
        FormEntry("petition-ledger", "信访台账", "app.printing.petitions.ledger:render_ledger",
                  "app.forms.petitions:load_ledger", ("year",), ("quarter", "month")),
    ),
    # A 信访件 goes through 信访 and 复查复核; 排查问题 are records of their own.
    searches=(SearchSpec(ENTITY, 5, "app.services.petitions.search:SOURCE", (PETITION.key, PETITION_REVIEW.key)),),
)
