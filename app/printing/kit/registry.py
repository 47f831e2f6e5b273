"""The printable forms, by name, for ``govdesk print FORM …`` and the GUI's print menu.

A FormSpec pairs a renderer (a dataclass in, PDF bytes out; it lives here in app/printing) with a loader
(what to print in, that dataclass out; it needs the database, so it lives in app/forms and is attached by
the composition root). What to print is a record id for a record's form, or a period (a year, a quarter,
two dates) for a register, a catalogue or a notice: the form's ``arguments`` say which. The kit's own
forms are listed here, each area's in its manifest (app.core.areas). The registry holds no database code
and no global state: each call to ``default_registry()`` returns a new one, so a test can change its copy
freely.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from app.core.areas import manifests
from app.core.errors import NotFound

Loader = Callable[[Any, Any], Any]
Renderer = Callable[[Any], bytes]

# What `govdesk print` takes to say what a form prints, and how `govdesk forms` names it.
ARGUMENT_HELP: dict[str, str] = {
    "id": "--id 编号（多条：1,2,5-9）",
    "year": "--year 年度",
    "quarter": "--quarter 季度（1-4）",
    "month": "--month 月份（1-12）",
    "retention": "--retention 保管期限（Y 永久、D30 定期30年、D10 定期10年）",
    "from": "--from 起始日期",
    "to": "--to 截止日期",
}
BY_ID: tuple[str, ...] = ("id",)


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
    # What it prints: one record by --id, or a period (names in ARGUMENT_HELP, all of them required).
    arguments: tuple[str, ...] = BY_ID
    # A period's further arguments that may be given, at most one of them (a notice for a --month or a --quarter
    # of its --year, or for the whole year).
    optional: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name or not self.name.isascii() or " " in self.name:
            raise ValueError(f"form name must be an ASCII word, not {self.name!r}")
        unknown = [a for a in self.arguments if a not in ARGUMENT_HELP]
        if not self.arguments or unknown or ("id" in self.arguments and len(self.arguments) > 1):
            raise ValueError(f"form {self.name!r}: arguments must be ('id',) or a period, not {self.arguments!r}")
        if self.optional and (self.by_id or any(a not in ARGUMENT_HELP or a in self.arguments for a in self.optional)):
            raise ValueError(f"form {self.name!r}: optional arguments must be further period arguments")

    @property
    def by_id(self) -> bool:
        """Printed for records named by id (a batch may name many), not for a period."""
        return self.arguments == BY_ID

    def argument_text(self) -> str:
        """What `govdesk forms` shows: the arguments this form takes on the command line."""
        text = " ".join(ARGUMENT_HELP[a] for a in self.arguments)
        if self.optional:
            text += " [" + " 或 ".join(ARGUMENT_HELP[a] for a in self.optional) + "]"
        return text


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

    def load_and_render(self, name: str, context: Any, key: Any) -> bytes:
        """Load what ``key`` names (a record id, or a period for a form printed by period) through the form's
        loader, and render it."""
        spec = self.get(name)
        if spec.loader is None:
            raise NotFound(f"表单“{spec.title}”还不能打印：尚未配置数据来源")
        return spec.renderer(spec.loader(context, key))


def default_registry() -> FormRegistry:
    """A new registry holding the forms app/printing can draw, without loaders: the kit's own, then each
    area's as its manifest declares them (app.core.areas). No form module is imported until that form is
    drawn."""
    registry = FormRegistry()
    for name, title, module, function, arguments in _FORMS:
        registry.register(
            FormSpec(name, title, None, lazy_renderer(f"app.printing.{module}", function), arguments)
        )
    for manifest in manifests():
        for form in manifest.forms:
            module, _, function = form.renderer.partition(":")
            registry.register(FormSpec(form.name, form.title, None, lazy_renderer(module, function), form.arguments,
                                       form.optional))
    return registry


# The workflow's own forms, for the records of every area.
_FORMS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("urge-slip", "催办单", "kit.urge_slip", "render_urge_slip", BY_ID),
    ("flowchart", "流程图", "kit.flowchart", "render_flowchart", BY_ID),
)
