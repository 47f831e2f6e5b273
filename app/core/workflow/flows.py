"""The flows of every area, as their manifests (app.core.areas) declare them: the registry the engine's
services, the flowcharts and the demo read, so that no shared module names an area's flow.

The registry is read on first use, not at import: a manifest imports the engine to declare its flows,
and the engine's package imports this module.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from app.core.errors import NotFound
from app.core.workflow.engine import Flow

Key = TypeVar("Key")


class _FlowRegistry(Mapping[Key, Flow]):
    """A read-only mapping of the areas' flows, built from the manifests the first time it is read."""

    def __init__(self, build: Callable[[], dict[Key, Flow]]) -> None:
        self._build = build

    @functools.cached_property
    def _flows(self) -> dict[Key, Flow]:
        return self._build()

    def __getitem__(self, key: Key) -> Flow:
        return self._flows[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._flows)

    def __len__(self) -> int:
        return len(self._flows)


def _current_flows() -> dict[str, Flow]:
    from app.core.areas import manifests

    flows: dict[str, Flow] = {}
    for manifest in manifests():
        for flow in manifest.flows:
            if flow.key in flows:
                raise ValueError(f"流程“{flow.key}”由两个业务领域声明")
            flows[flow.key] = flow
    return flows


def _every_version() -> dict[tuple[str, int], Flow]:
    from app.core.areas import manifests

    return {
        (flow.key, flow.version): flow
        for manifest in manifests()
        for flow in (*manifest.flows, *manifest.past_flows)
    }


# The current built-in version of each flow, by key.
DEFAULT_FLOWS: Mapping[str, Flow] = _FlowRegistry(_current_flows)

# Every built-in version, the superseded ones included: a record keeps the version it began with.
BUILTIN_FLOWS: Mapping[tuple[str, int], Flow] = _FlowRegistry(_every_version)


def builtin_flow(key: str, version: int) -> Flow | None:
    return BUILTIN_FLOWS.get((key, version))


def default_flow(key: str) -> Flow:
    try:
        return DEFAULT_FLOWS[key]
    except KeyError:
        raise NotFound(f"没有名为“{key}”的流程") from None
