"""The printable forms, by name, for ``govdesk print FORM --id N`` and the GUI's print menu.

A FormSpec pairs a renderer (a dataclass in, PDF bytes out; it lives here in app/printing) with a loader
(a record id in, that dataclass out; it needs the database, so it lives in app/services and is attached
by the composition root). The registry holds no database code and no global state: each call to
``default_registry()`` returns a new one, so a test can change its copy freely.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from app.core.errors import NotFound

Loader = Callable[[Any, int], Any]
Renderer = Callable[[Any], bytes]


def lazy_renderer(module: str, function: str) -> Renderer:
    """A renderer whose module is imported when it first draws: `govdesk print` draws one form, and importing
    every form's module (with reportlab's platypus, pypdf and the workflow layout) cost it a tenth of a second."""

    def render(data: Any) -> bytes:
        renderer: Renderer = getattr(importlib.import_module(module), function)
        return renderer(data)

    render.__name__ = render.__qualname__ = function
    render.__module__ = module
    return render


@dataclass(frozen=True)
class FormSpec:
    name: str  # ASCII key used on the command line, e.g. "urge-slip"
    title: str  # what users read, e.g. 催办单
    loader: Loader | None
    renderer: Renderer

    def __post_init__(self) -> None:
        if not self.name or not self.name.isascii() or " " in self.name:
            raise ValueError(f"form name must be an ASCII word, not {self.name!r}")


class FormRegistry:
    def __init__(self) -> None:
        self._specs: dict[str, FormSpec] = {}

    def register(self, spec: FormSpec) -> FormSpec:
        if spec.name in self._specs:
            raise ValueError(f"form {spec.name!r} is already registered")
        self._specs[spec.name] = spec
        return spec

    def attach_loader(self, name: str, loader: Loader) -> FormSpec:
        """Give a registered form its loader (done where services are wired, never at import)."""
        spec = dataclasses.replace(self.get(name), loader=loader)
        self._specs[name] = spec
        return spec

    def get(self, name: str) -> FormSpec:
        try:
            return self._specs[name]
        except KeyError:
            known = "、".join(f"{s.name}（{s.title}）" for s in self._specs.values()) or "无"
            raise NotFound(f"没有名为“{name}”的表单。可打印的表单有：{known}") from None

    def names(self) -> list[str]:
        return list(self._specs)

    def __iter__(self) -> Iterator[FormSpec]:
        return iter(list(self._specs.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def render(self, name: str, data: Any) -> bytes:
        return self.get(name).renderer(data)

    def load_and_render(self, name: str, context: Any, record_id: int) -> bytes:
        """Load the record through the form's loader and render it."""
        spec = self.get(name)
        if spec.loader is None:
            raise NotFound(f"表单“{spec.title}”还不能按编号打印：尚未配置数据来源")
        return spec.renderer(spec.loader(context, record_id))


def default_registry() -> FormRegistry:
    """A new registry holding the forms app/printing can draw, without loaders. No form module is imported
    until that form is drawn."""
    registry = FormRegistry()
    for name, title, module, function in _FORMS:
        registry.register(FormSpec(name, title, None, lazy_renderer(f"app.printing.{module}", function)))
    return registry


_FORMS: tuple[tuple[str, str, str, str], ...] = (
    ("urge-slip", "催办单", "kit.urge_slip", "render_urge_slip"),
    ("flowchart", "流程图", "kit.flowchart", "render_flowchart"),
    ("outgoing-draft", "发文稿纸", "documents.outgoing_draft", "render_outgoing_draft"),
    ("incoming-slip", "收文处理笺", "documents.incoming_slip", "render_incoming_slip"),
    ("receipt-register", "收文登记簿", "documents.receipt_register", "render_receipt_register"),
    ("archive-stamps", "归档章", "documents.archive_forms", "render_archive_stamps"),
    ("archive-catalogue", "归档文件目录", "documents.archive_forms", "render_archive_catalogue"),
    ("document-notice", "公文运转及差错情况通报", "documents.notice", "render_document_notice"),
    ("claim-form", "报销单", "claims.form", "render_claim_form"),
    ("claim-form-receipts", "报销单（附票据扫描件）", "claims.form", "render_claim_form_with_receipts"),
)
