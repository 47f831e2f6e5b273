"""The registry of printable forms."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.errors import NotFound
from app.core.workflow import DEFAULT_FLOWS
from app.printing.kit.flowchart import FlowchartData
from app.printing.kit.registry import FormRegistry, FormSpec, default_registry
from tests.helpers.print_samples import urge_slip


def test_default_forms() -> None:
    registry = default_registry()
    assert registry.names() == [
        "urge-slip", "flowchart", "outgoing-draft", "incoming-slip", "receipt-register", "archive-stamps",
        "archive-catalogue", "document-notice", "official-document", "meeting-notice", "meeting-sign-in", "meeting-seating", "meeting-plan", "supervision-slip", "supervision-ledger", "supervision-notice", "petition-register", "petition-assignment", "petition-opinion", "petition-ledger", "claim-form", "claim-form-receipts", "claim-flowchart",
        "info-issue", "info-notice", "info-study-rotation",
    ]
    assert registry.get("urge-slip").title == "催办单"
    assert registry.get("urge-slip").loader is None
    assert registry.render("urge-slip", urge_slip()).startswith(b"%PDF")
    assert registry.render("flowchart", FlowchartData(DEFAULT_FLOWS["reimbursement"])).startswith(b"%PDF")


def test_each_call_gives_a_new_registry() -> None:
    first = default_registry()
    first.register(FormSpec("extra", "附加表", None, lambda data: b"%PDF"))
    assert "extra" in first
    assert "extra" not in default_registry()


def test_unknown_form_lists_the_known_ones() -> None:
    with pytest.raises(NotFound) as error:
        default_registry().get("nope")
    assert "nope" in error.value.message
    assert "urge-slip（催办单）" in error.value.message


def test_loaders_are_attached_later() -> None:
    registry = default_registry()
    with pytest.raises(NotFound, match="尚未配置"):
        registry.load_and_render("urge-slip", object(), 1)
    seen: list[tuple[Any, int]] = []

    def loader(context: Any, record_id: int) -> Any:
        seen.append((context, record_id))
        return urge_slip()

    registry.attach_loader("urge-slip", loader)
    assert registry.load_and_render("urge-slip", "ctx", 7).startswith(b"%PDF")
    assert seen == [("ctx", 7)]


def test_names_are_ascii_and_unique() -> None:
    registry = FormRegistry()
    registry.register(FormSpec("a", "甲", None, lambda d: b""))
    with pytest.raises(ValueError):
        registry.register(FormSpec("a", "甲", None, lambda d: b""))
    with pytest.raises(ValueError):
        FormSpec("催办单", "催办单", None, lambda d: b"")
