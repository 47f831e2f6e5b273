"""The printable forms with their data sources: where the printing registry meets the services.

The CLI (`govdesk print`) and the GUI's print actions both use build_registry(), so a form prints the
same from either. Loaders turn a record id, or a period (PrintPeriod) for a register, a catalogue or a
notice, into the plain dataclass a form draws, as the user who prints, and record the print (context).

The workflow's own forms (催办单, 流程图) are loaded in workflow; each area's in its own module here,
which its manifest names (app.core.areas): build_registry names no area.
"""

from __future__ import annotations

from typing import Any

from app.core.areas import manifests, resolve
from app.forms.context import VIA_COMMAND_LINE, PrintContext, PrintPeriod, Source
from app.forms.workflow import load_flowchart, load_urge_slip
from app.printing.kit.registry import FormRegistry, Loader, default_registry


def lazy_loader(reference: str) -> Loader:
    """A loader whose module is imported when it first loads: `govdesk print` loads one form, and importing
    every area's loaders (and their services) would cost it for nothing."""

    def load(context: Any, key: Any) -> Any:
        # Looked up at each call (an imported module is a dictionary read), so that what the module holds
        # now is what loads.
        loader: Loader = resolve(reference)
        return loader(context, key)

    return load


def build_registry() -> FormRegistry:
    registry = default_registry()
    registry.attach_loader("urge-slip", load_urge_slip)
    registry.attach_loader("flowchart", load_flowchart)
    for manifest in manifests():
        for form in manifest.forms:
            registry.attach_loader(form.name, lazy_loader(form.loader))
    return registry


__all__ = ["VIA_COMMAND_LINE", "PrintContext", "PrintPeriod", "Source", "build_registry"]
